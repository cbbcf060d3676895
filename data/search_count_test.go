package data

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestSearchCount: SearchCount says how many Search would return, for card
// matches past the cap, history-only matches, customers matched both ways,
// a limit below and above the matches, and the empty query.
func TestSearchCount(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	tx, err := s.begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var ids []int64
	for i := range searchCap + 30 {
		c := &Customer{GivenName: "Maria", FamilyName: fmt.Sprintf("Kowalski%d", i)}
		if i%2 == 1 {
			c.GivenName = "Olga"
		}
		if err := s.createCustomer(ctx, tx, c, now); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// History about cold rooms: two customers whose card says so too
	// (tagged), three only in their history, one in a note.
	for i, id := range ids[:5] {
		if i < 2 {
			c, _ := s.Customer(ctx, id)
			c.Tags = []string{"cold room"}
			if err := s.UpdateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.LogInteraction(ctx, &Interaction{CustomerID: id, Kind: KindVisit, At: now, Summary: "the cold room again"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddNote(ctx, &Note{CustomerID: ids[7], Text: "wants a cold room quote"}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"maria", "m", "olga kow", "kowalski1", "cold", "cold room", "cold r", "c", "nobody", "", "  "} {
		for _, upTo := range []int{1, 3, 100, 2000} {
			found, err := s.Search(ctx, q, upTo)
			if err != nil {
				t.Fatal(err)
			}
			n, err := s.SearchCount(ctx, q, upTo)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(found) {
				t.Errorf("SearchCount(%q, %d) = %d, Search found %d", q, upTo, n, len(found))
			}
		}
	}
}
