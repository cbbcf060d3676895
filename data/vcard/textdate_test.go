package vcard

import (
	"strings"
	"testing"
)

// A birthday in words (BDAY;VALUE=text, RFC 6350) is kept as the words and
// written back, in 3.0 and 4.0; an anniversary in words is kept as it came.
func TestTextBirthday(t *testing.T) {
	recs, errs, fatal := decodeAll(mustRead(t, "testdata/text-birthday.vcf"))
	if fatal != nil || len(errs) > 0 || len(recs) != 2 {
		t.Fatalf("decode: %v %v, %d cards", fatal, errs, len(recs))
	}
	if b := recs[0].Customer.Birthday; !b.IsText() || b.Text != "circa 1800" {
		t.Errorf("birthday = %#v, want the words", b)
	}
	if b := recs[1].Customer.Birthday; b.Text != "around Easter" {
		t.Errorf("3.0 birthday that is no date = %#v, want the words", b)
	}
	for _, v := range []string{"3.0", "4.0"} {
		out := string(encodeAll(t, recs, Options{Version: v}))
		if !strings.Contains(out, "\r\nBDAY;VALUE=text:circa 1800\r\n") || !strings.Contains(out, "\r\nBDAY;VALUE=text:around Easter\r\n") {
			t.Errorf("%s export lost the birthday in words:\n%s", v, out)
		}
		if !strings.Contains(out, "ANNIVERSARY;VALUE=text:spring 1821") {
			t.Errorf("%s export lost the anniversary in words:\n%s", v, out)
		}
	}
	checkRoundTrip(t, "text-birthday.vcf", recs)
}

// A broken date (BDAY:19723101) is no birthday, but neither is it dropped
// without a word: it is kept as it came and reported.
func TestBrokenBirthdayKeptAndSaid(t *testing.T) {
	recs, _, _ := decodeAll(mustRead(t, "testdata/birthdays.vcf"))
	c := recs[3]
	if c.Customer.Name() != "Invalid Birthday" || !c.Customer.Birthday.IsZero() {
		t.Fatalf("card 4: %q, birthday %#v", c.Customer.Name(), c.Customer.Birthday)
	}
	if len(c.Customer.Extra) != 1 || c.Customer.Extra[0].Raw != "BDAY:19723101" || len(c.Problems) != 1 {
		t.Errorf("extra %v, problems %v", c.Customer.Extra, c.Problems)
	}
}
