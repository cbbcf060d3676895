package ui

import (
	"errors"
	"fmt"
	"maps"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
)

// chooserCap bounds one search's rows in the chooser: enough to scroll
// through, small enough to load at once; typing narrows it.
const chooserCap = 1000

// customerChooser is a dialog for ticking customers: a search box over a
// virtualised list of checks. Ticks survive searching, so people can be
// gathered from several searches. Done hands the ticked customers over;
// Cancel leaves the selection as it was.
type customerChooser struct {
	u      *UI
	chosen map[int64]data.CustomerSummary // a working copy

	search *formEntry
	list   *keyList
	count  *widget.Label // "3 chosen"
	status *widget.Label // "First 1,000: type more"
	dlg    *dialog.ConfirmDialog

	rows []data.CustomerSummary
	seq  int // drops the results of searches overtaken by newer ones
}

// newCustomerChooser opens the chooser on chosen (which it does not change);
// done receives the new selection when the user presses Done.
func newCustomerChooser(u *UI, chosen map[int64]data.CustomerSummary, done func(map[int64]data.CustomerSummary)) *customerChooser {
	c := &customerChooser{u: u, chosen: maps.Clone(chosen)}
	if c.chosen == nil {
		c.chosen = map[int64]data.CustomerSummary{}
	}
	c.search = newEntry("")
	c.search.SetPlaceHolder("Search: name, company, anything you wrote")
	c.search.OnChanged = c.onSearchChanged
	c.list = newKeyList(func() int { return len(c.rows) }, c.createRow, c.updateRow)
	c.count = widget.NewLabel("")
	c.count.TextStyle.Bold = true
	c.status = widget.NewLabel("")
	c.status.Importance = widget.LowImportance
	c.showCount()

	content := container.NewBorder(c.search, container.NewBorder(nil, nil, c.count, c.status), nil, nil, c.list)
	c.dlg = dialog.NewCustomConfirm("Choose customers to export", "Done", "Cancel", content, func(ok bool) {
		if ok {
			done(c.chosen)
		}
	}, u.win)
	c.dlg.Resize(fyne.NewSize(520, 560))
	showDialog(c.dlg, u.win)
	u.win.Canvas().Focus(c.search)
	c.load("")
	return c
}

func (c *customerChooser) createRow() fyne.CanvasObject {
	return newKeyCheck("", nil)
}

func (c *customerChooser) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(c.rows) {
		return
	}
	cs := c.rows[i]
	check := o.(*keyCheck)
	check.OnChanged = nil // the row is reused: setting its state is no tick
	check.Text = joinNonEmpty(" · ", cs.Name, cs.Company)
	_, on := c.chosen[cs.ID]
	check.SetChecked(on)
	check.OnChanged = func(on bool) { c.setChosen(cs, on) }
	check.Refresh() // the text, which SetChecked alone does not redraw
}

// setChosen ticks or unticks a customer.
func (c *customerChooser) setChosen(cs data.CustomerSummary, on bool) {
	if on {
		c.chosen[cs.ID] = cs
	} else {
		delete(c.chosen, cs.ID)
	}
	c.showCount()
}

func (c *customerChooser) showCount() {
	c.count.SetText(fmt.Sprintf("%s chosen", formatNumber(len(c.chosen))))
}

func (c *customerChooser) onSearchChanged(q string) { c.load(q) }

// load runs the store's search off the UI goroutine; an empty query lists
// everyone in name order.
func (c *customerChooser) load(q string) {
	c.seq++
	seq := c.seq
	c.u.run(func() {
		rows, err := c.u.store.Search(c.u.ctx, trim(q), chooserCap)
		c.u.do(func() {
			if seq != c.seq {
				return
			}
			if errors.Is(err, data.ErrQueryTooLong) {
				c.rows = nil
				c.list.Refresh()
				c.status.SetText(capitalize(err.Error()))
				return
			}
			if err != nil {
				c.u.showError("Could not search the customers", err)
				return
			}
			c.rows = rows
			switch {
			case len(rows) >= chooserCap:
				c.status.SetText(fmt.Sprintf("First %s: type more", formatNumber(len(rows))))
			case len(rows) == 0 && trim(q) != "":
				c.status.SetText("Nobody matches")
			default:
				c.status.SetText(countOf(len(rows), "customer"))
			}
			c.list.ScrollToTop()
			c.list.Refresh()
		})
	})
}
