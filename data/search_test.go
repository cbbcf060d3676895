package data

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSearchQueryTooLong: a query over the cap is refused with a message
// that gives the limit, from Search and from the export filter alike; one at
// the cap is searched.
func TestSearchQueryTooLong(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	mustCreate(t, s, sampleCustomer())
	for _, q := range []string{
		strings.Repeat("a", MaxQueryLen+1),
		strings.Repeat("ü", MaxQueryLen+1),          // characters, not bytes
		strings.Repeat("maria kowalski ", 2<<20/15), // 2 MiB: returns at once
	} {
		_, err := s.Search(ctx, q, 10)
		if !errors.Is(err, ErrQueryTooLong) || !errors.Is(err, ErrInvalid) {
			t.Fatalf("%d-byte query: %v, want ErrQueryTooLong", len(q), err)
		}
		if msg := err.Error(); !strings.Contains(msg, "at most 256") || len(msg) > 200 {
			t.Errorf("message %q should give the limit and not quote the query", msg)
		}
		if err := s.EachCustomer(ctx, ExportFilter{Query: q}, func(*Customer, *Profile) error { return nil }); !errors.Is(err, ErrQueryTooLong) {
			t.Errorf("export filter of %d bytes: %v", len(q), err)
		}
	}
	// At the cap, in two-byte characters: taken.
	atCap := strings.Repeat("ü", MaxQueryLen)
	if _, err := s.Search(ctx, atCap, 10); err != nil {
		t.Errorf("query at the cap: %v", err)
	}
	// As many distinct words as fit: FTS5 must take them all.
	var many []rune
	for r := rune(0x4e00); len(many) < MaxQueryLen; r++ {
		many = append(many, r, ' ')
	}
	if _, err := s.Search(ctx, string(many), 10); err != nil {
		t.Errorf("%d one-character words: %v", len(many)/2, err)
	}
	padded := "  " + strings.Repeat("x", MaxQueryLen) + "\n\t "
	if _, err := s.Search(ctx, padded, 10); err != nil {
		t.Errorf("spaces around a query at the cap are not counted: %v", err)
	}
}

func TestQueryWordsRepeatAskedOnce(t *testing.T) {
	if got := ftsQuery("Maria maria MARIA k"); got != `"Maria"* "k"*` {
		t.Errorf("ftsQuery = %s", got)
	}
	if got := historyQuery("cold, cold room r"); got != `"cold"* "room"*` {
		t.Errorf("historyQuery = %s", got)
	}
}

// TestInteractionBounds: an overflowed duration or a date out of any
// salesperson's life is refused when logged and when edited, with a message
// that says which.
func TestInteractionBounds(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	c := mustCreate(t, s, sampleCustomer())
	now := time.Now()
	good := Interaction{CustomerID: c.ID, Kind: KindCall, At: now, Duration: 24 * time.Hour, Summary: "Long day"}
	if err := s.LogInteraction(ctx, &good); err != nil {
		t.Fatalf("a 24-hour call: %v", err)
	}
	cases := []struct {
		name string
		edit func(*Interaction)
		msg  string
	}{
		{"over a day", func(in *Interaction) { in.Duration = 24*time.Hour + time.Minute }, "more than 24 hours"},
		{"negative", func(in *Interaction) { in.Duration = -time.Minute }, "negative"},
		{"year 9999", func(in *Interaction) { in.At = time.Date(9999, 12, 31, 23, 59, 0, 0, time.Local) }, "more than a year ahead"},
		{"two years ahead", func(in *Interaction) { in.At = now.AddDate(2, 0, 0) }, "more than a year ahead"},
		{"before 1900", func(in *Interaction) { in.At = time.Date(1899, 12, 31, 12, 0, 0, 0, time.Local) }, "before 1900"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := Interaction{CustomerID: c.ID, Kind: KindVisit, At: now, Summary: "Bounds"}
			tc.edit(&in)
			if err := s.LogInteraction(ctx, &in); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("log: %v, want ErrInvalid saying %q", err, tc.msg)
			}
			edited := good
			tc.edit(&edited)
			if err := s.UpdateInteraction(ctx, &edited); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("edit: %v, want ErrInvalid saying %q", err, tc.msg)
			}
		})
	}
	for _, at := range []time.Time{time.Date(1900, 1, 1, 0, 0, 0, 0, time.Local), now.AddDate(1, 0, -1)} {
		in := Interaction{CustomerID: c.ID, Kind: KindMeeting, At: at, Summary: "At the edge"}
		if err := s.LogInteraction(ctx, &in); err != nil {
			t.Errorf("%s: %v", at.Format("2006-01-02"), err)
		}
	}
	h, err := s.Interactions(ctx, c.ID, 0, 100)
	if err != nil || len(h) != 3 || h[1].Duration != 24*time.Hour {
		t.Errorf("stored: %v %+v", err, h)
	}
}

// TestSearchWithoutSortIndex: a file from before migration 0007 opened
// read-only (it is not migrated then) searches as well, in the same order,
// without the customers_id_sort index the search otherwise sorts on.
func TestSearchWithoutSortIndex(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rapport.db")
	s := mustOpenPath(t, path)
	for _, name := range []string{"Maria Zed", "Maria Abel", "Anna Maria", "Mario Ross", "Bob Kay"} {
		given, family, _ := strings.Cut(name, " ")
		mustCreate(t, s, &Customer{GivenName: given, FamilyName: family})
	}
	want, err := s.Search(ctx, "mar", 10)
	if err != nil || len(want) != 4 {
		t.Fatalf("with the index: %d results, %v; want 4", len(want), err)
	}
	if _, err := s.write.Exec(`DROP INDEX customers_id_sort; DELETE FROM schema_migrations WHERE version >= 7; PRAGMA user_version = 6`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	old, err := OpenWith(ctx, path, OpenOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	got, err := old.Search(ctx, "mar", 10)
	if err != nil {
		t.Fatalf("read-only file without the index: %v", err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("without the index:\n%v\nwant\n%v", got, want)
	}
}
