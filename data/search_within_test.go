package data

import (
	"context"
	"testing"
	"time"
)

// The list's "Unsatisfied" filter and a search combine: only unhappy
// customers who match, whether on their card or in their history.
func TestSearchWithin(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	at := time.Now().Add(-time.Hour)
	sad := mustCreate(t, s, &Customer{GivenName: "Klaus", FamilyName: "Sad", Company: "Acme"})
	logAt(t, s, sad.ID, at, 2, "visit")
	happy := mustCreate(t, s, &Customer{GivenName: "Klaus", FamilyName: "Happy", Company: "Acme"})
	logAt(t, s, happy.ID, at, 5, "visit")
	mustCreate(t, s, &Customer{GivenName: "Klaus", FamilyName: "Untaken", Company: "Acme"})
	other := mustCreate(t, s, &Customer{GivenName: "Otto", FamilyName: "Cross"})
	logAt(t, s, other.ID, at, 1, "talked about the klaxon order")

	names := func(cs []CustomerSummary) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return out
	}
	for _, tc := range []struct {
		query   string
		maxTemp int
		want    []string
	}{
		{"klaus", Unsatisfied, []string{"Klaus Sad"}},
		{"acme", Unsatisfied, []string{"Klaus Sad"}},
		{"kla", Unsatisfied, []string{"Klaus Sad", "Otto Cross"}}, // Otto by his history
		{"klaus", 0, []string{"Klaus Happy", "Klaus Sad", "Klaus Untaken"}},
		{"", Unsatisfied, []string{"Otto Cross", "Klaus Sad"}}, // lowest first, as the filter lists them
		{"nobody", Unsatisfied, nil},
	} {
		got, err := s.SearchWithin(ctx, tc.query, tc.maxTemp, 50)
		if err != nil {
			t.Fatalf("%q within %d: %v", tc.query, tc.maxTemp, err)
		}
		if g, w := names(got), tc.want; len(g) != len(w) || !equalStrings(g, w) {
			t.Errorf("%q within %d = %v, want %v", tc.query, tc.maxTemp, g, w)
		}
	}
}
