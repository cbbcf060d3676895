package data

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	fixtureOnce  sync.Once
	fixtureBytes []byte
	fixtureErr   error
)

// damagedFixture is a copy of a database with enough in it for several
// levels of b-tree, long notes on overflow pages and freed pages; built once.
func damagedFixture(t *testing.T) string {
	t.Helper()
	fixtureOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rapport-fixture-")
		if err != nil {
			fixtureErr = err
			return
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "rapport.db")
		if fixtureErr = buildFixture(path); fixtureErr == nil {
			fixtureBytes, fixtureErr = os.ReadFile(path)
		}
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	path := filepath.Join(t.TempDir(), "rapport.db")
	if err := os.WriteFile(path, fixtureBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func buildFixture(path string) error {
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.write.Exec(`PRAGMA synchronous = OFF`); err != nil { // a fixture: speed over durability
		return err
	}
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 600; i++ {
		c := benchCustomer(r, i)
		if err := s.CreateCustomer(ctx, c); err != nil {
			return err
		}
		in := &Interaction{CustomerID: c.ID, Kind: "visit", At: time.Now().Add(-time.Duration(i) * time.Hour),
			Summary: fmt.Sprintf("visit %d about the cold room", i), Notes: strings.Repeat(fmt.Sprintf("long notes %d ", i), 1+i%700)}
		if err := s.LogInteraction(ctx, in); err != nil {
			return err
		}
		if i%10 == 0 {
			if err := s.DeleteCustomer(ctx, c.ID); err != nil { // leaves free pages
				return err
			}
		}
	}
	if err := s.Verify(ctx); err != nil {
		return fmt.Errorf("a sound database fails Verify: %w", err)
	}
	return nil
}

func pageSizeAndCount(t *testing.T, path string) (int, int) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var size, count int
	db.QueryRow(`PRAGMA page_size`).Scan(&size)
	db.QueryRow(`PRAGMA page_count`).Scan(&count)
	return size, count
}

func overwritePage(t *testing.T, path string, page, size int, seed int64) {
	t.Helper()
	garbage := make([]byte, size)
	rand.New(rand.NewSource(seed)).Read(garbage)
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(garbage, int64(page-1)*int64(size)); err != nil {
		t.Fatal(err)
	}
}

// A page of random bytes anywhere in a database that SQLite still opens:
// the first write of a process refuses, and leaves the file as it was.
func TestDamagedDatabaseRefusesWrites(t *testing.T) {
	ctx := context.Background()
	clean := damagedFixture(t)
	original, _ := os.ReadFile(clean)
	size, count := pageSizeAndCount(t, clean)
	// Which pages hold something (not free): only those can be found.
	used := map[int]bool{}
	{
		db, _ := sql.Open("sqlite", clean)
		rows, err := db.Query(`SELECT DISTINCT pageno FROM dbstat`)
		if err == nil {
			for rows.Next() {
				var n int
				rows.Scan(&n)
				used[n] = true
			}
			rows.Close()
		}
		db.Close()
	}
	missed := 0
	tried := 0
	for page := 2; page <= count; page += max(1, count/40) {
		if len(used) > 0 && !used[page] {
			continue
		}
		tried++
		path := filepath.Join(t.TempDir(), "damaged.db")
		os.WriteFile(path, original, 0o600)
		overwritePage(t, path, page, size, int64(page))
		before, _ := os.ReadFile(path)
		s, err := Open(ctx, path)
		if err != nil {
			continue // refused at open: fine too
		}
		err = s.CreateCustomer(ctx, &Customer{GivenName: "New", FamilyName: "Customer"})
		s.Close()
		if !errors.Is(err, ErrDamaged) {
			missed++
			t.Errorf("page %d of %d overwritten: write gave %v, want ErrDamaged", page, count, err)
			continue
		}
		if !strings.Contains(err.Error(), "restore") {
			t.Errorf("message %q does not say to restore a backup", err)
		}
		after, _ := os.ReadFile(path)
		if !bytes.Equal(before, after) {
			t.Errorf("page %d: the damaged file was written to", page)
		}
	}
	if tried < 10 {
		t.Fatalf("only %d pages tried", tried)
	}
	t.Logf("%d damaged pages tried, %d missed", tried, missed)
}

// The root page of a full-text index overwritten: found before a write.
func TestDamagedFTSRoot(t *testing.T) {
	ctx := context.Background()
	path := damagedFixture(t)
	size, _ := pageSizeAndCount(t, path)
	db, _ := sql.Open("sqlite", path)
	var root int
	if err := db.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = 'customer_fts_data'`).Scan(&root); err != nil {
		t.Fatal(err)
	}
	db.Close()
	overwritePage(t, path, root, size, 1)
	s, err := Open(ctx, path)
	if err != nil {
		return
	}
	defer s.Close()
	if err := s.Verify(ctx); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), fmt.Sprint("page ", root)) {
		t.Errorf("Verify = %v, want ErrDamaged naming page %d", err, root)
	}
	if err := s.LogInteraction(ctx, &Interaction{CustomerID: 2, Kind: "call", At: time.Now(), Summary: "x"}); !errors.Is(err, ErrDamaged) {
		t.Errorf("write = %v, want ErrDamaged", err)
	}
}

// Verify reads committed pages from the write-ahead log, as SQLite does.
func TestVerifyReadsTheLog(t *testing.T) {
	ctx := context.Background()
	path := damagedFixture(t)
	writer := mustOpenPath(t, path)
	r := rand.New(rand.NewSource(3))
	for i := 0; i < 300; i++ {
		mustCreate(t, writer, benchCustomer(r, 1000+i))
	}
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() == 0 {
		t.Fatalf("no write-ahead log to read (%v)", err)
	}
	other := mustOpenPath(t, path)
	if err := other.Verify(ctx); err != nil {
		t.Errorf("Verify with committed pages in the log: %v", err)
	}
}
