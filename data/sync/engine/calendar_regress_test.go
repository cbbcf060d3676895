package engine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/davtest"
)

// Regression tests for what the calendar's convergence and fault tests
// found in the engine.

// A laptop that takes interactions in leaves their customers' cards as
// they were: the customer's last contact and temperature, which storing an
// interaction refreshes, are no part of the card. (The customers row's
// update trigger marked every such card to be sent: a first pull of a
// year's history ended "150 change(s) still waiting", and so did every
// pull of an interaction logged elsewhere. Found by TestCalendarKilledMidSync.)
func TestCalendarPullLeavesCardsAlone(t *testing.T) {
	srv := davtest.Radicale(t)
	ctx := context.Background()
	a, b := laptop(t, srv, "a"), laptop(t, srv, "b")
	ann := add(t, a, data.Customer{GivenName: "Ann", FamilyName: "Archer"})
	for i := range 3 {
		in := data.Interaction{CustomerID: ann.ID, Kind: "call", At: time.Now().Add(-time.Duration(i+1) * time.Hour).Truncate(time.Second),
			Summary: fmt.Sprintf("call %d", i), Temperature: 4}
		if err := a.LogInteraction(ctx, &in); err != nil {
			t.Fatal(err)
		}
	}
	mustSync(t, a)
	if sum := mustSync(t, b); sum.Calendar.New != 3 || sum.Waiting != 0 {
		t.Fatalf("b's first pull: %+v; want 3 new items and nothing waiting", sum)
	}
	// The stats are still refreshed: b lists Ann by her temperature.
	if list, err := b.ListByTemperature(ctx, 5, 0, 10); err != nil || len(list) != 1 || list[0].Temperature != 4 {
		t.Fatalf("b's customers by temperature after the pull: %+v %v", list, err)
	}
	// One more logged on a, pulled by b; b deletes one, pushed: nothing else waits.
	in := data.Interaction{CustomerID: ann.ID, Kind: "visit", At: time.Now().Truncate(time.Second), Summary: "visit"}
	if err := a.LogInteraction(ctx, &in); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	if sum := mustSync(t, b); sum.Calendar.New != 1 || sum.Waiting != 0 {
		t.Fatalf("b's pull of one interaction: %+v; want nothing waiting", sum)
	}
	if sum := mustSync(t, a); sum.Waiting != 0 || sum.Changed() {
		t.Fatalf("a, nothing changed: %+v", sum)
	}
}

// An item pushed after the pull's listing and deleted on the server
// before the next sync: the sync token predates the item, so the
// server's changes since it need not name it (Radicale's do not), and a
// change made here meanwhile met 412, then 404, at every sync, waiting
// for ever. Now the 404 is taken as the server's delete against an edit
// here: the edit wins and the item is made again. (Found by
// TestCalendarConvergence, RAPPORT_SYNC_LONG=1, seed 13.)
func TestCalendarDeletedBeforeTokenCoversIt(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			ctx := context.Background()
			a := laptop(t, srv, "a")
			ann := add(t, a, data.Customer{GivenName: "Ann", FamilyName: "Archer"})
			fu := data.FollowUp{CustomerID: ann.ID, Text: "send the drawings", Due: data.DateOf(time.Now().AddDate(0, 0, 3))}
			if err := a.AddFollowUp(ctx, &fu); err != nil {
				t.Fatal(err)
			}
			mustSync(t, a) // the listing comes first, then the push: the token predates the item
			uids, _ := a.CalItemUIDs(ctx)
			href, etag := itemHref(t, a, uids[0])
			rawCal(t, srv, "DELETE", href, etag, "")
			if err := a.SnoozeFollowUp(ctx, fu.ID, 2, time.Now()); err != nil {
				t.Fatal(err)
			}
			due := calItem(t, a, uids[0]).Fields[data.FieldDue]
			sum := mustSync(t, a)
			if len(sum.Problems) > 0 || sum.Waiting != 0 || len(sum.Recreated) != 1 {
				t.Fatalf("an edit of an item deleted on the server: %+v", sum)
			}
			b := laptop(t, srv, "b")
			mustSync(t, b)
			calConverged(t, srv, 1, a, b)
			if got := calItem(t, b, uids[0]).Fields[data.FieldDue]; got != due {
				t.Fatalf("b has due %s, want the edit's %s", got, due)
			}
		})
	}
}
