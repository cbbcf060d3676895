package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/ui/locale"
)

// dateEntry is a day typed in numbers or picked from a calendar. It stands
// in for Fyne's DateEntry, whose format comes from Fyne's own reading of the
// locale (month first under C.UTF-8, blind to LC_TIME and to the choice in
// Settings): this one writes and reads days as package locale does, like the
// rest of the window and the command line.
type dateEntry struct {
	widget.Entry

	// Date is the day typed or picked, midnight UTC; nil while the text is
	// not a day.
	Date *time.Time

	calendar *widget.Calendar
	popUp    *widget.PopUp
}

func newDateEntry() *dateEntry {
	e := &dateEntry{}
	e.ExtendBaseWidget(e)
	e.PlaceHolder = locale.Numeric(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC))
	e.Validator = func(s string) error {
		_, err := locale.ParseNumeric(s)
		return err
	}
	e.Entry.OnChanged = func(s string) {
		if t, err := locale.ParseNumeric(s); err == nil {
			e.Date = &t
		} else {
			e.Date = nil
		}
	}
	pick := newKeyButton("", theme.CalendarIcon(), e.showCalendar)
	pick.Importance = widget.LowImportance
	e.ActionItem = pick
	return e
}

func (*dateEntry) dialogKeys() {}

// TypedKey: Esc closes the calendar when it is open, else cancels the
// dialog; Enter saves it (see keys.go).
func (e *dateEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.popUp != nil && e.popUp.Visible() {
		e.popUp.Hide()
		return
	}
	if typedDialogKey(e, k, e.OnSubmitted == nil) {
		return
	}
	e.Entry.TypedKey(k)
}

// SetDate shows day (nil: none).
func (e *dateEntry) SetDate(day *time.Time) {
	if day == nil {
		e.Date = nil
		e.SetText("")
		return
	}
	d := *day
	e.SetText(locale.Numeric(d))
	e.Date = &d
}

func (e *dateEntry) showCalendar() {
	shown := time.Now()
	if e.Date != nil {
		shown = *e.Date
	}
	e.calendar = widget.NewCalendar(shown, func(t time.Time) {
		day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		e.SetDate(&day)
		if e.popUp != nil {
			e.popUp.Hide()
		}
	})
	d := fyne.CurrentApp().Driver()
	e.popUp = widget.NewPopUp(e.calendar, d.CanvasForObject(e))
	at := d.AbsolutePositionForObject(e).Add(fyne.NewPos(0, e.Size().Height))
	e.popUp.ShowAtPosition(at)
	e.popUp.Resize(fyne.NewSize(max(e.Size().Width, e.popUp.MinSize().Width), e.popUp.MinSize().Height))
}
