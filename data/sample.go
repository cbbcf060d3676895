package data

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
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
	Concerns     []DatasetConcern     `json:"concerns,omitempty"`
	FollowUps    []DatasetFollowUp    `json:"followups,omitempty"`
	Visits       []DatasetVisit       `json:"visits,omitempty"`
	Cadence      *Cadence             `json:"cadence,omitempty"`
}

// DatasetConcern is an open concern (in rank order), confirmed some days
// before the load; resolved ones say how long ago.
type DatasetConcern struct {
	Text             string `json:"text"`
	ConfirmedDaysAgo int    `json:"confirmed_days_ago"`
	ResolvedDaysAgo  int    `json:"resolved_days_ago,omitempty"` // 0: open
}

// DatasetFollowUp is a follow-up due some days from the load (negative:
// overdue).
type DatasetFollowUp struct {
	Text    string `json:"text"`
	DueIn   int    `json:"due_in_days"`
	Promise bool   `json:"promise,omitempty"`
	Done    bool   `json:"done,omitempty"`
}

// DatasetVisit is a planned visit some days from the load.
type DatasetVisit struct {
	InDays  int    `json:"in_days"`
	Time    string `json:"time,omitempty"` // "15:04", default 10:00
	Minutes int    `json:"minutes,omitempty"`
	Purpose string `json:"purpose"`
}

// DatasetInteraction is an interaction some days before the load.
type DatasetInteraction struct {
	DaysAgo int    `json:"days_ago"`
	Time    string `json:"time,omitempty"` // "15:04", local; default 10:00
	Kind    string `json:"kind"`
	Minutes int    `json:"minutes,omitempty"`
	Summary string `json:"summary"`
	Notes   string `json:"notes,omitempty"`
	// Temperature 1..5 when the customer was asked; Concern is the 1-based
	// index into the customer's concerns that it was about.
	Temperature    int    `json:"temperature,omitempty"`
	TempComment    string `json:"temp_comment,omitempty"`
	Concern        int    `json:"concern,omitempty"`
	Heard          string `json:"heard,omitempty"`
	HeardConfirmed bool   `json:"heard_confirmed,omitempty"`
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
		if err := createCard(ctx, tx, &c, now); err != nil {
			return 0, fmt.Errorf("customer %d (%s): %w", i+1, c.Name(), err)
		}
		if err := addProfile(ctx, tx, c.ID, &dc.Profile); err != nil {
			return 0, fmt.Errorf("customer %d (%s) profile: %w", i+1, c.Name(), err)
		}
		concernIDs, err := loadConcerns(ctx, tx, c.ID, dc.Concerns, now)
		if err != nil {
			return 0, fmt.Errorf("customer %d (%s): %w", i+1, c.Name(), err)
		}
		for j, di := range dc.Interactions {
			at, err := relativeTime(now, di.DaysAgo, di.Time)
			if err != nil {
				return 0, fmt.Errorf("customer %d (%s) interaction %d: %w", i+1, c.Name(), j+1, err)
			}
			in := Interaction{CustomerID: c.ID, Kind: di.Kind, At: at,
				Duration: time.Duration(di.Minutes) * time.Minute, Summary: di.Summary, Notes: di.Notes,
				Temperature: di.Temperature, TempComment: di.TempComment, Heard: di.Heard, HeardConfirmed: di.HeardConfirmed}
			if di.Concern > 0 {
				if di.Concern > len(concernIDs) {
					return 0, fmt.Errorf("customer %d (%s) interaction %d: concern %d does not exist", i+1, c.Name(), j+1, di.Concern)
				}
				in.TempConcernID = concernIDs[di.Concern-1]
			}
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
		if err := loadPlans(ctx, tx, c.ID, dc, now); err != nil {
			return 0, fmt.Errorf("customer %d (%s): %w", i+1, c.Name(), err)
		}
		if err := reindexCard(ctx, tx, c.ID); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit: %w", err)
	}
	return added, nil
}

func loadConcerns(ctx context.Context, tx *Tx, customerID int64, cs []DatasetConcern, now time.Time) ([]int64, error) {
	var ids []int64
	rank := 0
	for j, dc := range cs {
		var id int64
		var resolved any
		r := 0
		if dc.ResolvedDaysAgo > 0 {
			resolved = now.AddDate(0, 0, -dc.ResolvedDaysAgo).Unix()
		} else {
			rank++
			r = rank
		}
		confirmed := now.AddDate(0, 0, -dc.ConfirmedDaysAgo)
		if strings.TrimSpace(dc.Text) == "" {
			return nil, fmt.Errorf("concern %d has no text", j+1)
		}
		if err := insertRow(ctx, tx, &id, `INSERT INTO concerns (customer_id, text, rank, resolved_at, confirmed_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			customerID, dc.Text, r, resolved, confirmed.Unix(), confirmed.Unix()); err != nil {
			return nil, err
		}
		if err := concernEvent(ctx, tx, id, confirmed, "created", dc.Text); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func loadPlans(ctx context.Context, tx *Tx, customerID int64, dc *DatasetCustomer, now time.Time) error {
	for j, df := range dc.FollowUps {
		f := FollowUp{CustomerID: customerID, Text: df.Text, Promise: df.Promise, Due: DateOf(now.AddDate(0, 0, df.DueIn))}
		if err := f.validate(); err != nil {
			return fmt.Errorf("follow-up %d: %w", j+1, err)
		}
		var done any
		if df.Done {
			done = now.Unix()
		}
		if err := insertRow(ctx, tx, &f.ID, `INSERT INTO followups (customer_id, promise, text, due, done_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			customerID, f.Promise, f.Text, f.Due.String(), done, now.Unix()); err != nil {
			return err
		}
	}
	for j, dv := range dc.Visits {
		at, err := relativeTime(now, -dv.InDays, dv.Time)
		if err != nil {
			return fmt.Errorf("visit %d: %w", j+1, err)
		}
		var id int64
		if err := insertRow(ctx, tx, &id, `INSERT INTO planned_visits (customer_id, at, minutes, purpose) VALUES (?, ?, ?, ?)`,
			customerID, at.Unix(), dv.Minutes, dv.Purpose); err != nil {
			return err
		}
	}
	if c := dc.Cadence; c != nil {
		if c.Days < 1 || (c.MaxDays != 0 && c.MaxDays < c.Days) {
			return fmt.Errorf("cadence %+v: days must be positive and max at least days", *c)
		}
		var max any
		if c.MaxDays > 0 {
			max = c.MaxDays
		}
		if _, err := tx.ExecContext(ctx, `UPDATE customers SET cadence_days = ?, cadence_max_days = ? WHERE id = ?`, c.Days, max, customerID); err != nil {
			return err
		}
	}
	return nil
}
