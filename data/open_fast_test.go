package data

import (
	"context"
	"path/filepath"
	"testing"
)

// The header read at open says what PRAGMA application_id and user_version
// say: Rapport's own files skip the inspection connection on that word, and
// current ones the migration on the writer.
func TestHeaderApplicationID(t *testing.T) {
	dir := t.TempDir()
	ours := filepath.Join(dir, "rapport.db")
	s := mustOpenPath(t, ours)
	s.Close()
	other := filepath.Join(dir, "other.db")
	foreignDB(t, other, `PRAGMA application_id = 1179600197`, `CREATE TABLE t (x)`)
	plain := filepath.Join(dir, "plain.db")
	foreignDB(t, plain, `CREATE TABLE t (x)`)
	for path, want := range map[string]fileHeader{
		ours:  {appID: ApplicationID, userVersion: uint32(SchemaVersion())},
		other: {appID: 1179600197},
		plain: {},
	} {
		created, got, err := prepareFile(path, OpenOptions{MustExist: true})
		if err != nil || created || got != want {
			t.Errorf("%s: created %v, header %+v, error %v; want %+v", filepath.Base(path), created, got, err, want)
		}
	}
}

// A memory-mapped store reads what a plain one reads, and its reader is
// really mapped.
func TestMemoryMappedStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rapport.db")
	s := mustOpenPath(t, path)
	ada := mustCreate(t, s, &Customer{GivenName: "Ada", FamilyName: "Lovelace", Company: "Analytical Engines"})
	s.Close()

	ctx := context.Background()
	m, err := OpenWith(ctx, path, OpenOptions{MustExist: true, MemoryMapped: true})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	var size int64
	if err := m.read.QueryRow(`PRAGMA mmap_size`).Scan(&size); err != nil || size != mmapSize {
		t.Errorf("reader mmap_size = %d (error %v), want %d", size, err, mmapSize)
	}
	found, err := m.Search(ctx, "lovelace", 10)
	if err != nil || len(found) != 1 || found[0].ID != ada.ID || found[0].Company != "Analytical Engines" {
		t.Fatalf("search through the memory map: %+v, %v", found, err)
	}
	// Writes go through the writer as ever, and the mapped reader sees them.
	mustCreate(t, m, &Customer{GivenName: "Charles", FamilyName: "Babbage"})
	if found, err := m.Search(ctx, "babbage", 10); err != nil || len(found) != 1 {
		t.Errorf("after a write: %+v, %v", found, err)
	}
}

// A current file opens without connecting the writer; the first write
// connects it. (A migrations table ahead of a current header, a newer
// Rapport's file, is still refused: TestOpenRefusesNewerSchema.)
func TestOpenCurrentFileConnectsWriterOnWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rapport.db")
	s := mustOpenPath(t, path)
	s.Close()
	s = mustOpenPath(t, path)
	if n := s.write.Stats().OpenConnections; n != 0 {
		t.Errorf("writer has %d connections after opening a current file, want 0", n)
	}
	mustCreate(t, s, &Customer{GivenName: "Ada", FamilyName: "Lovelace"})
	if n := s.write.Stats().OpenConnections; n != 1 {
		t.Errorf("writer has %d connections after a write, want 1", n)
	}
}

// SchemaVersion reads only the migrations' file names; it must still be
// the newest migration that migrate applies.
func TestSchemaVersionIsNewestMigration(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := SchemaVersion(), ms[len(ms)-1].version; got != want {
		t.Errorf("SchemaVersion() = %d, newest migration %d", got, want)
	}
}

// The statement journal's spill size is set before SQLite initialises:
// if it were not, an import would write each page it changes to a
// temporary file (see stmtJournalSpill).
func TestSQLiteConfigured(t *testing.T) {
	if sqliteConfigRC != 0 {
		t.Fatalf("sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL) returned %d, want SQLITE_OK", sqliteConfigRC)
	}
}
