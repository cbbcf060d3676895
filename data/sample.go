package data

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Dataset is the JSON form of whole customers with their profile, history and
// notes: the sample customers shipped in assets/ use it. Times in the history
// are given relative to the day the data is loaded, so the sample always looks
// recent.
type Dataset struct {
	Customers []DatasetCustomer `json:"customers"`
}

// DatasetCustomer is one customer in a Dataset.
type DatasetCustomer struct {
	Card         Customer             `json:"card"`
	Profile      Profile              `json:"profile"`
	Interactions []DatasetInteraction `json:"interactions,omitempty"`
	Notes        []DatasetNote        `json:"notes,omitempty"`
}

// DatasetInteraction is an interaction some days before the load.
type DatasetInteraction struct {
	DaysAgo int    `json:"days_ago"`
	Time    string `json:"time,omitempty"` // "15:04", local; default 10:00
	Kind    string `json:"kind"`
	Minutes int    `json:"minutes,omitempty"`
	Summary string `json:"summary"`
	Notes   string `json:"notes,omitempty"`
}

// DatasetNote is a note some days before the load.
type DatasetNote struct {
	DaysAgo      int    `json:"days_ago"`
	Text         string `json:"text"`
	Confidential bool   `json:"confidential,omitempty"`
}

// ReadDataset decodes a Dataset, rejecting unknown fields so that a typo in
// hand-written sample data is caught.
func ReadDataset(r io.Reader) (*Dataset, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var ds Dataset
	if err := dec.Decode(&ds); err != nil {
		return nil, fmt.Errorf("read dataset: %w", err)
	}
	return &ds, nil
}

// at turns a relative day and clock time into an absolute time.
func relativeTime(now time.Time, daysAgo int, clock string) (time.Time, error) {
	h, m := 10, 0
	if clock != "" {
		t, err := time.Parse("15:04", clock)
		if err != nil {
			return time.Time{}, fmt.Errorf("time %q: want HH:MM", clock)
		}
		h, m = t.Hour(), t.Minute()
	}
	d := now.AddDate(0, 0, -daysAgo)
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, now.Location()), nil
}

// LoadDataset adds every customer of ds in one transaction and returns how
// many were added. Times are relative to now. A customer whose UID is
// already stored is skipped, so loading the sample twice adds nothing.
func (s *Store) LoadDataset(ctx context.Context, ds *Dataset, now time.Time) (int, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	added := 0
	for i := range ds.Customers {
		dc := &ds.Customers[i]
		c := dc.Card
		if c.UID != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE uid = ?`, c.UID).Scan(&n); err != nil {
				return 0, err
			}
			if n > 0 {
				continue
			}
		}
		added++
		if err := s.createCustomer(ctx, tx, &c, now); err != nil {
			return 0, fmt.Errorf("customer %d (%s): %w", i+1, c.Name(), err)
		}
		if err := s.replaceProfile(ctx, tx, c.ID, &dc.Profile); err != nil {
			return 0, fmt.Errorf("customer %d (%s) profile: %w", i+1, c.Name(), err)
		}
		for j, di := range dc.Interactions {
			at, err := relativeTime(now, di.DaysAgo, di.Time)
			if err != nil {
				return 0, fmt.Errorf("customer %d (%s) interaction %d: %w", i+1, c.Name(), j+1, err)
			}
			in := Interaction{CustomerID: c.ID, Kind: di.Kind, At: at,
				Duration: time.Duration(di.Minutes) * time.Minute, Summary: di.Summary, Notes: di.Notes}
			if err := s.logInteraction(ctx, tx, &in); err != nil {
				return 0, fmt.Errorf("customer %d (%s) interaction %d: %w", i+1, c.Name(), j+1, err)
			}
		}
		for j, dn := range dc.Notes {
			at, _ := relativeTime(now, dn.DaysAgo, "09:00")
			n := Note{CustomerID: c.ID, At: at, Text: dn.Text, Confidential: dn.Confidential}
			if err := s.addNote(ctx, tx, &n); err != nil {
				return 0, fmt.Errorf("customer %d (%s) note %d: %w", i+1, c.Name(), j+1, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit: %w", err)
	}
	return added, nil
}
