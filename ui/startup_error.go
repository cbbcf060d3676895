package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/assets"
)

// ShowStartupError shows why the database could not be opened, in a window
// of its own, and returns when the user closes it: a double-clicked app has
// no terminal to print to.
func ShowStartupError(a fyne.App, err error) {
	w := a.NewWindow("Rapport cannot start")
	w.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	msg := widget.NewLabel(err.Error())
	msg.Wrapping = fyne.TextWrapWord
	quit := widget.NewButton("Quit", a.Quit)
	quit.Importance = widget.HighImportance
	w.SetContent(container.NewBorder(nil, container.NewCenter(quit), nil, nil,
		container.NewVBox(widget.NewLabelWithStyle("Rapport could not open its database", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), msg)))
	w.Resize(fyne.NewSize(560, 220))
	w.ShowAndRun()
}
