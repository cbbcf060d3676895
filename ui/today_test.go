package ui

import (
	"context"
	"strings"
	"testing"

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

	// The close button dismisses the bar without undoing.
	tapLocked(u, findButton(u.today.root, "Done"))
	u.wait()
	tapLocked(u, u.today.undo.close)
	u.wait()
	if u.today.undo.shown() {
		t.Error("the close button leaves the undo bar")
	}
	if _, open := openFollowUp(t, s, g.CustomerID, g.ID); open {
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
