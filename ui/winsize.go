package ui

import (
	"image"
	"slices"

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
//
// They are kept in one preference, [width, height] or [width, height, x,
// y]: Fyne saves the file on each change and may reload it, between two
// quick changes, from the first write, losing the second (two keys lost
// the position now and then on Quit). window.width and window.height are
// what Rapport kept before, still read when window.geometry is absent
// (.ci/screenshots.sh writes them).
const (
	prefWindowGeometry = "window.geometry"
	prefWindowWidth    = "window.width"
	prefWindowHeight   = "window.height"
)

var (
	// defaultWindowSize fits the small screens Rapport is used on, 1366×768
	// and 1024×700, with a title bar and a panel, where the screen's size
	// is not known.
	defaultWindowSize  = fyne.NewSize(1000, 640)
	maxFirstWindowSize = fyne.NewSize(1400, 900)
	minWindowSize      = fyne.NewSize(640, 480) // smaller is a mistake to forget, not a choice
)

// savedWindow is the size and position the window was left at; chosen is
// false when no usable size was kept, hasPos when a position was.
func (u *UI) savedWindow() (size fyne.Size, chosen bool, pos image.Point, hasPos bool) {
	p := u.app.Preferences()
	g := p.FloatList(prefWindowGeometry)
	if len(g) < 2 {
		g = []float64{p.Float(prefWindowWidth), p.Float(prefWindowHeight)}
	}
	size = fyne.NewSize(float32(g[0]), float32(g[1]))
	if len(g) >= 4 {
		pos, hasPos = image.Pt(int(g[2]), int(g[3])), true
	}
	if size.Width < minWindowSize.Width || size.Height < minWindowSize.Height {
		return defaultWindowSize, false, pos, hasPos
	}
	return size, true, pos, hasPos
}

// sizeWindow gives the window its size, and has winplace fit it to the
// screen and put it where it was when the native window is created.
func (u *UI) sizeWindow() {
	size, chosen, pos, hasPos := u.savedWindow()
	u.win.Resize(size)
	winplace.Arrange(u.win, winplace.Want{
		Pos: pos, HasPos: hasPos,
		Fit: !chosen, Most: maxFirstWindowSize, Least: minWindowSize,
	})
}

// rememberWindow keeps the window's size and position for next time. It
// runs when the window closes (File ▸ Quit closes it too), and when it
// loses the focus: a session ended at logout, or an app.Quit that closes no
// window, still finds the last place kept. A size too small to use is not
// kept, nor a position where there is none to know (see
// winplace.Position): the last one kept stays. Nothing is kept from a
// maximised window, so that it opens next time at the size it had before.
func (u *UI) rememberWindow() {
	if winplace.Maximised(u.win) {
		return
	}
	old, chosen, pos, hasPos := u.savedWindow()
	size := u.win.Canvas().Size()
	if size.Width < minWindowSize.Width || size.Height < minWindowSize.Height {
		if !chosen {
			return
		}
		size = old
	}
	if now, ok := winplace.Position(u.win); ok {
		pos, hasPos = now, true
	}
	g := []float64{float64(size.Width), float64(size.Height)}
	if hasPos {
		g = append(g, float64(pos.X), float64(pos.Y))
	}
	p := u.app.Preferences()
	if !slices.Equal(p.FloatList(prefWindowGeometry), g) { // unchanged: the file is not rewritten
		p.SetFloatList(prefWindowGeometry, g)
	}
}
