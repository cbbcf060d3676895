package data

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkQuickCheck is what checking a database on open costs: PRAGMA
// quick_check reads every page; integrity_check also cross-checks indexes.
func BenchmarkQuickCheck(b *testing.B) {
	for _, size := range benchSizes {
		s, _ := benchStore(b, size.customers, size.interactions)
		for _, pragma := range []string{"quick_check", "integrity_check"} {
			b.Run(fmt.Sprintf("%s/%dk", pragma, size.customers/1000), func(b *testing.B) {
				for b.Loop() {
					var res string
					if err := s.read.QueryRowContext(context.Background(), "PRAGMA "+pragma).Scan(&res); err != nil || res != "ok" {
						b.Fatal(res, err)
					}
				}
			})
		}
	}
}

// BenchmarkVerify is the page walk that runs before a process's first write.
func BenchmarkVerify(b *testing.B) {
	for _, size := range benchSizes {
		s, _ := benchStore(b, size.customers, size.interactions)
		b.Run(fmt.Sprintf("%dk", size.customers/1000), func(b *testing.B) {
			for b.Loop() {
				if err := s.Verify(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
