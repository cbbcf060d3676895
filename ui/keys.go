package ui

import (
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Keys in dialogs: Esc cancels (or closes) the dialog on top, Enter saves it
// (Ctrl+Enter in a multi-line field, where Enter starts a new line). Fyne's
// dialogs have no keys of their own, and Fyne sends every key to the focused
// widget alone (the canvas hears them only when nothing has the focus), so
// whatever can hold the focus in a dialog is one of the key widgets below:
// formEntry and dateEntry for text, keySelect, keyCheck, keyRadio,
// keySelectEntry, keyList and keyButton for the rest. Each hands Esc and
// Enter to dialogKey, and showDialog swaps the buttons Fyne's stock dialogs
// make for keyButtons. The dialog's own buttons do the work, so a key does
// exactly what a click would, validation included. TestDialogsAreKeyed
// opens every dialog and fails on anything focusable that is not keyed.

// keyed marks a widget that hands Esc and Enter to its dialog.
type keyed interface{ dialogKeys() }

// typedDialogKey hands Esc, and Enter when enter is set, to the dialog on
// top of o's canvas; it reports whether a dialog took the key.
func typedDialogKey(o fyne.CanvasObject, k *fyne.KeyEvent, enter bool) bool {
	switch k.Name {
	case fyne.KeyEscape:
	case fyne.KeyReturn, fyne.KeyEnter:
		if !enter {
			return false
		}
	default:
		return false
	}
	return dialogKey(fyne.CurrentApp().Driver().CanvasForObject(o), k.Name)
}

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
	case *keyButton:
		fn(&w.Button)
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

func (*formEntry) dialogKeys() {}

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

// keySelect is a drop-down of a dialog: Esc cancels, Enter saves (its list
// opens with Space or the arrow keys, as in Fyne).
type keySelect struct{ widget.Select }

func newKeySelect(options []string, changed func(string)) *keySelect {
	s := &keySelect{}
	s.Options, s.OnChanged = options, changed
	s.PlaceHolder = "(Select one)"
	s.ExtendBaseWidget(s)
	return s
}

func (*keySelect) dialogKeys() {}

func (s *keySelect) TypedKey(k *fyne.KeyEvent) {
	if !typedDialogKey(s, k, true) {
		s.Select.TypedKey(k)
	}
}

// keyCheck is a check box of a dialog: Space ticks it, Esc cancels, Enter saves.
type keyCheck struct{ widget.Check }

func newKeyCheck(label string, changed func(bool)) *keyCheck {
	c := &keyCheck{}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

func (*keyCheck) dialogKeys() {}

func (c *keyCheck) TypedKey(k *fyne.KeyEvent) {
	if !typedDialogKey(c, k, true) {
		c.Check.TypedKey(k)
	}
}

// keyButton is a button of a dialog. Esc cancels the dialog; Enter (like
// Space) presses the button itself, what the keyboard user chose, except a
// dangerous one (Delete), which only Space or a click presses.
type keyButton struct{ widget.Button }

func newKeyButton(text string, icon fyne.Resource, tapped func()) *keyButton {
	b := &keyButton{}
	b.Text, b.Icon, b.OnTapped = text, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (*keyButton) dialogKeys() {}

func (b *keyButton) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyEscape:
		typedDialogKey(b, k, false)
	case fyne.KeyReturn, fyne.KeyEnter:
		if b.Importance != widget.DangerImportance {
			b.Tapped(nil)
		}
	default:
		b.Button.TypedKey(k)
	}
}

// keySelectEntry is a text field with suggestions (a phone's label): Esc
// cancels, Enter saves. Its drop-down button is a keyButton too.
type keySelectEntry struct {
	widget.SelectEntry
	choices []string
}

func newKeySelectEntry(options []string) *keySelectEntry {
	e := &keySelectEntry{choices: options}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	drop := newKeyButton("", theme.MenuDropDownIcon(), e.showChoices)
	drop.Importance = widget.LowImportance
	e.ActionItem = drop // before SetOptions, which would make a plain button
	e.ExtendBaseWidget(e)
	e.SetOptions(options)
	return e
}

func (*keySelectEntry) dialogKeys() {}

func (e *keySelectEntry) showChoices() {
	items := make([]*fyne.MenuItem, len(e.choices))
	for i, c := range e.choices {
		items[i] = fyne.NewMenuItem(c, func() { e.SetText(c) })
	}
	d := fyne.CurrentApp().Driver()
	pop := widget.NewPopUpMenu(fyne.NewMenu("", items...), d.CanvasForObject(e))
	pop.ShowAtPosition(d.AbsolutePositionForObject(e).Add(fyne.NewPos(0, e.Size().Height)))
	pop.Resize(fyne.NewSize(e.Size().Width, pop.MinSize().Height))
}

func (e *keySelectEntry) TypedKey(k *fyne.KeyEvent) {
	if !typedDialogKey(e, k, true) {
		e.SelectEntry.TypedKey(k)
	}
}

// keyList is a list in a dialog: the arrow keys and Space move and choose,
// Esc cancels, Enter saves (or chooses, where the dialog's button does).
type keyList struct{ widget.List }

func newKeyList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *keyList {
	l := &keyList{}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

func (*keyList) dialogKeys() {}

func (l *keyList) TypedKey(k *fyne.KeyEvent) {
	if !typedDialogKey(l, k, true) {
		l.List.TypedKey(k)
	}
}

// keyRadio is a choice of one among a few shown at once (Fyne's RadioGroup,
// whose focusable items cannot be reached to give them keys). Each choice
// takes the focus; Space picks it, Up and Down move, Esc cancels, Enter saves.
type keyRadio struct {
	widget.BaseWidget
	Options   []string
	Selected  string
	OnChanged func(string)
	box       *fyne.Container
}

func newKeyRadio(options []string, changed func(string)) *keyRadio {
	r := &keyRadio{Options: options, OnChanged: changed, box: container.NewVBox()}
	r.ExtendBaseWidget(r)
	r.build()
	return r
}

func (r *keyRadio) build() {
	r.box.Objects = r.box.Objects[:0]
	for i, o := range r.Options {
		c := &radioChoice{radio: r, index: i, label: widget.NewLabel(o), icon: widget.NewIcon(nil),
			focus: canvas.NewCircle(color.Transparent)}
		c.ExtendBaseWidget(c)
		r.box.Objects = append(r.box.Objects, c)
	}
	r.refreshChoices()
}

// SetOptions replaces the choices; a selection no longer among them is cleared.
func (r *keyRadio) SetOptions(options []string) {
	r.Options = options
	if !slices.Contains(options, r.Selected) {
		r.Selected = ""
	}
	r.build()
	r.box.Refresh()
}

// SetSelected picks option, and tells OnChanged when that is a change.
func (r *keyRadio) SetSelected(option string) {
	if option == r.Selected {
		return
	}
	r.Selected = option
	r.refreshChoices()
	if r.OnChanged != nil {
		r.OnChanged(option)
	}
}

func (r *keyRadio) refreshChoices() {
	for _, o := range r.box.Objects {
		o.(*radioChoice).Refresh()
	}
}

func (r *keyRadio) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

type radioChoice struct {
	widget.BaseWidget
	radio   *keyRadio
	index   int
	label   *widget.Label
	icon    *widget.Icon
	focus   *canvas.Circle // behind the icon, as on Fyne's check boxes
	focused bool
}

func (*radioChoice) dialogKeys() {}

func (c *radioChoice) CreateRenderer() fyne.WidgetRenderer {
	icon := container.NewStack(c.focus, container.New(layout.NewCustomPaddedLayout(4, 4, 4, 4), c.icon))
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewCenter(icon), nil, c.label))
}

func (c *radioChoice) Refresh() {
	if c.index < len(c.radio.Options) {
		c.label.SetText(c.radio.Options[c.index])
		if c.radio.Options[c.index] == c.radio.Selected {
			c.icon.SetResource(theme.RadioButtonCheckedIcon())
		} else {
			c.icon.SetResource(theme.RadioButtonIcon())
		}
	}
	c.focus.FillColor = color.Transparent
	if c.focused {
		c.focus.FillColor = theme.Color(theme.ColorNameFocus)
	}
	c.focus.Refresh()
	c.BaseWidget.Refresh()
}

func (c *radioChoice) Tapped(*fyne.PointEvent) {
	if cv := fyne.CurrentApp().Driver().CanvasForObject(c); cv != nil && !fyne.CurrentDevice().IsMobile() {
		cv.Focus(c)
	}
	c.radio.SetSelected(c.radio.Options[c.index])
}

func (c *radioChoice) FocusGained() { c.focused = true; c.Refresh() }
func (c *radioChoice) FocusLost()   { c.focused = false; c.Refresh() }

func (c *radioChoice) TypedRune(r rune) {
	if r == ' ' {
		c.radio.SetSelected(c.radio.Options[c.index])
	}
}

func (c *radioChoice) TypedKey(k *fyne.KeyEvent) {
	step := 0
	switch k.Name {
	case fyne.KeyUp:
		step = -1
	case fyne.KeyDown:
		step = 1
	default:
		typedDialogKey(c, k, true)
		return
	}
	objs := c.radio.box.Objects
	if i := c.index + step; i >= 0 && i < len(objs) {
		if cv := fyne.CurrentApp().Driver().CanvasForObject(c); cv != nil {
			cv.Focus(objs[i].(*radioChoice))
		}
	}
}

// showDialog shows one of Fyne's stock dialogs (information, error,
// confirmation, custom with a dismiss button) with keyButtons in place of
// the buttons Fyne made, so a button given the focus with Tab still hears
// Esc. Fyne lays a dialog out as image, background, content, button row and
// title (dialog.create); only that row is touched, so the content's own
// widgets, and any reference to them, stay as they are.
func showDialog(d dialog.Dialog, w fyne.Window) {
	d.Show()
	pop, ok := w.Canvas().Overlays().Top().(*widget.PopUp)
	if !ok {
		return
	}
	parts, ok := pop.Content.(*fyne.Container)
	if !ok || len(parts.Objects) != 5 {
		return
	}
	if row, ok := parts.Objects[3].(*fyne.Container); ok {
		adoptButtons(row)
	}
}

// adoptButtons puts a keyButton in place of each plain button in the
// containers under o. Only for buttons nobody holds a reference to: Fyne's
// own, or those of a part built elsewhere (see keyedItem).
func adoptButtons(o fyne.CanvasObject) {
	c, ok := o.(*fyne.Container)
	if !ok {
		return
	}
	for i, o := range c.Objects {
		b, ok := o.(*widget.Button)
		if !ok {
			adoptButtons(o)
			continue
		}
		kb := newKeyButton(b.Text, b.Icon, b.OnTapped)
		kb.Importance, kb.Alignment, kb.IconPlacement = b.Importance, b.Alignment, b.IconPlacement
		if b.Disabled() {
			kb.Disable()
		}
		c.Objects[i] = kb
	}
	c.Refresh()
}

// keyedItem is a form line built outside the dialog's own code (Settings ▸
// Sync) with its plain buttons made keyButtons.
func keyedItem(it *widget.FormItem) *widget.FormItem {
	adoptButtons(it.Widget)
	return it
}

// showInformation is dialog.ShowInformation with keys.
func showInformation(title, message string, w fyne.Window) {
	showDialog(dialog.NewInformation(title, message, w), w)
}

// showErrorDialog is dialog.ShowError with keys.
func showErrorDialog(err error, w fyne.Window) { showDialog(dialog.NewError(err, w), w) }

// showCustom is dialog.ShowCustom with keys.
func showCustom(title, dismiss string, content fyne.CanvasObject, w fyne.Window) {
	showDialog(dialog.NewCustom(title, dismiss, content, w), w)
}

// The customer picker's search field keeps Esc (it closes the picker) and
// Enter (it takes the first match) for itself.
func (*searchEntry) dialogKeys() {}
