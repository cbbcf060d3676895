package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/assets"
	"github.com/rapportcrm/rapport/data"
)

// TestMain lets a test start this test binary as a rapport process of its
// own (RAPPORT_AS_CLI=1), so that concurrency is tested between processes,
// as when two shells or a shell and the window use one database.
func TestMain(m *testing.M) {
	if os.Getenv("RAPPORT_AS_CLI") == "1" {
		env := &Env{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Sample: assets.SampleJSON}
		os.Exit(Main(context.Background(), os.Args[1:], env))
	}
	os.Exit(m.Run())
}

func rapportProcess(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "RAPPORT_AS_CLI=1", "LANG=C.UTF-8")
	return cmd
}

func writeCards(t *testing.T, path string, n int) {
	t.Helper()
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:urn:uuid:concurrent-%d\r\nN:Person%d;Import;;;\r\nFN:Import Person%d\r\nORG:Bulk Ltd %d\r\nTEL;TYPE=CELL:+44 7700 9%05d\r\nEMAIL:import%d@bulk.example\r\nEND:VCARD\r\n", i, i, i, i%300, i, i)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// One import of thousands of cards, and twenty logs and searches from other
// processes at the same time: every write waits for the other instead of
// failing with "database is locked", and everything reported saved is there.
func TestConcurrentProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 40 processes")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	if out, err := rapportProcess("sample", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("sample: %v %s", err, out)
	}
	const cards, logs = 8000, 20
	vcf := filepath.Join(dir, "bulk.vcf")
	writeCards(t, vcf, cards)

	type run struct {
		name string
		out  []byte
		err  error
	}
	results := make(chan run, 2*logs+1)
	var wg sync.WaitGroup
	start := func(name string, cmd *exec.Cmd) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := cmd.CombinedOutput()
			results <- run{name, out, err}
		}()
	}
	start("import", rapportProcess("import", "--db", db, vcf))
	for i := 0; i < logs; i++ {
		start(fmt.Sprintf("log %d", i), rapportProcess("log", "--db", db, "--customer", "1", "--kind", "call",
			fmt.Sprintf("concurrent call number %d", i)))
		start(fmt.Sprintf("search %d", i), rapportProcess("search", "--db", db, "klaus"))
	}
	wg.Wait()
	close(results)
	for r := range results {
		if r.err != nil {
			t.Errorf("%s: %v\n%s", r.name, r.err, r.out)
		}
		if strings.HasPrefix(r.name, "search") && !strings.Contains(string(r.out), "Klaus") {
			t.Errorf("%s found no Klaus: %s", r.name, r.out)
		}
	}

	s, err := data.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < logs; i++ {
		found, err := s.Search(context.Background(), fmt.Sprintf("\"concurrent call number %d\"", i), 5)
		if err != nil || len(found) != 1 {
			t.Errorf("log %d: found %v (%v), want the one customer", i, found, err)
		}
	}
	check, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	var imported int
	check.QueryRow(`SELECT count(*) FROM customers WHERE uid LIKE 'urn:uuid:concurrent-%'`).Scan(&imported)
	if imported != cards {
		t.Errorf("%d imported customers, want all %d", imported, cards)
	}
	var ok string
	if err := check.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check = %q, %v", ok, err)
	}
}

// A page of garbage in the middle of the database: `rapport check` and
// `rapport log` say it is damaged and exit 1, and the file is not written.
func TestDamagedDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	if r := rapport(t, "sample", "--db", db); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := rapport(t, "check", "--db", db); r.code != 0 || !strings.Contains(r.stdout, "ok") {
		t.Fatalf("check of a sound database: %d %s %s", r.code, r.stdout, r.stderr)
	}
	check, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	var root, size int
	check.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = 'interactions'`).Scan(&root)
	check.QueryRow(`PRAGMA page_size`).Scan(&size)
	check.Close()
	f, err := os.OpenFile(db, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	garbage := bytes.Repeat([]byte{0xA5, 0x17, 0x3C, 0xFF}, size/4)
	f.WriteAt(garbage, int64(root-1)*int64(size))
	f.Close()
	before, _ := os.ReadFile(db)

	r := rapport(t, "log", "--db", db, "--customer", "1", "--kind", "call", "Called about the quote")
	if r.code != ExitError || !strings.Contains(r.stderr, "damaged") || !strings.Contains(r.stderr, "restore") {
		t.Errorf("log into a damaged database: exit %d, %q", r.code, r.stderr)
	}
	r = rapport(t, "check", "--db", db)
	if r.code != ExitError || !strings.Contains(r.stderr, "damaged") {
		t.Errorf("check of a damaged database: exit %d, %q", r.code, r.stderr)
	}
	after, _ := os.ReadFile(db)
	if !bytes.Equal(before, after) {
		t.Error("the damaged database was written to")
	}
}

// A database on a read-only medium: reading commands work and say it is
// read-only; writing commands say why they cannot.
func TestReadOnlyMedium(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s); run the tests as root to check read-only media", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	db := filepath.Join(dir, "r.db")
	if r := rapport(t, "sample", "--db", db); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount ro: %v %s", err, out)
	}
	for _, args := range [][]string{{"search", "klaus"}, {"today"}, {"brief", "Klaus Müller"}, {"export"}, {"check"}} {
		r := rapport(t, append(args, "--db", db)...)
		if r.code != 0 || r.stdout == "" || !strings.Contains(r.stderr, "read-only") {
			t.Errorf("%s on a read-only medium: exit %d, stdout %d bytes, stderr %q", args[0], r.code, len(r.stdout), r.stderr)
		}
	}
	r := rapport(t, "log", "--db", db, "--customer", "1", "--kind", "call", "Called")
	if r.code != ExitError || !strings.Contains(r.stderr, "read-only") {
		t.Errorf("log on a read-only medium: exit %d, %q", r.code, r.stderr)
	}
}

// `log --at` in the future is refused, pointing to --planned, which plans a
// visit that Today then shows.
func TestLogFutureNeedsPlanned(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	if r := rapport(t, "sample", "--db", db); r.code != 0 {
		t.Fatal(r.stderr)
	}
	next := time.Now().AddDate(0, 0, 3).Format("2006-01-02") + " 10:30"
	r := rapport(t, "log", "--db", db, "--customer", "1", "--kind", "visit", "--at", next, "Go through the drawings")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "in the future") || !strings.Contains(r.stderr, "--planned") {
		t.Errorf("log in the future: exit %d, %q", r.code, r.stderr)
	}
	r = rapport(t, "log", "--db", db, "--customer", "1", "--kind", "visit", "--at", next, "--planned", "--minutes", "45", "Go through the drawings")
	if r.code != 0 || !strings.Contains(r.stdout, "planned visit") {
		t.Fatalf("log --planned: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	r = rapport(t, "today", "--db", db)
	if !strings.Contains(r.stdout, "Go through the drawings") {
		t.Errorf("today does not list the planned visit:\n%s", r.stdout)
	}
	past := time.Now().AddDate(0, 0, -3).Format("2006-01-02") + " 10:30"
	r = rapport(t, "log", "--db", db, "--customer", "1", "--kind", "visit", "--at", past, "--planned", "x")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "needs --at in the future") {
		t.Errorf("--planned in the past: exit %d, %q", r.code, r.stderr)
	}
	r = rapport(t, "log", "--db", db, "--customer", "1", "--kind", "visit", "--at", next, "--planned", "--temp", "4", "x")
	if r.code != ExitUsage {
		t.Errorf("--planned with --temp: exit %d, %q", r.code, r.stderr)
	}
}
