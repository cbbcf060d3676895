//go:build !wayland

package winplace

// canMove: under X11, Windows and macOS a program may read and set where
// its window is.
const canMove = true
