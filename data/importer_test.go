package data

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func cardsOf(cards ...ImportCard) iter.Seq[ImportCard] { return slices.Values(cards) }

func card(i int, c Customer) ImportCard { return ImportCard{Source: "test.vcf", Index: i, Customer: c} }

func mustImport(t *testing.T, s *Store, opt ImportOptions, cards ...ImportCard) *ImportSummary {
	t.Helper()
	sum, err := s.Import(context.Background(), cardsOf(cards...), opt)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// bothMatchers runs a test with cards matched by query and in memory.
func bothMatchers(t *testing.T, test func(t *testing.T)) {
	t.Run("by query", test)
	t.Run("in memory", func(t *testing.T) {
		defer func(n int) { matchInMemoryAfter = n }(matchInMemoryAfter)
		matchInMemoryAfter = 0
		test(t)
	})
}

func TestImportMergeRules(t *testing.T) { bothMatchers(t, testImportMergeRules) }

func testImportMergeRules(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	ann := mustCreate(t, s, &Customer{GivenName: "Ann", FamilyName: "Lee", UID: "uid-ann", Title: "Chef",
		Emails: []Labelled{{Value: "ann@bistro.example"}}, Tags: []string{"vip"}})
	s.LogInteraction(ctx, &Interaction{CustomerID: ann.ID, Kind: KindVisit, At: time.Now(), Summary: "tasting"})
	s.SaveProfileItem(ctx, &ProfileItem{CustomerID: ann.ID, Category: CatHobby, Text: "tango"})
	bob := mustCreate(t, s, &Customer{GivenName: "Bob", FamilyName: "Marsh", Company: "Grand Hotel",
		Phones: []Labelled{{Label: "work", Value: "+44 20 7946 0000"}}})

	sum := mustImport(t, s, ImportOptions{Source: "phone.vcf"},
		// same UID: updates Ann, keeps what the card lacks
		card(1, Customer{UID: "uid-ann", GivenName: "Ann", FamilyName: "Lee", Nickname: "Annie",
			Phones: []Labelled{{Label: "cell", Value: "07700 900123"}}, Tags: []string{"VIP", "wine"}}),
		// same e-mail, different case, no UID
		card(2, Customer{GivenName: "Ann", FamilyName: "Lee", Emails: []Labelled{{Value: "ANN@Bistro.example"}}, Title: "Head chef"}),
		// same switchboard as Bob, another person: stays two
		card(3, Customer{GivenName: "Carol", FamilyName: "Dunn", Company: "Grand Hotel",
			Phones: []Labelled{{Value: "020 7946 0000"}}}),
		// same number written differently and the same name: Bob
		card(4, Customer{GivenName: "bob", FamilyName: "Marsh", Phones: []Labelled{{Value: "020 7946 0000"}},
			Emails: []Labelled{{Value: "bob@grand.example"}}}),
		// a couple sharing an address: Dan is not Ann
		card(5, Customer{GivenName: "Dan", FamilyName: "Lee", Emails: []Labelled{{Value: "ann@bistro.example"}}}),
		card(6, Customer{} /* nothing: fails */),
	)
	if sum.New != 2 || sum.Updated != 3 || sum.Failed != 1 || sum.BatchID == 0 {
		t.Fatalf("summary %s %+v", sum, sum.Results)
	}
	if len(sum.Results) != 4 {
		t.Fatalf("results: want the 3 updated and the failed card, got %+v", sum.Results)
	}
	if r := sum.Results[3]; r.Action != ActionFailed || r.Where() != "test.vcf card 6" || r.Reason == "" {
		t.Errorf("failed card result %+v", r)
	}
	got, _ := s.Customer(ctx, ann.ID)
	if got.Nickname != "Annie" || got.Title != "Head chef" || len(got.Phones) != 1 || len(got.Emails) != 1 ||
		!slices.Equal(got.Tags, []string{"vip", "wine"}) {
		t.Errorf("Ann after merge: %+v", got)
	}
	if h, _ := s.Interactions(ctx, ann.ID, 0, 10); len(h) != 1 {
		t.Error("history touched")
	}
	if p, _ := s.Profile(ctx, ann.ID); len(p.Items) != 1 {
		t.Error("profile touched")
	}
	b, _ := s.Customer(ctx, bob.ID)
	if len(b.Emails) != 1 || len(b.Phones) != 1 {
		t.Errorf("Bob after merge: %+v", b)
	}
	if n, _ := s.CountCustomers(ctx); n != 4 {
		t.Errorf("%d customers, want 4 (Ann, Bob, Carol, Dan)", n)
	}
}

func TestImportTwiceCreatesNothing(t *testing.T) { bothMatchers(t, testImportTwiceCreatesNothing) }

func testImportTwiceCreatesNothing(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	cards := []ImportCard{
		card(1, Customer{GivenName: "No", FamilyName: "Contact"}), // nothing to match on but its content
		card(2, Customer{GivenName: "Eve", Emails: []Labelled{{Value: "eve@example.com"}}}),
		card(3, Customer{GivenName: "Eve", Emails: []Labelled{{Value: "eve@example.com"}}}), // duplicate inside the file
		card(4, Customer{FormattedName: "Broken", CardNote: "one"}),
		card(5, Customer{FormattedName: "Broken", CardNote: "two"}), // same name, different card: two customers
	}
	first := mustImport(t, s, ImportOptions{}, cards...)
	if first.New != 4 || first.Unchanged != 1 {
		t.Fatalf("first import %s", first)
	}
	second := mustImport(t, s, ImportOptions{}, cards...)
	if second.New != 0 || second.Unchanged != 5 || second.BatchID != 0 {
		t.Errorf("second import %s", second)
	}
	if n, _ := s.CountCustomers(ctx); n != 4 {
		t.Errorf("%d customers", n)
	}
}

func TestImportDryRunAndCancel(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	sum := mustImport(t, s, ImportOptions{DryRun: true}, card(1, Customer{GivenName: "Dry"}), card(2, Customer{GivenName: "Run"}))
	if sum.New != 2 {
		t.Errorf("dry run summary %s", sum)
	}
	if n, _ := s.CountCustomers(ctx); n != 0 {
		t.Errorf("dry run wrote %d customers", n)
	}
	cctx, cancel := context.WithCancel(ctx)
	many := func(yield func(ImportCard) bool) {
		for i := 1; i <= 1000; i++ {
			if i == 500 {
				cancel()
			}
			if !yield(card(i, Customer{GivenName: fmt.Sprint("Person ", i)})) {
				return
			}
		}
	}
	if _, err := s.Import(cctx, many, ImportOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled import: %v", err)
	}
	if n, _ := s.CountCustomers(ctx); n != 0 {
		t.Errorf("cancelled import wrote %d customers", n)
	}
}

func TestUndoImport(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	ann := mustCreate(t, s, &Customer{GivenName: "Ann", UID: "u1", Title: "Chef"})
	sum := mustImport(t, s, ImportOptions{Source: "a.vcf"},
		card(1, Customer{GivenName: "Ann", UID: "u1", Title: "Owner"}),
		ImportCard{Source: "a.vcf", Index: 2, Customer: Customer{GivenName: "Zed", UID: "u2"},
			Profile: Profile{Pets: []Pet{{Name: "Rex"}}}},
		card(3, Customer{GivenName: "Worked", UID: "u3"}),
	)
	if sum.New != 2 || sum.Updated != 1 {
		t.Fatalf("%s", sum)
	}
	worked := customerIDByUID(t, s, "u3")
	s.AddNote(ctx, &Note{CustomerID: worked, Text: "met them today"})

	b, err := s.LastImport(ctx)
	if err != nil || b.ID != sum.BatchID || b.Source != "a.vcf" || b.New != 2 {
		t.Fatalf("last import %+v %v", b, err)
	}
	res, err := s.UndoImport(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Removed != 1 || res.Restored != 1 || len(res.Kept) != 1 || res.Kept[0] != worked {
		t.Errorf("undo %+v", res)
	}
	if got, _ := s.Customer(ctx, ann.ID); got.Title != "Chef" {
		t.Errorf("Ann not restored: %q", got.Title)
	}
	if r, _ := s.Search(ctx, "zed", 10); len(r) != 0 {
		t.Error("created customer not removed")
	}
	if r, _ := s.Search(ctx, "rex", 10); len(r) != 0 {
		t.Error("their pet still found")
	}
	if _, err := s.LastImport(ctx); !errors.Is(err, ErrNotFound) {
		t.Errorf("batch still there: %v", err)
	}
}

func TestImportAddsMissingProfileOnly(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	c := mustCreate(t, s, &Customer{GivenName: "Pat", UID: "p"})
	s.SaveFamilyMember(ctx, &FamilyMember{CustomerID: c.ID, Relation: RelSpouse, Name: "Sam", Notes: "our notes"})
	prof := Profile{Family: []FamilyMember{{Relation: RelSpouse, Name: "sam"}, {Relation: RelChild, Name: "Kim"}}}
	sum := mustImport(t, s, ImportOptions{}, ImportCard{Index: 1, Customer: Customer{GivenName: "Pat", UID: "p"}, Profile: prof})
	if sum.Updated != 1 {
		t.Fatalf("%s", sum)
	}
	p, _ := s.Profile(ctx, c.ID)
	if len(p.Family) != 2 || p.Family[0].Notes != "our notes" || p.Family[1].Name != "Kim" {
		t.Errorf("family %+v", p.Family)
	}
	if again := mustImport(t, s, ImportOptions{}, ImportCard{Index: 1, Customer: Customer{GivenName: "Pat", UID: "p"}, Profile: prof}); again.Unchanged != 1 {
		t.Errorf("second import %s", again)
	}
}

// A new customer's search document is built in memory during an import; it
// must say what the one read back from the database says.
func TestNewCardDocMatchesStored(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	c := Customer{Prefix: "Dr", GivenName: "Zoë", MiddleName: "Ann", FamilyName: "Hartley", Nickname: "Zo",
		Company: " St Anne's Hospital ", Department: "Catering", Title: "Head of Catering", CardNote: "likes rugby",
		Phones:    []Labelled{{Label: "work", Value: "+44 (113) 496-0000"}, {Value: "07700 900123"}},
		Emails:    []Labelled{{Value: "zoe@st-annes.example"}},
		URLs:      []Labelled{{Value: "https://st-annes.example"}},
		Addresses: []Address{{Street: "1 Beckett St", Locality: "Leeds", Postcode: "LS9 7TF", Country: "UK"}},
		Tags:      []string{"hospital", "north"}}
	p := Profile{Items: []ProfileItem{{Category: CatHobby, Text: "fell running"}},
		Family: []FamilyMember{{Relation: "child", Name: "Maisie", Notes: "plays violin"}},
		Pets:   []Pet{{Name: "Biscuit", Species: "dog", Notes: "spaniel"}}}
	sum := mustImport(t, s, ImportOptions{}, ImportCard{Source: "t.vcf", Index: 1, Customer: c, Profile: p})
	if sum.New != 1 {
		t.Fatalf("import: %s", sum)
	}
	var id int64
	if err := s.read.QueryRow(`SELECT id FROM customers WHERE family_name = 'Hartley'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	got := importedCardDoc(t, s, id)
	tx, err := s.begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	want, err := cardDoc(ctx, tx, id)
	if err != nil {
		t.Fatal(err)
	}
	sortLines := func(s string) []string { l := strings.Split(strings.TrimSpace(s), "\n"); slices.Sort(l); return l }
	if !slices.Equal(sortLines(got), sortLines(want)) {
		t.Errorf("document built in memory:\n%s\nstored:\n%s", got, want)
	}
	for _, q := range []string{"maisie", "biscuit", "catering", "113", "zoe"} {
		if r, err := s.Search(ctx, q, 10); err != nil || len(r) != 1 {
			t.Errorf("search %q: %v %v", q, r, err)
		}
	}
}

// importedCardDoc reads the document the import put in the search index.
func importedCardDoc(t *testing.T, s *Store, id int64) string {
	t.Helper()
	var doc string
	if err := s.read.QueryRow(`SELECT body FROM customer_fts WHERE rowid = ?`, id).Scan(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func customerIDByUID(t *testing.T, s *Store, uid string) int64 {
	t.Helper()
	var id int64
	if err := s.read.QueryRow(`SELECT id FROM customers WHERE uid = ?`, uid).Scan(&id); err != nil {
		t.Fatalf("customer with UID %q: %v", uid, err)
	}
	return id
}

// TestUndoImportLeavesNoTrace undoes an import that created and updated
// customers, both ways the search index can be cleaned (one secure delete
// at a time, and in bulk), and checks what is left: the app finds the
// restored cards by their old values and nothing of what was taken back,
// and the database file holds none of it.
func TestUndoImportLeavesNoTrace(t *testing.T) {
	for _, bulk := range []bool{false, true} {
		t.Run(fmt.Sprintf("bulk=%v", bulk), func(t *testing.T) {
			defer func(n int) { bulkUnindexAfter = n }(bulkUnindexAfter)
			if bulk {
				bulkUnindexAfter = 0
			}
			testUndoImportLeavesNoTrace(t)
		})
	}
}

func testUndoImportLeavesNoTrace(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rapport.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ann := mustCreate(t, s, &Customer{GivenName: "Ann", FamilyName: "Lee", UID: "u1", Title: "Chef", Company: "Old Bistro"})
	other := mustCreate(t, s, &Customer{GivenName: "Bea", FamilyName: "Moss", Company: "Old Bistro"})
	sum := mustImport(t, s, ImportOptions{Source: "a.vcf"},
		ImportCard{Source: "a.vcf", Index: 1, Customer: Customer{GivenName: "Ann", FamilyName: "Lee", UID: "u1", Title: "Zanzibarite", Company: "Quagmire Foods"},
			Profile: Profile{Items: []ProfileItem{{Category: CatHobby, Text: "Frobnitzing"}}}},
		ImportCard{Source: "a.vcf", Index: 2, Customer: Customer{GivenName: "Zed", FamilyName: "Xylophant", UID: "u2", Company: "Wobbleco"},
			Profile: Profile{Pets: []Pet{{Name: "Snorkelrex"}}}},
		card(3, Customer{GivenName: "Worked", FamilyName: "Hard", UID: "u3"}),
		card(4, Customer{GivenName: "Bea", FamilyName: "Moss", UID: "u4", Title: "Glimmerchef"}),
	)
	if sum.New != 3 || sum.Updated != 1 {
		t.Fatalf("import: %s", sum)
	}
	worked := customerIDByUID(t, s, "u3")
	if err := s.AddNote(ctx, &Note{CustomerID: worked, Text: "met them today"}); err != nil {
		t.Fatal(err)
	}
	res, err := s.UndoImport(ctx, sum.BatchID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Removed != 2 || res.Restored != 1 || !slices.Equal(res.Kept, []int64{worked}) {
		t.Errorf("undo %+v", res)
	}
	got, err := s.Customer(ctx, ann.ID)
	if err != nil || got.Title != "Chef" || got.Company != "Old Bistro" {
		t.Errorf("Ann not restored: %+v %v", got, err)
	}
	if p, _ := s.Profile(ctx, ann.ID); len(p.Items) != 0 {
		t.Errorf("added profile item kept: %+v", p.Items)
	}
	for q, want := range map[string][]int64{"chef": {ann.ID}, "old bistro": {ann.ID, other.ID}, "worked": {worked},
		"zanzibarite": nil, "quagmire": nil, "frobnitzing": nil, "xylophant": nil, "snorkelrex": nil, "wobbleco": nil, "glimmerchef": nil} {
		r, err := s.Search(ctx, q, 10)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, c := range r {
			ids = append(ids, c.ID)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, want) {
			t.Errorf("search %q: %v, want %v", q, ids, want)
		}
	}
	cos, _ := s.Companies(ctx)
	if len(cos) != 1 || cos[0].Name != "Old Bistro" {
		t.Errorf("companies after undo: %+v", cos)
	}
	s.Close()
	files, _ := filepath.Glob(path + "*")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		low := bytes.ToLower(b)
		for _, secret := range []string{"Zanzibarite", "Quagmire", "Frobnitzing", "Xylophant", "Snorkelrex", "Wobbleco", "Glimmerchef"} {
			if bytes.Contains(low, bytes.ToLower([]byte(secret))) {
				t.Errorf("%s still holds %q", filepath.Base(f), secret)
			}
		}
	}
}

// The summary lists the cards worth a look, and new or unchanged cards only
// up to ListUpTo: a huge import holds counts, not a result per card.
func TestImportSummaryListsBounded(t *testing.T) {
	s := mustOpen(t)
	var cards []ImportCard
	for i := 1; i <= 20; i++ {
		cards = append(cards, card(i, Customer{GivenName: fmt.Sprintf("P%d", i), UID: fmt.Sprintf("u%d", i)}))
	}
	cards = append(cards, card(21, Customer{}))
	sum := mustImport(t, s, ImportOptions{}, cards...)
	if sum.New != 20 || sum.Failed != 1 || len(sum.Results) != 1 || sum.Unlisted != 20 || sum.Cards() != 21 {
		t.Errorf("summary %s, %d results, %d unlisted", sum, len(sum.Results), sum.Unlisted)
	}
	cards[0].Customer.Title = "Boss" // an update is listed
	sum = mustImport(t, s, ImportOptions{ListUpTo: 5}, cards...)
	if sum.Updated != 1 || sum.Unchanged != 19 || len(sum.Results) != 1+5+1 || sum.Unlisted != 14 {
		t.Errorf("summary %s, %d results, %d unlisted", sum, len(sum.Results), sum.Unlisted)
	}
}

// prefetch reads ahead at most about 16 MiB of photos, however many cards
// that is: a file of phone-camera photos must not be decoded into memory
// faster than it is written.
func TestPrefetchBoundsPhotoBytes(t *testing.T) {
	const photo = 1 << 20
	var produced, consumed atomic.Int64
	var worst int64
	cards := func(yield func(ImportCard) bool) {
		for i := 0; i < 100; i++ {
			if ahead := produced.Load() - consumed.Load(); ahead > worst {
				worst = ahead
			}
			produced.Add(photo)
			if !yield(ImportCard{Index: i + 1, Customer: Customer{Photo: Photo{Data: make([]byte, photo)}}}) {
				return
			}
		}
	}
	n := 0
	for c := range prefetch(context.Background(), cards) {
		if c.Index != n+1 {
			t.Fatalf("card %d after %d", c.Index, n)
		}
		n++
		if n == 1 {
			// Let the reader run ahead as far as it will: wait until it
			// stops producing.
			for last, still := int64(-1), 0; still < 1000; {
				runtime.Gosched()
				if p := produced.Load(); p == last {
					still++
				} else {
					last, still = p, 0
				}
			}
		}
		consumed.Add(int64(len(c.Customer.Photo.Data)))
	}
	if n != 100 {
		t.Fatalf("%d cards", n)
	}
	// The budget, plus the card the reader holds while it waits for room.
	if limit := int64(16<<20 + 2*photo); worst > limit {
		t.Errorf("read %d bytes of photos ahead, want at most %d", worst, limit)
	}
}
