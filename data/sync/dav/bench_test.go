package dav

import (
	"context"
	"fmt"
	"testing"

	"github.com/rapportcrm/rapport/data/sync/davtest"
)

// Against the real local servers: run with -benchtime=1x (one op is 1,000
// PUTs, which takes Radicale tens of seconds).
//
//	go test -run '^$' -bench . -benchtime=1x ./data/sync/dav/

// BenchmarkPut1000 creates 1,000 cards in a fresh book, one request at a
// time and with 4 in parallel.
func BenchmarkPut1000(b *testing.B) {
	for _, k := range davtest.Kinds {
		b.Run(k.Name, func(b *testing.B) {
			srv := k.Start(b)
			base := openBook(b, srv)
			for _, par := range []int{1, 4} {
				b.Run(fmt.Sprintf("parallel%d", par), func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						b.StopTimer()
						bk := openBookNamed(b, base, fmt.Sprintf("put %d %d", par, i))
						b.StartTimer()
						bk.fill(b, 1000, par)
					}
					b.ReportMetric(float64(1000*b.N)/b.Elapsed().Seconds(), "PUTs/s")
				})
			}
		})
	}
}

// BenchmarkSyncUnchanged1000 is the sync-collection REPORT with a current
// token on a 1,000-card book where nothing changed: the cost of a sync
// that finds nothing to do. List1000 (PROPFIND depth 1 of all ETags) is
// what the same check costs without sync-collection.
func BenchmarkSyncUnchanged1000(b *testing.B) {
	for _, k := range davtest.Kinds {
		b.Run(k.Name, func(b *testing.B) {
			srv := k.Start(b)
			bk := openBook(b, srv)
			bk.fill(b, 1000, 4)
			ctx := context.Background()
			first, err := bk.c.Sync(ctx, bk.path, "")
			if err != nil || len(first.Changed) != 1000 {
				b.Fatalf("initial sync: %v, %d entries", err, len(first.Changed))
			}
			b.Run("sync-collection", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					res, err := bk.c.Sync(ctx, bk.path, first.Token)
					if err != nil || res.Full || len(res.Changed)+len(res.Deleted) != 0 {
						b.Fatalf("unchanged sync: %v %+v", err, res)
					}
				}
			})
			b.Run("List1000", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					es, err := bk.c.List(ctx, bk.path)
					if err != nil || len(es) != 1000 {
						b.Fatalf("list: %v, %d", err, len(es))
					}
				}
			})
		})
	}
}
