package vcard

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/data"
)

// TestUTF16WithoutBOM: UTF-16 files without a byte order mark (Apple
// Address Book and Entourage write them) are recognised from the byte
// pattern, big- and little-endian, text outside the BMP included.
func TestUTF16WithoutBOM(t *testing.T) {
	for _, tc := range []struct{ file, tag string }{{"utf16be-nobom.vcf", "BE"}, {"utf16le-nobom.vcf", "LE"}} {
		b := mustRead(t, "testdata/"+tc.file)
		if b[0] != 0 && b[1] != 0 || b[0] == 0xFE || b[0] == 0xFF {
			t.Fatalf("%s is not BOM-less UTF-16", tc.file)
		}
		recs, cardErrs, err := decodeAll(b)
		if err != nil || len(cardErrs) != 0 || len(recs) != 2 {
			t.Fatalf("%s: %d records, %v, %v", tc.file, len(recs), cardErrs, err)
		}
		for i, r := range recs {
			c := r.Customer
			want := "Zoë Müller " + tc.tag + map[int]string{0: "", 1: "2"}[i]
			if c.Name() != want || c.CardNote != "日本語 😀" || !hasLabelled(c.Phones, "cell", "+49 170 555 0101") {
				t.Errorf("%s card %d: name %q note %q phones %+v", tc.file, i+1, c.Name(), c.CardNote, c.Phones)
			}
		}
	}
	// With a BOM it still works.
	if recs, _, err := decodeAll(mustRead(t, "testdata/utf16be.vcf")); err != nil || len(recs) != 1 {
		t.Errorf("UTF-16 with BOM: %d records, %v", len(recs), err)
	}
}

// TestFileWithoutCards: a file in which no card is found, empty or plain
// text, is one failed entry naming the file, never a silent success.
func TestFileWithoutCards(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.vcf")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var got []data.ImportCard
	for c := range Cards([]string{"testdata/no-cards.txt", empty, "testdata/utf16le-nobom.vcf"}) {
		got = append(got, c)
	}
	if len(got) != 4 {
		t.Fatalf("got %d entries, want 2 failed files and 2 cards: %+v", len(got), got)
	}
	for i, name := range []string{"no-cards.txt", "empty.vcf"} {
		if c := got[i]; c.Source != name || c.Index != 0 || c.Err == nil || !strings.Contains(c.Err.Error(), "vCard") {
			t.Errorf("entry %d: %+v, want a failed file %s", i, c, name)
		}
	}
	for _, c := range got[2:] {
		if c.Err != nil || c.Source != "utf16le-nobom.vcf" {
			t.Errorf("card after the failed files: %+v", c)
		}
	}
}
