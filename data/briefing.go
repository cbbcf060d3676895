package data

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// Reading is one temperature taken: how satisfied the customer said they were.
type Reading struct {
	InteractionID int64
	CustomerID    int64
	CustomerName  string
	At            time.Time
	Value         int // 1..5
	Comment       string
	Concern       string // the concern it was about, if any
}

// Unsatisfied is the temperature at or below which a customer is unhappy.
const Unsatisfied = 2

// Trend summarises a customer's temperatures.
type Trend struct {
	Readings []Reading // oldest first
	Current  int       // 0 when never taken
	Previous int
	// Dropped flags a fall since the reading before.
	Dropped bool
	// LastUnsatisfied is the latest reading at or below Unsatisfied.
	LastUnsatisfied *Reading
}

func trendOf(readings []Reading) Trend {
	t := Trend{Readings: readings}
	if n := len(readings); n > 0 {
		t.Current = readings[n-1].Value
		if n > 1 {
			t.Previous = readings[n-2].Value
			t.Dropped = t.Current < t.Previous
		}
	}
	for i := len(readings) - 1; i >= 0; i-- {
		if readings[i].Value <= Unsatisfied {
			r := readings[i]
			t.LastUnsatisfied = &r
			break
		}
	}
	return t
}

func readings(ctx context.Context, q queryer, where string, args ...any) ([]Reading, error) {
	rows, err := q.QueryContext(ctx, `SELECT i.id, i.customer_id, c.display_name, i.at, i.temperature, i.temp_comment, coalesce(k.text, '')
		FROM interactions i JOIN customers c ON c.id = i.customer_id LEFT JOIN concerns k ON k.id = i.temp_concern_id
		WHERE i.temperature IS NOT NULL AND `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("load temperatures: %w", mapError(err))
	}
	defer rows.Close()
	var out []Reading
	for rows.Next() {
		var r Reading
		var at int64
		if err := rows.Scan(&r.InteractionID, &r.CustomerID, &r.CustomerName, &at, &r.Value, &r.Comment, &r.Concern); err != nil {
			return nil, err
		}
		r.At = time.Unix(at, 0)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Temperature returns a customer's temperature trend from the last readings.
func (s *Store) Temperature(ctx context.Context, customerID int64, last int) (Trend, error) {
	rs, err := readings(ctx, s.read, `i.customer_id = ? ORDER BY i.at DESC, i.id DESC LIMIT ?`, customerID, last)
	if err != nil {
		return Trend{}, err
	}
	sort.Slice(rs, func(a, b int) bool { return rs[a].At.Before(rs[b].At) })
	return trendOf(rs), nil
}

// PersonalDate is a birthday or anniversary coming up.
type PersonalDate struct {
	CustomerID   int64
	CustomerName string
	Who          string // the customer's name, or a family member's
	Relation     string // "" for the customer themselves
	What         string // "birthday" or "anniversary"
	On           time.Time
	Years        int // the age or years they turn that day; 0 when unknown
	Confidential bool
}

// upcoming returns the next occurrence of d within days of now.
func upcoming(d Date, now time.Time, days int) (time.Time, int, bool) {
	if d.IsZero() {
		return time.Time{}, 0, false
	}
	on := d.NextOccurrence(now)
	if on.After(startOfDay(now).AddDate(0, 0, days)) {
		return time.Time{}, 0, false
	}
	years := 0
	if d.HasYear() {
		years = on.Year() - d.Year
	}
	return on, years, true
}

// monthDayKeys lists, day by day from now to days ahead, the MM-DD keys
// whose dates fall on that day: 02-29 joins 02-28 in a common year (its
// birthdays are kept on the 28th).
func monthDayKeys(now time.Time, days int) [][]string {
	var out [][]string
	for i := 0; i <= days; i++ {
		d := startOfDay(now).AddDate(0, 0, i)
		keys := []string{d.Format("01-02")}
		if d.Month() == time.February && d.Day() == 28 && daysIn(time.February, d.Year()) == 28 {
			keys = append(keys, "02-29")
		}
		out = append(out, keys)
	}
	return out
}

// personalDates finds birthdays and anniversaries within days of now, for
// one customer (id > 0) or everyone, soonest first and at most limit of
// them: walking day by day keeps the Today view of 100k customers from
// reading every birthday of the fortnight.
func personalDates(ctx context.Context, q queryer, id int64, now time.Time, days, limit int) ([]PersonalDate, error) {
	if id > 0 {
		return customerDates(ctx, q, id, now, days)
	}
	queries := []struct{ sql, what string }{
		{`SELECT c.id, c.display_name, c.display_name, '', c.birthday, 0 FROM customers c
			WHERE substr(c.birthday, -5) = ? AND c.birthday <> '' ORDER BY c.sort_name LIMIT ?`, "birthday"},
		{`SELECT c.id, c.display_name, c.display_name, '', c.anniversary, 0 FROM customers c
			WHERE substr(c.anniversary, -5) = ? AND c.anniversary <> '' ORDER BY c.sort_name LIMIT ?`, "anniversary"},
		{`SELECT c.id, c.display_name, f.name, f.relation, f.birthday, f.confidential FROM family_members f
			JOIN customers c ON c.id = f.customer_id WHERE substr(f.birthday, -5) = ? AND f.birthday <> '' ORDER BY c.sort_name LIMIT ?`, "birthday"},
	}
	var out []PersonalDate
	for _, keys := range monthDayKeys(now, days) {
		for _, key := range keys {
			for _, qu := range queries {
				if len(out) >= limit {
					return out, nil
				}
				if err := scanDates(ctx, q, qu.sql, qu.what, now, days, []any{key, limit - len(out)}, &out); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

// customerDates reads one customer's dates and keeps those coming up.
func customerDates(ctx context.Context, q queryer, id int64, now time.Time, days int) ([]PersonalDate, error) {
	var out []PersonalDate
	for _, qu := range []struct{ sql, what string }{
		{`SELECT c.id, c.display_name, c.display_name, '', c.birthday, 0 FROM customers c WHERE c.id = ?`, "birthday"},
		{`SELECT c.id, c.display_name, c.display_name, '', c.anniversary, 0 FROM customers c WHERE c.id = ?`, "anniversary"},
		{`SELECT c.id, c.display_name, f.name, f.relation, f.birthday, f.confidential FROM family_members f
			JOIN customers c ON c.id = f.customer_id WHERE c.id = ?`, "birthday"},
	} {
		if err := scanDates(ctx, q, qu.sql, qu.what, now, days, []any{id}, &out); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].On.Before(out[b].On) })
	return out, nil
}

func scanDates(ctx context.Context, q queryer, query, what string, now time.Time, days int, args []any, out *[]PersonalDate) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("load personal dates: %w", mapError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var p PersonalDate
		var date string
		if err := rows.Scan(&p.CustomerID, &p.CustomerName, &p.Who, &p.Relation, &date, &p.Confidential); err != nil {
			return err
		}
		d, err := ParseDate(date)
		if err != nil {
			continue
		}
		var ok bool
		if p.On, p.Years, ok = upcoming(d, now, days); ok {
			p.What = what
			*out = append(*out, p)
		}
	}
	return rows.Err()
}

// BriefConcern is an open concern with its calibration flag.
type BriefConcern struct {
	Concern
	CalibrationDue bool
}

// Briefing is everything to read in the car before a visit. Each list is
// capped (ColleagueLimit, BriefingLimit) with its full length beside it, so
// a customer at a company of thousands, or with a profile imported from a
// card of thousands of entries, still fits on one screen and one page.
type Briefing struct {
	Now             time.Time
	Customer        *Customer
	Profile         *Profile // confidential items included: show them on screen only
	FamilyTotal     int      // Profile.Family holds at most BriefingLimit of them
	PetsTotal       int
	ItemsTotal      int
	Colleagues      []CustomerSummary // the first ColleagueLimit, in name order
	ColleaguesTotal int
	Recent          []Interaction // newest first
	Interactions    int           // how many in all
	Concerns        []BriefConcern
	ConcernsTotal   int
	CalibrationDays int
	FollowUps       []FollowUp // open, by due day
	FollowUpsTotal  int
	Temperature     Trend
	Dates           []PersonalDate // in the next 30 days
	Contact         ContactStatus
	Visits          []PlannedVisit // upcoming
	VisitsTotal     int
	Notes           []Note // the latest few
}

// BriefingDays is how far ahead the briefing looks for personal dates.
const BriefingDays = 30

// BriefingLimit caps each of the briefing's other lists: more than this many
// concerns or promises is not something to read in the car.
const BriefingLimit = 50

// capped cuts list to BriefingLimit and returns its length before.
func capped[T any](list *[]T) int {
	n := len(*list)
	if n > BriefingLimit {
		*list = (*list)[:BriefingLimit:BriefingLimit]
	}
	return n
}

// Briefing gathers a customer's briefing in one read transaction.
func (s *Store) Briefing(ctx context.Context, id int64, now time.Time) (*Briefing, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, mapError(err)
	}
	defer tx.Rollback()
	b := &Briefing{Now: now}
	if b.Customer, err = getCustomer(ctx, tx, id); err != nil {
		return nil, err
	}
	if b.Profile, err = getProfile(ctx, tx, id); err != nil {
		return nil, err
	}
	b.FamilyTotal, b.PetsTotal, b.ItemsTotal = capped(&b.Profile.Family), capped(&b.Profile.Pets), capped(&b.Profile.Items)
	if b.Recent, err = interactions(ctx, tx, `customer_id = ? ORDER BY at DESC, id DESC LIMIT 5`, id); err != nil {
		return nil, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM interactions WHERE customer_id = ?`, id).Scan(&b.Interactions); err != nil {
		return nil, err
	}
	if b.CalibrationDays, err = s.CalibrationDays(ctx); err != nil {
		return nil, err
	}
	open, err := concerns(ctx, tx, id, false)
	if err != nil {
		return nil, err
	}
	b.ConcernsTotal = capped(&open) // the highest ranked
	for _, c := range open {
		b.Concerns = append(b.Concerns, BriefConcern{Concern: c, CalibrationDue: c.CalibrationDue(now, b.CalibrationDays)})
	}
	if b.FollowUps, err = followUps(ctx, tx, id, false); err != nil {
		return nil, err
	}
	b.FollowUpsTotal = capped(&b.FollowUps) // the soonest due
	rs, err := readings(ctx, tx, `i.customer_id = ? ORDER BY i.at DESC, i.id DESC LIMIT 12`, id)
	if err != nil {
		return nil, err
	}
	sort.Slice(rs, func(a, c int) bool { return rs[a].At.Before(rs[c].At) })
	b.Temperature = trendOf(rs)
	if b.Dates, err = personalDates(ctx, tx, id, now, BriefingDays, 0); err != nil {
		return nil, err
	}
	capped(&b.Dates) // the soonest; they come from the capped family and the customer
	var days, max, last sql.NullInt64
	var created int64
	if err := tx.QueryRowContext(ctx, `SELECT cadence_days, cadence_max_days, last_contact_at, created_at FROM customers WHERE id = ?`, id).
		Scan(&days, &max, &last, &created); err != nil {
		return nil, err
	}
	b.Contact = contactStatus(days, max, last, created)
	from := startOfDay(now).Unix()
	if b.Visits, err = plannedVisits(ctx, tx, `v.customer_id = ? AND v.at >= ? ORDER BY v.at, v.id LIMIT ?`, id, from, BriefingLimit); err != nil {
		return nil, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM planned_visits WHERE customer_id = ? AND at >= ?`, id, from).Scan(&b.VisitsTotal); err != nil {
		return nil, fmt.Errorf("count planned visits: %w", mapError(err))
	}
	day := startOfDay(now)
	var added int
	if b.Visits, added, err = withRecurring(ctx, tx, b.Visits, id, day, day.AddDate(0, 0, 56), BriefingLimit); err != nil {
		return nil, err
	}
	b.VisitsTotal += added
	if b.Notes, err = queryNotes(ctx, tx, id, 3); err != nil {
		return nil, err
	}
	if b.Colleagues, b.ColleaguesTotal, err = colleagues(ctx, tx, id, ColleagueLimit); err != nil {
		return nil, err
	}
	return b, nil
}

// ContactDue is a customer due for contact by their cadence.
type ContactDue struct {
	CustomerSummary
	Status ContactStatus
	State  string // soon, due, overdue
}

// Today is the app's home: what needs doing today and this week.
// Its visit and follow-up lists hold at most TodayLimit each, with how many
// there are in all beside them.
type Today struct {
	Now                 time.Time
	VisitsToday         []PlannedVisit
	VisitsTodayTotal    int
	VisitsThisWeek      []PlannedVisit // after today, within 7 days
	VisitsThisWeekTotal int
	OverdueFollowUps    []FollowUp
	OverdueTotal        int
	DueFollowUps        []FollowUp // due today or within the week
	DueTotal            int
	ContactDue          []ContactDue
	ContactDueTotal     int            // counted by TodayUpTo only; 0 otherwise
	Dates               []PersonalDate // the next 14 days
	DatesTotal          int            // counted (up to a probe) by TodayUpTo only; 0 otherwise
	LowTemperatures     []Reading      // at or below Unsatisfied in the last 30 days
}

// todayProbe is how far past its limit TodayUpTo reads dates and customers
// due for contact, to say how many it left out.
const todayProbe = 1000

// TodayUpTo is Today with each list cut at limit, and the lists Today cuts
// without counting (dates, customers due for contact) counted too, up to
// limit+todayProbe: for `rapport today --limit N`.
func (s *Store) TodayUpTo(ctx context.Context, now time.Time, limit int) (*Today, error) {
	if limit < 1 {
		return nil, errorf(ErrInvalid, "the limit must be 1 or more, got %d", limit)
	}
	t, err := s.today(ctx, now, limit, limit+todayProbe)
	if err != nil {
		return nil, err
	}
	t.ContactDueTotal, t.DatesTotal = len(t.ContactDue), len(t.Dates)
	t.ContactDue = t.ContactDue[:min(limit, len(t.ContactDue))]
	t.Dates = t.Dates[:min(limit, len(t.Dates))]
	return t, nil
}

// TodayDays is how far ahead the Today view looks for personal dates.
const TodayDays = 14

// TodayLimit caps each list of the Today view: a day has room for a few
// dozen visits or birthdays, not thousands.
const TodayLimit = 200

// Today builds the Today view as of now.
func (s *Store) Today(ctx context.Context, now time.Time) (*Today, error) {
	return s.today(ctx, now, TodayLimit, TodayLimit)
}

// today reads the Today view with its visit and follow-up lists cut at
// limit, and its dates and customers due for contact at read.
func (s *Store) today(ctx context.Context, now time.Time, limit, read int) (*Today, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, mapError(err)
	}
	defer tx.Rollback()
	t := &Today{Now: now}
	day := startOfDay(now)
	count := func(n *int, query string, args ...any) error {
		if err := tx.QueryRowContext(ctx, query, args...).Scan(n); err != nil {
			return fmt.Errorf("count for today: %w", mapError(err))
		}
		return nil
	}
	for _, v := range []struct {
		list     *[]PlannedVisit
		total    *int
		from, to time.Time
	}{
		{&t.VisitsToday, &t.VisitsTodayTotal, day, day.AddDate(0, 0, 1)},
		{&t.VisitsThisWeek, &t.VisitsThisWeekTotal, day.AddDate(0, 0, 1), day.AddDate(0, 0, 8)},
	} {
		if *v.list, err = plannedVisits(ctx, tx, `v.at >= ? AND v.at < ? ORDER BY v.at, v.id LIMIT ?`, v.from.Unix(), v.to.Unix(), limit); err != nil {
			return nil, err
		}
		if err := count(v.total, `SELECT count(*) FROM planned_visits WHERE at >= ? AND at < ?`, v.from.Unix(), v.to.Unix()); err != nil {
			return nil, err
		}
		// Each occurrence of a recurring visit in the span.
		var added int
		if *v.list, added, err = withRecurring(ctx, tx, *v.list, 0, v.from, v.to, limit); err != nil {
			return nil, err
		}
		*v.total += added
	}
	// A visit today is done once a visit or meeting with them is logged today.
	for i, v := range t.VisitsToday {
		err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM interactions WHERE customer_id = ? AND at >= ? AND at < ?
			AND kind IN ('visit', 'meeting'))`, v.CustomerID, day.Unix(), day.AddDate(0, 0, 1).Unix()).Scan(&t.VisitsToday[i].Logged)
		if err != nil {
			return nil, fmt.Errorf("today's logged visits: %w", mapError(err))
		}
	}
	today := DateOf(now).String()
	week := DateOf(day.AddDate(0, 0, 7)).String()
	// Overdue and due apart: thousands overdue must not hide this week's.
	for _, f := range []struct {
		list  *[]FollowUp
		total *int
		where string
		args  []any
	}{
		{&t.OverdueFollowUps, &t.OverdueTotal, `f.due < ?`, []any{today}},
		{&t.DueFollowUps, &t.DueTotal, `f.due >= ? AND f.due <= ?`, []any{today, week}},
	} {
		rows, err := tx.QueryContext(ctx, `SELECT `+followUpColumns+` FROM followups f JOIN customers c ON c.id = f.customer_id
			WHERE f.done_at IS NULL AND `+f.where+` ORDER BY f.due, f.id LIMIT ?`, append(f.args, limit)...)
		if err != nil {
			return nil, mapError(err)
		}
		if *f.list, err = scanFollowUps(rows); err != nil {
			return nil, err
		}
		if err := count(f.total, `SELECT count(*) FROM followups f WHERE f.done_at IS NULL AND `+f.where, f.args...); err != nil {
			return nil, err
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+summaryColumns+`, c.cadence_days, c.cadence_max_days, c.last_contact_at, c.created_at
		FROM customers c LEFT JOIN companies co ON co.id = c.company_id
		WHERE c.cadence_days IS NOT NULL AND coalesce(c.last_contact_at, c.created_at) + c.cadence_days * 86400 <= ?
		ORDER BY coalesce(c.last_contact_at, c.created_at) + c.cadence_days * 86400 LIMIT ?`, day.AddDate(0, 0, 8).Unix(), 3*read)
	if err != nil {
		return nil, mapError(err)
	}
	for rows.Next() {
		var d ContactDue
		var days, max, last sql.NullInt64
		var created int64
		if err := rows.Scan(&d.ID, &d.Name, &d.Company, &d.Title, &d.Temperature, &days, &max, &last, &created); err != nil {
			rows.Close()
			return nil, err
		}
		d.Status = contactStatus(days, max, last, created)
		if d.State = d.Status.State(now); d.State != "ok" {
			t.ContactDue = append(t.ContactDue, d)
		}
	}
	rows.Close()
	// Overdue first, then due, then soon.
	rank := map[string]int{"overdue": 0, "due": 1, "soon": 2}
	sort.SliceStable(t.ContactDue, func(a, b int) bool { return rank[t.ContactDue[a].State] < rank[t.ContactDue[b].State] })
	if t.Dates, err = personalDates(ctx, tx, 0, now, TodayDays, read); err != nil {
		return nil, err
	}
	if t.LowTemperatures, err = readings(ctx, tx, `i.at >= ? AND i.temperature <= ? ORDER BY i.at DESC LIMIT 50`,
		day.AddDate(0, 0, -30).Unix(), Unsatisfied); err != nil {
		return nil, err
	}
	return t, nil
}
