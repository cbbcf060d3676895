// Package winplace sizes Rapport's window to the screen it first opens on,
// and puts it back where the user left it, kept wholly on a monitor that
// exists now: a laptop undocked from a big screen must not open its window
// off-screen or larger than its own screen.
//
// Fyne (v2.7) has no API for a window's position nor for the screen's size,
// so this package reaches into Fyne's GLFW driver (fyne.go, the only file
// that does) and does the arithmetic here, in plain functions on
// rectangles, which the tests check without a display.
package winplace

// Rect is an area of the desktop in GLFW's screen coordinates (pixels on
// X11 and Windows, points on macOS), y downwards; all monitors share one
// coordinate space.
type Rect struct{ X, Y, W, H int }

func (r Rect) empty() bool { return r.W <= 0 || r.H <= 0 }

// overlap is the area r and o have in common.
func (r Rect) overlap(o Rect) int {
	w := min(r.X+r.W, o.X+o.W) - max(r.X, o.X)
	h := min(r.Y+r.H, o.Y+o.H) - max(r.Y, o.Y)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

// Fraction of a monitor's work area the first window takes: it fits with
// its title bar and leaves some desktop showing, and on a 1366×768 or
// 1024×700 screen it is still wide enough for the list beside a customer.
const Fraction = 0.9

// FirstSize is the size of a window opened for the first time on a monitor
// whose work area is work: Fraction of it, no larger than most (a 4K screen
// does not want a 3,400-pixel-wide address book), no smaller than least
// unless the work area itself is smaller, and never larger than the work
// area.
func FirstSize(work Rect, most, least [2]int) (w, h int) {
	fit := func(area, most, least int) int {
		v := min(int(float64(area)*Fraction), most)
		v = max(v, least)
		return min(v, area)
	}
	return fit(work.W, most[0], least[0]), fit(work.H, most[1], least[1])
}

// Centre is a w×h rectangle in the middle of work.
func Centre(work Rect, w, h int) Rect {
	return Rect{X: work.X + (work.W-w)/2, Y: work.Y + (work.H-h)/2, W: w, H: h}
}

// Clamp moves win (shrinking it only if it is larger) so that it lies
// wholly in one of works, the work areas of the monitors there are now
// (the primary first): the one it overlaps most, or the primary if it
// overlaps none (the monitor it was on is gone, or it was dragged off
// every screen). With no monitors known it returns win unchanged.
func Clamp(win Rect, works []Rect) Rect {
	best, most := -1, 0
	for i, m := range works {
		if m.empty() {
			continue
		}
		if best < 0 { // the first usable one, should it overlap none
			best = i
		}
		if a := win.overlap(m); a > most {
			best, most = i, a
		}
	}
	if best < 0 {
		return win
	}
	m := works[best]
	win.W, win.H = min(win.W, m.W), min(win.H, m.H)
	win.X = min(max(win.X, m.X), m.X+m.W-win.W)
	win.Y = min(max(win.Y, m.Y), m.Y+m.H-win.H)
	return win
}
