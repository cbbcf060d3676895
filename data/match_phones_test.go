package data_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/vcard"
)

// The same people saved on another phone: a matching e-mail address merges
// unless the names say these are different people, a name matches through
// a nickname, a short form or its start, and colleagues sharing a
// switchboard, a couple sharing an address and two people on one office
// address stay apart.
func TestImportSamePersonFromAnotherPhone(t *testing.T) {
	ctx := context.Background()
	s, err := data.Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	importFile := func(name string) *data.ImportSummary {
		f, err := os.Open(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sum, err := s.Import(ctx, vcard.Reader(name, f), data.ImportOptions{NoBackup: true, ListUpTo: 100})
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	if sum := importFile("other-phone-a.vcf"); sum.New != 5 {
		t.Fatalf("first phone: %s", sum)
	}
	sum := importFile("other-phone-b.vcf")
	got := map[int]string{}
	for _, r := range sum.Results {
		got[r.Index] = string(r.Action) + " " + r.Reason
	}
	want := map[int]string{
		1: "updated same e-mail address", // Chi is Chiamaka (her nickname, and the start of her name)
		2: "new ",                        // Tom Lind shares Anna Berg's switchboard
		3: "new ",                        // John and Anna Smith share an address
		4: "updated same e-mail address", // Bob is Robert
		5: "new ",                        // María García, not Maria Lopez, on the office address
		6: "updated same e-mail address", // case and spacing aside; takes its name back

	}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("card %d: %q, want %q", i, got[i], w)
		}
	}
	list, err := s.Search(ctx, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range list {
		names = append(names, c.Name)
	}
	sort.Strings(names)
	// A short given name from the other phone (Bob) does not replace the
	// full one; it becomes the nickname. A card's own FN ("Chi Okafor" on a
	// card whose N says Chiamaka) is what its owner wants shown.
	if strings.Join(names, ", ") != "Anna Berg, Anna Smith, Chi Okafor, John Smith, Maria Lopez, María García, Robert Jones, Tom Lind" {
		t.Errorf("customers: %s", strings.Join(names, ", "))
	}
	for _, c := range list {
		if c.Name == "Robert Jones" {
			full, err := s.Customer(ctx, c.ID)
			if err != nil || full.GivenName != "Robert" || full.Nickname != "Bob" {
				t.Errorf("Robert after Bob's card: %+v %v", full, err)
			}
		}
	}
}
