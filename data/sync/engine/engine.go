// Package engine is Rapport's one sync engine: it keeps the customers (and,
// in part 2, the calendar items) of a database and the collections of a
// CardDAV/CalDAV server in step, offline first, losing no edit.
//
// A sync pulls first (sync-collection or an ETag listing, then multiget of
// what changed), merges every changed card three-way with the copy last
// agreed (data.SyncItem.Base), then pushes what changed here (the pending
// record the database's triggers keep) with conditional writes: a 412
// fetches, merges and retries. See docs/sync.md for the rules.
package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"path"
	"sort"
	"strings"
	stdsync "sync"
	"time"

	govcard "github.com/emersion/go-vcard"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/dav"
)

// DefaultBook is the address book Rapport uses unless told otherwise.
const DefaultBook = "Rapport"

// Options for a sync.
type Options struct {
	Password string
	// Timeout per request; dav.DefaultTimeout when zero.
	Timeout time.Duration
	// Transport for tests; nil uses the system's certificates.
	Transport http.RoundTripper
	// Parallel is how many requests run at once (4 when zero): servers
	// that store each card as a file gain from a few at a time.
	Parallel int
	// Progress, when set, hears how far the sync is.
	Progress func(Progress)
}

// Progress is where a sync is.
type Progress struct {
	Phase       string // "listing", "fetching", "sending"
	Done, Total int
}

// Counts are what a sync moved in one collection.
type Counts struct {
	// Pulled: items created, changed and deleted here from the server.
	New, Updated, Deleted int
	// Pushed: items created, changed and deleted on the server.
	Created, Sent, Removed int
}

func (c Counts) total() int { return c.New + c.Updated + c.Deleted + c.Created + c.Sent + c.Removed }

func (c Counts) String() string {
	return fmt.Sprintf("pulled %d new, %d updated, %d deleted; pushed %d new, %d updated, %d deleted", c.New, c.Updated, c.Deleted, c.Created, c.Sent, c.Removed)
}

// Summary is what one sync did.
type Summary struct {
	// Counts of the address book: customers.
	Counts
	// Calendar counts the calendar's items (visits, follow-ups,
	// interactions, concerns); CalendarSynced says there is a calendar.
	Calendar       Counts
	CalendarSynced bool
	// Recreated names customers deleted on the server but edited here:
	// kept, and their cards made again.
	Recreated []string
	// Conflicts open after the sync; NewConflicts of them arose now.
	Conflicts, NewConflicts int
	// Problems are cards that could not be taken, with where.
	Problems []string
	// Notes are things worth knowing that are no problem (items in the
	// calendar that are not Rapport's).
	Notes []string
	// Full says why the whole collection was listed ("" when incremental).
	Full string
	// Waiting is how many local changes are still to be sent.
	Waiting int
}

// Changed reports whether the sync moved anything either way.
func (s *Summary) Changed() bool {
	return s.Counts.total()+s.Calendar.total()+len(s.Recreated)+s.NewConflicts > 0
}

func (s *Summary) String() string {
	var b strings.Builder
	b.WriteString(s.Counts.String())
	if s.CalendarSynced {
		b.WriteString("; calendar: " + s.Calendar.String())
	}
	if s.Conflicts > 0 {
		fmt.Fprintf(&b, "; %d conflict(s) to settle", s.Conflicts)
	} else {
		b.WriteString("; no conflicts")
	}
	if s.Waiting > 0 {
		fmt.Fprintf(&b, "; %d change(s) still waiting", s.Waiting)
	}
	return b.String()
}

// Connect makes a client for the account (nothing is sent yet).
func Connect(url, user string, opt Options) (*dav.Client, error) {
	return dav.New(url, dav.Options{User: user, Password: opt.Password, Timeout: opt.Timeout, Transport: opt.Transport})
}

// Run syncs every collection of the store's account once.
func Run(ctx context.Context, store *data.Store, opt Options) (*Summary, error) {
	acct, err := store.SyncAccount(ctx)
	if err != nil {
		return nil, err
	}
	if acct.Collection(data.KindContacts) == nil {
		return nil, fmt.Errorf("no address book chosen for %s: %w", acct.URL, data.ErrNoSync)
	}
	client, err := Connect(acct.URL, acct.User, opt)
	if err != nil {
		return nil, err
	}
	if opt.Parallel <= 0 {
		opt.Parallel = 4
	}
	sum := &Summary{}
	if acct.Collection(data.KindCalendar) == nil {
		// Set up before calendars travelled: find or make the calendar now.
		if err := addCalendar(ctx, store, client, acct, sum); err != nil {
			sum.Waiting, _ = store.PendingCount(ctx)
			err = explain(err, sum.Waiting)
			_ = store.SetSyncResult(context.WithoutCancel(ctx), acct.Collection(data.KindContacts).ID, "", time.Time{}, err)
			return sum, err
		}
	}
	var mu stdsync.Mutex
	// Customers first: the calendar's items name them.
	for _, k := range []string{data.KindContacts, data.KindCalendar} {
		col := acct.Collection(k)
		if col == nil {
			continue
		}
		r := &run{store: store, client: client, opt: opt, col: col, sum: sum, mu: &mu, claimed: map[string]bool{}}
		r.counts = &sum.Counts
		r.k = cardKind{}
		if k == data.KindCalendar {
			sum.CalendarSynced = true
			r.counts, r.k = &sum.Calendar, &calKind{journal: col.Components == "" || strings.Contains(col.Components, "VJOURNAL")}
		}
		err = r.sync(ctx)
		if err != nil {
			break
		}
	}
	if n, cerr := store.PendingCount(ctx); cerr == nil {
		sum.Waiting = n
	}
	if cs, cerr := store.SyncConflicts(ctx); cerr == nil {
		sum.Conflicts = len(cs)
	}
	return sum, err
}

// addCalendar adds the Rapport calendar to an account that has none.
func addCalendar(ctx context.Context, store *data.Store, client *dav.Client, acct *data.SyncAccount, sum *Summary) error {
	d, err := client.Discover(ctx)
	if err != nil {
		return err
	}
	col, how, err := calendarCollection(ctx, client, d)
	if err != nil {
		return err
	}
	if col == nil {
		sum.Notes = append(sum.Notes, d.Notes...)
		return nil
	}
	acct.Collections = append(acct.Collections, *col)
	if err := store.SetSyncAccount(ctx, *acct); err != nil {
		return err
	}
	sum.Notes = append(sum.Notes, fmt.Sprintf("calendar %s: %s; visits, follow-ups, interactions and concerns now travel too", client.URL(col.Href), how))
	fresh, err := store.SyncAccount(ctx)
	if err != nil {
		return err
	}
	*acct = *fresh
	return nil
}

// sync pulls and pushes one collection and stores how it went.
func (r *run) sync(ctx context.Context) error {
	err := r.pull(ctx)
	if err == nil {
		err = r.push(ctx)
	}
	if err != nil {
		waiting, _ := r.store.PendingCount(ctx)
		err = explain(err, waiting)
		_ = r.store.SetSyncResult(context.WithoutCancel(ctx), r.col.ID, "", time.Time{}, err)
		return err
	}
	return r.store.SetSyncResult(ctx, r.col.ID, r.token, time.Now(), nil)
}

// explain adds what the user needs to know to an error that ended a sync.
func explain(err error, waiting int) error {
	switch {
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("sync cancelled; %d change(s) wait for the next sync: %w", waiting, err)
	case errors.Is(err, dav.ErrOffline):
		return fmt.Errorf("%w; %d change(s) wait for the next sync", err, waiting)
	}
	return err
}

// run is one sync of one collection.
type run struct {
	store  *data.Store
	client *dav.Client
	opt    Options
	col    *data.SyncCollection
	token  string
	k      kind

	mu     *stdsync.Mutex // guards sum from the push workers
	sum    *Summary
	counts *Counts // this collection's part of sum
	// claimed are local customers already matched to a server card in
	// this sync, so two cards never take the same one.
	claimed map[string]bool
	// gone are the hrefs this pull found deleted; set before any card is
	// fetched, read only after.
	gone map[string]bool
}

func (r *run) progress(phase string, done, total int) {
	if r.opt.Progress != nil {
		r.opt.Progress(Progress{Phase: phase, Done: done, Total: total})
	}
}

func (r *run) problem(format string, args ...any) {
	r.mu.Lock()
	r.sum.Problems = append(r.sum.Problems, fmt.Sprintf(format, args...))
	r.mu.Unlock()
}

// pull takes what changed on the server.
func (r *run) pull(ctx context.Context) error {
	r.progress("listing", 0, 0)
	res, err := r.k.list(ctx, r)
	if err != nil {
		return err
	}
	r.token = res.Token
	if res.Full {
		r.sum.Full = res.Why
	}
	known, err := r.store.SyncItemETags(ctx, r.col.ID)
	if err != nil {
		return err
	}
	var fetch, gone []string
	listed := map[string]bool{}
	for _, e := range res.Changed {
		listed[e.Href] = true
		if et, ok := known[e.Href]; !ok || et != e.ETag || e.ETag == "" {
			fetch = append(fetch, e.Href)
		}
	}
	if res.Full {
		for h := range known {
			if !listed[h] {
				gone = append(gone, h)
			}
		}
	} else {
		for _, h := range res.Deleted {
			if _, ok := known[h]; ok {
				gone = append(gone, h)
			}
		}
	}
	sort.Strings(gone)
	r.gone = map[string]bool{}
	for _, h := range gone {
		r.gone[h] = true
	}
	if err := r.fetchAndApply(ctx, fetch, len(listed)); err != nil {
		return err
	}
	if err := r.applyGone(ctx, gone); err != nil {
		return err
	}
	// Everything the token covers is stored: a sync cut short after this
	// resumes from here.
	if r.token != "" && r.token != r.col.Token {
		return r.store.SetSyncToken(ctx, r.col.ID, r.token)
	}
	return nil
}

// multigetBatch is how many items one multiget asks for.
var multigetBatch = 100

// fetchAllFrom: fetching this many items, and most of the collection, is
// done with one query of the whole collection rather than multigets.
var fetchAllFrom = 500

// fetchAndApply fetches items in batches, a few batches at a time, and
// stores each batch in one transaction; most of a big collection (a first
// sync) comes in one query instead.
func (r *run) fetchAndApply(ctx context.Context, hrefs []string, listed int) error {
	if len(hrefs) == 0 {
		return nil
	}
	if len(hrefs) >= fetchAllFrom && 2*len(hrefs) >= listed {
		r.progress("fetching", 0, len(hrefs))
		all, err := r.k.fetchAll(ctx, r)
		if err == nil {
			return r.applyAll(ctx, all, hrefs)
		}
		var se *dav.StatusError
		if !errors.As(err, &se) {
			return err
		}
		// A server that refuses the query: multigets, as for a few.
	}
	type batch struct {
		objs []remote
		err  error
	}
	var batches [][]string
	for i := 0; i < len(hrefs); i += multigetBatch {
		batches = append(batches, hrefs[i:min(i+multigetBatch, len(hrefs))])
	}
	results := make([]chan batch, len(batches))
	sem := make(chan struct{}, r.opt.Parallel)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for i, hs := range batches {
		results[i] = make(chan batch, 1)
		go func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i] <- batch{err: ctx.Err()}
				return
			}
			defer func() { <-sem }()
			objs, err := r.k.fetch(ctx, r, hs)
			results[i] <- batch{objs, err}
		}()
	}
	done := 0
	var held []remote
	for i := range batches {
		b := <-results[i]
		if b.err != nil {
			return b.err
		}
		done += len(batches[i])
		r.progress("fetching", done, len(hrefs))
		if r.col.Kind == data.KindCalendar {
			// Items name others (a follow-up its interaction, an interaction
			// its concern): all are taken in, then stored in kind order.
			held = append(held, b.objs...)
			continue
		}
		if err := r.applyRemote(ctx, b.objs); err != nil {
			return err
		}
	}
	return r.applyHeld(ctx, held, 0)
}

// applyHeld stores items taken in all at once, calendar items in kind
// order (cards all rank the same), a batch at a time. With total, it
// reports progress as it stores: the items came in one answer, so
// fetching them said nothing of how far along the sync is.
func (r *run) applyHeld(ctx context.Context, held []remote, total int) error {
	sort.SliceStable(held, func(i, j int) bool { return kindRank(held[i]) < kindRank(held[j]) })
	for i := 0; i < len(held); i += multigetBatch {
		if err := r.applyRemote(ctx, held[i:min(i+multigetBatch, len(held))]); err != nil {
			return err
		}
		if total > 0 {
			r.progress("fetching", min(i+multigetBatch, len(held)), total)
		}
	}
	return nil
}

// applyAll stores what a whole-collection query gave of the wanted hrefs.
func (r *run) applyAll(ctx context.Context, all []remote, hrefs []string) error {
	want := make(map[string]bool, len(hrefs))
	for _, h := range hrefs {
		want[h] = true
	}
	var objs []remote
	for _, o := range all {
		if want[o.Href] {
			objs = append(objs, o)
		}
	}
	return r.applyHeld(ctx, objs, len(hrefs))
}

// applyRemote merges fetched cards and stores the results; a card that
// was edited here meanwhile is merged again.
func (r *run) applyRemote(ctx context.Context, objs []remote) error {
	for attempt := 0; len(objs) > 0; attempt++ {
		var chs []data.SyncChange
		var whats []string
		var from []remote
		for _, o := range objs {
			ch, what, err := r.k.remoteChange(ctx, r, o)
			if err != nil {
				return err
			}
			if ch != nil {
				chs, whats, from = append(chs, *ch), append(whats, what), append(from, o)
			}
		}
		errs, err := r.store.ApplySyncs(ctx, chs)
		if err != nil {
			return err
		}
		objs = nil
		for i, e := range errs {
			switch {
			case e == nil:
				r.count(whats[i], chs[i])
			case errors.Is(e, data.ErrChangedMeanwhile) && attempt < 3:
				objs = append(objs, from[i])
			default:
				r.problem("%s: %v", r.client.URL(from[i].Href), e)
			}
		}
	}
	return nil
}

func (r *run) count(what string, ch data.SyncChange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch what {
	case "new":
		r.counts.New++
	case "updated":
		r.counts.Updated++
	case "deleted":
		r.counts.Deleted++
	}
	r.sum.NewConflicts += len(ch.Conflicts)
}

// safeName: a UID that can be a file name as it is; a loop, not a
// regexp, so that no process pays for compiling one at start-up.
func safeName(uid string) bool {
	if len(uid) == 0 || len(uid) > 101 {
		return false
	}
	for i, c := range uid {
		alnum := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || !strings.ContainsRune("._@-", c)) {
			return false
		}
	}
	return true
}

// hrefFor is where a new card of uid goes: the UID itself when it is a
// safe file name (what phones do), else a hash of it.
func (r *run) hrefFor(uid string) string {
	name := uid
	if !safeName(uid) || strings.Contains(uid, "..") {
		name = hashName(uid)
	}
	return path.Join(r.col.Href, name+r.k.ext())
}

func hashName(uid string) string {
	sum := sha256.Sum256([]byte(uid))
	return hex.EncodeToString(sum[:16])
}

// known finds what this database knows of a fetched item with uid (nil:
// nothing yet) and the UID it goes by here; skip when there is nothing to
// do (unchanged, or a second item with a UID already taken).
func (r *run) known(ctx context.Context, o remote, uid, noun string) (_ *data.SyncItem, _ string, skip bool, _ error) {
	item, err := r.store.SyncItem(ctx, r.col.ID, uid, o.Href)
	if err != nil {
		return nil, "", false, err
	}
	if item != nil && item.Href != o.Href && !r.gone[item.Href] {
		r.problem("%s: the server holds a second %s with UID %s (the first is %s); only the first is synced", r.client.URL(o.Href), noun, uid, r.client.URL(item.Href))
		return nil, "", true, nil
	}
	// An item deleted at its href and made again at another in the same
	// listing (a laptop that re-creates a card deleted on the server
	// while edited there, under its own file name) is the same item,
	// moved: merged as such, it takes the new href, and applyGone no
	// longer finds it at the old one. (Taken as a second item, it was
	// skipped, then the old href's deletion deleted it here, and the new
	// one was never fetched again.)
	if item != nil && item.UID != uid {
		uid = item.UID // a client changed the UID of an item we know: ours stays
	}
	if item != nil && item.ETag == o.ETag && o.ETag != "" {
		return nil, "", true, nil
	}
	return item, uid, false, nil
}

// remoteChange works out what a fetched card changes here; nil when nothing.
func (cardKind) remoteChange(ctx context.Context, r *run, o remote) (*data.SyncChange, string, error) {
	uid := strings.TrimSpace(o.Card.Value(govcard.FieldUID))
	noUID := uid == ""
	if noUID {
		// RFC 6352 wants a UID; a client that left it out gets the
		// href's name, written back with our next change.
		uid = strings.TrimSuffix(path.Base(o.Href), path.Ext(o.Href))
	}
	item, uid, skip, err := r.known(ctx, o, uid, "card")
	if err != nil || skip {
		return nil, "", err
	}
	o.Card.SetValue(govcard.FieldUID, uid)
	rec, text, err := fromServer(o.Card)
	if err != nil {
		r.problem("%s: %v (the card stays on the server as it is)", r.client.URL(o.Href), err)
		return nil, "", nil
	}
	for _, p := range rec.Problems {
		r.problem("%s: %s (kept as it came)", r.client.URL(o.Href), p)
	}
	remote := &record{c: rec.Customer, p: rec.Profile}
	pend, err := r.store.Pending(ctx, uid)
	if err != nil {
		return nil, "", err
	}
	ch := &data.SyncChange{Collection: r.col.ID, UID: uid, Check: true, LocalSeq: pend.Seq,
		Item: &data.SyncItem{UID: uid, Href: o.Href, ETag: o.ETag, Base: text}}
	local, lp, err := r.store.CustomerByUID(ctx, uid)
	if err != nil && !errors.Is(err, data.ErrNotFound) {
		return nil, "", err
	}
	var base *record
	if local == nil {
		if pend.Deleted {
			// Deleted here, changed there: the user decides.
			ch.Conflicts = []data.SyncConflict{{Field: data.FieldDeleted, Theirs: text}}
			ch.Pending = data.PendingLeave
			return ch, "conflict", nil
		}
		r.mu.Lock()
		m, err := r.store.MatchUnsynced(ctx, r.col.ID, &rec.Customer)
		if err == nil && m != "" && !r.claimed[m] && m != uid {
			r.claimed[m] = true
		} else {
			m = ""
		}
		r.mu.Unlock()
		if err != nil {
			return nil, "", err
		}
		if m == "" {
			ch.Write, ch.Profile = &rec.Customer, &rec.Profile
			ch.Pending = data.PendingClear
			if noUID {
				ch.Pending = data.PendingMark
			}
			return ch, "new", nil
		}
		// The same person, entered here before they were on the server:
		// one customer, with the server's UID.
		if local, lp, err = r.store.CustomerByUID(ctx, m); err != nil {
			return nil, "", err
		}
		mp, err := r.store.Pending(ctx, m)
		if err != nil {
			return nil, "", err
		}
		ch.FromUID, ch.LocalSeq = m, mp.Seq
	} else if item != nil {
		b, err := decode(item.Base)
		if err != nil {
			return nil, "", fmt.Errorf("the last synced copy of %s: %w", uid, err)
		}
		base = &record{c: b.Customer, p: b.Profile}
	}
	open, err := r.openFields(ctx, uid)
	if err != nil {
		return nil, "", err
	}
	loc := &record{c: *local, p: *data.Shareable(lp)}
	mine, err := encode(&loc.c, &loc.p)
	if err != nil {
		return nil, "", err
	}
	out := merge(base, loc, remote, open)
	here, err := encode(&out.here.c, &out.here.p)
	if err != nil {
		return nil, "", err
	}
	server, err := encode(&out.server.c, &out.server.p)
	if err != nil {
		return nil, "", err
	}
	ch.Write, ch.Profile = &out.here.c, &out.here.p
	ch.ClearConflicts = true
	for _, f := range out.conflicts {
		ch.Conflicts = append(ch.Conflicts, data.SyncConflict{Field: f, Mine: mine, Theirs: text})
	}
	ch.Pending = data.PendingClear
	if server != text || noUID {
		ch.Pending = data.PendingMark
	}
	what := "updated"
	if here == mine && ch.FromUID == "" {
		// Nothing changes here (the server took ours, or agrees).
		what, ch.Write, ch.Profile = "", nil, nil
	}
	return ch, what, nil
}

// openFields are the fields of uid in conflict now.
func (r *run) openFields(ctx context.Context, uid string) (map[string]bool, error) {
	return r.store.ConflictFields(ctx, uid)
}

// conflicts gives the open conflicts by UID and field, read once per
// phase (they change only through this run or a resolve).
func (r *run) conflicts(ctx context.Context) (map[string]map[string]bool, error) {
	list, err := r.store.SyncConflicts(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]bool{}
	for _, c := range list {
		if out[c.UID] == nil {
			out[c.UID] = map[string]bool{}
		}
		out[c.UID][c.Field] = true
	}
	return out, nil
}

// applyGone handles cards deleted on the server.
func (r *run) applyGone(ctx context.Context, hrefs []string) error {
	if len(hrefs) == 0 {
		return nil
	}
	open, err := r.conflicts(ctx)
	if err != nil {
		return err
	}
	var chs []data.SyncChange
	var whats []string
	backedUp := false
	for _, h := range hrefs {
		item, err := r.store.SyncItem(ctx, r.col.ID, "", h)
		if err != nil {
			return err
		}
		if item == nil {
			continue
		}
		pend, err := r.store.Pending(ctx, item.UID)
		if err != nil {
			return err
		}
		ch := data.SyncChange{Collection: r.col.ID, Kind: r.col.Kind, UID: item.UID, Check: true, LocalSeq: pend.Seq, ForgetItem: true}
		name, here, err := r.k.local(ctx, r, item.UID)
		if err != nil {
			return err
		}
		what := ""
		switch {
		case !here:
			ch.Pending, ch.ClearConflicts = data.PendingClear, true
		case pend.Seq != 0 || len(open[item.UID]) > 0:
			// Deleted there, edited here: the edit wins, the card is made again.
			ch.Pending, ch.ClearConflicts = data.PendingMark, true
			r.mu.Lock()
			r.sum.Recreated = append(r.sum.Recreated, name)
			r.mu.Unlock()
		default:
			if !backedUp {
				// Forgetting is final: keep a copy to go back to.
				if _, err := r.store.AutoBackup(ctx, data.ReasonPreSyncDelete); err != nil {
					return fmt.Errorf("back up before deleting what the server deleted (nothing was deleted): %w", err)
				}
				backedUp = true
			}
			ch.Delete, ch.Pending, what = true, data.PendingClear, "deleted"
		}
		chs, whats = append(chs, ch), append(whats, what)
	}
	errs, err := r.store.ApplySyncs(ctx, chs)
	if err != nil {
		return err
	}
	for i, e := range errs {
		if e != nil {
			// Edited here meanwhile: the card stays known, so the next
			// sync sees it gone again and keeps the edit.
			r.problem("%s: %v", chs[i].UID, e)
			continue
		}
		r.count(whats[i], chs[i])
	}
	return nil
}

// push sends what changed here, a few requests at a time.
func (r *run) push(ctx context.Context) error {
	pending, err := r.store.PendingChanges(ctx, r.col.Kind)
	if err != nil {
		return err
	}
	if len(pending) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan data.PendingChange)
	var wg stdsync.WaitGroup
	var firstErr error
	var errOnce stdsync.Once
	done := 0
	for range r.opt.Parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				if err := r.pushOne(ctx, p.UID); err != nil {
					errOnce.Do(func() { firstErr = err; cancel() })
				}
				r.mu.Lock()
				done++
				d := done
				r.mu.Unlock()
				r.progress("sending", d, len(pending))
			}
		}()
	}
	for _, p := range pending {
		select {
		case work <- p:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	return firstErr
}

// pushOne sends one customer's change; a 412 (someone else wrote the card
// meanwhile) fetches the card, merges it and tries again.
func (r *run) pushOne(ctx context.Context, uid string) error {
	for attempt := 0; ; attempt++ {
		retry, err := r.pushAttempt(ctx, uid)
		if err == nil && !retry {
			return nil
		}
		if err != nil && !errors.Is(err, dav.ErrPrecondition) {
			if stopsSync(err) {
				return err
			}
			r.problem("%s: %v (it waits for the next sync)", uid, err)
			return nil
		}
		if attempt == 3 {
			r.problem("%s: the card kept changing on the server; it waits for the next sync", uid)
			return nil
		}
	}
}

// stopsSync: errors that would fail every other request as well.
func stopsSync(err error) bool {
	return errors.Is(err, dav.ErrOffline) || errors.Is(err, dav.ErrUnauthorized) || errors.Is(err, dav.ErrForbidden) ||
		errors.Is(err, dav.ErrServerFull) || errors.Is(err, dav.ErrCertificate) || errors.Is(err, context.Canceled) ||
		errors.Is(err, data.ErrReadOnly) || errors.Is(err, data.ErrDiskFull) || errors.Is(err, data.ErrMoved)
}

func (r *run) pushAttempt(ctx context.Context, uid string) (retry bool, err error) {
	p, err := r.store.Pending(ctx, uid)
	if err != nil || p.Seq == 0 {
		return false, err
	}
	// Read afresh: a 412 before may just have made a conflict.
	open, err := r.openFields(ctx, uid)
	if err != nil {
		return false, err
	}
	item, err := r.store.SyncItem(ctx, r.col.ID, uid, "")
	if err != nil {
		return false, err
	}
	if p.Deleted {
		return r.pushDelete(ctx, p, item, open)
	}
	text, found, err := r.k.localText(ctx, r, uid, item, open)
	if err != nil || !found {
		return false, err // not found: renamed or deleted meanwhile, its own pending row says what
	}
	ch := data.SyncChange{Collection: r.col.ID, Kind: r.col.Kind, UID: uid, Check: true, LocalSeq: p.Seq, Pending: data.PendingClear}
	if item != nil && text == item.Base {
		return false, r.applyPushed(ctx, ch, "")
	}
	var etag, href, what string
	if item == nil {
		href, what = r.hrefFor(uid), "created"
		etag, err = r.client.CreateData(ctx, href, r.k.contentType(), []byte(text))
	} else {
		href, what = item.Href, "sent"
		etag, err = r.client.UpdateData(ctx, href, item.ETag, r.k.contentType(), []byte(text))
	}
	if errors.Is(err, dav.ErrPrecondition) {
		// Someone wrote the card meanwhile: take theirs in, then try again.
		o, gerr := r.k.get(ctx, r, href)
		if errors.Is(gerr, dav.ErrNotFound) {
			// Deleted on the server, and the listing did not say so (the
			// token predates the item: a server need not name what came
			// and went after it). As a delete seen in a pull: the edit
			// here wins, the item is made again.
			return true, r.applyGone(ctx, []string{href})
		}
		if gerr != nil {
			return false, gerr
		}
		if err := r.applyRemote(ctx, []remote{*o}); err != nil {
			return false, err
		}
		return true, err
	}
	if err != nil {
		return false, err
	}
	ch.Item = &data.SyncItem{UID: uid, Href: href, ETag: etag, Base: text}
	return false, r.applyPushed(ctx, ch, what)
}

// applyPushed stores what a push did; an edit made here while it was on
// the way stays pending, for the next sync.
func (r *run) applyPushed(ctx context.Context, ch data.SyncChange, what string) error {
	err := r.store.ApplySync(ctx, ch)
	if errors.Is(err, data.ErrChangedMeanwhile) {
		ch.Check, ch.Pending = false, data.PendingLeave
		err = r.store.ApplySync(ctx, ch)
	}
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	switch what {
	case "created":
		r.counts.Created++
	case "sent":
		r.counts.Sent++
	case "removed":
		r.counts.Removed++
	}
	return nil
}

func (r *run) pushDelete(ctx context.Context, p data.PendingChange, item *data.SyncItem, open map[string]bool) (bool, error) {
	ch := data.SyncChange{Collection: r.col.ID, Kind: r.col.Kind, UID: p.UID, Check: true, LocalSeq: p.Seq, Pending: data.PendingClear}
	if open[data.FieldDeleted] {
		return false, nil // the user has not decided yet
	}
	if item == nil {
		return false, r.applyPushed(ctx, ch, "")
	}
	err := r.client.Delete(ctx, item.Href, item.ETag)
	if err == nil || errors.Is(err, dav.ErrNotFound) {
		ch.ForgetItem = true
		return false, r.applyPushed(ctx, ch, "removed")
	}
	if !errors.Is(err, dav.ErrPrecondition) {
		return false, err
	}
	// Changed on the server since we last saw it: the user decides.
	o, err := r.k.get(ctx, r, item.Href)
	if errors.Is(err, dav.ErrNotFound) {
		ch.ForgetItem = true
		return false, r.applyPushed(ctx, ch, "removed")
	}
	if err != nil {
		return false, err
	}
	return false, r.applyRemote(ctx, []remote{*o})
}
