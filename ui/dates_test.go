package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

// jan12 is a day whose day and month can be mistaken for each other.
var jan12 = time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC)

// Under C.UTF-8 (what make run sets) the window writes dates as the command
// line does, day first, and its date entries write and read ISO 8601, which
// no one misreads; under en_US they are month first, under en_GB day first.
func TestDatesOneRule(t *testing.T) {
	defer locale.Set(locale.Current())
	for _, c := range []struct {
		env, entry, day string
		typed           string // another way to type 12 January that is read
	}{
		{"C.UTF-8", "2026-01-12", "Mon 12 Jan 2026", "12/01/2026"},
		{"en_US.UTF-8", "01/12/2026", "Mon, Jan 12, 2026", "1/12/2026"},
		{"en_GB.UTF-8", "12/01/2026", "Mon 12 Jan 2026", "12/1/2026"},
		{"de_DE.UTF-8", "12.01.2026", "Mon 12 Jan 2026", "2026-01-12"},
	} {
		t.Run(c.env, func(t *testing.T) {
			t.Setenv("LC_ALL", c.env)
			UseSystemLocale()
			cli := locale.Parse(c.env) // as the command line reads the environment
			if got, want := formatDay(jan12), cli.Day(jan12); got != want || got != c.day {
				t.Errorf("the window writes %q, the command line %q, want %q", got, want, c.day)
			}
			u, s := newTestUI(t, person("Jane", "Doe", "Acme"))
			cust, err := s.Customer(context.Background(), customerID(t, s, "Jane Doe"))
			if err != nil {
				t.Fatal(err)
			}
			onUI(u, func() { u.openLogDialog(cust, nil) })
			d := u.logDialog
			onUI(u, func() { d.date.SetDate(&jan12) })
			if d.date.Text != c.entry {
				t.Errorf("the date entry reads %q, want %q", d.date.Text, c.entry)
			}
			for _, typed := range []string{c.entry, c.typed} {
				onUI(u, func() { d.date.SetText(""); test.Type(d.date, typed) })
				at, msg := d.when()
				if msg != "" || at.Year() != 2026 || at.Month() != time.January || at.Day() != 12 {
					t.Errorf("typed %q: read as %v (%q), want 12 January 2026", typed, at, msg)
				}
			}
			onUI(u, func() { d.date.SetText(""); test.Type(d.date, "31/31/2026") })
			if _, msg := d.when(); !strings.Contains(msg, "31/31/2026") {
				t.Errorf("a day that is not one: message %q", msg)
			}
		})
	}
}

// The date format chosen in Settings is stored in the preferences and
// applies at once: to the customer page, to the date entries, and to the
// next start; "From the system locale" goes back to the locale's.
func TestDateFormatSetting(t *testing.T) {
	defer locale.Set(locale.Current())
	locale.Set(locale.Parse("C.UTF-8"))
	u, s := newSampleUI(t)
	id := customerID(t, s, "Klaus Müller")
	openCustomer(t, u, id)
	klaus, err := s.Customer(context.Background(), id)
	if err != nil || klaus.Birthday.IsZero() {
		t.Fatalf("Klaus Müller: %v, birthday %v", err, klaus.Birthday)
	}
	choose := func(label string) {
		t.Helper()
		onUI(u, u.onSettings)
		u.wait()
		onUI(u, func() { u.settingsDates.SetSelected(label) })
		if u.settingsDates.Selected != label {
			t.Fatalf("Settings offers %q, not %q", u.settingsDates.Options, label)
		}
		tapLocked(u, u.settingsDialog.save)
		u.wait()
	}
	choose("12/31/2026")
	if got := u.app.Preferences().String(prefDateFormat); got != string(locale.MonthFirst) {
		t.Errorf("stored format %q, want %q", got, locale.MonthFirst)
	}
	us := locale.Parse("en_US").Date(klaus.Birthday)
	if !strings.Contains(u.customer.birthday.Text, us) {
		t.Errorf("the page's birthday reads %q, want %q in it", u.customer.birthday.Text, us)
	}
	e := newDateEntry()
	e.SetDate(&jan12)
	if e.Text != "01/12/2026" || e.PlaceHolder != "12/31/2026" {
		t.Errorf("a date entry reads %q (placeholder %q), want 01/12/2026", e.Text, e.PlaceHolder)
	}

	choose("From the system locale (2026-12-31)")
	if got := locale.Numeric(jan12); got != "2026-01-12" || u.app.Preferences().String(prefDateFormat) != "" {
		t.Errorf("back to the locale: %q, stored %q", got, u.app.Preferences().String(prefDateFormat))
	}
	if want := locale.Parse("C").Date(klaus.Birthday); !strings.Contains(u.customer.birthday.Text, want) {
		t.Errorf("the page's birthday reads %q, want %q in it", u.customer.birthday.Text, want)
	}
}

// A birthday typed in numbers in the customer editor is read in the order
// the window writes dates: month first in the US, day first in Britain.
func TestEditorBirthdayInLocaleOrder(t *testing.T) {
	defer locale.Set(locale.Current())
	for _, c := range []struct{ locale, want string }{{"en_US", "1975-04-05"}, {"en_GB", "1975-05-04"}} {
		t.Run(c.locale, func(t *testing.T) {
			locale.Set(locale.Parse(c.locale))
			u, s := newTestUI(t, person("Jane", "Doe", "Acme"))
			id := u.customers.selectedID
			openCustomer(t, u, id)
			onUI(u, u.customer.onEdit)
			e := u.editor
			if want := locale.Current().Yearless(); !strings.Contains(e.birthday.PlaceHolder, want) {
				t.Errorf("the birthday's example %q lacks %q", e.birthday.PlaceHolder, want)
			}
			onUI(u, func() { e.birthday.SetText("04/05/1975") })
			tapLocked(u, e.save)
			u.wait()
			got, err := s.Customer(context.Background(), id)
			if err != nil || got.Birthday.String() != c.want {
				t.Errorf("04/05/1975 stored as %v (%v), want %s", got.Birthday, err, c.want)
			}
		})
	}
}

// The date format chosen in Settings applies from the start of the next run.
func TestDateFormatAtStart(t *testing.T) {
	defer locale.Set(locale.Current())
	locale.Set(locale.Parse("C.UTF-8"))
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefDateFormat, string(locale.MonthFirst))
	s, err := data.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	u := New(a, s)
	u.win.Show()
	u.wait()
	if got := locale.Numeric(jan12); got != "01/12/2026" {
		t.Errorf("at start 12 January is %q, want 01/12/2026", got)
	}
	if got := u.dateFormatLabel(u.dateFormat()); got != "12/31/2026" {
		t.Errorf("Settings would show %q", got)
	}
	a.Preferences().SetString(prefDateFormat, "dd-mm-yy from a later version")
	if u.dateFormat() != locale.FromSystem {
		t.Errorf("an unknown stored format is %q, want the system's", u.dateFormat())
	}
}

// The calendar beside a date entry puts the day picked into it, written as
// the window writes dates.
func TestDateEntryCalendar(t *testing.T) {
	defer locale.Set(locale.Current())
	locale.Set(locale.Parse("en_GB"))
	u, _ := newTestUI(t, person("Jane", "Doe", "Acme"))
	e := newDateEntry()
	onUI(u, func() {
		u.win.SetContent(e)
		e.SetDate(&jan12)
		test.Tap(e.ActionItem.(*keyButton))
	})
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no calendar shown")
	}
	day := findButton(top, "20")
	if day == nil {
		t.Fatalf("the calendar has no day 20: %q", joined(top))
	}
	onUI(u, func() { test.Tap(day) })
	if e.Text != "20/01/2026" || e.Date == nil || !e.Date.Equal(time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("picked 20 January: the entry reads %q, date %v", e.Text, e.Date)
	}
	if u.win.Canvas().Overlays().Top() != nil {
		t.Error("the calendar stays open after a day was picked")
	}
}
