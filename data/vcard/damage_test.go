package vcard

import (
	"fmt"
	"testing"
)

// A card missing END:VCARD with lines that are no properties imports what
// it can, and says per card which lines were dropped and why; recovered
// files (no BEGIN, unindented base64) say what was repaired.
func TestDamageReported(t *testing.T) {
	recs, errs, fatal := decodeAll(mustRead(t, "testdata/partly-read.vcf"))
	if fatal != nil || len(errs) > 0 || len(recs) != 1 {
		t.Fatalf("decode: %v %v, %d cards", fatal, errs, len(recs))
	}
	if c := recs[0].Customer; c.Name() != "Pat Partial" || len(c.Emails) != 1 {
		t.Errorf("what could be read: %+v", c)
	}
	want := []string{
		`line 6 "TEL;TYPE=CELL +1 555 0000": dropped: not a property (no colon)`,
		`line 7 "and then some plain text": dropped: not a property (no colon)`,
		`line 7: END:VCARD missing: read up to the end of the file`,
	}
	if got := notes(recs[0]); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("damage:\n%q\nwant\n%q", got, want)
	}

	recs, errs, fatal = decodeAll(mustRead(t, "testdata/recovered.vcf"))
	if fatal != nil || len(errs) > 0 || len(recs) != 3 {
		t.Fatalf("decode recovered.vcf: %v %v, %d cards", fatal, errs, len(recs))
	}
	if recs[0].Customer.Photo.MIME != "image/jpeg" {
		t.Errorf("photo not recovered: %q", recs[0].Customer.Photo.MIME)
	}
	for i, want := range [][]string{
		{`line 6: repaired: base64 of PHOTO continued without indent; joined`},
		{`line 10: BEGIN:VCARD missing: read from line 10 to the END:VCARD at line 13`},
		nil,
	} {
		if got := notes(recs[i]); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("card %d (%s) damage:\n%q\nwant\n%q", i+1, recs[i].Customer.Name(), got, want)
		}
	}
}

func notes(r *Record) []string {
	var out []string
	for _, n := range r.Damage {
		out = append(out, n.String())
	}
	return out
}
