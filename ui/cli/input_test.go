package cli

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data"
)

// TestLogBounds: a duration or a date outside any salesperson's day is
// refused with a message naming the flag and the bound, and nothing is
// stored; the edges are taken.
func TestLogBounds(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	rapport(t, "sample", "--db", db)
	log := func(extra ...string) result {
		return rapport(t, append([]string{"log", "--db", db, "--customer", "1", "--kind", "call"}, append(extra, "Bounds")...)...)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--minutes", "307445735"}, "--minutes: 307445735 minutes is more than 24 hours (1440 minutes)"},
		{[]string{"--minutes", "99999999999999999999999"}, "more than 24 hours"},
		{[]string{"--minutes", "1441"}, "more than 24 hours"},
		{[]string{"--minutes", "25h"}, "more than 24 hours"},
		{[]string{"--minutes", "-5"}, "cannot be negative"},
		{[]string{"--minutes", "-1h"}, "cannot be negative"},
		{[]string{"--minutes", "a while"}, `"a while" is not a number of minutes`},
		{[]string{"--at", "9999-12-31 23:59"}, "--at: the date 9999-12-31 is more than a year ahead"},
		{[]string{"--at", time.Now().AddDate(1, 0, 2).Format("2006-01-02")}, "more than a year ahead"},
		{[]string{"--at", "1899-12-31"}, "--at: the date 1899-12-31 is before 1900"},
		{[]string{"--at", "0001-01-01T00:00:00Z"}, "before 1900"},
	} {
		r := log(tc.args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, tc.msg) {
			t.Errorf("%v: exit %d %q, want exit 2 saying %q", tc.args, r.code, r.stderr, tc.msg)
		}
	}
	for _, args := range [][]string{{"--minutes", "1440"}, {"--minutes", "1h30m"}, {"--at", "1900-01-01 00:00"}, {"--at", time.Now().Add(-time.Minute).Format("2006-01-02 15:04")}} {
		if r := log(args...); r.code != 0 {
			t.Errorf("%v: %+v", args, r)
		}
	}
	s, err := data.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h, _ := s.Interactions(context.Background(), 1, 0, 1000)
	var durations []time.Duration
	for _, in := range h {
		if in.Summary == "Bounds" {
			durations = append(durations, in.Duration)
		}
	}
	if len(durations) != 4 || !slices.Contains(durations, 24*time.Hour) || !slices.Contains(durations, 90*time.Minute) {
		t.Errorf("stored %v, want the four at the edges with 24h and 1h30m among them", durations)
	}
}

// TestSearchTooLong: a 2 MiB query comes back at once with the limit, on
// stderr with exit code 1; at the cap it is searched.
func TestSearchTooLong(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	rapport(t, "sample", "--db", db)
	huge := strings.Repeat("cold room ", 2<<20/10)
	for _, args := range [][]string{{"search", huge}, {"search", "cold", huge}, {"export", huge}, {"brief", huge}} {
		r := rapport(t, append(args[:1:1], append([]string{"--db", db}, args[1:]...)...)...)
		if r.code != ExitError || !strings.Contains(r.stderr, "at most 256 characters long") || len(r.stderr) > 300 || r.stdout != "" {
			t.Errorf("%s: exit %d, stderr %.300q, %d bytes on stdout", args[0], r.code, r.stderr, len(r.stdout))
		}
	}
	if r := rapport(t, "search", "--db", db, strings.Repeat("x", 256)); r.code != 0 {
		t.Errorf("at the cap: %+v", r)
	}
}
