package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
)

// noteDialog adds a dated personal note about a customer.
type noteDialog struct {
	*formDialog
	text         *widget.Entry
	confidential *widget.Check
}

// openNoteDialog asks for a note about c.
func (u *UI) openNoteDialog(c *data.Customer) {
	d := &noteDialog{}
	n := data.Note{CustomerID: c.ID}
	d.text = widget.NewMultiLineEntry()
	d.text.Wrapping = fyne.TextWrapWord
	d.text.SetMinRowsVisible(6)
	d.text.SetPlaceHolder("What did they tell you? What did you promise?")
	d.confidential = newConfidentialCheck(false)
	form := widget.NewForm(
		widget.NewFormItem("Note", d.text),
		widget.NewFormItem("", d.confidential),
	)
	check := func() string {
		if trim(d.text.Text) == "" {
			return "Type your note first."
		}
		n.Text, n.Confidential, n.At = d.text.Text, d.confidential.Checked, now()
		return ""
	}
	save := func() error { return u.store.AddNote(u.ctx, &n) }
	done := func() {
		if u.customer.id == c.ID { // not when added from Today for someone not on screen
			u.customer.tabs.Select(u.customer.notesTab)
			u.customer.reload()
		}
	}
	d.formDialog = u.newFormDialog("Note about "+c.Name(), form, 560, check, save, done)
	u.noteDialog = d
	d.dlg.Show()
	u.win.Canvas().Focus(d.text)
}
