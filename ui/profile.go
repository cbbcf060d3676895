package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

// formDialog is a small form in a dialog with Save and Cancel. Save runs
// in the background; a validation problem is shown in the form, which stays
// open; success closes it and calls done.
type formDialog struct {
	u       *UI
	dlg     *dialog.CustomDialog
	message *widget.Label
	body    *fyne.Container
	save    *keyButton
	cancel  *keyButton
}

// newFormDialog builds the dialog. check runs on the UI goroutine: it reads
// the form into the value to save, or returns a message for the user when the
// input is not right. store then saves the value off the UI goroutine.
func (u *UI) newFormDialog(title string, form *widget.Form, width float32,
	check func() string, store func() error, done func()) *formDialog {
	fd := &formDialog{u: u}
	fd.message = widget.NewLabel("")
	fd.message.Importance = widget.DangerImportance
	fd.message.Wrapping = fyne.TextWrapWord
	fd.message.Hide()
	fd.cancel = newKeyButton("Cancel", nil, func() { fd.dlg.Hide() })
	fd.save = newKeyButton("Save", theme.DocumentSaveIcon(), func() {
		if msg := check(); msg != "" {
			fd.showMessage(msg)
			return
		}
		fd.message.Hide()
		fd.body.Refresh()
		fd.save.Disable()
		u.run(func() {
			err := store()
			u.do(func() {
				fd.save.Enable()
				if errors.Is(err, data.ErrInvalid) {
					fd.showMessage(capitalize(err.Error()))
					return
				}
				if err != nil {
					u.showError("Could not save", err)
					return
				}
				fd.dlg.Hide()
				done()
			})
		})
	})
	fd.save.Importance = widget.HighImportance
	fd.body = container.NewBorder(nil, fd.message, nil, nil, form)
	fd.dlg = dialog.NewCustomWithoutButtons(title, fd.body, u.win)
	fd.dlg.SetButtons([]fyne.CanvasObject{fd.cancel, fd.save})
	fd.dlg.Resize(fyne.NewSize(width, form.MinSize().Height+160))
	return fd
}

func (fd *formDialog) showMessage(msg string) {
	fd.message.SetText(msg)
	fd.message.Show()
	fd.body.Refresh() // lay out again around the message
}

// profileDialog adds or edits one part of a customer's personal profile: an
// item (a hobby, a team, ...), a family member or a pet.
type profileDialog struct {
	*formDialog
	part string // data.PartItem, PartFamily or PartPet

	category     *keySelect
	text         *formEntry // item text
	relation     *keySelect
	name         *formEntry // family member's or pet's name
	birthday     *formEntry
	species      *formEntry
	notes        *formEntry
	confidential *keyCheck
}

func newConfidentialCheck(on bool) *keyCheck {
	c := newKeyCheck("Confidential: they told me in confidence", nil)
	c.SetChecked(on)
	return c
}

// afterProfileChange shows the change; the list too, since the profile is
// searchable.
func (u *UI) afterProfileChange() {
	u.customer.reload()
}

// openItemDialog adds (it == nil) or edits a profile item of c.
func (u *UI) openItemDialog(c *data.Customer, it *data.ProfileItem) {
	if !u.guard.writable() {
		return
	}
	d := &profileDialog{part: data.PartItem}
	item := data.ProfileItem{CustomerID: c.ID, Category: data.CatHobby}
	title := "Add to " + c.Name() + "'s profile"
	if it != nil {
		item = *it
		title = "Edit " + c.Name() + "'s profile"
	}
	var labels []string
	for _, cat := range data.ProfileCategories {
		labels = append(labels, cat.Label)
	}
	d.category = newKeySelect(labels, nil)
	d.category.SetSelected(data.CategoryLabel(item.Category))
	d.text = newMultiLineEntry()
	d.text.Wrapping = fyne.TextWrapWord
	d.text.SetMinRowsVisible(3)
	d.text.SetPlaceHolder("What you learned, e.g. plays golf on Saturdays")
	d.text.SetText(item.Text)
	d.confidential = newConfidentialCheck(item.Confidential)
	form := widget.NewForm(
		widget.NewFormItem("Category", d.category),
		widget.NewFormItem("What", d.text),
		widget.NewFormItem("", d.confidential),
	)
	check := func() string {
		if trim(d.text.Text) == "" {
			return "Type what you learned about them."
		}
		item.Category = data.CatOther
		for _, cat := range data.ProfileCategories {
			if cat.Label == d.category.Selected {
				item.Category = cat.Key
			}
		}
		item.Text, item.Confidential = d.text.Text, d.confidential.Checked
		return ""
	}
	save := func() error { return u.store.SaveProfileItem(u.ctx, &item) }
	d.formDialog = u.newFormDialog(title, form, 560, check, save, u.afterProfileChange)
	u.profileDialog = d
	d.dlg.Show()
	u.win.Canvas().Focus(d.text)
}

// openFamilyDialog adds (f == nil) or edits a family member of c.
func (u *UI) openFamilyDialog(c *data.Customer, f *data.FamilyMember) {
	if !u.guard.writable() {
		return
	}
	d := &profileDialog{part: data.PartFamily}
	m := data.FamilyMember{CustomerID: c.ID, Relation: data.RelSpouse}
	title := "Add to " + c.Name() + "'s family"
	if f != nil {
		m = *f
		title = "Edit " + f.Name
	}
	var labels []string
	for _, r := range data.Relations {
		labels = append(labels, relationLabel(r))
	}
	d.relation = newKeySelect(labels, nil)
	d.relation.SetSelected(relationLabel(m.Relation))
	d.name = newEntry("")
	d.name.SetText(m.Name)
	d.birthday = newEntry("e.g. 3 May 2015, or 3 May")
	d.birthday.SetText(m.Birthday.String())
	d.birthday.Validator = func(s string) error {
		_, err := locale.ParseDate(s)
		return err
	}
	d.notes = newEntry("e.g. plays the violin")
	d.notes.SetText(m.Notes)
	d.confidential = newConfidentialCheck(m.Confidential)
	form := widget.NewForm(
		widget.NewFormItem("Relation", d.relation),
		widget.NewFormItem("Name", d.name),
		&widget.FormItem{Text: "Birthday", Widget: d.birthday, HintText: "Leave the year out if you do not know it."},
		widget.NewFormItem("Notes", d.notes),
		widget.NewFormItem("", d.confidential),
	)
	check := func() string {
		if trim(d.name.Text) == "" {
			return "A family member needs a name."
		}
		bday, err := locale.ParseDate(d.birthday.Text)
		if err != nil {
			return "Birthday: " + err.Error()
		}
		m.Relation = relationFromLabel(d.relation.Selected)
		m.Name, m.Birthday, m.Notes, m.Confidential = d.name.Text, bday, trim(d.notes.Text), d.confidential.Checked
		return ""
	}
	save := func() error { return u.store.SaveFamilyMember(u.ctx, &m) }
	d.formDialog = u.newFormDialog(title, form, 560, check, save, u.afterProfileChange)
	u.profileDialog = d
	d.dlg.Show()
	u.win.Canvas().Focus(d.name)
}

// openPetDialog adds (p == nil) or edits a pet of c.
func (u *UI) openPetDialog(c *data.Customer, p *data.Pet) {
	if !u.guard.writable() {
		return
	}
	d := &profileDialog{part: data.PartPet}
	pet := data.Pet{CustomerID: c.ID}
	title := "Add a pet of " + c.Name()
	if p != nil {
		pet = *p
		title = "Edit " + p.Name
	}
	d.name = newEntry("")
	d.name.SetText(pet.Name)
	d.species = newEntry("e.g. dog, cat, horse")
	d.species.SetText(pet.Species)
	d.notes = newEntry("")
	d.notes.SetText(pet.Notes)
	d.confidential = newConfidentialCheck(pet.Confidential)
	form := widget.NewForm(
		widget.NewFormItem("Name", d.name),
		widget.NewFormItem("Animal", d.species),
		widget.NewFormItem("Notes", d.notes),
		widget.NewFormItem("", d.confidential),
	)
	check := func() string {
		if trim(d.name.Text) == "" {
			return "A pet needs a name."
		}
		pet.Name, pet.Species, pet.Notes, pet.Confidential = d.name.Text, trim(d.species.Text), trim(d.notes.Text), d.confidential.Checked
		return ""
	}
	save := func() error { return u.store.SavePet(u.ctx, &pet) }
	d.formDialog = u.newFormDialog(title, form, 520, check, save, u.afterProfileChange)
	u.profileDialog = d
	d.dlg.Show()
	u.win.Canvas().Focus(d.name)
}
