package engine

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/emersion/go-ical"

	"github.com/rapportcrm/rapport/data"
)

// remoteChange works out what a fetched calendar object changes here.
func (k *calKind) remoteChange(ctx context.Context, r *run, o remote) (*data.SyncChange, string, error) {
	if o.Cal == nil {
		r.problem("%s: no calendar data (the item stays on the server as it is)", r.client.URL(o.Href))
		return nil, "", nil
	}
	rem, err := calDecode(o.Cal)
	if err != nil {
		r.problem("%s: %v (the item stays on the server as it is)", r.client.URL(o.Href), err)
		return nil, "", nil
	}
	uid := ""
	if rem != nil {
		uid = rem.UID
	} else if m := master(o.Cal); m != nil {
		uid = text(m, ical.PropUID)
	}
	if uid == "" {
		uid = strings.TrimSuffix(path.Base(o.Href), path.Ext(o.Href))
	}
	text, err := calText(o.Cal)
	if err != nil {
		r.problem("%s: %v (the item stays on the server as it is)", r.client.URL(o.Href), err)
		return nil, "", nil
	}
	item, uid, skip, err := r.known(ctx, o, uid, "calendar item")
	if err != nil || skip {
		return nil, "", err
	}
	ch := &data.SyncChange{Collection: r.col.ID, Kind: data.KindCalendar, UID: uid, Check: true,
		Item: &data.SyncItem{UID: uid, Href: o.Href, ETag: o.ETag, Base: text}, Pending: data.PendingLeave}
	linked := false
	if rem != nil && rem.Fields[data.FieldCustomer] == "" {
		// Made on a phone in the Rapport calendar: about the customer its
		// attendee or title names, if exactly one does.
		emails, words := hints(o.Cal)
		cust, err := r.store.CustomerForItem(ctx, emails, words)
		if err != nil {
			return nil, "", err
		}
		if cust == "" {
			rem = nil
		} else {
			rem.Fields[data.FieldCustomer] = cust
			linked = true
		}
	}
	if rem == nil {
		// Not about a customer here (an event put in this calendar by
		// hand): known, so not fetched again until it changes, and left be.
		r.note("%s: names no customer here (no %s, and no attendee or title matches one); left on the server as it is", r.client.URL(o.Href), xCustomer)
		return ch, "", nil
	}
	rem.UID = uid
	if rem.Origin != "" && rem.Origin == ourTag() {
		// Our own tag, kept by a client that changed the item in place.
		rem.Origin = "another client"
		if p := o.Cal.Props.Get(ical.PropProductID); p != nil && p.Value != prodID && p.Value != "" {
			rem.Origin = p.Value
		}
	}
	pend, err := r.store.Pending(ctx, uid)
	if err != nil {
		return nil, "", err
	}
	ch.LocalSeq = pend.Seq
	local, err := r.store.CalItemByUID(ctx, uid)
	if err != nil && !errors.Is(err, data.ErrNotFound) {
		return nil, "", err
	}
	if local == nil {
		if pend.Deleted && pend.Seq != 0 {
			ch.Conflicts = []data.SyncConflict{{Field: data.FieldDeleted, Theirs: text}}
			return ch, "conflict", nil
		}
		ch.Cal, ch.Pending = rem, data.PendingClear
		if linked {
			ch.Pending = data.PendingMark // the link goes to the server, for every laptop
		}
		return ch, "new", nil
	}
	var base map[string]string
	if item != nil {
		if bc, err := calParse(item.Base); err == nil {
			if b, err := calDecode(bc); err == nil && b != nil {
				base = b.Fields
			}
		}
	}
	if base == nil {
		// Never agreed (the calendar was set up again): what changed here
		// since wins, else the server's.
		base = local.Fields
		if pend.Seq != 0 {
			base = rem.Fields
		}
	}
	ch.Pending = data.PendingClear
	ch.ClearConflicts = true
	if local.Kind != rem.Kind {
		ch.Cal = rem
		return ch, "updated", nil
	}
	open, err := r.store.ConflictFields(ctx, uid)
	if err != nil {
		return nil, "", err
	}
	here, server, conflicts := mergeFields(data.ItemFields[rem.Kind], base, local.Fields, rem.Fields, open)
	if len(conflicts) > 0 {
		mine, err := calParse(text)
		if err != nil {
			return nil, "", err
		}
		mineCal, err := calApply(mine, local, displayOf(ctx, r, local.Fields[data.FieldCustomer]), k.journal)
		if err != nil {
			return nil, "", err
		}
		mineText, err := calText(mineCal)
		if err != nil {
			return nil, "", err
		}
		for _, f := range conflicts {
			ch.Conflicts = append(ch.Conflicts, data.SyncConflict{Field: f, Mine: mineText, Theirs: text})
		}
	}
	if !sameFields(server, rem.Fields) {
		ch.Pending = data.PendingMark
	}
	if sameFields(here, local.Fields) {
		return ch, "", nil
	}
	ch.Cal = &data.CalItem{Kind: rem.Kind, UID: uid, Fields: here, Origin: rem.Origin}
	return ch, "updated", nil
}

// kindRank orders fetched items so that what others name is stored first.
func kindRank(o remote) int {
	if o.Cal != nil {
		if m := master(o.Cal); m != nil {
			for i, k := range data.ItemKinds {
				if strings.EqualFold(text(m, xKind), k) {
					return i
				}
			}
		}
	}
	return len(data.ItemKinds)
}

// mergeFields merges three versions of an item field by field: a field
// changed on one side takes that side's value; changed on both to
// different values it is a conflict (here keeps ours, the server theirs).
func mergeFields(names []string, base, local, remote map[string]string, open map[string]bool) (here, server map[string]string, conflicts []string) {
	here, server = map[string]string{}, map[string]string{}
	for _, f := range names {
		b, l, rm := base[f], local[f], remote[f]
		switch {
		case l == rm:
			here[f], server[f] = l, l
		case open[f]:
			here[f], server[f] = l, rm
			conflicts = append(conflicts, f)
		case l == b:
			here[f], server[f] = rm, rm
		case rm == b:
			here[f], server[f] = l, l
		default:
			here[f], server[f] = l, rm
			conflicts = append(conflicts, f)
		}
	}
	return here, server, conflicts
}

func (r *run) note(format string, args ...any) {
	r.mu.Lock()
	r.sum.Notes = append(r.sum.Notes, fmt.Sprintf(format, args...))
	r.mu.Unlock()
}
