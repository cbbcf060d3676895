package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Concern is something the customer needs or worries about. Open concerns
// are ranked (1 is the most important); each records when it was last
// confirmed with the customer ("calibrate": concerns shift, re-check them).
type Concern struct {
	ID          int64
	CustomerID  int64
	Text        string
	Rank        int
	ConfirmedAt time.Time
	ResolvedAt  time.Time // zero while open
	CreatedAt   time.Time
	// Origin is the client that last changed it elsewhere (sync), "" when here.
	Origin string
}

// Open reports whether the concern is still open.
func (c *Concern) Open() bool { return c.ResolvedAt.IsZero() }

// CalibrationDue reports whether an open concern has gone unconfirmed for
// longer than days.
func (c *Concern) CalibrationDue(now time.Time, days int) bool {
	return c.Open() && now.Sub(c.ConfirmedAt) > time.Duration(days)*24*time.Hour
}

// ConcernEvent is one change in a concern's history.
type ConcernEvent struct {
	At     time.Time
	Action string // created, confirmed, ranked, edited, resolved, reopened
	Detail string
}

// DefaultCalibrationDays is how long a concern may go unconfirmed before the
// briefing asks to re-check it.
const DefaultCalibrationDays = 60

// CalibrationDays returns the configured calibration period in days.
func (s *Store) CalibrationDays(ctx context.Context) (int, error) {
	v, err := s.setting(ctx, s.read, "calibration_days")
	if err != nil || v == "" {
		return DefaultCalibrationDays, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return DefaultCalibrationDays, nil
	}
	return n, nil
}

// SetCalibrationDays changes the calibration period.
func (s *Store) SetCalibrationDays(ctx context.Context, days int) error {
	if days < 1 || days > 3650 {
		return errorf(ErrInvalid, "calibration period must be between 1 and 3650 days (got %d)", days)
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('calibration_days', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, strconv.Itoa(days)); err != nil {
		return fmt.Errorf("save the calibration period: %w", mapError(err))
	}
	return commit(tx)
}

func (s *Store) setting(ctx context.Context, q queryer, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, mapError(err)
}

// AddConcern adds an open concern, last in rank unless c.Rank says where.
func (s *Store) AddConcern(ctx context.Context, c *Concern) error {
	c.Text = strings.TrimSpace(c.Text)
	if c.Text == "" {
		return errorf(ErrInvalid, "a concern needs some text")
	}
	now := time.Now()
	if c.ConfirmedAt.IsZero() {
		c.ConfirmedAt = now
	}
	c.CreatedAt = now
	return s.inCustomerTx(ctx, c.CustomerID, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM concerns WHERE customer_id = ? AND resolved_at IS NULL`, c.CustomerID).Scan(&n); err != nil {
			return err
		}
		want := c.Rank
		c.Rank = n + 1
		if err := insertRow(ctx, tx, &c.ID, `INSERT INTO concerns (customer_id, text, rank, confirmed_at, created_at) VALUES (?, ?, ?, ?, ?)`,
			c.CustomerID, c.Text, c.Rank, c.ConfirmedAt.Unix(), c.CreatedAt.Unix()); err != nil {
			return fmt.Errorf("add concern: %w", err)
		}
		if err := concernEvent(ctx, tx, c.ID, now, "created", c.Text); err != nil {
			return err
		}
		if want > 0 && want < c.Rank {
			return rankConcern(ctx, tx, c, want, now)
		}
		return nil
	})
}

// Concerns returns a customer's open concerns in rank order, then (with
// resolved) the resolved ones, newest first.
func (s *Store) Concerns(ctx context.Context, customerID int64, resolved bool) ([]Concern, error) {
	return concerns(ctx, s.read, customerID, resolved)
}

func concerns(ctx context.Context, q queryer, customerID int64, resolved bool) ([]Concern, error) {
	query := `SELECT id, text, rank, confirmed_at, coalesce(resolved_at, 0), created_at, origin FROM concerns
		WHERE customer_id = ? AND (resolved_at IS NULL OR ?) ORDER BY resolved_at IS NOT NULL, rank, resolved_at DESC`
	rows, err := q.QueryContext(ctx, query, customerID, resolved)
	if err != nil {
		return nil, fmt.Errorf("load concerns of customer %d: %w", customerID, mapError(err))
	}
	defer rows.Close()
	var out []Concern
	for rows.Next() {
		c := Concern{CustomerID: customerID}
		var confirmed, res, created int64
		if err := rows.Scan(&c.ID, &c.Text, &c.Rank, &confirmed, &res, &created, &c.Origin); err != nil {
			return nil, err
		}
		c.ConfirmedAt, c.CreatedAt = time.Unix(confirmed, 0), time.Unix(created, 0)
		if res != 0 {
			c.ResolvedAt = time.Unix(res, 0)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func getConcern(ctx context.Context, tx *Tx, id int64) (*Concern, error) {
	c := &Concern{ID: id}
	var confirmed, res, created int64
	err := tx.QueryRowContext(ctx, `SELECT customer_id, text, rank, confirmed_at, coalesce(resolved_at, 0), created_at FROM concerns WHERE id = ?`, id).
		Scan(&c.CustomerID, &c.Text, &c.Rank, &confirmed, &res, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("concern %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	c.ConfirmedAt, c.CreatedAt = time.Unix(confirmed, 0), time.Unix(created, 0)
	if res != 0 {
		c.ResolvedAt = time.Unix(res, 0)
	}
	return c, nil
}

func concernEvent(ctx context.Context, tx *Tx, id int64, at time.Time, action, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO concern_events (concern_id, at, action, detail) VALUES (?, ?, ?, ?)`, id, at.Unix(), action, detail)
	return err
}

// changeConcern loads a concern, applies fn in a transaction and keeps the
// customer's search document current.
func (s *Store) changeConcern(ctx context.Context, id int64, fn func(tx *Tx, c *Concern, now time.Time) error) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c, err := getConcern(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := fn(tx, c, time.Now()); err != nil {
		return err
	}
	if err := reindexCard(ctx, tx, c.CustomerID); err != nil {
		return err
	}
	return commit(tx)
}

// ConfirmConcern records that the customer confirmed the concern today.
func (s *Store) ConfirmConcern(ctx context.Context, id int64) error {
	return s.changeConcern(ctx, id, func(tx *Tx, c *Concern, now time.Time) error {
		if _, err := tx.ExecContext(ctx, `UPDATE concerns SET confirmed_at = ?, origin = '' WHERE id = ?`, now.Unix(), id); err != nil {
			return err
		}
		return concernEvent(ctx, tx, id, now, "confirmed", "")
	})
}

// EditConcern changes a concern's wording.
func (s *Store) EditConcern(ctx context.Context, id int64, text string) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return errorf(ErrInvalid, "a concern needs some text")
	}
	return s.changeConcern(ctx, id, func(tx *Tx, c *Concern, now time.Time) error {
		if _, err := tx.ExecContext(ctx, `UPDATE concerns SET text = ?, origin = '' WHERE id = ?`, text, id); err != nil {
			return err
		}
		return concernEvent(ctx, tx, id, now, "edited", c.Text+" → "+text)
	})
}

// RankConcern moves an open concern to rank (1 = most important).
func (s *Store) RankConcern(ctx context.Context, id int64, rank int) error {
	return s.changeConcern(ctx, id, func(tx *Tx, c *Concern, now time.Time) error {
		if !c.Open() {
			return errorf(ErrInvalid, "a resolved concern has no rank; reopen it first")
		}
		return rankConcern(ctx, tx, c, rank, now)
	})
}

func rankConcern(ctx context.Context, tx *Tx, c *Concern, rank int, now time.Time) error {
	open, err := concerns(ctx, tx, c.CustomerID, false)
	if err != nil {
		return err
	}
	if rank < 1 {
		rank = 1
	}
	if rank > len(open) {
		rank = len(open)
	}
	var order []int64
	for _, o := range open {
		if o.ID != c.ID {
			order = append(order, o.ID)
		}
	}
	order = append(order[:rank-1], append([]int64{c.ID}, order[rank-1:]...)...)
	if err := renumber(ctx, tx, order); err != nil {
		return err
	}
	if rank != c.Rank {
		return concernEvent(ctx, tx, c.ID, now, "ranked", fmt.Sprintf("%d → %d", c.Rank, rank))
	}
	return nil
}

func renumber(ctx context.Context, tx *Tx, ids []int64) error {
	for i, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE concerns SET rank = ?, origin = '' WHERE id = ?`, i+1, id); err != nil {
			return err
		}
	}
	return nil
}

// ResolveConcern closes a concern; the others move up.
func (s *Store) ResolveConcern(ctx context.Context, id int64) error {
	return s.changeConcern(ctx, id, func(tx *Tx, c *Concern, now time.Time) error {
		if !c.Open() {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE concerns SET resolved_at = ?, rank = 0, origin = '' WHERE id = ?`, now.Unix(), id); err != nil {
			return err
		}
		open, err := concerns(ctx, tx, c.CustomerID, false)
		if err != nil {
			return err
		}
		var ids []int64
		for _, o := range open {
			ids = append(ids, o.ID)
		}
		if err := renumber(ctx, tx, ids); err != nil {
			return err
		}
		return concernEvent(ctx, tx, id, now, "resolved", "")
	})
}

// ReopenConcern puts a resolved concern back at the bottom of the open list.
func (s *Store) ReopenConcern(ctx context.Context, id int64) error {
	return s.changeConcern(ctx, id, func(tx *Tx, c *Concern, now time.Time) error {
		if c.Open() {
			return nil
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM concerns WHERE customer_id = ? AND resolved_at IS NULL`, c.CustomerID).Scan(&n); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE concerns SET resolved_at = NULL, rank = ?, confirmed_at = ?, origin = '' WHERE id = ?`, n+1, now.Unix(), id); err != nil {
			return err
		}
		return concernEvent(ctx, tx, id, now, "reopened", "")
	})
}

// ConcernHistory returns a concern's changes, oldest first.
func (s *Store) ConcernHistory(ctx context.Context, id int64) ([]ConcernEvent, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT at, action, detail FROM concern_events WHERE concern_id = ? ORDER BY at, id`, id)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []ConcernEvent
	for rows.Next() {
		var e ConcernEvent
		var at int64
		if err := rows.Scan(&at, &e.Action, &e.Detail); err != nil {
			return nil, err
		}
		e.At = time.Unix(at, 0)
		out = append(out, e)
	}
	return out, rows.Err()
}
