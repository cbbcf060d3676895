package data

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// FuzzSearchQuery: whatever is typed in a search box, the FTS5 queries built
// from it are valid for MATCH (run against a real small store) and Search
// either answers or says the query is too long; never an FTS syntax error.
func FuzzSearchQuery(f *testing.F) {
	for _, s := range []string{"maria", "maria k", `"); DROP TABLE customers; --`, `"`, `a"b`, "NEAR(a b)", "a AND b OR NOT c",
		"col:val", "^start", "x*", "(", "+44 (20) 7946-0958", "müller", "Zoë's", "日本語", "ǅemal", "١٢٣", "a\u0301", "\u00a0", "\x00",
		"\xff\xfe", "𞤀𞤁", "ꭰ", "ᏸ", "\U0001F600", "{a b}", "- -", "a - b", strings.Repeat("a ", 128)} {
		f.Add(s)
	}
	ctx := context.Background()
	s := mustOpen(f)
	c := mustCreate(f, s, sampleCustomer())
	if err := s.LogInteraction(ctx, &Interaction{CustomerID: c.ID, Kind: KindVisit, At: time.Now(), Summary: "Cold room quote", Notes: "near the AND gate"}); err != nil {
		f.Fatal(err)
	}
	if err := s.AddNote(ctx, &Note{CustomerID: c.ID, Text: "Loves Marseille football, 日本語 too"}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		for _, w := range queryWords(q) {
			for _, r := range w {
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					t.Fatalf("word %q of %q has %q", w, q, r)
				}
			}
		}
		for _, m := range []struct{ table, match string }{
			{"customer_fts", ftsQuery(q)}, {"interaction_fts", historyQuery(q)}, {"note_fts", historyQuery(q)},
		} {
			if m.match == "" {
				continue
			}
			var n int
			if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM `+m.table+` WHERE `+m.table+` MATCH ?`, m.match).Scan(&n); err != nil {
				t.Fatalf("%s MATCH %s (from %q): %v", m.table, m.match, q, err)
			}
		}
		_, err := s.Search(ctx, q, 10)
		tooLong := utf8.RuneCountInString(strings.TrimSpace(q)) > MaxQueryLen
		switch {
		case tooLong && !errors.Is(err, ErrQueryTooLong):
			t.Fatalf("%d-character query: %v, want ErrQueryTooLong", utf8.RuneCountInString(q), err)
		case !tooLong && err != nil:
			t.Fatalf("Search(%q): %v", q, err)
		}
	})
}
