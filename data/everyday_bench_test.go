package data

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkSearchUnsatisfied is one keystroke with the list's "Unsatisfied"
// filter on: the same prefixes as BenchmarkSearchAsYouType, among the
// customers whose temperature is 2 or less.
func BenchmarkSearchUnsatisfied(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("customers=%d/interactions=%d", size.customers, size.interactions), func(b *testing.B) {
			s, _ := benchStore(b, size.customers, size.interactions)
			defer s.Close()
			ctx := context.Background()
			queries := typedQueries
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := s.SearchWithin(ctx, queries[i%len(queries)], Unsatisfied, 200); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTodayUpTo is `rapport today`: the Today view at 100k customers,
// counting the birthdays and customers due it leaves out.
func BenchmarkTodayUpTo(b *testing.B) {
	s, _ := benchStore(b, 100_000, 1_000_000)
	defer s.Close()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.TodayUpTo(ctx, time.Now(), TodayLimit); err != nil {
			b.Fatal(err)
		}
	}
}
