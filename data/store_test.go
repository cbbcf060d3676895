package data

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func mustOpen(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func mustCreate(t testing.TB, s *Store, c *Customer) *Customer {
	t.Helper()
	if err := s.CreateCustomer(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestOpenCreatesPrivateFileAndMigrates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "dir", "rapport.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
	var v int
	s.read.QueryRow(`SELECT max(version) FROM schema_migrations`).Scan(&v)
	if v != SchemaVersion() || v < 1 {
		t.Errorf("schema version %d, want %d", v, SchemaVersion())
	}
	s.Close()
	// Reopening applies nothing twice.
	s, err = Open(context.Background(), path)
	if err != nil {
		t.Fatal("reopen:", err)
	}
	s.Close()
}

func TestOpenRefusesNonSQLiteUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.db")
	orig := []byte("these are my precious notes, not a database\n")
	os.WriteFile(path, orig, 0o644)
	_, err := Open(context.Background(), path)
	if !errors.Is(err, ErrNotDatabase) {
		t.Fatalf("err = %v, want ErrNotDatabase", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("message %q does not name the file", err)
	}
	got, _ := os.ReadFile(path)
	if !bytes.Equal(got, orig) {
		t.Error("file was changed")
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Error("a -wal file was created beside it")
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rapport.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, &Customer{GivenName: "Ada", FamilyName: "Lovelace"})
	if _, err := s.write.Exec(`INSERT INTO schema_migrations(version, name) VALUES (999, '0999_future.sql')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, _ := os.ReadFile(path)
	_, err = Open(context.Background(), path)
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("err = %v, want ErrNewerSchema", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("database file changed")
	}
}

func TestOpenUnwritablePath(t *testing.T) {
	if os.Geteuid() == 0 {
		// root writes anywhere; a path under a regular file fails for everyone.
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "plainfile")
	os.WriteFile(file, []byte("x"), 0o600)
	_, err := Open(context.Background(), filepath.Join(file, "rapport.db"))
	if err == nil {
		t.Fatal("opened a database below a regular file")
	}
	if !strings.Contains(err.Error(), "plainfile") {
		t.Errorf("message %q does not name the path", err)
	}
}

func sampleCustomer() *Customer {
	return &Customer{
		GivenName: "Françoise", FamilyName: "Müller", Nickname: "Fran",
		Company: "Brasserie du Nord", Title: "Head chef",
		Birthday: MustParseDate("--02-29"),
		Phones:   []Labelled{{Label: "work", Value: "+33 1 42 68 53 00", Pref: true}, {Label: "mobile", Value: "06 12 34 56 78"}},
		Emails:   []Labelled{{Label: "work", Value: "F.Muller@brasserie.example"}},
		URLs:     []Labelled{{Label: "web", Value: "https://brasserie.example"}},
		Addresses: []Address{{Label: "work", Street: "12 rue de la Paix", Locality: "Paris",
			Postcode: "75002", Country: "France"}},
		Tags:     []string{"restaurant", "key account", " ", "Restaurant"},
		CardNote: "Met at SIRHA 2025",
		Extra:    []ExtraProperty{{Raw: "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Fran"}},
	}
}

func TestCustomerRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	c := mustCreate(t, s, sampleCustomer())
	if c.ID == 0 || c.UID == "" {
		t.Fatalf("ID %d UID %q not set", c.ID, c.UID)
	}
	got, err := s.Customer(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name() != "Françoise Müller" || got.Company != "Brasserie du Nord" || got.Nickname != "Fran" {
		t.Errorf("card = %+v", got)
	}
	if got.Birthday != (Date{Month: 2, Day: 29}) {
		t.Errorf("birthday %v", got.Birthday)
	}
	if len(got.Phones) != 2 || got.Phones[0].Value != "+33 1 42 68 53 00" || !got.Phones[0].Pref || got.Phones[1].Label != "mobile" {
		t.Errorf("phones %+v", got.Phones)
	}
	if len(got.Tags) != 2 || got.Tags[0] != "restaurant" || got.Tags[1] != "key account" {
		t.Errorf("tags %q (blank and duplicate should be dropped)", got.Tags)
	}
	if len(got.Addresses) != 1 || got.Addresses[0].Locality != "Paris" || len(got.Extra) != 1 || got.URLs[0].Value != "https://brasserie.example" {
		t.Errorf("addresses %+v extra %+v", got.Addresses, got.Extra)
	}

	got.Title = "Owner"
	got.Phones = got.Phones[1:]
	got.Company = "Café Zoë"
	if err := s.UpdateCustomer(ctx, got); err != nil {
		t.Fatal(err)
	}
	again, _ := s.Customer(ctx, c.ID)
	if again.Title != "Owner" || len(again.Phones) != 1 || again.Company != "Café Zoë" {
		t.Errorf("after update %+v", again)
	}
	cos, _ := s.Companies(ctx)
	if len(cos) != 1 || cos[0].Name != "Café Zoë" {
		t.Errorf("companies %+v: the old company should be gone with its last person", cos)
	}
}

func TestCustomerValidation(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	err := s.CreateCustomer(ctx, &Customer{GivenName: "  "})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "name") {
		t.Errorf("empty name: %v", err)
	}
	err = s.CreateCustomer(ctx, &Customer{GivenName: "Bob", Birthday: Date{Year: 2023, Month: 2, Day: 29}})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "birthday") {
		t.Errorf("bad birthday: %v", err)
	}
	if n, _ := s.CountCustomers(ctx); n != 0 {
		t.Errorf("%d customers stored after refusals", n)
	}
	err = s.LogInteraction(ctx, &Interaction{CustomerID: 12345, Kind: KindVisit, At: time.Now(), Summary: "x"})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("interaction for missing customer: %v", err)
	}
	c := mustCreate(t, s, &Customer{GivenName: "Bob"})
	err = s.LogInteraction(ctx, &Interaction{CustomerID: c.ID, Kind: "telepathy", At: time.Now(), Summary: "x"})
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("bad kind: %v", err)
	}
	err = s.UpdateCustomer(ctx, &Customer{ID: 999, GivenName: "Nobody"})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("update missing: %v", err)
	}
}

func TestHistoryNewestFirst(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	c := mustCreate(t, s, &Customer{GivenName: "Hank", FamilyName: "Hill"})
	base := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	for i, sum := range []string{"first call", "third visit", "second email"} {
		at := base.AddDate(0, 0, []int{0, 20, 10}[i])
		kind := []string{KindCall, KindVisit, KindEmail}[i]
		if err := s.LogInteraction(ctx, &Interaction{CustomerID: c.ID, Kind: kind, At: at, Duration: 15 * time.Minute, Summary: sum}); err != nil {
			t.Fatal(err)
		}
	}
	h, err := s.Interactions(ctx, c.ID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 3 || h[0].Summary != "third visit" || h[2].Summary != "first call" || h[0].Duration != 15*time.Minute {
		t.Fatalf("history %+v", h)
	}
	h[0].Summary = "third visit, edited"
	if err := s.UpdateInteraction(ctx, &h[0]); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteInteraction(ctx, c.ID, h[2].ID); err != nil {
		t.Fatal(err)
	}
	h, _ = s.Interactions(ctx, c.ID, 0, 10)
	if len(h) != 2 || h[0].Summary != "third visit, edited" {
		t.Errorf("after edit/delete %+v", h)
	}
	if r, _ := s.Search(ctx, "first call", 10); len(r) != 0 {
		t.Errorf("deleted interaction still found: %+v", r)
	}
	if err := s.AddNote(ctx, &Note{CustomerID: c.ID, Text: "  Daughter starts university in Leeds  "}); err != nil {
		t.Fatal(err)
	}
	notes, _ := s.Notes(ctx, c.ID)
	if len(notes) != 1 || notes[0].Text != "Daughter starts university in Leeds" || notes[0].At.IsZero() {
		t.Errorf("notes %+v", notes)
	}
	if err := s.AddNote(ctx, &Note{CustomerID: c.ID, Text: " "}); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty note: %v", err)
	}
}

func TestProfile(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	c := mustCreate(t, s, &Customer{GivenName: "Peggy", FamilyName: "Olson"})
	items := []ProfileItem{{CustomerID: c.ID, Category: CatHobby, Text: "Sailing on the Solent"},
		{CustomerID: c.ID, Category: CatAvoid, Text: "Her divorce", Confidential: true}}
	for i := range items {
		if err := s.SaveProfileItem(ctx, &items[i]); err != nil {
			t.Fatal(err)
		}
	}
	kid := FamilyMember{CustomerID: c.ID, Relation: RelChild, Name: "Emma", Birthday: MustParseDate("2015-06-01")}
	if err := s.SaveFamilyMember(ctx, &kid); err != nil {
		t.Fatal(err)
	}
	dog := Pet{CustomerID: c.ID, Name: "Biscuit", Species: "beagle"}
	if err := s.SavePet(ctx, &dog); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveProfileItem(ctx, &ProfileItem{CustomerID: c.ID, Category: "astrology", Text: "x"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown category: %v", err)
	}
	if err := s.SaveFamilyMember(ctx, &FamilyMember{CustomerID: c.ID, Name: ""}); !errors.Is(err, ErrInvalid) {
		t.Errorf("nameless family member: %v", err)
	}
	p, err := s.Profile(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 || !p.Items[1].Confidential || len(p.Family) != 1 || p.Family[0].Birthday.Year != 2015 || len(p.Pets) != 1 {
		t.Fatalf("profile %+v", p)
	}
	for q, want := range map[string]bool{"solent": true, "biscuit": true, "beagle": true, "emma": true, "sail": true, "chess": false} {
		r, _ := s.Search(ctx, q, 10)
		if (len(r) == 1) != want {
			t.Errorf("search %q: %v, want found=%v", q, r, want)
		}
	}
	items[0].Text = "Chess club"
	s.SaveProfileItem(ctx, &items[0])
	if r, _ := s.Search(ctx, "chess", 10); len(r) != 1 {
		t.Error("edited profile item not searchable")
	}
	if r, _ := s.Search(ctx, "solent", 10); len(r) != 0 {
		t.Error("old profile text still found")
	}
	if err := s.DeleteProfilePart(ctx, PartPet, c.ID, dog.ID); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Search(ctx, "biscuit", 10); len(r) != 0 {
		t.Error("deleted pet still found")
	}
	if err := s.DeleteProfilePart(ctx, "customers; DROP TABLE x", c.ID, 1); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad part: %v", err)
	}
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	fm := mustCreate(t, s, sampleCustomer())
	bob := mustCreate(t, s, &Customer{GivenName: "Bob", FamilyName: "Builder", Company: "Fixit Ltd",
		Phones: []Labelled{{Value: "+44 (20) 7946-0958"}}})
	s.LogInteraction(ctx, &Interaction{CustomerID: bob.ID, Kind: KindVisit, At: time.Now(), Summary: "Talked about the new cold room"})
	s.AddNote(ctx, &Note{CustomerID: fm.ID, Text: "Loves Marseille football"})
	cases := []struct {
		q    string
		want []int64
	}{
		{"fr", []int64{fm.ID}},
		{"muller", []int64{fm.ID}},        // diacritics folded
		{"françoise mül", []int64{fm.ID}}, // several prefixes
		{"fixit", []int64{bob.ID}},
		{"2079460958", []int64{bob.ID}}, // digits of the phone
		{"7946", []int64{bob.ID}},
		{"cold room", []int64{bob.ID}},  // interaction text
		{"marseille", []int64{fm.ID}},   // note text
		{"paris", []int64{fm.ID}},       // address
		{"key account", []int64{fm.ID}}, // tag
		{"restaurant", []int64{fm.ID}},
		{"nobody", nil},
		{`"); DROP TABLE customers; --`, nil}, // punctuation is not syntax
	}
	for _, tc := range cases {
		r, err := s.Search(ctx, tc.q, 50)
		if err != nil {
			t.Errorf("%q: %v", tc.q, err)
			continue
		}
		var ids []int64
		for _, c := range r {
			ids = append(ids, c.ID)
		}
		if len(ids) != len(tc.want) || (len(ids) > 0 && ids[0] != tc.want[0]) {
			t.Errorf("search %q = %v, want %v", tc.q, ids, tc.want)
		}
	}
	all, _ := s.Search(ctx, "  ", 50)
	if len(all) != 2 || all[0].Name != "Bob Builder" {
		t.Errorf("empty query lists everyone in name order: %+v", all)
	}
}

// TestDeleteForgetsEverything checks that a deleted customer leaves no
// trace: not in the app, and not in the bytes of the database file.
func TestDeleteForgetsEverything(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "rapport.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	keep := mustCreate(t, s, &Customer{GivenName: "Keep", FamilyName: "Me"})
	gone := mustCreate(t, s, &Customer{GivenName: "Zebulon", FamilyName: "Quuxington", Company: "Xylophonic Industries",
		Emails: []Labelled{{Value: "zebulon@xylophonic.example"}}})
	secrets := []string{"Zebulon", "Quuxington", "Xylophonic", "zebulon@xylophonic", "Wobblefrost", "Glimmerquad", "Snorkelbane"}
	s.SaveProfileItem(ctx, &ProfileItem{CustomerID: gone.ID, Category: CatHobby, Text: "Wobblefrost racing"})
	s.SaveFamilyMember(ctx, &FamilyMember{CustomerID: gone.ID, Relation: RelSpouse, Name: "Glimmerquad"})
	for i := 0; i < 50; i++ {
		s.LogInteraction(ctx, &Interaction{CustomerID: gone.ID, Kind: KindCall, At: time.Now(), Summary: "Snorkelbane contract talk"})
	}
	s.AddNote(ctx, &Note{CustomerID: gone.ID, Text: "Snorkelbane is their dog"})
	s.LogInteraction(ctx, &Interaction{CustomerID: keep.ID, Kind: KindCall, At: time.Now(), Summary: "ordinary call"})

	if err := s.DeleteCustomer(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Customer(ctx, gone.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("customer still loads: %v", err)
	}
	for _, q := range secrets {
		if r, _ := s.Search(ctx, q, 10); len(r) != 0 {
			t.Errorf("search %q still finds %v", q, r)
		}
	}
	if h, _ := s.Interactions(ctx, gone.ID, 0, 100); len(h) != 0 {
		t.Error("history survived")
	}
	if err := s.DeleteCustomer(ctx, gone.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	s.Close()
	files, _ := filepath.Glob(path + "*")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		low := bytes.ToLower(b)
		for _, secret := range secrets {
			if bytes.Contains(low, bytes.ToLower([]byte(secret))) {
				t.Errorf("%s still holds %q", filepath.Base(f), secret)
			}
		}
	}
	// The other customer is intact.
	s, _ = Open(ctx, path)
	defer s.Close()
	if r, _ := s.Search(ctx, "ordinary", 10); len(r) != 1 || r[0].ID != keep.ID {
		t.Errorf("the other customer's history was lost: %v", r)
	}
}

func TestLoadDataset(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	js := `{"customers":[{"card":{"given_name":"Ann","family_name":"Lee","birthday":"--04-15","company":"Acme"},
		"profile":{"items":[{"category":"hobby","text":"tango"}],"family":[{"relation":"child","name":"Sam","birthday":"2019-01-02"}],"pets":[{"name":"Rex","species":"dog"}]},
		"interactions":[{"days_ago":3,"time":"14:30","kind":"visit","minutes":45,"summary":"demo of the blast chiller"}],
		"notes":[{"days_ago":1,"text":"prefers mornings"}]}]}`
	ds, err := ReadDataset(strings.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.Local)
	n, err := s.LoadDataset(ctx, ds, now)
	if err != nil || n != 1 {
		t.Fatal(n, err)
	}
	r, _ := s.Search(ctx, "blast chiller", 5)
	if len(r) != 1 {
		t.Fatalf("search after load: %v", r)
	}
	h, _ := s.Interactions(ctx, r[0].ID, 0, 5)
	if want := time.Date(2026, 11, 20, 14, 30, 0, 0, time.Local); len(h) != 1 || !h[0].At.Equal(want) || h[0].Duration != 45*time.Minute {
		t.Errorf("interaction %+v, want at %v", h, want)
	}
	if _, err := ReadDataset(strings.NewReader(`{"customers":[{"card":{"given_nam":"typo"}}]}`)); err == nil {
		t.Error("unknown field accepted")
	}
	bad, _ := ReadDataset(strings.NewReader(`{"customers":[{"card":{"given_name":"Ok"}},{"card":{}}]}`))
	if _, err := s.LoadDataset(ctx, bad, now); err == nil || !strings.Contains(err.Error(), "customer 2") {
		t.Errorf("bad dataset: %v", err)
	}
	if n, _ := s.CountCustomers(ctx); n != 1 {
		t.Errorf("a failed load left %d customers, want 1 (all or nothing)", n)
	}
}

func TestPhoneKey(t *testing.T) {
	same := [][]string{
		{"+44 20 7946 0958", "020 7946 0958", "0044 (20) 7946-0958", "+44 (0)20 7946 0958"},
		{"+1 (555) 010-0111", "1-555-010-0111"[2:], "+15550100111"},
		{"+33 6 12 34 56 78", "06 12 34 56 78"},
	}
	for _, group := range same {
		for _, v := range group[1:] {
			if PhoneKey(v) != PhoneKey(group[0]) {
				t.Errorf("PhoneKey(%q) = %q, PhoneKey(%q) = %q", v, PhoneKey(v), group[0], PhoneKey(group[0]))
			}
		}
	}
	if PhoneKey("+44 20 7946 0958") == PhoneKey("+44 20 7946 0959") {
		t.Error("different numbers share a key")
	}
}

// Editing a note keeps its date and moves its search entry to the new text.
func TestUpdateNote(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	c := mustCreate(t, s, &Customer{GivenName: "Ann", FamilyName: "Lee"})
	n := &Note{CustomerID: c.ID, Text: "Wants a quote for the walrus cabinet", At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local)}
	if err := s.AddNote(ctx, n); err != nil {
		t.Fatal(err)
	}
	n.Text, n.Confidential = "Wants a quote for the display cabinet", true
	if err := s.UpdateNote(ctx, n); err != nil {
		t.Fatal(err)
	}
	notes, err := s.Notes(ctx, c.ID)
	if err != nil || len(notes) != 1 || notes[0].Text != n.Text || !notes[0].Confidential || !notes[0].At.Equal(n.At) {
		t.Fatalf("notes after edit = %+v, %v", notes, err)
	}
	if r, _ := s.Search(ctx, "walrus", 10); len(r) != 0 {
		t.Errorf("the old text is still found: %+v", r)
	}
	if r, _ := s.Search(ctx, "display", 10); len(r) != 1 {
		t.Errorf("the new text is not found: %+v", r)
	}
	if err := s.UpdateNote(ctx, &Note{ID: n.ID, CustomerID: c.ID, Text: "  "}); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty note: %v, want ErrInvalid", err)
	}
	if err := s.UpdateNote(ctx, &Note{ID: n.ID + 100, CustomerID: c.ID, Text: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing note: %v, want ErrNotFound", err)
	}
}
