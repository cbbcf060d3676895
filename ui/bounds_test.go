package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestSearchTooLongShownInline: a query over the store's cap is said where
// the matches are counted, not in a dialog, and a shorter one searches again.
func TestSearchTooLongShownInline(t *testing.T) {
	u, _ := newTestUI(t, person("Jane", "Doe", "Acme"), person("Janet", "Roe", "Bolt"))
	onUI(u, func() { u.customers.search.SetText(strings.Repeat("jan ", 100)) })
	u.wait()
	if got := u.customers.status.Text; !strings.Contains(got, "at most 256 characters") {
		t.Errorf("status = %q, want the limit", got)
	}
	if top := u.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("a dialog was shown: %s", joined(top))
	}
	if n := u.customers.length(); n != 0 {
		t.Errorf("%d rows listed for a refused search", n)
	}
	onUI(u, func() { u.customers.search.SetText("jan") })
	u.wait()
	if got := u.customers.status.Text; !strings.Contains(got, "2 of 2 customers match") {
		t.Errorf("after shortening, status = %q", got)
	}
}

// TestLogDialogBounds: minutes that would overflow are refused before they
// are multiplied, and a date the store refuses is said in the dialog.
func TestLogDialogBounds(t *testing.T) {
	u, s := newTestUI(t, person("Jane", "Doe", "Acme"))
	ctx := context.Background()
	c, err := s.Customer(ctx, customerID(t, s, "Jane Doe"))
	if err != nil {
		t.Fatal(err)
	}
	onUI(u, func() { u.openLogDialog(c, nil) })
	d := u.logDialog
	test.Type(d.summary, "Long call")
	for _, tc := range []struct {
		minutes string
		day     time.Time
		msg     string
	}{
		{"307445735", time.Now(), "Duration: 307445735 minutes is more than 24 hours (1440 minutes)."},
		{"1441", time.Now(), "more than 24 hours"},
		{"30", time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), "The date 9999-12-31 is more than a year ahead"},
		{"30", time.Date(1850, 6, 1, 0, 0, 0, 0, time.UTC), "The date 1850-06-01 is before 1900"},
	} {
		onUI(u, func() {
			d.minutes.SetText(tc.minutes)
			day := time.Date(tc.day.Year(), tc.day.Month(), tc.day.Day(), 0, 0, 0, 0, time.UTC)
			d.date.SetDate(&day)
		})
		tapLocked(u, d.save)
		u.wait()
		if !d.message.Visible() || !strings.Contains(d.message.Text, tc.msg) {
			t.Errorf("%s minutes on %s: message %q, want %q", tc.minutes, tc.day.Format("2006-01-02"), d.message.Text, tc.msg)
		}
	}
	if h, _ := s.Interactions(ctx, c.ID, 0, 10); len(h) != 0 {
		t.Errorf("stored %+v", h)
	}
	onUI(u, func() {
		d.minutes.SetText("1440")
		today := time.Now()
		day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
		d.date.SetDate(&day)
	})
	tapLocked(u, d.save)
	u.wait()
	if h, _ := s.Interactions(ctx, c.ID, 0, 10); len(h) != 1 || h[0].Duration != 24*time.Hour {
		t.Errorf("a 24-hour call: %+v (message %q)", h, d.message.Text)
	}
}

// TestPickerSearchTooLongShownInline: the customer picker (Ctrl+L on Today)
// says the limit in its status line, with no dialog over it.
func TestPickerSearchTooLongShownInline(t *testing.T) {
	u, _ := newSampleUI(t)
	if u.pane != paneToday {
		t.Fatalf("start pane %q", u.pane)
	}
	u.win.Canvas().(fyne.Shortcutable).TypedShortcut(scLog)
	u.wait()
	if u.picker == nil {
		t.Fatal("Ctrl+L on Today opened no picker")
	}
	picker := u.win.Canvas().Overlays().Top()
	onUI(u, func() { u.picker.search.SetText(strings.Repeat("x", 300)) })
	u.wait()
	if got := u.picker.status.Text; !strings.Contains(got, "at most 256 characters") {
		t.Errorf("picker status = %q", got)
	}
	if len(u.picker.results) != 0 || u.win.Canvas().Overlays().Top() != picker {
		t.Errorf("%d results; a dialog over the picker: %v", len(u.picker.results), u.win.Canvas().Overlays().Top() != picker)
	}
}
