package data

import (
	"context"
	"testing"
	"time"
)

// A weekly visit made on a phone shows on each day it falls on, at 09:30
// Berlin time across the change to summer time.
func TestRecurringVisitShowsEachOccurrence(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	c := mustCreate(t, s, &Customer{GivenName: "Ann", FamilyName: "Archer"})
	berlin, _ := time.LoadLocation("Europe/Berlin")
	first := time.Date(2027, 3, 15, 9, 30, 0, 0, berlin) // a Monday, two weeks before summer time
	it := &CalItem{Kind: ItemVisit, UID: "weekly-1", Fields: map[string]string{FieldCustomer: c.UID, FieldStart: FormatTime(first),
		FieldMinutes: "60", FieldPurpose: "weekly round", FieldZone: "Europe/Berlin", FieldRRule: "FREQ=WEEKLY;COUNT=4"}}
	if err := s.ApplySync(ctx, SyncChange{Kind: KindCalendar, UID: it.UID, Cal: it, Pending: PendingClear}); err != nil {
		t.Fatal(err)
	}
	for i, want := range []time.Time{first, first.AddDate(0, 0, 7), first.AddDate(0, 0, 14), first.AddDate(0, 0, 21)} {
		day, err := s.Today(ctx, want.Add(-2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(day.VisitsToday) != 1 || !day.VisitsToday[0].At.Equal(want) || day.VisitsTodayTotal != 1 {
			t.Fatalf("week %d: today %+v (total %d), want one at %s", i+1, day.VisitsToday, day.VisitsTodayTotal, want)
		}
		if h, m, _ := day.VisitsToday[0].At.In(berlin).Clock(); h != 9 || m != 30 {
			t.Errorf("week %d: at %s Berlin time", i+1, day.VisitsToday[0].At.In(berlin))
		}
	}
	if day, err := s.Today(ctx, first.AddDate(0, 0, 28)); err != nil || len(day.VisitsToday) != 0 {
		t.Errorf("after the fourth: %+v %v", day.VisitsToday, err)
	}
	up, err := s.UpcomingVisits(ctx, c.ID, first.AddDate(0, 0, 1))
	if err != nil || len(up) != 3 {
		t.Errorf("upcoming after the first: %+v %v", up, err)
	}
}

// An occurrence another client cancelled (EXDATE) or moved does not show
// where the rule would put it.
func TestRecurringVisitLeavesOutExceptions(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	c := mustCreate(t, s, &Customer{GivenName: "Ann", FamilyName: "Archer"})
	berlin, _ := time.LoadLocation("Europe/Berlin")
	first := time.Date(2027, 3, 15, 9, 30, 0, 0, berlin)
	third := first.AddDate(0, 0, 14)
	it := &CalItem{Kind: ItemVisit, UID: "weekly-2", Fields: map[string]string{FieldCustomer: c.UID, FieldStart: FormatTime(first),
		FieldZone: "Europe/Berlin", FieldRRule: "FREQ=WEEKLY;COUNT=4\nEXDATE:" + third.UTC().Format("20060102T150405Z")}}
	if err := s.ApplySync(ctx, SyncChange{Kind: KindCalendar, UID: it.UID, Cal: it, Pending: PendingClear}); err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{1, 1, 0, 1} {
		day, err := s.Today(ctx, first.AddDate(0, 0, 7*i).Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(day.VisitsToday) != want {
			t.Errorf("week %d: %d visits, want %d", i+1, len(day.VisitsToday), want)
		}
	}
}
