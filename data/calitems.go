package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"os"
	"strconv"
	"strings"
	"time"
)

// Calendar items: what sync part 2 sends to a CalDAV calendar. A planned
// visit, a follow-up, a logged interaction and a concern are each one item
// with a UID of its own (migration 0006). The engine sees an item as named
// fields in text, so one three-way merge serves every kind; this file maps
// the fields to and from the tables.

// KindCalendar is the collection kind of the calendar all items go to.
const KindCalendar = "calendar"

// Item kinds.
const (
	ItemVisit       = "visit"
	ItemFollowUp    = "followup"
	ItemInteraction = "interaction"
	ItemConcern     = "concern"
)

// ItemKinds lists the item kinds in the order a sync applies them: concerns
// and interactions first, so the follow-ups and interactions that name them
// find them.
var ItemKinds = []string{ItemConcern, ItemInteraction, ItemFollowUp, ItemVisit}

// The fields of each kind. Times are RFC 3339 in UTC ("2026-12-02T09:30:00Z"),
// days YYYY-MM-DD, flags "1" or "", links to other items their UIDs. Every
// kind has FieldCustomer, the vCard UID of its customer.
const (
	FieldCustomer = "customer"
	// visit
	FieldStart   = "start"
	FieldMinutes = "minutes"
	FieldPurpose = "purpose"
	FieldZone    = "tz"    // IANA zone the visit was planned in, "" for local
	FieldAlarm   = "alarm" // minutes before, "" for none
	FieldRRule   = "rrule"
	// follow-up
	FieldText        = "text" // also concern
	FieldDue         = "due"
	FieldDone        = "done"
	FieldPromise     = "promise"
	FieldInteraction = "interaction"
	// interaction
	FieldKind           = "kind"
	FieldAt             = "at"
	FieldDuration       = "duration" // seconds
	FieldSummary        = "summary"
	FieldNotes          = "notes"
	FieldTemperature    = "temperature"
	FieldTempConcern    = "temp_concern"
	FieldTempComment    = "temp_comment"
	FieldHeard          = "heard"
	FieldHeardConfirmed = "heard_confirmed"
	// concern
	FieldRank      = "rank"
	FieldConfirmed = "confirmed"
	FieldResolved  = "resolved"
	FieldCreated   = "created"
)

// ItemFields are the fields of each kind, in the order they are shown.
var ItemFields = map[string][]string{
	ItemVisit:       {FieldCustomer, FieldStart, FieldMinutes, FieldPurpose, FieldZone, FieldAlarm, FieldRRule},
	ItemFollowUp:    {FieldCustomer, FieldText, FieldDue, FieldDone, FieldPromise, FieldInteraction},
	ItemInteraction: {FieldCustomer, FieldKind, FieldAt, FieldDuration, FieldSummary, FieldNotes, FieldTemperature, FieldTempConcern, FieldTempComment, FieldHeard, FieldHeardConfirmed},
	ItemConcern:     {FieldCustomer, FieldText, FieldRank, FieldConfirmed, FieldResolved, FieldCreated},
}

// CalItem is one calendar item as the sync engine sees it.
type CalItem struct {
	Kind   string
	UID    string
	Fields map[string]string
	// CustomerName is the customer's name here (read only).
	CustomerName string
	// Origin is the client that last changed it elsewhere ("" when the last
	// change was made here).
	Origin string
}

// Clone copies the item, its fields too.
func (it *CalItem) Clone() *CalItem {
	c := *it
	c.Fields = maps.Clone(it.Fields)
	return &c
}

var itemTables = map[string]string{
	ItemVisit: "planned_visits", ItemFollowUp: "followups", ItemInteraction: "interactions", ItemConcern: "concerns",
}

// FormatTime is a field's form of an instant.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// ParseTime reads FormatTime's form ("" is the zero time).
func ParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339, s)
}

func unixField(v sql.NullInt64) string {
	if !v.Valid || v.Int64 == 0 {
		return ""
	}
	return FormatTime(time.Unix(v.Int64, 0))
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return ""
}

// LocalZone is the IANA name of this machine's time zone ("" when it
// cannot be told, e.g. on Windows): a visit planned here is planned in it.
func LocalZone() string {
	if tz := os.Getenv("TZ"); tz != "" {
		if _, err := time.LoadLocation(strings.TrimPrefix(tz, ":")); err == nil {
			return strings.TrimPrefix(tz, ":")
		}
	}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if i := strings.Index(target, "zoneinfo/"); i >= 0 {
			name := target[i+len("zoneinfo/"):]
			if _, err := time.LoadLocation(name); err == nil {
				return name
			}
		}
	}
	if b, err := os.ReadFile("/etc/timezone"); err == nil {
		name := strings.TrimSpace(string(b))
		if _, err := time.LoadLocation(name); err == nil && name != "" {
			return name
		}
	}
	return ""
}

// CalItemByUID loads a calendar item; ErrNotFound when there is none.
func (s *Store) CalItemByUID(ctx context.Context, uid string) (*CalItem, error) {
	it, err := readCalItem(ctx, s.read, uid)
	if err != nil {
		return nil, fmt.Errorf("read calendar item %s: %w", uid, err)
	}
	return it, nil
}

func readCalItem(ctx context.Context, q queryer, uid string) (*CalItem, error) {
	for _, kind := range ItemKinds {
		it, err := readKind(ctx, q, kind, uid)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, mapError(err)
		}
		return it, nil
	}
	return nil, ErrNotFound
}

func readKind(ctx context.Context, q queryer, kind, uid string) (*CalItem, error) {
	it := &CalItem{Kind: kind, UID: uid, Fields: map[string]string{}}
	f := it.Fields
	var cust string
	switch kind {
	case ItemVisit:
		var at, minutes int64
		var alarm sql.NullInt64
		var purpose, tz, rrule string
		err := q.QueryRowContext(ctx, `SELECT cu.uid, cu.display_name, v.origin, v.at, v.minutes, v.purpose, v.tz, v.alarm_minutes, v.rrule
			FROM planned_visits v JOIN customers cu ON cu.id = v.customer_id WHERE v.uid = ?`, uid).
			Scan(&cust, &it.CustomerName, &it.Origin, &at, &minutes, &purpose, &tz, &alarm, &rrule)
		if err != nil {
			return nil, err
		}
		if tz == "" {
			tz = LocalZone()
		}
		f[FieldStart], f[FieldMinutes], f[FieldPurpose], f[FieldZone], f[FieldRRule] = FormatTime(time.Unix(at, 0)), intField(minutes), purpose, tz, rrule
		if alarm.Valid {
			f[FieldAlarm] = strconv.FormatInt(alarm.Int64, 10)
		}
	case ItemFollowUp:
		var promise bool
		var text, due, inter string
		var done sql.NullInt64
		err := q.QueryRowContext(ctx, `SELECT cu.uid, cu.display_name, f.origin, f.promise, f.text, f.due, f.done_at, coalesce(i.uid, '')
			FROM followups f JOIN customers cu ON cu.id = f.customer_id LEFT JOIN interactions i ON i.id = f.interaction_id
			WHERE f.uid = ?`, uid).Scan(&cust, &it.CustomerName, &it.Origin, &promise, &text, &due, &done, &inter)
		if err != nil {
			return nil, err
		}
		f[FieldText], f[FieldDue], f[FieldDone], f[FieldPromise], f[FieldInteraction] = text, due, unixField(done), flag(promise), inter
	case ItemInteraction:
		var at, dur int64
		var temp sql.NullInt64
		var k, summary, notes, concern, comment, heard string
		var confirmed bool
		err := q.QueryRowContext(ctx, `SELECT cu.uid, cu.display_name, i.origin, i.kind, i.at, i.duration_s, i.summary, i.notes,
			i.temperature, coalesce(c.uid, ''), i.temp_comment, i.heard, i.heard_confirmed
			FROM interactions i JOIN customers cu ON cu.id = i.customer_id LEFT JOIN concerns c ON c.id = i.temp_concern_id
			WHERE i.uid = ?`, uid).Scan(&cust, &it.CustomerName, &it.Origin, &k, &at, &dur, &summary, &notes, &temp, &concern, &comment, &heard, &confirmed)
		if err != nil {
			return nil, err
		}
		f[FieldKind], f[FieldAt], f[FieldDuration], f[FieldSummary], f[FieldNotes] = k, FormatTime(time.Unix(at, 0)), intField(dur), summary, notes
		if temp.Valid {
			f[FieldTemperature] = strconv.FormatInt(temp.Int64, 10)
		} else {
			f[FieldTemperature] = ""
		}
		f[FieldTempConcern], f[FieldTempComment], f[FieldHeard], f[FieldHeardConfirmed] = concern, comment, heard, flag(confirmed)
	case ItemConcern:
		var text string
		var rank int64
		var confirmed, created int64
		var resolved sql.NullInt64
		err := q.QueryRowContext(ctx, `SELECT cu.uid, cu.display_name, c.origin, c.text, c.rank, c.confirmed_at, c.resolved_at, c.created_at
			FROM concerns c JOIN customers cu ON cu.id = c.customer_id WHERE c.uid = ?`, uid).
			Scan(&cust, &it.CustomerName, &it.Origin, &text, &rank, &confirmed, &resolved, &created)
		if err != nil {
			return nil, err
		}
		f[FieldText], f[FieldRank], f[FieldConfirmed], f[FieldResolved], f[FieldCreated] = text, intField(rank), FormatTime(time.Unix(confirmed, 0)), unixField(resolved), FormatTime(time.Unix(created, 0))
	default:
		return nil, fmt.Errorf("unknown item kind %q", kind)
	}
	f[FieldCustomer] = cust
	return it, nil
}

func intField(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// CalItemUIDs lists the UIDs of every calendar item, for a first sync.
func (s *Store) CalItemUIDs(ctx context.Context) ([]string, error) {
	var out []string
	for _, kind := range ItemKinds {
		uids, err := queryStrings(ctx, s.read, `SELECT uid FROM `+itemTables[kind]+` WHERE uid <> '' ORDER BY id`)
		if err != nil {
			return nil, fmt.Errorf("list calendar items: %w", mapError(err))
		}
		out = append(out, uids...)
	}
	return out, nil
}

// ErrNoCustomer means a calendar item names a customer not here.
var ErrNoCustomer = errors.New("its customer is not in this database")

// writeCalItem stores it (created when its UID is new, else changed in
// place) and keeps what depends on it up to date: the customer's last
// contact and temperature, and the search index.
func writeCalItem(ctx context.Context, tx *Tx, it *CalItem) error {
	f := it.Fields
	var custID int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM customers WHERE uid = ?`, f[FieldCustomer]).Scan(&custID)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s %s: customer UID %q: %w", it.Kind, it.UID, f[FieldCustomer], ErrNoCustomer)
	}
	if err != nil {
		return mapError(err)
	}
	table := itemTables[it.Kind]
	if table == "" {
		return fmt.Errorf("unknown item kind %q", it.Kind)
	}
	var id, oldCust int64
	err = tx.QueryRowContext(ctx, `SELECT id, customer_id FROM `+table+` WHERE uid = ?`, it.UID).Scan(&id, &oldCust)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return mapError(err)
	}
	// Another kind with the same UID (a client turned a task into an
	// event): the item is what it is now.
	for _, k := range ItemKinds {
		if k != it.Kind {
			if err := deleteKind(ctx, tx, k, it.UID); err != nil {
				return err
			}
		}
	}
	bad := func(field string, err error) error {
		return fmt.Errorf("%s %s: field %s %q: %w", it.Kind, it.UID, field, f[field], err)
	}
	num := func(field string) (sql.NullInt64, error) {
		if f[field] == "" {
			return sql.NullInt64{}, nil
		}
		n, err := strconv.ParseInt(f[field], 10, 64)
		if err != nil {
			return sql.NullInt64{}, bad(field, err)
		}
		return sql.NullInt64{Int64: n, Valid: true}, nil
	}
	instant := func(field string) (sql.NullInt64, error) {
		t, err := ParseTime(f[field])
		if err != nil {
			return sql.NullInt64{}, bad(field, err)
		}
		if t.IsZero() {
			return sql.NullInt64{}, nil
		}
		return sql.NullInt64{Int64: t.Unix(), Valid: true}, nil
	}
	ref := func(table, uid string) (any, error) {
		if uid == "" {
			return nil, nil
		}
		var rid int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM `+table+` WHERE uid = ?`, uid).Scan(&rid)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil // not here (yet): the link is dropped, the item kept
		}
		if err != nil {
			return nil, mapError(err)
		}
		return rid, nil
	}
	var q string
	var args []any
	switch it.Kind {
	case ItemVisit:
		at, err := instant(FieldStart)
		if err != nil {
			return err
		}
		if !at.Valid {
			return bad(FieldStart, errors.New("a visit needs a start"))
		}
		minutes, err := num(FieldMinutes)
		if err != nil {
			return err
		}
		alarm, err := num(FieldAlarm)
		if err != nil {
			return err
		}
		if f[FieldZone] != "" {
			if _, err := time.LoadLocation(f[FieldZone]); err != nil {
				return bad(FieldZone, err)
			}
		}
		q = `customer_id = ?, at = ?, minutes = ?, purpose = ?, tz = ?, alarm_minutes = ?, rrule = ?, origin = ?`
		args = []any{custID, at.Int64, minutes.Int64, f[FieldPurpose], f[FieldZone], alarm, f[FieldRRule], it.Origin}
	case ItemFollowUp:
		due, err := ParseDate(f[FieldDue])
		if err != nil || due.IsZero() {
			return bad(FieldDue, fmt.Errorf("a follow-up needs a day (YYYY-MM-DD): %v", err))
		}
		done, err := instant(FieldDone)
		if err != nil {
			return err
		}
		inter, err := ref("interactions", f[FieldInteraction])
		if err != nil {
			return err
		}
		if strings.TrimSpace(f[FieldText]) == "" {
			return bad(FieldText, errors.New("a follow-up needs a text"))
		}
		q = `customer_id = ?, interaction_id = ?, promise = ?, text = ?, due = ?, done_at = ?, origin = ?`
		args = []any{custID, inter, f[FieldPromise] == "1", f[FieldText], due.String(), done, it.Origin}
	case ItemInteraction:
		at, err := instant(FieldAt)
		if err != nil {
			return err
		}
		if !at.Valid {
			return bad(FieldAt, errors.New("an interaction needs a time"))
		}
		dur, err := num(FieldDuration)
		if err != nil {
			return err
		}
		temp, err := num(FieldTemperature)
		if err != nil {
			return err
		}
		if temp.Valid && (temp.Int64 < 1 || temp.Int64 > 5) {
			return bad(FieldTemperature, errors.New("a temperature is 1 to 5"))
		}
		concern, err := ref("concerns", f[FieldTempConcern])
		if err != nil {
			return err
		}
		kind := f[FieldKind]
		switch kind {
		case "visit", "call", "email", "meeting", "other":
		default:
			kind = "other"
		}
		q = `customer_id = ?, kind = ?, at = ?, duration_s = ?, summary = ?, notes = ?, temperature = ?, temp_concern_id = ?,
			temp_comment = ?, heard = ?, heard_confirmed = ?, origin = ?`
		args = []any{custID, kind, at.Int64, dur.Int64, f[FieldSummary], f[FieldNotes], temp, concern,
			f[FieldTempComment], f[FieldHeard], f[FieldHeardConfirmed] == "1", it.Origin}
	case ItemConcern:
		rank, err := num(FieldRank)
		if err != nil {
			return err
		}
		confirmed, err := instant(FieldConfirmed)
		if err != nil {
			return err
		}
		resolved, err := instant(FieldResolved)
		if err != nil {
			return err
		}
		created, err := instant(FieldCreated)
		if err != nil {
			return err
		}
		now := time.Now().Unix()
		if !created.Valid {
			created = sql.NullInt64{Int64: now, Valid: true}
		}
		if !confirmed.Valid {
			confirmed = created
		}
		if strings.TrimSpace(f[FieldText]) == "" {
			return bad(FieldText, errors.New("a concern needs a text"))
		}
		q = `customer_id = ?, text = ?, rank = ?, confirmed_at = ?, resolved_at = ?, created_at = ?, origin = ?`
		args = []any{custID, f[FieldText], rank.Int64, confirmed.Int64, resolved, created.Int64, it.Origin}
	}
	if id == 0 {
		cols, marks := insertColumns(q)
		if it.Kind == ItemFollowUp {
			cols, marks = cols+", created_at", marks+", ?"
			args = append(args, time.Now().Unix())
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (uid, `+cols+`) VALUES (?, `+marks+`)`, append([]any{it.UID}, args...)...)
		if err != nil {
			return fmt.Errorf("%s %s: %w", it.Kind, it.UID, mapError(err))
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
	} else if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET `+q+` WHERE id = ?`, append(args, id)...); err != nil {
		return fmt.Errorf("%s %s: %w", it.Kind, it.UID, mapError(err))
	}
	if it.Kind == ItemInteraction {
		for _, c := range []int64{custID, oldCust} {
			if c != 0 {
				if err := refreshContactStats(ctx, tx, c); err != nil {
					return err
				}
			}
		}
		return indexDoc(ctx, tx, "interaction_fts", id, f[FieldSummary], f[FieldNotes], f[FieldHeard], f[FieldTempComment])
	}
	return nil
}

// insertColumns turns "a = ?, b = ?" into "a, b" and "?, ?".
func insertColumns(set string) (cols, marks string) {
	parts := strings.Split(set, ",")
	var c, m []string
	for _, p := range parts {
		c = append(c, strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(p), "= ?")))
		m = append(m, "?")
	}
	return strings.Join(c, ", "), strings.Join(m, ", ")
}

// deleteCalItem forgets the item with uid, whatever its kind.
func deleteCalItem(ctx context.Context, tx *Tx, uid string) error {
	for _, k := range ItemKinds {
		if err := deleteKind(ctx, tx, k, uid); err != nil {
			return err
		}
	}
	return nil
}

func deleteKind(ctx context.Context, tx *Tx, kind, uid string) error {
	table := itemTables[kind]
	var id, cust int64
	err := tx.QueryRowContext(ctx, `SELECT id, customer_id FROM `+table+` WHERE uid = ?`, uid).Scan(&id, &cust)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return mapError(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete %s %s: %w", kind, uid, mapError(err))
	}
	if kind == ItemInteraction {
		if err := unindexDoc(ctx, tx, "interaction_fts", id); err != nil {
			return err
		}
		return refreshContactStats(ctx, tx, cust)
	}
	return nil
}

// CustomerForItem finds the customer an item made by another client is
// about (a visit planned in the phone's calendar names no vCard UID): the
// one customer with one of the e-mail addresses, else the one whose full
// name the text holds (the longest such name; "" when two tie or none).
func (s *Store) CustomerForItem(ctx context.Context, emails []string, text string) (string, error) {
	if len(emails) > 0 {
		keys := make([]any, 0, len(emails))
		marks := make([]string, 0, len(emails))
		for _, e := range emails {
			if k := NormalizeEmail(e); k != "" {
				keys, marks = append(keys, k), append(marks, "?")
			}
		}
		if len(keys) > 0 {
			uids, err := queryStrings(ctx, s.read, `SELECT DISTINCT cu.uid FROM contact_points cp JOIN customers cu ON cu.id = cp.customer_id
				WHERE cp.kind = 'email' AND cp.normalized IN (`+strings.Join(marks, ", ")+`)`, keys...)
			if err != nil {
				return "", fmt.Errorf("match an item to a customer: %w", mapError(err))
			}
			if len(uids) == 1 {
				return uids[0], nil
			}
		}
	}
	text = strings.ToLower(text)
	if strings.TrimSpace(text) == "" {
		return "", nil
	}
	rows, err := s.read.QueryContext(ctx, `SELECT uid, display_name FROM customers
		WHERE length(display_name) >= 4 AND instr(?, lower(display_name)) > 0 ORDER BY length(display_name) DESC LIMIT 2`, text)
	if err != nil {
		return "", fmt.Errorf("match an item to a customer: %w", mapError(err))
	}
	defer rows.Close()
	var uids, names []string
	for rows.Next() {
		var u, n string
		if err := rows.Scan(&u, &n); err != nil {
			return "", err
		}
		uids, names = append(uids, u), append(names, n)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	if len(uids) == 0 || (len(uids) == 2 && len(names[0]) == len(names[1])) {
		return "", nil
	}
	return uids[0], nil
}
