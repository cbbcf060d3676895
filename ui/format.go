package ui

import (
	"fmt"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/rapportcrm/rapport/data"
)

// locale is how the user's region writes dates, times and numbers. Only
// the order of the parts, the clock and the digit grouping follow it: month
// and day names stay English, like the rest of the window.
type locale struct {
	monthFirst bool // "Mon, Mar 2, 2026" rather than "Mon 2 Mar 2026"
	clock12    bool // "2:30 PM" rather than "14:30"
	numbers    *message.Printer
}

// The regions that write the month first, and those that use a 12-hour
// clock. Everywhere else writes the day first with a 24-hour clock. A short
// list rather than all of CLDR: golang.org/x/text has no date patterns.
var (
	monthFirstRegions = regions("US PH AS GU MP PR UM VI FM MH PW")
	clock12Regions    = regions("US PH AS GU MP PR UM VI FM MH PW AU NZ IN PK BD EG SA MY")
)

func regions(codes string) map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(codes) {
		m[c] = true
	}
	return m
}

// newLocale reads a POSIX ("en_US.UTF-8", "de_DE@euro", "C") or BCP 47
// ("en-GB") locale name; a language alone stands for its main region ("de"
// for Germany). What cannot be read is taken as English (US), as Fyne does.
func newLocale(name string) locale {
	name, _, _ = strings.Cut(name, ".")
	name, _, _ = strings.Cut(name, "@")
	if name == "C" || name == "POSIX" {
		name = "en-US"
	}
	tag, err := language.Parse(strings.ReplaceAll(name, "_", "-"))
	if err != nil {
		tag = language.AmericanEnglish
	}
	region, _ := tag.Region()
	r := region.String()
	base, _ := tag.Base()
	return locale{
		monthFirst: monthFirstRegions[r] || r == "CA" && base.String() == "en",
		clock12:    clock12Regions[r] || r == "CA" && base.String() == "en",
		numbers:    message.NewPrinter(tag),
	}
}

// systemLocale names the user's locale for dates: LC_ALL, LC_TIME or LANG
// as POSIX systems set them, else what Fyne finds (macOS, Windows).
func systemLocale() string {
	for _, v := range []string{"LC_ALL", "LC_TIME", "LANG"} {
		if s := os.Getenv(v); s != "" {
			return s
		}
	}
	return lang.SystemLocale().String()
}

// loc is the user's locale; tests set their own.
var loc = newLocale(systemLocale())

// now is the clock the screens use; tests may replace it.
var now = time.Now

// formatDateTime writes a moment: "Mon 2 Mar 2026, 14:30", or in the US
// "Mon, Mar 2, 2026, 2:30 PM".
func formatDateTime(t time.Time) string { return formatDay(t) + ", " + formatClock(t) }

// formatDay writes the day of a moment: "Mon 2 Mar 2026", "Mon, Mar 2, 2026".
func formatDay(t time.Time) string {
	if loc.monthFirst {
		return t.Local().Format("Mon, Jan 2, 2006")
	}
	return t.Local().Format("Mon 2 Jan 2006")
}

// formatShort writes a moment of this year, for lists: "Mon 2 Mar 14:30",
// "Mon, Mar 2, 2:30 PM".
func formatShort(t time.Time) string {
	if loc.monthFirst {
		return t.Local().Format("Mon, Jan 2, ") + formatClock(t)
	}
	return t.Local().Format("Mon 2 Jan ") + formatClock(t)
}

// formatClock writes the time of day: "14:30", "2:30 PM".
func formatClock(t time.Time) string {
	if loc.clock12 {
		return t.Local().Format("3:04 PM")
	}
	return t.Local().Format("15:04")
}

// clockExample is a time of day as the user writes it: "14:30", "2:30 PM".
func clockExample() string { return formatClock(time.Date(2000, 1, 1, 14, 30, 0, 0, time.Local)) }

// clockHint explains the time entries; both clocks are read everywhere.
func clockHint() string {
	if loc.clock12 {
		return "Like 2:30 PM (or 14:30)."
	}
	return "24-hour clock, like 14:30."
}

// formatDate writes a calendar date, without a year when it is unknown:
// "15 April 1975", "15 April"; in the US "April 15, 1975", "April 15".
func formatDate(d data.Date) string {
	if d.IsZero() {
		return ""
	}
	switch {
	case !d.HasYear() && loc.monthFirst:
		return fmt.Sprintf("%s %d", d.Month, d.Day)
	case !d.HasYear():
		return fmt.Sprintf("%d %s", d.Day, d.Month)
	case loc.monthFirst:
		return fmt.Sprintf("%s %d, %d", d.Month, d.Day, d.Year)
	}
	return fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year)
}

// formatBirthday adds the age when the year is known and says when the next
// birthday is if it is soon: "15 April 1975 (50) · in 3 days".
func formatBirthday(d data.Date) string {
	if d.IsZero() {
		return ""
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
func formatNumber(n int) string { return loc.numbers.Sprintf("%d", n) }

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
