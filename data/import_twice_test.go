package data_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/vcard"
)

// A card that lists one number (and one address) twice with different
// labels imports as one entry each, and a second import of the same file
// changes nothing and says so.
func TestImportTwiceWithDuplicatesInACard(t *testing.T) {
	ctx := context.Background()
	s, err := data.Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	file := filepath.Join("testdata", "duplicate-tel.vcf")
	importFile := func() *data.ImportSummary {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sum, err := s.Import(ctx, vcard.Reader(file, f), data.ImportOptions{NoBackup: true})
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	if sum := importFile(); sum.New != 1 {
		t.Fatalf("first import: %s", sum)
	}
	found, _ := s.Search(ctx, "dana", 5)
	c, err := s.Customer(ctx, found[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Phones) != 1 || c.Phones[0].Label != "car" || len(c.Emails) != 1 {
		t.Errorf("phones %+v, e-mails %+v: want one car number and one address", c.Phones, c.Emails)
	}
	for i := 0; i < 2; i++ {
		if sum := importFile(); sum.New != 0 || sum.Updated != 0 || sum.Unchanged != 1 {
			t.Errorf("import %d of the same file: %s, want 1 unchanged", i+2, sum)
		}
	}
	again, _ := s.Customer(ctx, c.ID)
	if len(again.Phones) != 1 || again.Phones[0] != c.Phones[0] {
		t.Errorf("after re-imports: %+v, want %+v", again.Phones, c.Phones)
	}
}
