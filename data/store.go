package data

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is Rapport's database: one SQLite file. All methods are safe for
// concurrent use; each public method is one transaction.
type Store struct {
	path  string
	write *sql.DB // one connection: SQLite has one writer at a time
	read  *sql.DB // readers see committed data while the writer works (WAL)
}

// EnvDB names the environment variable that overrides the database path.
const EnvDB = "RAPPORT_DB"

// DefaultPath is where the database lives when neither --db nor RAPPORT_DB
// says otherwise: the user's config dir.
func DefaultPath() (string, error) {
	if p := os.Getenv(EnvDB); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find config directory: %w", err)
	}
	return filepath.Join(dir, "rapport", "rapport.db"), nil
}

var sqliteMagic = []byte("SQLite format 3\x00")

// Open opens (creating if needed) the database at path and brings its schema
// up to date. A file that is not SQLite, or that a newer Rapport wrote, is
// refused untouched.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := prepareFile(path); err != nil {
		return nil, err
	}
	const common = "_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)&_pragma=secure_delete(1)"
	write, err := sql.Open("sqlite", path+"?"+common+"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	s := &Store{path: path, write: write}
	if err := s.migrate(ctx); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sql.Open("sqlite", path+"?"+common+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	read.SetMaxOpenConns(4)
	s.read = read
	return s, nil
}

// prepareFile refuses a file that is not SQLite and creates a new one with
// mode 0600 (the database holds personal data), so SQLite's -wal and -shm
// files get the same mode.
func prepareFile(path string) error {
	f, err := os.Open(path)
	switch {
	case err == nil:
		defer f.Close()
		head := make([]byte, len(sqliteMagic))
		n, _ := io.ReadFull(f, head)
		if n == 0 {
			return nil // empty file: SQLite initialises it
		}
		if !bytes.Equal(head[:n], sqliteMagic) {
			return fmt.Errorf("%s: %w (it is not an SQLite file; nothing was changed)", path, ErrNotDatabase)
		}
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot read database %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("cannot create the folder for database %s: %w", path, err)
	}
	nf, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("cannot create database %s: %w", path, err)
	}
	return nf.Close()
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error {
	var errs []error
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	errs = append(errs, s.write.Close())
	return errors.Join(errs...)
}

func (s *Store) begin(ctx context.Context) (*Tx, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin transaction on %s: %w", s.path, mapError(err))
	}
	return &Tx{Tx: tx}, nil
}

// mapError turns driver errors people may meet into messages they understand.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "file is not a database"), strings.Contains(msg, "SQLITE_NOTADB"):
		return fmt.Errorf("%w: %v", ErrNotDatabase, err)
	case strings.Contains(msg, "readonly"), strings.Contains(msg, "SQLITE_READONLY"):
		return fmt.Errorf("the database cannot be written (read-only file or folder): %w", err)
	case strings.Contains(msg, "unable to open"), strings.Contains(msg, "SQLITE_CANTOPEN"):
		return fmt.Errorf("the database file cannot be opened: %w", err)
	}
	return err
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", e.Name())
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// SchemaVersion is the newest migration this build knows.
func SchemaVersion() int {
	ms, _ := migrations()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate applies pending migrations, each in its own transaction, and
// refuses a database from a newer Rapport before changing anything.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (datetime('now')))`); err != nil {
		return fmt.Errorf("open %s: %w", s.path, mapError(err))
	}
	var current int
	if err := s.write.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("open %s: read schema version: %w", s.path, mapError(err))
	}
	if latest := ms[len(ms)-1].version; current > latest {
		return fmt.Errorf("%s: %w (schema %d, this Rapport knows up to %d); update Rapport", s.path, ErrNewerSchema, current, latest)
	}
	// Not for a new database, nor when there is nothing to apply.
	if err := s.autoBackupBeforeUnless(ctx, ReasonPreMigration, current == 0 || current == ms[len(ms)-1].version); err != nil {
		return fmt.Errorf("open %s: %w", s.path, err)
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		tx, err := s.begin(ctx)
		if err != nil {
			return err
		}
		if _, err := tx.Tx.ExecContext(ctx, m.sql); err != nil { // several statements: not prepared
			tx.Rollback()
			return fmt.Errorf("apply migration %s: %w", m.name, mapError(err))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, name) VALUES (?, ?)`, m.version, m.name); err != nil {
			tx.Rollback()
			return fmt.Errorf("record migration %s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("commit migration %s: %w", m.name, mapError(err))
		}
	}
	return nil
}
