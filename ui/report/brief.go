// Package report turns a briefing and the Today view into documents: Markdown
// for the command line, a printable PDF, and a self-contained HTML page to
// print or read on a phone. Confidential profile items are left out unless
// the caller shows them on screen only.
package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

// Doc is a briefing laid out as a title, a few header lines and sections of
// items; Markdown and HTML render the same Doc.
type Doc struct {
	Title    string
	Subtitle []string
	Sections []Section
}

// Section is a headed list.
type Section struct {
	Title   string
	Items   []Item
	Ordered bool
}

// Item is one line, with an optional flag (overdue, due for calibration…)
// and detail lines under it.
type Item struct {
	Text   string
	Flag   string
	Detail []string
	// More marks the closing "and 9,980 more" of a capped list: set apart,
	// never numbered.
	More bool
}

// Options tune a briefing document.
type Options struct {
	// Confidential includes items marked confidential: only for the screen.
	Confidential bool
}

// Day formats a date as people read it in a briefing, in the user's locale
// (package locale): "Mon 2 Mar 2026", "Mon, Mar 2, 2026".
func Day(t time.Time) string { return locale.Day(t) }

// DayTime formats a date and time: "Mon 2 Mar 2026, 14:30",
// "Mon, Mar 2, 2026, 2:30 PM".
func DayTime(t time.Time) string { return locale.DateTime(t) }

// Clock formats a time of day: "14:30", "2:30 PM".
func Clock(t time.Time) string { return locale.Time(t) }

// Ago says how long ago t was, in whole days, weeks or months.
func Ago(now, t time.Time) string {
	days := int(startOfDay(now).Sub(startOfDay(t)).Hours() / 24)
	switch {
	case days < 0:
		return In(now, t)
	case days == 0:
		return "today"
	case days == 1:
		return "yesterday"
	case days < 14:
		return fmt.Sprintf("%d days ago", days)
	case days < 60:
		return fmt.Sprintf("%d weeks ago", days/7)
	case days < 730:
		return fmt.Sprintf("%d months ago", days/30)
	}
	return fmt.Sprintf("%d years ago", days/365)
}

// In says how far ahead t is.
func In(now, t time.Time) string {
	days := int(startOfDay(t).Sub(startOfDay(now)).Hours() / 24)
	switch {
	case days < 0:
		return Ago(now, t)
	case days == 0:
		return "today"
	case days == 1:
		return "tomorrow"
	}
	return fmt.Sprintf("in %d days", days)
}

func startOfDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Stars draws a temperature as five marks.
func Stars(v int) string {
	if v < 1 || v > 5 {
		return ""
	}
	return strings.Repeat("●", v) + strings.Repeat("○", 5-v)
}

// Sparkline draws readings as block characters, oldest first.
func Sparkline(rs []data.Reading) string {
	blocks := []rune("▁▂▄▆█")
	var b strings.Builder
	for _, r := range rs {
		if r.Value >= 1 && r.Value <= 5 {
			b.WriteRune(blocks[r.Value-1])
		}
	}
	return b.String()
}

// FormatDate writes a Date with or without its year, in the user's locale:
// "15 April 1975", "April 15".
func FormatDate(d data.Date) string { return locale.Date(d) }

// Briefing lays out a customer's briefing.
func Briefing(b *data.Briefing, opt Options) *Doc {
	c, now := b.Customer, b.Now
	doc := &Doc{Title: c.Name()}
	if c.Nickname != "" {
		doc.Subtitle = append(doc.Subtitle, fmt.Sprintf("Likes to be called “%s”", c.Nickname))
	}
	if role := joinNonEmpty(" · ", joinNonEmpty(", ", c.Title, c.Department), c.Company); role != "" {
		doc.Subtitle = append(doc.Subtitle, role)
	}
	if !c.Birthday.IsZero() {
		line := "Birthday " + FormatDate(c.Birthday)
		if age, ok := c.Birthday.AgeOn(now); ok {
			line += fmt.Sprintf(" (%d)", age)
		}
		doc.Subtitle = append(doc.Subtitle, line)
	}
	if line := contactLine(b); line != "" {
		doc.Subtitle = append(doc.Subtitle, line)
	}

	var visits Section
	visits.Title = "Planned visits"
	for _, v := range b.Visits {
		visits.Items = append(visits.Items, Item{Text: DayTime(v.At) + " (" + In(now, v.At) + ")" + prefixed(" — ", v.Purpose)})
	}
	visits.more(len(b.Visits), b.VisitsTotal, "planned visits")
	doc.add(visits)
	doc.add(openers(b, opt))
	doc.add(temperature(b))
	doc.add(concernsSection(b))
	doc.add(followUpsSection(b))
	doc.add(recent(b))
	doc.add(avoid(b, opt))
	var notes Section
	notes.Title = "Latest notes"
	for _, n := range b.Notes {
		if n.Confidential && !opt.Confidential {
			continue
		}
		notes.Items = append(notes.Items, Item{Text: n.Text, Detail: []string{Day(n.At)}})
	}
	doc.add(notes)
	var contact Section
	contact.Title = "Contact"
	for _, p := range c.Phones {
		contact.Items = append(contact.Items, Item{Text: prefixed("", p.Label+": ") + p.Value})
	}
	for _, e := range c.Emails {
		contact.Items = append(contact.Items, Item{Text: prefixed("", e.Label+": ") + e.Value})
	}
	for _, a := range c.Addresses {
		contact.Items = append(contact.Items, Item{Text: prefixed("", a.Label+": ") + a.OneLine()})
	}
	for _, col := range b.Colleagues {
		contact.Items = append(contact.Items, Item{Text: "Colleague: " + col.Name + prefixed(", ", col.Title)})
	}
	contact.more(len(b.Colleagues), b.ColleaguesTotal, "colleagues at "+c.Company)
	doc.add(contact)
	return doc
}

// more closes a capped list, of which loaded were read, with how many of
// total it leaves out, counted in the user's locale: "and 9,980 more
// colleagues at Acme".
func (s *Section) more(loaded, total int, what string) {
	if rest := total - loaded; rest > 0 {
		s.Items = append(s.Items, Item{Text: fmt.Sprintf("and %s more %s", locale.Count(rest), what), More: true})
	}
}

func (d *Doc) add(s Section) {
	if len(s.Items) > 0 {
		d.Sections = append(d.Sections, s)
	}
}

func contactLine(b *data.Briefing) string {
	st := b.Contact
	last := "never contacted"
	if !st.LastContact.IsZero() {
		last = "last contact " + Ago(b.Now, st.LastContact)
	}
	switch st.State(b.Now) {
	case "":
		if st.LastContact.IsZero() {
			return ""
		}
		return "Last contact " + Ago(b.Now, st.LastContact)
	case "overdue":
		return fmt.Sprintf("Contact OVERDUE since %s (every %d days; %s)", Day(st.OverdueAt), st.Cadence.Days, last)
	case "due":
		return fmt.Sprintf("Contact due since %s (every %d days; %s)", Day(st.DueAt), st.Cadence.Days, last)
	default:
		return fmt.Sprintf("Next contact due %s (every %d days; %s)", In(b.Now, st.DueAt), st.Cadence.Days, last)
	}
}

func openers(b *data.Briefing, opt Options) Section {
	s := Section{Title: "Personal openers"}
	for _, f := range b.Profile.Family {
		if f.Confidential && !opt.Confidential {
			continue
		}
		text := strings.ToUpper(f.Relation[:1]) + f.Relation[1:] + ": " + f.Name
		if age, ok := f.Birthday.AgeOn(b.Now); ok {
			text += fmt.Sprintf(", %d", age)
		}
		var detail []string
		if !f.Birthday.IsZero() {
			detail = append(detail, "birthday "+FormatDate(f.Birthday))
		}
		if f.Notes != "" {
			detail = append(detail, f.Notes)
		}
		s.Items = append(s.Items, Item{Text: text, Detail: detail, Flag: confidentialFlag(f.Confidential)})
	}
	for _, p := range b.Profile.Pets {
		if p.Confidential && !opt.Confidential {
			continue
		}
		s.Items = append(s.Items, Item{Text: "Pet: " + p.Name + prefixed(" (", p.Species, ")"), Detail: nonEmpty(p.Notes), Flag: confidentialFlag(p.Confidential)})
	}
	for _, d := range b.Dates {
		if d.Confidential && !opt.Confidential {
			continue
		}
		who := d.Who
		if d.Relation == "" {
			who = "Their own"
		} else {
			who += "’s"
		}
		text := fmt.Sprintf("%s %s %s (%s)", who, d.What, In(b.Now, d.On), Day(d.On))
		if d.Years > 0 {
			if d.What == "birthday" {
				text += fmt.Sprintf(", turns %d", d.Years)
			} else {
				text += fmt.Sprintf(", %d years", d.Years)
			}
		}
		s.Items = append(s.Items, Item{Text: text, Flag: "coming up"})
	}
	for _, cat := range data.ProfileCategories {
		if cat.Key == data.CatAvoid {
			continue
		}
		var texts []string
		conf := false
		for _, it := range b.Profile.Items {
			if it.Category == cat.Key && (!it.Confidential || opt.Confidential) {
				texts = append(texts, it.Text)
				conf = conf || it.Confidential
			}
		}
		if len(texts) > 0 {
			s.Items = append(s.Items, Item{Text: cat.Label + ": " + strings.Join(texts, "; "), Flag: confidentialFlag(conf)})
		}
	}
	p := b.Profile
	s.more(0, b.FamilyTotal-len(p.Family)+b.PetsTotal-len(p.Pets)+b.ItemsTotal-len(p.Items),
		"family members, pets and profile entries on the customer page")
	return s
}

func confidentialFlag(c bool) string {
	if c {
		return "confidential"
	}
	return ""
}

func temperature(b *data.Briefing) Section {
	s := Section{Title: "Temperature"}
	t := b.Temperature
	if t.Current == 0 {
		return s
	}
	line := fmt.Sprintf("Now %d/5 %s", t.Current, Stars(t.Current))
	flag := ""
	if t.Dropped {
		line += fmt.Sprintf(", down from %d", t.Previous)
		flag = "dropped"
	}
	if len(t.Readings) > 1 {
		line += "  trend " + Sparkline(t.Readings)
	}
	s.Items = append(s.Items, Item{Text: line, Flag: flag})
	if u := t.LastUnsatisfied; u != nil {
		text := fmt.Sprintf("Last unsatisfied: %d/5 on %s", u.Value, Day(u.At))
		var detail []string
		if u.Concern != "" {
			detail = append(detail, "about: "+u.Concern)
		}
		if u.Comment != "" {
			detail = append(detail, "they said: “"+u.Comment+"”")
		}
		s.Items = append(s.Items, Item{Text: text, Detail: detail})
	}
	return s
}

func concernsSection(b *data.Briefing) Section {
	s := Section{Title: "Concerns and priorities", Ordered: true}
	for _, c := range b.Concerns {
		it := Item{Text: c.Text, Detail: []string{"confirmed " + Ago(b.Now, c.ConfirmedAt) + " (" + Day(c.ConfirmedAt) + ")"}}
		if c.CalibrationDue {
			it.Flag = "re-check: not confirmed for over " + fmt.Sprint(b.CalibrationDays) + " days"
		}
		s.Items = append(s.Items, it)
	}
	s.more(len(b.Concerns), b.ConcernsTotal, "open concerns")
	return s
}

func followUpsSection(b *data.Briefing) Section {
	s := Section{Title: "Open promises and follow-ups"}
	for _, f := range b.FollowUps {
		kind := "Follow-up"
		if f.Promise {
			kind = "Promised"
		}
		it := Item{Text: fmt.Sprintf("%s: %s — due %s", kind, f.Text, Day(f.Due.Time()))}
		if f.Overdue(b.Now) {
			it.Flag = "overdue"
		}
		s.Items = append(s.Items, it)
	}
	s.more(len(b.FollowUps), b.FollowUpsTotal, "open follow-ups")
	return s
}

func recent(b *data.Briefing) Section {
	s := Section{Title: fmt.Sprintf("Last interactions (%s in all)", locale.Count(b.Interactions))}
	for _, in := range b.Recent {
		head := fmt.Sprintf("%s · %s", DayTime(in.At), strings.ToUpper(in.Kind[:1])+in.Kind[1:])
		if in.Duration > 0 {
			head += fmt.Sprintf(" · %d min", int(in.Duration.Minutes()))
		}
		it := Item{Text: head + " — " + in.Summary}
		if in.Notes != "" {
			it.Detail = append(it.Detail, in.Notes)
		}
		if in.Heard != "" {
			h := "What I heard: “" + in.Heard + "”"
			if in.HeardConfirmed {
				h += " (they confirmed)"
			} else {
				h += " (not confirmed)"
			}
			it.Detail = append(it.Detail, h)
		}
		if in.Temperature > 0 {
			it.Detail = append(it.Detail, fmt.Sprintf("Temperature %d/5 %s%s", in.Temperature, Stars(in.Temperature), prefixed(" — “", in.TempComment, "”")))
		}
		s.Items = append(s.Items, it)
	}
	return s
}

func avoid(b *data.Briefing, opt Options) Section {
	s := Section{Title: "Topics to avoid"}
	for _, it := range b.Profile.Items {
		if it.Category == data.CatAvoid && (!it.Confidential || opt.Confidential) {
			s.Items = append(s.Items, Item{Text: it.Text, Flag: confidentialFlag(it.Confidential)})
		}
	}
	return s
}

// prefixed returns pre+v+post, or "" when v is empty.
func prefixed(pre, v string, post ...string) string {
	if strings.TrimSpace(strings.Trim(v, ": ")) == "" {
		return ""
	}
	return pre + v + strings.Join(post, "")
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	return out
}

func joinNonEmpty(sep string, parts ...string) string {
	return strings.Join(nonEmpty(parts...), sep)
}
