package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/assets"
	"github.com/rapportcrm/rapport/data"
)

func sampleDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "r.db")
	if r := rapport(t, "sample", "--db", db); r.code != 0 {
		t.Fatalf("sample: %+v", r)
	}
	return db
}

// Global flags before the subcommand work as users type them.
func TestGlobalFlagsBeforeCommand(t *testing.T) {
	db := sampleDB(t)
	after := rapport(t, "search", "--db", db, "a")
	for _, args := range [][]string{{"--db", db, "search", "a"}, {"--db=" + db, "search", "a"}, {"-db", db, "search", "a"}} {
		r := rapport(t, args...)
		if r.code != 0 || r.stdout != after.stdout || r.stdout == "" {
			t.Errorf("%q: %+v, want what search --db prints", args, r)
		}
	}
	if r := rapport(t, "--db", db, "nonsense"); r.code != ExitUsage || !strings.Contains(r.stderr, `unknown command "nonsense"`) {
		t.Errorf("--db X nonsense: %+v", r)
	}
	if r := rapport(t, "--db"); r.code != ExitUsage || !strings.Contains(r.stderr, "--db needs a value") {
		t.Errorf("--db alone: %+v", r)
	}
	if r := rapport(t, "--help"); r.code != 0 || !strings.Contains(r.stdout, "Usage:") {
		t.Errorf("--help: %+v", r)
	}
}

// An unknown flag gets one line naming it and the command's usage line, not
// Go's list of every flag.
func TestUnknownFlagOneLine(t *testing.T) {
	db := sampleDB(t)
	for _, tc := range []struct {
		args  []string
		flag  string
		usage string
	}{
		{[]string{"search", "--db", db, "--limt", "5", "a"}, "--limt", "usage: rapport search [--db PATH] [--limit N] QUERY"},
		{[]string{"today", "-x", "--db", db}, "-x", "usage: rapport today"},
		{[]string{"--verbose", "search", "a"}, "--verbose", "usage: rapport [--db PATH]"},
		{[]string{"export", "--db", db, "--format=json"}, "--format", "usage: rapport export"},
	} {
		r := rapport(t, tc.args...)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if r.code != ExitUsage || len(lines) != 2 || !strings.Contains(lines[0], "unknown flag "+tc.flag) ||
			!strings.HasPrefix(lines[1], tc.usage) {
			t.Errorf("%q: exit %d, stderr:\n%s", tc.args, r.code, r.stderr)
		}
		if strings.Contains(r.stderr, "flag provided but not defined") {
			t.Errorf("%q: Go's own message:\n%s", tc.args, r.stderr)
		}
	}
	// A bad value says so, with the usage line.
	r := rapport(t, "search", "--db", db, "--limit", "many", "a")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "--limit") || !strings.Contains(r.stderr, "usage: rapport search") {
		t.Errorf("--limit many: %+v", r)
	}
	// --help prints the usage and the flags, and is no error.
	r = rapport(t, "search", "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "usage: rapport search") || !strings.Contains(r.stdout, "-limit") {
		t.Errorf("search --help: %+v", r)
	}
}

// search says how many it left out.
func TestSearchSaysHowManyMore(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	s, err := data.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		if err := s.CreateCustomer(context.Background(), &data.Customer{GivenName: "Klaus", FamilyName: fmt.Sprintf("Nr%02d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	r := rapport(t, "search", "--db", db, "--limit", "5", "klaus")
	if n := strings.Count(r.stdout, "\n"); r.code != 0 || n != 5 {
		t.Errorf("search --limit 5: %d lines, %+v", n, r)
	}
	if !strings.Contains(r.stderr, "… and 25 more (use --limit)") {
		t.Errorf("stderr = %q", r.stderr)
	}
	r = rapport(t, "search", "--db", db, "--limit", "30", "klaus")
	if r.code != 0 || r.stderr != "" {
		t.Errorf("search --limit 30 cut nothing off but says %q", r.stderr)
	}
}

// Without a display the window is not tried: one line says why, and that
// the subcommands work.
func TestNoDisplayOneLine(t *testing.T) {
	opened := false
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""), Sample: assets.SampleJSON,
		OpenWindow: func(string) error { opened = true; return nil },
		Getenv:     func(string) string { return "" }, GOOS: "linux"}
	db := filepath.Join(t.TempDir(), "x.db")
	code := Main(context.Background(), []string{"--db", db}, env)
	lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
	if opened || code != ExitError || len(lines) != 1 || !strings.Contains(lines[0], "no display found") ||
		!strings.Contains(lines[0], "subcommands work without one") {
		t.Errorf("exit %d, window opened %v, stderr:\n%s", code, opened, errb.String())
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("no display, yet %s was created (%v)", db, err)
	}
	env.Getenv = func(k string) string { return map[string]string{"WAYLAND_DISPLAY": "wayland-0"}[k] }
	errb.Reset()
	if code := Main(context.Background(), nil, env); code != 0 || !opened {
		t.Errorf("with Wayland: exit %d, opened %v, %s", code, opened, errb.String())
	}
	opened, env.GOOS, env.Getenv = false, "windows", func(string) string { return "" }
	if code := Main(context.Background(), nil, env); code != 0 || !opened {
		t.Errorf("on Windows: exit %d, opened %v", code, opened)
	}
}

// today says how many it left out of each list it cut.
func TestTodaySaysHowManyMore(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	s, err := data.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Now()
	bday := data.Date{Month: now.Month(), Day: now.Day(), Year: 1980}
	for i := range 12 {
		c := &data.Customer{GivenName: "Birthday", FamilyName: fmt.Sprintf("Nr%02d", i), Birthday: bday}
		if err := s.CreateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
		f := &data.FollowUp{CustomerID: c.ID, Text: "Send the quote", Due: data.DateOf(now.AddDate(0, 0, -3))}
		if err := s.AddFollowUp(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	r := rapport(t, "today", "--db", db, "--limit", "5")
	for _, want := range []string{"… and 7 more follow-ups (use --limit)", "… and 7 more birthdays and anniversaries (use --limit)"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("today --limit 5 lacks %q: %+v", want, r)
		}
	}
	if r := rapport(t, "today", "--db", db); r.code != 0 || strings.Contains(r.stdout, "more") {
		t.Errorf("today with room for all says %q", r.stdout)
	}
}
