package data

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

//go:generate go run ./gen/callingcodes -o callingcodes.go

// CreateCustomer stores a new customer and sets c.ID (and c.UID when empty).
func (s *Store) CreateCustomer(ctx context.Context, c *Customer) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.createCustomer(ctx, tx, c, time.Now()); err != nil {
		return err
	}
	return commit(tx)
}

// UpdateCustomer replaces the contact card of an existing customer. The
// profile, history and notes are not touched.
func (s *Store) UpdateCustomer(ctx context.Context, c *Customer) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.updateCustomer(ctx, tx, c, time.Now()); err != nil {
		return err
	}
	return commit(tx)
}

func commit(tx *Tx) error {
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", mapError(err))
	}
	return nil
}

// NewUID returns a random UUID for a customer's vCard UID.
func NewUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

const cardColumnNames = `uid, prefix, given_name, middle_name, family_name, suffix, formatted_name, display_name,
	sort_name, nickname, company_id, department, title, birthday, anniversary, photo, photo_mime, photo_url, card_note`

// cardColumns tidies and checks a card, gives it a UID and its company, and
// returns the values of cardColumnNames.
func cardColumns(ctx context.Context, tx *Tx, c *Customer) ([]any, error) {
	normalizeCustomer(c)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.UID == "" {
		c.UID = NewUID()
	}
	company, err := companyID(ctx, tx, c.Company)
	if err != nil {
		return nil, err
	}
	return []any{c.UID, c.Prefix, c.GivenName, c.MiddleName, c.FamilyName, c.Suffix,
		c.FormattedName, c.Name(), c.SortName(), c.Nickname, company, c.Department, c.Title,
		c.Birthday.String(), c.Anniversary.String(), nullBytes(c.Photo.Data), c.Photo.MIME, c.Photo.URL, c.CardNote}, nil
}

func (s *Store) createCustomer(ctx context.Context, tx *Tx, c *Customer, now time.Time) error {
	if err := createCard(ctx, tx, c, now); err != nil {
		return err
	}
	return reindexCard(ctx, tx, c.ID)
}

// createCard stores a new card without indexing it: bulk loads index each
// customer once, after everything about them is written.
func createCard(ctx context.Context, tx *Tx, c *Customer, now time.Time) error {
	args, err := cardColumns(ctx, tx, c)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO customers (`+cardColumnNames+`, updated_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, now.Unix(), now.Unix())...)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE constraint failed: customers.uid") {
			return errorf(ErrInvalid, "another customer already has UID %q", c.UID)
		}
		return fmt.Errorf("add customer %s: %w", c.Name(), mapError(err))
	}
	if c.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	c.CreatedAt, c.UpdatedAt = now.Truncate(time.Second), now.Truncate(time.Second)
	return writeCardDetails(ctx, tx, c)
}

func (s *Store) updateCustomer(ctx context.Context, tx *Tx, c *Customer, now time.Time) error {
	if err := updateCard(ctx, tx, c, now); err != nil {
		return err
	}
	return reindexCard(ctx, tx, c.ID)
}

// updateCard replaces a stored card without reindexing it.
func updateCard(ctx context.Context, tx *Tx, c *Customer, now time.Time) error {
	if err := replaceCard(ctx, tx, c, now); err != nil {
		return err
	}
	return deleteOrphanCompanies(ctx, tx)
}

// replaceCard is updateCard leaving a company it emptied in place: the
// orphan check scans every company, so bulk changes run it once at the end.
func replaceCard(ctx context.Context, tx *Tx, c *Customer, now time.Time) error {
	args, err := cardColumns(ctx, tx, c)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE customers SET (`+cardColumnNames+`, updated_at) =
		(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?`, append(args, now.Unix(), c.ID)...)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE constraint failed: customers.uid") {
			return errorf(ErrInvalid, "another customer already has UID %q", c.UID)
		}
		return fmt.Errorf("update customer %d: %w", c.ID, mapError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("customer %d: %w", c.ID, ErrNotFound)
	}
	c.UpdatedAt = now.Truncate(time.Second)
	for _, q := range []string{
		`DELETE FROM contact_points WHERE customer_id = ?`,
		`DELETE FROM addresses WHERE customer_id = ?`,
		`DELETE FROM tags WHERE customer_id = ?`,
		`DELETE FROM extra_properties WHERE customer_id = ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, c.ID); err != nil {
			return fmt.Errorf("update customer %d: %w", c.ID, err)
		}
	}
	return writeCardDetails(ctx, tx, c)
}

func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// normalizeCustomer trims what people type and drops empty entries.
func normalizeCustomer(c *Customer) {
	for _, p := range []*string{&c.Prefix, &c.GivenName, &c.MiddleName, &c.FamilyName, &c.Suffix,
		&c.FormattedName, &c.Nickname, &c.Company, &c.Department, &c.Title, &c.UID} {
		*p = strings.TrimSpace(*p)
	}
	c.Phones = compactLabelled(c.Phones)
	c.Emails = compactLabelled(c.Emails)
	c.URLs = compactLabelled(c.URLs)
	addrs := c.Addresses[:0:0]
	for _, a := range c.Addresses {
		if a.OneLine() != "" {
			addrs = append(addrs, a)
		}
	}
	c.Addresses = addrs
	var tags []string
	seen := map[string]bool{}
	for _, t := range c.Tags {
		t = strings.TrimSpace(t)
		if t != "" && !seen[strings.ToLower(t)] {
			seen[strings.ToLower(t)] = true
			tags = append(tags, t)
		}
	}
	c.Tags = tags
}

func compactLabelled(in []Labelled) []Labelled {
	var out []Labelled
	for _, l := range in {
		l.Value = strings.TrimSpace(l.Value)
		l.Label = strings.TrimSpace(l.Label)
		if l.Value != "" {
			out = append(out, l)
		}
	}
	return out
}

// NormalizePhone keeps the digits (and a leading +) of a phone number: what
// duplicate matching and search compare.
func NormalizePhone(v string) string {
	var b strings.Builder
	for i, r := range v {
		if r >= '0' && r <= '9' || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// PhoneKey is what duplicate matching compares: the national number without
// country code or trunk prefix, so "+44 20 7946 0958", "0044 20 7946 0958"
// and "020 7946 0958" agree. The country code is recognised with
// libphonenumber's table (callingcodes.go, generated from it: the library
// itself decodes all its metadata at start-up); a full parse (regular
// expressions) cost a fifth of an import.
func PhoneKey(v string) string {
	d := NormalizePhone(v)
	international := strings.HasPrefix(d, "+")
	d = strings.TrimPrefix(d, "+")
	if !international && strings.HasPrefix(d, "00") {
		international, d = true, d[2:]
	}
	if international {
		for n := 1; n <= 3 && n < len(d); n++ {
			cc, _ := strconv.Atoi(d[:n])
			if cc < len(callingCodes) && callingCodes[cc] {
				d = d[n:]
				break
			}
		}
	}
	return strings.TrimLeft(d, "0")
}

// NormalizeEmail lower-cases an address for comparison.
func NormalizeEmail(v string) string { return strings.ToLower(strings.TrimSpace(v)) }

func writeCardDetails(ctx context.Context, tx *Tx, c *Customer) error {
	for _, group := range []struct {
		kind string
		list []Labelled
		norm func(string) string
	}{
		{"phone", c.Phones, PhoneKey},
		{"email", c.Emails, NormalizeEmail},
		{"url", c.URLs, strings.TrimSpace},
	} {
		for i, l := range group.list {
			if _, err := tx.ExecContext(ctx, `INSERT INTO contact_points (customer_id, kind, position, label, value, normalized, pref) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				c.ID, group.kind, i, l.Label, l.Value, group.norm(l.Value), l.Pref); err != nil {
				return fmt.Errorf("save %s %q: %w", group.kind, l.Value, err)
			}
		}
	}
	for i, a := range c.Addresses {
		if _, err := tx.ExecContext(ctx, `INSERT INTO addresses (customer_id, position, label, street, locality, region, postcode, country, pref)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, i, a.Label, a.Street, a.Locality, a.Region, a.Postcode, a.Country, a.Pref); err != nil {
			return fmt.Errorf("save address: %w", err)
		}
	}
	for i, t := range c.Tags {
		if _, err := tx.ExecContext(ctx, `INSERT INTO tags (customer_id, position, tag) VALUES (?, ?, ?)`, c.ID, i, t); err != nil {
			return fmt.Errorf("save tag %q: %w", t, err)
		}
	}
	for i, x := range c.Extra {
		if _, err := tx.ExecContext(ctx, `INSERT INTO extra_properties (customer_id, position, raw) VALUES (?, ?, ?)`, c.ID, i, x.Raw); err != nil {
			return fmt.Errorf("save extra property: %w", err)
		}
	}
	for i, raw := range cardRows(c) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO extra_properties (customer_id, position, raw) VALUES (?, ?, ?)`, c.ID, len(c.Extra)+i, raw); err != nil {
			return fmt.Errorf("save the card lines of a phone, e-mail, link or address: %w", err)
		}
	}
	return nil
}

// companyID finds or creates the company of that name; nil for none.
func companyID(ctx context.Context, tx *Tx, name string) (any, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, nil
	}
	if id, ok := tx.companies[name]; ok {
		return id, nil
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM companies WHERE name = ?`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		res, err := tx.ExecContext(ctx, `INSERT INTO companies (name) VALUES (?)`, name)
		if err != nil {
			return nil, fmt.Errorf("add company %q: %w", name, err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, fmt.Errorf("find company %q: %w", name, err)
	}
	if tx.companies == nil {
		tx.companies = map[string]int64{}
	}
	tx.companies[name] = id
	return id, nil
}

func deleteOrphanCompanies(ctx context.Context, tx *Tx) error {
	tx.companies = nil
	_, err := tx.ExecContext(ctx, `DELETE FROM companies WHERE NOT EXISTS (SELECT 1 FROM customers WHERE company_id = companies.id)`)
	return err
}

// Customer loads one customer's contact card.
func (s *Store) Customer(ctx context.Context, id int64) (*Customer, error) {
	return getCustomer(ctx, s.read, id)
}

// queryer is what both *sql.DB and *Tx offer for reads.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func getCustomer(ctx context.Context, q queryer, id int64) (*Customer, error) {
	c := &Customer{ID: id}
	var company, bday, anniv string
	var created, updated int64
	err := q.QueryRowContext(ctx, `SELECT c.uid, c.prefix, c.given_name, c.middle_name, c.family_name, c.suffix,
		c.formatted_name, c.nickname, coalesce(co.name, ''), c.department, c.title, c.birthday, c.anniversary,
		c.photo, c.photo_mime, c.photo_url, c.card_note, c.created_at, c.updated_at
		FROM customers c LEFT JOIN companies co ON co.id = c.company_id WHERE c.id = ?`, id).Scan(
		&c.UID, &c.Prefix, &c.GivenName, &c.MiddleName, &c.FamilyName, &c.Suffix,
		&c.FormattedName, &c.Nickname, &company, &c.Department, &c.Title, &bday, &anniv,
		&c.Photo.Data, &c.Photo.MIME, &c.Photo.URL, &c.CardNote, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("customer %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load customer %d: %w", id, mapError(err))
	}
	c.Company = company
	c.Birthday = StoredDate(bday)
	c.Anniversary = StoredDate(anniv)
	c.CreatedAt, c.UpdatedAt = time.Unix(created, 0), time.Unix(updated, 0)

	rows, err := q.QueryContext(ctx, `SELECT kind, label, value, pref FROM contact_points WHERE customer_id = ? ORDER BY kind, position`, id)
	if err != nil {
		return nil, fmt.Errorf("load customer %d contacts: %w", id, err)
	}
	for rows.Next() {
		var kind string
		var l Labelled
		if err := rows.Scan(&kind, &l.Label, &l.Value, &l.Pref); err != nil {
			rows.Close()
			return nil, err
		}
		switch kind {
		case "phone":
			c.Phones = append(c.Phones, l)
		case "email":
			c.Emails = append(c.Emails, l)
		case "url":
			c.URLs = append(c.URLs, l)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rows, err = q.QueryContext(ctx, `SELECT label, street, locality, region, postcode, country, pref FROM addresses WHERE customer_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, fmt.Errorf("load customer %d addresses: %w", id, err)
	}
	for rows.Next() {
		var a Address
		if err := rows.Scan(&a.Label, &a.Street, &a.Locality, &a.Region, &a.Postcode, &a.Country, &a.Pref); err != nil {
			rows.Close()
			return nil, err
		}
		c.Addresses = append(c.Addresses, a)
	}
	rows.Close()

	if c.Tags, err = queryStrings(ctx, q, `SELECT tag FROM tags WHERE customer_id = ? ORDER BY position`, id); err != nil {
		return nil, err
	}
	extras, err := queryStrings(ctx, q, `SELECT raw FROM extra_properties WHERE customer_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, err
	}
	for _, x := range extras {
		if !takeCardRow(c, x) {
			c.Extra = append(c.Extra, ExtraProperty{Raw: x})
		}
	}
	return c, nil
}

// queryIDs runs a query that returns one ID per row.
func queryIDs(ctx context.Context, q queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// DeleteCustomer forgets a customer completely: card, profile, history,
// notes and their search entries. Deleted content is zeroed in the file
// (secure_delete) and the write-ahead log is truncated, so nothing of them
// remains in the database's free pages.
func (s *Store) DeleteCustomer(ctx context.Context, id int64) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := deleteCustomer(ctx, tx, id); err != nil {
		return err
	}
	if err := deleteOrphanCompanies(ctx, tx); err != nil {
		return err
	}
	if err := commit(tx); err != nil {
		return err
	}
	return s.scrub(ctx)
}

func deleteCustomer(ctx context.Context, tx *Tx, id int64) error {
	for _, q := range []string{
		`DELETE FROM interaction_fts WHERE rowid IN (SELECT id FROM interactions WHERE customer_id = ?)`,
		`DELETE FROM note_fts WHERE rowid IN (SELECT id FROM notes WHERE customer_id = ?)`,
		`DELETE FROM customer_fts WHERE rowid = ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("forget customer %d: %w", id, mapError(err))
		}
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM customers WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete customer %d: %w", id, mapError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("customer %d: %w", id, ErrNotFound)
	}
	return nil
}

// scrub copies the zeroed pages back into the main file and empties the
// write-ahead log, which still holds the old page images.
func (s *Store) scrub(ctx context.Context) error {
	if _, err := s.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("checkpoint after delete: %w", err)
	}
	return nil
}

// CountCustomers returns how many customers there are.
func (s *Store) CountCustomers(ctx context.Context) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM customers`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count customers: %w", mapError(err))
	}
	return n, nil
}

const summaryColumns = `c.id, c.display_name, coalesce(co.name, ''), c.title, coalesce(c.temperature, 0)`

// ListCustomers returns one page of all customers in name order.
func (s *Store) ListCustomers(ctx context.Context, offset, limit int) ([]CustomerSummary, error) {
	// The page is cut from the (sort_name, id) index alone, so a deep offset
	// skips index entries, not joined rows.
	return s.summaries(ctx, `SELECT `+summaryColumns+` FROM
		(SELECT id FROM customers ORDER BY sort_name, id LIMIT ? OFFSET ?) AS page
		JOIN customers c ON c.id = page.id LEFT JOIN companies co ON co.id = c.company_id
		ORDER BY c.sort_name, c.id`, limit, offset)
}

func (s *Store) summaries(ctx context.Context, query string, args ...any) ([]CustomerSummary, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list customers: %w", mapError(err))
	}
	return scanSummaries(rows)
}

func scanSummaries(rows *sql.Rows) ([]CustomerSummary, error) {
	defer rows.Close()
	var out []CustomerSummary
	for rows.Next() {
		var cs CustomerSummary
		if err := rows.Scan(&cs.ID, &cs.Name, &cs.Company, &cs.Title, &cs.Temperature); err != nil {
			return nil, err
		}
		out = append(out, cs)
	}
	return out, rows.Err()
}

// ListByTemperature returns one page of the customers whose temperature
// has been taken, coolest first (at most maxTemp, when maxTemp > 0): whom to
// look after.
func (s *Store) ListByTemperature(ctx context.Context, maxTemp, offset, limit int) ([]CustomerSummary, error) {
	if maxTemp <= 0 {
		maxTemp = 5
	}
	return s.summaries(ctx, `SELECT `+summaryColumns+` FROM customers c LEFT JOIN companies co ON co.id = c.company_id
		WHERE c.temperature IS NOT NULL AND c.temperature <= ? ORDER BY c.temperature, c.sort_name, c.id LIMIT ? OFFSET ?`, maxTemp, limit, offset)
}

// Companies lists companies with how many customers work there.
func (s *Store) Companies(ctx context.Context) ([]Company, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT co.id, co.name, count(c.id) FROM companies co
		LEFT JOIN customers c ON c.company_id = co.id GROUP BY co.id ORDER BY co.name`)
	if err != nil {
		return nil, fmt.Errorf("list companies: %w", mapError(err))
	}
	defer rows.Close()
	var out []Company
	for rows.Next() {
		var c Company
		if err := rows.Scan(&c.ID, &c.Name, &c.People); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ColleagueLimit is how many colleagues a customer page or briefing lists:
// a chain or a hospital group can have thousands, and a screen of them
// helps no one (the rest are a search away).
const ColleagueLimit = 20

// Colleagues lists, in name order, up to limit of the other customers at the
// same company, and how many there are in all.
func (s *Store) Colleagues(ctx context.Context, id int64, limit int) ([]CustomerSummary, int, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, mapError(err)
	}
	defer tx.Rollback()
	return colleagues(ctx, tx, id, limit)
}

func colleagues(ctx context.Context, q queryer, id int64, limit int) ([]CustomerSummary, int, error) {
	var total int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM customers
		WHERE company_id = (SELECT company_id FROM customers WHERE id = ?) AND id <> ?`, id, id).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count colleagues of customer %d: %w", id, mapError(err))
	}
	if total == 0 || limit <= 0 {
		return nil, total, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT `+summaryColumns+` FROM customers c JOIN companies co ON co.id = c.company_id
		WHERE c.company_id = (SELECT company_id FROM customers WHERE id = ?) AND c.id <> ? ORDER BY c.sort_name, c.id LIMIT ?`, id, id, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("load colleagues of customer %d: %w", id, mapError(err))
	}
	out, err := scanSummaries(rows)
	return out, total, err
}
