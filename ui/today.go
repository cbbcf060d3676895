package ui

import (
	"fmt"
	"log"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
	"github.com/rapportcrm/rapport/ui/report"
)

// The panes of the right side of the window.
const (
	paneToday    = "today"
	paneCustomer = "customer"
	paneBriefing = "briefing"
)

// showPane puts the Today view, the customer or the briefing on the right.
func (u *UI) showPane(p string) {
	if u.pane == p {
		return
	}
	u.pane = p
	var o fyne.CanvasObject
	switch p {
	case paneToday:
		o = u.today.root
	case paneBriefing:
		o = u.briefing.root
	default:
		o = u.customer.root
	}
	u.right.Objects = []fyne.CanvasObject{o}
	u.right.Refresh()
}

// showToday shows the Today view, loaded afresh.
func (u *UI) showToday() {
	if u.showing != u.split {
		return // the welcome screen: nothing to do today yet
	}
	u.showPane(paneToday)
	u.customers.list.UnselectAll()
	u.today.load()
}

// todayScreen is the app's home: today's and this week's visits, the
// follow-ups due, whom to contact, birthdays coming up and who is unhappy.
type todayScreen struct {
	u *UI

	root  fyne.CanvasObject
	title *widget.Label
	box   *fyne.Container // the sections
	undo  *undoBar        // takes back the last Done or snooze
	seq   int
	t     *data.Today

	allDates bool // "… more birthdays — show" was clicked
}

func newTodayScreen(u *UI) *todayScreen { return &todayScreen{u: u} }

func (s *todayScreen) build() fyne.CanvasObject {
	s.title = widget.NewLabelWithStyle("Today", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.title.SizeName = theme.SizeNameHeadingText
	refresh := widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), s.load)
	refresh.Importance = widget.LowImportance
	s.box = container.NewVBox()
	s.undo = newUndoBar(s.u)
	header := container.NewBorder(nil, nil, nil, refresh, s.title)
	s.root = container.NewBorder(container.NewVBox(header, widget.NewSeparator(), s.undo.build()), nil, nil, nil,
		container.NewVScroll(s.box))
	return s.root
}

// load fetches the Today view off the UI goroutine and shows it.
func (s *todayScreen) load() {
	s.seq++
	seq := s.seq
	at := now()
	s.u.run(func() {
		t, err := s.u.store.Today(s.u.ctx, at)
		s.u.do(func() {
			if seq != s.seq {
				return
			}
			if err != nil {
				s.u.showError("Could not load today's list", err)
				return
			}
			s.t = t
			s.render()
		})
	})
}

// notifyOverdue tells the desktop what is overdue today. New calls it once:
// it is the start-up reminder, apart from the Today view, which loads again
// after every change, and which an empty database does not show at start.
func (u *UI) notifyOverdue() {
	at := now()
	u.run(func() {
		t, err := u.store.Today(u.ctx, at)
		if err != nil {
			// The Today view shows the error; a reminder is not worth a second dialog.
			log.Printf("rapport: start-up reminder: %v", err)
			return
		}
		if msg := overdueMessage(t); msg != "" {
			u.do(func() { u.app.SendNotification(fyne.NewNotification("Rapport", msg)) })
		}
	})
}

// overdueMessage says what is overdue ("2 follow-ups overdue, 1 customer
// overdue for contact"), or "" when nothing is.
func overdueMessage(t *data.Today) string {
	var parts []string
	if n := len(t.OverdueFollowUps); n > 0 {
		parts = append(parts, plural(n, "follow-up")+" overdue")
	}
	n := 0
	for _, c := range t.ContactDue {
		if c.State == "overdue" {
			n++
		}
	}
	if n > 0 {
		parts = append(parts, plural(n, "customer")+" overdue for contact")
	}
	return strings.Join(parts, ", ")
}

func (s *todayScreen) render() {
	t := s.t
	s.title.SetText("Today, " + formatDay(t.Now))
	var objs []fyne.CanvasObject
	section := func(title string, rows []fyne.CanvasObject) {
		if len(rows) == 0 {
			return // empty sections collapse
		}
		if len(objs) > 0 {
			objs = append(objs, widget.NewSeparator())
		}
		objs = append(objs, heading(title))
		objs = append(objs, rows...)
	}

	// What needs action first: overdue promises, then today's visits (those
	// not yet logged before those done), then the rest of the week.
	section("Overdue follow-ups", withMore(s.followUpRows(t.OverdueFollowUps, true), len(t.OverdueFollowUps), t.OverdueTotal, "follow-ups"))
	section("Visits today", withMore(s.visitRows(openFirst(t.VisitsToday), false), len(t.VisitsToday), t.VisitsTodayTotal, "visits"))
	section("Follow-ups due this week", withMore(s.followUpRows(t.DueFollowUps, false), len(t.DueFollowUps), t.DueTotal, "follow-ups"))
	section("Visits this week", withMore(s.visitRows(t.VisitsThisWeek, true), len(t.VisitsThisWeek), t.VisitsThisWeekTotal, "visits"))

	var contact []fyne.CanvasObject
	for _, c := range t.ContactDue {
		last := "never contacted"
		if !c.Status.LastContact.IsZero() {
			last = "last contact " + relative(c.Status.LastContact)
		}
		detail := joinNonEmpty(" · ", c.Company, fmt.Sprintf("every %d days", c.Status.Cadence.Days), last)
		contact = append(contact, s.row(stateBadge(c.State, c.Status, t), c.Name, detail, c.ID))
	}
	section("Due for contact", contact)

	var dates []fyne.CanvasObject
	for _, d := range t.Dates {
		who := d.Who
		if d.Relation != "" {
			who += " (" + strings.ToLower(relationLabel(d.Relation)) + " of " + d.CustomerName + ")"
		}
		what := capitalize(d.What) + " " + formatDay(d.On)
		if d.Years > 0 {
			if d.What == "birthday" {
				what += fmt.Sprintf(", turns %d", d.Years)
			} else {
				what += fmt.Sprintf(", %d years", d.Years)
			}
		}
		when := badge(relative(d.On), widget.LowImportance)
		when.TextStyle = fyne.TextStyle{}
		if daysBetween(t.Now, d.On) == 0 {
			when = badge("today!", widget.WarningImportance)
		}
		left := container.NewHBox(widget.NewIcon(iconCake), when)
		if d.Confidential {
			left.Add(widget.NewIcon(iconLock))
		}
		dates = append(dates, s.row(left, who, what, d.CustomerID))
	}
	// Thousands of customers have dozens of birthdays a day: a few, and the
	// rest behind one line, so the view stays a to-do list.
	if len(dates) > datesShown && !s.allDates {
		rest := len(dates) - datesShown
		more := widget.NewButton(fmt.Sprintf("%s more birthdays and anniversaries — show", locale.Count(rest)), func() {
			s.allDates = true
			s.render()
		})
		more.Importance = widget.LowImportance
		more.Alignment = widget.ButtonAlignLeading
		dates = append(dates[:datesShown:datesShown], more)
	}
	section(fmt.Sprintf("Birthdays and anniversaries (next %d days)", data.TodayDays), dates)

	var low []fyne.CanvasObject
	for _, r := range t.LowTemperatures {
		detail := joinNonEmpty(" · ", fmt.Sprintf("%d/5, %s", r.Value, relative(r.At)), prefix("about: ", r.Concern), quoted(r.Comment))
		low = append(low, s.row(tempLabel(r.Value), r.CustomerName, detail, r.CustomerID))
	}
	section("Recently unsatisfied", low)

	if len(objs) == 0 {
		hint := muted("Nothing planned, nothing due. Plan a visit or add a follow-up on a customer's page, " +
			"and set how often you want to be in touch with them (“Contact every … days”): " +
			"Rapport then tells you here whom to call.")
		objs = append(objs, container.NewPadded(hint))
	}
	s.box.Objects = objs
	s.box.Refresh()
}

// datesShown is how many birthdays and anniversaries Today lists before
// "… more — show".
const datesShown = 8

// openFirst puts today's visits not yet logged before those done, each in
// time order.
func openFirst(vs []data.PlannedVisit) []data.PlannedVisit {
	out := slices.Clone(vs)
	slices.SortStableFunc(out, func(a, b data.PlannedVisit) int {
		switch {
		case a.Logged == b.Logged:
			return 0
		case b.Logged:
			return -1
		}
		return 1
	})
	return out
}

// withMore closes a list the store capped (data.TodayLimit) with how many
// more there are.
func withMore(rows []fyne.CanvasObject, shown, total int, what string) []fyne.CanvasObject {
	if rest := total - shown; rest > 0 {
		rows = append(rows, muted(fmt.Sprintf("and %s more %s", locale.Count(rest), what)))
	}
	return rows
}

// todayMarkerWidth is the width of the left column: times, dates, badges;
// wider where the locale writes "Wed, Dec 30, 12:30 PM" for a visit.
func todayMarkerWidth() float32 {
	widest := formatShort(time.Date(2026, 12, 30, 12, 30, 0, 0, time.Local))
	return max(130, widget.NewLabel(widest).MinSize().Width)
}

// row is one entry: a marker on the left, the customer's name as a link to
// them, a detail line, and buttons on the right.
func (s *todayScreen) row(left fyne.CanvasObject, name, detail string, id int64, buttons ...fyne.CanvasObject) fyne.CanvasObject {
	return s.textRow(left, name, "", detail, id, buttons...)
}

// textRow is a row with a line of text between the name and the detail.
func (s *todayScreen) textRow(left fyne.CanvasObject, name, text, detail string, id int64, buttons ...fyne.CanvasObject) fyne.CanvasObject {
	link := widget.NewButton(name, func() { s.u.customers.show(id) })
	link.Importance = widget.LowImportance
	link.Alignment = widget.ButtonAlignLeading
	lines := newTight(container.NewHBox(link))
	if text != "" {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		lines.Add(l)
	}
	if detail != "" {
		lines.Add(muted(detail))
	}
	var right fyne.CanvasObject
	if len(buttons) > 0 {
		right = container.NewVBox(container.NewHBox(buttons...))
	}
	if left != nil {
		// One width for the markers, so that the names line up.
		left = container.NewVBox(container.NewGridWrap(fyne.NewSize(todayMarkerWidth(), left.MinSize().Height), left))
	}
	return container.NewBorder(nil, nil, left, right, lines)
}

func (s *todayScreen) visitRows(vs []data.PlannedVisit, withDay bool) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for _, v := range vs {
		// The marker column is narrow: a visit in another zone gives its
		// own time there, and the zone and this machine's time below.
		at, zone := v.At.Local(), ""
		if loc, city := visitZone(v); loc != nil {
			at, zone = v.At.In(loc), city+" time ("+formatClock(v.At)+" here)"
		}
		when := locale.Time(at)
		if withDay {
			when = locale.Short(at)
		}
		detail := joinNonEmpty(" · ", zone, v.Purpose, formatDuration(v.Duration), elsewhere(v.Origin))
		id := v.CustomerID
		brief := widget.NewButtonWithIcon("Briefing", theme.DocumentIcon(), func() { s.u.briefing.open(id) })
		var left fyne.CanvasObject = widget.NewLabelWithStyle(when, fyne.TextAlignLeading, fyne.TextStyle{Bold: !withDay})
		if v.Logged {
			// Done: said in words and quieter, not only by a colour.
			left = container.NewHBox(widget.NewLabel(when), badge("done", widget.SuccessImportance))
			detail = joinNonEmpty(" · ", "logged", detail)
		}
		out = append(out, s.row(left, v.CustomerName, detail, id, brief))
	}
	return out
}

func (s *todayScreen) followUpRows(fs []data.FollowUp, overdue bool) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for _, f := range fs {
		f := f
		text := f.Text
		if f.Promise {
			text = "Promised: " + text
		}
		done := widget.NewButtonWithIcon("Done", theme.ConfirmIcon(), func() { s.onDone(f) })
		snooze := widget.NewButtonWithIcon("1 week", theme.MediaFastForwardIcon(), func() { s.onSnooze(f, 7) })
		// The left column says when it is due: overdue in the error colour,
		// today in the warning colour.
		left := badge("due "+relative(f.Due.Time()), widget.LowImportance)
		left.TextStyle = fyne.TextStyle{}
		switch {
		case overdue:
			left = badge("due "+relative(f.Due.Time()), widget.DangerImportance)
		case daysBetween(s.t.Now, f.Due.Time()) == 0:
			left = badge("due today", widget.WarningImportance)
		}
		left.Wrapping = fyne.TextWrapWord
		out = append(out, s.textRow(left, f.CustomerName, text, "", f.CustomerID, done, snooze))
	}
	return out
}

func (s *todayScreen) onDone(f data.FollowUp) {
	s.u.markDone(s.undo, f, true)
}

func (s *todayScreen) onSnooze(f data.FollowUp, days int) {
	s.u.snooze(s.undo, f, days, true)
}

// markDone marks f done and offers to undo it on bar; withName names the
// customer (on Today, where the follow-ups of many are listed).
func (u *UI) markDone(bar *undoBar, f data.FollowUp, withName bool) {
	u.save("Could not mark the follow-up done", func() error {
		return u.store.CompleteFollowUp(u.ctx, f.ID, true)
	}, func() {
		bar.show(undoText("Marked done", f, withName), f.CustomerID, func() error {
			return u.store.CompleteFollowUp(u.ctx, f.ID, false)
		})
		u.followUpsChanged(f.CustomerID)
	})
}

// snooze moves f days later and offers to put it back on its old day.
func (u *UI) snooze(bar *undoBar, f data.FollowUp, days int, withName bool) {
	u.save("Could not snooze the follow-up", func() error {
		return u.store.SnoozeFollowUp(u.ctx, f.ID, days, now())
	}, func() {
		verb := "Snoozed for a week"
		if days != 7 {
			verb = "Snoozed for " + plural(days, "day")
		}
		bar.show(undoText(verb, f, withName), f.CustomerID, func() error {
			return u.store.RescheduleFollowUp(u.ctx, f.ID, f.Due)
		})
		u.followUpsChanged(f.CustomerID)
	})
}

// undoText says in the undo bar what was done to f: "Marked done for Klaus
// Müller: “Send the quote”". The name comes first: a long text is cut short.
func undoText(verb string, f data.FollowUp, withName bool) string {
	if withName && f.CustomerName != "" {
		verb += " for " + f.CustomerName
	}
	return verb + ": " + quoted(f.Text)
}

// followUpsChanged refreshes what shows customer id's follow-ups, concerns
// or visits: the Today view, their page and their briefing.
func (u *UI) followUpsChanged(id int64) {
	u.today.load()
	if u.customer.id == id {
		u.customer.loadPanels(id)
	}
	if u.briefing.id == id && u.pane == paneBriefing {
		u.briefing.load()
	}
}

// badge is a short coloured word: "overdue" in the error colour.
func badge(text string, imp widget.Importance) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Importance = imp
	return l
}

// stateBadge marks a contact state: overdue in the error colour, due in the
// warning colour, soon quietly.
func stateBadge(state string, st data.ContactStatus, t *data.Today) *widget.Label {
	switch state {
	case "overdue":
		return badge("overdue", widget.DangerImportance)
	case "due":
		return badge("due", widget.WarningImportance)
	}
	l := badge("due "+report.In(t.Now, st.DueAt), widget.LowImportance)
	l.TextStyle = fyne.TextStyle{}
	return l
}

func prefix(pre, v string) string {
	if v == "" {
		return ""
	}
	return pre + v
}

func quoted(v string) string {
	if v == "" {
		return ""
	}
	return "“" + v + "”"
}
