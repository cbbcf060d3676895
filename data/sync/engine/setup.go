package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/dav"
)

// Setup is what Configure found and chose.
type Setup struct {
	Book, BookName string
	// Created says the address book was made by this set-up.
	Created bool
	// Calendar is the calendar's path ("" when the server has no CalDAV)
	// and CalendarHow how it was found or made.
	Calendar, CalendarHow string
	Notes                 []string
}

// DefaultCalendar is the calendar Rapport uses for visits, follow-ups,
// interactions and concerns.
const DefaultCalendar = "Rapport"

// calendarCollection finds or makes the Rapport calendar; nil (with a
// note) when the server has no CalDAV.
func calendarCollection(ctx context.Context, client *dav.Client, acct *dav.Account) (*data.SyncCollection, string, error) {
	ci, err := client.EnsureCalendar(ctx, acct, DefaultCalendar)
	if err != nil || ci == nil {
		return nil, "", err
	}
	return &data.SyncCollection{Kind: data.KindCalendar, Href: ci.Path, Name: DefaultCalendar,
		Components: strings.Join(ci.Components, ",")}, string(ci.How), nil
}

// Test finds the user's address books from a plain server URL, without
// storing anything ("Test connection").
func Test(ctx context.Context, url, user string, opt Options) (*dav.Account, error) {
	client, err := Connect(url, user, opt)
	if err != nil {
		return nil, err
	}
	return client.Discover(ctx)
}

// Configure discovers the server, chooses the address book called book
// (DefaultBook when ""), creating it when missing, and stores the account.
// The password is not stored here: the caller keeps it in the keyring.
func Configure(ctx context.Context, store *data.Store, url, user, book string, opt Options) (*Setup, error) {
	if strings.TrimSpace(user) == "" {
		return nil, errors.New("set up sync: a user name is needed")
	}
	if book == "" {
		book = DefaultBook
	}
	client, err := Connect(url, user, opt)
	if err != nil {
		return nil, err
	}
	acct, err := client.Discover(ctx)
	if err != nil {
		return nil, err
	}
	href, how, err := client.EnsureAddressBook(ctx, acct, book)
	if err != nil {
		return nil, err
	}
	cols := []data.SyncCollection{{Kind: data.KindContacts, Href: href, Name: book}}
	cal, calHow, err := calendarCollection(ctx, client, acct)
	if err != nil {
		return nil, err
	}
	st := &Setup{Book: href, BookName: book, Created: how != dav.Found}
	if cal != nil {
		cols = append(cols, *cal)
		st.Calendar, st.CalendarHow = cal.Href, calHow
	}
	if err = store.SetSyncAccount(ctx, data.SyncAccount{URL: strings.TrimSpace(url), User: user, Collections: cols}); err != nil {
		return nil, err
	}
	st.Notes = acct.Notes
	return st, nil
}

// State is the sync status for the footer and `rapport sync --status`.
type State struct {
	Configured bool
	URL, User  string
	Book       string
	Calendar   string    // "" when no calendar is synced
	LastSync   time.Time // zero: never
	LastError  string
	Waiting    int
	Conflicts  int
}

// Status reads the sync state; no network.
func Status(ctx context.Context, store *data.Store) (*State, error) {
	st := &State{}
	acct, err := store.SyncAccount(ctx)
	if errors.Is(err, data.ErrNoSync) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	st.Configured, st.URL, st.User = true, acct.URL, acct.User
	if c := acct.Collection(data.KindContacts); c != nil {
		st.Book, st.LastSync, st.LastError = c.Href, c.LastSync, c.LastError
	}
	if c := acct.Collection(data.KindCalendar); c != nil {
		st.Calendar = c.Href
		if st.LastError == "" {
			st.LastError = c.LastError
		}
	}
	if st.Waiting, err = store.PendingCount(ctx); err != nil {
		return nil, err
	}
	cs, err := store.SyncConflicts(ctx)
	if err != nil {
		return nil, err
	}
	st.Conflicts = len(cs)
	return st, nil
}

// Conflict is an open conflict as the user sees it.
type Conflict struct {
	ID    int64
	UID   string
	Name  string // the customer
	Field string
	// Mine and Theirs are the field's values here and on the server, in
	// words ("" for none).
	Mine, Theirs string
}

// Conflicts lists the open conflicts with both values.
func Conflicts(ctx context.Context, store *data.Store) ([]Conflict, error) {
	list, err := store.SyncConflicts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Conflict, 0, len(list))
	for _, c := range list {
		if c.Kind == data.KindCalendar {
			out = append(out, describeItem(ctx, store, c))
			continue
		}
		out = append(out, describe(c))
	}
	return out, nil
}

// describeItem is describe for a calendar item's conflict.
func describeItem(ctx context.Context, store *data.Store, c data.SyncConflict) Conflict {
	out := Conflict{ID: c.ID, UID: c.UID, Field: c.Field}
	var kind string
	if it, err := store.CalItemByUID(ctx, c.UID); err == nil {
		out.Name, kind = it.CustomerName, it.Kind
	}
	theirs := itemOf(c.Theirs)
	if theirs != nil && kind == "" {
		kind = theirs.Kind
	}
	if kind != "" {
		out.Name = strings.TrimSpace(out.Name + " (" + kind + ")")
	}
	if c.Field == data.FieldDeleted {
		out.Mine = "deleted here"
		if theirs != nil {
			out.Theirs = "changed on the server: " + theirs.Fields[data.FieldSummary] + theirs.Fields[data.FieldText] + theirs.Fields[data.FieldPurpose]
		}
		return out
	}
	if mine := itemOf(c.Mine); mine != nil {
		out.Mine = fieldWords(c.Field, mine.Fields[c.Field])
	}
	if theirs != nil {
		out.Theirs = fieldWords(c.Field, theirs.Fields[c.Field])
	}
	return out
}

// fieldWords writes an item's field value for a person: times in this
// machine's zone, flags as yes or no.
func fieldWords(field, v string) string {
	switch field {
	case data.FieldStart, data.FieldDone, data.FieldAt, data.FieldConfirmed, data.FieldResolved, data.FieldCreated:
		if t, err := data.ParseTime(v); err == nil && !t.IsZero() {
			return t.Local().Format("2006-01-02 15:04")
		}
	case data.FieldPromise, data.FieldHeardConfirmed:
		if v == "1" {
			return "yes"
		}
		return "no"
	case data.FieldMinutes, data.FieldAlarm:
		if v != "" {
			return v + " min"
		}
	}
	return v
}

func itemOf(text string) *data.CalItem {
	cal, err := calParse(text)
	if err != nil {
		return nil
	}
	it, err := calDecode(cal)
	if err != nil {
		return nil
	}
	return it
}

func describe(c data.SyncConflict) Conflict {
	out := Conflict{ID: c.ID, UID: c.UID, Name: c.Name, Field: c.Field}
	theirs, terr := decode(c.Theirs)
	if c.Field == data.FieldDeleted {
		out.Mine = "deleted here"
		if terr == nil {
			out.Theirs = "changed on the server: " + summary(&theirs.Customer)
			if out.Name == "" {
				out.Name = theirs.Customer.Name()
			}
		}
		return out
	}
	f := fieldNamed(c.Field)
	if f == nil {
		return out
	}
	if mine, err := decode(c.Mine); err == nil {
		out.Mine = show(f, &record{c: mine.Customer, p: mine.Profile})
	}
	if terr == nil {
		out.Theirs = show(f, &record{c: theirs.Customer, p: theirs.Profile})
	}
	return out
}

func summary(c *data.Customer) string {
	parts := []string{c.Name()}
	if c.Company != "" {
		parts = append(parts, c.Company)
	}
	for _, p := range c.Phones {
		parts = append(parts, p.Value)
	}
	for _, e := range c.Emails {
		parts = append(parts, e.Value)
	}
	return strings.Join(parts, ", ")
}

// show gives a field's value in words.
func show(f *field, r *record) string {
	c := &r.c
	switch f.name {
	case "name":
		return c.Name()
	case "nickname":
		return c.Nickname
	case "company":
		return strings.Trim(c.Company+", "+c.Department, ", ")
	case "title":
		return c.Title
	case "birthday":
		return c.Birthday.String()
	case "anniversary":
		return c.Anniversary.String()
	case "photo":
		switch {
		case len(c.Photo.Data) > 0:
			return fmt.Sprintf("a %s picture of %d bytes", c.Photo.MIME, len(c.Photo.Data))
		case c.Photo.URL != "":
			return c.Photo.URL
		}
		return ""
	case "note":
		return c.CardNote
	}
	return strings.Join(f.items(r), "; ")
}

// Keep says which side a resolve keeps.
type Keep int

// Sides of a conflict.
const (
	KeepMine Keep = iota
	KeepTheirs
)

// Resolve settles one conflict here; the next sync sends the result.
func Resolve(ctx context.Context, store *data.Store, id int64, keep Keep) error {
	list, err := store.SyncConflicts(ctx)
	if err != nil {
		return err
	}
	var c *data.SyncConflict
	for i := range list {
		if list[i].ID == id {
			c = &list[i]
		}
	}
	if c == nil {
		return fmt.Errorf("conflict %d: %w (rapport sync --status lists the open ones)", id, data.ErrNotFound)
	}
	ch := data.SyncChange{UID: c.UID, ResolvedConflict: c.ID, Pending: data.PendingMark}
	kind := data.KindContacts
	if c.Kind == data.KindCalendar {
		kind = data.KindCalendar
	}
	ch.Kind = kind
	if acct, err := store.SyncAccount(ctx); err == nil {
		if col := acct.Collection(kind); col != nil {
			ch.Collection = col.ID
		}
	}
	if kind == data.KindCalendar {
		return resolveItem(ctx, store, c, ch, keep)
	}
	theirs, err := decode(c.Theirs)
	if err != nil {
		return fmt.Errorf("conflict %d: the server's copy: %w", id, err)
	}
	if c.Field == data.FieldDeleted {
		if keep == KeepMine {
			ch.Pending = data.PendingDelete
		} else {
			ch.Write, ch.Profile, ch.Pending = &theirs.Customer, &theirs.Profile, data.PendingClear
		}
		return store.ApplySync(ctx, ch)
	}
	if keep == KeepTheirs {
		f := fieldNamed(c.Field)
		if f == nil {
			return fmt.Errorf("conflict %d: unknown field %q", id, c.Field)
		}
		local, lp, err := store.CustomerByUID(ctx, c.UID)
		if err != nil {
			return err
		}
		r := &record{c: *local, p: *data.Shareable(lp)}
		f.set(r, &record{c: theirs.Customer, p: theirs.Profile})
		ch.Write, ch.Profile = &r.c, &r.p
	}
	return store.ApplySync(ctx, ch)
}

// resolveItem settles a calendar item's conflict.
func resolveItem(ctx context.Context, store *data.Store, c *data.SyncConflict, ch data.SyncChange, keep Keep) error {
	theirs := itemOf(c.Theirs)
	if theirs == nil {
		return fmt.Errorf("conflict %d: the server's copy cannot be read", c.ID)
	}
	if c.Field == data.FieldDeleted {
		if keep == KeepMine {
			ch.Pending = data.PendingDelete
		} else {
			theirs.UID = c.UID
			ch.Cal, ch.Pending = theirs, data.PendingClear
		}
		return store.ApplySync(ctx, ch)
	}
	if keep == KeepTheirs {
		local, err := store.CalItemByUID(ctx, c.UID)
		if err != nil {
			return err
		}
		local.Fields[c.Field] = theirs.Fields[c.Field]
		ch.Cal = local
	}
	return store.ApplySync(ctx, ch)
}
