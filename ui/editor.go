package ui

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/engine"
	"github.com/rapportcrm/rapport/data/vcard"
	"github.com/rapportcrm/rapport/ui/locale"
)

// customerEditor is the form that adds a customer or edits their contact
// card. Problems with what was typed are shown in the form, which stays open.
type customerEditor struct {
	u    *UI
	orig *data.Customer // nil: a new customer

	given, family, nickname *formEntry
	company, title          *formEntry
	phones, emails          *labelledRows
	addrLabel               *keySelectEntry
	street, city, postcode  *formEntry
	region, country         *formEntry
	birthday                *formEntry
	tags                    *formEntry
	cardNote                *formEntry

	// The photo as it will be saved; photoBox previews it.
	photo                    data.Photo
	photoBox                 *fyne.Container
	choosePhoto, removePhoto *keyButton

	message      *widget.Label // what is wrong, in the form
	body         *fyne.Container
	save, cancel *keyButton
	dlg          *dialog.CustomDialog
}

// openEditor shows the customer form: empty for c == nil, else filled in.
func (u *UI) openEditor(c *data.Customer) {
	if !u.guard.writable() {
		return
	}
	e := &customerEditor{u: u, orig: c}
	u.editor = e
	title := "New customer"
	if c != nil {
		title = "Edit " + c.Name()
	}
	e.dlg = dialog.NewCustomWithoutButtons(title, e.build(), u.win)
	e.dlg.SetButtons([]fyne.CanvasObject{e.cancel, e.save})
	// The form scrolls: the dialog stays inside a window sized for a laptop.
	e.dlg.Resize(fyne.NewSize(680, min(720, u.win.Canvas().Size().Height-40)))
	e.dlg.Show()
	u.win.Canvas().Focus(e.given)
}

// newEntry is a one-line field of a form: Enter saves, Esc cancels.
func newEntry(placeholder string) *formEntry {
	e := newFormEntry(false)
	e.SetPlaceHolder(placeholder)
	return e
}

// newMultiLineEntry is a multi-line field of a form: Ctrl+Enter saves.
func newMultiLineEntry() *formEntry { return newFormEntry(true) }

func (e *customerEditor) build() fyne.CanvasObject {
	e.given = newEntry("")
	e.family = newEntry("")
	e.nickname = newEntry("what they like to be called")
	e.company = newEntry("")
	e.title = newEntry("")
	e.phones = newLabelledRows("phone", "number", []string{"mobile", "work", "home", "other"})
	e.emails = newLabelledRows("e-mail", "address", []string{"work", "home", "other"})
	e.addrLabel = newKeySelectEntry([]string{"work", "home", "other"})
	e.addrLabel.SetPlaceHolder("label")
	e.street = newEntry("street and number")
	e.city = newEntry("city")
	e.postcode = newEntry("postcode")
	e.region = newEntry("region")
	e.country = newEntry("country")
	e.birthday = newEntry("e.g. 15 April 1975, or " + locale.Current().Yearless() + " without the year")
	e.birthday.Validator = func(s string) error {
		_, err := e.parseBirthday(s)
		return err
	}
	e.tags = newEntry("e.g. golf, key account")
	e.cardNote = newMultiLineEntry()
	e.cardNote.SetPlaceHolder("Anything that belongs on their card")
	e.cardNote.Wrapping = fyne.TextWrapWord
	e.cardNote.SetMinRowsVisible(3)

	e.photoBox = container.NewGridWrap(fyne.NewSize(96, 96))
	e.choosePhoto = newKeyButton("Choose photo…", theme.FolderOpenIcon(), e.onChoosePhoto)
	e.removePhoto = newKeyButton("Remove photo", theme.DeleteIcon(), e.onRemovePhoto)
	e.removePhoto.Importance = widget.LowImportance

	if c := e.orig; c != nil {
		e.photo = c.Photo
		e.given.SetText(c.GivenName)
		e.family.SetText(c.FamilyName)
		e.nickname.SetText(c.Nickname)
		e.company.SetText(c.Company)
		e.title.SetText(c.Title)
		e.phones.set(c.Phones)
		e.emails.set(c.Emails)
		if len(c.Addresses) > 0 {
			a := c.Addresses[0]
			e.addrLabel.SetText(a.Label)
			e.street.SetText(a.Street)
			e.city.SetText(a.Locality)
			e.postcode.SetText(a.Postcode)
			e.region.SetText(a.Region)
			e.country.SetText(a.Country)
		}
		e.birthday.SetText(c.Birthday.String())
		e.tags.SetText(strings.Join(c.Tags, ", "))
		e.cardNote.SetText(c.CardNote)
	} else {
		e.phones.set(nil)
		e.emails.set(nil)
	}

	e.message = widget.NewLabel("")
	e.message.Importance = widget.DangerImportance
	e.message.Wrapping = fyne.TextWrapWord
	e.message.Hide()
	e.save = newKeyButton("Save", theme.DocumentSaveIcon(), e.onSave)
	e.save.Importance = widget.HighImportance
	e.cancel = newKeyButton("Cancel", nil, func() { e.dlg.Hide() })

	address := container.NewVBox(
		container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(120, e.street.MinSize().Height), e.addrLabel), nil, e.street),
		container.NewGridWithColumns(2, e.postcode, e.city),
		container.NewGridWithColumns(2, e.region, e.country),
	)
	bdayItem := widget.NewFormItem("Birthday", e.birthday)
	bdayItem.HintText = "Leave the year out if you do not know it; their age is shown when you do."
	e.showPhoto()
	photo := container.NewHBox(e.photoBox, container.NewVBox(e.choosePhoto, e.removePhoto))
	form := widget.NewForm(
		&widget.FormItem{Text: "Photo", Widget: photo, HintText: "A PNG or JPEG picture; large ones are made smaller."},
		widget.NewFormItem("Given name", e.given),
		widget.NewFormItem("Family name", e.family),
		&widget.FormItem{Text: "Nickname", Widget: e.nickname, HintText: "How they like to be addressed."},
		widget.NewFormItem("Company", e.company),
		widget.NewFormItem("Title", e.title),
		widget.NewFormItem("Phones", e.phones.box),
		widget.NewFormItem("E-mails", e.emails.box),
		widget.NewFormItem("Address", address),
		bdayItem,
		&widget.FormItem{Text: "Tags", Widget: e.tags, HintText: "Separate them with commas."},
		widget.NewFormItem("Card note", e.cardNote),
	)
	e.given.OnSubmitted = func(string) { e.onSave() }
	e.family.OnSubmitted = func(string) { e.onSave() }
	e.body = container.NewBorder(nil, e.message, nil, nil, container.NewVScroll(form))
	return e.body
}

// customer builds the customer from the form, keeping what the form does not
// show (middle name, links, other addresses, ...) from the original.
func (e *customerEditor) customer() (*data.Customer, error) {
	c := &data.Customer{}
	if e.orig != nil {
		cp := *e.orig
		c = &cp
	}
	given, family := strings.TrimSpace(e.given.Text), strings.TrimSpace(e.family.Text)
	if e.orig != nil && (given != e.orig.GivenName || family != e.orig.FamilyName) {
		c.FormattedName = "" // the name changed: show the new one
	}
	c.GivenName, c.FamilyName = given, family
	c.Nickname = strings.TrimSpace(e.nickname.Text)
	c.Company = strings.TrimSpace(e.company.Text)
	c.Title = strings.TrimSpace(e.title.Text)
	c.Phones = e.phones.values()
	c.Emails = e.emails.values()
	addr := data.Address{Label: strings.TrimSpace(e.addrLabel.Text), Street: e.street.Text, Locality: e.city.Text,
		Postcode: e.postcode.Text, Region: e.region.Text, Country: e.country.Text}
	var rest []data.Address
	if e.orig != nil && len(e.orig.Addresses) > 0 {
		addr.Card = e.orig.Addresses[0].Card // its group goes with it, edited or not
		rest = e.orig.Addresses[1:]
	}
	c.Addresses = append([]data.Address{addr}, rest...)
	c.Tags = nil
	for _, t := range strings.Split(e.tags.Text, ",") {
		if t = strings.TrimSpace(t); t != "" {
			c.Tags = append(c.Tags, t)
		}
	}
	c.CardNote = strings.TrimSpace(e.cardNote.Text)
	c.Photo = e.photo

	if c.GivenName == "" && c.FamilyName == "" && c.Nickname == "" && c.Company == "" {
		e.u.win.Canvas().Focus(e.given)
		return nil, errors.New("A customer needs a name: type at least a given or family name (or their company).")
	}
	bday, err := e.parseBirthday(e.birthday.Text)
	if err != nil {
		e.u.win.Canvas().Focus(e.birthday)
		return nil, errors.New("Birthday: " + err.Error())
	}
	c.Birthday = bday
	if c.FormattedName == "" && c.NameFromParts() == "" && c.Nickname != "" {
		c.FormattedName = c.Nickname // only a nickname: that is their name here
	}
	vcard.Refresh(c) // an edited phone keeps its group, in the form the server will hand back
	return c, nil
}

// showPhoto previews the photo, or a placeholder when there is none (or only
// a link to one, which Rapport never fetches).
func (e *customerEditor) showPhoto() {
	e.photoBox.Objects = []fyne.CanvasObject{photoImage(e.photo)}
	e.photoBox.Refresh()
	if e.photo.Empty() {
		e.removePhoto.Disable()
	} else {
		e.removePhoto.Enable()
	}
}

// onChoosePhoto (Choose photo…) asks for a PNG or JPEG file.
func (e *customerEditor) onChoosePhoto() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			e.u.showError("Could not open the photo", err)
			return
		}
		if r == nil {
			return // cancelled
		}
		e.readPhoto(r, r.URI().Name())
	}, e.u.win)
	d.SetFilter(photoFilter)
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

var photoFilter = storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg"})

// readPhoto loads the picture in r (from the file called name) off the UI
// goroutine, scaling it down, and closes r. The photo is saved with Save.
func (e *customerEditor) readPhoto(r io.ReadCloser, name string) {
	e.choosePhoto.Disable()
	e.u.run(func() {
		p, err := photoFrom(r)
		r.Close()
		e.u.do(func() {
			e.choosePhoto.Enable()
			if err != nil {
				// The user's file, not Rapport's failure: nothing to log.
				showErrorDialog(fmt.Errorf("“%s” cannot be used as a photo: %v.\n\nChoose a PNG or JPEG picture.", name, err), e.u.win)
				return
			}
			e.photo = p
			e.showPhoto()
		})
	})
}

// onRemovePhoto (Remove photo) takes the photo off the card when saved.
func (e *customerEditor) onRemovePhoto() {
	e.photo = data.Photo{}
	e.showPhoto()
}

func (e *customerEditor) showMessage(msg string) {
	e.message.SetText(msg)
	e.message.Show()
	e.body.Refresh() // lay out again around the message
}

func (e *customerEditor) hideMessage() {
	e.message.Hide()
	e.body.Refresh()
}

func (e *customerEditor) onSave() {
	c, err := e.customer()
	if err != nil {
		e.showMessage(err.Error())
		return
	}
	e.hideMessage()
	e.save.Disable()
	u := e.u
	u.run(func() {
		var err error
		if c.ID == 0 {
			err = u.store.CreateCustomer(u.ctx, c)
		} else {
			// A sync may have changed the customer while the form was open:
			// keep what it brought in the fields the user did not touch.
			if now, gerr := u.store.Customer(u.ctx, c.ID); gerr == nil && e.orig != nil {
				c = engine.MergeEdit(e.orig, c, now)
			}
			err = u.store.UpdateCustomer(u.ctx, c)
		}
		u.do(func() {
			e.save.Enable()
			if errors.Is(err, data.ErrInvalid) {
				e.showMessage(capitalize(err.Error()))
				return
			}
			if err != nil {
				u.showError("Could not save "+c.Name(), err)
				return
			}
			e.dlg.Hide()
			u.customerChanged(c.ID)
		})
	})
}

// labelledRows edits a list of labelled values (phones, e-mails): one row
// each with a label, the value and a remove button, and an "Add" button.
type labelledRows struct {
	what, placeholder string
	labels            []string
	rows              []*labelledRow
	list              *fyne.Container
	box               *fyne.Container
}

type labelledRow struct {
	label *keySelectEntry
	value *formEntry
	pref  bool   // kept from the card: the preferred number or address
	card  string // kept from the card: its group as another client wrote it (data.Labelled.Card)
	obj   fyne.CanvasObject
}

func newLabelledRows(what, placeholder string, labels []string) *labelledRows {
	r := &labelledRows{what: what, placeholder: placeholder, labels: labels}
	r.list = container.NewVBox()
	add := newKeyButton("Add "+what, theme.ContentAddIcon(), func() { r.add(data.Labelled{Label: labels[0]}) })
	add.Importance = widget.LowImportance
	r.box = container.NewVBox(r.list, container.NewHBox(add, layout.NewSpacer()))
	return r
}

// set replaces the rows; there is always at least one, empty, to type in.
func (r *labelledRows) set(values []data.Labelled) {
	r.rows = nil
	r.list.Objects = nil
	for _, v := range values {
		r.add(v)
	}
	if len(values) == 0 {
		r.add(data.Labelled{Label: r.labels[0]})
	}
}

func (r *labelledRows) add(v data.Labelled) {
	row := &labelledRow{label: newKeySelectEntry(r.labels), value: newEntry(r.placeholder), pref: v.Pref, card: v.Card}
	row.label.SetText(v.Label)
	row.value.SetText(v.Value)
	remove := newKeyButton("", theme.ContentRemoveIcon(), func() { r.remove(row) })
	remove.Importance = widget.LowImportance
	row.obj = container.NewBorder(nil, nil,
		container.NewGridWrap(fyne.NewSize(120, row.value.MinSize().Height), row.label), remove, row.value)
	r.rows = append(r.rows, row)
	r.list.Add(row.obj)
}

func (r *labelledRows) remove(row *labelledRow) {
	for i, x := range r.rows {
		if x == row {
			r.rows = append(r.rows[:i], r.rows[i+1:]...)
			break
		}
	}
	r.list.Remove(row.obj)
	if len(r.rows) == 0 {
		r.add(data.Labelled{Label: r.labels[0]})
	}
}

func (r *labelledRows) values() []data.Labelled {
	var out []data.Labelled
	for _, row := range r.rows {
		if v := strings.TrimSpace(row.value.Text); v != "" {
			out = append(out, data.Labelled{Label: strings.TrimSpace(row.label.Text), Value: v, Pref: row.pref, Card: row.card})
		}
	}
	return out
}

// parseBirthday reads the birthday entry. A birthday in words that came
// on a card ("circa 1800") is kept while the entry still says it; a typed
// one must be a date.
func (e *customerEditor) parseBirthday(s string) (data.Date, error) {
	if e.orig != nil && e.orig.Birthday.IsText() && strings.TrimSpace(s) == e.orig.Birthday.Text {
		return e.orig.Birthday, nil
	}
	return locale.ParseDate(s)
}
