package dav

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/emersion/go-vcard"
	"github.com/rapportcrm/rapport/data/sync/davtest"
)

// TestServers runs the same suite against each real server.
func TestServers(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			t.Run("Discover", func(t *testing.T) { testDiscover(t, srv) })
			b := openBook(t, srv)
			t.Run("Conditional", func(t *testing.T) { testConditional(t, b) })
			t.Run("Race412", func(t *testing.T) { testRace(t, b) })
			t.Run("ListMultiGet", func(t *testing.T) { testListMultiGet(t, b) })
			t.Run("Sync", func(t *testing.T) { testSync(t, b) })
			t.Run("WrongPassword", func(t *testing.T) { testWrongPassword(t, srv) })
			t.Run("NoAddressBook", func(t *testing.T) { testNoBook(t, b) })
			t.Run("EscapingRoundTrips", func(t *testing.T) { testRoundTrips(t, b) })
		})
	}
}

func testDiscover(t *testing.T, srv *davtest.Server) {
	ctx := context.Background()
	c := newClient(t, srv, davtest.Password)
	acct, err := c.Discover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: context %s principal %s home %s; %s", srv.Name, acct.Context, acct.Principal, acct.Home, strings.Join(acct.Notes, "; "))
	if acct.Principal != "/"+davtest.User+"/" {
		t.Errorf("principal %q, want /%s/", acct.Principal, davtest.User)
	}
	if findBook(acct.Books, "Rapport") != "" {
		t.Fatalf("a fresh server already has a Rapport book: %+v", acct.Books)
	}
	p, how, err := c.EnsureAddressBook(ctx, acct, "Rapport")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: Rapport book at %s, %s", srv.Name, p, how)
	if how != ExtendedMKCOL {
		t.Errorf("made the book by %q, want extended MKCOL", how)
	}
	// A second client (another laptop) finds it rather than making another.
	c2 := newClient(t, srv, davtest.Password)
	acct2, err := c2.Discover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p2, how2, err := c2.EnsureAddressBook(ctx, acct2, "Rapport")
	if err != nil || p2 != p || how2 != Found {
		t.Errorf("second client: %q %q %v, want %q found", p2, how2, err, p)
	}
	var names []string
	for _, b := range acct2.Books {
		names = append(names, b.Name)
	}
	if len(acct2.Books) != 1 || acct2.Books[0].Name != "Rapport" {
		t.Errorf("books after creation: %q", names)
	}
}

func testConditional(t *testing.T, b *book) {
	ctx := context.Background()
	h := b.href("cond-1")
	et1, err := b.c.Create(ctx, h, testCard("cond-1", "Anna Berg"))
	if err != nil {
		t.Fatal(err)
	}
	if et1 == "" {
		t.Fatal("create gave no ETag")
	}
	if _, err := b.c.Create(ctx, h, testCard("cond-1", "Someone Else")); !errors.Is(err, ErrPrecondition) {
		t.Errorf("second create at the same href: %v, want ErrPrecondition", err)
	}
	et2, err := b.c.Update(ctx, h, et1, testCard("cond-1", "Anna Berg-Lund"))
	if err != nil {
		t.Fatal(err)
	}
	if et2 == et1 {
		t.Errorf("update kept the ETag %q", et1)
	}
	if _, err := b.c.Update(ctx, h, et1, testCard("cond-1", "Stale")); !errors.Is(err, ErrPrecondition) {
		t.Errorf("update with the old ETag: %v, want ErrPrecondition", err)
	}
	if err := b.c.Delete(ctx, h, et1); !errors.Is(err, ErrPrecondition) {
		t.Errorf("delete with the old ETag: %v, want ErrPrecondition", err)
	}
	got, err := b.c.Get(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	if got.ETag != et2 || got.Card.Value(vcard.FieldFormattedName) != "Anna Berg-Lund" {
		t.Errorf("after refused writes: %q %q, want %q Anna Berg-Lund", got.ETag, got.Card.Value(vcard.FieldFormattedName), et2)
	}
	if err := b.c.Delete(ctx, h, et2); err != nil {
		t.Fatal(err)
	}
	if _, err := b.c.Get(ctx, h); !errors.Is(err, ErrNotFound) {
		t.Errorf("get after delete: %v, want ErrNotFound", err)
	}
}

// testRace: two laptops read one card, both change it with the ETag they
// read; the second write must fail rather than overwrite the first.
func testRace(t *testing.T, b *book) {
	ctx := context.Background()
	h := b.href("race-1")
	if _, err := b.c.Create(ctx, h, testCard("race-1", "Carl Dahl")); err != nil {
		t.Fatal(err)
	}
	other := newClient(t, b.srv, davtest.Password)
	mine, err := b.c.Get(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := other.Get(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	if mine.ETag != theirs.ETag {
		t.Fatalf("two reads of one card: ETags %q and %q", mine.ETag, theirs.ETag)
	}
	if _, err := other.Update(ctx, h, theirs.ETag, testCard("race-1", "Carl Dahl (theirs)")); err != nil {
		t.Fatal(err)
	}
	_, err = b.c.Update(ctx, h, mine.ETag, testCard("race-1", "Carl Dahl (mine)"))
	if !errors.Is(err, ErrPrecondition) {
		t.Fatalf("second writer: %v, want ErrPrecondition", err)
	}
	t.Logf("%s: %v", b.srv.Name, err)
	now, err := b.c.Get(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	if fn := now.Card.Value(vcard.FieldFormattedName); fn != "Carl Dahl (theirs)" {
		t.Errorf("server has %q, want the first writer's change", fn)
	}
}

func testListMultiGet(t *testing.T, b *book) {
	ctx := context.Background()
	lb := openBookNamed(t, b, "List test")
	want := lb.fill(t, 5, 2)
	entries, err := lb.c.List(ctx, lb.path)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range entries {
		got[e.Href] = e.ETag
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("listing %v, want the created %v", got, want)
	}
	var hrefs []string
	for h := range want {
		hrefs = append(hrefs, h)
	}
	sort.Strings(hrefs)
	objs, err := lb.c.MultiGet(ctx, lb.path, hrefs[:3])
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 3 {
		t.Fatalf("multiget of 3 gave %d", len(objs))
	}
	for _, o := range objs {
		if want[o.Href] != o.ETag {
			t.Errorf("%s: ETag %q, want %q", o.Href, o.ETag, want[o.Href])
		}
		uid := o.Card.Value(vcard.FieldUID)
		if lb.href(uid) != o.Href || !strings.HasPrefix(o.Card.Value(vcard.FieldFormattedName), "Person ") {
			t.Errorf("%s: card %q %q", o.Href, uid, o.Card.Value(vcard.FieldFormattedName))
		}
	}
}

// openBookNamed makes another book in the same home, so a test sees only
// its own cards.
func openBookNamed(tb testing.TB, b *book, name string) *book {
	tb.Helper()
	p, _, err := b.c.EnsureAddressBook(context.Background(), b.acct, name)
	if err != nil {
		tb.Fatal(err)
	}
	return &book{srv: b.srv, c: b.c, acct: b.acct, path: p}
}

func testSync(t *testing.T, b *book) {
	ctx := context.Background()
	sb := openBookNamed(t, b, "Sync test")
	etags := sb.fill(t, 4, 2)

	first, err := sb.c.Sync(ctx, sb.path, "")
	if err != nil {
		t.Fatal(err)
	}
	if !first.Full || first.Token == "" || len(first.Changed) != 4 || len(first.Deleted) != 0 {
		t.Fatalf("initial sync: full %v token %q, %d changed, %d deleted; want full, a token, 4, 0", first.Full, first.Token, len(first.Changed), len(first.Deleted))
	}
	for _, e := range first.Changed {
		if etags[e.Href] != e.ETag {
			t.Errorf("initial sync: %s ETag %q, want %q", e.Href, e.ETag, etags[e.Href])
		}
	}

	same, err := sb.c.Sync(ctx, sb.path, first.Token)
	if err != nil {
		t.Fatal(err)
	}
	if same.Full || len(same.Changed) != 0 || len(same.Deleted) != 0 {
		t.Errorf("nothing changed: full %v, %d changed %v, %d deleted", same.Full, len(same.Changed), same.Changed, len(same.Deleted))
	}

	// Change one, delete one, create one.
	upd, del := sb.href("card-00000"), sb.href("card-00001")
	newEtag, err := sb.c.Update(ctx, upd, etags[upd], testCard("card-00000", "Changed"))
	if err != nil {
		t.Fatal(err)
	}
	if err := sb.c.Delete(ctx, del, etags[del]); err != nil {
		t.Fatal(err)
	}
	created := sb.href("new-1")
	if _, err := sb.c.Create(ctx, created, testCard("new-1", "New")); err != nil {
		t.Fatal(err)
	}
	inc, err := sb.c.Sync(ctx, sb.path, same.Token)
	if err != nil {
		t.Fatal(err)
	}
	changed := map[string]string{}
	for _, e := range inc.Changed {
		changed[e.Href] = e.ETag
	}
	if inc.Full || len(changed) != 2 || changed[upd] != newEtag || changed[created] == "" ||
		!reflect.DeepEqual(inc.Deleted, []string{del}) {
		t.Errorf("incremental: full %v changed %v deleted %v; want %s=%s and %s changed, %s deleted", inc.Full, changed, inc.Deleted, upd, newEtag, created, del)
	}

	// A token the server never gave: a full listing, nothing lost.
	bogus := first.Token + "-bogus"
	if strings.HasPrefix(first.Token, "http") {
		bogus = "http://radicale.org/ns/sync/0000000000000000000000000000000000000000"
	}
	full, err := sb.c.Sync(ctx, sb.path, bogus)
	if err != nil {
		t.Fatalf("bogus token: %v", err)
	}
	t.Logf("%s: bogus token %q: full %v (%s)", sb.srv.Name, bogus, full.Full, full.Why)
	if !full.Full || len(full.Changed) != 4 || full.Token == "" {
		t.Errorf("after a bogus token: full %v, %d entries, token %q; want full, 4, a token", full.Full, len(full.Changed), full.Token)
	}
}

func testWrongPassword(t *testing.T, srv *davtest.Server) {
	c := newClient(t, srv, "wrong")
	_, err := c.Discover(context.Background())
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("wrong password: %v, want ErrUnauthorized", err)
	}
	if !strings.Contains(err.Error(), "user name or password wrong") || strings.Contains(err.Error(), "wrong@") {
		t.Errorf("message %q", err)
	}
	t.Logf("%s: %v", srv.Name, err)
}

func testNoBook(t *testing.T, b *book) {
	missing := b.acct.Home + "no-such-book/"
	_, err := b.c.List(context.Background(), missing)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "no address book at") {
		t.Errorf("list of a missing book: %v", err)
	}
	_, err = b.c.Sync(context.Background(), missing, "")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "no address book at") {
		t.Errorf("sync of a missing book: %v", err)
	}
}
