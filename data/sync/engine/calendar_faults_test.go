package engine

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/dav"
	"github.com/rapportcrm/rapport/data/sync/davtest"
)

// Faults on the calendar path, as faults_test.go has them for cards: the
// server stopped in the middle of a push and of a pull, a sync process
// killed -9 while it pushes and while it pulls a few hundred items, a
// phone writing an item between Rapport's read and its PUT, a calendar
// that never answers.

// calItems is every calendar item of a laptop, by UID.
func calItems(t testing.TB, s *data.Store) map[string]itemView {
	t.Helper()
	ctx := context.Background()
	uids, err := s.CalItemUIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]itemView{}
	for _, u := range uids {
		it, err := s.CalItemByUID(ctx, u)
		if err != nil {
			t.Fatalf("item %s: %v", u, err)
		}
		out[u] = itemView{kind: it.Kind, fields: it.Fields}
	}
	return out
}

// addItems gives each of n new customers per items of every kind, in
// turn: interactions, follow-ups, visits and concerns.
func addItems(t testing.TB, s *data.Store, n, per int, prefix string) {
	t.Helper()
	ctx := context.Background()
	berlin, _ := time.LoadLocation("Europe/Berlin")
	base := time.Date(2026, 1, 5, 9, 0, 0, 0, berlin)
	for i := range n {
		c := add(t, s, data.Customer{GivenName: fmt.Sprintf("%s%03d", prefix, i), FamilyName: "Items",
			Emails: []data.Labelled{{Value: fmt.Sprintf("%s%03d@items.example", strings.ToLower(prefix), i)}}})
		var lastIn int64
		for j := range per {
			at := base.AddDate(0, 0, i*per+j)
			var err error
			switch j % 4 {
			case 0:
				in := data.Interaction{CustomerID: c.ID, Kind: "visit", At: at, Duration: 30 * time.Minute,
					Summary: fmt.Sprintf("visit %d/%d", i, j), Notes: "talked about the cold room, the price; and delivery", Temperature: 1 + j%5}
				err = s.LogInteraction(ctx, &in)
				lastIn = in.ID
			case 1:
				f := data.FollowUp{CustomerID: c.ID, InteractionID: lastIn, Promise: j%2 == 1, Text: fmt.Sprintf("send the offer %d/%d", i, j),
					Due: data.DateOf(at.AddDate(0, 0, 7))}
				err = s.AddFollowUp(ctx, &f)
			case 2:
				v := data.PlannedVisit{CustomerID: c.ID, At: at.AddDate(0, 6, 0), Duration: time.Hour, Purpose: fmt.Sprintf("demo %d/%d", i, j), Zone: "Europe/Berlin"}
				err = s.PlanVisit(ctx, &v)
			default:
				cn := data.Concern{CustomerID: c.ID, Text: fmt.Sprintf("delivery times %d/%d", i, j)}
				err = s.AddConcern(ctx, &cn)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

// calConverged checks that laptops and server hold the same calendar
// items, n of them, one object per UID, with nothing waiting and no
// conflict.
func calConverged(t testing.TB, srv *davtest.Server, n int, stores ...*data.Store) {
	t.Helper()
	c, err := dav.New(srv.URL, dav.Options{User: davtest.User, Password: davtest.Password})
	if err != nil {
		t.Fatal(err)
	}
	server, _ := serverItems(t, c, calendarOf(t, stores[0]).Href)
	if len(server) != n {
		t.Fatalf("the calendar has %d items, want %d", len(server), n)
	}
	ctx := context.Background()
	for i, s := range stores {
		local := calItems(t, s)
		if len(local) != n {
			t.Fatalf("laptop %d has %d items, want %d", i, len(local), n)
		}
		for uid, sv := range server {
			lv, ok := local[uid]
			if !ok || lv.kind != sv.kind || !sameFields(lv.fields, sv.fields) {
				t.Fatalf("laptop %d and the server differ on %s:\nhere:   %v\nserver: %v", i, uid, lv, sv)
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

// The server goes away while 120 calendar items are being pushed, and
// again while a second laptop takes them in; back on the same port and
// storage, the next syncs finish the work, nothing lost or doubled.
func TestCalendarServerStopped(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			a, b := laptop(t, srv, "a"), laptop(t, srv, "b")
			addItems(t, a, 10, 12, "Stop")
			var stopped atomic.Bool
			opt := opts()
			opt.Progress = func(p Progress) {
				// The calendar's push (the address book's has 10).
				if p.Phase == "sending" && p.Total == 120 && p.Done >= 40 && stopped.CompareAndSwap(false, true) {
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
			t.Logf("push cut short: %v (%d items sent)", err, sum.Calendar.Created)
			if sum.Waiting == 0 || sum.Waiting >= 120 {
				t.Fatalf("waiting %d after a push cut short", sum.Waiting)
			}
			srv.Restart(t)
			if sum := mustSync(t, a); len(sum.Problems) > 0 && k.Name == "xandikos" {
				// As in TestServerStoppedMidPush: Xandikos killed between
				// a file and its git commit can refuse every write after;
				// Rapport keeps the changes and fills a new server.
				t.Logf("xandikos after its restart: %s (%d problems); setting up a new server", sum.Problems[0], len(sum.Problems))
				srv = k.Start(t)
				if _, err := Configure(context.Background(), a, srv.URL, davtest.User, "", opts()); err != nil {
					t.Fatal(err)
				}
				mustSync(t, a)
				b = laptop(t, srv, "b2")
			} else if len(sum.Problems) > 0 {
				t.Fatalf("after the restart: %v", sum.Problems)
			}
			calConverged(t, srv, 120, a)
			// b: the server goes away while the items are fetched (the
			// calendar's third REPORT: its listing, then two multigets).
			stop := &stopAt{srv: srv, t: t, prefix: calendarOf(t, b).Href, n: 3, next: http.DefaultTransport}
			opt = opts()
			opt.Transport = stop
			// Offline, or (Xandikos, behind the test's auth proxy) the
			// proxy's 502 for a request already on its way.
			_, err = Run(context.Background(), b, opt)
			if !stop.stopped.Load() || !(errors.Is(err, dav.ErrOffline) || strings.Contains(fmt.Sprint(err), "502 Bad Gateway")) {
				t.Fatalf("a pull through a server stopped mid-fetch: %v (stopped %v)", err, stop.stopped.Load())
			}
			if n := len(calItems(t, b)); n != 0 {
				t.Fatalf("b stored %d items of a pull cut short (all or none: they are stored in kind order once all are in)", n)
			}
			srv.Restart(t)
			mustSync(t, b)
			calConverged(t, srv, 120, a, b)
		})
	}
}

// stopAt stops the server just before the nth REPORT to the calendar.
type stopAt struct {
	t       testing.TB
	srv     *davtest.Server
	prefix  string
	n       int64
	seen    atomic.Int64
	stopped atomic.Bool
	next    http.RoundTripper
}

func (s *stopAt) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == "REPORT" && strings.HasPrefix(req.URL.Path, s.prefix) && s.seen.Add(1) == s.n && s.stopped.CompareAndSwap(false, true) {
		s.srv.Stop(s.t)
	}
	return s.next.RoundTrip(req)
}

// kill -9 of a sync process while it pushes 300 calendar items, and of
// another while it takes them in: the next ordinary sync converges, with
// nothing lost or doubled.
func TestCalendarKilledMidSync(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			dir := t.TempDir()
			a := laptopAt(t, srv, filepath.Join(dir, "a.db"))
			addItems(t, a, 12, 25, "Kill")
			a.Close()
			// "sending 100": the address book has 12 cards, so this is the calendar.
			killAt(t, filepath.Join(dir, "a.db"), "sending", 100)
			a = reopen(t, filepath.Join(dir, "a.db"))
			w, _ := a.PendingCount(context.Background())
			if w == 0 {
				t.Fatal("nothing waits after a push killed at 100 of 300")
			}
			t.Logf("%d changes wait after the kill", w)
			if sum := mustSync(t, a); len(sum.Problems) > 0 {
				t.Fatalf("the sync after the kill: %v", sum.Problems)
			}
			calConverged(t, srv, 300, a)
			b := laptopAt(t, srv, filepath.Join(dir, "b.db"))
			b.Close()
			// Killed after the first 100 of 300 are fetched (they are
			// stored only when all are in, in kind order).
			killAt(t, filepath.Join(dir, "b.db"), "fetching", 100)
			b = reopen(t, filepath.Join(dir, "b.db"))
			if sum := mustSync(t, b); len(sum.Problems) > 0 || sum.Calendar.New != 300 {
				t.Fatalf("the pull after the kill: %+v", sum)
			}
			calConverged(t, srv, 300, a, b)
		})
	}
}

// calRace is a phone that changes one calendar object just before the
// engine's first PUT over it: between Rapport's read and its write.
type calRace struct {
	next  http.RoundTripper
	href  string
	fired atomic.Bool
	ph    *calPhone
	edit  func(m *ical.Component)
	err   error
}

func (rt *calRace) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPut && req.URL.Path == rt.href && rt.fired.CompareAndSwap(false, true) {
		o, err := rt.ph.read.GetCalendarObject(context.Background(), rt.href)
		if err != nil {
			return nil, err
		}
		rt.edit(master(o.Cal))
		body, err := dav.EncodeCalendar(o.Cal)
		if err != nil {
			return nil, err
		}
		if code, _, err := rt.ph.put(rt.href, o.ETag, body); err != nil || code >= 300 {
			rt.err = fmt.Errorf("the racing PUT: %d %v", code, err)
			return nil, rt.err
		}
	}
	return rt.next.RoundTrip(req)
}

// A 412 on the calendar: the engine fetches the object the phone wrote,
// merges it with its own change and sends again. Different fields both
// survive (a follow-up snoozed here, ticked on the phone); the same field
// changed on both (a concern reworded) is a conflict with both values.
func TestCalendarPreconditionRace(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			ctx := context.Background()
			a := laptop(t, srv, "a")
			ann := add(t, a, data.Customer{GivenName: "Rae", FamilyName: "Race"})
			fu := data.FollowUp{CustomerID: ann.ID, Text: "send the drawings", Due: data.DateOf(time.Now().AddDate(0, 0, 3))}
			if err := a.AddFollowUp(ctx, &fu); err != nil {
				t.Fatal(err)
			}
			con := data.Concern{CustomerID: ann.ID, Text: "delivery times"}
			if err := a.AddConcern(ctx, &con); err != nil {
				t.Fatal(err)
			}
			mustSync(t, a)
			var fuUID, conUID string
			for uid, v := range calItems(t, a) {
				if v.kind == data.ItemFollowUp {
					fuUID = uid
				} else {
					conUID = uid
				}
			}
			cal := calendarOf(t, a).Href
			ph := newCalPhone(t, srv, cal)

			// Different fields: snoozed here, ticked on the phone in between.
			href, _ := itemHref(t, a, fuUID)
			rt := &calRace{next: http.DefaultTransport, href: href, ph: ph, edit: func(m *ical.Component) {
				m.Props.SetText(ical.PropStatus, "COMPLETED")
				m.Props.SetDateTime(ical.PropCompleted, time.Date(2026, 12, 2, 10, 10, 10, 0, time.UTC))
				m.Props.SetText("X-PHONE-EDITED", "ticked in between")
			}}
			if err := a.SnoozeFollowUp(ctx, fu.ID, 2, time.Now()); err != nil {
				t.Fatal(err)
			}
			snoozed := calItem(t, a, fuUID).Fields[data.FieldDue]
			opt := opts()
			opt.Transport = rt
			sum, err := Run(ctx, a, opt)
			if err != nil || rt.err != nil {
				t.Fatal(err, rt.err)
			}
			if !rt.fired.Load() || sum.Conflicts != 0 || sum.Waiting != 0 || len(sum.Problems) != 0 {
				t.Fatalf("race fired %v, summary %+v", rt.fired.Load(), sum)
			}
			got := calItem(t, a, fuUID).Fields
			if got[data.FieldDue] != snoozed || got[data.FieldDone] != "2026-12-02T10:10:10Z" {
				t.Fatalf("after the 412: %v; want due %s (here) and done (the phone)", got, snoozed)
			}
			text, _ := rawCal(t, srv, http.MethodGet, href, "", "")
			for _, want := range []string{"ticked in between", "STATUS:COMPLETED", "DUE;VALUE=DATE:" + strings.ReplaceAll(snoozed, "-", "")} {
				if !strings.Contains(text, want) {
					t.Errorf("the follow-up on the server lacks %q:\n%s", want, text)
				}
			}

			// The same field: reworded here and on the phone in between.
			href, _ = itemHref(t, a, conUID)
			rt = &calRace{next: http.DefaultTransport, href: href, ph: ph, edit: func(m *ical.Component) {
				m.Props.SetText(ical.PropSummary, "delivery on Fridays")
			}}
			if err := a.EditConcern(ctx, con.ID, "price"); err != nil {
				t.Fatal(err)
			}
			opt.Transport = rt
			sum, err = Run(ctx, a, opt)
			if err != nil || rt.err != nil {
				t.Fatal(err, rt.err)
			}
			if !rt.fired.Load() || sum.Conflicts != 1 {
				t.Fatalf("race fired %v, summary %+v; want one conflict", rt.fired.Load(), sum)
			}
			cs, err := Conflicts(ctx, a)
			if err != nil || len(cs) != 1 || cs[0].Mine != "price" || cs[0].Theirs != "delivery on Fridays" {
				t.Fatalf("conflicts after the same-field race: %+v %v", cs, err)
			}
			if got := calItem(t, a, conUID).Fields[data.FieldText]; got != "price" {
				t.Fatalf("a's own value while in conflict: %q", got)
			}
			if err := Resolve(ctx, a, cs[0].ID, KeepMine); err != nil {
				t.Fatal(err)
			}
			mustSync(t, a)
			b := laptop(t, srv, "b")
			mustSync(t, b)
			calConverged(t, srv, 2, a, b)
			if got := calItem(t, b, conUID).Fields[data.FieldText]; got != "price" {
				t.Fatalf("b after keep mine: %q", got)
			}
		})
	}
}

// calHang sends the requests to the calendar (not the address book) to a
// server that never answers while on.
type calHang struct {
	on     atomic.Bool
	prefix string
	hang   *url.URL
	direct http.RoundTripper
}

func (h *calHang) RoundTrip(req *http.Request) (*http.Response, error) {
	if h.on.Load() && strings.HasPrefix(req.URL.Path, h.prefix) {
		req = req.Clone(req.Context())
		req.URL.Host = h.hang.Host
	}
	return h.direct.RoundTrip(req)
}

// A calendar that stops answering times out; the items made here wait,
// the address book's sync is kept, and the next sync sends them.
func TestCalendarHangingServer(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			ctx := context.Background()
			a := laptop(t, srv, "a")
			addItems(t, a, 1, 4, "Hang")
			mustSync(t, a)
			c := byUID(t, a, func() string {
				for _, v := range calItems(t, a) {
					return v.fields[data.FieldCustomer]
				}
				return ""
			}())
			for i := range 5 {
				in := data.Interaction{CustomerID: c.ID, Kind: "call", At: time.Now().Add(-time.Duration(i+1) * time.Hour).Truncate(time.Second), Summary: fmt.Sprintf("call %d", i)}
				if err := a.LogInteraction(ctx, &in); err != nil {
					t.Fatal(err)
				}
			}
			hang, _ := url.Parse(davtest.Hanging(t))
			h := &calHang{prefix: calendarOf(t, a).Href, hang: hang, direct: http.DefaultTransport.(*http.Transport).Clone()}
			h.on.Store(true)
			opt := opts()
			opt.Transport, opt.Timeout = h, 300*time.Millisecond
			start := time.Now()
			_, err := Run(ctx, a, opt)
			if !errors.Is(err, dav.ErrOffline) || !strings.Contains(err.Error(), "did not answer in time") ||
				!strings.Contains(err.Error(), "5 change(s) wait for the next sync") {
				t.Fatalf("a hanging calendar: %v", err)
			}
			t.Logf("after %v: %v", time.Since(start).Round(time.Millisecond), err)
			if w, _ := a.PendingCount(ctx); w != 5 {
				t.Fatalf("%d changes wait after the timeout, want 5", w)
			}
			st, err := Status(ctx, a)
			if err != nil || !strings.Contains(st.LastError, "did not answer in time") {
				t.Fatalf("status after the timeout: %+v %v", st, err)
			}
			h.on.Store(false)
			if sum := mustSync(t, a); sum.Calendar.Created != 5 {
				t.Fatalf("the sync after the hang: %+v", sum)
			}
			calConverged(t, srv, 9, a)
		})
	}
}
