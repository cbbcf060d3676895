package dav

import (
	"context"
	"fmt"
	"testing"

	"github.com/emersion/go-vcard"
	"github.com/rapportcrm/rapport/data/sync/davtest"
)

// book is a server with the Rapport address book made, and a client on it.
type book struct {
	srv  *davtest.Server
	c    *Client
	acct *Account
	path string
}

func newClient(tb testing.TB, srv *davtest.Server, password string) *Client {
	tb.Helper()
	c, err := New(srv.URL, Options{User: davtest.User, Password: password})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func openBook(tb testing.TB, srv *davtest.Server) *book {
	tb.Helper()
	ctx := context.Background()
	c := newClient(tb, srv, davtest.Password)
	acct, err := c.Discover(ctx)
	if err != nil {
		tb.Fatalf("%s: discover: %v", srv.Name, err)
	}
	p, _, err := c.EnsureAddressBook(ctx, acct, "Rapport")
	if err != nil {
		tb.Fatalf("%s: address book: %v", srv.Name, err)
	}
	return &book{srv: srv, c: c, acct: acct, path: p}
}

// testCard is a small card with a given UID and name.
func testCard(uid, name string) vcard.Card {
	c := vcard.Card{}
	c.SetValue(vcard.FieldVersion, "3.0")
	c.SetValue(vcard.FieldUID, uid)
	c.SetValue(vcard.FieldFormattedName, name)
	c.Set(vcard.FieldName, &vcard.Field{Value: name + ";;;;"})
	c.Add(vcard.FieldTelephone, &vcard.Field{Value: "+49 30 1234567", Params: vcard.Params{"TYPE": {"cell"}}})
	return c
}

func (b *book) href(uid string) string { return b.path + uid + ".vcf" }

// fill creates n cards with up to par requests at a time.
func (b *book) fill(tb testing.TB, n, par int) map[string]string {
	tb.Helper()
	type res struct {
		href, etag string
		err        error
	}
	jobs := make(chan int)
	out := make(chan res)
	for w := 0; w < par; w++ {
		go func() {
			for i := range jobs {
				uid := fmt.Sprintf("card-%05d", i)
				et, err := b.c.Create(context.Background(), b.href(uid), testCard(uid, fmt.Sprintf("Person %d", i)))
				out <- res{b.href(uid), et, err}
			}
		}()
	}
	go func() {
		for i := 0; i < n; i++ {
			jobs <- i
		}
		close(jobs)
	}()
	etags := map[string]string{}
	var first error
	for i := 0; i < n; i++ {
		r := <-out
		if r.err != nil && first == nil {
			first = r.err
		}
		etags[r.href] = r.etag
	}
	if first != nil {
		tb.Fatalf("fill: %v", first)
	}
	return etags
}
