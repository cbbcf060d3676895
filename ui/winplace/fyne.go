package winplace

// This file is the one place that reaches inside Fyne. Fyne v2.7.1's GLFW
// driver (fyne.io/fyne/v2/internal/driver/glfw, window_desktop.go) keeps, in
// its unexported window struct:
//
//	viewport *glfw.Window // go-gl/glfw v3.3: nil until Show creates it
//	closing  bool         // set by Close, before the viewport is destroyed
//	pending  []func()     // run on the main thread by create(), once the
//	                      // viewport exists and its scale is known, before
//	                      // the first Show maps it
//
// A function appended to pending therefore sizes and places the native
// window before it is ever seen (no jump), on the only thread GLFW may be
// called from. The fields are found by name and type through reflect; if a
// Fyne upgrade renames or retypes one, reach fails and the window simply
// opens where the desktop puts it, as before (TestFyneWindowFields says so
// loudly first). driver.NativeWindow.RunNative is no help: on X11 it only
// passes the X window id, and runs on the caller's goroutine.

import (
	"errors"
	"fmt"
	"image"
	"reflect"
	"unsafe"

	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// Want is what Arrange does with a window.
type Want struct {
	// Pos is where the user left the window's content area, in screen
	// coordinates (what Position returned); HasPos is false when nothing is
	// remembered: the window is then centred on the primary monitor.
	Pos    image.Point
	HasPos bool
	// Fit asks for the window to be sized to the monitor (FirstSize, between
	// Least and Most, in Fyne units) instead of the size it was given:
	// no size is remembered.
	Fit         bool
	Most, Least fyne.Size
}

// fields are pointers into one Fyne GLFW window.
type fields struct {
	viewport **glfw.Window
	closing  *bool
	pending  *[]func()
}

const fyneWindowType = "fyne.io/fyne/v2/internal/driver/glfw.window"

// errNotGLFW: the window is another driver's (Fyne's test driver), which
// has no native window to place.
var errNotGLFW = errors.New("not a window of Fyne's GLFW driver")

// reach finds the fields of w, or says why it cannot (w is the test
// driver's window, or Fyne's layout changed).
func reach(w fyne.Window) (fields, error) {
	v := reflect.ValueOf(w)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return fields{}, fmt.Errorf("window is a %T: %w", w, errNotGLFW)
	}
	s := v.Elem()
	if t := s.Type(); t.PkgPath()+"."+t.Name() != fyneWindowType {
		return fields{}, fmt.Errorf("window is a %T: %w", w, errNotGLFW)
	}
	field := func(name string, want reflect.Type) (unsafe.Pointer, error) {
		f := s.FieldByName(name)
		if !f.IsValid() {
			return nil, fmt.Errorf("%s has no field %s", fyneWindowType, name)
		}
		if f.Type() != want {
			return nil, fmt.Errorf("%s.%s is a %s, not a %s", fyneWindowType, name, f.Type(), want)
		}
		return unsafe.Pointer(f.UnsafeAddr()), nil
	}
	var f fields
	p, err := field("viewport", reflect.TypeFor[*glfw.Window]())
	if err != nil {
		return f, err
	}
	f.viewport = (**glfw.Window)(p)
	if p, err = field("closing", reflect.TypeFor[bool]()); err != nil {
		return f, err
	}
	f.closing = (*bool)(p)
	if p, err = field("pending", reflect.TypeFor[[]func()]()); err != nil {
		return f, err
	}
	f.pending = (*[]func())(p)
	return f, nil
}

// Supported says whether this package can reach w's native window, and
// why not.
func Supported(w fyne.Window) error {
	_, err := reach(w)
	return err
}

// Arrange has w sized and placed as want says when Fyne creates its native
// window, which Show does; call it before the first Show, on Fyne's main
// goroutine. It returns false, and does nothing, when w's native window
// cannot be reached (see Supported); if that is because Fyne's GLFW window
// has changed, it logs why.
func Arrange(w fyne.Window, want Want) bool {
	f, err := reach(w)
	if err != nil {
		if !errors.Is(err, errNotGLFW) {
			fyne.LogError("winplace: the window opens at its size where the desktop puts it", err)
		}
		return false
	}
	run := func() { arrange(w, f, want) }
	if *f.viewport != nil { // already shown: do it now
		run()
	} else {
		*f.pending = append(*f.pending, run)
	}
	return true
}

func arrange(w fyne.Window, f fields, want Want) {
	defer soft("placing the window")
	v := *f.viewport
	if v == nil || *f.closing {
		return
	}
	works := workAreas()
	if len(works) == 0 {
		return
	}
	scale := w.Canvas().Scale()
	if scale <= 0 {
		scale = 1
	}
	px := func(s fyne.Size) [2]int { return [2]int{int(s.Width * scale), int(s.Height * scale)} }

	cw, ch := v.GetSize()
	// The frame (title bar, borders) is known before the window is mapped
	// on Windows and macOS, and on X11 when the window manager answers
	// _NET_REQUEST_FRAME_EXTENTS; otherwise it is 0 and Fraction leaves room.
	l, t, r, b := v.GetFrameSize()
	outer := Rect{W: cw + l + r, H: ch + t + b}
	if want.Fit {
		outer.W, outer.H = FirstSize(works[0], px(want.Most), px(want.Least))
	}
	if want.HasPos && canMove {
		outer.X, outer.Y = want.Pos.X-l, want.Pos.Y-t
	} else {
		outer = Centre(works[0], outer.W, outer.H)
	}
	outer = Clamp(outer, works)
	if nw, nh := outer.W-l-r, outer.H-t-b; nw != cw || nh != ch {
		w.Resize(fyne.NewSize(float32(nw)/scale, float32(nh)/scale))
	}
	if canMove {
		v.SetPos(outer.X+l, outer.Y+t)
	}
}

// workAreas are the monitors' work areas (without task bars and panels),
// the primary first, as GLFW lists them.
func workAreas() []Rect {
	var out []Rect
	for _, m := range glfw.GetMonitors() {
		x, y, w, h := m.GetWorkarea()
		if w <= 0 || h <= 0 { // no work area reported: the whole monitor
			mode := m.GetVideoMode()
			if mode == nil {
				continue
			}
			x, y = m.GetPos()
			w, h = mode.Width, mode.Height
		}
		out = append(out, Rect{X: x, Y: y, W: w, H: h})
	}
	return out
}

// Position is where w's content area is now, in screen coordinates, for
// Arrange to put it back there next time. ok is false when there is no
// position worth keeping: w is not a GLFW window, it is not shown or is
// closing, it is minimised, maximised or full screen, or this is Wayland,
// where no program may know or choose where its window is. Call it on
// Fyne's main goroutine (any Fyne callback runs there).
func Position(w fyne.Window) (pos image.Point, ok bool) {
	defer soft("reading the window's position")
	if !canMove || w.FullScreen() {
		return pos, false
	}
	f, err := reach(w)
	if err != nil {
		return pos, false
	}
	v := *f.viewport
	if v == nil || *f.closing || v.GetAttrib(glfw.Visible) == 0 ||
		v.GetAttrib(glfw.Iconified) != 0 || v.GetAttrib(glfw.Maximized) != 0 {
		return pos, false
	}
	x, y := v.GetPos()
	return image.Pt(x, y), true
}

// Maximised says whether w is maximised (or full screen) now: its size
// then is the screen's, not one the user chose to keep.
func Maximised(w fyne.Window) (maximised bool) {
	defer soft("reading whether the window is maximised")
	if w.FullScreen() {
		return true
	}
	f, err := reach(w)
	if err != nil {
		return false
	}
	v := *f.viewport
	return v != nil && !*f.closing && v.GetAttrib(glfw.Maximized) != 0
}

// soft turns a panic in GLFW (go-gl panics on some of its errors) into a
// logged error: a window in the wrong place is no reason to crash.
func soft(doing string) {
	if r := recover(); r != nil {
		fyne.LogError("winplace: "+doing, fmt.Errorf("%v", r))
	}
}
