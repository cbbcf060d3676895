package ui

import (
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

// TestLocale checks the window's side: C read by the command line's rule
// (day first, 24 hours, plain digits), times in local time, and the clock
// read back by the time entries.
// The layouts of each region are tested in package locale.
func TestLocale(t *testing.T) {
	defer locale.Set(locale.Current())
	at := time.Date(2026, 3, 2, 14, 30, 0, 0, time.Local)
	for _, c := range []struct {
		locale, dateTime, short, date, yearless, count string
	}{
		{"en_US.UTF-8", "Mon, Mar 2, 2026, 2:30 PM", "Mon, Mar 2, 2:30 PM", "April 15, 1975", "April 15", "10,000 customers"},
		{"C.UTF-8", "Mon 2 Mar 2026, 14:30", "Mon 2 Mar 14:30", "15 April 1975", "15 April", "10000 customers"},
		{"en", "Mon, Mar 2, 2026, 2:30 PM", "Mon, Mar 2, 2:30 PM", "April 15, 1975", "April 15", "10,000 customers"},
		{"en_GB.UTF-8", "Mon 2 Mar 2026, 14:30", "Mon 2 Mar 14:30", "15 April 1975", "15 April", "10,000 customers"},
		{"en_AU", "Mon 2 Mar 2026, 2:30 PM", "Mon 2 Mar 2:30 PM", "15 April 1975", "15 April", "10,000 customers"},
		{"en-CA", "Mon, Mar 2, 2026, 2:30 PM", "Mon, Mar 2, 2:30 PM", "April 15, 1975", "April 15", "10,000 customers"},
		{"fr_CA.UTF-8", "Mon 2 Mar 2026, 14:30", "Mon 2 Mar 14:30", "15 April 1975", "15 April", "10\u00a0000 customers"},
		{"de_DE.UTF-8", "Mon 2 Mar 2026, 14:30", "Mon 2 Mar 14:30", "15 April 1975", "15 April", "10.000 customers"},
		{"de_CH.UTF-8", "Mon 2 Mar 2026, 14:30", "Mon 2 Mar 14:30", "15 April 1975", "15 April", "10’000 customers"},
		{"fr_FR@euro", "Mon 2 Mar 2026, 14:30", "Mon 2 Mar 14:30", "15 April 1975", "15 April", "10\u00a0000 customers"},
		{"not a locale", "Mon, Mar 2, 2026, 2:30 PM", "Mon, Mar 2, 2:30 PM", "April 15, 1975", "April 15", "10,000 customers"},
	} {
		t.Run(c.locale, func(t *testing.T) {
			locale.Set(locale.Parse(c.locale))
			if got := formatDateTime(at); got != c.dateTime {
				t.Errorf("formatDateTime = %q, want %q", got, c.dateTime)
			}
			if got := formatShort(at); got != c.short {
				t.Errorf("formatShort = %q, want %q", got, c.short)
			}
			if got := formatDate(data.MustParseDate("1975-04-15")); got != c.date {
				t.Errorf("formatDate = %q, want %q", got, c.date)
			}
			if got := formatDate(data.MustParseDate("--04-15")); got != c.yearless {
				t.Errorf("formatDate without year = %q, want %q", got, c.yearless)
			}
			if h, m, ok := parseClock(formatClock(at)); !ok || h != 14 || m != 30 {
				t.Errorf("the time entry reads %q back as %d:%02d (%v)", formatClock(at), h, m, ok)
			}
			if got := plural(10000, "customer"); got != c.count {
				t.Errorf("plural = %q, want %q", got, c.count)
			}
		})
	}
}

// A birthday in words from a card is shown as the words, and the editor
// keeps it while its entry is unchanged; a typed one must be a date.
func TestTextBirthdayShownAndKept(t *testing.T) {
	d := data.TextDate("circa 1800")
	if got := formatBirthday(d); got != "circa 1800" {
		t.Errorf("formatBirthday = %q", got)
	}
	e := &customerEditor{orig: &data.Customer{GivenName: "Ada", Birthday: d}}
	if got, err := e.parseBirthday(" circa 1800 "); err != nil || got != d {
		t.Errorf("unchanged entry: %#v, %v", got, err)
	}
	if _, err := e.parseBirthday("circa 1801"); err == nil {
		t.Error("a typed birthday in words was accepted")
	}
}
