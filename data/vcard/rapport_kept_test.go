package vcard

import (
	"bytes"
	"strings"
	"testing"
)

// A confidential X-RAPPORT-* line kept aside on import (Rapport could not
// store it) stays confidential on export: written only with Confidential.
func TestKeptRapportPropertyStaysConfidential(t *testing.T) {
	in := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\n" +
		"X-RAPPORT-PROFILE;X-CATEGORY=bogus;X-CONFIDENTIAL=TRUE:Owes money\r\n" +
		"X-RAPPORT-PET;X-CONFIDENTIAL=false:\r\nEND:VCARD\r\n"
	recs, _, err := decodeAll([]byte(in))
	if err != nil || len(recs) != 1 {
		t.Fatalf("decode: %v %v", recs, err)
	}
	r := recs[0]
	if len(r.Problems) != 2 || len(r.Customer.Extra) != 2 || len(r.Profile.Items)+len(r.Profile.Pets) != 0 {
		t.Fatalf("record: problems %q, extra %+v, profile %+v", r.Problems, r.Customer.Extra, r.Profile)
	}
	for _, conf := range []bool{false, true} {
		var b bytes.Buffer
		if err := NewEncoder(&b, Options{Confidential: conf}).Encode(&r.Customer, &r.Profile); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if got := strings.Contains(out, "\r\nX-RAPPORT-PROFILE;X-CATEGORY=bogus;X-CONFIDENTIAL=TRUE:Owes money\r\n"); got != conf {
			t.Errorf("Confidential %v: confidential line written %v:\n%s", conf, got, out)
		}
		if !strings.Contains(out, "\r\nX-RAPPORT-PET;X-CONFIDENTIAL=false:\r\n") {
			t.Errorf("Confidential %v: the other kept line is missing:\n%s", conf, out)
		}
	}
}
