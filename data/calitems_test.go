package data

import (
	"context"
	"errors"
	"maps"
	"testing"
	"time"
)

// Calendar items get a UID on insert, are recorded as pending once a
// calendar is synced, read back as fields, and a SyncChange writes them
// back field for field.
func TestCalendarItemsTravelAsFields(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	c := mustCreate(t, s, &Customer{GivenName: "Ann", FamilyName: "Archer"})
	at := time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC)
	con := Concern{CustomerID: c.ID, Text: "delivery times"}
	if err := s.AddConcern(ctx, &con); err != nil {
		t.Fatal(err)
	}
	in := Interaction{CustomerID: c.ID, Kind: "call", At: at.Add(-48 * time.Hour), Summary: "price list", Temperature: 4, TempConcernID: con.ID}
	if err := s.LogInteraction(ctx, &in); err != nil {
		t.Fatal(err)
	}
	f := FollowUp{CustomerID: c.ID, InteractionID: in.ID, Promise: true, Text: "send the drawings", Due: DateOf(at)}
	if err := s.AddFollowUp(ctx, &f); err != nil {
		t.Fatal(err)
	}
	v := PlannedVisit{CustomerID: c.ID, At: at, Duration: 45 * time.Minute, Purpose: "new line"}
	if err := s.PlanVisit(ctx, &v); err != nil {
		t.Fatal(err)
	}
	uids, err := s.CalItemUIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(uids) != 4 {
		t.Fatalf("UIDs %q, want 4", uids)
	}
	seen := map[string]bool{}
	for _, u := range uids {
		if u == "" || seen[u] || len(u) != 36 {
			t.Fatalf("UIDs %q: each must be a UUID of its own", uids)
		}
		seen[u] = true
	}
	if p, _ := s.PendingChanges(ctx, KindCalendar); len(p) != 0 {
		t.Fatalf("pending before a calendar is synced: %v", p)
	}
	if err := s.SetSyncAccount(ctx, SyncAccount{URL: "https://dav.example.com/", User: "ann", Collections: []SyncCollection{
		{Kind: KindContacts, Href: "/ann/book/"}, {Kind: KindCalendar, Href: "/ann/cal/"}}}); err != nil {
		t.Fatal(err)
	}
	pend, err := s.PendingChanges(ctx, KindCalendar)
	if err != nil || len(pend) != 4 {
		t.Fatalf("pending after set-up: %v, %v; want the 4 items", pend, err)
	}
	items := map[string]*CalItem{}
	for _, u := range uids {
		it, err := s.CalItemByUID(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		items[it.Kind] = it
		if it.Fields[FieldCustomer] != c.UID || it.CustomerName != "Ann Archer" {
			t.Errorf("%s: customer %q %q", it.Kind, it.Fields[FieldCustomer], it.CustomerName)
		}
	}
	if got := items[ItemVisit].Fields; got[FieldStart] != "2026-12-03T09:30:00Z" || got[FieldMinutes] != "45" || got[FieldPurpose] != "new line" {
		t.Errorf("visit fields %v", got)
	}
	if got := items[ItemFollowUp].Fields; got[FieldDue] != "2026-12-03" || got[FieldPromise] != "1" || got[FieldInteraction] != items[ItemInteraction].UID {
		t.Errorf("follow-up fields %v", got)
	}
	if got := items[ItemInteraction].Fields; got[FieldTemperature] != "4" || got[FieldTempConcern] != items[ItemConcern].UID || got[FieldKind] != "call" {
		t.Errorf("interaction fields %v", got)
	}

	// Ticked off elsewhere: the change is written, the pending record
	// cleared, and the item says where it came from.
	acct, err := s.SyncAccount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := s.Pending(ctx, items[ItemFollowUp].UID)
	done := items[ItemFollowUp].Clone()
	done.Fields[FieldDone] = "2026-12-02T15:04:05Z"
	done.Origin = "-//Apple Inc.//iOS 18//EN"
	if err := s.ApplySync(ctx, SyncChange{Collection: acct.Collection(KindCalendar).ID, Kind: KindCalendar, UID: done.UID, Check: true, LocalSeq: p.Seq, Cal: done,
		Item: &SyncItem{UID: done.UID, Href: "/ann/cal/x.ics", ETag: "1", Base: "text"}, Pending: PendingClear}); err != nil {
		t.Fatal(err)
	}
	back, err := s.CalItemByUID(ctx, done.UID)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(back.Fields, done.Fields) || back.Origin != done.Origin {
		t.Errorf("written %v (%q), read back %v (%q)", done.Fields, done.Origin, back.Fields, back.Origin)
	}
	if fs, _ := s.FollowUps(ctx, c.ID, true); len(fs) != 1 {
		t.Errorf("done follow-ups: %v", fs)
	}
	if p, _ := s.Pending(ctx, done.UID); p.Seq != 0 {
		t.Errorf("still pending after a pull: %v", p)
	}

	// A new item from another client, of every kind, is created as given.
	for kind, it := range items {
		n := it.Clone()
		n.UID = "other-" + kind
		if kind == ItemFollowUp {
			n.Fields[FieldInteraction] = ""
		}
		if err := s.ApplySync(ctx, SyncChange{Kind: KindCalendar, UID: n.UID, Cal: n, Pending: PendingClear}); err != nil {
			t.Fatalf("create %s: %v", kind, err)
		}
		got, err := s.CalItemByUID(ctx, n.UID)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got.Fields, n.Fields) {
			t.Errorf("%s: written %v, read %v", kind, n.Fields, got.Fields)
		}
	}
	// A local delete is pending as a delete; a server delete forgets it.
	if err := s.DeletePlannedVisit(ctx, v.ID); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Pending(ctx, items[ItemVisit].UID); !p.Deleted || p.Kind != KindCalendar {
		t.Errorf("deleted visit pending %+v", p)
	}
	if err := s.ApplySync(ctx, SyncChange{Kind: KindCalendar, UID: "other-" + ItemInteraction, Delete: true, Pending: PendingClear}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CalItemByUID(ctx, "other-"+ItemInteraction); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted on the server, still here: %v", err)
	}
	// An item for a customer not here is refused by name, nothing written.
	lost := items[ItemConcern].Clone()
	lost.UID, lost.Fields[FieldCustomer] = "lost", "nobody"
	if err := s.ApplySync(ctx, SyncChange{Kind: KindCalendar, UID: "lost", Cal: lost}); !errors.Is(err, ErrNoCustomer) {
		t.Errorf("item of an unknown customer: %v", err)
	}
	// The history holds the interaction logged here, not the one deleted.
	if n, err := s.CountInteractions(ctx, c.ID); err != nil || n != 1 {
		t.Errorf("interactions after the server's delete: %d, %v", n, err)
	}
}

// Logging a call here sends the call to the calendar, not the customer's
// card: the last contact it updates is no part of the card.
func TestLoggedCallLeavesCardAlone(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	c := mustCreate(t, s, &Customer{GivenName: "Ann", FamilyName: "Archer"})
	if err := s.SetSyncAccount(ctx, SyncAccount{URL: "https://dav.example.com/", User: "ann", Collections: []SyncCollection{
		{Kind: KindContacts, Href: "/ann/book/"}, {Kind: KindCalendar, Href: "/ann/cal/"}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplySync(ctx, SyncChange{UID: c.UID, Pending: PendingClear}); err != nil {
		t.Fatal(err)
	}
	in := Interaction{CustomerID: c.ID, Kind: "call", At: time.Now().Add(-time.Minute), Summary: "price list"}
	if err := s.LogInteraction(ctx, &in); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Pending(ctx, c.UID); p.Seq != 0 {
		t.Errorf("the card waits after a call was logged: %+v", p)
	}
	if p, _ := s.PendingChanges(ctx, KindCalendar); len(p) != 1 {
		t.Errorf("calendar items waiting: %+v", p)
	}
}
