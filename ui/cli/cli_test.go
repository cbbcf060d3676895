package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/assets"
	"github.com/rapportcrm/rapport/data"
)

type result struct {
	code           int
	stdout, stderr string
}

func rapport(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""), Sample: assets.SampleJSON}
	code := Main(context.Background(), args, env)
	return result{code, out.String(), errb.String()}
}

func TestSampleSearchLog(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	r := rapport(t, "sample", "--db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "loaded") {
		t.Fatalf("sample: %+v", r)
	}
	if fi, _ := os.Stat(db); fi.Mode().Perm() != 0o600 {
		t.Errorf("db mode %v", fi.Mode().Perm())
	}
	r = rapport(t, "search", "--db", db, "a")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) < 5 {
		t.Fatalf("search a: %+v", r)
	}
	id := strings.Split(lines[0], "\t")[0]

	r = rapport(t, "log", "--db", db, "--customer", id, "--kind", "visit", "--at", "2026-03-01 14:30", "--minutes", "40", "Talked about the wobbly dishwasher")
	if r.code != 0 || !strings.Contains(r.stdout, "logged visit") {
		t.Fatalf("log: %+v", r)
	}
	// Flags after the text work too.
	r = rapport(t, "search", "wobbly", "dishwasher", "--db", db)
	if r.code != 0 || !strings.HasPrefix(r.stdout, id+"\t") {
		t.Errorf("search interaction text: %+v", r)
	}
	s, err := data.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var cid int64
	for _, c := range id {
		cid = cid*10 + int64(c-'0')
	}
	h, _ := s.Interactions(context.Background(), cid, 0, 100)
	found := false
	for _, in := range h {
		if in.Summary == "Talked about the wobbly dishwasher" {
			found = in.Duration == 40*time.Minute && in.At.Format("2006-01-02 15:04") == "2026-03-01 14:30"
		}
	}
	if !found {
		t.Errorf("logged interaction not stored as given: %+v", h)
	}
}

func TestSampleTwiceAddsNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	rapport(t, "sample", "--db", db)
	first := rapport(t, "search", "--db", db, "--limit", "1000", "a").stdout
	rapport(t, "sample", "--db", db)
	if again := rapport(t, "search", "--db", db, "--limit", "1000", "a").stdout; again != first {
		t.Errorf("sample loaded twice changed the customers:\n%s\nvs\n%s", first, again)
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	rapport(t, "sample", "--db", db)
	bad := filepath.Join(dir, "bad.db")
	os.WriteFile(bad, []byte("not sqlite\n"), 0o644)
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown command", []string{"frobnicate", "--db", db}, ExitUsage, "unknown command"},
		{"not sqlite", []string{"search", "--db", bad, "x"}, ExitError, "not an SQLite file"},
		{"no query", []string{"search", "--db", db}, ExitUsage, "what to look for"},
		{"bad kind", []string{"log", "--db", db, "--customer", "1", "--kind", "fax", "x"}, ExitUsage, "--kind must be one of"},
		{"no customer", []string{"log", "--db", db, "--kind", "call", "x"}, ExitUsage, "--customer"},
		{"missing customer", []string{"log", "--db", db, "--customer", "99999", "--kind", "call", "x"}, ExitError, "no customer with ID 99999"},
		{"bad time", []string{"log", "--db", db, "--customer", "1", "--kind", "call", "--at", "yesterday-ish", "x"}, ExitUsage, "is not a time"},
		{"no text", []string{"log", "--db", db, "--customer", "1", "--kind", "call"}, ExitUsage, "say what happened"},
		{"unknown flag", []string{"search", "--db", db, "--colour", "x"}, ExitUsage, "search: unknown flag --colour"},
		{"unwritable db", []string{"search", "--db", filepath.Join(bad, "x.db"), "x"}, ExitError, "bad.db"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := rapport(t, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.msg) {
				t.Errorf("got code %d stderr %q; want code %d with %q", r.code, r.stderr, tc.code, tc.msg)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q on error", r.stdout)
			}
		})
	}
	if b, _ := os.ReadFile(bad); string(b) != "not sqlite\n" {
		t.Error("the non-SQLite file was changed")
	}
}

func TestParseWhen(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.Local)
	for in, want := range map[string]string{
		"":                 "2026-11-23 09:00",
		"14:30":            "2026-11-23 14:30",
		"2026-03-01":       "2026-03-01 00:00",
		"2026-03-01 08:15": "2026-03-01 08:15",
		"2026-03-01T08:15": "2026-03-01 08:15",
	} {
		got, err := parseWhen(in, now)
		if err != nil || got.Format("2006-01-02 15:04") != want {
			t.Errorf("parseWhen(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	if _, err := parseWhen("2026-02-30", now); err == nil {
		t.Error("30 February accepted")
	}
}
