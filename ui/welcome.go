package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// welcomeScreen is what a new user sees: the database is empty.
type welcomeScreen struct {
	u *UI

	root      fyne.CanvasObject
	addBtn    *widget.Button
	importBtn *widget.Button
	sampleBtn *widget.Button
	activity  *widget.Activity
}

func newWelcomeScreen(u *UI) *welcomeScreen { return &welcomeScreen{u: u} }

func (w *welcomeScreen) build() fyne.CanvasObject {
	if w.root != nil {
		return w.root
	}
	icon := canvas.NewImageFromResource(appIcon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(96, 96))

	title := widget.NewLabelWithStyle("Welcome to Rapport", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	intro := widget.NewLabelWithStyle("Keep every customer as a person: their family, pets and hobbies,\n"+
		"every visit and call, and what you promised them. It all stays on this computer.",
		fyne.TextAlignCenter, fyne.TextStyle{})

	w.addBtn = widget.NewButtonWithIcon("Add your first customer", theme.ContentAddIcon(), w.u.onNewCustomer)
	w.addBtn.Importance = widget.HighImportance
	// Most salespeople already have their customers in their phone.
	w.importBtn = widget.NewButtonWithIcon("Import contacts (.vcf)…", theme.UploadIcon(), w.u.importer.onOpen)
	w.sampleBtn = widget.NewButtonWithIcon("Load sample customers", theme.DownloadIcon(), w.u.onLoadSample)
	w.activity = widget.NewActivity()
	w.activity.Hide()

	tips := centred(muted("Ctrl+N  new customer   ·   Ctrl+I  import   ·   Ctrl+F  find   ·   Ctrl+L  log a visit or call   ·   Ctrl+Shift+N  add a note"))
	sampleHint := centred(muted("Export your contacts from your phone or mail program as a .vcf file and import it, or drop it on this window.\n" +
		"The sample is a dozen made-up customers to try things on; delete them when you are done."))
	tips.Wrapping, sampleHint.Wrapping = fyne.TextWrapOff, fyne.TextWrapOff

	buttons := container.NewHBox(layout.NewSpacer(), w.addBtn, w.importBtn, w.sampleBtn, w.activity, layout.NewSpacer())
	w.root = container.NewCenter(container.NewVBox(
		container.NewCenter(icon), title, intro,
		widget.NewLabel(""),
		buttons, sampleHint,
		widget.NewLabel(""),
		tips,
	))
	return w.root
}

// setLoading shows that the sample is being loaded and blocks a second click.
func (w *welcomeScreen) setLoading(on bool) {
	if w.sampleBtn == nil {
		return
	}
	if on {
		w.sampleBtn.Disable()
		w.addBtn.Disable()
		w.importBtn.Disable()
		w.activity.Show()
		w.activity.Start()
		return
	}
	w.activity.Stop()
	w.activity.Hide()
	w.sampleBtn.Enable()
	w.addBtn.Enable()
	w.importBtn.Enable()
}
