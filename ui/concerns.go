package ui

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

// concernsPanel is the customer's concerns on their page: the open ones in
// rank order with one-click Confirm, Up, Down, Resolve, Edit and History;
// the resolved ones folded away below.
type concernsPanel struct {
	u *UI

	id       int64
	seq      int
	open     []data.Concern
	resolved []data.Concern
	days     int // calibration period
	// shown and shownResolved cap the rows built: a customer with
	// thousands of concerns must not freeze the page. "Show more" raises them.
	shown, shownResolved int

	root         *fyne.Container
	box          *fyne.Container // one row per open concern
	resolvedItem *widget.AccordionItem
	resolvedBox  *fyne.Container
	resolvedAcc  *widget.Accordion
	addBtn       *widget.Button
	rows         []*concernRow // the open ones, in rank order (tests drive them)
}

// concernRow is one open concern's widgets.
type concernRow struct {
	c                                         data.Concern
	flag                                      *widget.Label // calibration due
	confirm, up, down, resolve, edit, history *widget.Button
}

func newConcernsPanel(u *UI) *concernsPanel { return &concernsPanel{u: u} }

func (p *concernsPanel) build() fyne.CanvasObject {
	p.box = container.NewVBox()
	p.resolvedBox = container.NewVBox()
	p.resolvedItem = widget.NewAccordionItem("Resolved", p.resolvedBox)
	p.resolvedAcc = widget.NewAccordion(p.resolvedItem)
	p.resolvedAcc.Hide()
	p.addBtn = widget.NewButtonWithIcon("Add concern", theme.ContentAddIcon(), func() { p.openDialog(nil) })
	p.addBtn.Importance = widget.LowImportance
	head := container.NewBorder(nil, nil, nil, p.addBtn, heading("Concerns"))
	p.root = container.NewVBox(head, p.box, p.resolvedAcc)
	return p.root
}

// load fetches customer id's concerns off the UI goroutine.
func (p *concernsPanel) load(id int64) {
	p.seq++
	seq := p.seq
	if id != p.id {
		p.id, p.open, p.resolved, p.rows = id, nil, nil, nil
		p.shown, p.shownResolved = panelPage, panelPage
		p.box.Objects = nil
		p.box.Refresh()
	}
	p.u.run(func() {
		all, err := p.u.store.Concerns(p.u.ctx, id, true)
		days := data.DefaultCalibrationDays
		if err == nil {
			days, err = p.u.store.CalibrationDays(p.u.ctx)
		}
		p.u.do(func() {
			if seq != p.seq {
				return
			}
			if errors.Is(err, data.ErrNotFound) {
				p.u.customer.gone(id)
				return
			}
			if err != nil {
				p.u.showError("Could not load the concerns", err)
				return
			}
			p.open, p.resolved = nil, nil
			for _, c := range all {
				if c.Open() {
					p.open = append(p.open, c)
				} else {
					p.resolved = append(p.resolved, c)
				}
			}
			p.days = days
			p.render()
		})
	})
}

func (p *concernsPanel) render() {
	if p.shown == 0 {
		p.shown = panelPage
	}
	if p.shownResolved == 0 {
		p.shownResolved = panelPage
	}
	at := now()
	p.rows = nil
	var objs []fyne.CanvasObject
	if len(p.open) == 0 {
		objs = append(objs, muted("What worries them, what do they need? Add it, most important first."))
	}
	for i, c := range p.open[:min(len(p.open), p.shown)] {
		c := c
		r := &concernRow{c: c}
		text := widget.NewLabel(fmt.Sprintf("%d. %s", i+1, c.Text))
		text.Wrapping = fyne.TextWrapWord
		when := muted(joinNonEmpty(" · ", "confirmed "+relative(c.ConfirmedAt), elsewhere(c.Origin)))
		when.Wrapping = fyne.TextWrapOff
		r.flag = badge("re-check", widget.WarningImportance)
		if !c.CalibrationDue(at, p.days) {
			r.flag.Hide()
		}
		r.confirm = widget.NewButtonWithIcon("Confirm", theme.ConfirmIcon(), func() { p.onConfirm(c) })
		r.up = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { p.onRank(c, c.Rank-1) })
		r.down = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { p.onRank(c, c.Rank+1) })
		if i == 0 {
			r.up.Disable()
		}
		if i == len(p.open)-1 {
			r.down.Disable()
		}
		r.resolve = widget.NewButtonWithIcon("Resolved", theme.CheckButtonCheckedIcon(), func() { p.onResolve(c) })
		r.edit = widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() { p.openDialog(&c) })
		r.history = widget.NewButtonWithIcon("", theme.HistoryIcon(), func() { p.onHistory(c) })
		for _, b := range []*widget.Button{r.confirm, r.up, r.down, r.resolve, r.edit, r.history} {
			b.Importance = widget.LowImportance
		}
		info := container.NewHBox(when, r.flag)
		buttons := container.NewHBox(r.confirm, r.resolve, layout.NewSpacer(), r.up, r.down, r.edit, r.history)
		if i > 0 {
			objs = append(objs, widget.NewSeparator())
		}
		objs = append(objs, newTight(text, info, buttons))
		p.rows = append(p.rows, r)
	}
	if hidden := len(p.open) - p.shown; hidden > 0 {
		objs = append(objs, showMore(hidden, func() { p.shown += panelPage; p.render() }))
	}
	p.box.Objects = objs
	p.box.Refresh()

	var res []fyne.CanvasObject
	for _, c := range p.resolved[:min(len(p.resolved), p.shownResolved)] {
		c := c
		reopen := widget.NewButtonWithIcon("Reopen", theme.ContentUndoIcon(), func() { p.onReopen(c) })
		reopen.Importance = widget.LowImportance
		hist := widget.NewButtonWithIcon("", theme.HistoryIcon(), func() { p.onHistory(c) })
		hist.Importance = widget.LowImportance
		text := widget.NewLabel(c.Text)
		text.Wrapping = fyne.TextWrapWord
		res = append(res, container.NewBorder(nil, nil, nil, container.NewVBox(container.NewHBox(reopen, hist)),
			newTight(text, muted("resolved "+relative(c.ResolvedAt)))))
	}
	if hidden := len(p.resolved) - p.shownResolved; hidden > 0 {
		res = append(res, showMore(hidden, func() { p.shownResolved += panelPage; p.render() }))
	}
	p.resolvedBox.Objects = res
	p.resolvedItem.Title = fmt.Sprintf("Resolved (%d)", len(p.resolved))
	p.resolvedAcc.Refresh()
	if len(res) > 0 {
		p.resolvedAcc.Show()
	} else {
		p.resolvedAcc.Hide()
	}
}

// changed shows a change to the concerns wherever they appear.
func (p *concernsPanel) changed() { p.u.followUpsChanged(p.id) }

func (p *concernsPanel) onConfirm(c data.Concern) {
	p.u.save("Could not confirm the concern", func() error { return p.u.store.ConfirmConcern(p.u.ctx, c.ID) }, p.changed)
}

func (p *concernsPanel) onRank(c data.Concern, rank int) {
	p.u.save("Could not move the concern", func() error { return p.u.store.RankConcern(p.u.ctx, c.ID, rank) }, p.changed)
}

func (p *concernsPanel) onResolve(c data.Concern) {
	p.u.save("Could not resolve the concern", func() error { return p.u.store.ResolveConcern(p.u.ctx, c.ID) }, p.changed)
}

func (p *concernsPanel) onReopen(c data.Concern) {
	p.u.save("Could not reopen the concern", func() error { return p.u.store.ReopenConcern(p.u.ctx, c.ID) }, p.changed)
}

// openDialog adds a concern (c == nil) or rewords c.
func (p *concernsPanel) openDialog(c *data.Concern) {
	if !p.u.customer.needCustomer("add their concern") {
		return
	}
	id := p.u.customer.id
	text := newEntry("What worries them, what they need")
	title := "Add a concern of " + p.u.customer.c.Name()
	if c != nil {
		text.SetText(c.Text)
		title = "Edit the concern"
	}
	var value string
	form := widget.NewForm(&widget.FormItem{Text: "Concern", Widget: text,
		HintText: "In their words. New concerns go last: move them up if they matter more."})
	check := func() string {
		value = trim(text.Text)
		if value == "" {
			return "What is the concern? Type it in a few words."
		}
		return ""
	}
	save := func() error {
		if c != nil {
			return p.u.store.EditConcern(p.u.ctx, c.ID, value)
		}
		return p.u.store.AddConcern(p.u.ctx, &data.Concern{CustomerID: id, Text: value})
	}
	fd := p.u.newFormDialog(title, form, 560, check, save, p.changed)
	p.u.concernDialog = fd
	fd.dlg.Show()
	p.u.win.Canvas().Focus(text)
}

// onHistory shows how a concern came and changed.
func (p *concernsPanel) onHistory(c data.Concern) {
	p.u.run(func() {
		events, err := p.u.store.ConcernHistory(p.u.ctx, c.ID)
		p.u.do(func() {
			if err != nil {
				p.u.showError("Could not load the concern's history", err)
				return
			}
			grid := container.New(layout.NewFormLayout())
			for _, e := range events {
				day := muted(formatDay(e.At))
				day.Wrapping = fyne.TextWrapOff
				grid.Add(day)
				l := widget.NewLabel(joinNonEmpty(": ", capitalize(e.Action), e.Detail))
				l.Wrapping = fyne.TextWrapWord
				grid.Add(l)
			}
			title := widget.NewLabelWithStyle(c.Text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			title.Wrapping = fyne.TextWrapWord
			d := dialog.NewCustom("History of a concern", "Close", container.NewVBox(title, grid), p.u.win)
			d.Resize(fyne.NewSize(560, 0))
			showDialog(d, p.u.win)
		})
	})
}

// onSettings asks for the calibration period: how long a concern may go
// unconfirmed before Rapport asks to re-check it.
func (u *UI) onSettings() {
	u.run(func() {
		days, err := u.store.CalibrationDays(u.ctx)
		u.do(func() {
			if err != nil {
				u.showError("Could not read the settings", err)
				return
			}
			u.openSettings(days)
		})
	})
}

func (u *UI) openSettings(days int) {
	entry := newEntry("60")
	entry.SetText(strconv.Itoa(days))
	var labels []string
	for _, f := range locale.DateFormats {
		labels = append(labels, u.dateFormatLabel(f))
	}
	dates := newKeySelect(labels, nil)
	dates.SetSelected(u.dateFormatLabel(u.dateFormat()))
	u.settingsDates = dates
	form := widget.NewForm(&widget.FormItem{Text: "Re-check concerns after", Widget: container.NewBorder(nil, nil, nil, widget.NewLabel("days"), entry),
		HintText: "A concern not confirmed with the customer for longer is flagged “re-check”."},
		&widget.FormItem{Text: "Dates", Widget: dates,
			HintText: "How dates are written and typed in this window, for when the system's locale says nothing useful."},
		keyedItem(u.syncItem()), u.databaseItem())
	var n int
	check := func() string {
		v, err := strconv.Atoi(trim(entry.Text))
		if err != nil || v < 1 || v > 3650 {
			return "Type a number of days from 1 to 3650."
		}
		n = v
		return ""
	}
	save := func() error { return u.store.SetCalibrationDays(u.ctx, n) }
	done := func() {
		formatChanged := u.setDateFormat(locale.DateFormats[max(0, dates.SelectedIndex())])
		u.today.load()
		switch {
		case u.customer.id != 0 && formatChanged:
			u.customer.reload() // every date on the page
		case u.customer.id != 0:
			u.customer.loadPanels(u.customer.id)
		}
		if u.pane == paneBriefing {
			u.briefing.load()
		}
	}
	fd := u.newFormDialog("Settings", form, 520, check, save, done)
	u.settingsDialog = fd
	u.settingsEntry = &entry.Entry
	fd.dlg.Show()
}

// panelPage is how many rows a panel of the customer page builds at first,
// and how many more each "Show more" adds.
const panelPage = 50

// showMore is the button under a capped list.
func showMore(hidden int, onTap func()) *widget.Button {
	b := widget.NewButton(fmt.Sprintf("Show more (%s more)", locale.Count(hidden)), onTap)
	b.Importance = widget.LowImportance
	return b
}

// databaseItem says in Settings where the customers are kept, with a button
// that opens the folder: nothing else in the window says where they live.
func (u *UI) databaseItem() *widget.FormItem {
	path := u.store.Path()
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	where := widget.NewLabel(path)
	where.Wrapping = fyne.TextWrapBreak
	show := newKeyButton("Show in folder", theme.FolderOpenIcon(), func() {
		if err := u.app.OpenURL(&url.URL{Scheme: "file", Path: filepath.Dir(path)}); err != nil {
			u.showError("Could not open the folder "+filepath.Dir(path), err)
		}
	})
	return &widget.FormItem{Text: "Database", Widget: container.NewVBox(where, container.NewHBox(show)),
		HintText: "One file with everything, backups beside it in the backups folder. To move to a new laptop, restore a backup there (File ▸ Restore from backup…)."}
}
