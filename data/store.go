package data

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite" // also registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is Rapport's database: one SQLite file. All methods are safe for
// concurrent use; each public method is one transaction.
type Store struct {
	path  string
	file  os.FileInfo // the file opened, to notice it being moved or deleted
	write *sql.DB     // one connection: SQLite has one writer at a time
	read  *sql.DB     // readers see committed data while the writer works (WAL)

	readOnly string // why the store cannot be written; "" when it can
	damaged  atomic.Pointer[error]
	verified sync.Once
	// idSort says whether the file has migration 0007's customers_id_sort
	// index: a store that can be written is migrated at open, but one
	// opened read-only (a backup on a stick) may be older.
	idSort func() bool

	// WaitLimit bounds how long a write waits for another process that is
	// writing (an import in another window or shell) before it gives up.
	WaitLimit time.Duration
	// OnWait, when set, is called once per write that has waited a second
	// for another writer, so the user knows why nothing happens yet.
	OnWait func(limit time.Duration)
}

// EnvDB names the environment variable that overrides the database path.
const EnvDB = "RAPPORT_DB"

// ApplicationID marks an SQLite file as Rapport's (PRAGMA application_id,
// "RPRT"), so that another program's database is never taken for ours.
const ApplicationID = 0x52505254

// DefaultWaitLimit is how long a write waits for another writer.
const DefaultWaitLimit = 2 * time.Minute

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

// sqliteHeaderLen is the length of an SQLite file's header; user_version
// is at offset 60 and application_id at 68, big-endian
// (https://sqlite.org/fileformat.html).
const sqliteHeaderLen = 100

// fileHeader is what an SQLite file's header says of its owner and schema.
// In WAL mode the newest header may still be in the log, not yet in the
// file: the application id, once Rapport's, never changes, but the
// user_version can lag (checkMigrated allows for that).
type fileHeader struct{ appID, userVersion uint32 }

// OpenOptions say how a database is opened.
type OpenOptions struct {
	// ReadOnly opens for reading only: nothing is created, migrated or
	// written, and every write fails with ErrReadOnly.
	ReadOnly bool
	// MustExist refuses a path where there is no database yet, instead of
	// creating one (for commands that only read).
	MustExist bool
	// MemoryMapped reads through a memory map of the file rather than
	// copying each page into a cache: a search on 10k customers touches
	// a third fewer pages of memory, which is most of a short command's
	// time. An I/O error while reading (a stick pulled out) then ends the
	// process instead of failing one query, so only the command line,
	// whose processes last a moment, asks for it.
	MemoryMapped bool
}

// Open opens (creating if needed) the database at path and brings its schema
// up to date. A file that is not SQLite, another program's SQLite file, or one
// that a newer Rapport wrote, is refused untouched. Where the file or its
// folder cannot be written, the store opens read-only (see ReadOnly).
func Open(ctx context.Context, path string) (*Store, error) {
	return OpenWith(ctx, path, OpenOptions{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, path string, opt OpenOptions) (*Store, error) {
	created, hdr, err := prepareFile(path, opt)
	if err != nil {
		return nil, err
	}
	s := &Store{path: path, WaitLimit: DefaultWaitLimit}
	if s.file, err = os.Stat(path); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if opt.ReadOnly {
		s.readOnly = "it was opened for reading only"
	} else if why := unwritable(path); why != "" {
		s.readOnly = why
	}
	// A file whose header already says it is Rapport's needs no inspection
	// (a connection of its own); the header never changes back.
	if hdr.appID != ApplicationID {
		if err := s.inspect(ctx, created); err != nil {
			return nil, err
		}
	}
	if s.readOnly == "" && s.file.Mode().Perm() != 0o600 {
		// A file copied in with the umask's 0644 holds the same personal data.
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("cannot make database %s private (mode 0600): %w", p, err)
			}
		}
	}
	// A file whose header says it is at this build's schema has its
	// migrations checked by the reader, which the first query needs anyway;
	// the writer then connects at the first write, not at every open.
	upToDate := hdr.appID == ApplicationID && hdr.userVersion == uint32(SchemaVersion())
	if s.readOnly == "" {
		if err := s.openWriter(ctx, !upToDate); err != nil {
			return nil, err
		}
	}
	if err := s.openReader(opt.MemoryMapped); err != nil {
		s.Close()
		return nil, err
	}
	if s.readOnly == "" && upToDate {
		if err := s.checkMigrated(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	if s.readOnly == "" {
		s.idSort = func() bool { return true }
	} else {
		s.idSort = sync.OnceValue(func() bool {
			var n int
			err := s.read.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'customers_id_sort'`).Scan(&n)
			return err == nil && n > 0
		})
	}
	return s, nil
}

// checkMigrated is migrate for a file whose header says it is current: it
// reads the migrations table alone, refuses a newer Rapport's file, and
// migrates after all where the header was behind the table (the newest
// header may still be in the write-ahead log).
func (s *Store) checkMigrated(ctx context.Context) error {
	var current int
	if err := s.read.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("open %s: read schema version: %w", s.path, mapError(err))
	}
	switch latest := SchemaVersion(); {
	case current > latest:
		return fmt.Errorf("%s: %w (schema %d, this Rapport knows up to %d); update Rapport", s.path, ErrNewerSchema, current, latest)
	case current < latest:
		return s.migrate(ctx)
	}
	return nil
}

// Pragmas every connection gets. busy_timeout is short on purpose: begin
// waits for other writers itself, so that it can say it is waiting and stop
// when asked to.
const commonPragmas = "_pragma=foreign_keys(1)&_pragma=busy_timeout(200)&_pragma=secure_delete(1)"

// dsn is a file: URI for path. mode=rw (never rwc) means SQLite never
// creates a database file itself: prepareFile does, with mode 0600, and a
// file deleted while Rapport runs is not silently re-created empty.
func dsn(path, mode, params string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	if !strings.HasPrefix(u.Path, "/") { // Windows: file:///C:/...
		u.Path = "/" + u.Path
	}
	return u.String() + "?mode=" + mode + "&" + params
}

// openWriter opens the writer and, when migrate is set, brings the schema
// up to date on it.
func (s *Store) openWriter(ctx context.Context, migrate bool) error {
	// synchronous(FULL): in WAL mode NORMAL may lose the last commits on a
	// power cut, and a visit Rapport said it saved must stay saved. It costs
	// one fsync of the log per commit (BenchmarkDurability).
	write, err := sql.Open("sqlite", dsn(s.path, "rw", commonPragmas+"&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate"))
	if err != nil {
		return fmt.Errorf("open %s: %w", s.path, err)
	}
	write.SetMaxOpenConns(1)
	s.write = write
	if !migrate {
		return nil
	}
	if err := s.migrate(ctx); err != nil {
		write.Close()
		s.write = nil
		return err
	}
	return nil
}

// mmapSize bounds the memory map of a MemoryMapped reader; bigger files
// are read as usual beyond it.
const mmapSize = 1 << 30

// readerCacheKiB is each reader's page cache. SQLite's default of 2 MiB
// holds fewer pages than one keystroke's search reads at 100k customers (a
// thousand matches spread over the table): every search read them all
// again from the file, which took half its time.
const readerCacheKiB = 16 << 10

func (s *Store) openReader(memoryMapped bool) error {
	params := commonPragmas + "&_pragma=query_only(1)" + fmt.Sprintf("&_pragma=cache_size(%d)", -readerCacheKiB)
	if memoryMapped {
		params += fmt.Sprintf("&_pragma=mmap_size(%d)", mmapSize)
	}
	mode := "rw" // WAL readers need to write the -shm index
	if s.readOnly != "" {
		mode = "ro"
		if !writableDir(filepath.Dir(s.path)) {
			// No -shm can be made beside the file (a stick, a read-only
			// share): nobody else can be writing it, so read it as it is.
			params += "&immutable=1"
		}
	}
	read, err := sql.Open("sqlite", dsn(s.path, mode, params))
	if err != nil {
		return fmt.Errorf("open %s: %w", s.path, err)
	}
	read.SetMaxOpenConns(4)
	s.read = read
	return nil
}

// prepareFile refuses a file that is not SQLite and creates a new one with
// mode 0600 (the database holds personal data), so SQLite's -wal and -shm
// files get the same mode. An existing database that others may read is made
// 0600 too. created says the file is new (or empty); hdr is what the file's
// header says (zero where there is none).
func prepareFile(path string, opt OpenOptions) (created bool, hdr fileHeader, err error) {
	f, err := os.Open(path)
	switch {
	case err == nil:
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return false, hdr, fmt.Errorf("cannot read database %s: %w", path, err)
		}
		if fi.IsDir() {
			return false, hdr, fmt.Errorf("%s is a folder, not a database file", path)
		}
		head := make([]byte, sqliteHeaderLen)
		n, _ := io.ReadFull(f, head)
		if n == 0 {
			return true, hdr, nil // empty file: SQLite initialises it
		}
		if n < len(sqliteMagic) || !bytes.Equal(head[:len(sqliteMagic)], sqliteMagic) {
			return false, hdr, fmt.Errorf("%s: %w (it is not an SQLite file; nothing was changed)", path, ErrNotDatabase)
		}
		if n == sqliteHeaderLen {
			hdr.userVersion = binary.BigEndian.Uint32(head[60:64])
			hdr.appID = binary.BigEndian.Uint32(head[68:72])
		}
		return false, hdr, nil
	case !errors.Is(err, fs.ErrNotExist):
		return false, hdr, fmt.Errorf("cannot read database %s: %w", path, err)
	}
	if opt.MustExist || opt.ReadOnly {
		return false, hdr, fmt.Errorf("%s: %w", path, ErrNoDatabase)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return false, hdr, fmt.Errorf("cannot create the folder for database %s: %w", path, err)
	}
	nf, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return false, hdr, fmt.Errorf("cannot create database %s: %w", path, err)
	}
	return true, hdr, nf.Close()
}

// inspect makes sure the file is Rapport's (or new) before anything writes
// to it: another program's SQLite database is refused untouched.
func (s *Store) inspect(ctx context.Context, created bool) error {
	if created {
		return nil
	}
	params := "_pragma=busy_timeout(5000)"
	if !writableDir(filepath.Dir(s.path)) {
		params += "&immutable=1"
	}
	db, err := sql.Open("sqlite", dsn(s.path, "ro", params))
	if err != nil {
		return fmt.Errorf("open %s: %w", s.path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var appID int64
	if err := db.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&appID); err != nil {
		return fmt.Errorf("open %s: %w", s.path, mapError(err))
	}
	if appID == ApplicationID {
		return nil
	}
	if appID != 0 {
		return fmt.Errorf("%s: %w: it is an SQLite database of another program (application id %#x); nothing was changed", s.path, ErrNotDatabase, appID)
	}
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return fmt.Errorf("open %s: %w", s.path, mapError(err))
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return fmt.Errorf("open %s: %w", s.path, mapError(err))
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("open %s: %w", s.path, mapError(err))
	}
	// A Rapport database from before application_id was set has its
	// migrations table and its customers; migrate marks it.
	if len(tables) == 0 || (slices.Contains(tables, "schema_migrations") && slices.Contains(tables, "customers")) {
		return nil
	}
	shown := tables
	if len(shown) > 5 {
		shown = append(shown[:5:5], "…")
	}
	return fmt.Errorf("%s: %w: it is an SQLite database of another program (tables: %s); Rapport opens only its own files, and nothing was changed",
		s.path, ErrNotDatabase, strings.Join(shown, ", "))
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error {
	var errs []error
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	if s.write != nil {
		errs = append(errs, s.write.Close())
	}
	return errors.Join(errs...)
}

// ReadOnly says why the database cannot be written ("" when it can): the
// file or its folder is read-only (a backup on a stick), or it was opened so.
func (s *Store) ReadOnly() string { return s.readOnly }

// Check says whether the database file is still where it was opened: a file
// moved or deleted while Rapport runs would take every later change with it.
func (s *Store) Check() error {
	fi, err := os.Stat(s.path)
	if err != nil || !os.SameFile(fi, s.file) {
		return fmt.Errorf("%s: %w", s.path, ErrMoved)
	}
	return nil
}

func (s *Store) begin(ctx context.Context) (*Tx, error) {
	if s.readOnly != "" {
		return nil, fmt.Errorf("%s: %w: %s", s.path, ErrReadOnly, s.readOnly)
	}
	if err := s.Check(); err != nil {
		return nil, err
	}
	// The first write of each process checks the file: writing into a
	// damaged database spreads the damage. A damaged file marks itself; a
	// file that cannot be read at all fails the write itself.
	s.verified.Do(func() { s.Verify(ctx) })
	if d := s.damaged.Load(); d != nil {
		return nil, fmt.Errorf("%s: %w: %v; nothing more is written to it: %s", s.path, ErrDamaged, *d, restoreHint(s.path))
	}
	start := time.Now()
	var told bool
	for {
		tx, err := s.write.BeginTx(ctx, nil)
		if err == nil {
			return &Tx{Tx: tx}, nil
		}
		if !isBusy(err) {
			return nil, fmt.Errorf("begin transaction on %s: %w", s.path, mapError(err))
		}
		waited := time.Since(start)
		if waited >= s.WaitLimit {
			return nil, fmt.Errorf("%s: %w for %s; nothing was saved, try again when it has finished", s.path, ErrBusy, s.WaitLimit.Round(time.Second))
		}
		if !told && waited >= time.Second && s.OnWait != nil {
			s.OnWait(s.WaitLimit)
			told = true
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for another Rapport to finish writing %s: %w", s.path, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// sqliteCode is the primary result code of an SQLite error, or 0.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

func isBusy(err error) bool {
	c := sqliteCode(err)
	return c == 5 || c == 6 // SQLITE_BUSY, SQLITE_LOCKED
}

// mapError turns driver errors people may meet into messages they understand.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	switch code := sqliteCode(err); {
	case code == 13 || strings.Contains(msg, "SQLITE_FULL"): // SQLITE_FULL
		return fmt.Errorf("%w: nothing of this change was saved, and what was saved before is intact (%v)", ErrDiskFull, err)
	case code == 11 || strings.Contains(msg, "malformed"): // SQLITE_CORRUPT
		return fmt.Errorf("%w (%v)", ErrDamaged, err)
	case code == 10 || strings.Contains(msg, "disk I/O error"): // SQLITE_IOERR
		return fmt.Errorf("the disk could not be read or written (%v)", err)
	case isBusy(err):
		return fmt.Errorf("%w (%v)", ErrBusy, err)
	case strings.Contains(msg, "file is not a database"), strings.Contains(msg, "SQLITE_NOTADB"):
		return fmt.Errorf("%w: %v", ErrNotDatabase, err)
	case strings.Contains(msg, "readonly"), strings.Contains(msg, "SQLITE_READONLY"):
		return fmt.Errorf("%w (read-only file or folder): %v", ErrReadOnly, err)
	case strings.Contains(msg, "unable to open"), strings.Contains(msg, "SQLITE_CANTOPEN"):
		return fmt.Errorf("the database file cannot be opened (was it moved or deleted?): %w", err)
	}
	return err
}

// unwritable says why path (an existing file) cannot be written, or "".
// It tries rather than reading permission bits: root, ACLs, read-only
// mounts and Windows all answer the same way then.
func unwritable(path string) string {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return ""
		}
		return "the file cannot be written (" + errReason(err) + ")"
	}
	f.Close()
	if !writableDir(filepath.Dir(path)) {
		return "its folder cannot be written"
	}
	return ""
}

func writableDir(dir string) bool {
	f, err := os.CreateTemp(dir, ".rapport-probe-*")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return true
}

func errReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
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

// SchemaVersion is the newest migration this build knows. It reads the
// file names only: every open asks, and copying the migrations' text out
// of the binary was a measurable part of a short command's start.
func SchemaVersion() int {
	entries, _ := fs.ReadDir(migrationFS, "migrations")
	latest := 0
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		if v, err := strconv.Atoi(num); err == nil && v > latest {
			latest = v
		}
	}
	return latest
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
	return s.mark(ctx, ms[len(ms)-1].version)
}

// mark stamps the file as Rapport's, with its schema version, where it is
// not yet: older Rapports did not, and a new file has nothing yet.
func (s *Store) mark(ctx context.Context, version int) error {
	var appID, userVersion int
	if err := s.write.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&appID); err != nil {
		return fmt.Errorf("open %s: %w", s.path, mapError(err))
	}
	if err := s.write.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&userVersion); err != nil {
		return fmt.Errorf("open %s: %w", s.path, mapError(err))
	}
	if appID == ApplicationID && userVersion == version {
		return nil
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// PRAGMA takes no parameters; both values are our own integers.
	if _, err := tx.Tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d; PRAGMA user_version = %d`, ApplicationID, version)); err != nil {
		return fmt.Errorf("open %s: mark as Rapport's: %w", s.path, mapError(err))
	}
	return commit(tx)
}

// markDamaged remembers that the file is damaged: from then on this store
// refuses writes, which could spread the damage.
func (s *Store) markDamaged(err error) {
	s.damaged.CompareAndSwap(nil, &err)
}
