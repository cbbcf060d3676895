package data_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/vcard"
)

// A birthday in words survives the store: imported, read back, imported
// again unchanged, and exported as it came.
func TestImportTextBirthday(t *testing.T) {
	ctx := context.Background()
	s, err := data.Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	file := filepath.Join("testdata", "text-birthday.vcf")
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
	if sum := importFile(); sum.New != 2 {
		t.Fatalf("first import: %s", sum)
	}
	found, _ := s.Search(ctx, "ancestor", 5)
	if len(found) != 1 {
		t.Fatalf("search: %v", found)
	}
	c, err := s.Customer(ctx, found[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Birthday.Text != "circa 1800" || c.Birthday.String() != "circa 1800" {
		t.Fatalf("stored birthday = %#v", c.Birthday)
	}
	if sum := importFile(); sum.Unchanged != 2 {
		t.Errorf("second import: %s", sum)
	}
	var buf bytes.Buffer
	if err := vcard.NewEncoder(&buf, vcard.Options{Version: "4.0"}).Encode(c, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "BDAY;VALUE=text:circa 1800") {
		t.Errorf("export:\n%s", buf.String())
	}
}
