package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// ImportCard is one contact card to import, as read by data/vcard.
type ImportCard struct {
	Source   string // file name, for messages
	Index    int    // card number in the file; 0 when the whole file failed
	Customer Customer
	Profile  Profile
	// Problems are properties the reader could not take, each "what: why";
	// the card imports without them (the vCard reader keeps them as extra
	// properties, so they are written back on export).
	Problems []string
	// Damage lists the lines of a broken card that were dropped or
	// repaired, "line 12 \"TEL;TYPE=CELL +1…\": dropped: …": the card was
	// only partly read (counted in ImportSummary.PartlyRead).
	Damage []string
	Err    error // the card (or file) could not be read: counted as failed
}

// Check says whether the item can be stored as it is; the vCard reader
// asks before it takes a profile property, and keeps one that fails aside.
func (it ProfileItem) Check() error { return it.validate() }

// Check says whether the family member can be stored as they are.
func (f FamilyMember) Check() error { return f.validate() }

// Check says whether the pet can be stored as it is.
func (p Pet) Check() error { return p.validate() }

// ImportAction says what an import did with one card.
type ImportAction string

// What an import can do with a card.
const (
	ActionNew       ImportAction = "new"
	ActionUpdated   ImportAction = "updated"
	ActionUnchanged ImportAction = "unchanged"
	ActionSkipped   ImportAction = "skipped"
	ActionFailed    ImportAction = "failed"
)

// ImportResult is what happened to one card.
type ImportResult struct {
	Source     string
	Index      int
	Name       string
	Action     ImportAction
	CustomerID int64  // the customer created, updated or matched
	Reason     string // why it was skipped or failed, or what it matched
	// Problems are parts of the card that were not taken, "what: why".
	Problems []string
	Damage   []string // lines of the file dropped or repaired (ImportCard.Damage)
	// Into is the name of the customer an updated or unchanged card was
	// matched to (Reason says why), for a preview to show the merge.
	Into string
}

// CardRef names one card of an import: its file and card number.
type CardRef struct {
	Source string
	Index  int
}

// Ref is the card the result is about, for ImportOptions.KeepApart.
func (r ImportResult) Ref() CardRef { return CardRef{r.Source, r.Index} }

// Where names the card for messages: "file.vcf card 3 (Jane Doe)".
func (r ImportResult) Where() string {
	w := r.Source
	if r.Index > 0 {
		w += fmt.Sprintf(" card %d", r.Index)
	}
	if r.Name != "" {
		w += " (" + r.Name + ")"
	}
	return w
}

// ImportSummary counts what an import did. Results lists the cards worth
// a look: failed, skipped, updated (what they matched) and any with
// problems; new and unchanged cards only up to ImportOptions.ListUpTo, so
// that a 100k-card import does not hold a result per card.
type ImportSummary struct {
	BatchID                                  int64 // 0 for a dry run or when nothing changed
	New, Updated, Unchanged, Skipped, Failed int
	Problems                                 int // cards imported with problems (see Results)
	PartlyRead                               int // cards imported from a broken part of a file (Damage)
	Results                                  []ImportResult
	Unlisted                                 int // new and unchanged cards counted but not in Results

	listUpTo, listed int
}

// Cards is how many cards the import read.
func (s *ImportSummary) Cards() int { return s.New + s.Updated + s.Unchanged + s.Skipped + s.Failed }

func (s *ImportSummary) add(r ImportResult) {
	switch r.Action {
	case ActionNew:
		s.New++
	case ActionUpdated:
		s.Updated++
	case ActionUnchanged:
		s.Unchanged++
	case ActionSkipped:
		s.Skipped++
	case ActionFailed:
		s.Failed++
	}
	if len(r.Problems) > 0 && r.Action != ActionFailed && r.Action != ActionSkipped {
		s.Problems++
	}
	if len(r.Damage) > 0 && r.Action != ActionFailed && r.Action != ActionSkipped {
		s.PartlyRead++
	}
	if (r.Action == ActionNew || r.Action == ActionUnchanged) && len(r.Problems)+len(r.Damage) == 0 {
		if s.listed >= s.listUpTo {
			s.Unlisted++
			return
		}
		s.listed++
	}
	s.Results = append(s.Results, r)
}

// String is the one-line summary.
func (s *ImportSummary) String() string {
	out := fmt.Sprintf("%d new, %d updated, %d unchanged, %d skipped, %d failed", s.New, s.Updated, s.Unchanged, s.Skipped, s.Failed)
	if s.Problems > 0 {
		out += fmt.Sprintf("; %d imported with problems", s.Problems)
	}
	if s.PartlyRead > 0 {
		out += fmt.Sprintf("; %d partly read (lines dropped or repaired)", s.PartlyRead)
	}
	return out
}

// ImportOptions tune an import.
type ImportOptions struct {
	DryRun   bool   // work everything out, write nothing: the preview
	Source   string // what the batch is called in "undo import of …"
	Progress func(cards int)
	// ListUpTo is how many new or unchanged cards (without problems) the
	// summary lists too, for a preview; the rest are only counted.
	ListUpTo int
	// NoBackup skips the backup an import takes first, for a caller that
	// has just taken one (or has nothing to lose: a test's scratch store).
	NoBackup bool
	// KeepApart lists cards the user said are not the customer they
	// matched (a merge unticked in the preview): they import as new.
	KeepApart map[CardRef]bool
}

// Import merges cards into the store in one transaction, recorded as a batch
// that UndoImport takes back in one step. A card matches an existing customer
// by UID (a card without one gets a UID derived from its content); else by
// e-mail address unless the names say these are different people; else by
// phone number and a name that agrees (see namesAgree). A match is updated with what
// the card carries; fields it lacks are kept, and history, notes and existing
// profile entries are never touched. Bad cards are counted as failed and do
// not stop good ones; a card part that cannot be taken (a profile entry
// Rapport cannot store) is reported with the card, which imports without
// it. Cancelling ctx writes nothing.
//
// What the import remembers per card is kept out of memory: the undo record
// is written as it goes, and new customers' search documents wait in a
// temporary table until every card is written.
func (s *Store) Import(ctx context.Context, cards iter.Seq[ImportCard], opt ImportOptions) (_ *ImportSummary, err error) {
	defer func() {
		if err != nil && ctx.Err() != nil {
			// Cancelling closes the transaction under whatever statement
			// was running; say it was cancelled, not that it broke.
			err = ctx.Err()
		}
	}()
	if err := s.autoBackupBeforeUnless(ctx, ReasonPreImport, opt.DryRun || opt.NoBackup); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := time.Now()
	sum := &ImportSummary{listUpTo: opt.ListUpTo}
	var batch int64
	if !opt.DryRun {
		if err := insertRow(ctx, tx, &batch, `INSERT INTO import_batches (created_at, source, new, updated) VALUES (?, ?, 0, 0)`,
			now.Unix(), opt.Source); err != nil {
			return nil, fmt.Errorf("record import: %w", err)
		}
		if err := clearTemp(ctx, tx, importTemp); err != nil {
			return nil, err
		}
	}
	m := &matcher{keepApart: opt.KeepApart}
	n, changed := 0, 0
	for card := range prefetch(ctx, cards) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res, ch, err := m.importOne(ctx, tx, &card, now)
		if err != nil {
			return nil, err // the database failed, not the card
		}
		sum.add(res)
		if ch != nil {
			changed++
			if !opt.DryRun {
				if err := noteChange(ctx, tx, batch, ch, &card); err != nil {
					return nil, err
				}
			}
		}
		n++
		if opt.Progress != nil && n%100 == 0 {
			opt.Progress(n)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opt.Progress != nil {
		opt.Progress(n)
	}
	if opt.DryRun || changed == 0 {
		return sum, nil
	}
	if err := deleteOrphanCompanies(ctx, tx); err != nil {
		return nil, err
	}
	if err := indexImported(ctx, tx); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE import_batches SET new = ?, updated = ? WHERE id = ?`, sum.New, sum.Updated, batch); err != nil {
		return nil, fmt.Errorf("record import: %w", err)
	}
	if err := clearTemp(ctx, tx, importTemp); err != nil {
		return nil, err
	}
	if err := commit(tx); err != nil {
		return nil, err
	}
	sum.BatchID = batch
	return sum, nil
}

// Temporary tables of a bulk change: they live on the write connection,
// hold a batch's IDs and documents on disk instead of in memory, and are
// emptied before and after use.
var (
	importTemp = []string{
		`import_docs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`, // new customers' search documents
		`import_reindex (id INTEGER PRIMARY KEY)`,                  // changed customers, documents to rebuild
	}
	undoTemp = []string{
		`undo_removed (id INTEGER PRIMARY KEY)`,
		`undo_restored (id INTEGER PRIMARY KEY)`,
	}
)

func clearTemp(ctx context.Context, tx *Tx, tables []string) error {
	for _, t := range tables {
		name, _, _ := strings.Cut(t, " ")
		if _, err := tx.Tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS `+t); err != nil {
			return fmt.Errorf("temporary table %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM temp.`+name); err != nil {
			return fmt.Errorf("temporary table %s: %w", name, err)
		}
	}
	return nil
}

// noteChange records one change for undo and for the search index. A
// customer changed twice in one import keeps its first "before" and the
// union of added rows.
func noteChange(ctx context.Context, tx *Tx, batch int64, ch *importChange, card *ImportCard) error {
	if ch.created {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO temp.import_docs (id, body) VALUES (?, ?)`,
			ch.customerID, newCardDoc(&card.Customer, &card.Profile)); err != nil {
			return fmt.Errorf("index customer %d: %w", ch.customerID, err)
		}
	} else {
		// Changed since it was created, or an existing customer: its
		// document is read back at the end.
		for _, q := range []string{`DELETE FROM temp.import_docs WHERE id = ?`, `INSERT OR IGNORE INTO temp.import_reindex (id) VALUES (?)`} {
			if _, err := tx.ExecContext(ctx, q, ch.customerID); err != nil {
				return fmt.Errorf("index customer %d: %w", ch.customerID, err)
			}
		}
	}
	if ch.created {
		// Created by this batch just now: it has no record in it yet.
		if _, err := tx.ExecContext(ctx, `INSERT INTO import_changes (batch_id, customer_id, created) VALUES (?, ?, 1)`,
			batch, ch.customerID); err != nil {
			return fmt.Errorf("record import change: %w", err)
		}
		return nil
	}
	var prev struct {
		created       bool
		before, added string
	}
	err := tx.QueryRowContext(ctx, `SELECT created, before, added FROM import_changes WHERE batch_id = ? AND customer_id = ?`,
		batch, ch.customerID).Scan(&prev.created, &prev.before, &prev.added)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		var before, added string
		if ch.before != nil {
			b, _ := json.Marshal(ch.before)
			before = string(b)
		}
		if !ch.added.empty() {
			b, _ := json.Marshal(ch.added)
			added = string(b)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO import_changes (batch_id, customer_id, created, before, added) VALUES (?, ?, ?, ?, ?)`,
			batch, ch.customerID, ch.created, before, added); err != nil {
			return fmt.Errorf("record import change: %w", err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("record import change: %w", err)
	}
	if prev.before == "" && !prev.created && ch.before != nil {
		b, _ := json.Marshal(ch.before)
		prev.before = string(b)
	}
	if !ch.added.empty() {
		var a addedRows
		if prev.added != "" {
			if err := json.Unmarshal([]byte(prev.added), &a); err != nil {
				return fmt.Errorf("record import change: %w", err)
			}
		}
		a.Items = append(a.Items, ch.added.Items...)
		a.Family = append(a.Family, ch.added.Family...)
		a.Pets = append(a.Pets, ch.added.Pets...)
		b, _ := json.Marshal(a)
		prev.added = string(b)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE import_changes SET before = ?, added = ? WHERE batch_id = ? AND customer_id = ?`,
		prev.before, prev.added, batch, ch.customerID); err != nil {
		return fmt.Errorf("record import change: %w", err)
	}
	return nil
}

// indexImported writes the search documents of everything the import
// created or changed, after every card: the stale documents are deleted
// first and every insert follows, so the index flushes what it holds once,
// not once per card.
func indexImported(ctx context.Context, tx *Tx) error {
	var stale int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM temp.import_reindex`).Scan(&stale); err != nil {
		return fmt.Errorf("index imported cards: %w", err)
	}
	bulk, err := beginBulkUnindex(ctx, tx, stale)
	if err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM customer_fts WHERE rowid IN (SELECT id FROM temp.import_reindex)`,
		`INSERT INTO customer_fts (rowid, body) SELECT id, body FROM temp.import_docs`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("index imported cards: %w", err)
		}
	}
	if err := rebuildDocs(ctx, tx, "temp.import_reindex"); err != nil {
		return err
	}
	return bulk.end(ctx, tx)
}

// rebuildDocs indexes the customers listed in an ID table from what is
// stored, a page at a time; their old documents are gone already.
func rebuildDocs(ctx context.Context, tx *Tx, table string) error {
	var after int64
	for {
		ids, err := queryIDs(ctx, tx, `SELECT id FROM `+table+` WHERE id > ? ORDER BY id LIMIT 500`, after)
		if err != nil {
			return fmt.Errorf("index customers: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		for _, id := range ids {
			doc, err := cardDoc(ctx, tx, id)
			if err != nil {
				return err
			}
			if err := insertDoc(ctx, tx, "customer_fts", id, doc); err != nil {
				return err
			}
		}
		after = ids[len(ids)-1]
	}
}

// prefetch reads cards on another goroutine, so decoding the next cards
// overlaps with writing this one (a second core halves an import's time).
// It holds at most 64 cards and about 16 MiB of photos: 64 cards of
// phone-camera photos would otherwise hold hundreds of megabytes.
func prefetch(ctx context.Context, cards iter.Seq[ImportCard]) iter.Seq[ImportCard] {
	const unit, units = 64 << 10, 256 // the photo budget, in 64 KiB units
	type queued struct {
		card  ImportCard
		units int
	}
	return func(yield func(ImportCard) bool) {
		ch := make(chan queued, 64)
		budget := make(chan struct{}, units) // a unit taken is a value sent
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			defer close(ch)
			for c := range cards {
				q := queued{c, min(1+len(c.Customer.Photo.Data)/unit, units)}
				for range q.units {
					select {
					case budget <- struct{}{}:
					case <-stop:
						return
					case <-ctx.Done():
						return
					}
				}
				select {
				case ch <- q:
				case <-stop:
					return
				case <-ctx.Done():
					return
				}
			}
		}()
		for q := range ch {
			for range q.units {
				<-budget
			}
			if !yield(q.card) {
				return
			}
		}
	}
}

type importChange struct {
	customerID int64
	created    bool
	before     *Customer
	added      addedRows
}

// addedRows are the profile rows an import added to an existing customer.
type addedRows struct {
	Items  []int64 `json:"items,omitempty"`
	Family []int64 `json:"family,omitempty"`
	Pets   []int64 `json:"pets,omitempty"`
}

func (a addedRows) empty() bool { return len(a.Items)+len(a.Family)+len(a.Pets) == 0 }

func (m *matcher) importOne(ctx context.Context, tx *Tx, card *ImportCard, now time.Time) (ImportResult, *importChange, error) {
	c := &card.Customer
	res := ImportResult{Source: card.Source, Index: card.Index, Name: c.Name(), Problems: card.Problems, Damage: card.Damage}
	if card.Err != nil {
		res.Action, res.Reason = ActionFailed, card.Err.Error()
		if errors.Is(card.Err, ErrEmptyCard) {
			res.Action = ActionSkipped
		}
		return res, nil, nil
	}
	normalizeCustomer(c)
	// A card may list one number twice (TEL and TEL;TYPE=CAR with the same
	// digits): one entry, or every re-import would shuffle the labels.
	c.Phones = dedupeLabelled(c.Phones, PhoneKey)
	c.Emails = dedupeLabelled(c.Emails, NormalizeEmail)
	c.URLs = dedupeLabelled(c.URLs, strings.TrimSpace)
	if err := c.Validate(); err != nil {
		res.Action, res.Reason = ActionFailed, err.Error()
		return res, nil, nil
	}
	if c.UID == "" {
		c.UID = contentUID(c, &card.Profile)
	}
	id, why, err := m.match(ctx, tx, c)
	if err == nil && id != 0 && m.keepApart[CardRef{card.Source, card.Index}] {
		id, why, err = m.apart(ctx, tx, c, &card.Profile, why)
	}
	var amb ambiguousError
	switch {
	case errors.As(err, &amb):
		res.Action, res.Reason = ActionSkipped, amb.Error()
		return res, nil, nil
	case err != nil:
		return res, nil, err
	}
	if id == 0 {
		c.ID = 0
		if err := createCard(ctx, tx, c, now); err != nil {
			if errors.Is(err, ErrInvalid) {
				res.Action, res.Reason = ActionFailed, err.Error()
				return res, nil, nil
			}
			return res, nil, err
		}
		if err := addCardProfile(ctx, tx, c.ID, &card.Profile, &res); err != nil {
			return res, nil, err
		}
		m.remember(c)
		res.Action, res.CustomerID = ActionNew, c.ID
		return res, &importChange{customerID: c.ID, created: true}, nil
	}

	res.CustomerID, res.Reason = id, why
	old, err := getCustomer(ctx, tx, id)
	if err != nil {
		return res, nil, err
	}
	res.Into = old.Name()
	merged, changed := mergeCard(old, c)
	if changed {
		if err := replaceCard(ctx, tx, merged, now); err != nil { // empty companies go at the end
			if errors.Is(err, ErrInvalid) {
				res.Action, res.Reason = ActionFailed, err.Error()
				return res, nil, nil
			}
			return res, nil, err
		}
		m.remember(merged)
	}
	added, err := addMissingProfile(ctx, tx, id, &card.Profile, &res)
	if err != nil {
		return res, nil, err
	}
	if !changed && added.empty() {
		res.Action = ActionUnchanged
		return res, nil, nil
	}
	res.Action = ActionUpdated
	ch := &importChange{customerID: id, added: added}
	if changed {
		ch.before = old
	}
	return res, ch, nil
}

type ambiguousError struct {
	by  string
	ids []int64
}

func (e ambiguousError) Error() string {
	return fmt.Sprintf("matches %d customers by %s (IDs %v); not merged, to be safe", len(e.ids), e.by, e.ids)
}

// matcher finds the customer a card is about. A small import asks the
// database for each card; a big one loads UIDs, e-mail addresses, phone
// numbers and names once and matches in memory, which took a third of a
// 10k-card import when done by query.
//
// What it holds per customer is kept small (a 100k-customer import holds it
// for every one): the name fields only, and a key shared by one customer,
// as nearly all are, without a slice of its own.
type matcher struct {
	cards     int
	loaded    bool
	keepApart map[CardRef]bool // ImportOptions.KeepApart
	uids      map[string]int64
	// "email:" or "phone:" + normalised value: the customer with it, or
	// in many, the customers (ascending) when more than one has it.
	one   map[string]int64
	many  map[string][]int64
	names map[int64]personName
}

// personName is what matching compares of a customer.
type personName struct{ formatted, given, family, nickname string }

func (n personName) customer() Customer {
	return Customer{FormattedName: n.formatted, GivenName: n.given, FamilyName: n.family, Nickname: n.nickname}
}

// matchInMemoryAfter is how many cards an import matches by query before it
// loads what it matches on: loading costs a scan of every customer.
// (A variable so tests run both ways.)
var matchInMemoryAfter = 300

func (m *matcher) load(ctx context.Context, tx *Tx) error {
	m.loaded = true
	m.uids, m.one, m.many, m.names = map[string]int64{}, map[string]int64{}, map[string][]int64{}, map[int64]personName{}
	rows, err := tx.QueryContext(ctx, `SELECT id, uid, formatted_name, given_name, family_name, nickname FROM customers`)
	if err != nil {
		return fmt.Errorf("load customers to match: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Customer
		if err := rows.Scan(&c.ID, &c.UID, &c.FormattedName, &c.GivenName, &c.FamilyName, &c.Nickname); err != nil {
			return err
		}
		m.uids[c.UID] = c.ID
		m.names[c.ID] = personName{c.FormattedName, c.GivenName, c.FamilyName, c.Nickname}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT kind || ':' || normalized, customer_id FROM contact_points
		WHERE kind IN ('email', 'phone') AND normalized != '' ORDER BY customer_id`)
	if err != nil {
		return fmt.Errorf("load contact details to match: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var id int64
		if err := rows.Scan(&key, &id); err != nil {
			return err
		}
		m.addKey(key, id)
	}
	return rows.Err()
}

func (m *matcher) addKey(key string, id int64) {
	if ids, ok := m.many[key]; ok {
		if i, found := slices.BinarySearch(ids, id); !found {
			m.many[key] = slices.Insert(ids, i, id)
		}
		return
	}
	other, ok := m.one[key]
	switch {
	case !ok:
		m.one[key] = id
	case other != id:
		delete(m.one, key)
		m.many[key] = []int64{min(id, other), max(id, other)}
	}
}

// idsWith lists the customers with a key, ascending.
func (m *matcher) idsWith(key string) []int64 {
	if id, ok := m.one[key]; ok {
		return []int64{id}
	}
	return m.many[key]
}

// remember notes a customer the import created or changed, once loaded.
func (m *matcher) remember(c *Customer) {
	if !m.loaded {
		return
	}
	m.uids[c.UID] = c.ID
	m.names[c.ID] = personName{c.FormattedName, c.GivenName, c.FamilyName, c.Nickname}
	for _, e := range c.Emails {
		if k := NormalizeEmail(e.Value); k != "" {
			m.addKey("email:"+k, c.ID)
		}
	}
	for _, p := range c.Phones {
		if k := PhoneKey(p.Value); k != "" {
			m.addKey("phone:"+k, c.ID)
		}
	}
}

// match finds the customer a card is about, and says how it matched.
func (m *matcher) match(ctx context.Context, tx *Tx, c *Customer) (int64, string, error) {
	m.cards++
	if !m.loaded && m.cards > matchInMemoryAfter {
		if err := m.load(ctx, tx); err != nil {
			return 0, "", err
		}
	}
	if c.UID != "" {
		if m.loaded {
			if id, ok := m.uids[c.UID]; ok {
				return id, "same UID", nil
			}
		} else {
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM customers WHERE uid = ?`, c.UID).Scan(&id)
			if err == nil {
				return id, "same UID", nil
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return 0, "", err
			}
		}
	}
	var emails []string
	for _, e := range c.Emails {
		emails = append(emails, NormalizeEmail(e.Value))
	}
	ids, err := m.customersWith(ctx, tx, "email", emails)
	if err != nil {
		return 0, "", err
	}
	// Couples and teams share an address: an e-mail match counts only when
	// the names do not say these are two different people.
	if ids, err = m.filterByName(ctx, tx, ids, c, false); err != nil {
		return 0, "", err
	}
	if len(ids) == 1 {
		return ids[0], "same e-mail address", nil
	} else if len(ids) > 1 {
		return 0, "", ambiguousError{"e-mail address", ids}
	}
	var phones []string
	for _, p := range c.Phones {
		phones = append(phones, PhoneKey(p.Value))
	}
	if ids, err = m.customersWith(ctx, tx, "phone", phones); err != nil {
		return 0, "", err
	}
	// A shared switchboard number is not enough: the name must match too.
	if ids, err = m.filterByName(ctx, tx, ids, c, true); err != nil {
		return 0, "", err
	}
	if len(ids) == 1 {
		return ids[0], "same phone number and name", nil
	} else if len(ids) > 1 {
		return 0, "", ambiguousError{"phone number and name", ids}
	}
	return 0, "", nil
}

// apart is the match of a card the user keeps apart from the customer it
// matched: none, so it imports as new. A card that matched by UID gets a
// UID of its own (derived from its content, the old UID included), and
// matches only what an earlier import kept apart the same way.
func (m *matcher) apart(ctx context.Context, tx *Tx, c *Customer, p *Profile, why string) (int64, string, error) {
	if why != "same UID" {
		return 0, "", nil
	}
	c.UID = contentUID(c, p)
	if m.loaded {
		if id, ok := m.uids[c.UID]; ok {
			return id, "same UID", nil
		}
		return 0, "", nil
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM customers WHERE uid = ?`, c.UID).Scan(&id)
	switch {
	case err == nil:
		return id, "same UID", nil
	case errors.Is(err, sql.ErrNoRows):
		return 0, "", nil
	}
	return 0, "", err
}

// contentUID gives a card without a UID one derived from what it says, so
// importing the same file twice matches every card to itself, while two
// different cards that happen to share a name stay two customers.
func contentUID(c *Customer, p *Profile) string {
	b, _ := json.Marshal(struct {
		C *Customer
		P *Profile
	}{c, p})
	sum := sha256.Sum256(b)
	return "rapport-" + hex.EncodeToString(sum[:16])
}

func (m *matcher) customersWith(ctx context.Context, tx *Tx, kind string, values []string) ([]int64, error) {
	var keys []any
	for _, v := range values {
		if v != "" {
			keys = append(keys, v)
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	if m.loaded {
		var ids []int64
		for _, k := range keys {
			for _, id := range m.idsWith(kind + ":" + k.(string)) {
				if i, found := slices.BinarySearch(ids, id); !found {
					ids = slices.Insert(ids, i, id)
				}
			}
		}
		return ids, nil
	}
	return queryIDs(ctx, tx, `SELECT DISTINCT customer_id FROM contact_points WHERE kind = '`+kind+`'
		AND normalized IN (?`+strings.Repeat(", ?", len(keys)-1)+`) ORDER BY customer_id`, keys...)
}

// filterByName keeps the candidates whose name agrees with the card's. With
// strict, both must have a name and it must be the same; otherwise a missing
// name on either side does not disagree.
func (m *matcher) filterByName(ctx context.Context, tx *Tx, ids []int64, c *Customer, strict bool) ([]int64, error) {
	var keep []int64
	for _, id := range ids {
		n, ok := m.names[id]
		other := n.customer()
		if !ok {
			err := tx.QueryRowContext(ctx, `SELECT formatted_name, given_name, family_name, nickname FROM customers WHERE id = ?`, id).
				Scan(&other.FormattedName, &other.GivenName, &other.FamilyName, &other.Nickname)
			if err != nil {
				return nil, err
			}
		}
		if namesAgree(&other, c, strict) {
			keep = append(keep, id)
		}
	}
	return keep, nil
}

// namesAgree says whether two cards' names can be the same person's: the
// family names are the same (case, accents and spacing aside) and the given
// names are the same, or one is the other's nickname, a short form
// (Bob / Robert) or the start of it (Chi / Chiamaka). Without strict (an
// e-mail match), a name missing on either side does not disagree; with
// strict (a phone match: a switchboard is shared by colleagues), both must
// have a name, the same family name and given names that agree.
func namesAgree(a, b *Customer, strict bool) bool {
	ag, af := nameParts(a)
	bg, bf := nameParts(b)
	if ag+af == "" || bg+bf == "" {
		return !strict
	}
	switch {
	case af != bf && (strict || af != "" && bf != ""):
		return false
	case ag == "" || bg == "":
		return !strict || ag == bg
	}
	return givenAgree(ag, bg, a.Nickname, b.Nickname)
}

// nameParts is the folded given and family name; a card with only a full
// name gives its first and last word.
func nameParts(c *Customer) (given, family string) {
	if c.GivenName+c.FamilyName != "" {
		return foldName(c.GivenName), foldName(c.FamilyName)
	}
	w := strings.Fields(foldName(personalName(c)))
	switch len(w) {
	case 0:
		return "", ""
	case 1:
		return w[0], ""
	}
	return w[0], w[len(w)-1]
}

// givenAgree compares folded given names, with either card's nicknames.
func givenAgree(a, b, nicksA, nicksB string) bool {
	if a == b || sameShort(a, b) {
		return true
	}
	for _, n := range strings.Split(nicksA, ",") {
		if n = foldName(n); n != "" && (n == b || sameShort(n, b)) {
			return true
		}
	}
	for _, n := range strings.Split(nicksB, ",") {
		if n = foldName(n); n != "" && (n == a || sameShort(n, a)) {
			return true
		}
	}
	return false
}

// sameShort says whether one given name is a short form of the other: the
// start of it (at least two letters: Chi / Chiamaka, Alex / Alexandra) or a
// known short form (Bob / Robert).
func sameShort(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if utf8.RuneCountInString(a) >= 2 && strings.HasPrefix(b, a) && !strings.ContainsRune(a, ' ') {
		return true
	}
	for _, full := range shortForms[a] {
		if full == b {
			return true
		}
	}
	for _, full := range shortForms[b] {
		if full == a {
			return true
		}
	}
	return false
}

// shortForms are English short forms that do not start like the name.
var shortForms = map[string][]string{
	"bob": {"robert"}, "bobby": {"robert"}, "rob": {"robert"}, "bill": {"william"}, "billy": {"william"},
	"will": {"william"}, "liz": {"elizabeth"}, "beth": {"elizabeth"}, "betty": {"elizabeth"}, "lisa": {"elisabeth", "elizabeth"},
	"dick": {"richard"}, "rick": {"richard"}, "peggy": {"margaret"}, "maggie": {"margaret"}, "meg": {"margaret"},
	"jim": {"james"}, "jimmy": {"james"}, "jack": {"john"}, "johnny": {"john"}, "ted": {"edward", "theodore"},
	"ned": {"edward"}, "tony": {"anthony"}, "sandy": {"alexandra", "sandra"}, "sasha": {"alexander", "alexandra"},
	"kate": {"katherine", "catherine", "kathryn"}, "kathy": {"katherine", "kathryn"}, "cathy": {"catherine"},
	"peg": {"margaret"}, "hank": {"henry"}, "harry": {"henry"}, "chuck": {"charles"}, "charlie": {"charles"},
	"sue": {"susan", "suzanne"}, "jenny": {"jennifer"}, "polly": {"mary"}, "molly": {"mary"}, "nancy": {"ann", "anne"},
}

func personalName(c *Customer) string {
	if c.FormattedName != "" {
		return c.FormattedName
	}
	return c.NameFromParts()
}

var nameFolder = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// foldName compares names the way people read them: case, accents and spacing
// aside ("Zoë  Hartley" is "zoe hartley").
func foldName(s string) string {
	out, _, err := transform.String(nameFolder, strings.ToLower(s))
	if err != nil {
		out = strings.ToLower(s)
	}
	return strings.Join(strings.Fields(out), " ")
}

// mergeCard lays what a card carries over an existing customer: fields the
// card has replace the old ones, fields it lacks are kept, and lists (phones,
// e-mails, links, addresses, tags, extra properties) gain what is new.
func mergeCard(old, card *Customer) (*Customer, bool) {
	m := *old
	m.Phones = append([]Labelled(nil), old.Phones...)
	m.Emails = append([]Labelled(nil), old.Emails...)
	m.URLs = append([]Labelled(nil), old.URLs...)
	m.Addresses = append([]Address(nil), old.Addresses...)
	m.Tags = append([]string(nil), old.Tags...)
	m.Extra = append([]ExtraProperty(nil), old.Extra...)
	if g, og := foldName(card.GivenName), foldName(old.GivenName); g != "" && g != og && len(g) < len(og) &&
		givenAgree(g, og, "", "") {
		// "Chi Okafor" from another phone is Chiamaka's short name, not a
		// new name: the full one stays, the short one becomes the nickname.
		c := *card
		if m.Nickname == "" && c.Nickname == "" {
			c.Nickname = card.GivenName
		}
		c.GivenName, c.FormattedName = "", ""
		card = &c
	}
	for _, f := range []struct{ dst, src *string }{
		{&m.Prefix, &card.Prefix}, {&m.GivenName, &card.GivenName}, {&m.MiddleName, &card.MiddleName},
		{&m.FamilyName, &card.FamilyName}, {&m.Suffix, &card.Suffix}, {&m.FormattedName, &card.FormattedName},
		{&m.Nickname, &card.Nickname}, {&m.Company, &card.Company}, {&m.Department, &card.Department},
		{&m.Title, &card.Title}, {&m.CardNote, &card.CardNote},
	} {
		if *f.src != "" {
			*f.dst = *f.src
		}
	}
	if !card.Birthday.IsZero() {
		m.Birthday = card.Birthday
	}
	if !card.Anniversary.IsZero() {
		m.Anniversary = card.Anniversary
	}
	if !card.Photo.Empty() {
		m.Photo = card.Photo
	}
	m.Phones = mergeLabelled(m.Phones, card.Phones, PhoneKey)
	m.Emails = mergeLabelled(m.Emails, card.Emails, NormalizeEmail)
	m.URLs = mergeLabelled(m.URLs, card.URLs, strings.TrimSpace)
	for _, a := range card.Addresses {
		if !containsFunc(m.Addresses, func(b Address) bool { return foldName(b.OneLine()) == foldName(a.OneLine()) }) {
			m.Addresses = append(m.Addresses, a)
		}
	}
	for _, t := range card.Tags {
		if !containsFunc(m.Tags, func(u string) bool { return strings.EqualFold(t, u) }) {
			m.Tags = append(m.Tags, t)
		}
	}
	for _, x := range card.Extra {
		if !containsFunc(m.Extra, func(y ExtraProperty) bool { return y.Raw == x.Raw }) {
			m.Extra = append(m.Extra, x)
		}
	}
	return &m, !sameCard(old, &m)
}

func mergeLabelled(have, more []Labelled, key func(string) string) []Labelled {
	for _, l := range more {
		// The entry with the same label first: a customer may already hold
		// one number twice (imported before cards were deduplicated).
		i := indexFunc(have, func(h Labelled) bool { return key(h.Value) == key(l.Value) && h.Label == l.Label })
		if i < 0 {
			i = indexFunc(have, func(h Labelled) bool { return key(h.Value) == key(l.Value) })
		}
		switch {
		case i < 0:
			have = append(have, l)
		case have[i].Label == "" && l.Label != "":
			have[i].Label = l.Label
		}
	}
	return have
}

// dedupeLabelled keeps one entry per value (by key): the first, with the
// first label any of them has, preferred if any was.
func dedupeLabelled(ls []Labelled, key func(string) string) []Labelled {
	out := ls[:0:0]
	for _, l := range ls {
		i := indexFunc(out, func(o Labelled) bool { return key(o.Value) == key(l.Value) })
		if i < 0 {
			out = append(out, l)
			continue
		}
		if out[i].Label == "" {
			out[i].Label = l.Label
		}
		out[i].Pref = out[i].Pref || l.Pref
	}
	return out
}

func indexFunc[T any](s []T, f func(T) bool) int {
	for i, v := range s {
		if f(v) {
			return i
		}
	}
	return -1
}

func containsFunc[T any](s []T, f func(T) bool) bool { return indexFunc(s, f) >= 0 }

// sameCard compares the stored parts of two cards.
func sameCard(a, b *Customer) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// addCardProfile adds a new customer's profile. An entry that cannot be
// stored is left out and named in the card's problems (and taken out of p,
// from which the search document is built).
func addCardProfile(ctx context.Context, tx *Tx, id int64, p *Profile, res *ImportResult) error {
	// New lists: the card's own may be shared with its source.
	items := make([]ProfileItem, 0, len(p.Items))
	family := make([]FamilyMember, 0, len(p.Family))
	pets := make([]Pet, 0, len(p.Pets))
	for _, it := range p.Items {
		it.CustomerID, it.ID = id, 0
		if err := it.validate(); err != nil {
			res.leftOut("profile item", err)
			continue
		}
		if err := saveProfileItem(ctx, tx, &it); err != nil {
			return err
		}
		items = append(items, it)
	}
	for _, f := range p.Family {
		f.CustomerID, f.ID = id, 0
		if err := f.validate(); err != nil {
			res.leftOut("family member", err)
			continue
		}
		if err := saveFamilyMember(ctx, tx, &f); err != nil {
			return err
		}
		family = append(family, f)
	}
	for _, pet := range p.Pets {
		pet.CustomerID, pet.ID = id, 0
		if err := pet.validate(); err != nil {
			res.leftOut("pet", err)
			continue
		}
		if err := savePet(ctx, tx, &pet); err != nil {
			return err
		}
		pets = append(pets, pet)
	}
	p.Items, p.Family, p.Pets = items, family, pets
	return nil
}

func (r *ImportResult) leftOut(what string, err error) {
	// A copy: the card's own list may be shared with its source.
	r.Problems = append(slices.Clip(r.Problems), fmt.Sprintf("%s: %v; left out", what, err))
}

// addMissingProfile adds the card's profile entries the customer lacks; it
// never changes or removes what is there. An entry that cannot be stored is
// left out and named in the card's problems.
func addMissingProfile(ctx context.Context, tx *Tx, id int64, p *Profile, res *ImportResult) (addedRows, error) {
	var added addedRows
	if len(p.Items)+len(p.Family)+len(p.Pets) == 0 {
		return added, nil
	}
	have, err := getProfile(ctx, tx, id)
	if err != nil {
		return added, err
	}
	for _, it := range p.Items {
		if containsFunc(have.Items, func(h ProfileItem) bool { return h.Category == it.Category && foldName(h.Text) == foldName(it.Text) }) {
			continue
		}
		it.ID, it.CustomerID = 0, id
		if err := it.validate(); err != nil {
			res.leftOut("profile item", err) // not worth failing the card for
			continue
		}
		if err := saveProfileItem(ctx, tx, &it); err != nil {
			return added, err
		}
		added.Items = append(added.Items, it.ID)
	}
	for _, f := range p.Family {
		if containsFunc(have.Family, func(h FamilyMember) bool { return h.Relation == f.Relation && foldName(h.Name) == foldName(f.Name) }) {
			continue
		}
		f.ID, f.CustomerID = 0, id
		if err := f.validate(); err != nil {
			res.leftOut("family member", err)
			continue
		}
		if err := saveFamilyMember(ctx, tx, &f); err != nil {
			return added, err
		}
		added.Family = append(added.Family, f.ID)
	}
	for _, pet := range p.Pets {
		if containsFunc(have.Pets, func(h Pet) bool { return foldName(h.Name) == foldName(pet.Name) }) {
			continue
		}
		pet.ID, pet.CustomerID = 0, id
		if err := pet.validate(); err != nil {
			res.leftOut("pet", err)
			continue
		}
		if err := savePet(ctx, tx, &pet); err != nil {
			return added, err
		}
		added.Pets = append(added.Pets, pet.ID)
	}
	return added, nil
}

// ImportBatch is an import that can be undone.
type ImportBatch struct {
	ID      int64
	At      time.Time
	Source  string
	New     int
	Updated int
}

// LastImport returns the most recent import that can still be undone, or
// ErrNotFound.
func (s *Store) LastImport(ctx context.Context) (*ImportBatch, error) {
	b := &ImportBatch{}
	var at int64
	err := s.read.QueryRowContext(ctx, `SELECT id, created_at, source, new, updated FROM import_batches ORDER BY id DESC LIMIT 1`).
		Scan(&b.ID, &at, &b.Source, &b.New, &b.Updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("no import to undo: %w", ErrNotFound)
	}
	if err != nil {
		return nil, mapError(err)
	}
	b.At = time.Unix(at, 0)
	return b, nil
}

// UndoResult says what undoing an import did.
type UndoResult struct {
	Removed, Restored int
	// Kept are customers the import created that have history or notes
	// logged since: removing them would lose that work, so they stay.
	Kept []int64
}

// UndoImport takes back one import: customers it created are removed (unless
// history or notes were logged for them since), cards it updated are put back
// as they were, and profile entries it added are removed.
//
// It works on the whole batch at once (a temporary table of the customers
// to remove, one DELETE per table) and rebuilds the search index in bulk:
// done customer by customer, undoing 10k cards took over a minute, nearly
// all of it in the search index's secure deletes.
func (s *Store) UndoImport(ctx context.Context, batchID int64) (*UndoResult, error) {
	if err := s.autoBackupBeforeUnless(ctx, ReasonPreUndo, false); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM import_batches WHERE id = ?`, batchID).Scan(&exists); err != nil {
		return nil, fmt.Errorf("undo import %d: %w", batchID, mapError(err))
	} else if exists == 0 {
		return nil, fmt.Errorf("import %d: %w", batchID, ErrNotFound)
	}
	res := &UndoResult{}
	const worked = `(EXISTS (SELECT 1 FROM interactions WHERE customer_id = ic.customer_id)
		OR EXISTS (SELECT 1 FROM notes WHERE customer_id = ic.customer_id))`
	if res.Kept, err = queryIDs(ctx, tx, `SELECT customer_id FROM import_changes ic
		WHERE batch_id = ? AND created AND `+worked+` ORDER BY customer_id`, batchID); err != nil {
		return nil, fmt.Errorf("undo import %d: %w", batchID, err)
	}
	if err := clearTemp(ctx, tx, undoTemp); err != nil {
		return nil, err
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO temp.undo_removed SELECT customer_id FROM import_changes ic
		WHERE batch_id = ? AND created AND NOT `+worked, batchID)
	if err != nil {
		return nil, fmt.Errorf("undo import %d: %w", batchID, err)
	}
	removed, _ := r.RowsAffected()
	if r, err = tx.ExecContext(ctx, `INSERT INTO temp.undo_restored SELECT customer_id FROM import_changes
		WHERE batch_id = ? AND NOT created`, batchID); err != nil {
		return nil, fmt.Errorf("undo import %d: %w", batchID, err)
	}
	restored, _ := r.RowsAffected()
	res.Removed, res.Restored = int(removed), int(restored)

	bulk, err := beginBulkUnindex(ctx, tx, res.Removed+res.Restored)
	if err != nil {
		return nil, err
	}
	// Customers to remove have no history or notes, so only their card
	// documents are in the index; the restored ones' documents are rebuilt.
	for _, q := range []string{
		`DELETE FROM customer_fts WHERE rowid IN (SELECT id FROM temp.undo_removed UNION ALL SELECT id FROM temp.undo_restored)`,
		`DELETE FROM customers WHERE id IN (SELECT id FROM temp.undo_removed)`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("undo import %d: %w", batchID, mapError(err))
		}
	}
	if err := restoreCards(ctx, tx, batchID); err != nil {
		return nil, err
	}
	if err := rebuildDocs(ctx, tx, "temp.undo_restored"); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM import_batches WHERE id = ?`, batchID); err != nil {
		return nil, err
	}
	if err := clearTemp(ctx, tx, undoTemp); err != nil {
		return nil, err
	}
	if err := deleteOrphanCompanies(ctx, tx); err != nil {
		return nil, err
	}
	if err := bulk.end(ctx, tx); err != nil {
		return nil, err
	}
	if err := commit(tx); err != nil {
		return nil, err
	}
	return res, s.scrub(ctx)
}

// restoreCards puts back the cards an import updated and removes the
// profile rows it added, a page of changes at a time. Their documents are
// rebuilt afterwards: an index write between these statements would flush
// the index once per card.
func restoreCards(ctx context.Context, tx *Tx, batchID int64) error {
	type change struct {
		id            int64
		before, added string
	}
	now := time.Now()
	var after int64
	for {
		rows, err := tx.QueryContext(ctx, `SELECT customer_id, before, added FROM import_changes
			WHERE batch_id = ? AND NOT created AND customer_id > ? ORDER BY customer_id LIMIT 500`, batchID, after)
		if err != nil {
			return fmt.Errorf("undo import %d: %w", batchID, mapError(err))
		}
		var page []change
		for rows.Next() {
			var c change
			if err := rows.Scan(&c.id, &c.before, &c.added); err != nil {
				rows.Close()
				return err
			}
			page = append(page, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		for _, ch := range page {
			if err := restoreCard(ctx, tx, ch.id, ch.before, ch.added, now); err != nil {
				return fmt.Errorf("undo import %d: restore customer %d: %w", batchID, ch.id, err)
			}
		}
		after = page[len(page)-1].id
	}
}

func restoreCard(ctx context.Context, tx *Tx, id int64, before, added string, now time.Time) error {
	if added != "" {
		var a addedRows
		if err := json.Unmarshal([]byte(added), &a); err != nil {
			return err
		}
		for _, del := range []struct {
			table string
			ids   []int64
		}{{PartItem, a.Items}, {PartFamily, a.Family}, {PartPet, a.Pets}} {
			for _, rowID := range del.ids {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+del.table+` WHERE id = ?`, rowID); err != nil {
					return err
				}
			}
		}
	}
	if before != "" {
		var old Customer
		if err := json.Unmarshal([]byte(before), &old); err != nil {
			return err
		}
		old.ID = id
		if err := replaceCard(ctx, tx, &old, now); err != nil {
			return err
		}
	}
	return nil
}

// bulkUnindexAfter is how many card documents a change removes or replaces
// before it stops deleting them securely one by one. With secure-delete
// on, each delete seeks every term of the document through the index, at
// a cost that grows with the index: at 10k customers about 16 ms a
// document, where the bulk way below took 0.2 s for 200 (2 s for 100k
// customers). Past this many, secure-delete is off for the transaction
// (a delete only leaves a marker) and an 'optimize' at the end rewrites
// the index as one segment, which drops the deleted entries for good: no
// trace of a removed customer stays in it, and secure_delete zeroes the
// freed pages. (A variable so tests run both ways.)
var bulkUnindexAfter = 20

type bulkUnindex struct{ on bool }

func beginBulkUnindex(ctx context.Context, tx *Tx, docs int) (bulkUnindex, error) {
	if docs <= bulkUnindexAfter {
		return bulkUnindex{}, nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO customer_fts(customer_fts, rank) VALUES ('secure-delete', 0)`); err != nil {
		return bulkUnindex{}, fmt.Errorf("search index: %w", err)
	}
	return bulkUnindex{on: true}, nil
}

// end merges the index, dropping what was deleted, and turns secure-delete
// back on, in the same transaction.
func (b bulkUnindex) end(ctx context.Context, tx *Tx) error {
	if !b.on {
		return nil
	}
	for _, q := range []string{
		`INSERT INTO customer_fts(customer_fts) VALUES ('optimize')`,
		`INSERT INTO customer_fts(customer_fts, rank) VALUES ('secure-delete', 1)`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return nil
}
