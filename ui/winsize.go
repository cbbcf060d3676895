package ui

import "fyne.io/fyne/v2"

// The window's size: Fyne tells no screen size before the window is shown
// (and not on every driver then), so the first window is a size that fits
// the small screens Rapport is used on, 1366×768 and 1024×700 (a netbook, a
// tablet's desktop mode), with a title bar and a panel; after that it opens
// at the size the user last left it. Fyne has no window
// position to read or set, so where it opens is the window manager's choice.
const (
	prefWindowWidth  = "window.width"
	prefWindowHeight = "window.height"
)

var (
	defaultWindowSize = fyne.NewSize(1000, 640)
	minWindowSize     = fyne.NewSize(640, 480) // smaller is a mistake to forget, not a choice
)

// windowSize is the size to open the window at.
func (u *UI) windowSize() fyne.Size {
	p := u.app.Preferences()
	s := fyne.NewSize(float32(p.Float(prefWindowWidth)), float32(p.Float(prefWindowHeight)))
	if s.Width < minWindowSize.Width || s.Height < minWindowSize.Height {
		return defaultWindowSize
	}
	return s
}

// rememberWindowSize keeps the size the window is closed at for next time.
func (u *UI) rememberWindowSize() {
	s := u.win.Canvas().Size()
	if s.Width < minWindowSize.Width || s.Height < minWindowSize.Height {
		return
	}
	p := u.app.Preferences()
	p.SetFloat(prefWindowWidth, float64(s.Width))
	p.SetFloat(prefWindowHeight, float64(s.Height))
}
