package data

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// indexDoc replaces one document of an FTS table. With secure-delete on,
// an FTS delete first flushes what the transaction has indexed so far, so a
// delete is only issued for a document that exists: a bulk load of new rows
// must not pay a flush per row.
func indexDoc(ctx context.Context, tx *Tx, table string, rowid int64, parts ...string) error {
	if err := unindexDoc(ctx, tx, table, rowid); err != nil {
		return err
	}
	return insertDoc(ctx, tx, table, rowid, parts...)
}

func unindexDoc(ctx context.Context, tx *Tx, table string, rowid int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE rowid = ?`, rowid).Scan(&n); err != nil {
		return fmt.Errorf("index %s %d: %w", table, rowid, err)
	}
	if n == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE rowid = ?`, rowid); err != nil {
		return fmt.Errorf("index %s %d: %w", table, rowid, err)
	}
	return nil
}

func insertDoc(ctx context.Context, tx *Tx, table string, rowid int64, parts ...string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (rowid, body) VALUES (?, ?)`, rowid, strings.Join(parts, "\n")); err != nil {
		return fmt.Errorf("index %s %d: %w", table, rowid, err)
	}
	return nil
}

// reindexCard rebuilds a customer's card document from what is stored: name,
// company, contact details, tags, card note and the whole profile.
func reindexCard(ctx context.Context, tx *Tx, id int64) error {
	doc, err := cardDoc(ctx, tx, id)
	if err != nil {
		return err
	}
	return indexDoc(ctx, tx, "customer_fts", id, doc)
}

// newCardDoc is cardDoc for a customer just created from c and p, built from
// memory instead of read back: a bulk import of new cards saves a query each.
// It must say what cardDoc would (TestNewCardDocMatchesStored checks).
func newCardDoc(c *Customer, p *Profile) string {
	var b strings.Builder
	line := func(parts ...string) {
		b.WriteString(strings.Join(parts, " "))
		b.WriteByte('\n')
	}
	line(c.Name(), c.Prefix, c.GivenName, c.MiddleName, c.FamilyName, c.Nickname,
		strings.TrimSpace(c.Company), c.Department, c.Title, c.CardNote)
	for _, ph := range c.Phones {
		line(ph.Value, NormalizePhone(ph.Value), PhoneKey(ph.Value))
	}
	for _, e := range c.Emails {
		line(e.Value)
	}
	for _, u := range c.URLs {
		line(u.Value)
	}
	for _, a := range c.Addresses {
		line(a.Street, a.Locality, a.Region, a.Postcode, a.Country)
	}
	for _, t := range c.Tags {
		line(t)
	}
	for _, it := range p.Items {
		line(it.Text)
	}
	for _, f := range p.Family {
		line(f.Name, f.Notes)
	}
	for _, pet := range p.Pets {
		line(pet.Name, pet.Species, pet.Notes)
	}
	return b.String()
}

// cardDoc is the text a customer's card document indexes: name, company,
// contact details, tags, card note, profile and concerns, in one query.
func cardDoc(ctx context.Context, tx *Tx, id int64) (string, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT 0, c.display_name || ' ' || c.prefix || ' ' || c.given_name || ' ' || c.middle_name || ' ' || c.family_name || ' ' ||
			c.nickname || ' ' || coalesce(co.name, '') || ' ' || c.department || ' ' || c.title || ' ' || c.card_note
			FROM customers c LEFT JOIN companies co ON co.id = c.company_id WHERE c.id = ?1
		UNION ALL SELECT kind = 'phone', value FROM contact_points WHERE customer_id = ?1
		UNION ALL SELECT 0, street || ' ' || locality || ' ' || region || ' ' || postcode || ' ' || country FROM addresses WHERE customer_id = ?1
		UNION ALL SELECT 0, tag FROM tags WHERE customer_id = ?1
		UNION ALL SELECT 0, text FROM profile_items WHERE customer_id = ?1
		UNION ALL SELECT 0, name || ' ' || notes FROM family_members WHERE customer_id = ?1
		UNION ALL SELECT 0, name || ' ' || species || ' ' || notes FROM pets WHERE customer_id = ?1
		UNION ALL SELECT 0, text FROM concerns WHERE customer_id = ?1`, id)
	if err != nil {
		return "", fmt.Errorf("index customer %d: %w", id, err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var phone bool
		var v string
		if err := rows.Scan(&phone, &v); err != nil {
			return "", fmt.Errorf("index customer %d: %w", id, err)
		}
		if phone {
			// Phones also go in as bare digits and as the national number, so
			// "2079460958", "020 7946" and "+4420" all find "+44 (20) 7946-0958".
			v = v + " " + NormalizePhone(v) + " " + PhoneKey(v)
		}
		b.WriteString(v)
		b.WriteByte('\n')
	}
	return b.String(), rows.Err()
}

// ftsQuery turns what someone typed into an FTS5 query: every word must
// appear, the last one (or every one) as a prefix, so results follow typing.
func ftsQuery(input string) string {
	var terms []string
	for _, w := range queryWords(input) {
		terms = append(terms, `"`+w+`"*`)
	}
	return strings.Join(terms, " ")
}

// historyQuery is ftsQuery for interactions and notes, less a one-letter
// word being typed: in a million notes it matches nearly everything and
// would cost a full index scan per keystroke while narrowing nothing.
func historyQuery(input string) string {
	words := queryWords(input)
	if n := len(words); n > 0 && utf8.RuneCountInString(words[n-1]) == 1 {
		words = words[:n-1]
	}
	var terms []string
	for _, w := range words {
		terms = append(terms, `"`+w+`"*`)
	}
	return strings.Join(terms, " ")
}

// queryWords splits a query into the words FTS5 is asked for; anything
// but letters and digits separates them, so no quote or operator gets
// through. A word given twice is asked for once.
func queryWords(input string) []string {
	words := strings.FieldsFunc(input, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	seen := make(map[string]bool, len(words))
	out := words[:0]
	for _, w := range words {
		if k := strings.ToLower(w); !seen[k] {
			seen[k] = true
			out = append(out, w)
		}
	}
	return out
}

// MaxQueryLen is the longest search, in characters, that Search, the
// export filter and the window's search boxes take. Nobody types more; a
// pasted page would cost a prefix scan per word (a 400 KiB query took 9 s,
// 2 MiB never finished), and the check itself is linear.
const MaxQueryLen = 256

// ErrQueryTooLong is what a search longer than MaxQueryLen returns; it is
// also an ErrInvalid, so the window shows it as a hint, not a failure.
var ErrQueryTooLong = fmt.Errorf("%w: search too long", ErrInvalid)

// checkQuery refuses a query over MaxQueryLen characters. Its message does
// not quote the query: that is the thing too long to show.
func checkQuery(query string) error {
	query = strings.TrimSpace(query)
	if len(query) <= MaxQueryLen { // bytes ≥ characters: most queries stop here
		return nil
	}
	if n := utf8.RuneCountInString(query); n > MaxQueryLen {
		return errorf(ErrQueryTooLong, "a search can be at most %d characters long (this one is %d)", MaxQueryLen, n)
	}
	return nil
}

// searchCap bounds how many card matches one search sorts by name: a
// one-letter query at 100k customers must not sort the whole table on every
// keystroke. historyCap bounds how many matching interactions and notes are
// looked at, newest first.
const (
	searchCap  = 1000
	historyCap = 200
)

// Search finds customers whose name, company, contact details, profile,
// notes or history match every word typed (as prefixes). Customers matched
// on their card come first, in name order; then those matched only in their
// history or notes, most recent match first. An empty query lists everyone.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]CustomerSummary, error) {
	return s.SearchWithin(ctx, query, 0, limit)
}

// SearchWithin is Search among the customers whose temperature is at most
// maxTemp (the list's "Unsatisfied" filter); maxTemp 0 is everyone. The
// filter is applied before the caps, so a common word still finds the few
// unhappy customers it matches.
func (s *Store) SearchWithin(ctx context.Context, query string, maxTemp, limit int) ([]CustomerSummary, error) {
	if err := checkQuery(query); err != nil {
		return nil, err
	}
	q := ftsQuery(query)
	if q == "" {
		if maxTemp > 0 {
			return s.ListByTemperature(ctx, maxTemp, 0, limit)
		}
		return s.ListCustomers(ctx, 0, limit)
	}
	// ?4 = 0 keeps everyone; the partial index on temperature serves the rest.
	const within = `(?4 = 0 OR rowid IN (SELECT id FROM customers WHERE temperature IS NOT NULL AND temperature <= ?4))`
	// The page is chosen on the (id, sort_name) index alone; only its rows
	// are then read from customers and companies. (SQLite would look the
	// matches up by rowid, reading every one's row, unless told.) A file
	// older than that index, opened read-only, sorts on the rows.
	sortOn := `customers x INDEXED BY customers_id_sort`
	if !s.idSort() {
		sortOn = `customers x`
	}
	out, err := s.summaries(ctx, `WITH hits(id) AS (SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?1 AND `+within+` LIMIT ?3),
		page(id, sort_name) AS (SELECT x.id, x.sort_name FROM hits JOIN `+sortOn+` ON x.id = hits.id
			ORDER BY x.sort_name, x.id LIMIT ?2)
		SELECT `+summaryColumns+` FROM page JOIN customers c ON c.id = page.id LEFT JOIN companies co ON co.id = c.company_id
		ORDER BY page.sort_name, page.id`, q, limit, searchCap, maxTemp)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	hq := historyQuery(query)
	if len(out) >= limit || hq == "" {
		return out, nil
	}
	// FTS5 walks rowids backwards without sorting, and rowids grow as history
	// is written, so the capped matches are the most recently written ones.
	more, err := s.summaries(ctx, `WITH docs(customer_id, at) AS (
			SELECT i.customer_id, i.at FROM interactions i
			WHERE i.id IN (SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2)
			UNION ALL
			SELECT n.customer_id, n.at FROM notes n
			WHERE n.id IN (SELECT rowid FROM note_fts WHERE note_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2)),
		hits(id, newest) AS (SELECT customer_id, max(at) FROM docs GROUP BY customer_id)
		SELECT `+summaryColumns+` FROM hits JOIN customers c ON c.id = hits.id LEFT JOIN companies co ON co.id = c.company_id
		WHERE ?3 = 0 OR (c.temperature IS NOT NULL AND c.temperature <= ?3)
		ORDER BY hits.newest DESC`, hq, historyCap, maxTemp)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	seen := make(map[int64]bool, len(out))
	for _, c := range out {
		seen[c.ID] = true
	}
	for _, c := range more {
		if len(out) >= limit {
			break
		}
		if !seen[c.ID] {
			out = append(out, c)
		}
	}
	return out, nil
}

// SearchCount is len(Search(query, upTo)), counted in the indexes without
// reading a customer: the command line shows a page and says how many more
// matched, and reading a thousand customers to count them took longer than
// the rest of its search.
func (s *Store) SearchCount(ctx context.Context, query string, upTo int) (int, error) {
	if err := checkQuery(query); err != nil {
		return 0, err
	}
	q := ftsQuery(query)
	if q == "" {
		var n int
		err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM customers LIMIT ?)`, upTo).Scan(&n)
		if err != nil {
			return 0, fmt.Errorf("count customers: %w", mapError(err))
		}
		return n, nil
	}
	// As in SearchWithin: card matches (at most searchCap), then those
	// matched only in the newest history and notes.
	var cards int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT rowid FROM customer_fts WHERE customer_fts MATCH ? LIMIT ?)`,
		q, searchCap).Scan(&cards); err != nil {
		return 0, fmt.Errorf("search %q: %w", query, mapError(err))
	}
	hq := historyQuery(query)
	if cards >= upTo || hq == "" {
		return min(cards, upTo), nil
	}
	var more int
	if err := s.read.QueryRowContext(ctx, `WITH docs(customer_id) AS (
			SELECT i.customer_id FROM interactions i
			WHERE i.id IN (SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH ?2 ORDER BY rowid DESC LIMIT ?4)
			UNION
			SELECT n.customer_id FROM notes n
			WHERE n.id IN (SELECT rowid FROM note_fts WHERE note_fts MATCH ?2 ORDER BY rowid DESC LIMIT ?4))
		SELECT count(*) FROM docs WHERE customer_id NOT IN (SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?1 LIMIT ?3)`,
		q, hq, searchCap, historyCap).Scan(&more); err != nil {
		return 0, fmt.Errorf("search %q: %w", query, mapError(err))
	}
	return min(cards+more, upTo), nil
}
