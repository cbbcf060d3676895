package engine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/davtest"
)

// BenchmarkCalendarYear is one salesperson's year: 150 customers, 1,500
// interactions, 300 planned visits, 500 follow-ups and 75 concerns (2,375
// calendar items). Pushed once from the laptop it was logged on, pulled
// into a fresh laptop, then a sync of that laptop with nothing changed
// (target < 0.3 s). One op of push and pull is a whole sync on a new
// server and a new laptop, so run with -benchtime=1x:
//
//	go test -run '^$' -bench CalendarYear -benchtime=1x ./data/sync/engine/
//
// Unlike BenchmarkInitialPull10000 the server is filled by Rapport's own
// push (2,375 PUTs are minutes, not hours, on Radicale's O(n²) UID check),
// and that push is one of the figures.
func BenchmarkCalendarYear(b *testing.B) {
	for _, k := range davtest.Kinds {
		b.Run(k.Name, func(b *testing.B) {
			parent := b // servers and laptops outlive the sub-benchmark that made them
			var srv *davtest.Server
			var pusher, pulled *data.Store
			items := 0
			b.Run("push", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					srv = k.Start(parent)
					pusher = benchStore(parent, srv, "")
					start := time.Now()
					items = fillYear(b, pusher)
					b.Logf("%s: a year of %d items logged in %v (not timed)", k.Name, items, time.Since(start).Round(time.Millisecond))
					b.StartTimer()
					if sum := runSync(b, pusher, nil, 0); sum.Calendar.Created != items || sum.Created != 150 {
						b.Fatalf("pushed %+v, want %d items and 150 cards", sum, items)
					}
				}
				b.ReportMetric(float64(items*b.N)/b.Elapsed().Seconds(), "items/s")
			})
			if srv == nil {
				b.Skip("no push")
			}
			b.Run("pull", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					pulled = benchStore(parent, srv, "")
					b.StartTimer()
					sum := runSync(b, pulled, nil, 0)
					if sum.Calendar.New != items || sum.New != 150 || sum.Waiting != 0 {
						b.Fatalf("pulled %+v, want %d items, 150 cards, nothing waiting", sum, items)
					}
				}
				b.ReportMetric(float64(items*b.N)/b.Elapsed().Seconds(), "items/s")
			})
			// The laptop that pushed has its tokens stored only now, and the
			// first sync after a pull may settle what the pull marked.
			runSync(b, pulled, nil, 0)
			runSync(b, pusher, nil, 0)
			// Each op is five syncs, so that -benchtime=1x (for the push and
			// pull) still gives an average.
			const syncs = 5
			for _, who := range []struct {
				name string
				s    *data.Store
			}{{"unchanged-pulled", pulled}, {"unchanged-pusher", pusher}} {
				b.Run(who.name, func(b *testing.B) {
					cnt := newCounter()
					for i := 0; i < b.N; i++ {
						for range syncs {
							if sum := runSync(b, who.s, cnt, 0); sum.Changed() || sum.Waiting != 0 {
								b.Fatalf("an unchanged sync did %+v", sum)
							}
						}
					}
					n := float64(b.N * syncs)
					b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/n, "ms/sync")
					b.ReportMetric(float64(cnt.get("REPORT")+cnt.get("PROPFIND"))/n, "listings/sync")
					b.ReportMetric(float64(cnt.get("PUT")+cnt.get("GET"))/n, "puts+gets/sync")
				})
			}
			// The server's part: the calendar's sync-collection REPORT alone.
			b.Run("calendar-report-only", func(b *testing.B) {
				ctx := context.Background()
				acct, err := pulled.SyncAccount(ctx)
				if err != nil {
					b.Fatal(err)
				}
				col := acct.Collection(data.KindCalendar)
				c, err := Connect(acct.URL, acct.User, Options{Password: davtest.Password, Timeout: 10 * time.Minute})
				if err != nil {
					b.Fatal(err)
				}
				for i := 0; i < b.N; i++ {
					for range syncs {
						res, err := c.SyncCalendar(ctx, col.Href, col.Token)
						if err != nil || len(res.Changed)+len(res.Deleted) != 0 {
							b.Fatalf("report: %v %+v", err, res)
						}
					}
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*syncs), "ms/report")
			})
		})
	}
}

// fillYear logs one salesperson's year on s and returns the number of
// calendar items: per customer ten interactions over the past year, two
// visits ahead, three or four follow-ups, and every other one a concern.
func fillYear(b *testing.B, s *data.Store) int {
	b.Helper()
	ctx := context.Background()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().Truncate(time.Second)
	n := 0
	for i := range 150 {
		c := benchCustomer(i)
		if err := s.CreateCustomer(ctx, &c); err != nil {
			b.Fatal(err)
		}
		if i%2 == 0 {
			con := data.Concern{CustomerID: c.ID, Text: fmt.Sprintf("delivery times to bistro %d", i)}
			if err := s.AddConcern(ctx, &con); err != nil {
				b.Fatal(err)
			}
			n++
		}
		var lastIn int64
		for j := range 10 {
			in := data.Interaction{CustomerID: c.ID, Kind: []string{"visit", "call", "email", "meeting"}[j%4],
				At: now.AddDate(0, 0, -365+j*36+i%30), Duration: time.Duration(15+j%4*15) * time.Minute,
				Summary: fmt.Sprintf("talked about the cold room, round %d", j), Notes: "Wants the price list; asked about delivery, and the new line.",
				Temperature: 1 + (i+j)%5, Heard: "delivery before price", HeardConfirmed: j%2 == 0}
			if err := s.LogInteraction(ctx, &in); err != nil {
				b.Fatal(err)
			}
			lastIn = in.ID
			n++
		}
		for j := range 3 + boolInt(i%3 == 0) {
			f := data.FollowUp{CustomerID: c.ID, InteractionID: lastIn, Promise: j == 0, Text: fmt.Sprintf("send the offer, part %d", j),
				Due: data.DateOf(now.AddDate(0, 0, j*10-15))}
			if err := s.AddFollowUp(ctx, &f); err != nil {
				b.Fatal(err)
			}
			if j == 1 {
				if err := s.CompleteFollowUp(ctx, f.ID, true); err != nil {
					b.Fatal(err)
				}
			}
			n++
		}
		for j := range 2 {
			day := now.In(berlin).AddDate(0, 0, 3+i%60+j*30)
			v := data.PlannedVisit{CustomerID: c.ID, At: time.Date(day.Year(), day.Month(), day.Day(), 9+j*4, 30, 0, 0, berlin),
				Duration: 45 * time.Minute, Purpose: "demo of the new line", Zone: "Europe/Berlin"}
			if err := s.PlanVisit(ctx, &v); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	return n
}

func boolInt(v bool) int {
	if v {
		return 1
	}
	return 0
}
