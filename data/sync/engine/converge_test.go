package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	govcard "github.com/emersion/go-vcard"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/dav"
	"github.com/rapportcrm/rapport/data/sync/davtest"
)

// The convergence test: two laptops (two Rapport databases) and a phone
// (raw HTTP, see phone_test.go) change the same address book offline in
// seeded random rounds, then all sync in random order until nothing
// moves. After every round the three agree card for card, every edit of
// the round is there unless a conflict was settled against it, nothing is
// doubled and nothing deleted comes back.
//
//	go test -run TestConvergence ./data/sync/engine/ -seed=42
//	RAPPORT_SYNC_SEED=42 go test -run TestConvergence ./data/sync/engine/
//	RAPPORT_SYNC_LONG=1 go test -run TestConvergence -timeout 30m ./data/sync/engine/
//
// By default it runs a fixed seed (the suite stays repeatable); the long
// version takes a new seed each time, logged, and many more rounds.

var seedFlag = flag.Uint64("seed", 0, "seed of TestConvergence (0: RAPPORT_SYNC_SEED, else fixed; a new one each run with RAPPORT_SYNC_LONG=1)")

func convergenceSeed(t *testing.T, long bool) uint64 {
	if *seedFlag != 0 {
		return *seedFlag
	}
	if s := os.Getenv("RAPPORT_SYNC_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("RAPPORT_SYNC_SEED=%q: %v", s, err)
		}
		return n
	}
	if long {
		return uint64(time.Now().UnixNano())
	}
	return 20261202
}

// view is what the test checks of one card: the fields Rapport maps, in
// comparable form.
type view struct {
	name, title, note, company, photo string
	phones, emails                    map[string]bool
}

func viewOf(c *data.Customer) view {
	v := view{name: c.Name(), title: c.Title, note: c.CardNote, company: c.Company, photo: photoKey(c.Photo.Data),
		phones: map[string]bool{}, emails: map[string]bool{}}
	for _, p := range c.Phones {
		v.phones[data.PhoneKey(p.Value)] = true
	}
	for _, e := range c.Emails {
		v.emails[data.NormalizeEmail(e.Value)] = true
	}
	return v
}

func photoKey(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:6])
}

func (v view) scalar(f string) string {
	switch f {
	case "title":
		return v.title
	case "note":
		return v.note
	case "company":
		return v.company
	case "photo":
		return v.photo
	}
	panic(f)
}

var scalars = []string{"title", "note", "company", "photo"}

// round is what happened in one round, for the checks.
type round struct {
	prev    map[string]view            // the agreed state before it
	writes  map[string]map[string]bool // uid → "field\x00value" written
	added   map[string]map[string]bool // uid → "phone:key" / "email:key"
	removed map[string]map[string]bool
	deleted map[string]bool
	edited  map[string]bool
	created map[string]bool
	// twins are UIDs of the same person created on both laptops; the
	// pair shares writes and additions, and one of them survives.
	twins [][2]string
	ops   int
}

func newRound(prev map[string]view) *round {
	return &round{prev: prev, writes: map[string]map[string]bool{}, added: map[string]map[string]bool{},
		removed: map[string]map[string]bool{}, deleted: map[string]bool{}, edited: map[string]bool{}, created: map[string]bool{}}
}

func addTo(m map[string]map[string]bool, uid, k string) {
	if m[uid] == nil {
		m[uid] = map[string]bool{}
	}
	m[uid][k] = true
}

func (r *round) wrote(uid, field, value string) {
	addTo(r.writes, uid, field+"\x00"+value)
	r.edited[uid] = true
}

func (r *round) wroteAll(uid string, v view) {
	for _, f := range scalars {
		addTo(r.writes, uid, f+"\x00"+v.scalar(f))
	}
	for k := range v.phones {
		addTo(r.added, uid, "phone:"+k)
	}
	for k := range v.emails {
		addTo(r.added, uid, "email:"+k)
	}
	r.created[uid] = true
}

func (r *round) writtenTo(uid, field string) (vals map[string]bool) {
	vals = map[string]bool{}
	for k := range r.writes[uid] {
		if f, v, _ := strings.Cut(k, "\x00"); f == field {
			vals[v] = true
		}
	}
	return vals
}

// world is the three clients on one server.
type world struct {
	t       *testing.T
	rng     *rand.Rand
	srv     *davtest.Server
	laptops []*data.Store
	names   []string
	ph      *phone
	reader  *dav.Client
	book    string
	n       int             // a counter for unique values
	gone    map[string]bool // deleted and agreed gone: must never come back
	resolve struct{ mine, theirs int }
	syncs   int
}

func (w *world) next() int { w.n++; return w.n }

// trace logs what happens when RAPPORT_SYNC_TRACE is set, to follow a
// failing seed.
var tracing = os.Getenv("RAPPORT_SYNC_TRACE") != ""

func (w *world) trace(format string, args ...any) {
	if tracing {
		w.t.Logf(format, args...)
	}
}

func TestConvergence(t *testing.T) {
	long := os.Getenv("RAPPORT_SYNC_LONG") != ""
	rounds := 5
	if long {
		rounds = 60
	}
	if testing.Short() {
		rounds = 3
	}
	seed := convergenceSeed(t, long)
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			t.Logf("seed %d (rerun: go test -run 'TestConvergence/%s' ./data/sync/engine/ -seed=%d)", seed, k.Name, seed)
			w := newWorld(t, k, seed)
			ops := 0
			for i := range rounds {
				r := w.play(i)
				w.converge(r)
				w.check(r)
				ops += r.ops
			}
			t.Logf("%d rounds, %d operations, %d syncs, %d conflicts settled (%d mine, %d theirs), %d cards at the end",
				rounds, ops, w.syncs, w.resolve.mine+w.resolve.theirs, w.resolve.mine, w.resolve.theirs, len(w.agreed()))
		})
	}
}

func newWorld(t *testing.T, k davtest.Kind, seed uint64) *world {
	srv := k.Start(t)
	w := &world{t: t, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), srv: srv, gone: map[string]bool{}}
	w.laptops = []*data.Store{laptop(t, srv, "a"), laptop(t, srv, "b")}
	w.names = []string{"laptop a", "laptop b"}
	acct, err := w.laptops[0].SyncAccount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	w.book = acct.Collection(data.KindContacts).Href
	w.ph = newPhone(t, srv, w.book)
	w.reader = w.ph.read
	// A start of a dozen customers on laptop a, and a few on the phone.
	r := newRound(map[string]view{})
	for range 10 {
		w.create(r, 0)
	}
	for range 3 {
		w.phoneCreate(r)
	}
	w.converge(r)
	w.check(r)
	return w
}

// agreed is the state all agree on (after check): laptop a's view.
func (w *world) agreed() map[string]view {
	out := map[string]view{}
	err := w.laptops[0].EachCustomer(context.Background(), data.ExportFilter{}, func(c *data.Customer, _ *data.Profile) error {
		out[c.UID] = viewOf(c)
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

// play makes one round of offline changes on all three.
func (w *world) play(i int) *round {
	r := newRound(w.agreed())
	known := sortedKeys(r.prev)
	pick := func() string {
		if len(known) == 0 {
			return ""
		}
		return known[w.rng.IntN(len(known))]
	}
	// Deliberate collisions first, then random changes.
	if uid := pick(); uid != "" {
		// The same field on both laptops (and sometimes the phone).
		f := scalars[w.rng.IntN(3)]
		w.editScalar(r, 0, uid, f)
		w.editScalar(r, 1, uid, f)
		if w.rng.IntN(3) == 0 {
			w.phoneEditScalar(r, uid, f)
		}
	}
	if uid := pick(); uid != "" && w.rng.IntN(2) == 0 {
		// Deleted on one, edited on another.
		d := w.rng.IntN(3)
		e := (d + 1 + w.rng.IntN(2)) % 3
		w.clientEdit(r, e, uid)
		w.clientDelete(r, d, uid)
	}
	if w.rng.IntN(3) == 0 {
		w.twins(r)
	}
	for range 6 {
		w.randomOp(r, w.rng.IntN(3), pick)
	}
	_ = i
	return r
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (w *world) randomOp(r *round, who int, pick func() string) {
	switch op := w.rng.IntN(10); {
	case op == 0:
		if who == 2 {
			w.phoneCreate(r)
		} else {
			w.create(r, who)
		}
	case op == 1:
		if uid := pick(); uid != "" {
			w.clientDelete(r, who, uid)
		}
	default:
		if uid := pick(); uid != "" {
			w.clientEdit(r, who, uid)
		}
	}
}

// clientEdit makes one random edit of uid on client who (2: the phone).
func (w *world) clientEdit(r *round, who int, uid string) {
	if who == 2 {
		w.phoneEdit(r, uid)
		return
	}
	switch w.rng.IntN(6) {
	case 0, 1:
		w.editScalar(r, who, uid, scalars[w.rng.IntN(len(scalars))])
	case 2:
		w.editLocal(r, who, uid, func(c *data.Customer) {
			k := fmt.Sprintf("+44 20 7946 %04d", w.next())
			c.Phones = append(c.Phones, data.Labelled{Label: "work", Value: k})
			addTo(r.added, uid, "phone:"+data.PhoneKey(k))
		})
	case 3:
		w.editLocal(r, who, uid, func(c *data.Customer) {
			e := fmt.Sprintf("p%d@%s.example", w.next(), w.names[who][7:])
			c.Emails = append(c.Emails, data.Labelled{Label: "work", Value: e})
			addTo(r.added, uid, "email:"+e)
		})
	default:
		w.editLocal(r, who, uid, func(c *data.Customer) {
			if len(c.Phones) == 0 {
				return
			}
			i := w.rng.IntN(len(c.Phones))
			addTo(r.removed, uid, "phone:"+data.PhoneKey(c.Phones[i].Value))
			c.Phones = append(c.Phones[:i:i], c.Phones[i+1:]...)
		})
	}
}

// value is a new value for a scalar field; notes carry the characters
// vCard escapes.
func (w *world) value(f string, who int) string {
	n := w.next()
	switch f {
	case "note":
		return fmt.Sprintf("note %d from %d; with, commas\\ and a\nsecond line", n, who)
	case "company":
		return fmt.Sprintf("Firm %d", n)
	case "photo":
		return photoKey(pngOf(n))
	}
	return fmt.Sprintf("Title %d", n)
}

func (w *world) editScalar(r *round, who int, uid, f string) {
	if who == 2 {
		w.phoneEditScalar(r, uid, f)
		return
	}
	w.editLocal(r, who, uid, func(c *data.Customer) {
		v := w.value(f, who)
		switch f {
		case "title":
			c.Title = v
		case "note":
			c.CardNote = v
		case "company":
			c.Company = v
		case "photo":
			c.Photo = data.Photo{Data: pngOf(w.n), MIME: "image/png"}
		}
		r.wrote(uid, f, v)
	})
}

// editLocal changes uid on a laptop, unless it is gone there.
func (w *world) editLocal(r *round, who int, uid string, fn func(*data.Customer)) {
	s := w.laptops[who]
	c, _, err := s.CustomerByUID(context.Background(), uid)
	if err != nil {
		return // deleted here this round
	}
	before := viewOf(c)
	fn(c)
	w.trace("%s edits %s: %+v -> %+v", w.names[who], uid, before, viewOf(c))
	if err := s.UpdateCustomer(context.Background(), c); err != nil {
		w.t.Fatalf("%s: edit %s: %v", w.names[who], uid, err)
	}
	r.edited[uid] = true
	r.ops++
}

func (w *world) clientDelete(r *round, who int, uid string) {
	r.ops++
	w.trace("client %d deletes %s", who, uid)
	if who == 2 {
		if h := w.phoneHref(uid); h != "" {
			w.ph.remove(h)
			r.deleted[uid] = true
		}
		return
	}
	s := w.laptops[who]
	c, _, err := s.CustomerByUID(context.Background(), uid)
	if err != nil {
		return
	}
	if err := s.DeleteCustomer(context.Background(), c.ID); err != nil {
		w.t.Fatal(err)
	}
	r.deleted[uid] = true
}

func (w *world) newCustomer(who int, n int) data.Customer {
	return data.Customer{GivenName: fmt.Sprintf("Given%d", n), FamilyName: "Family",
		Title: fmt.Sprintf("Title %d", n), Company: fmt.Sprintf("Firm %d", n),
		CardNote: fmt.Sprintf("made on %s; n=%d", w.names[who], n),
		Phones:   []data.Labelled{{Label: "cell", Value: fmt.Sprintf("+49 30 5550 %04d", n)}},
		Emails:   []data.Labelled{{Label: "work", Value: fmt.Sprintf("c%d@example.com", n)}}}
}

func (w *world) create(r *round, who int) string {
	c := w.newCustomer(who, w.next())
	if err := w.laptops[who].CreateCustomer(context.Background(), &c); err != nil {
		w.t.Fatal(err)
	}
	r.wroteAll(c.UID, viewOf(&c))
	r.ops++
	return c.UID
}

// twins: the same person (same name and e-mail) entered on both laptops.
func (w *world) twins(r *round) {
	n := w.next()
	var uids [2]string
	for who := range 2 {
		c := w.newCustomer(who, n)
		c.Title = fmt.Sprintf("Title %d", w.next())
		c.Phones = []data.Labelled{{Label: "cell", Value: fmt.Sprintf("+49 30 5551 %04d", w.next())}}
		if err := w.laptops[who].CreateCustomer(context.Background(), &c); err != nil {
			w.t.Fatal(err)
		}
		uids[who] = c.UID
		r.wroteAll(c.UID, viewOf(&c))
		r.ops++
	}
	// What either wrote may end on the one that survives.
	for _, m := range []map[string]map[string]bool{r.writes, r.added} {
		for k := range m[uids[0]] {
			addTo(m, uids[1], k)
		}
		for k := range m[uids[1]] {
			addTo(m, uids[0], k)
		}
	}
	r.twins = append(r.twins, uids)
}

func (w *world) phoneHref(uid string) string {
	for _, h := range w.ph.hrefs() {
		if w.ph.uidOf(h) == uid {
			return h
		}
	}
	return ""
}

func (w *world) phoneCreate(r *round) {
	n := w.next()
	v4 := w.rng.IntN(2) == 0
	photo := pngOf(n)
	given := fmt.Sprintf("Phoned%d", n)
	email := fmt.Sprintf("ph%d@mobile.example", n)
	tel := fmt.Sprintf("+33 1 4000 %04d", n)
	title := fmt.Sprintf("Title %d", n)
	note := fmt.Sprintf("from the phone; n=%d, ok", n)
	uid, file, text := phoneCardText(v4, w.ph.dataURI, n, given, "Mobile", email, tel, title, note, photo)
	w.ph.pending = append(w.ph.pending, phoneChange{href: w.book + file, create: text})
	r.wroteAll(uid, view{title: title, note: note, company: "", photo: photoKey(photo),
		phones: map[string]bool{data.PhoneKey(tel): true}, emails: map[string]bool{email: true}})
	r.ops++
}

func (w *world) phoneEdit(r *round, uid string) {
	switch w.rng.IntN(5) {
	case 0, 1, 2:
		w.phoneEditScalar(r, uid, scalars[w.rng.IntN(len(scalars))])
	default:
		h := w.phoneHref(uid)
		if h == "" {
			return
		}
		tel := fmt.Sprintf("+1 212 %07d", w.next())
		w.ph.edit(h, func(c govcard.Card) {
			c.Add(govcard.FieldTelephone, &govcard.Field{Value: tel, Params: govcard.Params{"TYPE": {"cell"}}})
		})
		addTo(r.added, uid, "phone:"+data.PhoneKey(tel))
		w.trace("phone adds %s to %s", tel, uid)
		r.edited[uid] = true
		r.ops++
	}
}

func (w *world) phoneEditScalar(r *round, uid, f string) {
	h := w.phoneHref(uid)
	if h == "" {
		return
	}
	v := w.value(f, 2)
	n := w.n
	w.ph.edit(h, func(c govcard.Card) {
		switch f {
		case "title":
			c.SetValue(govcard.FieldTitle, v)
		case "note":
			c.SetValue(govcard.FieldNote, v)
		case "company":
			c.SetValue(govcard.FieldOrganization, v)
		case "photo":
			setPhoto(c, pngOf(n), w.ph.dataURI)
		}
	})
	r.wrote(uid, f, v)
	w.trace("phone sets %s of %s to %q", f, uid, v)
	r.ops++
}

// converge syncs everyone in random order, settling conflicts at random,
// until a whole pass moves nothing.
func (w *world) converge(r *round) {
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
				w.trace("phone syncs")
				if w.ph.sync(t) > 0 {
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
			if sum.Changed() {
				moved = true
			}
			w.trace("%s syncs: %s", w.names[who], sum)
			cs, err := Conflicts(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			// In a fixed order: a parallel push finds them in any order.
			sort.Slice(cs, func(i, j int) bool { return cs[i].UID+cs[i].Field < cs[j].UID+cs[j].Field })
			for _, c := range cs {
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

// check compares the three and the round's changes.
func (w *world) check(r *round) {
	t := w.t
	t.Helper()
	server := serverCards(t, w.reader, w.book)
	for i, s := range w.laptops {
		local := localCards(t, s)
		for uid, text := range server {
			if local[uid] == "" {
				t.Fatalf("%s lacks %s, which the server has:\n%s", w.names[i], uid, text)
			}
			if local[uid] != text {
				t.Fatalf("%s and the server differ on %s:\nhere:\n%s\nserver:\n%s", w.names[i], uid, local[uid], text)
			}
		}
		for uid := range local {
			if server[uid] == "" {
				t.Fatalf("%s has %s, which the server lacks:\n%s", w.names[i], uid, local[uid])
			}
		}
	}
	for _, h := range w.ph.hrefs() {
		if server[w.ph.uidOf(h)] == "" {
			t.Fatalf("the phone has %s, not on the server", h)
		}
	}
	if len(w.ph.cards) != len(server) {
		t.Fatalf("the phone has %d cards, the server %d", len(w.ph.cards), len(server))
	}
	now := w.agreed()
	emails := map[string]int{}
	for uid, v := range now {
		for e := range v.emails {
			emails[e]++
		}
		if w.gone[uid] {
			t.Fatalf("%s was deleted and came back", uid)
		}
		_, before := r.prev[uid]
		if !before && !r.created[uid] {
			t.Fatalf("%s appeared from nowhere", uid)
		}
		relaxed := r.deleted[uid] // deleted against an edit: either may win
		for _, f := range scalars {
			got := v.scalar(f)
			vals := r.writtenTo(uid, f)
			switch {
			case len(vals) == 0 && before:
				if got != r.prev[uid].scalar(f) {
					t.Fatalf("%s: %s changed to %q though nobody wrote it (was %q)", uid, f, got, r.prev[uid].scalar(f))
				}
			case vals[got]:
			case relaxed && before && got == r.prev[uid].scalar(f):
			default:
				t.Fatalf("%s: %s is %q, which is neither written this round (%v) nor the old value", uid, f, got, sortedKeys(vals))
			}
		}
		have := map[string]bool{}
		for k := range v.phones {
			have["phone:"+k] = true
		}
		for k := range v.emails {
			have["email:"+k] = true
		}
		was := map[string]bool{}
		if before {
			for k := range r.prev[uid].phones {
				was["phone:"+k] = true
			}
			for k := range r.prev[uid].emails {
				was["email:"+k] = true
			}
		}
		for k := range have {
			if !was[k] && !r.added[uid][k] {
				t.Fatalf("%s: %s appeared without being added", uid, k)
			}
			if r.removed[uid][k] && !r.added[uid][k] && !relaxed {
				t.Fatalf("%s: %s was removed but is back", uid, k)
			}
		}
		if !relaxed {
			for k := range r.added[uid] {
				if !have[k] && !r.removed[uid][k] {
					t.Fatalf("%s: the added %s was lost", uid, k)
				}
			}
			for k := range was {
				if !have[k] && !r.removed[uid][k] {
					t.Fatalf("%s: %s was lost without being removed", uid, k)
				}
			}
		}
	}
	for e, n := range emails {
		if n > 1 {
			t.Fatalf("%d customers share the e-mail %s: a duplicate", n, e)
		}
	}
	for uid := range r.prev {
		if _, ok := now[uid]; ok {
			continue
		}
		if !r.deleted[uid] {
			t.Fatalf("%s was lost without being deleted", uid)
		}
	}
	for uid := range r.deleted {
		_, ok := now[uid]
		if ok && !r.edited[uid] {
			t.Fatalf("%s was deleted, edited by nobody, and is still there", uid)
		}
		if !ok {
			w.gone[uid] = true
		}
	}
	for uid := range r.created {
		if _, ok := now[uid]; ok || r.deleted[uid] {
			continue
		}
		twin := ""
		for _, p := range r.twins {
			if p[0] == uid {
				twin = p[1]
			} else if p[1] == uid {
				twin = p[0]
			}
		}
		if _, ok := now[twin]; twin == "" || !ok {
			t.Fatalf("%s was created and is lost", uid)
		}
		w.gone[uid] = true
	}
	for _, p := range r.twins {
		_, a := now[p[0]]
		_, b := now[p[1]]
		if a == b {
			t.Fatalf("the same person entered on both laptops: %s %v, %s %v; want exactly one", p[0], a, p[1], b)
		}
	}
}
