package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/rapportcrm/rapport/data"
)

// openFollowUp is the open follow-up id of customer cid, if there is one.
func openFollowUp(t *testing.T, s *data.Store, cid, id int64) (data.FollowUp, bool) {
	t.Helper()
	fus, err := s.FollowUps(context.Background(), cid, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fus {
		if f.ID == id {
			return f, true
		}
	}
	return data.FollowUp{}, false
}

func TestTodayUndoDoneAndSnooze(t *testing.T) {
	u, s := newSampleUI(t)
	if u.today.undo.shown() {
		t.Fatal("the undo bar shows before anything was done")
	}

	f := u.today.t.OverdueFollowUps[0]
	tapLocked(u, findButton(u.today.root, "Done"))
	u.wait()
	if _, open := openFollowUp(t, s, f.CustomerID, f.ID); open {
		t.Fatal("Done did not close the follow-up")
	}
	bar := joined(u.today.undo.root)
	if !u.today.undo.shown() || !strings.Contains(bar, "Marked done for "+f.CustomerName) ||
		!strings.Contains(bar, f.Text) || !strings.Contains(bar, "Undo") {
		t.Fatalf("undo bar after Done: shown %v, %q", u.today.undo.shown(), bar)
	}
	tapLocked(u, u.today.undo.undoBtn)
	u.wait()
	if _, open := openFollowUp(t, s, f.CustomerID, f.ID); !open {
		t.Fatal("Undo did not reopen the follow-up")
	}
	if u.today.undo.shown() {
		t.Error("the undo bar stays after Undo")
	}
	if !strings.Contains(joined(u.today.box), f.Text) {
		t.Error("Today does not show the reopened follow-up")
	}

	g := u.today.t.OverdueFollowUps[0]
	tapLocked(u, findButton(u.today.root, "1 week"))
	u.wait()
	if moved, _ := openFollowUp(t, s, g.CustomerID, g.ID); moved.Due == g.Due {
		t.Fatal("1 week did not move the follow-up")
	}
	if bar := joined(u.today.undo.root); !strings.Contains(bar, "Snoozed for a week for "+g.CustomerName) {
		t.Errorf("undo bar after snooze: %q", bar)
	}
	tapLocked(u, u.today.undo.undoBtn)
	u.wait()
	if back, _ := openFollowUp(t, s, g.CustomerID, g.ID); back.Due != g.Due {
		t.Errorf("after Undo the follow-up is due %s, want %s again", back.Due, g.Due)
	}
	if u.today.t.OverdueFollowUps[0].ID != g.ID {
		t.Error("the follow-up is not back among the overdue ones")
	}

	// Ctrl+Z does what Undo does.
	h := u.today.t.OverdueFollowUps[0]
	tapLocked(u, findButton(u.today.root, "Done"))
	u.wait()
	u.win.Canvas().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutUndo{})
	u.wait()
	if _, open := openFollowUp(t, s, h.CustomerID, h.ID); !open || u.today.undo.shown() {
		t.Fatalf("Ctrl+Z after Done: open %v, bar shown %v", open, u.today.undo.shown())
	}

	// The close button dismisses the bar without undoing.
	k := u.today.t.OverdueFollowUps[0]
	tapLocked(u, findButton(u.today.root, "Done"))
	u.wait()
	tapLocked(u, u.today.undo.close)
	u.wait()
	if u.today.undo.shown() {
		t.Error("the close button leaves the undo bar")
	}
	if _, open := openFollowUp(t, s, k.CustomerID, k.ID); open {
		t.Error("closing the undo bar undid Done")
	}
}

func TestFollowUpsPanelUndo(t *testing.T) {
	u, s := newSampleUI(t)
	id := customerID(t, s, "Klaus Müller")
	openCustomer(t, u, id)
	p := u.customer.plan
	if len(p.fuRows) == 0 {
		t.Fatal("Klaus has open follow-ups in the sample")
	}
	f := p.fuRows[0].f

	tapLocked(u, p.fuRows[0].done)
	u.wait()
	if _, open := openFollowUp(t, s, id, f.ID); open || strings.Contains(joined(p.fuBox), f.Text) {
		t.Fatal("Done did not close the follow-up")
	}
	if bar := joined(p.undo.root); !p.undo.shown() || !strings.Contains(bar, "Marked done: "+quoted(f.Text)) {
		t.Fatalf("panel undo bar after Done: shown %v, %q", p.undo.shown(), bar)
	}
	tapLocked(u, p.undo.undoBtn)
	u.wait()
	if _, open := openFollowUp(t, s, id, f.ID); !open || !strings.Contains(joined(p.fuBox), f.Text) {
		t.Fatal("Undo did not bring the follow-up back")
	}

	// Snooze a day (from the Snooze menu), then undo.
	func() {
		u.doMu.Lock()
		defer u.doMu.Unlock()
		p.onSnooze(f, 1)
	}()
	u.wait()
	if moved, _ := openFollowUp(t, s, id, f.ID); moved.Due == f.Due {
		t.Fatal("snooze did not move the follow-up")
	}
	if bar := joined(p.undo.root); !strings.Contains(bar, "Snoozed for 1 day: ") {
		t.Errorf("panel undo bar after snooze: %q", bar)
	}
	tapLocked(u, p.undo.undoBtn)
	u.wait()
	if back, _ := openFollowUp(t, s, id, f.ID); back.Due != f.Due {
		t.Errorf("after Undo the follow-up is due %s, want %s", back.Due, f.Due)
	}

	// The bar is about this customer: another customer's page does not offer it.
	tapLocked(u, p.fuRows[0].done)
	u.wait()
	openCustomer(t, u, customerID(t, s, "Margaret O'Connell"))
	if p.undo.shown() {
		t.Error("another customer's page offers to undo Klaus's follow-up")
	}
}

// typeInPicker types into the customer picker and, with enter, presses Enter
// at once, under the lock UI.do takes: the matches cannot arrive in between.
func typeInPicker(u *UI, text string, enter bool) {
	u.doMu.Lock()
	defer u.doMu.Unlock()
	test.Type(u.picker.search, text)
	if enter {
		u.picker.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
}

func TestCtrlLOnTodayAsksWhom(t *testing.T) {
	u, s := newSampleUI(t)
	ctx := context.Background()
	if u.pane != paneToday {
		t.Fatalf("start pane %q", u.pane)
	}
	// The list loads its first customer behind Today; Ctrl+L must not log with them.
	hidden := u.customer.id
	shortcut := func(sc fyne.Shortcut) {
		u.win.Canvas().(fyne.Shortcutable).TypedShortcut(sc)
		u.wait()
	}

	shortcut(scLog)
	if u.logDialog != nil || u.picker == nil {
		t.Fatalf("Ctrl+L on Today: log dialog %v, picker %v; want the picker", u.logDialog != nil, u.picker != nil)
	}
	if got := joined(topDialog(t, u)); !strings.Contains(got, "Log an interaction with…") {
		t.Errorf("picker says:\n%s", got)
	}
	if len(u.picker.results) == 0 {
		t.Fatal("the picker lists nobody before anything is typed")
	}
	typeInPicker(u, "Klaus", false)
	u.wait()
	if r := u.picker.results; len(r) == 0 || r[0].Name != "Klaus Müller" {
		t.Fatalf("picker matches for Klaus: %v", r)
	}
	typeInPicker(u, "", true)
	u.wait()
	d := u.logDialog
	if d == nil {
		t.Fatal("Enter in the picker did not open the log dialog")
	}
	klaus := customerID(t, s, "Klaus Müller")
	if got := joined(topDialog(t, u)); !strings.Contains(got, "Log an interaction with Klaus Müller") {
		t.Errorf("log dialog is not about Klaus:\n%s", got)
	}
	if open, _ := s.Concerns(ctx, klaus, false); len(d.concerns) != len(open) || len(open) == 0 {
		t.Errorf("the temperature can be about %d concerns, Klaus has %d open", len(d.concerns), len(open))
	}
	test.Type(d.summary, "Phoned about the compressor")
	tapLocked(u, d.save)
	u.wait()
	if hist, _ := s.Interactions(ctx, klaus, 0, 1); len(hist) != 1 || hist[0].Summary != "Phoned about the compressor" {
		t.Errorf("Klaus's latest interaction: %+v", hist)
	}
	if hist, _ := s.Interactions(ctx, hidden, 0, 1); len(hist) > 0 && hist[0].Summary == "Phoned about the compressor" {
		t.Error("logged with the customer hidden behind Today")
	}
	if u.pane != paneToday {
		t.Errorf("after logging the pane is %q, want Today still", u.pane)
	}

	// Enter before the matches arrive takes the first of them, not a stale one.
	u.logDialog = nil
	shortcut(scLog)
	typeInPicker(u, "Margaret", true)
	u.wait()
	if u.logDialog == nil || !strings.Contains(joined(topDialog(t, u)), "Log an interaction with Margaret O'Connell") {
		t.Fatalf("typing Margaret and Enter at once: log dialog %v", u.logDialog != nil)
	}
	test.Tap(u.logDialog.cancel)

	// Esc closes the picker.
	shortcut(scLog)
	func() {
		u.doMu.Lock()
		defer u.doMu.Unlock()
		u.picker.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	}()
	u.wait()
	if top := u.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("Esc left the picker open:\n%s", joined(top))
	}

	// Ctrl+B asks whose briefing; a click on a name opens it.
	shortcut(scBrief)
	if u.pane != paneToday || u.picker == nil {
		t.Fatal("Ctrl+B on Today did not ask whose briefing")
	}
	typeInPicker(u, "Priya", false)
	u.wait()
	func() {
		u.doMu.Lock()
		defer u.doMu.Unlock()
		u.picker.list.Select(0)
	}()
	u.wait()
	if priya := customerID(t, s, "Priya Nair"); u.pane != paneBriefing || u.briefing.id != priya {
		t.Errorf("after picking Priya: pane %q, briefing of %d", u.pane, u.briefing.id)
	}

	// Deleting (Customer menu) on Today says to open someone first.
	shortcut(scToday)
	u.customer.onDelete()
	if got := joined(topDialog(t, u)); !strings.Contains(got, "Open a customer first") {
		t.Errorf("Delete on Today says:\n%s", got)
	}

	// Export (Ctrl+E) on Today offers everyone, not only the hidden customer.
	shortcut(scExport)
	for _, o := range u.exporter.what.Options {
		if strings.HasPrefix(o, "Only ") {
			t.Errorf("Export on Today offers %q", o)
		}
	}
}

func TestCtrlLWithoutCustomers(t *testing.T) {
	u, _ := newTestUI(t)
	u.win.Canvas().(fyne.Shortcutable).TypedShortcut(scLog)
	if got := joined(topDialog(t, u)); !strings.Contains(got, "Add a customer first") || u.picker != nil {
		t.Errorf("Ctrl+L on the welcome screen says:\n%s", got)
	}
}

func TestStartupNotificationOnce(t *testing.T) {
	t.Run("overdue", func(t *testing.T) {
		a := test.NewTempApp(t)
		s := sampleStore(t)
		today, err := s.Today(context.Background(), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		want := overdueMessage(today)
		if want == "" {
			t.Fatal("the sample has something overdue")
		}
		var u *UI
		test.AssertNotificationSent(t, fyne.NewNotification("Rapport", want), func() {
			u = New(a, s)
			onUI(u, u.win.Show)
			u.wait()
		})
		// Today loads again after every change and on Ctrl+T: no second notification.
		test.AssertNotificationSent(t, nil, func() {
			tapLocked(u, findButton(u.today.root, "Done"))
			u.wait()
			u.win.Canvas().(fyne.Shortcutable).TypedShortcut(scToday)
			u.wait()
			openCustomer(t, u, customerID(t, s, "Klaus Müller"))
			u.showToday()
			u.wait()
		})
	})
	t.Run("empty at start", func(t *testing.T) {
		// Loading the sample later is not a start-up: no notification then.
		u, _ := newTestUI(t)
		test.AssertNotificationSent(t, nil, func() {
			u.onLoadSample()
			u.wait()
		})
		if u.pane != paneToday || u.today.t == nil || len(u.today.t.OverdueFollowUps) == 0 {
			t.Error("the sample's Today view did not load")
		}
	})
}

// A shortcut pressed right after a click on a name acts on whom was clicked,
// though the page still holds the customer loaded before.
func TestShortcutRightAfterClickActsOnClicked(t *testing.T) {
	u, s := newSampleUI(t)
	hidden := u.customer.id
	klaus := customerID(t, s, "Klaus Müller")
	if hidden == 0 || hidden == klaus {
		t.Fatalf("the list should have loaded someone else behind Today, got %d", hidden)
	}
	press := func(sc fyne.Shortcut) {
		// Under the lock UI.do takes: Klaus cannot finish loading before the key.
		u.doMu.Lock()
		defer u.doMu.Unlock()
		u.customers.show(klaus)
		u.win.Canvas().(fyne.Shortcutable).TypedShortcut(sc)
	}

	press(scLog)
	u.wait()
	if u.logDialog == nil || !strings.Contains(joined(topDialog(t, u)), "Log an interaction with Klaus Müller") {
		t.Fatalf("Ctrl+L right after opening Klaus: log dialog %v", u.logDialog != nil)
	}
	test.Tap(u.logDialog.cancel)

	openCustomer(t, u, customerID(t, s, "Tom Ashworth"))
	press(scBrief)
	u.wait()
	if u.pane != paneBriefing || u.briefing.id != klaus {
		t.Errorf("Ctrl+B right after opening Klaus: pane %q, briefing of %d", u.pane, u.briefing.id)
	}
}
