package data

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// openAt opens (creating) the database at path and closes it after the test.
func openAt(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func customerN(i int) *Customer {
	return &Customer{GivenName: fmt.Sprintf("Given%d", i), FamilyName: "Family", Company: "Co",
		Phones: []Labelled{{Label: "work", Value: fmt.Sprintf("+44 20 7946 %04d", i)}},
		Emails: []Labelled{{Label: "work", Value: fmt.Sprintf("p%d@example.com", i)}}}
}

// dump is every row of every table of the database at path, as text, to
// compare two databases for equality.
func dump(t *testing.T, path string) string {
	t.Helper()
	db, err := openReadOnly(path, true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	var b strings.Builder
	for _, tbl := range tables {
		r, err := db.Query(`SELECT * FROM "` + tbl + `"`)
		if err != nil {
			t.Fatal(tbl, err)
		}
		cols, _ := r.Columns()
		var lines []string
		for r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%v", vals))
		}
		r.Close()
		sort.Strings(lines)
		fmt.Fprintf(&b, "%s %d\n%s\n", tbl, len(lines), strings.Join(lines, "\n"))
	}
	return b.String()
}

func hashFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func wantPrivate(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, want 0600", filepath.Base(path), fi.Mode().Perm())
	}
}

func TestBackupNames(t *testing.T) {
	at := time.Date(2026, 12, 1, 22, 44, 5, 123e6, time.UTC)
	for _, reason := range []string{ReasonDaily, ReasonPreImport, ReasonBeforeRestore} {
		name := backupName(at, reason)
		got, r, ok := parseBackupName(name)
		if !ok || !got.Equal(at) || r != reason {
			t.Errorf("%s: parsed %v %q %v", name, got, r, ok)
		}
	}
	if n := backupName(at, ReasonPreImport); n != "rapport-2026-12-01T22-44-05.123Z-pre-import.db" {
		t.Errorf("name %s", n)
	}
	for _, bad := range []string{"rapport.db", "rapport-2026-12-01T22-44-05.123Z.db", "rapport-2026-13-01T22-44-05.123Z-daily.db",
		"rapport-2026-12-01T22-44-05.123Z-daily.db-wal", "notes-2026-12-01T22-44-05.123Z-daily.db", ".rapport-ab12.db.tmp"} {
		if _, _, ok := parseBackupName(bad); ok {
			t.Errorf("%s parsed as a backup", bad)
		}
	}
}

func TestBackupIsPrivateWholeAndNeverOverwrites(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openAt(t, filepath.Join(dir, "rapport.db"))
	for i := range 20 {
		mustCreate(t, s, customerN(i))
	}
	dest := filepath.Join(dir, "copy.db")
	if err := s.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	wantPrivate(t, dest)
	info, err := Inspect(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	if info.Customers != 20 || info.Schema != SchemaVersion() {
		t.Errorf("inspect: %+v", info)
	}
	if got, want := dump(t, dest), dump(t, s.path); got != want {
		t.Error("the backup differs from the database")
	}
	before := hashFile(t, dest)
	if err := s.Backup(ctx, dest); err == nil {
		t.Error("a second backup to the same file was allowed")
	}
	if hashFile(t, dest) != before {
		t.Error("the existing backup was changed")
	}
	if left := listDir(t, dir); slices.ContainsFunc(left, func(n string) bool { return strings.HasSuffix(n, ".tmp") }) {
		t.Errorf("temporary files left: %v", left)
	}
}

// The writer process for TestBackupWhileAnotherProcessWrites: it adds
// customers (each with one phone and one e-mail, in one transaction) until
// its stdin closes, and says "ready" after the first ones.
func TestBackupWriterProcess(t *testing.T) {
	path := os.Getenv("RAPPORT_TEST_WRITER_DB")
	if path == "" {
		t.Skip("the writer half of TestBackupWhileAnotherProcessWrites")
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		bufio.NewReader(os.Stdin).ReadString('\n') // EOF when the parent is done
		cancel()
	}()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 0; ctx.Err() == nil; i++ {
		if err := s.CreateCustomer(ctx, customerN(1000+i)); err != nil && ctx.Err() == nil {
			t.Fatal(err)
		}
		if i == 20 {
			fmt.Println("ready")
		}
	}
}

func TestBackupWhileAnotherProcessWrites(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "rapport.db")
	s := openAt(t, path)
	for i := range 200 {
		mustCreate(t, s, customerN(i))
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBackupWriterProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "RAPPORT_TEST_WRITER_DB="+path)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	for lines.Scan() && lines.Text() != "ready" {
	}
	// Back up until two backups differ: the writer went on between them.
	counts := map[int]bool{}
	for i := 0; i < 50 && len(counts) < 2; i++ {
		dest := filepath.Join(dir, fmt.Sprintf("b%d.db", i))
		if err := s.Backup(ctx, dest); err != nil {
			t.Fatal(err)
		}
		info, err := Inspect(ctx, dest) // integrity_check included
		if err != nil {
			t.Fatal(err)
		}
		// Every customer came with its phone, e-mail and search document
		// in one transaction: a snapshot has all of them or none.
		db, _ := openReadOnly(dest, true)
		var points, docs int
		db.QueryRow(`SELECT count(*) FROM contact_points`).Scan(&points)
		db.QueryRow(`SELECT count(*) FROM customer_fts`).Scan(&docs)
		db.Close()
		if points != 2*info.Customers || docs != info.Customers || info.Customers < 221 {
			t.Errorf("backup %d: %d customers, %d contact points, %d search documents", i, info.Customers, points, docs)
		}
		counts[info.Customers] = true
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("writer: %v", err)
	}
	if len(counts) < 2 {
		t.Errorf("the writer added nothing between 50 backups (counts %v)", counts)
	}
}

func TestRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rapport.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := range 5 {
		ids = append(ids, mustCreate(t, s, customerN(i)).ID)
	}
	backup, err := s.AutoBackup(ctx, ReasonManual)
	if err != nil {
		t.Fatal(err)
	}
	wantPrivate(t, backup)
	atBackup := dump(t, path)
	// Changes after the backup, which the restore takes back.
	mustCreate(t, s, customerN(99))
	if err := s.DeleteCustomer(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	beforeRestore := dump(t, path)
	s.Close()

	setAside, err := Restore(ctx, path, backup)
	if err != nil {
		t.Fatal(err)
	}
	if got := dump(t, path); got != atBackup {
		t.Error("the restored database differs from the backup as it was taken")
	}
	wantPrivate(t, path)
	if filepath.Dir(setAside) != BackupDir(path) || !strings.HasSuffix(setAside, "-"+ReasonBeforeRestore+".db") {
		t.Errorf("set aside as %s", setAside)
	}
	wantPrivate(t, setAside)
	if got := dump(t, setAside); got != beforeRestore {
		t.Error("the database set aside is not the one that was replaced")
	}
	for _, f := range []string{path + "-wal", setAside + "-wal"} {
		if fi, err := os.Stat(f); err == nil && fi.Size() > 0 {
			t.Errorf("%s left with %d bytes", f, fi.Size())
		}
	}
	// The restored database opens and has what the backup had.
	s = openAt(t, path)
	if n, _ := s.CountCustomers(ctx); n != 5 {
		t.Errorf("%d customers after restore, want 5", n)
	}
	if _, err := s.Customer(ctx, ids[0]); err != nil {
		t.Errorf("the customer deleted after the backup is not back: %v", err)
	}
	// The set-aside copy is listed and can be restored in its turn.
	list, err := ListBackups(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Path != setAside || list[0].Customers != 5 || list[1].Path != backup || list[1].Reason != ReasonManual {
		t.Errorf("backups: %+v", list)
	}
	// Listing them made no -wal or -shm files in the folder.
	if got := listDir(t, BackupDir(path)); len(got) != 2 {
		t.Errorf("backups folder: %v", got)
	}
}

func TestInspectLeavesAWALModeFileAlone(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "laptop.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, customerN(1))
	s.Close() // WAL mode, and the last connection removed the -wal file
	before := hashFile(t, path)
	if !walWithoutLog(path) {
		t.Fatal("not a WAL-mode file without its log")
	}
	if info, err := Inspect(ctx, path); err != nil || info.Customers != 1 {
		t.Fatalf("inspect: %+v, %v", info, err)
	}
	if got := listDir(t, dir); !slices.Equal(got, []string{"laptop.db"}) || hashFile(t, path) != before {
		t.Errorf("after Inspect the folder holds %v (file changed: %v)", got, hashFile(t, path) != before)
	}
}

func TestRestoreRefusesBadFilesChangingNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "rapport.db")
	s := openAt(t, path)
	for i := range 300 {
		mustCreate(t, s, customerN(i))
	}
	good, err := s.AutoBackup(ctx, ReasonManual)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	other := t.TempDir()
	candidate := func(name string, write func(path string)) string {
		p := filepath.Join(other, name)
		write(p)
		return p
	}
	goodBytes, _ := os.ReadFile(good)
	cases := []struct {
		name string
		file string
		want error
	}{
		{"corrupt", candidate("corrupt.db", func(p string) {
			// Random bytes over a whole page in the middle of a copy.
			b := slices.Clone(goodBytes)
			const page = 4096
			start := (len(b) / page / 2) * page
			rand.New(rand.NewSource(1)).Read(b[start : start+page])
			os.WriteFile(p, b, 0o600)
		}), ErrDamaged},
		{"foreign", candidate("foreign.db", func(p string) {
			db, err := sql.Open("sqlite", p)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(`CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO recipes(name) VALUES ('soup')`); err != nil {
				t.Fatal(err)
			}
		}), ErrNotDatabase},
		{"newer", candidate("newer.db", func(p string) {
			os.WriteFile(p, goodBytes, 0o600)
			db, _ := sql.Open("sqlite", p)
			defer db.Close()
			if _, err := db.Exec(`INSERT INTO schema_migrations(version, name) VALUES (999, 'future')`); err != nil {
				t.Fatal(err)
			}
		}), ErrNewerSchema},
		{"text", candidate("notes.txt", func(p string) { os.WriteFile(p, []byte(strings.Repeat("not a database\n", 100)), 0o600) }), ErrNotDatabase},
		{"truncated", candidate("short.db", func(p string) { os.WriteFile(p, goodBytes[:len(goodBytes)/2], 0o600) }), ErrDamaged},
		{"empty", candidate("empty.db", func(p string) { os.WriteFile(p, nil, 0o600) }), ErrNotDatabase},
	}
	dbHash := hashFile(t, path)
	backups := listDir(t, BackupDir(path))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fileHash := hashFile(t, c.file)
			_, err := Restore(ctx, path, c.file)
			if !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
			if err != nil && !strings.Contains(err.Error(), "nothing was changed") {
				t.Errorf("the message does not say nothing changed: %v", err)
			}
			if hashFile(t, path) != dbHash {
				t.Error("the database was changed")
			}
			if got := listDir(t, BackupDir(path)); !slices.Equal(got, backups) {
				t.Errorf("backups folder changed: %v", got)
			}
			if got := listDir(t, dir); !slices.Equal(got, []string{BackupDirName, "rapport.db"}) {
				t.Errorf("database folder: %v", got)
			}
			if hashFile(t, c.file) != fileHash {
				t.Error("the candidate file was written to")
			}
		})
	}
	if _, err := Restore(ctx, path, path); err == nil {
		t.Error("restoring the database onto itself was allowed")
	}
}

func TestRestoreRefusesDatabaseInUse(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rapport.db")
	s := openAt(t, path)
	mustCreate(t, s, customerN(1))
	backup, err := s.AutoBackup(ctx, ReasonManual)
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, customerN(2))
	_, err = Restore(ctx, path, backup) // s is still open
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("err = %v, want ErrInUse", err)
	}
	if n, err := s.CountCustomers(ctx); n != 2 || err != nil {
		t.Errorf("after the refused restore: %d customers, %v", n, err)
	}
	if got := listDir(t, BackupDir(path)); len(got) != 1 {
		t.Errorf("backups: %v", got)
	}
}

func TestRotationKeepsWhatItSays(t *testing.T) {
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }
	var names []string
	// A daily backup at 09:00 every day from October 2025 to 1 December
	// 2026 (a Tuesday), and a second one at 18:00 on the last two days.
	for d := at(2025, 10, 1, 9); !d.After(at(2026, 12, 1, 9)); d = d.AddDate(0, 0, 1) {
		names = append(names, backupName(d, ReasonDaily))
	}
	names = append(names, backupName(at(2026, 11, 30, 18), ReasonDaily), backupName(at(2026, 12, 1, 18), ReasonDaily))
	for i := range 15 {
		names = append(names, backupName(at(2026, 11, 1+i, 12), ReasonPreImport))
	}
	for i := range 3 {
		names = append(names, backupName(at(2026, 11, 1+i, 12), ReasonPreUndo))
	}
	for i := range 20 {
		names = append(names, backupName(at(2024, 1, 1+i, 12), ReasonManual))
	}
	names = append(names, "notes.txt", "rapport-old.db", backupName(at(2020, 1, 1, 0), "from-a-newer-rapport"))

	keep := map[string]bool{}
	daily := func(y int, m time.Month, d, h int) { keep[backupName(at(y, m, d, h), ReasonDaily)] = true }
	// The newest of each of the last 7 days.
	daily(2026, 12, 1, 18)
	daily(2026, 11, 30, 18)
	for d := 25; d <= 29; d++ {
		daily(2026, 11, d, 9)
	}
	// The newest of each of the last 4 ISO weeks (Monday to Sunday): this
	// week's is among the days above; then the three Sundays before.
	daily(2026, 11, 22, 9)
	daily(2026, 11, 15, 9)
	// The newest of each of the last 12 months: December's and November's
	// are above; then the last day of January to October 2026.
	for m := time.January; m <= time.October; m++ {
		daily(2026, m, at(2026, m+1, 0, 9).Day(), 9)
	}
	// The newest 10 before an import, every one of the rest.
	for i := 5; i < 15; i++ {
		keep[backupName(at(2026, 11, 1+i, 12), ReasonPreImport)] = true
	}
	var want []string
	for _, n := range names {
		if _, reason, ok := parseBackupName(n); ok && (reason == ReasonDaily || reason == ReasonPreImport) && !keep[n] {
			want = append(want, n)
		}
	}
	sort.Strings(want)
	got := rotation(names)
	if !slices.Equal(got, want) {
		t.Errorf("rotation removes %d:\n%s\nwant %d:\n%s", len(got), strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
	}
	kept := len(names) - len(got)
	if wantKept := 7 + 2 + 10 + 10 + 3 + 20 + 3; kept != wantKept {
		t.Errorf("kept %d, want %d", kept, wantKept)
	}
	// Rotating what is left removes nothing more.
	var left []string
	for _, n := range names {
		if !slices.Contains(got, n) {
			left = append(left, n)
		}
	}
	if again := rotation(left); len(again) != 0 {
		t.Errorf("a second rotation removes %v", again)
	}
}

func TestAutoBackupRotatesTheFolder(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rapport.db")
	s := openAt(t, path)
	dir := BackupDir(path)
	os.MkdirAll(dir, 0o700)
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 12 {
		os.WriteFile(filepath.Join(dir, backupName(old.Add(time.Duration(i)*time.Hour), ReasonPreImport)), nil, 0o600)
	}
	made, err := s.AutoBackup(ctx, ReasonPreImport)
	if err != nil {
		t.Fatal(err)
	}
	got := listDir(t, dir)
	if len(got) != keepTagged || !slices.Contains(got, filepath.Base(made)) {
		t.Errorf("after rotation: %v", got)
	}
	for _, n := range got {
		wantPrivate(t, filepath.Join(dir, n))
	}

	// Temporary files a crash left a day ago go; a fresh one may be a
	// backup being written and stays.
	stale, fresh := filepath.Join(dir, ".rapport-0a0b0c.db.tmp"), filepath.Join(dir, ".rapport-0d0e0f.db.tmp")
	os.WriteFile(stale, []byte("half"), 0o600)
	os.WriteFile(fresh, []byte("half"), 0o600)
	old = time.Now().Add(-25 * time.Hour)
	os.Chtimes(stale, old, old)
	if _, err := s.AutoBackup(ctx, ReasonPreUndo); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("a day-old temporary file was kept")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("a fresh temporary file was removed")
	}
}

func backupsOf(t *testing.T, path, reason string) []string {
	t.Helper()
	var out []string
	for _, n := range listDir(t, BackupDir(path)) {
		if _, r, ok := parseBackupName(n); ok && r == reason {
			out = append(out, n)
		}
	}
	return out
}

func TestImportAndUndoTakeBackupsFirst(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	mustCreate(t, s, customerN(1))
	mustImport(t, s, ImportOptions{DryRun: true}, card(1, Customer{GivenName: "Ann", FamilyName: "Lee"}))
	if got := backupsOf(t, s.path, ReasonPreImport); len(got) != 0 {
		t.Errorf("a dry run took backups: %v", got)
	}
	sum := mustImport(t, s, ImportOptions{}, card(1, Customer{GivenName: "Ann", FamilyName: "Lee"}))
	got := backupsOf(t, s.path, ReasonPreImport)
	if len(got) != 1 {
		t.Fatalf("pre-import backups: %v", got)
	}
	// The backup is the database as it was before the import.
	if info, err := Inspect(ctx, filepath.Join(BackupDir(s.path), got[0])); err != nil || info.Customers != 1 {
		t.Errorf("pre-import backup: %+v, %v", info, err)
	}
	if _, err := s.UndoImport(ctx, sum.BatchID); err != nil {
		t.Fatal(err)
	}
	got = backupsOf(t, s.path, ReasonPreUndo)
	if len(got) != 1 {
		t.Fatalf("pre-undo backups: %v", got)
	}
	if info, err := Inspect(ctx, filepath.Join(BackupDir(s.path), got[0])); err != nil || info.Customers != 2 {
		t.Errorf("pre-undo backup: %+v, %v", info, err)
	}
}

func TestImportRefusedWhenTheBackupFails(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	mustCreate(t, s, customerN(1))
	// A file where the backups folder should be: the backup cannot be made.
	if err := os.WriteFile(BackupDir(s.path), []byte("in the way"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := s.Import(ctx, cardsOf(card(1, Customer{GivenName: "Ann", FamilyName: "Lee"})), ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("import with no way to back up: %v", err)
	}
	if n, _ := s.CountCustomers(ctx); n != 1 {
		t.Errorf("%d customers, want 1: the import went on", n)
	}
}

func TestMigrationTakesBackupFirst(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rapport.db")
	if _, err := Open(ctx, filepath.Join(t.TempDir(), "new.db")); err != nil {
		t.Fatal(err)
	}
	ms, err := migrations()
	if err != nil || len(ms) < 2 {
		t.Fatal(ms, err)
	}
	// A database one migration behind, with a customer in it.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	db.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (datetime('now')))`)
	for _, m := range ms[:len(ms)-1] {
		if _, err := db.Exec(m.sql); err != nil {
			t.Fatal(m.name, err)
		}
		db.Exec(`INSERT INTO schema_migrations(version, name) VALUES (?, ?)`, m.version, m.name)
	}
	if _, err := db.Exec(`INSERT INTO customers(uid, display_name, sort_name, created_at, updated_at) VALUES ('u1', 'Ann Lee', 'lee ann', 0, 0)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s := openAt(t, path)
	got := backupsOf(t, path, ReasonPreMigration)
	if len(got) != 1 {
		t.Fatalf("pre-migration backups: %v", got)
	}
	info, err := Inspect(ctx, filepath.Join(BackupDir(path), got[0]))
	if err != nil || info.Schema != ms[len(ms)-2].version || info.Customers != 1 {
		t.Errorf("pre-migration backup: %+v, %v", info, err)
	}
	s.Close()
	// Opening it again migrates nothing and backs up nothing.
	openAt(t, path)
	if got := backupsOf(t, path, ReasonPreMigration); len(got) != 1 {
		t.Errorf("pre-migration backups after reopening: %v", got)
	}
}

func TestNewDatabaseTakesNoBackup(t *testing.T) {
	s := mustOpen(t)
	if got := listDir(t, BackupDir(s.path)); len(got) != 0 {
		t.Errorf("backups of a new database: %v", got)
	}
}

func TestDailyBackup(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if p, err := s.DailyBackup(ctx, now); p != "" || err != nil {
		t.Errorf("daily backup of an empty database: %q, %v", p, err)
	}
	mustCreate(t, s, customerN(1))
	dir := BackupDir(s.path)
	os.MkdirAll(dir, 0o700)
	os.WriteFile(filepath.Join(dir, backupName(now.Add(-23*time.Hour), ReasonDaily)), nil, 0o600)
	if p, err := s.DailyBackup(ctx, now); p != "" || err != nil {
		t.Errorf("daily backup 23 hours after the last: %q, %v", p, err)
	}
	if !DailyBackupDue(s.path, now.Add(time.Hour)) {
		t.Error("not due a day after the last")
	}
	p, err := s.DailyBackup(ctx, now.Add(time.Hour))
	if p == "" || err != nil {
		t.Fatalf("daily backup a day after the last: %q, %v", p, err)
	}
	if _, reason, _ := parseBackupName(filepath.Base(p)); reason != ReasonDaily {
		t.Errorf("reason %q", reason)
	}
}

func TestListBackupsMarksUnreadableOnes(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	mustCreate(t, s, customerN(1))
	good, err := s.AutoBackup(ctx, ReasonManual)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(BackupDir(s.path), backupName(time.Now().Add(time.Hour), ReasonDaily))
	os.WriteFile(bad, []byte("garbage"), 0o600)
	os.WriteFile(filepath.Join(BackupDir(s.path), "readme.txt"), []byte("hi"), 0o600)
	list, err := ListBackups(ctx, s.path)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Path != bad || list[0].Err == nil || list[0].Customers != -1 ||
		list[1].Path != good || list[1].Customers != 1 || list[1].Err != nil || list[1].Size == 0 {
		t.Errorf("list: %+v", list)
	}
}

func TestCancelledBackupLeavesNothing(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, customerN(1))
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Backup(ctx, filepath.Join(dir, "b.db")); err == nil {
		t.Fatal("a cancelled backup reported success")
	}
	if got := listDir(t, dir); len(got) != 0 {
		t.Errorf("left behind: %v", got)
	}
}

func TestRestoreOntoANewComputer(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	mustCreate(t, s, customerN(1))
	mustCreate(t, s, customerN(2))
	backup := filepath.Join(t.TempDir(), "usb-stick.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "fresh", "rapport.db") // no database, no folder yet
	setAside, err := Restore(ctx, path, backup)
	if err != nil || setAside != "" {
		t.Fatalf("restore: %q, %v", setAside, err)
	}
	wantPrivate(t, path)
	if n, _ := openAt(t, path).CountCustomers(ctx); n != 2 {
		t.Errorf("%d customers, want 2", n)
	}
}
