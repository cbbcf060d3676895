package vcard

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/data"
)

// TestYearlessDates: a birthday, anniversary and family birthday without a
// year are read from Android's --MM-DD, RFC 6350's --MMDD and Apple's
// X-APPLE-OMIT-YEAR forms; exported as --MM-DD in 3.0 (no 1604 anywhere
// unless ForApple), --MMDD in 4.0, Apple's form with ForApple; and every
// export reads back to the same dates.
func TestYearlessDates(t *testing.T) {
	recs, cardErrs, err := decodeAll(mustRead(t, "testdata/yearless.vcf"))
	if err != nil || len(cardErrs) != 0 || len(recs) != 3 {
		t.Fatalf("decode: %d records, card errors %v, %v", len(recs), cardErrs, err)
	}
	bday, anniv := data.Date{Month: 11, Day: 2}, data.Date{Month: 6, Day: 30}
	check := func(label string, r *Record, wantFamily bool) {
		t.Helper()
		c := r.Customer
		if c.Birthday != bday || c.Anniversary != anniv {
			t.Errorf("%s %s: birthday %v anniversary %v, want %v and %v", label, c.UID, c.Birthday, c.Anniversary, bday, anniv)
		}
		if !wantFamily {
			return
		}
		if f := r.Profile.Family; len(f) != 1 || f[0].Birthday != (data.Date{Month: 5, Day: 1}) {
			t.Errorf("%s %s: family %+v, want Emma born --05-01", label, c.UID, f)
		}
	}
	for _, r := range recs {
		check("import", r, r.Customer.UID != "yearless-apple")
	}
	for _, tc := range []struct {
		name string
		opt  Options
		want []string
		bad  []string
	}{
		{"3.0", Options{}, []string{"\r\nBDAY:--11-02\r\n", ".X-ABDATE:--06-30\r\n", ";X-BDAY=--05-01:Emma\r\n"},
			[]string{"1604", "X-APPLE-OMIT-YEAR"}},
		{"4.0", Options{Version: "4.0"}, []string{"\r\nBDAY:--1102\r\n", "\r\nANNIVERSARY:--0630\r\n", ";X-BDAY=--05-01:Emma\r\n"},
			[]string{"1604", "X-APPLE-OMIT-YEAR"}},
		{"3.0 for Apple", Options{ForApple: true}, []string{"\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-11-02\r\n",
			".X-ABDATE;X-APPLE-OMIT-YEAR=1604:1604-06-30\r\n"}, nil},
		// ForApple changes nothing in 4.0, which has its own year-less form.
		{"4.0 for Apple", Options{Version: "4.0", ForApple: true}, []string{"\r\nBDAY:--1102\r\n"}, []string{"1604"}},
	} {
		var buf bytes.Buffer
		enc := NewEncoder(&buf, tc.opt)
		for _, r := range recs {
			if err := enc.Encode(&r.Customer, &r.Profile); err != nil {
				t.Fatal(err)
			}
		}
		out := buf.String()
		for _, w := range tc.want {
			if strings.Count(out, w) != len(recs) && !(strings.Contains(w, "X-BDAY") && strings.Count(out, w) == 2) {
				t.Errorf("%s: %q written %d times, want once per card:\n%s", tc.name, w, strings.Count(out, w), out)
			}
		}
		for _, b := range tc.bad {
			if strings.Contains(out, b) {
				t.Errorf("%s: output contains %q:\n%s", tc.name, b, out)
			}
		}
		back, cardErrs, err := decodeAll(buf.Bytes())
		if err != nil || len(cardErrs) != 0 || len(back) != len(recs) {
			t.Fatalf("%s: re-import %d records, %v, %v", tc.name, len(back), cardErrs, err)
		}
		for i, r := range back {
			check(tc.name+" round trip", r, recs[i].Customer.UID != "yearless-apple")
		}
	}
}
