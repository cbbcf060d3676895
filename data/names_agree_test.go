package data

import (
	"context"
	"testing"
)

func TestNamesAgree(t *testing.T) {
	for _, c := range []struct {
		a, b   Customer
		strict bool
		want   bool
	}{
		{Customer{GivenName: "Chiamaka", FamilyName: "Okafor"}, Customer{GivenName: "Chi", FamilyName: "Okafor"}, true, true},
		{Customer{GivenName: "Robert", FamilyName: "Jones"}, Customer{GivenName: "Bob", FamilyName: "JONES"}, true, true},
		{Customer{GivenName: "Zoë", FamilyName: "Hartley"}, Customer{FormattedName: "zoe  hartley"}, true, true},
		{Customer{GivenName: "Elizabeth", FamilyName: "Taylor", Nickname: "Tess, Lizzie"}, Customer{GivenName: "Tess", FamilyName: "Taylor"}, true, true},
		{Customer{GivenName: "Anna", FamilyName: "Smith"}, Customer{GivenName: "John", FamilyName: "Smith"}, false, false},
		{Customer{GivenName: "Maria", FamilyName: "Lopez"}, Customer{GivenName: "Maria", FamilyName: "Garcia"}, false, false},
		{Customer{GivenName: "Anna", FamilyName: "Berg"}, Customer{GivenName: "Tom", FamilyName: "Lind"}, true, false},
		{Customer{GivenName: "Chi"}, Customer{GivenName: "Chiamaka", FamilyName: "Okafor"}, false, true}, // e-mail: a missing family name does not disagree
		{Customer{GivenName: "Chi"}, Customer{GivenName: "Chiamaka", FamilyName: "Okafor"}, true, false}, // phone: it must be there
		{Customer{}, Customer{GivenName: "Ann", FamilyName: "Lee"}, false, true},
		{Customer{}, Customer{GivenName: "Ann", FamilyName: "Lee"}, true, false},
		{Customer{GivenName: "A", FamilyName: "Lee"}, Customer{GivenName: "Ann", FamilyName: "Lee"}, true, false}, // one letter is no name
	} {
		if got := namesAgree(&c.a, &c.b, c.strict); got != c.want {
			t.Errorf("%q / %q strict=%v: %v, want %v", c.a.Name(), c.b.Name(), c.strict, got, c.want)
		}
		if got := namesAgree(&c.b, &c.a, c.strict); got != c.want {
			t.Errorf("%q / %q strict=%v (swapped): %v, want %v", c.b.Name(), c.a.Name(), c.strict, got, c.want)
		}
	}
}

// A stored nickname counts when matching in memory as well as by query.
func TestImportMatchesNickname(t *testing.T) { bothMatchers(t, testImportMatchesNickname) }

func testImportMatchesNickname(t *testing.T) {
	s := mustOpen(t)
	liz := mustCreate(t, s, &Customer{GivenName: "Elizabeth", FamilyName: "Taylor", Nickname: "Tess",
		Phones: []Labelled{{Label: "cell", Value: "+44 7700 900456"}}})
	sum := mustImport(t, s, ImportOptions{},
		card(1, Customer{GivenName: "Tess", FamilyName: "Taylor", Phones: []Labelled{{Value: "07700 900456"}}, Title: "Potter"}))
	if sum.Updated != 1 || sum.Results[0].CustomerID != liz.ID || sum.Results[0].Reason != "same phone number and name" {
		t.Errorf("%s %+v", sum, sum.Results)
	}
}

// A merge the user unticked in the preview imports the card as new, also
// when it matched by UID; the result of a merge names the customer.
func TestImportKeepApart(t *testing.T) { bothMatchers(t, testImportKeepApart) }

func testImportKeepApart(t *testing.T) {
	s := mustOpen(t)
	ann := mustCreate(t, s, &Customer{GivenName: "Ann", FamilyName: "Lee", UID: "uid-ann", Emails: []Labelled{{Value: "ann@example.com"}}})
	cards := []ImportCard{
		card(1, Customer{GivenName: "Ann", FamilyName: "Lee", Emails: []Labelled{{Value: "ann@example.com"}}, Title: "Chef"}),
		card(2, Customer{UID: "uid-ann", GivenName: "Ann", FamilyName: "Lee", Title: "Owner"}),
	}
	pre := mustImport(t, s, ImportOptions{DryRun: true}, cards...)
	for _, r := range pre.Results {
		if r.Action != ActionUpdated || r.CustomerID != ann.ID || r.Into != "Ann Lee" {
			t.Errorf("preview: %+v", r)
		}
	}
	apart := map[CardRef]bool{pre.Results[0].Ref(): true, pre.Results[1].Ref(): true}
	if sum := mustImport(t, s, ImportOptions{KeepApart: apart}, cards...); sum.New != 2 {
		t.Errorf("kept apart: %s %+v", sum, sum.Results)
	}
	if n, err := s.CountCustomers(context.Background()); err != nil || n != 3 {
		t.Errorf("%d customers (%v), want 3", n, err)
	}
	// The same again, the merges the preview offers kept apart again: the
	// copies are found, nothing new.
	pre = mustImport(t, s, ImportOptions{DryRun: true, ListUpTo: 10}, cards...)
	apart = map[CardRef]bool{}
	for _, r := range pre.Results {
		if r.Action == ActionUpdated {
			apart[r.Ref()] = true
		}
	}
	if sum := mustImport(t, s, ImportOptions{KeepApart: apart}, cards...); sum.New != 0 || sum.Unchanged != 2 {
		t.Errorf("kept apart again: %s %+v", sum, sum.Results)
	}
}
