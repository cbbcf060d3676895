package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/engine"
)

// conflictsDialog lists the sync conflicts: a field changed here and on the
// server to different values. Each shows both values side by side; the user
// keeps one, and the next sync sends the choice. Until then both are kept.
type conflictsDialog struct {
	u       *UI
	dlg     *dialog.CustomDialog
	box     *fyne.Container
	shown   bool
	seq     int
	list    []engine.Conflict
	settled int // in this opening: the next sync sends them

	// The buttons of each conflict shown, by its ID (tests tap them).
	keepMine, keepTheirs map[int64]*keyButton
}

// onConflicts opens the conflicts dialog.
func (u *UI) onConflicts() {
	if u.conflicts == nil {
		u.conflicts = &conflictsDialog{u: u}
	}
	u.conflicts.show()
}

func (d *conflictsDialog) open() bool { return d.shown }

func (d *conflictsDialog) show() {
	if d.shown {
		return
	}
	d.box = container.NewVBox(widget.NewLabel("Reading the conflicts…"))
	scroll := container.NewVScroll(d.box)
	closeBtn := newKeyButton("Close", nil, func() { d.dlg.Hide() })
	d.dlg = dialog.NewCustomWithoutButtons("Sync conflicts", scroll, d.u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{closeBtn})
	d.dlg.SetOnClosed(d.onClosed)
	d.dlg.Resize(fyne.NewSize(780, 520))
	d.shown, d.settled = true, 0
	d.dlg.Show()
	d.load()
}

func (d *conflictsDialog) onClosed() {
	d.shown = false
	if d.settled > 0 {
		d.u.sync.start(false) // send the choices now rather than in a few minutes
	}
}

// load reads the open conflicts and shows them.
func (d *conflictsDialog) load() {
	d.seq++
	seq, st := d.seq, d.u.store
	d.u.run(func() {
		list, err := engine.Conflicts(d.u.ctx, st)
		d.u.do(func() {
			if seq != d.seq || !d.shown {
				return
			}
			if err != nil {
				d.u.showError("Could not read the sync conflicts", err)
				return
			}
			d.list = list
			d.render()
		})
	})
}

func (d *conflictsDialog) render() {
	d.keepMine, d.keepTheirs = map[int64]*keyButton{}, map[int64]*keyButton{}
	var rows []fyne.CanvasObject
	if len(d.list) == 0 {
		msg := "No conflicts: everything changed on both sides was merged."
		if d.settled > 0 {
			msg = "All conflicts are settled. The next sync sends your choices to the server."
		}
		rows = append(rows, widget.NewLabel(msg))
	} else {
		intro := widget.NewLabel("These fields were changed here and on the server to different values. " +
			"Both are kept until you choose; the next sync sends your choice.")
		intro.Wrapping = fyne.TextWrapWord
		rows = append(rows, intro)
	}
	for _, c := range d.list {
		rows = append(rows, widget.NewSeparator(), d.row(c))
	}
	d.box.Objects = rows
	d.box.Refresh()
}

// row is one conflict: who, which field, both values, the two choices.
func (d *conflictsDialog) row(c engine.Conflict) fyne.CanvasObject {
	name := c.Name
	if name == "" {
		name = "A customer"
	}
	title := widget.NewLabelWithStyle(name+" — "+fieldLabel(c.Field), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	side := func(head, value string) fyne.CanvasObject {
		h := widget.NewLabelWithStyle(head, fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
		if value == "" {
			value = "(empty)"
		}
		v := widget.NewLabel(value)
		v.Wrapping = fyne.TextWrapWord
		return container.NewVBox(h, v)
	}
	values := container.NewGridWithColumns(2, side("Here (mine)", c.Mine), side("On the server (theirs)", c.Theirs))
	mine := newKeyButton("Keep mine", nil, func() { d.resolve(c, engine.KeepMine) })
	theirs := newKeyButton("Keep theirs", nil, func() { d.resolve(c, engine.KeepTheirs) })
	d.keepMine[c.ID], d.keepTheirs[c.ID] = mine, theirs
	buttons := container.NewHBox(layout.NewSpacer(), mine, theirs)
	return container.NewVBox(title, values, buttons)
}

// fieldLabel names a field of the merge in words.
func fieldLabel(f string) string {
	switch f {
	case data.FieldDeleted:
		return "deleted here, changed on the server"
	case "company":
		return "company and department"
	case "title":
		return "job title"
	case "note":
		return "card note"
	case data.FieldStart:
		return "time of the visit"
	case data.FieldMinutes:
		return "length of the visit"
	case data.FieldPurpose:
		return "purpose of the visit"
	case data.FieldAlarm:
		return "reminder"
	case data.FieldDue:
		return "due date"
	case data.FieldDone:
		return "done"
	case data.FieldAt:
		return "time"
	case data.FieldTemperature:
		return "temperature"
	case data.FieldHeard:
		return "what I heard"
	case data.FieldRank:
		return "rank"
	}
	return strings.ReplaceAll(f, "_", " ")
}

// resolve keeps one side of conflict c, then shows what is left.
func (d *conflictsDialog) resolve(c engine.Conflict, keep engine.Keep) {
	if !d.u.guard.writable() {
		return
	}
	d.keepMine[c.ID].Disable()
	d.keepTheirs[c.ID].Disable()
	st := d.u.store
	d.u.run(func() {
		err := engine.Resolve(d.u.ctx, st, c.ID, keep)
		d.u.do(func() {
			if err != nil {
				d.u.showError(fmt.Sprintf("Could not settle the conflict on %s", c.Name), err)
			} else {
				d.settled++
			}
			d.load()
			d.u.sync.refresh()
			d.u.afterSync() // keeping theirs changes the customer here
		})
	})
}
