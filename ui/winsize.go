package ui

import (
	"image"
	"math"

	"fyne.io/fyne/v2"

	"github.com/rapportcrm/rapport/ui/winplace"
)

// The window's size and place. The first time, it is sized to the screen
// it opens on (winplace.FirstSize: 90% of the primary monitor's work area,
// at most maxFirstWindowSize) and centred there; after that it opens at the
// size and position the user left it at, moved and if need be shrunk to lie
// wholly on a monitor there is now. The size is in Fyne units, the position
// in the desktop's screen coordinates. Where winplace cannot reach the
// native window (Fyne's test driver; Wayland, for the position), the
// window opens at the remembered size, or defaultWindowSize, where the
// desktop puts it.
const (
	prefWindowWidth  = "window.width"
	prefWindowHeight = "window.height"
	prefWindowX      = "window.x"
	prefWindowY      = "window.y"
)

var (
	// defaultWindowSize fits the small screens Rapport is used on, 1366×768
	// and 1024×700, with a title bar and a panel, where the screen's size
	// is not known.
	defaultWindowSize  = fyne.NewSize(1000, 640)
	maxFirstWindowSize = fyne.NewSize(1400, 900)
	minWindowSize      = fyne.NewSize(640, 480) // smaller is a mistake to forget, not a choice
)

// noPos marks a position never saved (no screen is 2 billion pixels away).
const noPos = math.MinInt32

// windowSize is the size to open the window at, and whether it is one the
// user chose.
func (u *UI) windowSize() (fyne.Size, bool) {
	p := u.app.Preferences()
	s := fyne.NewSize(float32(p.Float(prefWindowWidth)), float32(p.Float(prefWindowHeight)))
	if s.Width < minWindowSize.Width || s.Height < minWindowSize.Height {
		return defaultWindowSize, false
	}
	return s, true
}

// sizeWindow gives the window its size, and has winplace fit it to the
// screen and put it where it was when the native window is created.
func (u *UI) sizeWindow() {
	size, chosen := u.windowSize()
	u.win.Resize(size)
	p := u.app.Preferences()
	x, y := p.IntWithFallback(prefWindowX, noPos), p.IntWithFallback(prefWindowY, noPos)
	winplace.Arrange(u.win, winplace.Want{
		Pos: image.Pt(x, y), HasPos: x != noPos && y != noPos,
		Fit: !chosen, Most: maxFirstWindowSize, Least: minWindowSize,
	})
}

// rememberWindow keeps the window's size and position for next time. It
// runs when the window closes, and when it loses the focus, which is also
// what Fyne reports on Quit (Ctrl+Q) before it destroys the window: the
// window's close callback does not run then.
func (u *UI) rememberWindow() {
	p := u.app.Preferences()
	setFloat := func(k string, v float64) { // unchanged values do not rewrite the file
		if p.Float(k) != v {
			p.SetFloat(k, v)
		}
	}
	setInt := func(k string, v int) {
		if p.IntWithFallback(k, noPos) != v {
			p.SetInt(k, v)
		}
	}
	if s := u.win.Canvas().Size(); s.Width >= minWindowSize.Width && s.Height >= minWindowSize.Height {
		setFloat(prefWindowWidth, float64(s.Width))
		setFloat(prefWindowHeight, float64(s.Height))
	}
	if pos, ok := winplace.Position(u.win); ok {
		setInt(prefWindowX, pos.X)
		setInt(prefWindowY, pos.Y)
	}
}
