package engine

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	govcard "github.com/emersion/go-vcard"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/dav"
	"github.com/rapportcrm/rapport/data/sync/davtest"
)

// TestMain lets a test run this binary as a separate sync process
// (RAPPORT_AS_SYNC=1, the database in RAPPORT_SYNC_DB), which the test can
// kill -9 in the middle of its work. The child prints every progress step.
func TestMain(m *testing.M) {
	if os.Getenv("RAPPORT_AS_SYNC") == "1" {
		os.Exit(syncChild())
	}
	os.Exit(m.Run())
}

func syncChild() int {
	ctx := context.Background()
	s, err := data.Open(ctx, os.Getenv("RAPPORT_SYNC_DB"))
	if err != nil {
		fmt.Println("open:", err)
		return 2
	}
	defer s.Close()
	_, err = Run(ctx, s, Options{Password: davtest.Password, Parallel: 2, Progress: func(p Progress) {
		fmt.Printf("%s %d/%d\n", p.Phase, p.Done, p.Total)
	}})
	if err != nil {
		fmt.Println("sync:", err)
		return 1
	}
	fmt.Println("done")
	return 0
}

func addMany(t testing.TB, s *data.Store, n int, prefix string) {
	t.Helper()
	for i := range n {
		add(t, s, data.Customer{GivenName: fmt.Sprintf("%s%03d", prefix, i), FamilyName: "Bulk",
			Emails: []data.Labelled{{Value: fmt.Sprintf("%s%03d@bulk.example", strings.ToLower(prefix), i)}}})
	}
}

// converged checks that laptops and server hold the same cards, n of them,
// with nothing waiting and no conflict.
func converged(t testing.TB, srv *davtest.Server, n int, stores ...*data.Store) {
	t.Helper()
	ctx := context.Background()
	acct, err := stores[0].SyncAccount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := dav.New(srv.URL, dav.Options{User: davtest.User, Password: davtest.Password})
	if err != nil {
		t.Fatal(err)
	}
	server := serverCards(t, c, acct.Collection(data.KindContacts).Href)
	if len(server) != n {
		t.Fatalf("the server has %d cards, want %d", len(server), n)
	}
	for i, s := range stores {
		local := localCards(t, s)
		if len(local) != n {
			t.Fatalf("laptop %d has %d customers, want %d", i, len(local), n)
		}
		for uid, text := range server {
			if local[uid] != text {
				t.Fatalf("laptop %d and the server differ on %s:\n%s\n---\n%s", i, uid, local[uid], text)
			}
		}
		if w, _ := s.PendingCount(ctx); w != 0 {
			t.Fatalf("laptop %d: %d changes still waiting", i, w)
		}
		if cs, _ := s.SyncConflicts(ctx); len(cs) != 0 {
			t.Fatalf("laptop %d: conflicts %+v", i, cs)
		}
	}
}

// The server goes away while 200 cards are being pushed, and comes back
// on the same port and storage: the next sync sends the rest, nothing is
// lost or doubled (a PUT the server stored but whose answer was lost is
// found by its If-None-Match 412 and taken as it is).
func TestServerStoppedMidPush(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			a, b := laptop(t, srv, "a"), laptop(t, srv, "b")
			addMany(t, a, 200, "Stop")
			var stopped atomic.Bool
			opt := opts()
			opt.Progress = func(p Progress) {
				if p.Phase == "sending" && p.Done >= 40 && stopped.CompareAndSwap(false, true) {
					srv.Stop(t)
				}
			}
			sum, err := Run(context.Background(), a, opt)
			if err == nil {
				t.Fatalf("a sync through a server stopped mid-push succeeded: %+v", sum)
			}
			if !errors.Is(err, dav.ErrOffline) || !strings.Contains(err.Error(), "wait for the next sync") {
				t.Fatalf("error %q does not say offline and what waits", err)
			}
			t.Logf("cut short: %v (%d sent)", err, sum.Created)
			if sum.Waiting == 0 || sum.Waiting >= 200 {
				t.Fatalf("waiting %d after a push cut short", sum.Waiting)
			}
			srv.Restart(t)
			if sum := mustSync(t, a); len(sum.Problems) > 0 && k.Name == "xandikos" {
				// Xandikos killed between writing a card's file and its
				// git commit can answer 500 to every PUT after it comes
				// back (its store, not Rapport, is damaged). Rapport kept
				// every change waiting and said so; what it must then do
				// is fill a new server after a new set-up.
				t.Logf("xandikos after its restart: %s (%d problems); setting up a new server", sum.Problems[0], len(sum.Problems))
				srv = k.Start(t)
				if _, err := Configure(context.Background(), a, srv.URL, davtest.User, "", opts()); err != nil {
					t.Fatal(err)
				}
				mustSync(t, a)
				b = laptop(t, srv, "b2")
			}
			mustSync(t, b)
			converged(t, srv, 200, a, b)
		})
	}
}

// kill -9 of a sync process in the middle of its push, and of another in
// the middle of its pull: the next ordinary sync converges.
func TestKilledMidSync(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			dir := t.TempDir()
			a := laptopAt(t, srv, filepath.Join(dir, "a.db"))
			addMany(t, a, 120, "Kill")
			a.Close()
			killAt(t, filepath.Join(dir, "a.db"), "sending", 30)
			a = reopen(t, filepath.Join(dir, "a.db"))
			if w, _ := a.PendingCount(context.Background()); w == 0 {
				t.Fatal("nothing waits after a push killed at 30 of 120")
			}
			mustSync(t, a)
			// A second laptop killed while it takes the 120 in (after the first
			// batch of 100 is stored).
			b := laptopAt(t, srv, filepath.Join(dir, "b.db"))
			b.Close()
			killAt(t, filepath.Join(dir, "b.db"), "fetching", 100)
			b = reopen(t, filepath.Join(dir, "b.db"))
			mustSync(t, b)
			converged(t, srv, 120, a, b)
		})
	}
}

func laptopAt(t testing.TB, srv *davtest.Server, path string) *data.Store {
	t.Helper()
	ctx := context.Background()
	s, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Configure(ctx, s, srv.URL, davtest.User, "", opts()); err != nil {
		t.Fatal(err)
	}
	return s
}

func reopen(t testing.TB, path string) *data.Store {
	t.Helper()
	s, err := data.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("reopen after kill -9: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// killAt runs a sync of db in a child process and kills it (SIGKILL) when
// it reports phase at done or beyond.
func killAt(t *testing.T, db, phase string, done int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "RAPPORT_AS_SYNC=1", "RAPPORT_SYNC_DB="+db)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	sc := bufio.NewScanner(out)
	var last string
	for sc.Scan() {
		last = sc.Text()
		var n, total int
		if p, rest, ok := strings.Cut(last, " "); ok && p == phase {
			fmt.Sscanf(rest, "%d/%d", &n, &total)
			if n >= done && !killed {
				cmd.Process.Kill()
				killed = true
			}
		}
	}
	io.Copy(io.Discard, out)
	cmd.Wait()
	if !killed {
		t.Fatalf("the sync process ended (%q) before it reached %s %d", last, phase, done)
	}
	t.Logf("killed at %q", last)
}

// raceTransport writes the card to the server itself just before the
// engine's first PUT over it: another client's change between our GET and
// our PUT.
type raceTransport struct {
	t     testing.TB
	next  http.RoundTripper
	href  string
	fired atomic.Bool
	ph    *phone
}

func (rt *raceTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPut && req.URL.Path == rt.href && rt.fired.CompareAndSwap(false, true) {
		o, err := rt.ph.read.Get(context.Background(), rt.href)
		if err != nil {
			return nil, err
		}
		o.Card.SetValue(govcard.FieldNote, "written by the phone in between")
		text, err := dav.Encode(o.Card)
		if err != nil {
			return nil, err
		}
		if code, _, err := rt.ph.put(rt.href, o.ETag, text); err != nil || code >= 300 {
			return nil, fmt.Errorf("the racing PUT: %d %v", code, err)
		}
	}
	return rt.next.RoundTrip(req)
}

func TestPreconditionRace(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			ctx := context.Background()
			a := laptop(t, srv, "a")
			c := add(t, a, data.Customer{GivenName: "Rae", FamilyName: "Race", Title: "Buyer", CardNote: "old note"})
			mustSync(t, a)
			acct, _ := a.SyncAccount(ctx)
			item, err := a.SyncItem(ctx, acct.Collection(data.KindContacts).ID, c.UID, "")
			if err != nil || item == nil {
				t.Fatalf("item %v %v", item, err)
			}
			rt := &raceTransport{t: t, next: http.DefaultTransport, href: item.Href,
				ph: newPhone(t, srv, acct.Collection(data.KindContacts).Href)}
			c = byUID(t, a, c.UID)
			c.Title = "Head buyer"
			if err := a.UpdateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			opt := opts()
			opt.Transport = rt
			sum, err := Run(ctx, a, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !rt.fired.Load() || sum.Conflicts != 0 || sum.Waiting != 0 {
				t.Fatalf("race fired %v, summary %+v", rt.fired.Load(), sum)
			}
			got := byUID(t, a, c.UID)
			if got.Title != "Head buyer" || got.CardNote != "written by the phone in between" {
				t.Fatalf("after the 412: title %q, note %q; want both edits", got.Title, got.CardNote)
			}
			b := laptop(t, srv, "b")
			mustSync(t, b)
			converged(t, srv, 1, a, b)
		})
	}
}

func TestWrongPassword(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			a := laptop(t, srv, "a")
			addMany(t, a, 3, "Auth")
			opt := opts()
			opt.Password = "not-the-password"
			_, err := Run(context.Background(), a, opt)
			if !errors.Is(err, dav.ErrUnauthorized) || !strings.Contains(err.Error(), "user name or password wrong") {
				t.Fatalf("wrong password: %v", err)
			}
			if strings.Contains(err.Error(), opt.Password) {
				t.Fatalf("the error shows the password: %v", err)
			}
			st, _ := Status(context.Background(), a)
			if st.Waiting != 3 || !strings.Contains(st.LastError, "password") {
				t.Fatalf("status after 401: %+v", st)
			}
			mustSync(t, a)
			converged(t, srv, 3, a)
		})
	}
}

// faulty is a reverse proxy in front of a server that answers 500 to the
// requests fail picks while failing is on.
type faulty struct {
	failing atomic.Bool
	n       atomic.Int64
	fail    func(r *http.Request, n int64) bool
	proxy   http.Handler
}

func (f *faulty) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.failing.Load() && f.fail(r, f.n.Add(1)) {
		io.Copy(io.Discard, r.Body)
		http.Error(w, "internal error: the disk went away", http.StatusInternalServerError)
		return
	}
	f.proxy.ServeHTTP(w, r)
}

func TestServerErrors(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			target, _ := url.Parse(srv.URL)
			f := &faulty{proxy: httputil.NewSingleHostReverseProxy(target)}
			front := httptest.NewServer(f)
			t.Cleanup(front.Close)
			ctx := context.Background()
			a, err := data.Open(ctx, filepath.Join(t.TempDir(), "a.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { a.Close() })
			if _, err := Configure(ctx, a, front.URL, davtest.User, "", opts()); err != nil {
				t.Fatal(err)
			}
			addMany(t, a, 30, "Err")
			// Every third PUT fails: the others go, the failed ones wait.
			f.fail = func(r *http.Request, n int64) bool { return r.Method == http.MethodPut && n%3 == 0 }
			f.failing.Store(true)
			sum, err := Run(ctx, a, opts())
			if err != nil {
				t.Fatalf("a sync with some PUTs failing: %v", err)
			}
			if sum.Waiting == 0 || len(sum.Problems) != sum.Waiting || !strings.Contains(sum.Problems[0], "500 Internal Server Error") {
				t.Fatalf("summary %+v", sum)
			}
			t.Logf("with failing PUTs: %s; first problem: %s", sum, sum.Problems[0])
			// The listing itself fails: the sync says so and nothing moves.
			f.fail = func(r *http.Request, n int64) bool { return r.Method == "REPORT" || r.Method == "PROPFIND" }
			before, _ := a.PendingCount(ctx)
			if _, err := Run(ctx, a, opts()); err == nil || !strings.Contains(err.Error(), "500") {
				t.Fatalf("a sync whose listing fails: %v", err)
			}
			if after, _ := a.PendingCount(ctx); after != before {
				t.Fatalf("waiting %d before, %d after a failed sync", before, after)
			}
			f.failing.Store(false)
			mustSync(t, a)
			converged(t, srv, 30, a)
		})
	}
}

// hangTransport sends requests to a server that never answers while on.
type hangTransport struct {
	on     atomic.Bool
	hang   *url.URL
	direct http.RoundTripper
}

func (h *hangTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if h.on.Load() {
		req = req.Clone(req.Context())
		req.URL.Host = h.hang.Host
	}
	return h.direct.RoundTrip(req)
}

func TestHangingServer(t *testing.T) {
	srv := davtest.Radicale(t)
	a := laptop(t, srv, "a")
	addMany(t, a, 5, "Hang")
	hang, _ := url.Parse(davtest.Hanging(t))
	h := &hangTransport{hang: hang, direct: http.DefaultTransport.(*http.Transport).Clone()}
	h.on.Store(true)
	opt := opts()
	opt.Transport, opt.Timeout = h, 300*time.Millisecond
	start := time.Now()
	_, err := Run(context.Background(), a, opt)
	if !errors.Is(err, dav.ErrOffline) || !strings.Contains(err.Error(), "did not answer in time") ||
		!strings.Contains(err.Error(), "5 change(s) wait for the next sync") {
		t.Fatalf("a hanging server: %v", err)
	}
	t.Logf("after %v: %v", time.Since(start).Round(time.Millisecond), err)
	h.on.Store(false)
	mustSync(t, a)
	converged(t, srv, 5, a)
}
