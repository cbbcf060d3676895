package engine

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/dav"
	"github.com/rapportcrm/rapport/data/sync/davtest"
)

// Sync against the real local servers; one op is one whole sync, so run
// with -benchtime=1x (make bench does):
//
//	go test -run '^$' -bench . -benchtime=1x ./data/sync/engine/
//
// Radicale 3.1 checks on every new card that no other card of the book has
// its UID by reading every card of the book (storage.has_uid over
// get_all), so n creates cost O(n²): 1,000 PUTs into an empty book are
// tens of seconds, most of it late in the run. Filling a book with 10,000
// cards that way would take hours, so the pull and the 10,000-card syncs
// fill the server's storage folder directly (Radicale: the card files;
// Xandikos: the files and a git commit, its storage format), as a server
// import would; what is timed is only Rapport's sync.

// counter counts the requests of a sync by method.
type counter struct {
	next http.RoundTripper
	n    map[string]*atomic.Int64
}

func newCounter() *counter {
	c := &counter{next: http.DefaultTransport.(*http.Transport).Clone(), n: map[string]*atomic.Int64{}}
	for _, m := range []string{"REPORT", "PROPFIND", "PUT", "DELETE", "GET"} {
		c.n[m] = &atomic.Int64{}
	}
	c.next.(*http.Transport).MaxIdleConnsPerHost = 8
	return c
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	if n := c.n[r.Method]; n != nil {
		n.Add(1)
	}
	return c.next.RoundTrip(r)
}

func (c *counter) get(m string) int64 { return c.n[m].Load() }

func (c *counter) reset() {
	for _, n := range c.n {
		n.Store(0)
	}
}

func benchStore(b *testing.B, srv *davtest.Server, book string) *data.Store {
	b.Helper()
	ctx := context.Background()
	s, err := data.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if _, err := Configure(ctx, s, srv.URL, davtest.User, book, opts()); err != nil {
		b.Fatal(err)
	}
	return s
}

func benchCustomer(i int) data.Customer {
	return data.Customer{GivenName: fmt.Sprintf("Given%d", i), FamilyName: fmt.Sprintf("Family%d", i),
		Company: fmt.Sprintf("Bistro %d", i%3000), Title: "Owner",
		Phones:   []data.Labelled{{Label: "work", Value: fmt.Sprintf("+44 20 7946 %04d", i%10000)}, {Label: "cell", Value: fmt.Sprintf("+44 7700 9%05d", i)}},
		Emails:   []data.Labelled{{Label: "work", Value: fmt.Sprintf("person%d@example.com", i)}},
		CardNote: "Met at the trade fair; interested in a new cold room."}
}

func runSync(b *testing.B, s *data.Store, rt http.RoundTripper, par int) *Summary {
	b.Helper()
	opt := opts()
	// A server that has just been filled is slow on its first reads of
	// the cards on this shared machine; the default minute is too short.
	opt.Transport, opt.Parallel, opt.Timeout = rt, par, 10*time.Minute
	sum, err := Run(context.Background(), s, opt)
	if err != nil {
		b.Fatal(err)
	}
	if len(sum.Problems) > 0 {
		b.Fatalf("%d problems, first: %s", len(sum.Problems), sum.Problems[0])
	}
	return sum
}

// BenchmarkInitialPush1000: 1,000 customers here, a new empty book, one
// sync; with 1, 4 and 8 requests at a time.
func BenchmarkInitialPush1000(b *testing.B) {
	for _, k := range davtest.Kinds {
		b.Run(k.Name, func(b *testing.B) {
			srv := k.Start(b)
			for _, par := range []int{1, 4, 8} {
				b.Run(fmt.Sprintf("parallel%d", par), func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						b.StopTimer()
						s := benchStore(b, srv, fmt.Sprintf("push %d %d", par, i))
						for j := range 1000 {
							c := benchCustomer(j)
							if err := s.CreateCustomer(context.Background(), &c); err != nil {
								b.Fatal(err)
							}
						}
						b.StartTimer()
						if sum := runSync(b, s, nil, par); sum.Created != 1000 {
							b.Fatalf("created %d", sum.Created)
						}
					}
					b.ReportMetric(float64(1000*b.N)/b.Elapsed().Seconds(), "cards/s")
				})
			}
		})
	}
}

// fillStorage writes n cards into the book's folder on the server's disk
// (see the package comment) and waits until the server lists them.
func fillStorage(b *testing.B, srv *davtest.Server, s *data.Store, n int) {
	b.Helper()
	ctx := context.Background()
	acct, err := s.SyncAccount(ctx)
	if err != nil {
		b.Fatal(err)
	}
	href := acct.Collection(data.KindContacts).Href
	dir := filepath.Join(srv.Storage, filepath.FromSlash(strings.Trim(href, "/")))
	if srv.Name == "radicale" {
		dir = filepath.Join(srv.Storage, "collection-root", filepath.FromSlash(strings.Trim(href, "/")))
	}
	if _, err := os.Stat(dir); err != nil {
		b.Fatalf("the book's folder on the server: %v", err)
	}
	for i := range n {
		c := benchCustomer(i)
		c.UID = fmt.Sprintf("bench-%06d", i)
		text, err := encode(&c, &data.Profile{})
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, c.UID+".vcf"), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	if srv.Name == "xandikos" {
		for _, args := range [][]string{{"add", "-A"}, {"-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-qm", "bench fill"}} {
			cmd := exec.Command("git", args...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("git %v: %v %s", args, err, out)
			}
		}
	}
	// The first listing makes the server index the new files (Radicale
	// builds its cache): not part of what is timed.
	c, err := dav.New(srv.URL, dav.Options{User: davtest.User, Password: davtest.Password, Timeout: 20 * time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	entries, err := c.List(ctx, href)
	if err != nil || len(entries) != n {
		b.Fatalf("the server lists %d cards after the fill (%v), want %d", len(entries), err, n)
	}
	// And the first read of the cards (Xandikos indexes them then).
	var hrefs []string
	for _, e := range entries {
		hrefs = append(hrefs, e.Href)
	}
	if _, err := c.MultiGet(ctx, href, hrefs[:100]); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkInitialPull10000: a new laptop takes 10,000 cards in.
func BenchmarkInitialPull10000(b *testing.B) {
	for _, k := range davtest.Kinds {
		b.Run(k.Name, func(b *testing.B) {
			srv := k.Start(b)
			seed := benchStore(b, srv, "")
			fillStorage(b, srv, seed, 10000)
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				s := benchStore(b, srv, "")
				b.StartTimer()
				if sum := runSync(b, s, nil, 0); sum.New != 10000 {
					b.Fatalf("pulled %d", sum.New)
				}
			}
			b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "cards/s")
		})
	}
}

// BenchmarkSync10000 is a laptop and server with 10,000 customers in
// step: a sync with nothing changed (target < 0.3 s, one REPORT) and a
// sync of one edited customer (target < 0.5 s).
func BenchmarkSync10000(b *testing.B) {
	for _, k := range davtest.Kinds {
		b.Run(k.Name, func(b *testing.B) {
			srv := k.Start(b)
			s := benchStore(b, srv, "")
			fillStorage(b, srv, s, 10000)
			cnt := newCounter()
			start := time.Now()
			runSync(b, s, cnt, 0)
			b.Logf("%s: the first pull of 10,000 took %v", k.Name, time.Since(start).Round(time.Millisecond))
			ctx := context.Background()
			// The server's part of an unchanged sync: the sync-collection
			// REPORT with the current token, alone.
			b.Run("report-only", func(b *testing.B) {
				acct, err := s.SyncAccount(ctx)
				if err != nil {
					b.Fatal(err)
				}
				col := acct.Collection(data.KindContacts)
				c, err := Connect(acct.URL, acct.User, Options{Password: davtest.Password, Timeout: 10 * time.Minute})
				if err != nil {
					b.Fatal(err)
				}
				for i := 0; i < b.N; i++ {
					res, err := c.Sync(ctx, col.Href, col.Token)
					if err != nil || len(res.Changed)+len(res.Deleted) != 0 {
						b.Fatalf("report: %v %+v", err, res)
					}
				}
			})
			// What a cheaper "anything new?" would cost: PROPFIND depth 0 of
			// the book's DAV:sync-token (RFC 6578 §4), compared with the
			// token kept, before any REPORT.
			b.Run("token-propfind", func(b *testing.B) {
				acct, err := s.SyncAccount(ctx)
				if err != nil {
					b.Fatal(err)
				}
				col := acct.Collection(data.KindContacts)
				body := `<?xml version="1.0"?><propfind xmlns="DAV:"><prop><sync-token/></prop></propfind>`
				for i := 0; i < b.N; i++ {
					req, _ := http.NewRequest("PROPFIND", acct.URL+col.Href, strings.NewReader(body))
					req.Header.Set("Depth", "0")
					req.Header.Set("Content-Type", "application/xml")
					req.SetBasicAuth(davtest.User, davtest.Password)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					out, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 207 || !strings.Contains(string(out), col.Token) {
						b.Fatalf("PROPFIND sync-token: %d %s (kept %s)", resp.StatusCode, out, col.Token)
					}
				}
			})
			b.Run("unchanged", func(b *testing.B) {
				cnt.reset()
				for i := 0; i < b.N; i++ {
					if sum := runSync(b, s, cnt, 0); sum.Changed() {
						b.Fatalf("an unchanged sync did %+v", sum)
					}
				}
				b.ReportMetric(float64(cnt.get("REPORT")+cnt.get("PROPFIND"))/float64(b.N), "listings/op")
				b.ReportMetric(float64(cnt.get("PUT")+cnt.get("GET"))/float64(b.N), "puts+gets/op")
			})
			b.Run("one-edited", func(b *testing.B) {
				cnt.reset()
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					c, _, err := s.CustomerByUID(ctx, fmt.Sprintf("bench-%06d", i%10000))
					if err != nil {
						b.Fatal(err)
					}
					c.Title = fmt.Sprintf("Owner %d %d", i, time.Now().UnixNano())
					if err := s.UpdateCustomer(ctx, c); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					if sum := runSync(b, s, cnt, 0); sum.Sent != 1 {
						b.Fatalf("one edit: %+v", sum)
					}
				}
				b.ReportMetric(float64(cnt.get("PUT"))/float64(b.N), "PUTs/op")
			})
		})
	}
}
