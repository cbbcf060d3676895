package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// undoBar offers to take back the last one-click change, like a follow-up
// marked done or snoozed: those buttons do not ask first, so a slip of the
// mouse must be as quick to repair. It stays until the next change, Undo or
// its close button.
type undoBar struct {
	u *UI

	root    *fyne.Container
	bg      *canvas.Rectangle
	label   *widget.Label
	undoBtn *widget.Button
	close   *widget.Button

	undo       func() error // takes the change back (off the UI goroutine)
	customerID int64        // whose follow-ups it changed
}

func newUndoBar(u *UI) *undoBar { return &undoBar{u: u} }

func (b *undoBar) build() fyne.CanvasObject {
	b.label = widget.NewLabel("")
	b.label.Wrapping = fyne.TextWrapWord // the whole text: it says what Undo would bring back
	b.undoBtn = widget.NewButtonWithIcon("Undo", theme.ContentUndoIcon(), b.onUndo)
	b.close = widget.NewButtonWithIcon("", theme.CancelIcon(), b.hide)
	b.close.Importance = widget.LowImportance
	b.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	b.bg.CornerRadius = theme.InputRadiusSize()
	// Centred, so that the buttons keep their height when the text wraps.
	row := container.NewBorder(nil, nil, container.NewCenter(widget.NewIcon(theme.InfoIcon())),
		container.NewCenter(container.NewHBox(b.undoBtn, b.close)), b.label)
	b.root = container.NewStack(b.bg, container.NewPadded(row))
	b.root.Hide()
	return b.root
}

// show says what was just done to customer id's follow-ups; Undo calls undo.
func (b *undoBar) show(what string, customerID int64, undo func() error) {
	b.undo, b.customerID = undo, customerID
	b.label.SetText(what)
	b.bg.FillColor = theme.Color(theme.ColorNameInputBackground) // the theme may have changed
	b.root.Show()
	b.root.Refresh()
}

func (b *undoBar) hide() {
	b.undo = nil
	b.root.Hide()
}

// shown reports whether the bar offers an undo.
func (b *undoBar) shown() bool { return b.undo != nil && b.root.Visible() }

// onUndo (Ctrl+Z) takes back what the undo bar on screen offers, if any.
func (u *UI) onUndo() {
	if !u.guard.writable() {
		return
	}
	var b *undoBar
	switch {
	case u.showing != u.split:
		return
	case u.pane == paneToday:
		b = u.today.undo
	case u.pane == paneCustomer:
		b = u.customer.plan.undo
	}
	if b != nil && b.shown() {
		b.onUndo()
	}
}

func (b *undoBar) onUndo() {
	undo, id := b.undo, b.customerID
	if undo == nil {
		return
	}
	b.hide() // a second click must not undo twice
	b.u.save("Could not undo", undo, func() { b.u.followUpsChanged(id) })
}
