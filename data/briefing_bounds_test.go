package data

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// bigCompany loads, in one transaction, a customer and colleagues others at
// their company (plus someone elsewhere), and returns the customer's ID.
func bigCompany(tb testing.TB, s *Store, colleagues int) int64 {
	tb.Helper()
	ds := &Dataset{}
	add := func(given, family, company string) {
		ds.Customers = append(ds.Customers, DatasetCustomer{Card: Customer{GivenName: given, FamilyName: family, Company: company}})
	}
	add("Ada", "Aaronson", "Big Co")
	for i := 0; i < colleagues; i++ {
		add("Colleague", fmt.Sprintf("%05d", i), "Big Co")
	}
	add("Elsewhere", "Person", "Small Co")
	ctx := context.Background()
	if _, err := s.LoadDataset(ctx, ds, time.Now()); err != nil {
		tb.Fatal(err)
	}
	var id int64
	if err := s.read.QueryRowContext(ctx, `SELECT id FROM customers WHERE given_name = 'Ada'`).Scan(&id); err != nil {
		tb.Fatal(err)
	}
	return id
}

func TestBriefingCapsColleagues(t *testing.T) {
	s := mustOpen(t)
	id := bigCompany(t, s, 10_000)
	ctx := context.Background()
	b, err := s.Briefing(ctx, id, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Colleagues) != ColleagueLimit || b.ColleaguesTotal != 10_000 {
		t.Fatalf("briefing lists %d colleagues of %d, want %d of 10000", len(b.Colleagues), b.ColleaguesTotal, ColleagueLimit)
	}
	// The first in name order, and never the customer themselves.
	for i, c := range b.Colleagues {
		if want := fmt.Sprintf("Colleague %05d", i); c.Name != want {
			t.Errorf("colleague %d is %q, want %q", i, c.Name, want)
		}
	}
	page, total, err := s.Colleagues(ctx, id, 8)
	if err != nil || len(page) != 8 || total != 10_000 {
		t.Fatalf("Colleagues(8) = %d of %d, %v", len(page), total, err)
	}
	// Someone alone at their company has none, and says so.
	var alone int64
	s.read.QueryRowContext(ctx, `SELECT id FROM customers WHERE given_name = 'Elsewhere'`).Scan(&alone)
	if page, total, err := s.Colleagues(ctx, alone, 8); err != nil || len(page) != 0 || total != 0 {
		t.Errorf("alone: %d of %d, %v", len(page), total, err)
	}
}

func TestBriefingCapsOtherLists(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	const n = BriefingLimit + 7
	dc := DatasetCustomer{Card: Customer{GivenName: "Many", FamilyName: "Things"}}
	for i := 0; i < n; i++ {
		dc.Concerns = append(dc.Concerns, DatasetConcern{Text: fmt.Sprintf("concern %d", i), ConfirmedDaysAgo: 1})
		dc.FollowUps = append(dc.FollowUps, DatasetFollowUp{Text: fmt.Sprintf("follow-up %d", i), DueIn: i})
		dc.Visits = append(dc.Visits, DatasetVisit{InDays: 1 + i, Purpose: "visit"})
		dc.Profile.Items = append(dc.Profile.Items, ProfileItem{Category: CatHobby, Text: fmt.Sprintf("hobby %d", i)})
		dc.Profile.Family = append(dc.Profile.Family, FamilyMember{Relation: RelChild, Name: fmt.Sprintf("Kid %d", i)})
		dc.Profile.Pets = append(dc.Profile.Pets, Pet{Name: fmt.Sprintf("Pet %d", i)})
	}
	if _, err := s.LoadDataset(ctx, &Dataset{Customers: []DatasetCustomer{dc}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	var id int64
	s.read.QueryRowContext(ctx, `SELECT id FROM customers`).Scan(&id)
	b, err := s.Briefing(ctx, id, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []struct {
		what         string
		shown, total int
	}{
		{"concerns", len(b.Concerns), b.ConcernsTotal},
		{"follow-ups", len(b.FollowUps), b.FollowUpsTotal},
		{"visits", len(b.Visits), b.VisitsTotal},
		{"profile items", len(b.Profile.Items), b.ItemsTotal},
		{"family", len(b.Profile.Family), b.FamilyTotal},
		{"pets", len(b.Profile.Pets), b.PetsTotal},
	} {
		if l.shown != BriefingLimit || l.total != n {
			t.Errorf("%s: %d shown of %d, want %d of %d", l.what, l.shown, l.total, BriefingLimit, n)
		}
	}
	if b.Concerns[0].Text != "concern 0" || b.FollowUps[0].Text != "follow-up 0" {
		t.Errorf("not the first: %q, %q", b.Concerns[0].Text, b.FollowUps[0].Text)
	}
}

// BenchmarkBriefingBigCompany builds the briefing of a customer with 10,000
// colleagues at their company.
func BenchmarkBriefingBigCompany(b *testing.B) {
	s := mustOpen(b)
	id := bigCompany(b, s, 10_000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		br, err := s.Briefing(ctx, id, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		if br.ColleaguesTotal != 10_000 {
			b.Fatalf("%d colleagues", br.ColleaguesTotal)
		}
	}
}

// The Today view's visits and follow-ups are capped at TodayLimit each,
// with their totals, and thousands overdue do not hide this week's.
func TestTodayCapsLists(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	dc := DatasetCustomer{Card: Customer{GivenName: "Busy", FamilyName: "Bee"}}
	for i := 0; i < 2*TodayLimit+5; i++ {
		dc.FollowUps = append(dc.FollowUps, DatasetFollowUp{Text: fmt.Sprintf("overdue %d", i), DueIn: -1 - i%30})
	}
	for i := 0; i < 3; i++ {
		dc.FollowUps = append(dc.FollowUps, DatasetFollowUp{Text: fmt.Sprintf("due %d", i), DueIn: 1 + i})
	}
	for i := 0; i < TodayLimit+10; i++ {
		dc.Visits = append(dc.Visits, DatasetVisit{InDays: 0, Time: "12:00", Purpose: "again"})
	}
	dc.Visits = append(dc.Visits, DatasetVisit{InDays: 2, Purpose: "later"})
	now := time.Now()
	if _, err := s.LoadDataset(ctx, &Dataset{Customers: []DatasetCustomer{dc}}, now); err != nil {
		t.Fatal(err)
	}
	today, err := s.Today(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []struct {
		what                  string
		shown, total, wantLen int
		wantTotal             int
	}{
		{"overdue", len(today.OverdueFollowUps), today.OverdueTotal, TodayLimit, 2*TodayLimit + 5},
		{"due", len(today.DueFollowUps), today.DueTotal, 3, 3},
		{"visits today", len(today.VisitsToday), today.VisitsTodayTotal, TodayLimit, TodayLimit + 10},
		{"visits this week", len(today.VisitsThisWeek), today.VisitsThisWeekTotal, 1, 1},
	} {
		if l.shown != l.wantLen || l.total != l.wantTotal {
			t.Errorf("%s: %d of %d, want %d of %d", l.what, l.shown, l.total, l.wantLen, l.wantTotal)
		}
	}
}
