package engine

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/davtest"
)

// laptop is one Rapport database set up against srv.
func laptop(t testing.TB, srv *davtest.Server, name string) *data.Store {
	t.Helper()
	ctx := context.Background()
	s, err := data.Open(ctx, filepath.Join(t.TempDir(), name+".db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := Configure(ctx, s, srv.URL, davtest.User, "", opts()); err != nil {
		t.Fatalf("configure %s: %v", name, err)
	}
	return s
}

func opts() Options { return Options{Password: davtest.Password} }

func mustSync(t testing.TB, s *data.Store) *Summary {
	t.Helper()
	sum, err := Run(context.Background(), s, opts())
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	for _, p := range sum.Problems {
		t.Logf("problem: %s", p)
	}
	return sum
}

func add(t testing.TB, s *data.Store, c data.Customer) *data.Customer {
	t.Helper()
	if err := s.CreateCustomer(context.Background(), &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

func byUID(t testing.TB, s *data.Store, uid string) *data.Customer {
	t.Helper()
	c, _, err := s.CustomerByUID(context.Background(), uid)
	if err != nil {
		t.Fatalf("customer %s: %v", uid, err)
	}
	return c
}

func TestTwoLaptops(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			ctx := context.Background()
			a, b := laptop(t, srv, "a"), laptop(t, srv, "b")
			ann := add(t, a, data.Customer{GivenName: "Ann", FamilyName: "Archer", Company: "Acme",
				Phones: []data.Labelled{{Label: "work", Value: "+44 20 7946 0001"}}, CardNote: "likes; semicolons\\ and commas, too"})
			if sum := mustSync(t, a); sum.Created != 1 {
				t.Fatalf("first push: %+v", sum)
			}
			if sum := mustSync(t, b); sum.New != 1 {
				t.Fatalf("pull on b: %+v", sum)
			}
			got := byUID(t, b, ann.UID)
			if got.Name() != "Ann Archer" || got.CardNote != ann.CardNote || len(got.Phones) != 1 {
				t.Fatalf("b has %+v", got)
			}
			// Different fields edited on both laptops: both survive.
			ca := byUID(t, a, ann.UID)
			ca.Title = "Buyer"
			if err := a.UpdateCustomer(ctx, ca); err != nil {
				t.Fatal(err)
			}
			cb := byUID(t, b, ann.UID)
			cb.Emails = append(cb.Emails, data.Labelled{Label: "work", Value: "ann@acme.example"})
			if err := b.UpdateCustomer(ctx, cb); err != nil {
				t.Fatal(err)
			}
			mustSync(t, a)
			mustSync(t, b)
			mustSync(t, a)
			for _, s := range []*data.Store{a, b} {
				c := byUID(t, s, ann.UID)
				if c.Title != "Buyer" || len(c.Emails) != 1 {
					t.Fatalf("merge lost an edit: %+v", c)
				}
			}
			// Nothing changed: nothing moves.
			for _, s := range []*data.Store{a, b} {
				if sum := mustSync(t, s); sum.Changed() {
					t.Fatalf("a sync with nothing to do did %+v", sum)
				}
			}
			// The same field changed on both: a conflict, both values kept.
			ca = byUID(t, a, ann.UID)
			ca.Title = "Head buyer"
			a.UpdateCustomer(ctx, ca)
			cb = byUID(t, b, ann.UID)
			cb.Title = "Chief buyer"
			b.UpdateCustomer(ctx, cb)
			mustSync(t, a)
			sum := mustSync(t, b)
			if sum.Conflicts != 1 {
				t.Fatalf("want 1 conflict on b, got %+v", sum)
			}
			cs, err := Conflicts(ctx, b)
			if err != nil || len(cs) != 1 || cs[0].Mine != "Chief buyer" || cs[0].Theirs != "Head buyer" || cs[0].Field != "title" {
				t.Fatalf("conflicts %+v %v", cs, err)
			}
			if c := byUID(t, b, ann.UID); c.Title != "Chief buyer" {
				t.Fatalf("b lost its value before deciding: %q", c.Title)
			}
			mustSync(t, b)
			if c := byUID(t, a, ann.UID); c.Title != "Head buyer" {
				t.Fatalf("server value changed before deciding: %q", c.Title)
			}
			if err := Resolve(ctx, b, cs[0].ID, KeepMine); err != nil {
				t.Fatal(err)
			}
			mustSync(t, b)
			mustSync(t, a)
			if c := byUID(t, a, ann.UID); c.Title != "Chief buyer" {
				t.Fatalf("after keep mine on b, a has %q", c.Title)
			}
			// Delete on a: gone on b too.
			if err := a.DeleteCustomer(ctx, ca.ID); err != nil {
				t.Fatal(err)
			}
			if sum := mustSync(t, a); sum.Removed != 1 {
				t.Fatalf("delete push %+v", sum)
			}
			if sum := mustSync(t, b); sum.Deleted != 1 {
				t.Fatalf("delete pull %+v", sum)
			}
			if _, _, err := b.CustomerByUID(ctx, ann.UID); err == nil {
				t.Fatal("deleted customer still on b")
			}
			for _, f := range srv.Files(t) {
				if strings.Contains(f, ann.UID) {
					t.Fatalf("card file still on the server: %s", f)
				}
			}
		})
	}
}
