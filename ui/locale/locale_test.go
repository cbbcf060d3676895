package locale

import (
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data"
)

func TestParse(t *testing.T) {
	at := time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		locale, day, dateTime, short, clock, date, yearless, count string
	}{
		{"en_US.UTF-8", "Mon, Mar 2, 2026", "Mon, Mar 2, 2026, 2:30 PM", "Mon, Mar 2, 2:30 PM", "2:30 PM", "April 15, 1975", "April 15", "10,000"},
		{"en", "Mon, Mar 2, 2026", "Mon, Mar 2, 2026, 2:30 PM", "Mon, Mar 2, 2:30 PM", "2:30 PM", "April 15, 1975", "April 15", "10,000"},
		{"en_GB.UTF-8", "Mon 2 Mar 2026", "Mon 2 Mar 2026, 14:30", "Mon 2 Mar 14:30", "14:30", "15 April 1975", "15 April", "10,000"},
		{"en_AU", "Mon 2 Mar 2026", "Mon 2 Mar 2026, 2:30 PM", "Mon 2 Mar 2:30 PM", "2:30 PM", "15 April 1975", "15 April", "10,000"},
		{"en-CA", "Mon, Mar 2, 2026", "Mon, Mar 2, 2026, 2:30 PM", "Mon, Mar 2, 2:30 PM", "2:30 PM", "April 15, 1975", "April 15", "10,000"},
		{"fr_CA.UTF-8", "Mon 2 Mar 2026", "Mon 2 Mar 2026, 14:30", "Mon 2 Mar 14:30", "14:30", "15 April 1975", "15 April", "10\u00a0000"},
		{"de_DE.UTF-8", "Mon 2 Mar 2026", "Mon 2 Mar 2026, 14:30", "Mon 2 Mar 14:30", "14:30", "15 April 1975", "15 April", "10.000"},
		{"de_CH.UTF-8", "Mon 2 Mar 2026", "Mon 2 Mar 2026, 14:30", "Mon 2 Mar 14:30", "14:30", "15 April 1975", "15 April", "10’000"},
		{"fr_FR@euro", "Mon 2 Mar 2026", "Mon 2 Mar 2026, 14:30", "Mon 2 Mar 14:30", "14:30", "15 April 1975", "15 April", "10\u00a0000"},
		{"en_PH", "Mon, Mar 2, 2026", "Mon, Mar 2, 2026, 2:30 PM", "Mon, Mar 2, 2:30 PM", "2:30 PM", "April 15, 1975", "April 15", "10,000"},
		// The POSIX locale keeps the command line's neutral form for scripts.
		{"C", "Mon 2 Mar 2026", "Mon 2 Mar 2026, 14:30", "Mon 2 Mar 14:30", "14:30", "15 April 1975", "15 April", "10000"},
		{"C.UTF-8", "Mon 2 Mar 2026", "Mon 2 Mar 2026, 14:30", "Mon 2 Mar 14:30", "14:30", "15 April 1975", "15 April", "10000"},
		{"POSIX", "Mon 2 Mar 2026", "Mon 2 Mar 2026, 14:30", "Mon 2 Mar 14:30", "14:30", "15 April 1975", "15 April", "10000"},
		{"", "Mon 2 Mar 2026", "Mon 2 Mar 2026, 14:30", "Mon 2 Mar 14:30", "14:30", "15 April 1975", "15 April", "10000"},
		{"not a locale", "Mon, Mar 2, 2026", "Mon, Mar 2, 2026, 2:30 PM", "Mon, Mar 2, 2:30 PM", "2:30 PM", "April 15, 1975", "April 15", "10,000"},
	} {
		t.Run(c.locale, func(t *testing.T) {
			l := Parse(c.locale)
			for _, f := range []struct{ name, got, want string }{
				{"Day", l.Day(at), c.day},
				{"DateTime", l.DateTime(at), c.dateTime},
				{"Short", l.Short(at), c.short},
				{"Time", l.Time(at), c.clock},
				{"Date", l.Date(data.MustParseDate("1975-04-15")), c.date},
				{"Date without year", l.Date(data.MustParseDate("--04-15")), c.yearless},
				{"Count", l.Count(10000), c.count},
			} {
				if f.got != f.want {
					t.Errorf("%s = %q, want %q", f.name, f.got, f.want)
				}
			}
			if l.Date(data.Date{}) != "" {
				t.Error("an unknown date should be empty")
			}
		})
	}
}

func TestSetAndCurrent(t *testing.T) {
	defer Set(Set(Parse("en_GB")))
	at := time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC)
	if got := DateTime(at); got != "Mon 2 Mar 2026, 14:30" {
		t.Errorf("British DateTime = %q", got)
	}
	prev := Set(Parse("en_US"))
	if prev.MonthFirst() || prev.Clock12() {
		t.Error("Set should return the British locale it replaced")
	}
	if got := DateTime(at); got != "Mon, Mar 2, 2026, 2:30 PM" {
		t.Errorf("American DateTime = %q", got)
	}
	if got := Count(1234567); got != "1,234,567" {
		t.Errorf("Count = %q", got)
	}
}

// TestFromEnv avoids en_US: where the test runs under LANG=C, localefix has
// rewritten LANG to en_US and reads that value back as the user's C.
func TestFromEnv(t *testing.T) {
	for _, c := range []struct {
		all, time, lang, want string
		ok                    bool
	}{
		{"de_DE.UTF-8", "en_GB.UTF-8", "fr_FR.UTF-8", "de_DE.UTF-8", true},
		{"", "en_GB.UTF-8", "fr_FR.UTF-8", "en_GB.UTF-8", true},
		{"", "", "fr_FR.UTF-8", "fr_FR.UTF-8", true},
		{"", "", "C", "C", true},
		{"", "", "", "", false},
	} {
		t.Setenv("LC_ALL", c.all)
		t.Setenv("LC_TIME", c.time)
		t.Setenv("LANG", c.lang)
		if got, ok := FromEnv(); got != c.want || ok != c.ok {
			t.Errorf("LC_ALL=%q LC_TIME=%q LANG=%q: FromEnv = %q, %v; want %q, %v", c.all, c.time, c.lang, got, ok, c.want, c.ok)
		}
	}
}

func TestLetterPaper(t *testing.T) {
	for name, want := range map[string]bool{"en_US.UTF-8": true, "en_CA": true, "fr_CA.UTF-8": true, "es_MX": true,
		"en_GB.UTF-8": false, "de_DE": false, "en_AU": false, "C": false, "": false} {
		if got := Parse(name).LetterPaper(); got != want {
			t.Errorf("%q prints on Letter: %v, want %v", name, got, want)
		}
	}
}

// Dates in numbers follow the locale, C.UTF-8 writes ISO 8601, and a chosen
// format overrides the locale for both the numbers and the words.
func TestNumericDates(t *testing.T) {
	day := time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		locale string
		format DateFormat
		want   string // 12 January 2026 in numbers
		words  string // the same day in words
	}{
		{"C.UTF-8", FromSystem, "2026-01-12", "Mon 12 Jan 2026"},
		{"C", FromSystem, "2026-01-12", "Mon 12 Jan 2026"},
		{"", FromSystem, "2026-01-12", "Mon 12 Jan 2026"},
		{"en_US.UTF-8", FromSystem, "01/12/2026", "Mon, Jan 12, 2026"},
		{"en_GB.UTF-8", FromSystem, "12/01/2026", "Mon 12 Jan 2026"},
		{"de_DE.UTF-8", FromSystem, "12.01.2026", "Mon 12 Jan 2026"},
		{"sv_SE.UTF-8", FromSystem, "2026-01-12", "Mon 12 Jan 2026"},
		{"C.UTF-8", DayFirst, "12/01/2026", "Mon 12 Jan 2026"},
		{"C.UTF-8", MonthFirst, "01/12/2026", "Mon, Jan 12, 2026"},
		{"en_US.UTF-8", DayFirst, "12/01/2026", "Mon 12 Jan 2026"},
		{"en_US.UTF-8", ISO, "2026-01-12", "Mon 12 Jan 2026"},
		{"en_GB.UTF-8", MonthFirst, "01/12/2026", "Mon, Jan 12, 2026"},
	} {
		l := Parse(c.locale).WithDateFormat(c.format)
		if got := l.Numeric(day); got != c.want {
			t.Errorf("%s, %q: Numeric = %q, want %q", c.locale, c.format, got, c.want)
		}
		if got := l.Day(day); got != c.words {
			t.Errorf("%s, %q: Day = %q, want %q", c.locale, c.format, got, c.words)
		}
		for _, in := range []string{c.want, "2026-01-12"} {
			if got, err := l.ParseNumeric(in); err != nil || !got.Equal(day) {
				t.Errorf("%s, %q: ParseNumeric(%q) = %v, %v", c.locale, c.format, in, got, err)
			}
		}
	}
	// Without leading zeros, and what is not a day in that order.
	us := Parse("en_US")
	if got, err := us.ParseNumeric("1/2/2026"); err != nil || got.Month() != time.January || got.Day() != 2 {
		t.Errorf("US 1/2/2026 = %v, %v", got, err)
	}
	if _, err := us.ParseNumeric("13/01/2026"); err == nil {
		t.Error("13/01/2026 read as a US date")
	}
	if _, err := Parse("en_GB").ParseNumeric("tomorrow"); err == nil || !strings.Contains(err.Error(), "31/12/2026") {
		t.Errorf("a bad day's error is %v, want one naming the format", err)
	}
	for _, f := range DateFormats {
		if f.Example() == "" {
			t.Errorf("format %q has no label", f)
		}
	}
}

// What a user types in numbers is read in their order; words, ISO 8601 and
// the forms of vCards are read the same everywhere.
func TestParseDateTyped(t *testing.T) {
	for _, c := range []struct {
		locale, in, want string
	}{
		{"en_US", "04/05/1975", "1975-04-05"},
		{"en_US", "4/15", "--04-15"},
		{"en_US", "1975-04-05", "1975-04-05"},
		{"en_US", "5 April 1975", "1975-04-05"},
		{"en_GB", "04/05/1975", "1975-05-04"},
		{"C.UTF-8", "04/05/1975", "1975-05-04"},
		{"de_DE", "04.05.1975", "1975-05-04"},
	} {
		d, err := Parse(c.locale).ParseDate(c.in)
		if err != nil || d.String() != c.want {
			t.Errorf("%s: %q read as %v, %v; want %s", c.locale, c.in, d, err, c.want)
		}
	}
	if _, err := Parse("en_US").ParseDate("15/04/1975"); err == nil || !strings.Contains(err.Error(), "month first") {
		t.Errorf("a day-first date in the US: %v, want an error saying month first", err)
	}
	for _, c := range []struct{ locale, want string }{{"en_US", "04/15"}, {"en_GB", "15/04"}, {"de_DE", "15.04"}, {"C", "04-15"}} {
		l := Parse(c.locale)
		if got := l.Yearless(); got != c.want {
			t.Errorf("%s: Yearless = %q, want %q", c.locale, got, c.want)
		}
		if d, err := l.ParseDate(l.Yearless()); err != nil || d.Month != time.April || d.Day != 15 || d.HasYear() {
			t.Errorf("%s: %q read back as %v, %v", c.locale, l.Yearless(), d, err)
		}
	}
}

func TestFileSize(t *testing.T) {
	for n, want := range map[int64]string{999: "999 B", 1000: "1 KB", 819_600: "820 KB", 81_800_000: "81.8 MB", 2_500_000_000: "2.5 GB"} {
		if got := FileSize(n); got != want {
			t.Errorf("FileSize(%d) = %q, want %q", n, got, want)
		}
	}
}
