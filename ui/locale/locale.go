// Package locale writes dates, times and counts as the user's region does,
// for the window, the command line and the briefing documents alike. Only
// the order of the parts, the clock and the digit grouping follow the
// locale: month and day names stay English, like the rest of Rapport.
//
// It reads LC_ALL, LC_TIME and LANG itself and knows nothing of Fyne, so
// the command line stays free of it; the window asks Fyne when the
// environment says nothing (macOS, Windows) and calls Set.
package locale

import (
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/localefix"
)

// Locale is how one region writes dates, times and numbers.
type Locale struct {
	monthFirst bool             // "Mon, Mar 2, 2026" rather than "Mon 2 Mar 2026"
	clock12    bool             // "2:30 PM" rather than "14:30"
	letter     bool             // prints on US Letter rather than A4
	numbers    *message.Printer // nil: digits not grouped, as in the C locale
	layout     string           // dates in numbers, as a Go layout; "" is ISO 8601
}

// DateFormat is a choice of how dates are written in numbers, for people
// whose locale says nothing useful (C.UTF-8) or says what they do not want.
type DateFormat string

// The date formats to choose from. FromSystem follows the locale.
const (
	FromSystem DateFormat = ""
	DayFirst   DateFormat = "dmy" // 31/12/2026
	MonthFirst DateFormat = "mdy" // 12/31/2026
	ISO        DateFormat = "iso" // 2026-12-31
)

// DateFormats are the choices in the order a user is offered them.
var DateFormats = []DateFormat{FromSystem, DayFirst, MonthFirst, ISO}

// isoLayout is ISO 8601, read everywhere whatever the format.
const isoLayout = "2006-01-02"

// Example is the last day of 2026 as the format writes it, or a label for
// following the system.
func (f DateFormat) Example() string {
	switch f {
	case DayFirst:
		return "31/12/2026"
	case MonthFirst:
		return "12/31/2026"
	case ISO:
		return "2026-12-31"
	}
	return "From the system locale"
}

// WithDateFormat is l with dates written as f chooses: the order of day and
// month in words and in numbers. FromSystem leaves l as it is.
func (l Locale) WithDateFormat(f DateFormat) Locale {
	switch f {
	case DayFirst:
		l.monthFirst, l.layout = false, "02/01/2006"
	case MonthFirst:
		l.monthFirst, l.layout = true, "01/02/2006"
	case ISO:
		l.monthFirst, l.layout = false, isoLayout
	}
	return l
}

// The regions that write the month first, and those that use a 12-hour
// clock. Everywhere else writes the day first with a 24-hour clock. A short
// list rather than all of CLDR: golang.org/x/text has no date patterns.
var (
	monthFirstRegions = regions("US PH AS GU MP PR UM VI FM MH PW")
	clock12Regions    = regions("US PH AS GU MP PR UM VI FM MH PW AU NZ IN PK BD EG SA MY")
	letterRegions     = regions("US CA MX PH PR CL CO VE GT CR PA DO SV HN NI")
	dottedRegions     = regions("DE AT CH LI PL CZ SK RU UA BY NO FI DK IS TR HR RO BG RS SI EE LV AZ KZ")
	isoRegions        = regions("SE LT HU CN JP KR TW MN")
)

func regions(codes string) map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(codes) {
		m[c] = true
	}
	return m
}

// IsPOSIX reports whether name is the POSIX locale ("C", "C.UTF-8",
// "POSIX") or no locale at all.
func IsPOSIX(name string) bool {
	name, _, _ = strings.Cut(name, ".")
	name, _, _ = strings.Cut(name, "@")
	return name == "" || name == "C" || name == "POSIX"
}

// Parse reads a POSIX ("en_US.UTF-8", "de_DE@euro") or BCP 47 ("en-GB")
// locale name; a language alone stands for its main region ("de" for
// Germany). The POSIX locale writes the day first on a 24-hour clock with
// plain digits, and dates in numbers as ISO 8601 (2026-12-31), which no one
// misreads: what Rapport's command line always wrote, and what a script run
// under LANG=C expects. The window follows the same rule. What cannot be read is taken as English (US),
// as Fyne does.
func Parse(name string) Locale {
	if IsPOSIX(name) {
		return Locale{}
	}
	name, _, _ = strings.Cut(name, ".")
	name, _, _ = strings.Cut(name, "@")
	tag, err := language.Parse(strings.ReplaceAll(name, "_", "-"))
	if err != nil {
		tag = language.AmericanEnglish
	}
	region, _ := tag.Region()
	r := region.String()
	base, _ := tag.Base()
	englishCanada := r == "CA" && base.String() == "en"
	l := Locale{
		monthFirst: monthFirstRegions[r] || englishCanada,
		clock12:    clock12Regions[r] || englishCanada,
		letter:     letterRegions[r],
		numbers:    message.NewPrinter(tag),
		layout:     "02/01/2006",
	}
	switch {
	case l.monthFirst:
		l.layout = "01/02/2006"
	case dottedRegions[r]:
		l.layout = "02.01.2006"
	case isoRegions[r]:
		l.layout = isoLayout
	}
	return l
}

// FromEnv names the locale for dates as POSIX systems set it: LC_ALL, else
// LC_TIME, else LANG. It reports false when none is set. A "C" that
// localefix rewrote for Fyne's sake is read as the user's C.
func FromEnv() (string, bool) {
	for _, v := range []string{"LC_ALL", "LC_TIME", "LANG"} {
		if s := localefix.Getenv(v); s != "" {
			return s, true
		}
	}
	return "", false
}

var current atomic.Pointer[Locale]

// Current is the locale the package functions write in: the last one Set,
// else the environment's.
func Current() Locale {
	if l := current.Load(); l != nil {
		return *l
	}
	name, _ := FromEnv()
	l := Parse(name)
	current.CompareAndSwap(nil, &l)
	return *current.Load()
}

// Set makes l the current locale and returns the one before, so a test can
// write defer locale.Set(locale.Set(locale.Parse("en_GB"))).
func Set(l Locale) Locale {
	prev := Current()
	current.Store(&l)
	return prev
}

// MonthFirst reports whether the month comes before the day.
func (l Locale) MonthFirst() bool { return l.monthFirst }

// LetterPaper reports whether the region prints on US Letter paper rather
// than A4.
func (l Locale) LetterPaper() bool { return l.letter }

// Clock12 reports whether times of day are on a 12-hour clock.
func (l Locale) Clock12() bool { return l.clock12 }

// Day writes the day of a moment: "Mon 2 Mar 2026", "Mon, Mar 2, 2026".
// Times are written in their own location; the caller picks it.
func (l Locale) Day(t time.Time) string {
	if l.monthFirst {
		return t.Format("Mon, Jan 2, 2006")
	}
	return t.Format("Mon 2 Jan 2006")
}

// DateTime writes a moment: "Mon 2 Mar 2026, 14:30", or in the US
// "Mon, Mar 2, 2026, 2:30 PM".
func (l Locale) DateTime(t time.Time) string { return l.Day(t) + ", " + l.Time(t) }

// Short writes a moment of this year, for lists: "Mon 2 Mar 14:30",
// "Mon, Mar 2, 2:30 PM".
func (l Locale) Short(t time.Time) string {
	if l.monthFirst {
		return t.Format("Mon, Jan 2, ") + l.Time(t)
	}
	return t.Format("Mon 2 Jan ") + l.Time(t)
}

// Time writes the time of day: "14:30", "2:30 PM".
func (l Locale) Time(t time.Time) string {
	if l.clock12 {
		return t.Format("3:04 PM")
	}
	return t.Format("15:04")
}

// Date writes a calendar date, without a year when it is unknown:
// "15 April 1975", "15 April"; in the US "April 15, 1975", "April 15".
func (l Locale) Date(d data.Date) string {
	if d.IsZero() {
		return ""
	}
	if d.IsText() {
		return d.Text
	}
	switch {
	case !d.HasYear() && l.monthFirst:
		return fmt.Sprintf("%s %d", d.Month, d.Day)
	case !d.HasYear():
		return fmt.Sprintf("%d %s", d.Day, d.Month)
	case l.monthFirst:
		return fmt.Sprintf("%s %d, %d", d.Month, d.Day, d.Year)
	}
	return fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year)
}

// DateLayout is how dates are written in numbers, as a Go time layout:
// "02/01/2006", "01/02/2006", "02.01.2006" or "2006-01-02".
func (l Locale) DateLayout() string {
	if l.layout == "" {
		return isoLayout
	}
	return l.layout
}

// Numeric writes the day of t in numbers: "31/12/2026", "12/31/2026".
func (l Locale) Numeric(t time.Time) string { return t.Format(l.DateLayout()) }

// ParseNumeric reads a day written in numbers in l's order, with or without
// leading zeros ("1/2/2026"), or as ISO 8601, which is never ambiguous. The
// day is midnight UTC, as the window's calendars keep it.
func (l Locale) ParseNumeric(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	layout := l.DateLayout()
	short := strings.NewReplacer("02", "2", "01", "1").Replace(layout)
	for _, try := range []string{layout, short, isoLayout} {
		if t, err := time.Parse(try, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a day written like %s", s, l.Numeric(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)))
}

// ParseDate reads a date as data.ParseDate does (words, ISO 8601, vCard
// forms), except that a date in numbers with slashes or dots ("04/15/1975",
// "04/15") is read in l's order: month first where the month comes first.
// Unlike data.ParseDate, which reads vCards and files and always takes the
// day first, this is for what a user types into the window.
func (l Locale) ParseDate(s string) (data.Date, error) {
	s = strings.TrimSpace(s)
	if l.monthFirst && strings.ContainsAny(s, "/.") {
		parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '.' })
		if (len(parts) == 2 || len(parts) == 3) && len(parts[0]) <= 2 {
			parts[0], parts[1] = parts[1], parts[0]
			d, err := data.ParseDate(strings.Join(parts, "/"))
			if err != nil {
				return data.Date{}, fmt.Errorf("%q is not a date (month first, like %s)", s, l.Numeric(time.Date(1975, 4, 15, 0, 0, 0, 0, time.UTC)))
			}
			return d, nil
		}
	}
	return data.ParseDate(s)
}

// Yearless writes 15 April without a year in numbers, as ParseDate reads it
// back: "15/04", "04/15", "15.04", or "04-15" where dates are ISO 8601.
func (l Locale) Yearless() string {
	switch l.DateLayout() {
	case isoLayout:
		return "04-15"
	case "01/02/2006":
		return "04/15"
	case "02.01.2006":
		return "15.04"
	}
	return "15/04"
}

// Count writes a number with its digits grouped as the region does:
// "10,000" in English, "10.000" in German, "10000" in the C locale.
func (l Locale) Count(n int) string {
	if l.numbers == nil {
		return strconv.Itoa(n)
	}
	return l.numbers.Sprintf("%d", n)
}

// Day writes t's day in the current locale; see Locale.Day.
func Day(t time.Time) string { return Current().Day(t) }

// DateTime writes t in the current locale; see Locale.DateTime.
func DateTime(t time.Time) string { return Current().DateTime(t) }

// Short writes t without its year in the current locale; see Locale.Short.
func Short(t time.Time) string { return Current().Short(t) }

// Time writes t's time of day in the current locale; see Locale.Time.
func Time(t time.Time) string { return Current().Time(t) }

// Date writes d in the current locale; see Locale.Date.
func Date(d data.Date) string { return Current().Date(d) }

// Numeric writes t's day in numbers in the current locale; see Locale.Numeric.
func Numeric(t time.Time) string { return Current().Numeric(t) }

// ParseNumeric reads a day in numbers in the current locale; see
// Locale.ParseNumeric.
func ParseNumeric(s string) (time.Time, error) { return Current().ParseNumeric(s) }

// ParseDate reads a date a user typed in the current locale; see
// Locale.ParseDate.
func ParseDate(s string) (data.Date, error) { return Current().ParseDate(s) }

// Count writes n in the current locale; see Locale.Count.
func Count(n int) string { return Current().Count(n) }

// FileSize writes a size in bytes for people: "820 KB", "81.8 MB" (decimal
// units, as file managers show them).
func FileSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%d KB", (n+500)/1000)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.1f GB", float64(n)/1e9)
}
