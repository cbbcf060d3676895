package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// ErrInUse means another program (another Rapport) has the database open.
var ErrInUse = errors.New("the database is open in another program")

// Restore puts the backup at from in place of the database at dbPath. It
// checks from with Inspect first and changes nothing if it fails. The
// current database is not overwritten: it is moved into the backups folder
// as a "before-restore" backup (setAside; "" if there was none), and the
// restored copy is written beside it under a temporary name and renamed, so
// dbPath is always either the old database or the whole new one.
//
// No Store may be open on dbPath: close it first and open it again after.
func Restore(ctx context.Context, dbPath, from string) (setAside string, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("restore %s: %w", dbPath, err)
		}
	}()
	if a, errA := os.Stat(from); errA == nil {
		if b, errB := os.Stat(dbPath); errB == nil && os.SameFile(a, b) {
			return "", errors.New("that is the database itself; choose a backup")
		}
	}
	info, err := Inspect(ctx, from)
	if err != nil {
		return "", fmt.Errorf("%w; nothing was changed", err)
	}
	dir := filepath.Dir(dbPath)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	removeStaleTemps(dir) // what an earlier restore cut short left
	tmp, err := vacuumInto(ctx, from, dir, true)
	if err != nil {
		return "", fmt.Errorf("copy the backup: %w; nothing was changed", err)
	}
	defer os.Remove(tmp) // gone after the rename; cleans up on failure
	// The copy was written by SQLite from a checked file: counting its
	// customers is check enough, and a second integrity check would double
	// the wait (seconds for a large database).
	if n, err := countCustomers(ctx, tmp); err != nil || n != info.Customers {
		return "", fmt.Errorf("the copy of the backup is not whole (%d customers of %d, %v); nothing was changed", n, info.Customers, err)
	}
	setAside, err = setAsideDatabase(ctx, dbPath)
	if err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		if setAside != "" {
			if errBack := moveDatabase(setAside, dbPath); errBack != nil {
				return "", fmt.Errorf("%w; the previous database is in %s", err, setAside)
			}
		}
		return "", fmt.Errorf("%w; nothing was changed", err)
	}
	syncDir(dir)
	if setAside == "" {
		return "", nil // nothing added to the backups folder (maybe none yet)
	}
	if err := rotateDir(BackupDir(dbPath)); err != nil {
		return setAside, fmt.Errorf("restored, but old backups could not be cleared: %w", err)
	}
	return setAside, nil
}

// setAsideDatabase moves the database at dbPath (with its -wal and -shm, if
// a checkpoint left any) into the backups folder and returns where it went.
func setAsideDatabase(ctx context.Context, dbPath string) (string, error) {
	if _, err := os.Lstat(dbPath); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	checkpointed := checkpoint(ctx, dbPath)
	if checkpointed {
		// The last connection to close deletes the -wal file; if it is
		// still there, someone else has the database open and would go on
		// writing to the file set aside.
		if _, err := os.Lstat(dbPath + "-wal"); err == nil {
			return "", fmt.Errorf("%w; close it and try again. Nothing was changed", ErrInUse)
		}
	}
	dir := BackupDir(dbPath)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	dest := freeBackupName(dir, time.Now(), ReasonBeforeRestore)
	if err := moveDatabase(dbPath, dest); err != nil {
		return "", fmt.Errorf("set the current database aside: %w; nothing was changed", err)
	}
	os.Chmod(dest, 0o600)
	if checkpointed {
		toRollbackJournal(ctx, dest)
	}
	return dest, nil
}

// toRollbackJournal takes the database at path (checkpointed, closed) out
// of WAL mode, so it is one self-contained file like every other backup and
// opening it to list or inspect creates no -wal or -shm beside it. A
// failure leaves a WAL-mode file that reads just as well.
func toRollbackJournal(ctx context.Context, path string) {
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return
	}
	defer db.Close()
	db.ExecContext(ctx, `PRAGMA journal_mode=DELETE`)
}

// checkpoint writes the database's WAL back into the file, and reports
// whether it could: a damaged database cannot, and is set aside as it is.
func checkpoint(ctx context.Context, dbPath string) bool {
	db, err := sql.Open("sqlite", dbPath+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return false
	}
	defer db.Close()
	var busy, frames, done int
	if err := db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done); err != nil {
		return false
	}
	return true
}

// moveDatabase renames an SQLite file and whichever of its -wal and -shm
// files exist, so the moved copy keeps what its WAL held.
func moveDatabase(from, to string) error {
	if err := os.Rename(from, to); err != nil {
		return err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Lstat(from + suffix); err == nil {
			if err := os.Rename(from+suffix, to+suffix); err != nil {
				return err
			}
		}
	}
	return nil
}
