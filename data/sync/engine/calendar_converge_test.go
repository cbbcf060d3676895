package engine

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/dav"
	"github.com/rapportcrm/rapport/data/sync/davtest"
)

// The calendar's convergence test: two laptops and a phone writing raw
// iCalendar change the Rapport calendar offline in seeded random rounds,
// then all sync in random order until nothing moves. The laptops log,
// edit and delete interactions, add, tick, snooze and delete follow-ups,
// plan and delete visits, add, reword, confirm and resolve concerns; the
// phone moves visits (adding its own alarm and X- properties), ticks and
// reopens tasks, writes journal entries and deletes items, with If-Match.
// After every round: the laptops and the server agree item for item, one
// object per UID and one row per item; every field is its old value or
// one written to it this round (a conflict settled picks one of those);
// a deleted item stays deleted unless edited elsewhere, and then the
// engine said so (a "deleted" conflict or a recreate) or the phone's
// delete was refused; nothing deleted comes back; the phone's own
// properties are still on its items.
//
//	go test -run TestCalendarConvergence ./data/sync/engine/ -seed=42
//	RAPPORT_SYNC_SEED=42 go test -run TestCalendarConvergence ./data/sync/engine/
//	RAPPORT_SYNC_LONG=1 go test -run TestCalendarConvergence -timeout 30m ./data/sync/engine/
//
// The seed conventions are TestConvergence's (converge_test.go).

// itemView is what the test compares of an item.
type itemView struct {
	kind   string
	fields map[string]string
}

func (v itemView) String() string {
	keys := sortedKeys(v.fields)
	var b strings.Builder
	b.WriteString(v.kind + "{")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%s=%q", k, v.fields[k])
	}
	return b.String() + "}"
}

type calRound struct {
	prev    map[string]itemView
	writes  map[string]map[string]map[string]bool // uid → field → values
	deleted map[string]bool
	edited  map[string]bool
	created map[string]bool
	// said: an item deleted on one side and edited on another that the
	// engine reported (a "deleted" conflict), or whose delete the phone
	// had refused (412); recreated are the names the engine reported as
	// made again (Summary.Recreated).
	said      map[string]bool
	recreated map[string]bool
	// refused: the phone's delete met a 412 (the object was written
	// meanwhile, also by a sync: a link to an item deleted elsewhere
	// cleared), so the phone kept it.
	refused map[string]bool
	ops     int
}

func newCalRound(prev map[string]itemView) *calRound {
	return &calRound{prev: prev, writes: map[string]map[string]map[string]bool{}, deleted: map[string]bool{},
		edited: map[string]bool{}, created: map[string]bool{}, said: map[string]bool{}, recreated: map[string]bool{}, refused: map[string]bool{}}
}

func (r *calRound) wrote(uid, field, value string) {
	if r.writes[uid] == nil {
		r.writes[uid] = map[string]map[string]bool{}
	}
	if r.writes[uid][field] == nil {
		r.writes[uid][field] = map[string]bool{}
	}
	r.writes[uid][field][value] = true
	r.edited[uid] = true
}

// record notes what changed between two states of one client as writes.
func (r *calRound) record(before, after map[string]itemView) {
	for uid, a := range after {
		b, ok := before[uid]
		if !ok {
			r.created[uid] = true
			for _, f := range data.ItemFields[a.kind] {
				r.wrote(uid, f, a.fields[f])
			}
			continue
		}
		for _, f := range data.ItemFields[a.kind] {
			if v := a.fields[f]; b.fields[f] != v {
				r.wrote(uid, f, v)
			}
		}
	}
	for uid := range before {
		if _, ok := after[uid]; !ok {
			r.deleted[uid] = true
		}
	}
}

type calWorld struct {
	t         *testing.T
	rng       *rand.Rand
	srv       *davtest.Server
	laptops   []*data.Store
	dbs       []*sql.DB // the laptops' files, read directly for row ids and row counts
	names     []string
	ph        *calPhone
	cal       string
	customers []string // UIDs
	n         int
	gone      map[string]bool
	// own are the phone's own properties on items, to find again:
	// uid → property → value ("PRODID" is the object's).
	own     map[string]map[string]string
	syncs   int
	resolve struct{ mine, theirs int }
}

func (w *calWorld) next() int { w.n++; return w.n }

func (w *calWorld) trace(format string, args ...any) {
	if tracing {
		w.t.Logf(format, args...)
	}
}

func TestCalendarConvergence(t *testing.T) {
	long := os.Getenv("RAPPORT_SYNC_LONG") != ""
	rounds := 4
	if long {
		rounds = 40
	}
	if testing.Short() {
		rounds = 2
	}
	seed := convergenceSeed(t, long)
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			t.Logf("seed %d (rerun: go test -run 'TestCalendarConvergence/%s' ./data/sync/engine/ -seed=%d)", seed, k.Name, seed)
			w := newCalWorld(t, k, seed)
			ops := 0
			for range rounds {
				r := w.play()
				w.converge(r)
				w.check(r)
				ops += r.ops
			}
			t.Logf("%d rounds, %d operations, %d syncs, %d conflicts settled (%d mine, %d theirs), %d items at the end",
				rounds, ops, w.syncs, w.resolve.mine+w.resolve.theirs, w.resolve.mine, w.resolve.theirs, len(w.items(w.laptops[0])))
		})
	}
}

func newCalWorld(t *testing.T, k davtest.Kind, seed uint64) *calWorld {
	srv := k.Start(t)
	w := &calWorld{t: t, rng: rand.New(rand.NewPCG(seed, seed^0x5bd1e9955bd1e995)), srv: srv, gone: map[string]bool{},
		own: map[string]map[string]string{}, names: []string{"laptop a", "laptop b"}}
	dir := t.TempDir()
	for _, n := range []string{"a", "b"} {
		path := filepath.Join(dir, n+".db")
		s := laptopAt(t, srv, path)
		t.Cleanup(func() { s.Close() })
		db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		w.laptops, w.dbs = append(w.laptops, s), append(w.dbs, db)
	}
	w.cal = calendarOf(t, w.laptops[0]).Href
	w.ph = newCalPhone(t, srv, w.cal)
	// Six customers on laptop a, each with a concern, an interaction, a
	// follow-up and a visit.
	r := newCalRound(map[string]itemView{})
	for i := range 6 {
		c := add(t, w.laptops[0], data.Customer{GivenName: fmt.Sprintf("Cal%d", i), FamilyName: "Customer",
			Phones:    []data.Labelled{{Label: "work", Value: fmt.Sprintf("+49 30 5550 %04d", i)}},
			Addresses: []data.Address{{Street: fmt.Sprintf("Hauptstraße %d", i+1), Locality: "Berlin", Postcode: "10115", Country: "Germany"}}})
		w.customers = append(w.customers, c.UID)
	}
	before := w.items(w.laptops[0])
	for _, cu := range w.customers {
		w.addConcern(0, cu)
		w.logInteraction(0, cu)
		w.addFollowUp(0, cu)
		w.planVisit(0, cu)
	}
	r.record(before, w.items(w.laptops[0]))
	w.converge(r)
	w.check(r)
	if len(w.items(w.laptops[1])) != 24 {
		t.Fatalf("laptop b has %d items after the start, want 24", len(w.items(w.laptops[1])))
	}
	return w
}

// items is every calendar item of a laptop.
func (w *calWorld) items(s *data.Store) map[string]itemView { return calItems(w.t, s) }

func (w *calWorld) customerID(who int, uid string) int64 {
	c, _, err := w.laptops[who].CustomerByUID(context.Background(), uid)
	if err != nil {
		w.t.Fatalf("%s: customer %s: %v", w.names[who], uid, err)
	}
	return c.ID
}

var kindTable = map[string]string{data.ItemVisit: "planned_visits", data.ItemFollowUp: "followups",
	data.ItemInteraction: "interactions", data.ItemConcern: "concerns"}

// row is an item's row id and its customer's on a laptop (0 when not there).
func (w *calWorld) row(who int, kind, uid string) (id, cust int64) {
	err := w.dbs[who].QueryRow(`SELECT id, customer_id FROM `+kindTable[kind]+` WHERE uid = ?`, uid).Scan(&id, &cust)
	if err == sql.ErrNoRows {
		return 0, 0
	}
	if err != nil {
		w.t.Fatalf("%s: row of %s %s: %v", w.names[who], kind, uid, err)
	}
	return id, cust
}

// play makes one round of offline changes on all three.
func (w *calWorld) play() *calRound {
	r := newCalRound(w.items(w.laptops[0]))
	known := sortedKeys(r.prev)
	pick := func(kind string) string {
		var of []string
		for _, u := range known {
			if kind == "" || r.prev[u].kind == kind {
				of = append(of, u)
			}
		}
		if len(of) == 0 {
			return ""
		}
		return of[w.rng.IntN(len(of))]
	}
	// Deliberate collisions first: one concern reworded on both laptops
	// (a conflict); one follow-up ticked on the phone and snoozed on a
	// laptop (two fields); one item deleted on one client and edited on
	// another.
	if u := pick(data.ItemConcern); u != "" {
		w.onLaptop(r, 0, func() { w.editConcern(0, u) })
		w.onLaptop(r, 1, func() { w.editConcern(1, u) })
	}
	if u := pick(data.ItemFollowUp); u != "" {
		w.phoneTick(r, u)
		who := w.rng.IntN(2)
		w.onLaptop(r, who, func() { w.snooze(who, u) })
	}
	if w.rng.IntN(2) == 0 {
		kind := []string{data.ItemVisit, data.ItemFollowUp, data.ItemConcern, data.ItemInteraction}[w.rng.IntN(4)]
		if u := pick(kind); u != "" {
			d := w.rng.IntN(3)
			e := (d + 1 + w.rng.IntN(2)) % 3
			w.editItem(r, e, u)
			w.deleteItem(r, d, u)
		}
	}
	for range 8 {
		who := w.rng.IntN(3)
		if who == 2 {
			w.phoneOp(r, pick)
		} else {
			w.laptopOp(r, who, pick)
		}
	}
	return r
}

// onLaptop runs fn on laptop who and records what it changed.
func (w *calWorld) onLaptop(r *calRound, who int, fn func()) {
	before := w.items(w.laptops[who])
	fn()
	r.record(before, w.items(w.laptops[who]))
	r.ops++
}

func (w *calWorld) laptopOp(r *calRound, who int, pick func(string) string) {
	cu := w.customers[w.rng.IntN(len(w.customers))]
	w.onLaptop(r, who, func() {
		switch w.rng.IntN(13) {
		case 0, 1:
			w.logInteraction(who, cu)
		case 2:
			w.addFollowUp(who, cu)
		case 3:
			w.planVisit(who, cu)
		case 4:
			w.addConcern(who, cu)
		case 5:
			if u := pick(data.ItemFollowUp); u != "" {
				w.complete(who, u)
			}
		case 6:
			if u := pick(data.ItemFollowUp); u != "" {
				w.snooze(who, u)
			}
		case 7:
			if u := pick(data.ItemInteraction); u != "" {
				w.editInteraction(who, u)
			}
		case 8:
			if u := pick(data.ItemConcern); u != "" {
				w.editConcern(who, u)
			}
		case 9:
			if u := pick(data.ItemConcern); u != "" {
				w.resolveConcern(who, u)
			}
		default:
			if u := pick(""); u != "" {
				w.deleteOn(who, u)
			}
		}
	})
}

// editItem edits uid on client who (2: the phone) in a way its kind allows.
func (w *calWorld) editItem(r *calRound, who int, uid string) {
	kind := r.prev[uid].kind
	if who == 2 {
		switch kind {
		case data.ItemVisit:
			w.phoneMove(r, uid)
		case data.ItemFollowUp:
			w.phoneTick(r, uid)
		default:
			w.phoneRetitle(r, uid)
		}
		return
	}
	w.onLaptop(r, who, func() {
		switch kind {
		case data.ItemVisit:
			// Rapport has no "move" of a visit: a laptop's edit of a visit
			// is a new visit for the customer; the old one is left be.
			w.planVisit(who, r.prev[uid].fields[data.FieldCustomer])
		case data.ItemFollowUp:
			w.snooze(who, uid)
		case data.ItemConcern:
			w.editConcern(who, uid)
		case data.ItemInteraction:
			w.editInteraction(who, uid)
		}
	})
}

func (w *calWorld) deleteItem(r *calRound, who int, uid string) {
	if who == 2 {
		w.phoneDelete(r, uid)
		return
	}
	w.onLaptop(r, who, func() { w.deleteOn(who, uid) })
}

func (w *calWorld) must(who int, what string, err error) {
	if err != nil {
		w.t.Fatalf("%s: %s: %v", w.names[who], what, err)
	}
}

// note is a text with the characters iCalendar escapes.
func (w *calWorld) note(what string, who int) string {
	return fmt.Sprintf("%s %d from %d; with, commas\\ and a\nsecond line", what, w.next(), who)
}

func (w *calWorld) logInteraction(who int, cu string) {
	ctx := context.Background()
	s := w.laptops[who]
	in := data.Interaction{CustomerID: w.customerID(who, cu), Kind: []string{"visit", "call", "email", "meeting"}[w.rng.IntN(4)],
		At: time.Now().Add(-time.Duration(1+w.rng.IntN(500)) * time.Hour).Truncate(time.Second), Duration: time.Duration(w.rng.IntN(4)) * 15 * time.Minute,
		Summary: fmt.Sprintf("talk %d", w.next()), Notes: w.note("notes", who), Temperature: w.rng.IntN(6)}
	if w.rng.IntN(2) == 0 {
		in.Heard, in.HeardConfirmed = fmt.Sprintf("wants %d by Friday", w.next()), w.rng.IntN(2) == 0
	}
	if in.Temperature > 0 {
		in.TempComment = "mood " + fmt.Sprint(w.next())
		if cs, err := s.Concerns(ctx, in.CustomerID, false); err == nil && len(cs) > 0 {
			in.TempConcernID = cs[0].ID
		}
	}
	w.must(who, "log interaction", s.LogInteraction(ctx, &in))
}

func (w *calWorld) editInteraction(who int, uid string) {
	ctx := context.Background()
	s := w.laptops[who]
	id, cust := w.row(who, data.ItemInteraction, uid)
	if id == 0 {
		return
	}
	list, err := s.Interactions(ctx, cust, 0, 10000)
	w.must(who, "interactions", err)
	for _, in := range list {
		if in.ID != id {
			continue
		}
		if w.rng.IntN(2) == 0 {
			in.Summary = fmt.Sprintf("talk %d, edited", w.next())
		} else {
			in.Notes = w.note("edited notes", who)
		}
		w.must(who, "edit interaction", s.UpdateInteraction(ctx, &in))
		return
	}
}

func (w *calWorld) addFollowUp(who int, cu string) {
	ctx := context.Background()
	s := w.laptops[who]
	f := data.FollowUp{CustomerID: w.customerID(who, cu), Promise: w.rng.IntN(2) == 0, Text: fmt.Sprintf("send offer %d, signed", w.next()),
		Due: data.DateOf(time.Now().AddDate(0, 0, 1+w.rng.IntN(30)))}
	if in, err := s.Interactions(ctx, f.CustomerID, 0, 1); err == nil && len(in) > 0 && w.rng.IntN(2) == 0 {
		f.InteractionID = in[0].ID
	}
	w.must(who, "add follow-up", s.AddFollowUp(ctx, &f))
}

func (w *calWorld) complete(who int, uid string) {
	id, _ := w.row(who, data.ItemFollowUp, uid)
	if id == 0 {
		return
	}
	it, err := w.laptops[who].CalItemByUID(context.Background(), uid)
	w.must(who, "follow-up", err)
	w.must(who, "complete follow-up", w.laptops[who].CompleteFollowUp(context.Background(), id, it.Fields[data.FieldDone] == ""))
}

func (w *calWorld) snooze(who int, uid string) {
	id, _ := w.row(who, data.ItemFollowUp, uid)
	if id == 0 {
		return
	}
	w.must(who, "snooze", w.laptops[who].SnoozeFollowUp(context.Background(), id, 1+w.rng.IntN(7), time.Now()))
}

var visitZones = []string{"Europe/Berlin", "America/New_York", "Asia/Tokyo"}

func (w *calWorld) planVisit(who int, cu string) {
	zone := visitZones[w.rng.IntN(len(visitZones))]
	loc, err := time.LoadLocation(zone)
	if err != nil {
		w.t.Fatal(err)
	}
	day := time.Now().In(loc).AddDate(0, 0, 1+w.rng.IntN(200))
	at := time.Date(day.Year(), day.Month(), day.Day(), 8+w.rng.IntN(9), 15*w.rng.IntN(4), 0, 0, loc)
	v := data.PlannedVisit{CustomerID: w.customerID(who, cu), At: at, Duration: time.Duration(30+30*w.rng.IntN(3)) * time.Minute,
		Purpose: fmt.Sprintf("cold room %d; demo", w.next()), Zone: zone}
	w.must(who, "plan visit", w.laptops[who].PlanVisit(context.Background(), &v))
}

func (w *calWorld) addConcern(who int, cu string) {
	c := data.Concern{CustomerID: w.customerID(who, cu), Text: fmt.Sprintf("delivery %d, late", w.next())}
	w.must(who, "add concern", w.laptops[who].AddConcern(context.Background(), &c))
}

func (w *calWorld) editConcern(who int, uid string) {
	id, _ := w.row(who, data.ItemConcern, uid)
	if id == 0 {
		return
	}
	ctx := context.Background()
	if w.rng.IntN(3) == 0 {
		w.must(who, "confirm concern", w.laptops[who].ConfirmConcern(ctx, id))
		return
	}
	w.must(who, "edit concern", w.laptops[who].EditConcern(ctx, id, fmt.Sprintf("price %d from %s", w.next(), w.names[who])))
}

func (w *calWorld) resolveConcern(who int, uid string) {
	id, _ := w.row(who, data.ItemConcern, uid)
	if id == 0 {
		return
	}
	w.must(who, "resolve concern", w.laptops[who].ResolveConcern(context.Background(), id))
}

func (w *calWorld) deleteOn(who int, uid string) {
	ctx := context.Background()
	s := w.laptops[who]
	it, err := s.CalItemByUID(ctx, uid)
	if err != nil {
		return // gone here already
	}
	id, cust := w.row(who, it.Kind, uid)
	w.trace("%s deletes %s %s", w.names[who], it.Kind, uid)
	switch it.Kind {
	case data.ItemVisit:
		w.must(who, "delete visit", s.DeletePlannedVisit(ctx, id))
	case data.ItemFollowUp:
		w.must(who, "delete follow-up", s.DeleteFollowUp(ctx, id))
	case data.ItemInteraction:
		w.must(who, "delete interaction", s.DeleteInteraction(ctx, cust, id))
	case data.ItemConcern:
		// Rapport resolves concerns rather than deleting them; a delete
		// is what a sync does, so it is done the way the window cannot.
		w.resolveConcern(who, uid)
	}
}

// --- the phone ---

func (w *calWorld) phoneOp(r *calRound, pick func(string) string) {
	switch w.rng.IntN(6) {
	case 0, 1:
		if u := pick(data.ItemVisit); u != "" {
			w.phoneMove(r, u)
		}
	case 2:
		if u := pick(data.ItemFollowUp); u != "" {
			w.phoneTick(r, u)
		}
	case 3, 4:
		w.phoneJournal(r)
	default:
		if u := pick(""); u != "" {
			w.phoneDelete(r, u)
		}
	}
}

// phoneEdit changes the phone's copy of uid with fn (and again on the
// server's copy if its PUT finds it changed) and records what changed.
func (w *calWorld) phoneEdit(r *calRound, uid string, fn func(m *ical.Component)) bool {
	h := w.ph.hrefOf(uid)
	if h == "" {
		return false
	}
	o := w.ph.objs[h]
	before, err := calDecode(o.cal)
	if err != nil || before == nil {
		w.t.Fatalf("phone: %s: %v", h, err)
	}
	w.ph.edit(h, fn)
	after, err := calDecode(o.cal)
	if err != nil || after == nil {
		w.t.Fatalf("phone: %s after the edit: %v", h, err)
	}
	for _, f := range data.ItemFields[after.Kind] {
		if v := after.Fields[f]; before.Fields[f] != v {
			r.wrote(uid, f, v)
		}
	}
	r.edited[uid] = true
	r.ops++
	return true
}

// ownMark is the phone's own property on an item it edits.
func (w *calWorld) ownMark(uid string, m *ical.Component, n int) {
	setText(m, "X-PHONE-EDITED", fmt.Sprintf("edit %d, on the phone", n))
	if w.own[uid] == nil {
		w.own[uid] = map[string]string{}
	}
	w.own[uid]["X-PHONE-EDITED"] = fmt.Sprintf("edit %d, on the phone", n)
}

// phoneMove moves a visit to another time (DTSTART and DTEND in the
// zone it has), giving it the phone's alarm and travel property.
func (w *calWorld) phoneMove(r *calRound, uid string) {
	shift := time.Duration(w.rng.IntN(8)+1) * 30 * time.Minute
	if w.rng.IntN(2) == 0 {
		shift = -shift
	}
	h := w.ph.hrefOf(uid)
	if h == "" {
		return
	}
	m := master(w.ph.objs[h].cal)
	start, _, err := startOf(w.ph.objs[h].cal, m, ical.PropDateTimeStart)
	if err != nil {
		w.t.Fatal(err)
	}
	to := start.Add(shift) // absolute: a retry after a 412 writes the same time
	n := w.next()
	w.trace("phone moves %s to %s", uid, to)
	if w.phoneEdit(r, uid, func(m *ical.Component) {
		// The length is kept: read before DTSTART moves.
		s, _, _ := startOf(nil, m, ical.PropDateTimeStart)
		e, _, _ := startOf(nil, m, ical.PropDateTimeEnd)
		for _, name := range []string{ical.PropDateTimeStart, ical.PropDateTimeEnd} {
			p := m.Props.Get(name)
			if p == nil {
				continue
			}
			t := to
			if name == ical.PropDateTimeEnd {
				t = to.Add(e.Sub(s))
			}
			if tz := p.Params.Get(ical.PropTimezoneID); tz != "" {
				loc, _ := lookupZone(tz)
				p.Value = t.In(loc).Format("20060102T150405")
			} else {
				p.Value = t.UTC().Format("20060102T150405Z")
			}
		}
		setText(m, "X-APPLE-TRAVEL-ADVISORY-BEHAVIOR", "AUTOMATIC")
		hasOwn := false
		for _, a := range m.Children {
			if a.Name == ical.CompAlarm && a.Props.Get("X-WR-ALARMUID") != nil {
				hasOwn = true
			}
		}
		if !hasOwn {
			a := ical.NewComponent(ical.CompAlarm)
			a.Props.SetText(ical.PropAction, "DISPLAY")
			a.Props.SetText(ical.PropDescription, "Reminder")
			a.Props.Set(&ical.Prop{Name: ical.PropTrigger, Params: ical.Params{}, Value: "-PT15M"})
			a.Props.SetText("X-WR-ALARMUID", "phone-alarm-"+uid)
			m.Children = append(m.Children, a)
		}
		w.ownMark(uid, m, n)
	}) {
		w.own[uid]["X-WR-ALARMUID"] = "phone-alarm-" + uid
		w.own[uid]["X-APPLE-TRAVEL-ADVISORY-BEHAVIOR"] = "AUTOMATIC"
	}
}

// phoneTick ticks a task off (or opens it again) as a tasks app does.
func (w *calWorld) phoneTick(r *calRound, uid string) {
	h := w.ph.hrefOf(uid)
	if h == "" {
		return
	}
	done := !strings.EqualFold(text(master(w.ph.objs[h].cal), ical.PropStatus), "COMPLETED")
	at := time.Now().Add(-time.Duration(w.rng.IntN(3600)) * time.Second).UTC().Truncate(time.Second)
	n := w.next()
	w.trace("phone ticks %s: done %v", uid, done)
	w.phoneEdit(r, uid, func(m *ical.Component) {
		if done {
			m.Props.SetText(ical.PropStatus, "COMPLETED")
			m.Props.SetDateTime(ical.PropCompleted, at)
			m.Props.Set(&ical.Prop{Name: ical.PropPercentComplete, Params: ical.Params{}, Value: "100"})
		} else {
			m.Props.SetText(ical.PropStatus, "NEEDS-ACTION")
			m.Props.Del(ical.PropCompleted)
			m.Props.Set(&ical.Prop{Name: ical.PropPercentComplete, Params: ical.Params{}, Value: "0"})
		}
		w.ownMark(uid, m, n)
	})
}

// phoneRetitle changes the SUMMARY of a journal entry (an interaction or
// a concern) as a journal app does.
func (w *calWorld) phoneRetitle(r *calRound, uid string) {
	title := fmt.Sprintf("Retitled %d on the phone; ok", w.next())
	n := w.n
	w.phoneEdit(r, uid, func(m *ical.Component) {
		m.Props.SetText(ical.PropSummary, title)
		w.ownMark(uid, m, n)
	})
}

// phoneJournal writes a new journal entry for a customer, as jtx Board
// would with Rapport's properties: its own PRODID, UID, file name and X-
// properties.
func (w *calWorld) phoneJournal(r *calRound) {
	n := w.next()
	cu := w.customers[w.rng.IntN(len(w.customers))]
	uid := fmt.Sprintf("%08X-JTX-%04d@phone.example", n*104729, n)
	at := time.Now().Add(-time.Duration(w.rng.IntN(72*3600)) * time.Second).UTC()
	body := fmt.Sprintf("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone Inc//Journal 2.4//EN\r\nBEGIN:VJOURNAL\r\nUID:%s\r\n"+
		"DTSTAMP:%s\r\nDTSTART:%s\r\nSUMMARY:Called about order %d\\, again\r\nDESCRIPTION:She is happy\\; mostly\\nsecond line\r\n"+
		"X-RAPPORT-KIND:interaction\r\nX-RAPPORT-CUSTOMER:%s\r\nX-RAPPORT-INTERACTION-KIND:call\r\nX-RAPPORT-TEMPERATURE:%d\r\n"+
		"X-JTX-COLOR:#ff%04x\r\nEND:VJOURNAL\r\nEND:VCALENDAR\r\n",
		uid, at.Format("20060102T150405Z"), at.Format("20060102T150405Z"), n, cu, 1+w.rng.IntN(5), n)
	href := strings.TrimSuffix(w.cal, "/") + fmt.Sprintf("/%x-jtx.ics", n*7919)
	cal, err := dav.DecodeCalendar([]byte(body))
	if err != nil {
		w.t.Fatal(err)
	}
	it, err := calDecode(cal)
	if err != nil || it == nil {
		w.t.Fatalf("the phone's journal entry: %v", err)
	}
	r.created[uid] = true
	for _, f := range data.ItemFields[it.Kind] {
		r.wrote(uid, f, it.Fields[f])
	}
	w.own[uid] = map[string]string{"PRODID": "-//Phone Inc//Journal 2.4//EN", "X-JTX-COLOR": fmt.Sprintf("#ff%04x", n)}
	w.ph.pending = append(w.ph.pending, calChange{href: href, create: []byte(body)})
	w.trace("phone writes journal %s", uid)
	r.ops++
}

func (w *calWorld) phoneDelete(r *calRound, uid string) {
	h := w.ph.hrefOf(uid)
	if h == "" {
		return
	}
	w.trace("phone deletes %s", uid)
	w.ph.removed[h] = true
	w.ph.pending = append(w.ph.pending, calChange{href: h, uid: uid, delete: true})
	r.deleted[uid] = true
	r.ops++
}

// converge syncs everyone in random order, settling conflicts at random,
// until a whole pass moves nothing.
func (w *calWorld) converge(r *calRound) {
	t := w.t
	ctx := context.Background()
	for pass := 0; ; pass++ {
		if pass == 12 {
			t.Fatalf("no convergence after %d passes", pass)
		}
		moved := false
		for _, who := range w.rng.Perm(3) {
			w.syncs++
			if who == 2 {
				sent, refused := w.ph.sync(t)
				for _, u := range refused {
					r.said[u], r.refused[u] = true, true
				}
				w.trace("phone syncs: %d sent, refused %v", sent, refused)
				if sent > 0 {
					moved = true
				}
				continue
			}
			s := w.laptops[who]
			sum, err := Run(ctx, s, opts())
			if err != nil {
				t.Fatalf("%s: sync: %v", w.names[who], err)
			}
			for _, p := range sum.Problems {
				t.Errorf("%s: sync problem: %s", w.names[who], p)
			}
			for _, n := range sum.Recreated {
				r.recreated[n] = true
			}
			if sum.Changed() {
				moved = true
			}
			w.trace("%s syncs: %s (recreated %v)", w.names[who], sum, sum.Recreated)
			cs, err := Conflicts(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			sort.Slice(cs, func(i, j int) bool { return cs[i].UID+cs[i].Field < cs[j].UID+cs[j].Field })
			for _, c := range cs {
				if c.Field == data.FieldDeleted {
					r.said[c.UID] = true
				}
				keep := Keep(w.rng.IntN(2))
				if keep == KeepMine {
					w.resolve.mine++
				} else {
					w.resolve.theirs++
				}
				w.trace("%s settles %s of %s: keep %d (mine %q, theirs %q)", w.names[who], c.Field, c.UID, keep, c.Mine, c.Theirs)
				if err := Resolve(ctx, s, c.ID, keep); err != nil {
					t.Fatalf("%s: resolve %+v: %v", w.names[who], c, err)
				}
				moved = true
			}
			if n, _ := s.PendingCount(ctx); n > 0 {
				moved = true
			}
		}
		if !moved {
			return
		}
	}
}

// serverItems reads every object of the calendar, by UID; it fails on two
// objects with one UID or an object that is not Rapport's.
func serverItems(t testing.TB, c *dav.Client, cal string) (map[string]itemView, map[string]*ical.Calendar) {
	t.Helper()
	ctx := context.Background()
	res, err := c.SyncCalendar(ctx, cal, "")
	if err != nil {
		t.Fatalf("list the calendar: %v", err)
	}
	var hrefs []string
	for _, e := range res.Changed {
		hrefs = append(hrefs, e.Href)
	}
	out, objs := map[string]itemView{}, map[string]*ical.Calendar{}
	for i := 0; i < len(hrefs); i += 200 {
		got, err := c.MultiGetCalendar(ctx, cal, hrefs[i:min(i+200, len(hrefs))])
		if err != nil {
			t.Fatalf("read the calendar: %v", err)
		}
		for _, o := range got {
			it, err := calDecode(o.Cal)
			if err != nil || it == nil {
				t.Fatalf("server object %s is not a Rapport item (%v)", o.Href, err)
			}
			if it.UID == "" {
				t.Fatalf("server object %s has no UID", o.Href)
			}
			if _, dup := out[it.UID]; dup {
				t.Fatalf("two server objects with UID %s: doubled", it.UID)
			}
			out[it.UID] = itemView{kind: it.Kind, fields: it.Fields}
			objs[it.UID] = o.Cal
		}
	}
	if len(out) != len(hrefs) {
		t.Fatalf("the server lists %d objects but gave %d", len(hrefs), len(out))
	}
	return out, objs
}

// rowsCheck: one row per item, every row with a UID, on a laptop.
func (w *calWorld) rowsCheck(who int) {
	for _, table := range kindTable {
		var n, distinct, empty int
		if err := w.dbs[who].QueryRow(`SELECT count(*), count(DISTINCT uid), coalesce(sum(uid = ''), 0) FROM `+table).Scan(&n, &distinct, &empty); err != nil {
			w.t.Fatal(err)
		}
		if n != distinct || empty != 0 {
			w.t.Fatalf("%s: %s has %d rows, %d UIDs, %d without one", w.names[who], table, n, distinct, empty)
		}
	}
}

// linkFields name another item; deleting that one takes the link.
var linkFields = map[string]bool{data.FieldInteraction: true, data.FieldTempConcern: true}

func (w *calWorld) check(r *calRound) {
	t := w.t
	t.Helper()
	server, objs := serverItems(t, w.ph.read, w.cal)
	for i, s := range w.laptops {
		w.rowsCheck(i)
		local := w.items(s)
		for uid, sv := range server {
			lv, ok := local[uid]
			if !ok {
				t.Fatalf("%s lacks %s, which the server has: %v", w.names[i], uid, sv)
			}
			if lv.kind != sv.kind || !sameFields(lv.fields, sv.fields) {
				t.Fatalf("%s and the server differ on %s:\nhere:   %v\nserver: %v", w.names[i], uid, lv, sv)
			}
		}
		for uid, lv := range local {
			if _, ok := server[uid]; !ok {
				t.Fatalf("%s has %s, which the server lacks: %v", w.names[i], uid, lv)
			}
		}
		if n, _ := s.PendingCount(context.Background()); n != 0 {
			t.Fatalf("%s: %d changes still waiting after convergence", w.names[i], n)
		}
	}
	if len(w.ph.objs) != len(server) {
		t.Fatalf("the phone has %d objects, the server %d", len(w.ph.objs), len(server))
	}
	now := server
	for uid, v := range now {
		if w.gone[uid] {
			t.Fatalf("%s was deleted and came back: %v", uid, v)
		}
		pv, before := r.prev[uid]
		if !before && !r.created[uid] {
			t.Fatalf("%s appeared from nowhere: %v", uid, v)
		}
		if before && pv.kind != v.kind {
			t.Fatalf("%s was a %s and is a %s", uid, pv.kind, v.kind)
		}
		relaxed := r.deleted[uid]
		for _, f := range data.ItemFields[v.kind] {
			got := v.fields[f]
			vals := r.writes[uid][f]
			switch {
			case vals[got]:
			case len(vals) == 0 && before && got == pv.fields[f]:
			case relaxed && before && got == pv.fields[f]:
			case linkFields[f] && got == "" && (r.deleted[pv.fields[f]] || w.gone[pv.fields[f]] || anyDeleted(vals, r, w)):
			default:
				t.Fatalf("%s %s: %s is %q, which is neither written this round (%v) nor the old value %q\nnow: %v",
					v.kind, uid, f, got, sortedKeys(vals), pv.fields[f], v)
			}
		}
	}
	for uid := range r.prev {
		if _, ok := now[uid]; !ok && !r.deleted[uid] {
			t.Fatalf("%s was lost without being deleted: %v", uid, r.prev[uid])
		}
	}
	for uid := range r.deleted {
		v, ok := now[uid]
		if !ok {
			w.gone[uid] = true
			delete(w.own, uid)
			continue
		}
		if !r.edited[uid] && !r.refused[uid] {
			t.Fatalf("%s was deleted, edited by nobody, and is still there: %v", uid, v)
		}
		name := ""
		if it, err := w.laptops[0].CalItemByUID(context.Background(), uid); err == nil {
			name = it.Kind + " of " + it.CustomerName
		}
		if !r.said[uid] && !r.recreated[name] {
			t.Fatalf("%s was deleted and edited elsewhere, and is back without the engine saying so (no deleted conflict, no recreate of %q in %v)",
				uid, name, sortedKeys(r.recreated))
		}
		// Made again from a laptop's copy: the phone's properties may
		// have gone with the deleted object.
		delete(w.own, uid)
	}
	for uid := range r.created {
		if _, ok := now[uid]; !ok {
			t.Fatalf("%s was created and is lost", uid)
		}
	}
	// The phone's own properties are where it put them.
	for uid, props := range w.own {
		cal := objs[uid]
		if cal == nil {
			t.Fatalf("the phone's item %s is not on the server", uid)
		}
		m := master(cal)
		for name, want := range props {
			var got string
			switch name {
			case "PRODID":
				got = cal.Props.Get(ical.PropProductID).Value
			case "X-WR-ALARMUID":
				for _, a := range m.Children {
					if a.Name == ical.CompAlarm && a.Props.Get(name) != nil {
						got = text(a, name)
					}
				}
			default:
				got = text(m, name)
			}
			if got != want {
				t.Fatalf("the phone's %s on %s is %q, want %q:\n%s", name, uid, got, want, mustText(t, cal))
			}
		}
	}
}

func anyDeleted(vals map[string]bool, r *calRound, w *calWorld) bool {
	for v := range vals {
		if r.deleted[v] || w.gone[v] {
			return true
		}
	}
	return false
}

func mustText(t testing.TB, cal *ical.Calendar) string {
	s, err := calText(cal)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// calPhone is a third client writing the calendar directly, as a phone's
// CalDAV account would: raw PUT and DELETE with If-Match, objects in its
// own form, reading with a plain CalDAV client.
type calPhone struct {
	srv     *davtest.Server
	cal     string
	read    *dav.Client
	hc      *http.Client
	objs    map[string]*phoneObj // by href
	removed map[string]bool
	pending []calChange
}

type phoneObj struct {
	href, etag string
	cal        *ical.Calendar
}

// calChange is one offline change of the phone; edit is made again on the
// server's object when a PUT finds it changed meanwhile.
type calChange struct {
	href, uid string
	create    []byte
	edit      func(m *ical.Component)
	delete    bool
}

func newCalPhone(t testing.TB, srv *davtest.Server, cal string) *calPhone {
	t.Helper()
	c, err := dav.New(srv.URL, dav.Options{User: davtest.User, Password: davtest.Password})
	if err != nil {
		t.Fatal(err)
	}
	return &calPhone{srv: srv, cal: cal, read: c, hc: &http.Client{}, objs: map[string]*phoneObj{}, removed: map[string]bool{}}
}

func (p *calPhone) refresh(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	res, err := p.read.SyncCalendar(ctx, p.cal, "")
	if err != nil {
		t.Fatalf("phone: list: %v", err)
	}
	p.objs = map[string]*phoneObj{}
	var hrefs []string
	for _, e := range res.Changed {
		hrefs = append(hrefs, e.Href)
	}
	for i := 0; i < len(hrefs); i += 200 {
		got, err := p.read.MultiGetCalendar(ctx, p.cal, hrefs[i:min(i+200, len(hrefs))])
		if err != nil {
			t.Fatalf("phone: multiget: %v", err)
		}
		for _, o := range got {
			p.objs[o.Href] = &phoneObj{href: o.Href, etag: o.ETag, cal: o.Cal}
		}
	}
}

func (p *calPhone) hrefOf(uid string) string {
	for _, h := range sortedKeys(p.objs) {
		if p.removed[h] {
			continue
		}
		if m := master(p.objs[h].cal); m != nil && text(m, ical.PropUID) == uid {
			return h
		}
	}
	return ""
}

func (p *calPhone) edit(href string, fn func(m *ical.Component)) {
	fn(master(p.objs[href].cal))
	p.pending = append(p.pending, calChange{href: href, edit: fn})
}

func (p *calPhone) do(method, href string, body []byte, hdr map[string]string) (*http.Response, []byte, error) {
	req, err := http.NewRequest(method, p.srv.URL+href, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.SetBasicAuth(davtest.User, davtest.Password)
	if body != nil {
		req.Header.Set("Content-Type", "text/calendar; charset=utf-8")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := p.hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b, nil
}

func (p *calPhone) put(href, etag string, body []byte) (int, string, error) {
	hdr := map[string]string{"If-None-Match": "*"}
	if etag != "" {
		hdr = map[string]string{"If-Match": `"` + etag + `"`}
	}
	resp, b, err := p.do(http.MethodPut, href, body, hdr)
	if err != nil {
		return 0, "", err
	}
	if resp.StatusCode >= 300 && resp.StatusCode != http.StatusPreconditionFailed && resp.StatusCode != http.StatusNotFound {
		return resp.StatusCode, "", fmt.Errorf("phone: PUT %s: %s: %s", href, resp.Status, b)
	}
	return resp.StatusCode, strings.Trim(resp.Header.Get("ETag"), `"`), nil
}

// sync sends the phone's offline changes: how many reached the server,
// and the UIDs whose delete the server refused (changed meanwhile: the
// phone keeps what others changed). An edit of an object deleted
// meanwhile is dropped.
func (p *calPhone) sync(t testing.TB) (sent int, refused []string) {
	t.Helper()
	edits := map[string][]func(*ical.Component){}
	for _, ch := range p.pending {
		if ch.edit != nil {
			edits[ch.href] = append(edits[ch.href], ch.edit)
		}
	}
	for _, ch := range p.pending {
		switch {
		case ch.create != nil:
			code, _, err := p.put(ch.href, "", ch.create)
			if err != nil {
				t.Fatal(err)
			}
			if code >= 300 {
				t.Fatalf("phone: create %s: %d", ch.href, code)
			}
			sent++
		case ch.delete:
			o := p.objs[ch.href]
			resp, body, err := p.do(http.MethodDelete, ch.href, nil, map[string]string{"If-Match": `"` + o.etag + `"`})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case resp.StatusCode < 300:
				sent++
			case resp.StatusCode == http.StatusPreconditionFailed:
				refused = append(refused, ch.uid)
			case resp.StatusCode == http.StatusNotFound:
			default:
				t.Fatalf("phone: DELETE %s: %s %s", ch.href, resp.Status, body)
			}
		default:
			if fns := edits[ch.href]; fns != nil && !p.removed[ch.href] {
				delete(edits, ch.href)
				if p.editOnServer(t, ch.href, fns) {
					sent++
				}
			}
		}
	}
	p.pending = nil
	p.removed = map[string]bool{}
	p.refresh(t)
	return sent, refused
}

func (p *calPhone) editOnServer(t testing.TB, href string, edits []func(*ical.Component)) bool {
	t.Helper()
	o := p.objs[href]
	for attempt := range 5 {
		if o == nil {
			return false
		}
		if attempt > 0 {
			for _, fn := range edits {
				fn(master(o.cal))
			}
		}
		body, err := dav.EncodeCalendar(o.cal)
		if err != nil {
			t.Fatalf("phone: encode %s: %v", href, err)
		}
		code, etag, err := p.put(href, o.etag, body)
		if err != nil {
			t.Fatal(err)
		}
		if code < 300 {
			if etag == "" {
				got, err := p.read.GetCalendarObject(context.Background(), href)
				if err != nil {
					t.Fatalf("phone: read back %s: %v", href, err)
				}
				etag = got.ETag
			}
			o.etag = etag
			return true
		}
		got, err := p.read.GetCalendarObject(context.Background(), href)
		if err != nil {
			return false // deleted meanwhile: the edit goes with it
		}
		o = &phoneObj{href: href, etag: got.ETag, cal: got.Cal}
		p.objs[href] = o
	}
	t.Fatalf("phone: %s kept changing", href)
	return false
}
