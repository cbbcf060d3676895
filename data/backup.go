package data

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Why a backup was taken: the last part of its file name.
const (
	ReasonDaily         = "daily"
	ReasonManual        = "manual"
	ReasonPreMigration  = "pre-migration"
	ReasonPreImport     = "pre-import"
	ReasonPreUndo       = "pre-undo"
	ReasonBeforeRestore = "before-restore"
	// ReasonPreSyncDelete: before a sync forgets customers deleted on the server.
	ReasonPreSyncDelete = "pre-sync-delete"
)

// BackupDirName is the folder beside the database that holds its backups.
const BackupDirName = "backups"

// BackupDir is the backups folder of the database at dbPath.
func BackupDir(dbPath string) string { return filepath.Join(filepath.Dir(dbPath), BackupDirName) }

// backupTimeLayout is fixed-width and sorts as text; milliseconds keep two
// backups taken in one second apart.
const backupTimeLayout = "2006-01-02T15-04-05.000Z"

// backupName is "rapport-2026-12-01T22-44-00.123Z-pre-import.db".
func backupName(t time.Time, reason string) string {
	return "rapport-" + t.UTC().Format(backupTimeLayout) + "-" + reason + ".db"
}

// parseBackupName reads back what backupName wrote; ok is false for any
// other file, which rotation and the list leave alone.
func parseBackupName(name string) (t time.Time, reason string, ok bool) {
	rest, found := strings.CutPrefix(name, "rapport-")
	if !found {
		return time.Time{}, "", false
	}
	rest, found = strings.CutSuffix(rest, ".db")
	if !found || len(rest) < len(backupTimeLayout)+2 || rest[len(backupTimeLayout)] != '-' {
		return time.Time{}, "", false
	}
	t, err := time.Parse(backupTimeLayout, rest[:len(backupTimeLayout)])
	if err != nil {
		return time.Time{}, "", false
	}
	return t, rest[len(backupTimeLayout)+1:], true
}

// Backup writes a consistent copy of the database to dest, which must not
// exist yet. VACUUM INTO reads one snapshot (writers go on meanwhile) into a
// temporary file in dest's folder, which is made private, synced and only
// then renamed: dest is never half written.
func (s *Store) Backup(ctx context.Context, dest string) error {
	if err := backupFile(ctx, s.path, dest); err != nil {
		return fmt.Errorf("back up %s to %s: %w", s.path, dest, err)
	}
	return nil
}

// backupFile copies the SQLite database at src to dest (which must not
// exist) through a temporary file and a rename.
func backupFile(ctx context.Context, src, dest string) error {
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("%s already exists; choose another name", dest)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	tmp, err := vacuumInto(ctx, src, filepath.Dir(dest), false)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, dest); err != nil {
		os.Remove(tmp)
		return err
	}
	syncDir(filepath.Dir(dest))
	return nil
}

// vacuumInto copies the database at src into a new private, synced,
// temporary file in dir and returns its path. It only reads src; atRest
// says no program has src open (see openReadOnly).
func vacuumInto(ctx context.Context, src, dir string, atRest bool) (string, error) {
	var rnd [6]byte
	rand.Read(rnd[:])
	tmp := filepath.Join(dir, ".rapport-"+hex.EncodeToString(rnd[:])+".db.tmp")
	db, err := openReadOnly(src, atRest)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		os.Remove(tmp)
		return "", mapError(err)
	}
	if err := syncPrivate(tmp); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// syncPrivate makes the file at path readable by its owner only (it holds
// personal data) and flushes it to the disk.
func syncPrivate(path string) error {
	if err := os.Chmod(path, 0o600); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir flushes a folder's entries so a rename survives a power cut; not
// every system can (Windows cannot open a folder), hence no error.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// openReadOnly opens an SQLite file without the right to change it, not even
// to create it: Inspect and the backups list must leave files as they are.
// A file at rest (a backup, a file chosen to restore: no program has it
// open) in WAL mode without a -wal file is opened as immutable, or SQLite
// would create -wal and -shm files beside it. A live database never is:
// immutable reads take no locks, and a checkpoint could change the file
// under them.
func openReadOnly(path string, atRest bool) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	slashed := filepath.ToSlash(abs)
	if !strings.HasPrefix(slashed, "/") {
		slashed = "/" + slashed // C:/… on Windows
	}
	uri := (&url.URL{Scheme: "file", Path: slashed}).String()
	params := "?mode=ro&_pragma=busy_timeout(5000)"
	if atRest && walWithoutLog(path) {
		params += "&immutable=1"
	}
	db, err := sql.Open("sqlite", uri+params)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// walWithoutLog reports whether the SQLite file at path is in WAL mode (its
// header's read and write versions are 2) and has no -wal file beside it.
func walWithoutLog(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 20)
	if _, err := io.ReadFull(f, head); err != nil || head[18] != 2 || head[19] != 2 {
		return false
	}
	_, err = os.Lstat(path + "-wal")
	return errors.Is(err, fs.ErrNotExist)
}

// AutoBackup writes a backup named for now and reason into the backups
// folder beside the database, then rotates the folder. It returns the
// backup's path.
func (s *Store) AutoBackup(ctx context.Context, reason string) (string, error) {
	if d := s.Damaged(); d != nil {
		// A copy of a damaged file would rotate good backups away.
		return "", fmt.Errorf("%s backup of %s: %w: %v", reason, s.path, ErrDamaged, d)
	}
	dir := BackupDir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("back up %s (%s): create %s: %w", s.path, reason, dir, err)
	}
	dest := freeBackupName(dir, time.Now(), reason)
	if err := s.Backup(ctx, dest); err != nil {
		return "", fmt.Errorf("%s backup: %w", reason, err)
	}
	if err := rotateDir(dir); err != nil {
		return dest, fmt.Errorf("%s backup written to %s, but the old ones could not be cleared: %w", reason, dest, err)
	}
	return dest, nil
}

// freeBackupName is the backup path for t and reason, a millisecond later if
// that name is taken.
func freeBackupName(dir string, t time.Time, reason string) string {
	for {
		p := filepath.Join(dir, backupName(t, reason))
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p
		}
		t = t.Add(time.Millisecond)
	}
}

// DailyBackupDue reports whether the newest daily backup beside the
// database at dbPath is a day old or more (or missing). It reads only the
// folder's file names.
func DailyBackupDue(dbPath string, now time.Time) bool {
	entries, err := os.ReadDir(BackupDir(dbPath))
	if err != nil {
		return true
	}
	var newest time.Time
	for _, e := range entries {
		if t, reason, ok := parseBackupName(e.Name()); ok && reason == ReasonDaily && t.After(newest) {
			newest = t
		}
	}
	return now.Sub(newest) >= 24*time.Hour
}

// DailyBackup takes the daily backup if it is due and returns its path ("":
// not due, or nothing to keep yet: a database without customers).
func (s *Store) DailyBackup(ctx context.Context, now time.Time) (string, error) {
	if s.readOnly != "" || !DailyBackupDue(s.path, now) {
		return "", nil // no backups folder can be written beside a read-only file
	}
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM customers`).Scan(&n); err != nil {
		return "", fmt.Errorf("daily backup of %s: %w", s.path, mapError(err))
	}
	if n == 0 {
		return "", nil
	}
	return s.AutoBackup(ctx, ReasonDaily)
}

// autoBackupBeforeUnless takes the backup that comes before a change that
// cannot be taken back otherwise (an import, an undo, a migration), unless
// skip (a dry run; a new database). If the backup fails the change is
// refused: losing the way back matters more than the change, and a disk too
// full for the backup would likely fail the change too.
func (s *Store) autoBackupBeforeUnless(ctx context.Context, reason string, skip bool) error {
	if skip {
		return nil
	}
	if _, err := s.AutoBackup(ctx, reason); err != nil {
		return fmt.Errorf("nothing was changed: %w", err)
	}
	return nil
}

// BackupInfo describes one backup file in the backups folder.
type BackupInfo struct {
	Path      string
	Time      time.Time // when it was taken (from its name)
	Reason    string    // ReasonDaily, ReasonPreImport, ...
	Size      int64
	Customers int   // -1 when it cannot be read
	Err       error // why it cannot be read, if so
}

// ListBackups lists the backups beside the database at dbPath, newest
// first, with their customer counts. It opens each one read-only but does
// not check its integrity (Inspect does, before a restore).
func ListBackups(ctx context.Context, dbPath string) ([]BackupInfo, error) {
	dir := BackupDir(dbPath)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups in %s: %w", dir, err)
	}
	var list []BackupInfo
	for _, e := range entries {
		t, reason, ok := parseBackupName(e.Name())
		if !ok || !e.Type().IsRegular() {
			continue
		}
		b := BackupInfo{Path: filepath.Join(dir, e.Name()), Time: t, Reason: reason, Customers: -1}
		if fi, err := e.Info(); err == nil {
			b.Size = fi.Size()
		}
		b.Customers, b.Err = countCustomers(ctx, b.Path)
		list = append(list, b)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Time.After(list[j].Time) })
	return list, ctx.Err()
}

func countCustomers(ctx context.Context, path string) (int, error) {
	db, err := openReadOnly(path, true)
	if err != nil {
		return -1, err
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM customers`).Scan(&n); err != nil {
		return -1, mapError(err)
	}
	return n, nil
}

// DatabaseInfo is what Inspect found in a Rapport database file.
type DatabaseInfo struct {
	Schema    int // its newest migration
	Customers int
}

// Inspect checks that the file at path is a Rapport database this build can
// open, whole and sound: an SQLite header, Rapport's tables, a schema not
// newer than this build and a passing integrity check. It never writes to
// the file.
func Inspect(ctx context.Context, path string) (*DatabaseInfo, error) {
	info, err := inspect(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return info, nil
}

func inspect(ctx context.Context, path string) (*DatabaseInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 100) // the SQLite header
	n, _ := io.ReadFull(f, head)
	f.Close()
	if n < len(head) || !bytes.Equal(head[:len(sqliteMagic)], sqliteMagic) {
		return nil, fmt.Errorf("%w: it is not an SQLite file", ErrNotDatabase)
	}
	db, err := openReadOnly(path, true)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var tables int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema
		WHERE type = 'table' AND name IN ('schema_migrations', 'customers')`).Scan(&tables)
	if err != nil {
		return nil, damaged(err)
	}
	if tables != 2 {
		return nil, fmt.Errorf("%w: it is an SQLite file without Rapport's tables", ErrNotDatabase)
	}
	info := &DatabaseInfo{}
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&info.Schema); err != nil {
		return nil, damaged(err)
	}
	if info.Schema > SchemaVersion() {
		return nil, fmt.Errorf("%w (schema %d, this Rapport knows up to %d); update Rapport", ErrNewerSchema, info.Schema, SchemaVersion())
	}
	if err := integrityCheck(ctx, db); err != nil {
		return nil, err
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM customers`).Scan(&info.Customers); err != nil {
		return nil, damaged(err)
	}
	return info, nil
}

// integrityCheck runs PRAGMA integrity_check, which reads every page.
func integrityCheck(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check(5)`)
	if err != nil {
		return damaged(err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return damaged(err)
		}
		problems = append(problems, p)
	}
	if err := rows.Err(); err != nil {
		return damaged(err)
	}
	if len(problems) == 1 && problems[0] == "ok" {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrDamaged, strings.Join(problems, "; "))
}

// damaged names the driver's errors on a file whose pages are broken.
func damaged(err error) error {
	msg := err.Error()
	if strings.Contains(msg, "malformed") || strings.Contains(msg, "SQLITE_CORRUPT") || strings.Contains(msg, "not a database") {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	return mapError(err)
}

// restoreHint tells how to get back to a good copy of the database at
// dbPath: the newest backup by its name, and the commands.
func restoreHint(dbPath string) string {
	entries, err := os.ReadDir(BackupDir(dbPath))
	var newest string
	var at time.Time
	if err == nil {
		for _, e := range entries {
			if t, _, ok := parseBackupName(e.Name()); ok && t.After(at) {
				newest, at = filepath.Join(BackupDir(dbPath), e.Name()), t
			}
		}
	}
	if newest == "" {
		return "restore a backup you have: rapport restore FILE, or File ▸ Restore from backup…"
	}
	return "restore a backup ('rapport backups' lists them with their dates; the newest is " + newest +
		"): rapport restore FILE, or File ▸ Restore from backup…"
}
