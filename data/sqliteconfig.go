package data

import (
	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// stmtJournalSpill is how large a statement journal may grow in memory
// before SQLite moves it to a temporary file. A statement in a transaction
// journals the pages it changes, so that it alone can be undone; SQLite's
// 64 KiB default was passed early in an import (all its cards are one
// transaction), and from then on every page that any later statement
// changed was written to that file, in two write calls: 127,000 of them
// for 10,000 cards. 16 MiB bounds a statement journal's memory and keeps
// each card's statements off the disk.
const stmtJournalSpill = 16 << 20

// sqliteConfigRC is what sqlite3_config returned (TestSQLiteConfigured).
var sqliteConfigRC int32 = -1

// SQLite's process-wide options must be set before it initialises, at the
// first connection: package init is before any. (Had some other code
// opened a database first, SQLite would keep its defaults, only slower.)
func init() {
	tls := libc.NewTLS()
	defer tls.Close()
	va := libc.Xmalloc(tls, 8)
	if va == 0 {
		return
	}
	defer libc.Xfree(tls, va)
	sqliteConfigRC = sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_STMTJRNL_SPILL, libc.VaList(va, int32(stmtJournalSpill)))
}
