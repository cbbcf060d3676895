//go:build wayland

package winplace

// canMove: a Wayland client cannot know or choose where its window is (the
// compositor places it); Fyne's "wayland" build tag selects this file, and
// only the size is arranged.
const canMove = false
