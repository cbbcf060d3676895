package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/assets"
	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/davtest"
	"github.com/rapportcrm/rapport/data/sync/secret"
)

// syncer runs the command line with the sync password in its environment.
func syncer(t *testing.T, password string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""), Sample: assets.SampleJSON,
		Getenv: func(k string) string {
			if k == EnvSyncPassword {
				return password
			}
			return ""
		}}
	code := Main(context.Background(), args, env)
	return result{code, out.String(), errb.String()}
}

func TestSyncCommand(t *testing.T) {
	t.Setenv(secret.EnvKeyring, "none") // never touch a developer's real keyring
	srv := davtest.Radicale(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	if r := rapport(t, "sample", "--db", a); r.code != 0 {
		t.Fatalf("sample: %+v", r)
	}
	if r := syncer(t, davtest.Password, "sync", "--db", a); r.code != 1 || !strings.Contains(r.stderr, "sync is not set up") {
		t.Fatalf("sync before set-up: %+v", r)
	}
	if r := syncer(t, "wrong", "sync", "--db", a, "--setup", srv.URL, davtest.User); r.code != 1 || !strings.Contains(r.stderr, "user name or password wrong") {
		t.Fatalf("set-up with a wrong password: %+v", r)
	}
	r := syncer(t, davtest.Password, "sync", "--db", a, "--setup", srv.URL, davtest.User)
	if r.code != 0 || !strings.Contains(r.stdout, `address book "Rapport"`) || !strings.Contains(r.stdout, "not saved") {
		t.Fatalf("set-up: %+v", r)
	}
	if strings.Contains(r.stdout+r.stderr, davtest.Password) {
		t.Fatalf("the password was printed: %+v", r)
	}
	if r := syncer(t, davtest.Password, "sync", "--db", a); r.code != 0 || !strings.Contains(r.stdout, "pushed 14 new") {
		t.Fatalf("first sync: %+v", r)
	}
	if r := syncer(t, "", "sync", "--db", a); r.code != 1 || !strings.Contains(r.stderr, "RAPPORT_SYNC_PASSWORD") {
		t.Fatalf("no keyring and no password: %+v", r)
	}
	syncer(t, davtest.Password, "sync", "--db", b, "--setup", srv.URL, davtest.User)
	if r := syncer(t, davtest.Password, "sync", "--db", b); r.code != 0 || !strings.Contains(r.stdout, "pulled 14 new") {
		t.Fatalf("second laptop: %+v", r)
	}
	// The same field on both laptops: a conflict, exit 1, settled with --resolve.
	for db, title := range map[string]string{a: "Head chef", b: "Owner"} {
		id := strings.Split(rapport(t, "search", "--db", db, "Amara").stdout, "\t")[0]
		s := openTest(t, db)
		c, err := s.Customer(context.Background(), mustID(t, id))
		if err != nil {
			t.Fatal(err)
		}
		c.Title = title
		if err := s.UpdateCustomer(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	syncer(t, davtest.Password, "sync", "--db", a)
	r = syncer(t, davtest.Password, "sync", "--db", b)
	if r.code != 1 || !strings.Contains(r.stdout, `title: here "Owner", on the server "Head chef"`) {
		t.Fatalf("conflict: %+v", r)
	}
	st := syncer(t, "", "sync", "--db", b, "--status")
	if st.code != 0 || !strings.Contains(st.stdout, "conflicts:    1") {
		t.Fatalf("status: %+v", st)
	}
	id := strings.TrimSuffix(strings.Fields(r.stdout[strings.Index(r.stdout, "conflict "):])[1], ":")
	if r := syncer(t, "", "sync", "--db", b, "--resolve", id, "--keep", "theirs"); r.code != 0 {
		t.Fatalf("resolve: %+v", r)
	}
	if r := syncer(t, davtest.Password, "sync", "--db", b); r.code != 0 || !strings.Contains(r.stdout, "no conflicts") {
		t.Fatalf("after resolve: %+v", r)
	}
	s := openTest(t, b)
	bid := strings.Split(rapport(t, "search", "--db", b, "Amara").stdout, "\t")[0]
	if c, _ := s.Customer(context.Background(), mustID(t, bid)); c.Title != "Head chef" {
		t.Fatalf("kept theirs, but b has %q", c.Title)
	}
	s.Close()
}

func openTest(t *testing.T, path string) *data.Store {
	t.Helper()
	s, err := data.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("id %q: %v", s, err)
	}
	return id
}

func TestSyncOffline(t *testing.T) {
	t.Setenv(secret.EnvKeyring, "none")
	srv := davtest.Radicale(t)
	db := filepath.Join(t.TempDir(), "a.db")
	rapport(t, "sample", "--db", db)
	if r := syncer(t, davtest.Password, "sync", "--db", db, "--setup", srv.URL, davtest.User); r.code != 0 {
		t.Fatalf("set-up: %+v", r)
	}
	srv.Stop(t)
	// The sample's 14 customers and their visits, follow-ups,
	// interactions and concerns.
	s := openTest(t, db)
	waiting, err := s.PendingCount(context.Background())
	s.Close()
	if err != nil || waiting <= 14 {
		t.Fatalf("waiting before the offline sync: %d, %v", waiting, err)
	}
	r := syncer(t, davtest.Password, "sync", "--db", db)
	if r.code != 1 || !strings.Contains(r.stderr, "offline") || !strings.Contains(r.stderr, fmt.Sprintf("%d change(s) wait for the next sync", waiting)) {
		t.Fatalf("offline: %+v", r)
	}
	if r := syncer(t, "", "sync", "--db", db, "--status"); !strings.Contains(r.stdout, fmt.Sprintf("waiting:      %d changes", waiting)) || !strings.Contains(r.stdout, "offline") {
		t.Fatalf("status after offline: %+v", r)
	}
}

// A visit planned on the phone in the Rapport calendar (naming the
// customer by attendee) is listed by rapport today after rapport sync.
func TestTodayListsVisitPlannedOnPhone(t *testing.T) {
	t.Setenv(secret.EnvKeyring, "none")
	srv := davtest.Radicale(t)
	db := filepath.Join(t.TempDir(), "a.db")
	s := openTest(t, db)
	c := data.Customer{GivenName: "Petra", FamilyName: "Pohl", Emails: []data.Labelled{{Value: "petra@pohl.example"}}}
	if err := s.CreateCustomer(context.Background(), &c); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if r := syncer(t, davtest.Password, "sync", "--db", db, "--setup", srv.URL, davtest.User); r.code != 0 || !strings.Contains(r.stdout, "calendar \"Rapport\"") {
		t.Fatalf("set-up: %+v", r)
	}
	s = openTest(t, db)
	acct, err := s.SyncAccount(context.Background())
	s.Close()
	if err != nil || acct.Collection(data.KindCalendar) == nil {
		t.Fatalf("no calendar: %+v %v", acct, err)
	}
	start := time.Now().Add(time.Hour).Truncate(time.Minute).UTC()
	ev := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Apple Inc.//iPhone OS 18.1//EN\r\nBEGIN:VEVENT\r\nUID:iphone-1\r\nDTSTAMP:20261202T080000Z\r\n" +
		"DTSTART:" + start.Format("20060102T150405Z") + "\r\nDURATION:PT45M\r\nSUMMARY:Lunch at the fair\r\nATTENDEE;CN=Petra:mailto:petra@pohl.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	req, _ := http.NewRequest(http.MethodPut, srv.URL+strings.TrimSuffix(acct.Collection(data.KindCalendar).Href, "/")+"/iphone-1.ics", strings.NewReader(ev))
	req.SetBasicAuth(davtest.User, davtest.Password)
	req.Header.Set("Content-Type", "text/calendar")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode >= 300 {
		t.Fatalf("the phone's PUT: %v %v", resp, err)
	}
	resp.Body.Close()
	if r := syncer(t, davtest.Password, "sync", "--db", db); r.code != 0 || !strings.Contains(r.stdout, "calendar: pulled 1 new") {
		t.Fatalf("sync: %+v", r)
	}
	r := rapport(t, "today", "--db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "Petra Pohl") || !strings.Contains(r.stdout, "Lunch at the fair") || !strings.Contains(r.stdout, "changed on iPhone OS 18.1") {
		t.Fatalf("today: %+v", r)
	}
}
