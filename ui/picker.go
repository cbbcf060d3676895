package ui

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
)

// pickLimit is how many customers the picker lists: type more to narrow.
const pickLimit = 50

// customerPicker asks whom an action is for when nobody is on screen, as on
// Today: Ctrl+L there should not log with a customer the user cannot see.
// Type a few letters; Enter takes the first match, a click any.
type customerPicker struct {
	u    *UI
	then func(id int64)

	dlg     dialog.Dialog
	search  *searchEntry
	list    *keyList
	status  *widget.Label
	results []data.CustomerSummary
	query   string // the search results shows
	seq     int
	// pickFirst: Enter was pressed before the matches for the text arrived;
	// take the first of them when they do, not a stale one now.
	pickFirst bool
}

// pickCustomer asks which customer title is about, then calls then with them.
func (u *UI) pickCustomer(title string, then func(id int64)) {
	if u.showing != u.split {
		showInformation("No customers yet", "Add a customer first (Ctrl+N), or load the sample customers.", u.win)
		return
	}
	p := &customerPicker{u: u, then: then, query: "\x00"} // no search shown yet
	p.search = newSearchEntry()
	p.search.SetPlaceHolder("Type a name or company")
	p.search.onEscape = func() { p.dlg.Hide() } // the field has the focus, so the dialog would not see Esc
	p.search.OnChanged = func(string) { p.find() }
	p.search.OnSubmitted = func(string) { p.onSubmitted() }
	p.list = newKeyList(func() int { return len(p.results) }, p.createRow, p.updateRow)
	p.list.OnSelected = func(i widget.ListItemID) {
		if i < len(p.results) {
			p.pick(p.results[i].ID)
		}
	}
	p.status = widget.NewLabel("")
	p.status.Importance = widget.LowImportance
	content := container.NewBorder(p.search, p.status, nil, nil, p.list)
	p.dlg = dialog.NewCustom(title, "Cancel", content, u.win)
	p.dlg.Resize(fyne.NewSize(480, 460))
	p.dlg.SetOnClosed(func() {
		p.seq++ // cancelled: a search still running must not pick
		p.pickFirst = false
	})
	u.picker = p
	showDialog(p.dlg, u.win)
	u.win.Canvas().Focus(p.search)
	p.find()
}

func (p *customerPicker) createRow() fyne.CanvasObject { return newNameRow("Company") }

func (p *customerPicker) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(p.results) {
		return
	}
	cs := p.results[i]
	objs := o.(*fyne.Container).Objects
	objs[0].(*widget.Label).SetText(cs.Name)
	setMuted(objs[1].(*widget.RichText), joinNonEmpty(" · ", cs.Company, cs.Title))
}

// find lists the customers matching the text typed, everyone by name when
// there is none.
func (p *customerPicker) find() {
	p.seq++
	seq, q := p.seq, trim(p.search.Text)
	p.u.run(func() {
		var rows []data.CustomerSummary
		var err error
		if q == "" {
			rows, err = p.u.store.ListCustomers(p.u.ctx, 0, pickLimit)
		} else {
			rows, err = p.u.store.Search(p.u.ctx, q, pickLimit)
		}
		p.u.do(func() {
			if seq != p.seq {
				return
			}
			if errors.Is(err, data.ErrQueryTooLong) {
				p.results = nil
				p.list.Refresh()
				p.status.SetText(capitalize(err.Error()))
				return
			}
			if err != nil {
				p.u.showError("Could not search the customers", err)
				return
			}
			p.results, p.query = rows, q
			p.list.UnselectAll()
			p.list.Refresh()
			p.list.ScrollToTop()
			switch {
			case len(rows) == 0:
				p.status.SetText(fmt.Sprintf("Nobody matches “%s”", q))
			case q == "":
				p.status.SetText("Type to find a customer; Enter takes the first")
			default:
				p.status.SetText("Enter takes " + rows[0].Name)
			}
			if p.pickFirst && len(rows) > 0 {
				p.pick(rows[0].ID)
			}
			p.pickFirst = false
		})
	})
}

// onSubmitted (Enter) takes the first match of what is typed.
func (p *customerPicker) onSubmitted() {
	if trim(p.search.Text) != p.query {
		p.pickFirst = true // its matches are on their way
		return
	}
	if len(p.results) > 0 {
		p.pick(p.results[0].ID)
	}
}

func (p *customerPicker) pick(id int64) {
	p.seq++ // a search still running must not pick again
	p.pickFirst = false
	p.dlg.Hide()
	p.then(id)
}

// withCustomer loads customer id and their open concerns, then calls fn on
// the UI goroutine: for the dialogs opened for a customer who is not on
// screen.
func (u *UI) withCustomer(id int64, fn func(c *data.Customer, concerns []data.Concern)) {
	u.run(func() {
		c, err := u.store.Customer(u.ctx, id)
		var open []data.Concern
		if err == nil {
			open, err = u.store.Concerns(u.ctx, id, false)
		}
		u.do(func() {
			if err != nil {
				u.showError("Could not load the customer", err)
				return
			}
			fn(c, open)
		})
	})
}
