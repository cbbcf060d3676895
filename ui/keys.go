package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Keys in dialogs: Esc cancels (or closes) the dialog on top, Enter saves it
// (Ctrl+Enter in a multi-line field, where Enter starts a new line). Fyne's
// dialogs have no keys of their own, and a focused text field keeps every
// key it is sent, so the fields of Rapport's forms are formEntry, which
// hand these keys to the dialog, and the canvas does the same when nothing
// has the focus. The dialog's own buttons do the work, so a key does exactly
// what a click would, validation included.

// dialogKey presses the button of the dialog on top of canvas c that key
// stands for: Cancel/Close (or a lone OK) for Escape, the primary button
// for Return. A dangerous button (Delete) is never pressed by Enter: a slip
// of the key must not delete anyone. It reports whether there was one to press.
func dialogKey(c fyne.Canvas, key fyne.KeyName) bool {
	if c == nil {
		return false
	}
	top := c.Overlays().Top()
	if top == nil {
		return false
	}
	var cancel, primary, ok *widget.Button
	nOK := 0
	walkButtons(top, func(b *widget.Button) {
		switch {
		case b.Disabled() || b.OnTapped == nil:
		case b.Text == "Cancel" || b.Text == "Close" || b.Text == "No":
			cancel = b
		case b.Text == "OK":
			ok, nOK = b, nOK+1
		}
		if !b.Disabled() && b.OnTapped != nil && b.Importance == widget.HighImportance {
			primary = b // the last one: the dialog's buttons come after its content
		}
	})
	if cancel == nil && nOK == 1 {
		cancel = ok // an information dialog: OK is all there is
	}
	var b *widget.Button
	switch key {
	case fyne.KeyEscape:
		b = cancel
	case fyne.KeyReturn, fyne.KeyEnter:
		b = primary
		if b == nil && cancel == ok {
			b = ok
		}
	}
	if b == nil {
		return false
	}
	b.OnTapped()
	return true
}

func walkButtons(o fyne.CanvasObject, fn func(*widget.Button)) {
	if o == nil || !o.Visible() {
		return
	}
	switch w := o.(type) {
	case *widget.Button:
		fn(w)
	case *fyne.Container:
		for _, c := range w.Objects {
			walkButtons(c, fn)
		}
	case *widget.PopUp: // what a dialog is on the canvas
		walkButtons(w.Content, fn)
	case *container.Scroll:
		walkButtons(w.Content, fn)
	case *widget.Form:
		for _, it := range w.Items {
			walkButtons(it.Widget, fn)
		}
	}
}

// formEntry is a text field of a dialog's form: Esc cancels the dialog,
// Enter (Ctrl+Enter when multi-line) saves it, unless the field has its own
// OnSubmitted.
type formEntry struct {
	widget.Entry
}

func newFormEntry(multiLine bool) *formEntry {
	e := &formEntry{}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

func (e *formEntry) canvas() fyne.Canvas {
	return fyne.CurrentApp().Driver().CanvasForObject(e)
}

func (e *formEntry) TypedKey(k *fyne.KeyEvent) {
	switch {
	case k.Name == fyne.KeyEscape && dialogKey(e.canvas(), k.Name):
		return
	case (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && !e.MultiLine && e.OnSubmitted == nil &&
		dialogKey(e.canvas(), k.Name):
		return
	}
	e.Entry.TypedKey(k)
}

func (e *formEntry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && cs.Modifier == fyne.KeyModifierShortcutDefault &&
		(cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter) {
		if e.OnSubmitted != nil {
			e.OnSubmitted(e.Text)
			return
		}
		if dialogKey(e.canvas(), cs.KeyName) {
			return
		}
	}
	e.Entry.TypedShortcut(s)
}

// addDialogKeys lets Esc and Enter (and Ctrl+Enter) work on a dialog when
// no field has the focus.
func (u *UI) addDialogKeys() {
	c := u.win.Canvas()
	prev := c.OnTypedKey()
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if (k.Name == fyne.KeyEscape || k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && dialogKey(c, k.Name) {
			return
		}
		if prev != nil {
			prev(k)
		}
	})
	for _, key := range []fyne.KeyName{fyne.KeyReturn, fyne.KeyEnter} {
		key := key
		c.AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault},
			func(fyne.Shortcut) { dialogKey(c, key) })
	}
}
