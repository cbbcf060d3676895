package cli

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/data"
)

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestBackupListRestore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	if r := rapport(t, "sample", "--db", db); r.code != 0 {
		t.Fatalf("sample: %+v", r)
	}
	r := rapport(t, "backup", "--db", db)
	backup := strings.TrimSpace(r.stdout)
	if r.code != 0 || filepath.Dir(backup) != data.BackupDir(db) || !strings.HasSuffix(backup, "-manual.db") {
		t.Fatalf("backup: %+v", r)
	}
	if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v", fi, err)
	}
	out := filepath.Join(dir, "elsewhere.db")
	if r := rapport(t, "backup", out, "--db", db); r.code != 0 || strings.TrimSpace(r.stdout) != out {
		t.Fatalf("backup FILE: %+v", r)
	}
	if r := rapport(t, "backup", "--db", db, out); r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("backup over an existing file: %+v", r)
	}

	r = rapport(t, "backups", "--db", db)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 1 {
		t.Fatalf("backups: %+v", r)
	}
	fields := strings.Split(lines[0], "\t")
	if len(fields) != 5 || fields[1] != "manual" || !strings.HasSuffix(fields[2], " customers") || fields[4] != backup {
		t.Errorf("backups line: %q", lines[0])
	}

	// A change after the backup, which the restore takes back.
	id := strings.Split(rapport(t, "search", "--db", db, "a").stdout, "\t")[0]
	if r := rapport(t, "log", "--db", db, "--customer", id, "--kind", "call", "Zanzibar holiday plans"); r.code != 0 {
		t.Fatalf("log: %+v", r)
	}
	if r := rapport(t, "search", "--db", db, "zanzibar"); r.stdout == "" {
		t.Fatal("the logged call is not found")
	}
	r = rapport(t, "restore", "--db", db, backup)
	if r.code != 0 || !strings.Contains(r.stdout, "restored "+backup) || !strings.Contains(r.stdout, "the previous database is kept as "+data.BackupDir(db)) {
		t.Fatalf("restore: %+v", r)
	}
	if r := rapport(t, "search", "--db", db, "zanzibar"); r.code != 0 || r.stdout != "" {
		t.Errorf("after the restore the call logged since is still there: %+v", r)
	}
	if r := rapport(t, "backups", "--db", db); strings.Count(r.stdout, "\n") != 2 || !strings.Contains(r.stdout, "\tbefore-restore\t") {
		t.Errorf("backups after the restore: %+v", r)
	}
}

func TestRestoreRefusesForeignFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	if r := rapport(t, "sample", "--db", db); r.code != 0 {
		t.Fatalf("sample: %+v", r)
	}
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("hello, not SQLite at all"), 0o600)
	before := fileHash(t, db)
	r := rapport(t, "restore", "--db", db, junk)
	if r.code != 1 || !strings.Contains(r.stderr, "not a Rapport database") || !strings.Contains(r.stderr, "nothing was changed") {
		t.Errorf("restore junk: %+v", r)
	}
	if fileHash(t, db) != before {
		t.Error("the database was changed")
	}
	if r := rapport(t, "restore", "--db", db); r.code != 2 {
		t.Errorf("restore without FILE: %+v", r)
	}
}

func TestBackupOfMissingDatabaseCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "typo.db")
	if r := rapport(t, "backup", "--db", db); r.code != 1 || !strings.Contains(r.stderr, "no database at") {
		t.Errorf("backup: %+v", r)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files made: %v", entries)
	}
	if r := rapport(t, "backups", "--db", db); r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "no backups yet") {
		t.Errorf("backups: %+v", r)
	}
}
