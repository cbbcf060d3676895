package data

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestQueryTimes(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, "/tmp/rapport-bench-v1.3-100000-1000000.db")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"cold", "room", "chiller", "the", "quote", "kalomi"} {
		var n int
		s.read.QueryRow(`SELECT count(*) FROM interaction_fts WHERE interaction_fts MATCH ?`, w).Scan(&n)
		fmt.Println(w, n)
	}
	for _, q := range []string{"m", "ma", "mar", "mari", "maria", "maria k", "maria kow", "c", "co", "col", "cold", "cold r", "cold room", "7946", "xyzzy", "the", "chill"} {
		var best time.Duration
		var r []CustomerSummary
		for k := 0; k < 5; k++ {
			st := time.Now()
			r, _ = s.Search(ctx, q, 200)
			d := time.Since(st)
			if k == 0 || d < best {
				best = d
			}
		}
		fmt.Println(q, len(r), best)
	}
}
