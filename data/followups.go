package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// FollowUp is something to do for a customer by a day: a follow-up call, or
// a promise made to them.
type FollowUp struct {
	ID            int64
	CustomerID    int64
	InteractionID int64 // the interaction it came from, if any
	Promise       bool
	Text          string
	Due           Date
	DoneAt        time.Time // zero while open
	CreatedAt     time.Time
	CustomerName  string // filled in by the Today view
	// Origin is the client that last changed it elsewhere (sync), "" when here.
	Origin string
}

// Done reports whether the follow-up is done.
func (f *FollowUp) Done() bool { return !f.DoneAt.IsZero() }

// Overdue reports whether an open follow-up's day has passed.
func (f *FollowUp) Overdue(now time.Time) bool {
	return !f.Done() && f.Due.String() < DateOf(now).String()
}

func (f *FollowUp) validate() error {
	f.Text = strings.TrimSpace(f.Text)
	if f.Text == "" {
		return errorf(ErrInvalid, "a follow-up needs some text")
	}
	if f.Due.IsZero() || !f.Due.HasYear() {
		return errorf(ErrInvalid, "a follow-up needs a due date with a year")
	}
	return f.Due.Validate()
}

// AddFollowUp stores a follow-up or promise.
func (s *Store) AddFollowUp(ctx context.Context, f *FollowUp) error {
	if err := f.validate(); err != nil {
		return err
	}
	f.CreatedAt = time.Now()
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var inter any
	if f.InteractionID != 0 {
		inter = f.InteractionID
	}
	if err := insertRow(ctx, tx, &f.ID, `INSERT INTO followups (customer_id, interaction_id, promise, text, due, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		f.CustomerID, inter, f.Promise, f.Text, f.Due.String(), f.CreatedAt.Unix()); err != nil {
		return fmt.Errorf("add follow-up: %w", err)
	}
	return commit(tx)
}

const followUpColumns = `f.id, f.customer_id, coalesce(f.interaction_id, 0), f.promise, f.text, f.due, coalesce(f.done_at, 0), f.created_at, f.origin, c.display_name`

func scanFollowUps(rows *sql.Rows) ([]FollowUp, error) {
	defer rows.Close()
	var out []FollowUp
	for rows.Next() {
		var f FollowUp
		var due string
		var done, created int64
		if err := rows.Scan(&f.ID, &f.CustomerID, &f.InteractionID, &f.Promise, &f.Text, &due, &done, &created, &f.Origin, &f.CustomerName); err != nil {
			return nil, err
		}
		f.Due, _ = ParseDate(due)
		if done != 0 {
			f.DoneAt = time.Unix(done, 0)
		}
		f.CreatedAt = time.Unix(created, 0)
		out = append(out, f)
	}
	return out, rows.Err()
}

// FollowUps returns a customer's open follow-ups by due day (and, with done,
// the finished ones after them, newest first).
func (s *Store) FollowUps(ctx context.Context, customerID int64, done bool) ([]FollowUp, error) {
	return followUps(ctx, s.read, customerID, done)
}

func followUps(ctx context.Context, q queryer, customerID int64, done bool) ([]FollowUp, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+followUpColumns+` FROM followups f JOIN customers c ON c.id = f.customer_id
		WHERE f.customer_id = ? AND (f.done_at IS NULL OR ?) ORDER BY f.done_at IS NOT NULL, f.due, f.done_at DESC, f.id`, customerID, done)
	if err != nil {
		return nil, fmt.Errorf("load follow-ups: %w", mapError(err))
	}
	return scanFollowUps(rows)
}

// CompleteFollowUp marks a follow-up done (or, with done false, open again).
func (s *Store) CompleteFollowUp(ctx context.Context, id int64, done bool) error {
	var at any
	if done {
		at = time.Now().Unix()
	}
	return s.execOne(ctx, "follow-up", id, `UPDATE followups SET done_at = ?, origin = '' WHERE id = ?`, at, id)
}

// RescheduleFollowUp moves a follow-up to another day.
func (s *Store) RescheduleFollowUp(ctx context.Context, id int64, due Date) error {
	if !due.HasYear() {
		return errorf(ErrInvalid, "a follow-up needs a due date with a year")
	}
	if err := due.Validate(); err != nil {
		return errorf(ErrInvalid, "due date: %v", err)
	}
	return s.execOne(ctx, "follow-up", id, `UPDATE followups SET due = ?, origin = '' WHERE id = ?`, due.String(), id)
}

// SnoozeFollowUp moves a follow-up days later than today or its due day,
// whichever is later.
func (s *Store) SnoozeFollowUp(ctx context.Context, id int64, days int, now time.Time) error {
	var due string
	if err := s.read.QueryRowContext(ctx, `SELECT due FROM followups WHERE id = ?`, id).Scan(&due); err != nil {
		return fmt.Errorf("follow-up %d: %w", id, ErrNotFound)
	}
	from := DateOf(now)
	if d, err := ParseDate(due); err == nil && d.String() > from.String() {
		from = d
	}
	return s.RescheduleFollowUp(ctx, id, DateOf(from.Time().AddDate(0, 0, days)))
}

// DeleteFollowUp removes a follow-up.
func (s *Store) DeleteFollowUp(ctx context.Context, id int64) error {
	return s.execOne(ctx, "follow-up", id, `DELETE FROM followups WHERE id = ?`, id)
}

func (s *Store) execOne(ctx context.Context, what string, id int64, query string, args ...any) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := updateRow(ctx, tx, what, id, query, args...); err != nil {
		return err
	}
	return commit(tx)
}

// Cadence is how often a customer should hear from us.
type Cadence struct {
	Days    int `json:"days"`               // ideal days between contacts; 0 = no cadence
	MaxDays int `json:"max_days,omitempty"` // overdue after this many; 0 = same as Days
}

// SetCadence sets or (with zero Days) clears a customer's contact cadence.
func (s *Store) SetCadence(ctx context.Context, customerID int64, c Cadence) error {
	if c.Days < 0 || c.MaxDays < 0 || (c.MaxDays != 0 && c.MaxDays < c.Days) {
		return errorf(ErrInvalid, "cadence: the maximum (%d days) must be at least the ideal (%d days)", c.MaxDays, c.Days)
	}
	var days, max any
	if c.Days > 0 {
		days = c.Days
		if c.MaxDays > 0 {
			max = c.MaxDays
		}
	}
	return s.execOne(ctx, "customer", customerID, `UPDATE customers SET cadence_days = ?, cadence_max_days = ? WHERE id = ?`, days, max, customerID)
}

// ContactStatus says where a customer stands against their cadence.
type ContactStatus struct {
	Cadence     Cadence
	LastContact time.Time // zero if never
	DueAt       time.Time // last contact (or since added) + ideal days
	OverdueAt   time.Time // last contact + maximum days
}

// State is "" with no cadence, else "ok", "soon" (due within a week), "due" or "overdue".
func (c ContactStatus) State(now time.Time) string {
	switch {
	case c.Cadence.Days == 0:
		return ""
	case now.After(c.OverdueAt):
		return "overdue"
	case !now.Before(c.DueAt):
		return "due"
	case now.After(c.DueAt.AddDate(0, 0, -7)):
		return "soon"
	}
	return "ok"
}

func contactStatus(days, maxDays sql.NullInt64, last sql.NullInt64, created int64) ContactStatus {
	var st ContactStatus
	if !days.Valid {
		return st
	}
	st.Cadence = Cadence{Days: int(days.Int64), MaxDays: int(maxDays.Int64)}
	from := created
	if last.Valid {
		from = last.Int64
		st.LastContact = time.Unix(last.Int64, 0)
	}
	max := st.Cadence.MaxDays
	if max == 0 {
		max = st.Cadence.Days
	}
	st.DueAt = time.Unix(from, 0).AddDate(0, 0, st.Cadence.Days)
	st.OverdueAt = time.Unix(from, 0).AddDate(0, 0, max)
	return st
}

// ContactStatus returns a customer's cadence and when they are next due.
func (s *Store) ContactStatus(ctx context.Context, customerID int64) (ContactStatus, error) {
	var days, max, last sql.NullInt64
	var created int64
	err := s.read.QueryRowContext(ctx, `SELECT cadence_days, cadence_max_days, last_contact_at, created_at FROM customers WHERE id = ?`, customerID).
		Scan(&days, &max, &last, &created)
	if err != nil {
		return ContactStatus{}, fmt.Errorf("customer %d: %w", customerID, ErrNotFound)
	}
	return contactStatus(days, max, last, created), nil
}

// PlannedVisit is a visit in the diary.
type PlannedVisit struct {
	ID         int64
	CustomerID int64
	At         time.Time
	Duration   time.Duration
	Purpose    string
	// Zone is the IANA zone the visit was planned in ("" for this machine's).
	Zone string
	// Remind is how long before it the calendar reminds (a VALARM on the
	// phone); 0 for no reminder.
	Remind time.Duration
	// RRule is the recurrence another client gave it (RFC 5545), "" for one visit.
	RRule string
	// Origin is the client that last changed it elsewhere (sync), "" when here.
	Origin       string
	CustomerName string
	// Logged is set on today's visits (Today.VisitsToday) when a visit or
	// meeting with the customer has been logged today: the visit is done.
	Logged bool
}

// PlanVisit puts a visit in the diary.
func (s *Store) PlanVisit(ctx context.Context, v *PlannedVisit) error {
	if v.At.IsZero() {
		return errorf(ErrInvalid, "a planned visit needs a date and time")
	}
	v.Purpose = strings.TrimSpace(v.Purpose)
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The zone it is planned in stays with it (sync: 09:30 in Berlin is
	// 09:30 in Berlin on a laptop elsewhere).
	if v.Zone == "" {
		v.Zone = LocalZone()
	}
	var remind any
	if v.Remind > 0 {
		remind = int64(v.Remind / time.Minute)
	}
	if err := insertRow(ctx, tx, &v.ID, `INSERT INTO planned_visits (customer_id, at, minutes, purpose, tz, alarm_minutes) VALUES (?, ?, ?, ?, ?, ?)`,
		v.CustomerID, v.At.Unix(), int(v.Duration/time.Minute), v.Purpose, v.Zone, remind); err != nil {
		return fmt.Errorf("plan visit: %w", err)
	}
	return commit(tx)
}

// DeletePlannedVisit takes a visit out of the diary.
func (s *Store) DeletePlannedVisit(ctx context.Context, id int64) error {
	return s.execOne(ctx, "planned visit", id, `DELETE FROM planned_visits WHERE id = ?`, id)
}

func plannedVisits(ctx context.Context, q queryer, where string, args ...any) ([]PlannedVisit, error) {
	rows, err := q.QueryContext(ctx, `SELECT v.id, v.customer_id, v.at, v.minutes, v.purpose, v.tz, v.rrule, v.origin, coalesce(v.alarm_minutes, 0), c.display_name
		FROM planned_visits v JOIN customers c ON c.id = v.customer_id WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("load planned visits: %w", mapError(err))
	}
	defer rows.Close()
	var out []PlannedVisit
	for rows.Next() {
		var v PlannedVisit
		var at, minutes, remind int64
		if err := rows.Scan(&v.ID, &v.CustomerID, &at, &minutes, &v.Purpose, &v.Zone, &v.RRule, &v.Origin, &remind, &v.CustomerName); err != nil {
			return nil, err
		}
		v.At, v.Duration, v.Remind = time.Unix(at, 0), time.Duration(minutes)*time.Minute, time.Duration(remind)*time.Minute
		out = append(out, v)
	}
	return out, rows.Err()
}

// UpcomingVisits returns a customer's planned visits from now on (a
// recurring one's occurrences in the coming 8 weeks).
func (s *Store) UpcomingVisits(ctx context.Context, customerID int64, now time.Time) ([]PlannedVisit, error) {
	day := startOfDay(now)
	list, err := plannedVisits(ctx, s.read, `v.customer_id = ? AND v.at >= ? ORDER BY v.at, v.id`, customerID, day.Unix())
	if err != nil {
		return nil, err
	}
	list, _, err = withRecurring(ctx, s.read, list, customerID, day, day.AddDate(0, 0, 56), 0)
	return list, err
}

func startOfDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}
