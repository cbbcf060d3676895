package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
	"github.com/rapportcrm/rapport/ui/report"
)

// UseSystemLocale makes the window's dates, times and numbers, and the
// briefing documents it prints, follow the user's locale by the same rule as
// the command line (C.UTF-8: day first, 24 hours, ISO 8601 in numbers), and
// also on systems whose environment names none. Called once at start-up by
// main, not at package initialisation: the command line shares this binary
// and keeps to the environment's locale alone. The date format chosen in
// Settings is laid over it when the window is built.
func UseSystemLocale() { locale.Set(locale.Parse(systemLocale())) }

// prefDateFormat is the Fyne preference holding the date format chosen in
// Settings (a locale.DateFormat; empty follows the locale).
const prefDateFormat = "dates.format"

// dateFormat is the date format chosen in Settings.
func (u *UI) dateFormat() locale.DateFormat {
	f := locale.DateFormat(u.app.Preferences().String(prefDateFormat))
	for _, known := range locale.DateFormats {
		if f == known {
			return f
		}
	}
	return locale.FromSystem // a value from a later version, or a hand-edited file
}

// setDateFormat keeps f for next time and writes dates as it says from now
// on; the caller shows the screens again. It reports whether f is new.
func (u *UI) setDateFormat(f locale.DateFormat) bool {
	changed := f != u.dateFormat()
	u.app.Preferences().SetString(prefDateFormat, string(f))
	locale.Set(u.systemLocale.WithDateFormat(f))
	return changed
}

// dateFormatLabel is how Settings offers f: "31/12/2026", or for following
// the locale, how it writes that day ("From the system locale (2026-12-31)").
func (u *UI) dateFormatLabel(f locale.DateFormat) string {
	if f == locale.FromSystem {
		return f.Example() + " (" + u.systemLocale.Numeric(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)) + ")"
	}
	return f.Example()
}

// systemLocale names the user's locale for dates: LC_ALL, LC_TIME or LANG
// as POSIX systems set them, else what Fyne finds (macOS, Windows).
func systemLocale() string {
	if name, ok := locale.FromEnv(); ok {
		return name
	}
	return lang.SystemLocale().String()
}

// now is the clock the screens use; tests may replace it.
var now = time.Now

// formatDateTime writes a moment in local time: "Mon 2 Mar 2026, 14:30",
// or in the US "Mon, Mar 2, 2026, 2:30 PM".
func formatDateTime(t time.Time) string { return locale.DateTime(t.Local()) }

// formatDay writes the day of a moment: "Mon 2 Mar 2026", "Mon, Mar 2, 2026".
func formatDay(t time.Time) string { return locale.Day(t.Local()) }

// formatShort writes a moment of this year, for lists: "Mon 2 Mar 14:30",
// "Mon, Mar 2, 2:30 PM".
func formatShort(t time.Time) string { return locale.Short(t.Local()) }

// formatClock writes the time of day: "14:30", "2:30 PM".
func formatClock(t time.Time) string { return locale.Time(t.Local()) }

// clockExample is a time of day as the user writes it: "14:30", "2:30 PM".
func clockExample() string { return formatClock(time.Date(2000, 1, 1, 14, 30, 0, 0, time.Local)) }

// clockHint explains the time entries; both clocks are read everywhere.
func clockHint() string {
	if locale.Current().Clock12() {
		return "Like 2:30 PM (or 14:30)."
	}
	return "24-hour clock, like 14:30."
}

// formatDate writes a calendar date, without a year when it is unknown:
// "15 April 1975", "15 April"; in the US "April 15, 1975", "April 15".
func formatDate(d data.Date) string { return locale.Date(d) }

// formatBirthday adds the age when the year is known and says when the next
// birthday is if it is soon: "15 April 1975 (50) · in 3 days".
func formatBirthday(d data.Date) string {
	if d.IsZero() {
		return ""
	}
	if d.IsText() {
		return d.Text // "circa 1800": no age, no countdown
	}
	today := now()
	s := formatDate(d)
	if age, ok := d.AgeOn(today); ok {
		s += fmt.Sprintf(" (%d)", age)
	}
	next := d.NextOccurrence(today)
	days := daysBetween(today, next)
	switch {
	case days == 0:
		s += " · today!"
	case days == 1:
		s += " · tomorrow"
	case days <= 30:
		s += fmt.Sprintf(" · in %d days", days)
	}
	return s
}

// daysBetween counts calendar days from a to b in local time.
func daysBetween(a, b time.Time) int {
	a = time.Date(a.Year(), a.Month(), a.Day(), 12, 0, 0, 0, time.UTC)
	b = time.Date(b.Year(), b.Month(), b.Day(), 12, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// relative says how long ago (or how far ahead) t is in calendar terms:
// "today", "yesterday", "3 days ago", "2 weeks ago", "in 5 days".
func relative(t time.Time) string {
	n := now()
	days := daysBetween(n.Local(), t.Local())
	future := days > 0
	if days < 0 {
		days = -days
	}
	var s string
	switch {
	case days == 0:
		return "today"
	case days == 1 && future:
		return "tomorrow"
	case days == 1:
		return "yesterday"
	case days < 14:
		s = fmt.Sprintf("%d days", days)
	case days < 60:
		s = plural(days/7, "week")
	case days < 730:
		s = plural(days/30, "month")
	default:
		s = plural(days/365, "year")
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

// formatNumber writes a count with its digits grouped as the user's region
// does: "10,000" in English, "10.000" in German.
func formatNumber(n int) string { return locale.Count(n) }

// plural writes a count of things: "1 customer", "10,000 customers".
func plural(n int, unit string) string { return countOf(n, unit) }

// formatDuration writes minutes as people say them: "45 min", "1 h 30 min".
func formatDuration(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	switch {
	case m <= 0:
		return ""
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m%60 == 0:
		return fmt.Sprintf("%d h", m/60)
	default:
		return fmt.Sprintf("%d h %d min", m/60, m%60)
	}
}

// kindLabel is an interaction kind as a word: "Visit", "E-mail".
func kindLabel(kind string) string {
	switch kind {
	case data.KindEmail:
		return "E-mail"
	case "":
		return ""
	}
	return strings.ToUpper(kind[:1]) + kind[1:]
}

// kindFromLabel is the inverse of kindLabel.
func kindFromLabel(label string) string {
	for _, k := range data.InteractionKinds {
		if kindLabel(k) == label {
			return k
		}
	}
	return data.KindOther
}

// relationLabel is a family relation as a word: "Spouse".
func relationLabel(rel string) string {
	if rel == "" {
		return ""
	}
	return strings.ToUpper(rel[:1]) + rel[1:]
}

func relationFromLabel(label string) string {
	for _, r := range data.Relations {
		if relationLabel(r) == label {
			return r
		}
	}
	return data.RelOther
}

// labelled writes "work: +44 20 7946 0000", or the bare value without a label.
func labelled(l data.Labelled) string {
	if l.Label == "" {
		return l.Value
	}
	return l.Label + ": " + l.Value
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func trim(s string) string { return strings.TrimSpace(s) }

// elsewhere says where an item synced in was last changed ("" when here).
func elsewhere(origin string) string { return report.Elsewhere(origin) }

// visitZone is the zone and city of a visit planned in another zone (nil
// when it is in this machine's).
func visitZone(v data.PlannedVisit) (*time.Location, string) { return report.VisitZone(v) }

// visitWhen writes a visit's time (with its day when withDay); see report.VisitTime.
func visitWhen(v data.PlannedVisit, withDay bool) string {
	if withDay {
		return report.VisitTime(v, locale.Short)
	}
	return report.VisitTime(v, locale.Time)
}
