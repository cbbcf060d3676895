package data

import (
	"context"
	"path/filepath"
	"testing"
)

// Every way a card changes is recorded as pending in the same transaction,
// once sync is set up: a new customer, an edit of the card (phones, tags...),
// a profile entry, a delete.
func TestPendingRecordsEveryChange(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := mustCreate(t, s, &Customer{GivenName: "Ann", FamilyName: "Archer"})
	if n, _ := s.PendingCount(ctx); n != 0 {
		t.Fatalf("pending before sync is set up: %d", n)
	}
	if err := s.SetSyncAccount(ctx, SyncAccount{URL: "https://dav.example.com/", User: "ann",
		Collections: []SyncCollection{{Kind: KindContacts, Href: "/ann/rapport/", Name: "Rapport"}}}); err != nil {
		t.Fatal(err)
	}
	seq := func() int64 {
		t.Helper()
		p, err := s.Pending(ctx, c.UID)
		if err != nil {
			t.Fatal(err)
		}
		return p.Seq
	}
	last := seq()
	if last == 0 {
		t.Fatal("set-up did not mark the existing customer")
	}
	for what, change := range map[string]func() error{
		"a phone added": func() error {
			c.Phones = append(c.Phones, Labelled{Label: "work", Value: "+44 20 7946 0001"})
			return s.UpdateCustomer(ctx, c)
		},
		"a tag added": func() error { c.Tags = append(c.Tags, "vip"); return s.UpdateCustomer(ctx, c) },
		"a hobby": func() error {
			return s.SaveProfileItem(ctx, &ProfileItem{CustomerID: c.ID, Category: CatHobby, Text: "golf"})
		},
		"a child": func() error {
			return s.SaveFamilyMember(ctx, &FamilyMember{CustomerID: c.ID, Relation: RelChild, Name: "Emma"})
		},
		"a pet": func() error { return s.SavePet(ctx, &Pet{CustomerID: c.ID, Name: "Rex"}) },
	} {
		if err := change(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if now := seq(); now <= last {
			t.Errorf("%s: pending seq %d, was %d", what, now, last)
		} else {
			last = now
		}
	}
	if err := s.DeleteCustomer(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Pending(ctx, c.UID); !p.Deleted || p.Seq <= last {
		t.Errorf("delete: %+v", p)
	}
}
