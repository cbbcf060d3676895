package data

import (
	"context"
	"errors"
	"testing"
	"time"
)

func logAt(t *testing.T, s *Store, id int64, at time.Time, temp int, summary string) *Interaction {
	t.Helper()
	in := &Interaction{CustomerID: id, Kind: KindVisit, At: at, Summary: summary, Temperature: temp}
	if err := s.LogInteraction(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	return in
}

func TestCadence(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	now := time.Now()
	days := func(n int) time.Time { return now.AddDate(0, 0, -n) }
	mk := func(name string, lastContact int, c Cadence) int64 {
		cu := mustCreate(t, s, &Customer{GivenName: name})
		if lastContact >= 0 {
			logAt(t, s, cu.ID, days(lastContact), 0, "call")
		}
		if err := s.SetCadence(ctx, cu.ID, c); err != nil {
			t.Fatal(err)
		}
		return cu.ID
	}
	okID := mk("Fine", 10, Cadence{Days: 30, MaxDays: 45})
	soonID := mk("Soon", 25, Cadence{Days: 30, MaxDays: 45})
	dueID := mk("Due", 35, Cadence{Days: 30, MaxDays: 45})
	overID := mk("Over", 50, Cadence{Days: 30, MaxDays: 45})
	neverID := mk("Never", -1, Cadence{Days: 30}) // never contacted: due from when added
	mk("NoCadence", 400, Cadence{})
	// An older interaction logged late does not move the last contact back.
	logAt(t, s, overID, days(300), 0, "old visit entered late")

	for id, want := range map[int64]string{okID: "ok", soonID: "soon", dueID: "due", overID: "overdue", neverID: "ok"} {
		st, err := s.ContactStatus(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.State(now); got != want {
			t.Errorf("customer %d: state %q, want %q (due %v)", id, got, want, st.DueAt)
		}
	}
	if st, _ := s.ContactStatus(ctx, dueID); !st.DueAt.Equal(time.Unix(days(35).Unix(), 0).AddDate(0, 0, 30)) {
		t.Errorf("due at %v: want last contact + 30 days", st.DueAt)
	}
	today, err := s.Today(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range today.ContactDue {
		got = append(got, d.Name+":"+d.State)
	}
	if want := []string{"Over:overdue", "Due:due", "Soon:soon"}; !equalStrings(got, want) {
		t.Errorf("Today contact due %v, want %v", got, want)
	}
	// Logging a call resets the clock.
	logAt(t, s, overID, now, 0, "caught up")
	if st, _ := s.ContactStatus(ctx, overID); st.State(now) != "ok" {
		t.Errorf("after a call: %q", st.State(now))
	}
	if err := s.SetCadence(ctx, okID, Cadence{Days: 30, MaxDays: 10}); !errors.Is(err, ErrInvalid) {
		t.Errorf("max below ideal: %v", err)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestConcernsCalibration(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	c := mustCreate(t, s, &Customer{GivenName: "Cal"})
	now := time.Now()
	stale := Concern{CustomerID: c.ID, Text: "Energy costs of the cold room", ConfirmedAt: now.AddDate(0, 0, -61)}
	fresh := Concern{CustomerID: c.ID, Text: "Delivery before Easter", ConfirmedAt: now.AddDate(0, 0, -59)}
	third := Concern{CustomerID: c.ID, Text: "Staff training", Rank: 1}
	for _, k := range []*Concern{&stale, &fresh, &third} {
		if err := s.AddConcern(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	b, err := s.Briefing(ctx, c.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, k := range b.Concerns {
		order = append(order, k.Text)
	}
	if !equalStrings(order, []string{"Staff training", "Energy costs of the cold room", "Delivery before Easter"}) {
		t.Errorf("rank order %v", order)
	}
	if !b.Concerns[1].CalibrationDue || b.Concerns[2].CalibrationDue || b.Concerns[0].CalibrationDue {
		t.Errorf("calibration flags %+v", b.Concerns)
	}
	if err := s.ConfirmConcern(ctx, stale.ID); err != nil {
		t.Fatal(err)
	}
	s.SetCalibrationDays(ctx, 30)
	b, _ = s.Briefing(ctx, c.ID, now)
	if b.CalibrationDays != 30 || b.Concerns[1].CalibrationDue || !b.Concerns[2].CalibrationDue {
		t.Errorf("after confirm and a 30-day period: %+v", b.Concerns)
	}
	if err := s.RankConcern(ctx, fresh.ID, 1); err != nil {
		t.Fatal(err)
	}
	if err := s.ResolveConcern(ctx, third.ID); err != nil {
		t.Fatal(err)
	}
	open, _ := s.Concerns(ctx, c.ID, false)
	if len(open) != 2 || open[0].ID != fresh.ID || open[0].Rank != 1 || open[1].Rank != 2 {
		t.Errorf("after rerank and resolve: %+v", open)
	}
	all, _ := s.Concerns(ctx, c.ID, true)
	if len(all) != 3 || all[2].Open() {
		t.Errorf("with resolved: %+v", all)
	}
	s.EditConcern(ctx, stale.ID, "Energy costs")
	s.ReopenConcern(ctx, third.ID)
	hist, _ := s.ConcernHistory(ctx, third.ID)
	var actions []string
	for _, e := range hist {
		actions = append(actions, e.Action)
	}
	if !equalStrings(actions, []string{"created", "ranked", "resolved", "reopened"}) {
		t.Errorf("history %v", actions)
	}
	if h, _ := s.ConcernHistory(ctx, stale.ID); h[len(h)-1].Action != "edited" || h[len(h)-1].Detail != "Energy costs of the cold room → Energy costs" {
		t.Errorf("edit history %+v", h)
	}
	if err := s.SetCalibrationDays(ctx, 0); !errors.Is(err, ErrInvalid) {
		t.Errorf("zero period: %v", err)
	}
}

func TestTemperature(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	now := time.Now()
	warm := mustCreate(t, s, &Customer{GivenName: "Warm"})
	cool := mustCreate(t, s, &Customer{GivenName: "Cool"})
	mustCreate(t, s, &Customer{GivenName: "Unasked"})
	k := Concern{CustomerID: cool.ID, Text: "Compressor noise"}
	s.AddConcern(ctx, &k)
	logAt(t, s, cool.ID, now.AddDate(0, 0, -40), 4, "install")
	logAt(t, s, cool.ID, now.AddDate(0, 0, -20), 5, "follow-up")
	bad := &Interaction{CustomerID: cool.ID, Kind: KindCall, At: now.AddDate(0, 0, -2), Summary: "complaint",
		Temperature: 2, TempConcernID: k.ID, TempComment: "Still too loud at night", Heard: "You want it fixed before the weekend", HeardConfirmed: true}
	if err := s.LogInteraction(ctx, bad); err != nil {
		t.Fatal(err)
	}
	logAt(t, s, cool.ID, now.AddDate(0, 0, -1), 0, "no temperature asked")
	logAt(t, s, warm.ID, now.AddDate(0, 0, -3), 5, "happy")
	if err := s.LogInteraction(ctx, &Interaction{CustomerID: warm.ID, Kind: KindCall, At: now, Summary: "x", Temperature: 7}); !errors.Is(err, ErrInvalid) {
		t.Errorf("temperature 7: %v", err)
	}

	tr, err := s.Temperature(ctx, cool.ID, 12)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Readings) != 3 || tr.Current != 2 || tr.Previous != 5 || !tr.Dropped {
		t.Errorf("trend %+v", tr)
	}
	if u := tr.LastUnsatisfied; u == nil || u.Comment != "Still too loud at night" || u.Concern != "Compressor noise" {
		t.Errorf("last unsatisfied %+v", u)
	}
	h, _ := s.Interactions(ctx, cool.ID, 0, 10)
	if h[1].Heard != "You want it fixed before the weekend" || !h[1].HeardConfirmed || h[1].TempConcernID != k.ID {
		t.Errorf("interaction fields not stored: %+v", h[1])
	}
	list, _ := s.ListByTemperature(ctx, 0, 0, 10)
	if len(list) != 2 || list[0].Name != "Cool" || list[0].Temperature != 2 || list[1].Temperature != 5 {
		t.Errorf("by temperature %+v", list)
	}
	if low, _ := s.ListByTemperature(ctx, Unsatisfied, 0, 10); len(low) != 1 {
		t.Errorf("filtered %+v", low)
	}
	today, _ := s.Today(ctx, now)
	if len(today.LowTemperatures) != 1 || today.LowTemperatures[0].CustomerName != "Cool" {
		t.Errorf("Today low temperatures %+v", today.LowTemperatures)
	}
	// Deleting the bad call brings the current temperature back to 5.
	s.DeleteInteraction(ctx, cool.ID, bad.ID)
	if list, _ := s.ListByTemperature(ctx, 0, 0, 10); list[0].Temperature != 5 {
		t.Errorf("after delete %+v", list)
	}
}

func TestPersonalDates(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	c := mustCreate(t, s, &Customer{GivenName: "Noel", Birthday: MustParseDate("1970-01-03"), Anniversary: MustParseDate("--12-30")})
	s.SaveFamilyMember(ctx, &FamilyMember{CustomerID: c.ID, Relation: RelChild, Name: "Leap", Birthday: MustParseDate("2000-02-29")})
	s.SaveFamilyMember(ctx, &FamilyMember{CustomerID: c.ID, Relation: RelSpouse, Name: "Far", Birthday: MustParseDate("--06-01")})

	dec := time.Date(2026, 12, 25, 9, 0, 0, 0, time.Local)
	today, err := s.Today(ctx, dec)
	if err != nil {
		t.Fatal(err)
	}
	if len(today.Dates) != 2 {
		t.Fatalf("dates around new year: %+v", today.Dates)
	}
	if d := today.Dates[0]; d.What != "anniversary" || d.On.Day() != 30 || d.Years != 0 {
		t.Errorf("anniversary %+v", d)
	}
	if d := today.Dates[1]; d.What != "birthday" || d.Who != "Noel" || d.On.Year() != 2027 || d.On.Day() != 3 || d.Years != 57 {
		t.Errorf("birthday across the year end %+v", d)
	}
	common := time.Date(2027, 2, 20, 9, 0, 0, 0, time.Local)
	today, _ = s.Today(ctx, common)
	if len(today.Dates) != 1 || today.Dates[0].Who != "Leap" || today.Dates[0].On.Day() != 28 || today.Dates[0].Years != 27 || today.Dates[0].Relation != RelChild {
		t.Errorf("29 February in a common year: %+v", today.Dates)
	}
	leap := time.Date(2028, 2, 20, 9, 0, 0, 0, time.Local)
	today, _ = s.Today(ctx, leap)
	if len(today.Dates) != 1 || today.Dates[0].On.Day() != 29 || today.Dates[0].Years != 28 {
		t.Errorf("29 February in a leap year: %+v", today.Dates)
	}
	if b, _ := s.Briefing(ctx, c.ID, time.Date(2026, 5, 10, 9, 0, 0, 0, time.Local)); len(b.Dates) != 1 || b.Dates[0].Who != "Far" {
		t.Errorf("briefing looks 30 days ahead: %+v", b.Dates)
	}
}

func TestFollowUpsAndVisits(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	c := mustCreate(t, s, &Customer{GivenName: "Fay"})
	now := time.Now()
	day := func(n int) Date { return DateOf(now.AddDate(0, 0, n)) }
	late := FollowUp{CustomerID: c.ID, Text: "Send the quote", Promise: true, Due: day(-2)}
	due := FollowUp{CustomerID: c.ID, Text: "Call about the install date", Due: day(0)}
	later := FollowUp{CustomerID: c.ID, Text: "Check in after the holidays", Due: day(30)}
	for _, f := range []*FollowUp{&late, &due, &later} {
		if err := s.AddFollowUp(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddFollowUp(ctx, &FollowUp{CustomerID: c.ID, Text: "x", Due: MustParseDate("--05-01")}); !errors.Is(err, ErrInvalid) {
		t.Errorf("year-less due date: %v", err)
	}
	today, _ := s.Today(ctx, now)
	if len(today.OverdueFollowUps) != 1 || today.OverdueFollowUps[0].Text != "Send the quote" || !today.OverdueFollowUps[0].Overdue(now) ||
		len(today.DueFollowUps) != 1 || today.DueFollowUps[0].CustomerName != "Fay" {
		t.Errorf("today follow-ups: overdue %+v due %+v", today.OverdueFollowUps, today.DueFollowUps)
	}
	s.SnoozeFollowUp(ctx, late.ID, 3, now) // from today, as it is already late
	s.CompleteFollowUp(ctx, due.ID, true)
	open, _ := s.FollowUps(ctx, c.ID, false)
	if len(open) != 2 || open[0].Text != "Send the quote" || open[0].Due != day(3) {
		t.Errorf("after snooze and done: %+v", open)
	}
	all, _ := s.FollowUps(ctx, c.ID, true)
	if len(all) != 3 || !all[2].Done() {
		t.Errorf("with done: %+v", all)
	}
	s.RescheduleFollowUp(ctx, later.ID, day(1))
	if today, _ = s.Today(ctx, now); len(today.DueFollowUps) != 2 || len(today.OverdueFollowUps) != 0 {
		t.Errorf("after reschedule: %+v", today.DueFollowUps)
	}

	at := func(days, hour int) time.Time {
		d := now.AddDate(0, 0, days)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, time.Local)
	}
	for _, v := range []PlannedVisit{{CustomerID: c.ID, At: at(0, 23), Purpose: "late demo"}, {CustomerID: c.ID, At: at(3, 10), Purpose: "install"}, {CustomerID: c.ID, At: at(20, 10)}} {
		if err := s.PlanVisit(ctx, &v); err != nil {
			t.Fatal(err)
		}
	}
	today, _ = s.Today(ctx, now)
	if len(today.VisitsToday) != 1 || today.VisitsToday[0].Purpose != "late demo" || len(today.VisitsThisWeek) != 1 || today.VisitsThisWeek[0].CustomerName != "Fay" {
		t.Errorf("visits today %+v week %+v", today.VisitsToday, today.VisitsThisWeek)
	}
	b, _ := s.Briefing(ctx, c.ID, now)
	if len(b.Visits) != 3 || len(b.FollowUps) != 2 {
		t.Errorf("briefing visits %d follow-ups %d", len(b.Visits), len(b.FollowUps))
	}
}
