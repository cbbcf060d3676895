package data

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestOpenMarksRapportDatabase(t *testing.T) {
	s := mustOpen(t)
	var appID, version int
	s.read.QueryRow(`PRAGMA application_id`).Scan(&appID)
	s.read.QueryRow(`PRAGMA user_version`).Scan(&version)
	if appID != ApplicationID || version != SchemaVersion() {
		t.Errorf("application_id %#x, user_version %d; want %#x, %d", appID, version, ApplicationID, SchemaVersion())
	}
}

// foreignDB makes an SQLite file of another program.
func foreignDB(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
}

func TestOpenRefusesAnotherProgramsDatabase(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stmts []string
		says  string
	}{
		{"tables", []string{`CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)`, `INSERT INTO recipes (title) VALUES ('soup')`}, "tables: recipes"},
		{"application id", []string{`PRAGMA application_id = 1179600197`, `CREATE TABLE customers (id INTEGER PRIMARY KEY)`}, "application id 0x464f4545"},
		{"some tables like ours", []string{`CREATE TABLE customers (id INTEGER PRIMARY KEY)`, `CREATE TABLE orders (id INTEGER)`}, "tables: customers, orders"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "other.db")
			foreignDB(t, path, tc.stmts...)
			os.Chmod(path, 0o644)
			before, _ := os.ReadFile(path)
			_, err := Open(context.Background(), path)
			if !errors.Is(err, ErrNotDatabase) {
				t.Fatalf("err = %v, want ErrNotDatabase", err)
			}
			for _, want := range []string{path, "another program", tc.says, "nothing was changed"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("message %q does not say %q", err, want)
				}
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(before, after) {
				t.Error("the other program's file was changed")
			}
			if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
				t.Errorf("its mode was changed to %v", fi.Mode().Perm())
			}
			if _, err := os.Stat(path + "-wal"); err == nil {
				t.Error("a -wal file was left beside it")
			}
		})
	}
}

func TestOpenAdoptsOlderRapportDatabaseAndEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rapport.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, &Customer{GivenName: "Ada", FamilyName: "Lovelace"})
	// As Rapport wrote it before databases were marked.
	if _, err := s.write.Exec(`PRAGMA application_id = 0; PRAGMA user_version = 0`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = mustOpenPath(t, path)
	var appID int
	s.read.QueryRow(`PRAGMA application_id`).Scan(&appID)
	if n, _ := s.CountCustomers(context.Background()); appID != ApplicationID || n != 1 {
		t.Errorf("application_id %#x, %d customers; want it marked with its customer", appID, n)
	}

	empty := filepath.Join(t.TempDir(), "empty.db")
	os.WriteFile(empty, nil, 0o600)
	mustOpenPath(t, empty)
}

func mustOpenPath(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOpenMakesExistingFilePrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rapport.db")
	s := mustOpenPath(t, path)
	mustCreate(t, s, &Customer{GivenName: "Ada"})
	s.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Chmod(p, 0o644)
	}
	s = mustOpenPath(t, path)
	mustCreate(t, s, &Customer{GivenName: "Grace"})
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(p), fi.Mode().Perm())
		}
	}
}

func TestMustExist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "typo.db")
	_, err := OpenWith(context.Background(), path, OpenOptions{MustExist: true})
	if !errors.Is(err, ErrNoDatabase) || !strings.Contains(err.Error(), path) {
		t.Errorf("err = %v, want ErrNoDatabase naming the path", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("a database was created")
	}
}

// A database moved or deleted under a running Rapport: writes stop with a
// message, and no new empty file appears in its place.
func TestMovedOrDeletedDatabase(t *testing.T) {
	ctx := context.Background()
	for _, how := range []string{"moved", "deleted"} {
		t.Run(how, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "rapport.db")
			s := mustOpenPath(t, path)
			mustCreate(t, s, &Customer{GivenName: "Ada"})
			if how == "moved" {
				if err := os.Rename(path, filepath.Join(dir, "elsewhere.db")); err != nil {
					t.Fatal(err)
				}
			} else {
				for _, p := range []string{path, path + "-wal", path + "-shm"} {
					os.Remove(p)
				}
			}
			if err := s.Check(); !errors.Is(err, ErrMoved) {
				t.Errorf("Check = %v, want ErrMoved", err)
			}
			err := s.CreateCustomer(ctx, &Customer{GivenName: "Grace"})
			if !errors.Is(err, ErrMoved) {
				t.Errorf("write after the file went: %v, want ErrMoved", err)
			}
			// Readers opening new connections must not create a file.
			for i := 0; i < 8; i++ {
				s.Search(ctx, "ada", 10)
				s.CountCustomers(ctx)
			}
			if _, err := os.Stat(path); err == nil {
				t.Error("a new database file was created where the old one was")
			}
		})
	}
}

// Two stores on one file behave as two processes: the second writer waits
// for the first, says so after a second, and gives up after its limit.
func TestWriterWaitsForAnotherWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rapport.db")
	first := mustOpenPath(t, path)
	second := mustOpenPath(t, path)
	var told atomic.Int32
	second.OnWait = func(time.Duration) { told.Add(1) }

	hold := func(d time.Duration) {
		tx, err := first.begin(ctx)
		if err != nil {
			t.Error(err)
			return
		}
		time.Sleep(d)
		tx.Rollback()
	}
	go hold(1500 * time.Millisecond)
	time.Sleep(100 * time.Millisecond)
	if err := second.CreateCustomer(ctx, &Customer{GivenName: "Ada"}); err != nil {
		t.Fatalf("write while another writer held the lock: %v", err)
	}
	if told.Load() != 1 {
		t.Errorf("OnWait called %d times, want once", told.Load())
	}

	second.WaitLimit = 300 * time.Millisecond
	done := make(chan struct{})
	go func() { hold(1500 * time.Millisecond); close(done) }()
	time.Sleep(100 * time.Millisecond)
	err := second.CreateCustomer(ctx, &Customer{GivenName: "Grace"})
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "nothing was saved") {
		t.Errorf("err = %v, want ErrBusy saying nothing was saved", err)
	}
	<-done
	if n, _ := second.CountCustomers(ctx); n != 1 {
		t.Errorf("%d customers, want 1", n)
	}
}

// mountTmpfs mounts a small tmpfs for a test, or skips where that is not
// allowed (not root, no mount namespace).
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s); run the tests as root to check read-only and full disks", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

func remount(t *testing.T, dir, opts string) {
	t.Helper()
	if out, err := exec.Command("mount", "-o", "remount,"+opts, dir).CombinedOutput(); err != nil {
		t.Fatalf("remount %s: %v %s", opts, err, out)
	}
}

// A database on a read-only medium (a backup on a stick) opens for reading:
// searches work, writes say why they cannot.
func TestReadOnlyMedium(t *testing.T) {
	ctx := context.Background()
	dir := mountTmpfs(t, "16m")
	path := filepath.Join(dir, "rapport.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, &Customer{GivenName: "Ada", FamilyName: "Lovelace"})
	s.Close()
	remount(t, dir, "ro")
	t.Cleanup(func() { remount(t, dir, "rw") })

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("open on a read-only medium: %v", err)
	}
	defer s.Close()
	if s.ReadOnly() == "" {
		t.Error("ReadOnly() is empty on a read-only medium")
	}
	found, err := s.Search(ctx, "lovelace", 10)
	if err != nil || len(found) != 1 {
		t.Errorf("search on a read-only medium: %v, %v", found, err)
	}
	err = s.CreateCustomer(ctx, &Customer{GivenName: "Grace"})
	if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), "cannot be written") {
		t.Errorf("write: %v, want ErrReadOnly saying the folder cannot be written", err)
	}
}

// A disk that fills in the middle of a write: the write fails with a plain
// message, and everything saved before is there and intact.
func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	dir := mountTmpfs(t, "2m")
	path := filepath.Join(dir, "rapport.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	saved := 0
	var failure error
	for i := 0; i < 10000 && failure == nil; i++ {
		c := &Customer{GivenName: fmt.Sprintf("Person%d", i), FamilyName: "Full", CardNote: strings.Repeat("a long note about the customer ", 40)}
		if failure = s.CreateCustomer(ctx, c); failure == nil {
			saved++
		}
	}
	if failure == nil {
		t.Fatal("2 MB disk never filled")
	}
	if !errors.Is(failure, ErrDiskFull) || !strings.Contains(failure.Error(), "disk is full") {
		t.Errorf("error when the disk filled: %v, want ErrDiskFull", failure)
	}
	if n, err := s.CountCustomers(ctx); err != nil || n != saved {
		t.Errorf("after the disk filled: %d customers (%v), want the %d saved", n, err, saved)
	}
	s.Close()
	// Reading still works on the full disk, in a new process as it were.
	r, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open on a full disk: %v", err)
	}
	if found, err := r.Search(ctx, "person0", 5); err != nil || len(found) == 0 {
		t.Errorf("search on a full disk: %v %v", found, err)
	}
	r.Close()
	// Room again (the user deleted something): everything is there.
	remount(t, dir, "size=8m")
	s = mustOpenPath(t, path)
	var check string
	s.read.QueryRow(`PRAGMA integrity_check`).Scan(&check)
	if n, _ := s.CountCustomers(ctx); n != saved || check != "ok" {
		t.Errorf("reopened: %d customers, integrity %q; want %d, ok", n, check, saved)
	}
	mustCreate(t, s, &Customer{GivenName: "After"})
}
