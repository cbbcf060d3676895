package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
)

// noteDialog adds a dated personal note about a customer, or edits one.
type noteDialog struct {
	*formDialog
	text         *formEntry
	confidential *keyCheck
}

// openNoteDialog asks for a new note about c, or with old edits that note.
func (u *UI) openNoteDialog(c *data.Customer, old *data.Note) {
	if !u.guard.writable() {
		return
	}
	d := &noteDialog{}
	n := data.Note{CustomerID: c.ID}
	title := "Note about " + c.Name()
	if old != nil {
		n, title = *old, "Edit note about "+c.Name()
	}
	d.text = newMultiLineEntry()
	d.text.Wrapping = fyne.TextWrapWord
	d.text.SetMinRowsVisible(6)
	d.text.SetPlaceHolder("What did they tell you? What did you promise?")
	d.text.SetText(n.Text)
	d.confidential = newConfidentialCheck(n.Confidential)
	form := widget.NewForm(
		widget.NewFormItem("Note", d.text),
		widget.NewFormItem("", d.confidential),
	)
	check := func() string {
		if trim(d.text.Text) == "" {
			return "Type your note first."
		}
		n.Text, n.Confidential = d.text.Text, d.confidential.Checked
		return ""
	}
	save := func() error {
		if n.ID != 0 {
			return u.store.UpdateNote(u.ctx, &n)
		}
		n.At = now()
		return u.store.AddNote(u.ctx, &n)
	}
	done := func() {
		if u.customer.id == c.ID { // not when added from Today for someone not on screen
			u.customer.tabs.Select(u.customer.notesTab)
			u.customer.reload()
		}
	}
	d.formDialog = u.newFormDialog(title, form, 560, check, save, done)
	u.noteDialog = d
	d.dlg.Show()
	u.win.Canvas().Focus(d.text)
}
