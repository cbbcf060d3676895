package report

import (
	"fmt"

	"github.com/rapportcrm/rapport/data"
)

// TodayWith lays out the Today view with hint after each "and 845 more"
// line (the command line's " (use --limit)").
func TodayWith(t *data.Today, hint string) *Doc {
	doc := Today(t)
	for i := range doc.Sections {
		for j := range doc.Sections[i].Items {
			if it := &doc.Sections[i].Items[j]; it.More {
				it.Text = "… " + it.Text + hint
			}
		}
	}
	return doc
}

// Today lays out the Today view.
func Today(t *data.Today) *Doc {
	now := t.Now
	doc := &Doc{Title: "Today, " + Day(now)}
	visits := func(title string, vs []data.PlannedVisit, total int, withDay bool) Section {
		s := Section{Title: title}
		for _, v := range vs {
			when := VisitTime(v, Clock)
			if withDay {
				when = VisitTime(v, DayTime)
			}
			s.Items = append(s.Items, Item{Text: fmt.Sprintf("%s  %s (#%d)%s%s", when, v.CustomerName, v.CustomerID, prefixed(" — ", v.Purpose), prefixed(" · ", Elsewhere(v.Origin)))})
		}
		s.more(len(vs), total, "visits")
		return s
	}
	doc.add(visits("Visits today", t.VisitsToday, t.VisitsTodayTotal, false))
	doc.add(visits("Visits this week", t.VisitsThisWeek, t.VisitsThisWeekTotal, true))
	followUps := func(title, flag string, fs []data.FollowUp, total int) Section {
		s := Section{Title: title}
		for _, f := range fs {
			kind := ""
			if f.Promise {
				kind = "promised: "
			}
			it := Item{Text: fmt.Sprintf("%s (#%d): %s%s — due %s", f.CustomerName, f.CustomerID, kind, f.Text, Day(f.Due.Time()))}
			if flag != "" {
				it.Flag = flag
			}
			s.Items = append(s.Items, it)
		}
		s.more(len(fs), total, "follow-ups")
		return s
	}
	doc.add(followUps("Overdue follow-ups", "overdue", t.OverdueFollowUps, t.OverdueTotal))
	doc.add(followUps("Follow-ups due this week", "", t.DueFollowUps, t.DueTotal))
	contact := Section{Title: "Due for contact"}
	for _, c := range t.ContactDue {
		last := "never contacted"
		if !c.Status.LastContact.IsZero() {
			last = "last contact " + Ago(now, c.Status.LastContact)
		}
		text := fmt.Sprintf("%s (#%d)%s — every %d days, %s", c.Name, c.ID, prefixed(", ", c.Company), c.Status.Cadence.Days, last)
		flag := map[string]string{"overdue": "overdue", "due": "due", "soon": "due " + In(now, c.Status.DueAt)}[c.State]
		contact.Items = append(contact.Items, Item{Text: text, Flag: flag})
	}
	contact.more(len(t.ContactDue), t.ContactDueTotal, "customers")
	doc.add(contact)
	dates := Section{Title: fmt.Sprintf("Birthdays and anniversaries (next %d days)", data.TodayDays)}
	for _, d := range t.Dates {
		if d.Confidential {
			continue // the Today view is printable: confidential family stays on the briefing screen
		}
		who := d.Who
		if d.Relation != "" {
			who = fmt.Sprintf("%s (%s of %s)", d.Who, d.Relation, d.CustomerName)
		}
		text := fmt.Sprintf("%s — %s %s, %s", who, d.What, In(now, d.On), Day(d.On))
		if d.Years > 0 {
			text += fmt.Sprintf(" (%d)", d.Years)
		}
		dates.Items = append(dates.Items, Item{Text: text + fmt.Sprintf(" #%d", d.CustomerID)})
	}
	dates.more(len(t.Dates), t.DatesTotal, "birthdays and anniversaries")
	doc.add(dates)
	low := Section{Title: "Recent low temperatures"}
	for _, r := range t.LowTemperatures {
		it := Item{Text: fmt.Sprintf("%s (#%d): %d/5 %s on %s", r.CustomerName, r.CustomerID, r.Value, Stars(r.Value), Day(r.At))}
		if r.Concern != "" {
			it.Detail = append(it.Detail, "about: "+r.Concern)
		}
		if r.Comment != "" {
			it.Detail = append(it.Detail, "“"+r.Comment+"”")
		}
		low.Items = append(low.Items, it)
	}
	doc.add(low)
	if len(doc.Sections) == 0 {
		doc.Subtitle = append(doc.Subtitle, "Nothing due. Plan a visit, or set a contact cadence for your key customers.")
	}
	return doc
}
