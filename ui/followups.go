package ui

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

// planPanel is what is ahead with a customer, on their page: open
// follow-ups and promises, how often to be in touch, and planned visits.
type planPanel struct {
	u *UI

	id        int64
	seq       int
	followUps []data.FollowUp
	status    data.ContactStatus
	visits    []data.PlannedVisit
	// shown and shownVisits cap the rows built (see concernsPanel).
	shown, shownVisits int

	root     *fyne.Container
	fuBox    *fyne.Container
	undo     *undoBar // takes back the last Done or snooze
	fuRows   []*followUpRow
	addBtn   *widget.Button
	every    *formEntry
	atMost   *formEntry
	setBtn   *widget.Button
	state    *widget.Label
	visitBox *fyne.Container
	planBtn  *widget.Button
}

// followUpRow is one open follow-up's widgets (tests drive them).
type followUpRow struct {
	f                                data.FollowUp
	overdue                          *widget.Label
	done, snooze, reschedule, delete *widget.Button
}

func newPlanPanel(u *UI) *planPanel { return &planPanel{u: u} }

func (p *planPanel) build() fyne.CanvasObject {
	p.fuBox = container.NewVBox()
	p.undo = newUndoBar(p.u)
	p.addBtn = widget.NewButtonWithIcon("Add follow-up", theme.ContentAddIcon(), p.onAddFollowUp)
	p.addBtn.Importance = widget.LowImportance

	p.every = newEntry("30")
	p.atMost = newEntry("45")
	p.setBtn = widget.NewButton("Set", p.onSetCadence)
	p.setBtn.Importance = widget.LowImportance
	p.state = widget.NewLabel("")
	p.state.Wrapping = fyne.TextWrapWord
	narrow := func(e *formEntry) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(64, e.MinSize().Height), e)
	}
	// Two rows, so the column never needs a sideways scroll bar.
	cadence := container.New(layout.NewFormLayout(),
		widget.NewLabel("Contact every"), container.NewHBox(narrow(p.every), widget.NewLabel("days")),
		widget.NewLabel("and at most"), container.NewHBox(narrow(p.atMost), widget.NewLabel("days"), p.setBtn))

	p.visitBox = container.NewVBox()
	p.planBtn = widget.NewButtonWithIcon("Plan visit", theme.ContentAddIcon(), p.onPlanVisit)
	p.planBtn.Importance = widget.LowImportance

	p.root = container.NewVBox(
		container.NewBorder(nil, nil, nil, p.addBtn, heading("Follow-ups and promises")), p.undo.build(), p.fuBox,
		widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, p.planBtn, heading("Visits and contact")), p.visitBox,
		cadence, p.state,
	)
	return p.root
}

// load fetches customer id's follow-ups, cadence and visits.
func (p *planPanel) load(id int64) {
	p.seq++
	seq, at := p.seq, now()
	if id != p.id {
		p.undo.hide() // it was about someone else's follow-up
		p.id, p.followUps, p.visits, p.fuRows = id, nil, nil, nil
		p.shown, p.shownVisits = panelPage, panelPage
		p.fuBox.Objects, p.visitBox.Objects = nil, nil
		p.fuBox.Refresh()
		p.visitBox.Refresh()
	}
	p.u.run(func() {
		fus, err := p.u.store.FollowUps(p.u.ctx, id, false)
		var st data.ContactStatus
		var vs []data.PlannedVisit
		if err == nil {
			st, err = p.u.store.ContactStatus(p.u.ctx, id)
		}
		if err == nil {
			vs, err = p.u.store.UpcomingVisits(p.u.ctx, id, at)
		}
		p.u.do(func() {
			if seq != p.seq {
				return
			}
			if errors.Is(err, data.ErrNotFound) {
				p.u.customer.gone(id) // deleted, or removed by an undone import: no error to show
				return
			}
			if err != nil {
				p.u.showError("Could not load the follow-ups", err)
				return
			}
			p.followUps, p.status, p.visits = fus, st, vs
			p.render()
		})
	})
}

func (p *planPanel) render() {
	if p.shown == 0 {
		p.shown = panelPage
	}
	if p.shownVisits == 0 {
		p.shownVisits = panelPage
	}
	at := now()
	p.fuRows = nil
	var objs []fyne.CanvasObject
	if len(p.followUps) == 0 {
		objs = append(objs, muted("Nothing open. What did you promise? What should you check on, and when?"))
	}
	for i, f := range p.followUps[:min(len(p.followUps), p.shown)] {
		f := f
		r := &followUpRow{f: f}
		text := f.Text
		if f.Promise {
			text = "Promised: " + text
		}
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		due := muted(joinNonEmpty(" · ", "due "+formatDate(f.Due)+" ("+relative(f.Due.Time())+")", elsewhere(f.Origin)))
		due.Wrapping = fyne.TextWrapOff
		r.overdue = badge("overdue", widget.DangerImportance)
		if !f.Overdue(at) {
			r.overdue.Hide()
		}
		r.done = widget.NewButtonWithIcon("Done", theme.ConfirmIcon(), func() { p.onDone(f) })
		r.snooze = widget.NewButtonWithIcon("Snooze", theme.MediaFastForwardIcon(), nil)
		r.snooze.OnTapped = func() { p.onSnoozeMenu(f, r.snooze) }
		r.reschedule = widget.NewButtonWithIcon("", theme.CalendarIcon(), func() { p.onReschedule(f) })
		r.delete = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { p.onDelete(f) })
		for _, b := range []*widget.Button{r.done, r.snooze, r.reschedule, r.delete} {
			b.Importance = widget.LowImportance
		}
		if i > 0 {
			objs = append(objs, widget.NewSeparator())
		}
		objs = append(objs, newTight(l, container.NewHBox(due, r.overdue),
			container.NewHBox(r.done, r.snooze, layout.NewSpacer(), r.reschedule, r.delete)))
		p.fuRows = append(p.fuRows, r)
	}
	if hidden := len(p.followUps) - p.shown; hidden > 0 {
		objs = append(objs, showMore(hidden, func() { p.shown += panelPage; p.render() }))
	}
	p.fuBox.Objects = objs
	p.fuBox.Refresh()

	var vs []fyne.CanvasObject
	for _, v := range p.visits[:min(len(p.visits), p.shownVisits)] {
		v := v
		del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { p.onDeleteVisit(v) })
		del.Importance = widget.LowImportance
		when := formatDateTime(v.At)
		if loc, _ := visitZone(v); loc != nil {
			when = formatDate(data.DateOf(v.At.In(loc))) + " " + visitWhen(v, false)
		}
		l := widget.NewLabel(when + " (" + relative(v.At) + ")")
		lines := newTight(l)
		reminder := ""
		if v.Remind > 0 {
			reminder = "reminder " + formatDuration(v.Remind) + " before"
		}
		if d := joinNonEmpty(" · ", v.Purpose, formatDuration(v.Duration), reminder, elsewhere(v.Origin)); d != "" {
			lines.Add(muted(d))
		}
		vs = append(vs, container.NewBorder(nil, nil, widget.NewIcon(iconVisit), container.NewVBox(del), lines))
	}
	if hidden := len(p.visits) - p.shownVisits; hidden > 0 {
		vs = append(vs, showMore(hidden, func() { p.shownVisits += panelPage; p.render() }))
	}
	p.visitBox.Objects = vs
	p.visitBox.Refresh()

	st := p.status
	if st.Cadence.Days > 0 {
		p.every.SetText(strconv.Itoa(st.Cadence.Days))
		if st.Cadence.MaxDays > 0 {
			p.atMost.SetText(strconv.Itoa(st.Cadence.MaxDays))
		} else {
			p.atMost.SetText("")
		}
	} else {
		p.every.SetText("")
		p.atMost.SetText("")
	}
	p.state.SetText(contactState(st, at))
	switch st.State(at) {
	case "overdue":
		p.state.Importance = widget.DangerImportance
	case "due":
		p.state.Importance = widget.WarningImportance
	default:
		p.state.Importance = widget.MediumImportance
	}
	p.state.Refresh()
}

// contactState says where a customer stands against their cadence.
func contactState(st data.ContactStatus, at time.Time) string {
	last := "never contacted"
	if !st.LastContact.IsZero() {
		last = "last contact " + relative(st.LastContact)
	}
	switch st.State(at) {
	case "":
		return "No contact rhythm set: type how often you want to be in touch."
	case "overdue":
		return "Overdue for contact since " + formatDay(st.OverdueAt) + " (" + last + ")."
	case "due":
		return "Due for contact since " + formatDay(st.DueAt) + " (" + last + ")."
	case "soon":
		return "Due for contact soon: " + formatDay(st.DueAt) + " (" + last + ")."
	}
	return "Next contact due " + formatDay(st.DueAt) + " (" + last + ")."
}

func (p *planPanel) changed() { p.u.followUpsChanged(p.id) }

func (p *planPanel) onDone(f data.FollowUp) { p.u.markDone(p.undo, f, false) }

func (p *planPanel) onSnoozeMenu(f data.FollowUp, b *widget.Button) {
	menu := fyne.NewMenu("",
		fyne.NewMenuItem("1 day", func() { p.onSnooze(f, 1) }),
		fyne.NewMenuItem("1 week", func() { p.onSnooze(f, 7) }))
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
	widget.ShowPopUpMenuAtPosition(menu, p.u.win.Canvas(), pos.Add(fyne.NewPos(0, b.Size().Height)))
}

func (p *planPanel) onSnooze(f data.FollowUp, days int) { p.u.snooze(p.undo, f, days, false) }

func (p *planPanel) onDelete(f data.FollowUp) {
	p.u.confirm("Delete follow-up", fmt.Sprintf("Delete “%s”?", f.Text), "Delete", func() {
		p.u.save("Could not delete the follow-up", func() error {
			return p.u.store.DeleteFollowUp(p.u.ctx, f.ID)
		}, p.changed)
	})
}

// dayOf reads a DateEntry: its date, or a message saying what is wrong.
func dayOf(e *dateEntry, what string) (data.Date, string) {
	text := trim(e.Text)
	if text == "" {
		return data.Date{}, what + ": pick a day."
	}
	if e.Date != nil && (e.Validator == nil || e.Validate() == nil) {
		return data.DateOf(*e.Date), ""
	}
	d, err := locale.ParseDate(text)
	if err != nil || !d.HasYear() {
		return data.Date{}, fmt.Sprintf("%s: %q is not a day (pick one from the calendar).", what, text)
	}
	return d, ""
}

// newDayEntry is a DateEntry set to day.
func newDayEntry(day time.Time) *dateEntry {
	e := newDateEntry()
	d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	e.SetDate(&d)
	return e
}

func (p *planPanel) onReschedule(f data.FollowUp) {
	due := newDayEntry(f.Due.Time())
	form := widget.NewForm(widget.NewFormItem("Due", due))
	var day data.Date
	check := func() string {
		var msg string
		day, msg = dayOf(due, "Due")
		return msg
	}
	save := func() error { return p.u.store.RescheduleFollowUp(p.u.ctx, f.ID, day) }
	fd := p.u.newFormDialog("Reschedule “"+f.Text+"”", form, 420, check, save, p.changed)
	p.u.followUpDialog = fd
	fd.dlg.Show()
}

// onAddFollowUp asks what to follow up on, and when.
func (p *planPanel) onAddFollowUp() {
	if !p.u.customer.needCustomer("add a follow-up") {
		return
	}
	c := p.u.customer.c
	text := newEntry("Send the quote, call about the delivery…")
	due := newDayEntry(now().AddDate(0, 0, 7))
	promise := newKeyCheck("I promised it to them", nil)
	form := widget.NewForm(widget.NewFormItem("Follow up on", text), widget.NewFormItem("Due", due),
		widget.NewFormItem("", promise))
	f := data.FollowUp{CustomerID: c.ID}
	check := func() string {
		f.Text = trim(text.Text)
		if f.Text == "" {
			return "What is there to do? Type it in a few words."
		}
		var msg string
		f.Due, msg = dayOf(due, "Due")
		f.Promise = promise.Checked
		return msg
	}
	save := func() error { return p.u.store.AddFollowUp(p.u.ctx, &f) }
	fd := p.u.newFormDialog("Follow up with "+c.Name(), form, 520, check, save, p.changed)
	p.u.followUpDialog = fd
	p.u.followUpForm = &followUpForm{text: text, due: due, promise: promise}
	fd.dlg.Show()
	p.u.win.Canvas().Focus(text)
}

// followUpForm is the add-follow-up dialog's fields (tests fill them).
type followUpForm struct {
	text    *formEntry
	due     *dateEntry
	promise *keyCheck
}

// onSetCadence saves how often to be in touch; empty clears it.
func (p *planPanel) onSetCadence() {
	if !p.u.customer.needCustomer("set how often to contact them") {
		return
	}
	read := func(e *formEntry) (int, bool) {
		t := trim(e.Text)
		if t == "" {
			return 0, true
		}
		n, err := strconv.Atoi(t)
		return n, err == nil && n >= 0
	}
	days, ok1 := read(p.every)
	max, ok2 := read(p.atMost)
	if !ok1 || !ok2 {
		p.u.showError("Could not set the contact rhythm", fmt.Errorf("%w: type whole numbers of days, like 30 and 45", data.ErrInvalid))
		return
	}
	id := p.id
	p.u.save("Could not set the contact rhythm", func() error {
		return p.u.store.SetCadence(p.u.ctx, id, data.Cadence{Days: days, MaxDays: max})
	}, p.changed)
}

func (p *planPanel) onPlanVisit() {
	if !p.u.customer.needCustomer("plan a visit") {
		return
	}
	c := p.u.customer.c
	day := newDayEntry(now().AddDate(0, 0, 1))
	clock := newEntry(clockExample())
	clock.SetText(formatClock(time.Date(2000, 1, 1, 10, 0, 0, 0, time.Local)))
	minutes := newEntry("minutes")
	purpose := newEntry("What the visit is for")
	remind := newKeySelect(remindLabels(), nil)
	remind.SetSelectedIndex(0)
	zone := newEntry("Europe/Berlin")
	zone.SetText(data.LocalZone())
	form := widget.NewForm(widget.NewFormItem("Date", day),
		&widget.FormItem{Text: "Time", Widget: clock, HintText: clockHint()},
		&widget.FormItem{Text: "Time zone", Widget: zone, HintText: "Where the visit is (like Europe/Berlin): it stays at this time there."},
		widget.NewFormItem("Duration", minutes), widget.NewFormItem("Purpose", purpose),
		&widget.FormItem{Text: "Remind me", Widget: remind, HintText: "On the phone's calendar too, once sync is set up."})
	v := data.PlannedVisit{CustomerID: c.ID}
	check := func() string {
		d, msg := dayOf(day, "Date")
		if msg != "" {
			return msg
		}
		h, m, ok := parseClock(clock.Text)
		if !ok {
			return fmt.Sprintf("Time: %q is not a time of day (like %s).", trim(clock.Text), clockExample())
		}
		mins := 0
		if t := trim(minutes.Text); t != "" {
			n, err := strconv.Atoi(t)
			if err != nil || n < 0 {
				return fmt.Sprintf("Duration: %q is not a number of minutes (like 45).", t)
			}
			mins = n
		}
		loc, name := time.Local, trim(zone.Text)
		if name != "" {
			l, err := time.LoadLocation(name)
			if err != nil || name == "Local" {
				return fmt.Sprintf("Time zone: %q is not a zone name (like Europe/Berlin or America/New_York).", name)
			}
			loc = l
		}
		v.At, v.Zone = time.Date(d.Year, d.Month, d.Day, h, m, 0, 0, loc), name
		v.Duration, v.Purpose = time.Duration(mins)*time.Minute, purpose.Text
		v.Remind = remindChoices[max(remind.SelectedIndex(), 0)].before
		return ""
	}
	save := func() error { return p.u.store.PlanVisit(p.u.ctx, &v) }
	fd := p.u.newFormDialog("Plan a visit to "+c.Name(), form, 520, check, save, p.changed)
	p.u.visitDialog = fd
	p.u.visitForm = &visitForm{day: day, clock: clock, minutes: minutes, purpose: purpose, zone: zone, remind: remind}
	fd.dlg.Show()
	p.u.win.Canvas().Focus(purpose)
}

// visitForm is the plan-a-visit dialog's fields (tests fill them).
type visitForm struct {
	day                     *dateEntry
	clock, minutes, purpose *formEntry
	zone                    *formEntry
	remind                  *keySelect
}

// remindChoices are the reminders a visit can have.
var remindChoices = []struct {
	label  string
	before time.Duration
}{
	{"No reminder", 0}, {"15 minutes before", 15 * time.Minute}, {"30 minutes before", 30 * time.Minute},
	{"1 hour before", time.Hour}, {"2 hours before", 2 * time.Hour}, {"1 day before", 24 * time.Hour},
}

func remindLabels() []string {
	out := make([]string, len(remindChoices))
	for i, c := range remindChoices {
		out[i] = c.label
	}
	return out
}

func (p *planPanel) onDeleteVisit(v data.PlannedVisit) {
	p.u.confirm("Delete planned visit", "Take the visit of "+formatDateTime(v.At)+" out of the diary?", "Delete", func() {
		p.u.save("Could not delete the visit", func() error {
			return p.u.store.DeletePlannedVisit(p.u.ctx, v.ID)
		}, p.changed)
	})
}
