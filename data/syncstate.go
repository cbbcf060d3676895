package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// What the sync engine (data/sync/engine) keeps in the database: the
// account, its collections with their sync tokens, the last agreed copy of
// every item, the changes waiting to be sent and the open conflicts. The
// engine does the network and the merging; the SQL stays here.

// ErrNoSync means sync has not been set up for this database.
var ErrNoSync = errors.New("sync is not set up (rapport sync --setup URL USER, or Settings ▸ Sync in the window)")

// ErrChangedMeanwhile means the customer was edited here while the sync
// merged it; the engine merges it again.
var ErrChangedMeanwhile = errors.New("changed here while the sync ran")

// Collection kinds.
const (
	KindContacts = "contacts"
)

// SyncAccount is the server, the user and the collections synced.
type SyncAccount struct {
	URL, User   string
	Collections []SyncCollection
}

// Collection gives the collection of a kind, or nil.
func (a *SyncAccount) Collection(kind string) *SyncCollection {
	for i := range a.Collections {
		if a.Collections[i].Kind == kind {
			return &a.Collections[i]
		}
	}
	return nil
}

// SyncCollection is one address book (or, later, calendar) on the server.
type SyncCollection struct {
	ID    int64
	Kind  string
	Href  string
	Name  string
	Token string
	// Components a calendar takes ("VEVENT,VTODO,VJOURNAL"; "" for all).
	Components string
	LastSync   time.Time // zero before the first complete sync
	LastError  string
}

// SyncItem is an item both sides know.
type SyncItem struct {
	UID, Href, ETag string
	// Base is the item as last agreed with the server, in Rapport's own
	// vCard form: the base of the three-way merge.
	Base string
}

// PendingChange is a customer (or calendar item) changed here since it
// was last sent.
type PendingChange struct {
	UID     string
	Kind    string // KindContacts or KindCalendar
	Deleted bool
	Seq     int64
}

// SyncConflict is one field changed on both sides to different values.
type SyncConflict struct {
	ID    int64
	UID   string
	Kind  string // of the collection: KindContacts ("" too) or KindCalendar
	Field string // a field name of the merge, or "deleted"
	// Mine and Theirs are the whole cards (or calendar items), here and
	// on the server.
	Mine, Theirs string
	At           time.Time
	// Name is the customer's name here ("" when deleted here).
	Name string
}

// FieldDeleted is the conflict of a card deleted here and changed on the server.
const FieldDeleted = "deleted"

// SyncAccount returns the account, or ErrNoSync.
func (s *Store) SyncAccount(ctx context.Context) (*SyncAccount, error) {
	a := &SyncAccount{}
	err := s.read.QueryRowContext(ctx, `SELECT url, user_name FROM sync_account WHERE id = 1`).Scan(&a.URL, &a.User)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoSync
	}
	if err != nil {
		return nil, fmt.Errorf("read the sync account: %w", mapError(err))
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, kind, href, name, token, components, last_sync, last_error FROM sync_collections ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("read the sync collections: %w", mapError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var c SyncCollection
		var last int64
		if err := rows.Scan(&c.ID, &c.Kind, &c.Href, &c.Name, &c.Token, &c.Components, &last, &c.LastError); err != nil {
			return nil, err
		}
		if last > 0 {
			c.LastSync = time.UnixMilli(last)
		}
		a.Collections = append(a.Collections, c)
	}
	return a, rows.Err()
}

// SetSyncAccount saves the account and its collections. A new server, user
// or collection starts afresh: what was known of the old one is forgotten
// and every customer waits to be sent (the first sync merges them with
// what the new collection holds, so nothing is doubled).
func (s *Store) SetSyncAccount(ctx context.Context, a SyncAccount) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var oldURL, oldUser string
	err = tx.QueryRowContext(ctx, `SELECT url, user_name FROM sync_account WHERE id = 1`).Scan(&oldURL, &oldUser)
	fresh := errors.Is(err, sql.ErrNoRows)
	if err != nil && !fresh {
		return fmt.Errorf("read the sync account: %w", mapError(err))
	}
	if fresh || oldURL != a.URL || oldUser != a.User {
		fresh = true
		for _, q := range []string{`DELETE FROM sync_collections`, `DELETE FROM sync_pending`, `DELETE FROM sync_conflicts`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("set up sync: %w", mapError(err))
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sync_account(id, url, user_name, created_at) VALUES (1, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET url = excluded.url, user_name = excluded.user_name`, a.URL, a.User, time.Now().Unix()); err != nil {
		return fmt.Errorf("set up sync: %w", mapError(err))
	}
	newCalendar := false
	for _, c := range a.Collections {
		var href string
		err := tx.QueryRowContext(ctx, `SELECT href FROM sync_collections WHERE kind = ?`, c.Kind).Scan(&href)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			newCalendar = newCalendar || c.Kind == KindCalendar
		case err != nil:
			return fmt.Errorf("set up sync: %w", mapError(err))
		case href == c.Href:
			if _, err := tx.ExecContext(ctx, `UPDATE sync_collections SET name = ?, components = ? WHERE kind = ?`, c.Name, c.Components, c.Kind); err != nil {
				return fmt.Errorf("set up sync: %w", mapError(err))
			}
			continue
		default:
			fresh = true
			newCalendar = newCalendar || c.Kind == KindCalendar
			if _, err := tx.ExecContext(ctx, `DELETE FROM sync_collections WHERE kind = ?`, c.Kind); err != nil {
				return fmt.Errorf("set up sync: %w", mapError(err))
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_collections(kind, href, name, components) VALUES (?, ?, ?, ?)`, c.Kind, c.Href, c.Name, c.Components); err != nil {
			return fmt.Errorf("set up sync with %s: %w", c.Href, mapError(err))
		}
	}
	if fresh {
		if _, err := tx.ExecContext(ctx, `UPDATE sync_clock SET n = n + 1`); err != nil {
			return mapError(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_pending(uid, deleted, seq)
			SELECT uid, 0, (SELECT n FROM sync_clock) FROM customers WHERE true
			ON CONFLICT(uid) DO UPDATE SET deleted = 0, seq = excluded.seq`); err != nil {
			return fmt.Errorf("set up sync: %w", mapError(err))
		}
	}
	if newCalendar {
		// Every calendar item waits to be sent to the new calendar.
		if _, err := tx.ExecContext(ctx, `UPDATE sync_clock SET n = n + 1`); err != nil {
			return mapError(err)
		}
		for _, kind := range ItemKinds {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sync_pending(uid, kind, deleted, seq)
				SELECT uid, 'calendar', 0, (SELECT n FROM sync_clock) FROM `+itemTables[kind]+` WHERE uid <> ''
				ON CONFLICT(uid) DO UPDATE SET deleted = 0, seq = excluded.seq`); err != nil {
				return fmt.Errorf("set up calendar sync: %w", mapError(err))
			}
		}
	}
	return commit(tx)
}

// RemoveSyncAccount stops syncing; the customers stay, the server is untouched.
func (s *Store) RemoveSyncAccount(ctx context.Context) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range []string{`DELETE FROM sync_collections`, `DELETE FROM sync_pending`, `DELETE FROM sync_conflicts`, `DELETE FROM sync_account`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("remove the sync account: %w", mapError(err))
		}
	}
	return commit(tx)
}

// SetSyncResult records the end of a collection's sync: the new token and
// time after a complete one, or only the error of a failed one.
func (s *Store) SetSyncResult(ctx context.Context, collection int64, token string, at time.Time, syncErr error) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if syncErr != nil {
		_, err = tx.ExecContext(ctx, `UPDATE sync_collections SET last_error = ? WHERE id = ?`, syncErr.Error(), collection)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE sync_collections SET token = ?, last_sync = ?, last_error = '' WHERE id = ?`, token, at.UnixMilli(), collection)
	}
	if err != nil {
		return fmt.Errorf("record the sync: %w", mapError(err))
	}
	return commit(tx)
}

// SetSyncToken keeps a collection's token once what it covers is stored,
// so a sync cut short resumes from there.
func (s *Store) SetSyncToken(ctx context.Context, collection int64, token string) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE sync_collections SET token = ? WHERE id = ?`, token, collection); err != nil {
		return fmt.Errorf("record the sync token: %w", mapError(err))
	}
	return commit(tx)
}

// SyncItemETags gives href → ETag of a collection's items, without their
// bases: what a sync with nothing to do needs.
func (s *Store) SyncItemETags(ctx context.Context, collection int64) (map[string]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT href, etag FROM sync_items WHERE collection_id = ?`, collection)
	if err != nil {
		return nil, fmt.Errorf("read the synced items: %w", mapError(err))
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var h, e string
		if err := rows.Scan(&h, &e); err != nil {
			return nil, err
		}
		out[h] = e
	}
	return out, rows.Err()
}

// SyncItem gives one item by UID or by href; nil when unknown.
func (s *Store) SyncItem(ctx context.Context, collection int64, uid, href string) (*SyncItem, error) {
	it := &SyncItem{}
	err := s.read.QueryRowContext(ctx, `SELECT uid, href, etag, base FROM sync_items
		WHERE collection_id = ? AND (uid = ? OR href = ?) ORDER BY uid = ? DESC LIMIT 1`, collection, uid, href, uid).
		Scan(&it.UID, &it.Href, &it.ETag, &it.Base)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the synced item %s: %w", uid, mapError(err))
	}
	return it, nil
}

// PendingChanges lists what of a collection kind waits to be sent, oldest first.
func (s *Store) PendingChanges(ctx context.Context, kind string) ([]PendingChange, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT uid, kind, deleted, seq FROM sync_pending WHERE kind = ? ORDER BY seq`, kind)
	if err != nil {
		return nil, fmt.Errorf("read the changes waiting: %w", mapError(err))
	}
	defer rows.Close()
	var out []PendingChange
	for rows.Next() {
		var p PendingChange
		if err := rows.Scan(&p.UID, &p.Kind, &p.Deleted, &p.Seq); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Pending gives the pending change of a UID (Seq 0 when none).
func (s *Store) Pending(ctx context.Context, uid string) (PendingChange, error) {
	p := PendingChange{UID: uid}
	err := s.read.QueryRowContext(ctx, `SELECT kind, deleted, seq FROM sync_pending WHERE uid = ?`, uid).Scan(&p.Kind, &p.Deleted, &p.Seq)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("read the change waiting for %s: %w", uid, mapError(err))
	}
	return p, nil
}

// PendingCount is how many customers wait to be sent.
func (s *Store) PendingCount(ctx context.Context) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM sync_pending`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count the changes waiting: %w", mapError(err))
	}
	return n, nil
}

// CustomerByUID loads a customer and profile by vCard UID; ErrNotFound when none.
func (s *Store) CustomerByUID(ctx context.Context, uid string) (*Customer, *Profile, error) {
	var id int64
	err := s.read.QueryRowContext(ctx, `SELECT id FROM customers WHERE uid = ?`, uid).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, fmt.Errorf("customer with UID %s: %w", uid, ErrNotFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("customer with UID %s: %w", uid, mapError(err))
	}
	c, err := getCustomer(ctx, s.read, id)
	if err != nil {
		return nil, nil, err
	}
	p, err := getProfile(ctx, s.read, id)
	if err != nil {
		return nil, nil, err
	}
	return c, p, nil
}

// MatchUnsynced finds a customer here that is not on the server yet and is
// the same person as c: the same e-mail address, or the same phone number
// and name. It is how the same person entered on two laptops becomes one
// card. "" when there is none or more than one.
func (s *Store) MatchUnsynced(ctx context.Context, collection int64, c *Customer) (string, error) {
	var emails, phones []any
	for _, e := range c.Emails {
		if n := NormalizeEmail(e.Value); n != "" {
			emails = append(emails, n)
		}
	}
	for _, p := range c.Phones {
		if n := PhoneKey(p.Value); len(n) >= 6 {
			phones = append(phones, n)
		}
	}
	try := func(kind string, keys []any, needName bool) (string, error) {
		if len(keys) == 0 {
			return "", nil
		}
		q := `SELECT DISTINCT cu.uid, cu.display_name FROM contact_points cp JOIN customers cu ON cu.id = cp.customer_id
			WHERE cp.kind = ? AND cp.normalized IN (?` + strings.Repeat(", ?", len(keys)-1) + `)
			AND NOT EXISTS (SELECT 1 FROM sync_items si WHERE si.collection_id = ? AND si.uid = cu.uid)`
		args := append(append([]any{kind}, keys...), collection)
		rows, err := s.read.QueryContext(ctx, q, args...)
		if err != nil {
			return "", fmt.Errorf("match %s: %w", c.Name(), mapError(err))
		}
		defer rows.Close()
		var found []string
		for rows.Next() {
			var uid, name string
			if err := rows.Scan(&uid, &name); err != nil {
				return "", err
			}
			if !needName || foldName(name) == foldName(c.Name()) {
				found = append(found, uid)
			}
		}
		if err := rows.Err(); err != nil {
			return "", err
		}
		if len(found) == 1 {
			return found[0], nil
		}
		return "", nil
	}
	uid, err := try("email", emails, false)
	if uid != "" || err != nil {
		return uid, err
	}
	return try("phone", phones, true)
}

// Pending actions of a SyncChange.
const (
	// PendingClear: what the server has is what is here.
	PendingClear = iota
	// PendingMark: the customer still has to be sent.
	PendingMark
	// PendingLeave: the pending change stays as it is.
	PendingLeave
	// PendingDelete: the customer's card is to be deleted on the server.
	PendingDelete
)

// SyncChange is what one pulled or pushed item changes here, written in
// one transaction.
type SyncChange struct {
	Collection int64
	// Kind of the collection: KindContacts ("" too) or KindCalendar.
	Kind string
	UID  string
	// LocalSeq is the pending seq the engine saw when it read the customer
	// (0: none); if it moved, the customer was edited meanwhile and the
	// change is refused with ErrChangedMeanwhile.
	LocalSeq int64
	Check    bool
	// Write is stored as the customer with UID: created when there is none,
	// else its card and its non-confidential profile are replaced;
	// confidential entries, history and notes stay.
	Write   *Customer
	Profile *Profile
	// FromUID renames the customer with this UID to UID first (a customer
	// entered here that turned out to be a card already on the server).
	FromUID string
	// Cal is stored as the calendar item with UID (Kind KindCalendar).
	Cal *CalItem
	// Delete forgets the customer (or calendar item) with UID (deleted on
	// the server).
	Delete bool
	// Item is the item's new state; nil with ForgetItem removes it.
	Item       *SyncItem
	ForgetItem bool
	Pending    int
	// Conflicts are added (replacing one of the same field); ClearConflicts
	// removes the UID's conflicts first; ResolvedConflict removes one.
	Conflicts        []SyncConflict
	ClearConflicts   bool
	ResolvedConflict int64
}

// ApplySync writes one SyncChange atomically.
func (s *Store) ApplySync(ctx context.Context, ch SyncChange) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	scrub, err := applySync(ctx, tx, ch)
	if err != nil {
		return fmt.Errorf("store the synced card %s: %w", ch.UID, err)
	}
	if err := commit(tx); err != nil {
		return err
	}
	if scrub {
		return s.scrub(ctx)
	}
	return nil
}

// ApplySyncs writes many changes in one transaction (a pull of thousands
// of cards would otherwise wait for thousands of disk flushes); each has a
// savepoint of its own, so one that fails (errs[i]) leaves the others.
func (s *Store) ApplySyncs(ctx context.Context, chs []SyncChange) (errs []error, err error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	errs = make([]error, len(chs))
	scrub := false
	for i, ch := range chs {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT sync_one`); err != nil {
			return nil, mapError(err)
		}
		sc, err := applySync(ctx, tx, ch)
		if err != nil {
			errs[i] = fmt.Errorf("store the synced card %s: %w", ch.UID, err)
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO sync_one`); err != nil {
				return nil, mapError(err)
			}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE sync_one`); err != nil {
			return nil, mapError(err)
		}
		scrub = scrub || sc
	}
	if err := commit(tx); err != nil {
		return nil, err
	}
	if scrub {
		return errs, s.scrub(ctx)
	}
	return errs, nil
}

func applySync(ctx context.Context, tx *Tx, ch SyncChange) (scrub bool, err error) {
	seen := ch.UID
	if ch.FromUID != "" {
		seen = ch.FromUID
	}
	var seq int64
	err = tx.QueryRowContext(ctx, `SELECT seq FROM sync_pending WHERE uid = ?`, seen).Scan(&seq)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, mapError(err)
	}
	if ch.Check && seq != ch.LocalSeq {
		return false, ErrChangedMeanwhile
	}
	now := time.Now()
	kind := ch.Kind
	if kind == "" {
		kind = KindContacts
	}
	if kind == KindCalendar {
		switch {
		case ch.Delete:
			if err := deleteCalItem(ctx, tx, ch.UID); err != nil {
				return false, err
			}
			scrub = true
		case ch.Cal != nil:
			it := *ch.Cal
			it.UID = ch.UID
			if err := writeCalItem(ctx, tx, &it); err != nil {
				return false, err
			}
		}
		return scrub, syncBookkeeping(ctx, tx, ch, kind, now)
	}
	if ch.FromUID != "" && ch.FromUID != ch.UID {
		if _, err := tx.ExecContext(ctx, `UPDATE customers SET uid = ? WHERE uid = ?`, ch.UID, ch.FromUID); err != nil {
			return false, mapError(err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sync_pending WHERE uid = ?`, ch.FromUID); err != nil {
			return false, mapError(err)
		}
	}
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM customers WHERE uid = ?`, ch.UID).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, mapError(err)
	}
	switch {
	case ch.Delete && id != 0:
		if err := deleteCustomer(ctx, tx, id); err != nil {
			return false, err
		}
		if err := deleteOrphanCompanies(ctx, tx); err != nil {
			return false, err
		}
		scrub = true
	case ch.Write != nil:
		c := *ch.Write
		c.UID = ch.UID
		p := ch.Profile
		if p == nil {
			p = &Profile{}
		}
		if id == 0 {
			if err := createCard(ctx, tx, &c, now); err != nil {
				return false, err
			}
			if err := addProfile(ctx, tx, c.ID, shareable(p)); err != nil {
				return false, err
			}
			id = c.ID
		} else {
			c.ID = id
			if err := updateCard(ctx, tx, &c, now); err != nil {
				return false, err
			}
			if err := replaceShared(ctx, tx, id, p); err != nil {
				return false, err
			}
		}
		if err := reindexCard(ctx, tx, id); err != nil {
			return false, err
		}
	}
	return scrub, syncBookkeeping(ctx, tx, ch, kind, now)
}

// syncBookkeeping stores what a change does to the item, conflicts and
// pending record, for any kind.
func syncBookkeeping(ctx context.Context, tx *Tx, ch SyncChange, kind string, now time.Time) error {
	switch {
	case ch.Item != nil:
		if _, err := tx.ExecContext(ctx, `DELETE FROM sync_items WHERE collection_id = ? AND href = ? AND uid <> ?`, ch.Collection, ch.Item.Href, ch.UID); err != nil {
			return mapError(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_items(collection_id, uid, href, etag, base) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT(collection_id, uid) DO UPDATE SET href = excluded.href, etag = excluded.etag, base = excluded.base`,
			ch.Collection, ch.UID, ch.Item.Href, ch.Item.ETag, ch.Item.Base); err != nil {
			return mapError(err)
		}
	case ch.ForgetItem:
		if _, err := tx.ExecContext(ctx, `DELETE FROM sync_items WHERE collection_id = ? AND uid = ?`, ch.Collection, ch.UID); err != nil {
			return mapError(err)
		}
	}
	if ch.ClearConflicts {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sync_conflicts WHERE uid = ?`, ch.UID); err != nil {
			return mapError(err)
		}
	}
	if ch.ResolvedConflict != 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sync_conflicts WHERE id = ?`, ch.ResolvedConflict); err != nil {
			return mapError(err)
		}
	}
	for _, cf := range ch.Conflicts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_conflicts(uid, kind, field, mine, theirs, created_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT(uid, field) DO UPDATE SET mine = excluded.mine, theirs = excluded.theirs`,
			ch.UID, kind, cf.Field, cf.Mine, cf.Theirs, now.Unix()); err != nil {
			return mapError(err)
		}
	}
	switch ch.Pending {
	case PendingClear:
		if _, err := tx.ExecContext(ctx, `DELETE FROM sync_pending WHERE uid = ?`, ch.UID); err != nil {
			return mapError(err)
		}
	case PendingMark:
		if _, err := tx.ExecContext(ctx, `UPDATE sync_clock SET n = n + 1`); err != nil {
			return mapError(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_pending(uid, kind, deleted, seq) VALUES (?, ?, 0, (SELECT n FROM sync_clock))
			ON CONFLICT(uid) DO UPDATE SET deleted = 0, seq = excluded.seq`, ch.UID, kind); err != nil {
			return mapError(err)
		}
	case PendingDelete:
		if _, err := tx.ExecContext(ctx, `UPDATE sync_clock SET n = n + 1`); err != nil {
			return mapError(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_pending(uid, kind, deleted, seq) VALUES (?, ?, 1, (SELECT n FROM sync_clock))
			ON CONFLICT(uid) DO UPDATE SET deleted = 1, seq = excluded.seq`, ch.UID, kind); err != nil {
			return mapError(err)
		}
	case PendingLeave:
	}
	return nil
}

// Shareable is the part of a profile that travels: no confidential entries.
func Shareable(p *Profile) *Profile { return shareable(p) }

// shareable is the part of a profile that travels: no confidential entries.
func shareable(p *Profile) *Profile {
	out := &Profile{}
	for _, it := range p.Items {
		if !it.Confidential {
			out.Items = append(out.Items, it)
		}
	}
	for _, f := range p.Family {
		if !f.Confidential {
			out.Family = append(out.Family, f)
		}
	}
	for _, pet := range p.Pets {
		if !pet.Confidential {
			out.Pets = append(out.Pets, pet)
		}
	}
	return out
}

// replaceShared makes the customer's non-confidential profile p: entries
// that are in both stay as they are (same row, same date), the others are
// removed or added. Confidential entries are never touched.
func replaceShared(ctx context.Context, tx *Tx, id int64, p *Profile) error {
	have, err := getProfile(ctx, tx, id)
	if err != nil {
		return err
	}
	p = shareable(p)
	want := map[string]int{}
	for _, it := range p.Items {
		want["i\x00"+it.Category+"\x00"+it.Text]++
	}
	for _, f := range p.Family {
		want[familyKey(f)]++
	}
	for _, pet := range p.Pets {
		want[petKey(pet)]++
	}
	keep := func(key, table string, rowID int64) error {
		if want[key] > 0 {
			want[key]--
			return nil
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = ?`, rowID)
		return mapError(err)
	}
	for _, it := range have.Items {
		if !it.Confidential {
			if err := keep("i\x00"+it.Category+"\x00"+it.Text, "profile_items", it.ID); err != nil {
				return err
			}
		}
	}
	for _, f := range have.Family {
		if !f.Confidential {
			if err := keep(familyKey(f), "family_members", f.ID); err != nil {
				return err
			}
		}
	}
	for _, pet := range have.Pets {
		if !pet.Confidential {
			if err := keep(petKey(pet), "pets", pet.ID); err != nil {
				return err
			}
		}
	}
	add := &Profile{}
	for _, it := range p.Items {
		if k := "i\x00" + it.Category + "\x00" + it.Text; want[k] > 0 {
			want[k]--
			add.Items = append(add.Items, it)
		}
	}
	for _, f := range p.Family {
		if k := familyKey(f); want[k] > 0 {
			want[k]--
			add.Family = append(add.Family, f)
		}
	}
	for _, pet := range p.Pets {
		if k := petKey(pet); want[k] > 0 {
			want[k]--
			add.Pets = append(add.Pets, pet)
		}
	}
	return addProfile(ctx, tx, id, add)
}

func familyKey(f FamilyMember) string {
	return "f\x00" + f.Relation + "\x00" + f.Name + "\x00" + f.Birthday.String() + "\x00" + f.Notes
}

func petKey(p Pet) string { return "p\x00" + p.Name + "\x00" + p.Species + "\x00" + p.Notes }

// ConflictFields gives the fields of uid now in conflict (none: empty).
func (s *Store) ConflictFields(ctx context.Context, uid string) (map[string]bool, error) {
	fields, err := queryStrings(ctx, s.read, `SELECT field FROM sync_conflicts WHERE uid = ?`, uid)
	if err != nil {
		return nil, fmt.Errorf("read the conflicts of %s: %w", uid, mapError(err))
	}
	out := map[string]bool{}
	for _, f := range fields {
		out[f] = true
	}
	return out, nil
}

// SyncConflicts lists the open conflicts, oldest first.
func (s *Store) SyncConflicts(ctx context.Context) ([]SyncConflict, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT sc.id, sc.uid, sc.kind, sc.field, sc.mine, sc.theirs, sc.created_at, coalesce(cu.display_name, '')
		FROM sync_conflicts sc LEFT JOIN customers cu ON cu.uid = sc.uid ORDER BY sc.id`)
	if err != nil {
		return nil, fmt.Errorf("read the sync conflicts: %w", mapError(err))
	}
	defer rows.Close()
	var out []SyncConflict
	for rows.Next() {
		var c SyncConflict
		var at int64
		if err := rows.Scan(&c.ID, &c.UID, &c.Kind, &c.Field, &c.Mine, &c.Theirs, &at, &c.Name); err != nil {
			return nil, err
		}
		c.At = time.Unix(at, 0)
		out = append(out, c)
	}
	return out, rows.Err()
}
