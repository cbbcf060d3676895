package engine

import (
	"context"
	"errors"
	"strings"

	"github.com/emersion/go-ical"
	govcard "github.com/emersion/go-vcard"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/dav"
)

// kind is what differs between collections: how their items are listed,
// fetched, read, merged and written. Pull, push, the 412 retry, pending
// records, conflicts and counts are the engine's, the same for all.
type kind interface {
	ext() string
	contentType() string
	list(ctx context.Context, r *run) (*dav.SyncResult, error)
	fetch(ctx context.Context, r *run, hrefs []string) ([]remote, error)
	// fetchAll fetches the whole collection in one request.
	fetchAll(ctx context.Context, r *run) ([]remote, error)
	get(ctx context.Context, r *run, href string) (*remote, error)
	// remoteChange works out what a fetched item changes here; nil when nothing.
	remoteChange(ctx context.Context, r *run, o remote) (*data.SyncChange, string, error)
	// local says whether the item is here, and its name for messages.
	local(ctx context.Context, r *run, uid string) (name string, here bool, err error)
	// localText is the item as it is to be sent (fields in conflict keep
	// the server's value); found false when it is no longer here.
	localText(ctx context.Context, r *run, uid string, item *data.SyncItem, open map[string]bool) (text string, found bool, err error)
}

// remote is one item as fetched: a card or a calendar object.
type remote struct {
	Href, ETag string
	Card       govcard.Card
	Cal        *ical.Calendar
}

// cardKind: customers as vCards in an address book.
type cardKind struct{}

func (cardKind) ext() string         { return ".vcf" }
func (cardKind) contentType() string { return govcard.MIMEType + "; charset=utf-8" }

func (cardKind) list(ctx context.Context, r *run) (*dav.SyncResult, error) {
	return r.client.Sync(ctx, r.col.Href, r.col.Token)
}

func (cardKind) fetch(ctx context.Context, r *run, hrefs []string) ([]remote, error) {
	return cardRemotes(r.client.MultiGet(ctx, r.col.Href, hrefs))
}

func cardRemotes(objs []dav.Object, err error) ([]remote, error) {
	if err != nil {
		return nil, err
	}
	out := make([]remote, len(objs))
	for i, o := range objs {
		out[i] = remote{Href: o.Href, ETag: o.ETag, Card: o.Card}
	}
	return out, nil
}

func (cardKind) fetchAll(ctx context.Context, r *run) ([]remote, error) {
	return cardRemotes(r.client.QueryAddressBook(ctx, r.col.Href))
}

func (cardKind) get(ctx context.Context, r *run, href string) (*remote, error) {
	o, err := r.client.Get(ctx, href)
	if err != nil {
		return nil, err
	}
	return &remote{Href: o.Href, ETag: o.ETag, Card: o.Card}, nil
}

func (cardKind) local(ctx context.Context, r *run, uid string) (string, bool, error) {
	c, _, err := r.store.CustomerByUID(ctx, uid)
	if errors.Is(err, data.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return c.Name(), true, nil
}

func (cardKind) localText(ctx context.Context, r *run, uid string, item *data.SyncItem, open map[string]bool) (string, bool, error) {
	local, lp, err := r.store.CustomerByUID(ctx, uid)
	if errors.Is(err, data.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	out := record{c: *local, p: *data.Shareable(lp)}
	if item != nil && len(open) > 0 {
		// A field in conflict keeps the server's value there until the user picks.
		b, err := decode(item.Base)
		if err != nil {
			return "", false, err
		}
		base := &record{c: b.Customer, p: b.Profile}
		for _, f := range fields {
			if open[f.name] {
				f.set(&out, base)
			}
		}
	}
	text, err := encode(&out.c, &out.p)
	return text, err == nil, err
}

// calKind: visits, follow-ups, interactions and concerns in a calendar.
type calKind struct {
	journal bool // the calendar takes VJOURNAL
}

func (*calKind) ext() string         { return ".ics" }
func (*calKind) contentType() string { return ical.MIMEType + "; charset=utf-8" }

func (*calKind) list(ctx context.Context, r *run) (*dav.SyncResult, error) {
	return r.client.SyncCalendar(ctx, r.col.Href, r.col.Token)
}

func (*calKind) fetch(ctx context.Context, r *run, hrefs []string) ([]remote, error) {
	return calRemotes(r.client.MultiGetCalendar(ctx, r.col.Href, hrefs))
}

func calRemotes(objs []dav.CalObject, err error) ([]remote, error) {
	if err != nil {
		return nil, err
	}
	out := make([]remote, len(objs))
	for i, o := range objs {
		out[i] = remote{Href: o.Href, ETag: o.ETag, Cal: o.Cal}
	}
	return out, nil
}

func (*calKind) fetchAll(ctx context.Context, r *run) ([]remote, error) {
	return calRemotes(r.client.QueryCalendar(ctx, r.col.Href))
}

func (*calKind) get(ctx context.Context, r *run, href string) (*remote, error) {
	o, err := r.client.GetCalendarObject(ctx, href)
	if err != nil {
		return nil, err
	}
	return &remote{Href: o.Href, ETag: o.ETag, Cal: o.Cal}, nil
}

func (*calKind) local(ctx context.Context, r *run, uid string) (string, bool, error) {
	it, err := r.store.CalItemByUID(ctx, uid)
	if errors.Is(err, data.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return it.Kind + " of " + it.CustomerName, true, nil
}

// displayOf is what a phone shows of an item's customer.
func displayOf(ctx context.Context, r *run, customerUID string) display {
	c, _, err := r.store.CustomerByUID(ctx, customerUID)
	if err != nil {
		return display{}
	}
	d := display{Name: c.Name()}
	if len(c.Phones) > 0 {
		d.Phone = c.Phones[0].Value
	}
	if len(c.Addresses) > 0 {
		a := c.Addresses[0]
		var parts []string
		for _, p := range []string{a.Street, strings.TrimSpace(a.Postcode + " " + a.Locality), a.Region, a.Country} {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		d.Address = strings.Join(parts, ", ")
	}
	return d
}

func (k *calKind) localText(ctx context.Context, r *run, uid string, item *data.SyncItem, open map[string]bool) (string, bool, error) {
	it, err := r.store.CalItemByUID(ctx, uid)
	if errors.Is(err, data.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	var base *ical.Calendar
	if item != nil {
		if base, err = calParse(item.Base); err != nil {
			return "", false, err
		}
		if len(open) > 0 {
			if b, err := calDecode(base); err == nil && b != nil {
				for f := range open {
					if v, ok := b.Fields[f]; ok {
						it.Fields[f] = v
					}
				}
			}
		}
	}
	cal, err := calApply(base, it, displayOf(ctx, r, it.Fields[data.FieldCustomer]), k.journal)
	if err != nil {
		return "", false, err
	}
	text, err := calText(cal)
	return text, err == nil, err
}
