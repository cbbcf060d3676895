package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// LogInteraction records a visit, call, e-mail or meeting and sets in.ID.
func (s *Store) LogInteraction(ctx context.Context, in *Interaction) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.logInteraction(ctx, tx, in); err != nil {
		return err
	}
	return commit(tx)
}

func (s *Store) logInteraction(ctx context.Context, tx *Tx, in *Interaction) error {
	in.Summary, in.Notes = strings.TrimSpace(in.Summary), strings.TrimSpace(in.Notes)
	if err := in.Validate(); err != nil {
		return err
	}
	if err := insertRow(ctx, tx, &in.ID, `INSERT INTO interactions (customer_id, kind, at, duration_s, summary, notes,
		temperature, temp_concern_id, temp_comment, heard, heard_confirmed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		in.CustomerID, in.Kind, in.At.Unix(), int64(in.Duration/time.Second), in.Summary, in.Notes,
		nullInt(int64(in.Temperature)), nullInt(in.TempConcernID), in.TempComment, in.Heard, in.HeardConfirmed); err != nil {
		return fmt.Errorf("log %s for customer %d: %w", in.Kind, in.CustomerID, err)
	}
	if err := refreshContactStats(ctx, tx, in.CustomerID); err != nil {
		return err
	}
	return indexDoc(ctx, tx, "interaction_fts", in.ID, in.Summary, in.Notes, in.Heard, in.TempComment)
}

func nullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

// refreshContactStats keeps the customer's last contact and current
// temperature, which the Today view and the list sort by, in step with the
// history.
func refreshContactStats(ctx context.Context, tx *Tx, customerID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE customers SET
		last_contact_at = (SELECT max(at) FROM interactions WHERE customer_id = ?1),
		temperature = (SELECT temperature FROM interactions WHERE customer_id = ?1 AND temperature IS NOT NULL ORDER BY at DESC, id DESC LIMIT 1)
		WHERE id = ?1`, customerID)
	if err != nil {
		return fmt.Errorf("update contact stats of customer %d: %w", customerID, err)
	}
	return nil
}

// UpdateInteraction changes an interaction already logged.
func (s *Store) UpdateInteraction(ctx context.Context, in *Interaction) error {
	in.Summary, in.Notes = strings.TrimSpace(in.Summary), strings.TrimSpace(in.Notes)
	if err := in.Validate(); err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := updateRow(ctx, tx, "interaction", in.ID, `UPDATE interactions SET kind = ?, at = ?, duration_s = ?, summary = ?, notes = ?,
		temperature = ?, temp_concern_id = ?, temp_comment = ?, heard = ?, heard_confirmed = ?, origin = '' WHERE id = ? AND customer_id = ?`,
		in.Kind, in.At.Unix(), int64(in.Duration/time.Second), in.Summary, in.Notes,
		nullInt(int64(in.Temperature)), nullInt(in.TempConcernID), in.TempComment, in.Heard, in.HeardConfirmed, in.ID, in.CustomerID); err != nil {
		return err
	}
	if err := refreshContactStats(ctx, tx, in.CustomerID); err != nil {
		return err
	}
	if err := indexDoc(ctx, tx, "interaction_fts", in.ID, in.Summary, in.Notes, in.Heard, in.TempComment); err != nil {
		return err
	}
	return commit(tx)
}

// DeleteInteraction removes one interaction and its search entry.
func (s *Store) DeleteInteraction(ctx context.Context, customerID, id int64) error {
	return s.deleteDoc(ctx, "interactions", "interaction_fts", customerID, id, func(tx *Tx) error {
		return refreshContactStats(ctx, tx, customerID)
	})
}

// Interactions returns a customer's history, newest first, one page at a time.
func (s *Store) Interactions(ctx context.Context, customerID int64, offset, limit int) ([]Interaction, error) {
	return interactions(ctx, s.read, `customer_id = ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, customerID, limit, offset)
}

func interactions(ctx context.Context, q queryer, where string, args ...any) ([]Interaction, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, customer_id, kind, at, duration_s, summary, notes,
		coalesce(temperature, 0), coalesce(temp_concern_id, 0), temp_comment, heard, heard_confirmed, origin
		FROM interactions WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("load history: %w", mapError(err))
	}
	defer rows.Close()
	var out []Interaction
	for rows.Next() {
		var in Interaction
		var at, dur int64
		if err := rows.Scan(&in.ID, &in.CustomerID, &in.Kind, &at, &dur, &in.Summary, &in.Notes,
			&in.Temperature, &in.TempConcernID, &in.TempComment, &in.Heard, &in.HeardConfirmed, &in.Origin); err != nil {
			return nil, err
		}
		in.At, in.Duration = time.Unix(at, 0), time.Duration(dur)*time.Second
		out = append(out, in)
	}
	return out, rows.Err()
}

// CountInteractions returns how many interactions a customer has.
func (s *Store) CountInteractions(ctx context.Context, customerID int64) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM interactions WHERE customer_id = ?`, customerID).Scan(&n)
	return n, mapError(err)
}

// AddNote stores a personal note and sets n.ID; a zero At means now.
func (s *Store) AddNote(ctx context.Context, n *Note) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.addNote(ctx, tx, n); err != nil {
		return err
	}
	return commit(tx)
}

func (s *Store) addNote(ctx context.Context, tx *Tx, n *Note) error {
	n.Text = strings.TrimSpace(n.Text)
	if n.Text == "" {
		return errorf(ErrInvalid, "a note needs some text")
	}
	if n.At.IsZero() {
		n.At = time.Now()
	}
	if err := insertRow(ctx, tx, &n.ID, `INSERT INTO notes (customer_id, at, text, confidential) VALUES (?, ?, ?, ?)`,
		n.CustomerID, n.At.Unix(), n.Text, n.Confidential); err != nil {
		return fmt.Errorf("add note for customer %d: %w", n.CustomerID, err)
	}
	return indexDoc(ctx, tx, "note_fts", n.ID, n.Text)
}

// UpdateNote changes a note's text and whether it is confidential; its date
// stays the day it was written. The old text leaves the search index too.
func (s *Store) UpdateNote(ctx context.Context, n *Note) error {
	n.Text = strings.TrimSpace(n.Text)
	if n.Text == "" {
		return errorf(ErrInvalid, "a note needs some text")
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := updateRow(ctx, tx, "note", n.ID, `UPDATE notes SET text = ?, confidential = ? WHERE id = ? AND customer_id = ?`,
		n.Text, n.Confidential, n.ID, n.CustomerID); err != nil {
		return err
	}
	if err := indexDoc(ctx, tx, "note_fts", n.ID, n.Text); err != nil {
		return err
	}
	return commit(tx)
}

// DeleteNote removes one note and its search entry.
func (s *Store) DeleteNote(ctx context.Context, customerID, id int64) error {
	return s.deleteDoc(ctx, "notes", "note_fts", customerID, id, nil)
}

// Notes returns a customer's notes, newest first.
func (s *Store) Notes(ctx context.Context, customerID int64) ([]Note, error) {
	return queryNotes(ctx, s.read, customerID, -1)
}

// NotesPage returns one page of a customer's notes, newest first, and how
// many they have: a customer can have thousands.
func (s *Store) NotesPage(ctx context.Context, customerID int64, offset, limit int) ([]Note, int, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, mapError(err)
	}
	defer tx.Rollback()
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM notes WHERE customer_id = ?`, customerID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count notes of customer %d: %w", customerID, mapError(err))
	}
	notes, err := queryNotesFrom(ctx, tx, customerID, offset, limit)
	return notes, total, err
}

func queryNotes(ctx context.Context, q queryer, customerID int64, limit int) ([]Note, error) {
	return queryNotesFrom(ctx, q, customerID, 0, limit)
}

func queryNotesFrom(ctx context.Context, q queryer, customerID int64, offset, limit int) ([]Note, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, at, text, confidential FROM notes WHERE customer_id = ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, customerID, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("load notes of customer %d: %w", customerID, mapError(err))
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		n := Note{CustomerID: customerID}
		var at int64
		if err := rows.Scan(&n.ID, &at, &n.Text, &n.Confidential); err != nil {
			return nil, err
		}
		n.At = time.Unix(at, 0)
		out = append(out, n)
	}
	return out, rows.Err()
}

func (s *Store) deleteDoc(ctx context.Context, table, fts string, customerID, id int64, after func(*Tx) error) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := updateRow(ctx, tx, strings.TrimSuffix(table, "s"), id, `DELETE FROM `+table+` WHERE id = ? AND customer_id = ?`, id, customerID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+fts+` WHERE rowid = ?`, id); err != nil {
		return fmt.Errorf("unindex %s %d: %w", table, id, err)
	}
	if after != nil {
		if err := after(tx); err != nil {
			return err
		}
	}
	return commit(tx)
}
