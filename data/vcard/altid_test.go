package vcard

import (
	"strings"
	"testing"
)

// Alternative representations (RFC 6350 §6.2.2): a name in two scripts
// stays one ALTID group, valid in 4.0 (the group) and in 3.0 (one N, the
// other form as X-RAPPORT-ALT-N), and comes back unchanged.
func TestAltIDGroups(t *testing.T) {
	recs, errs, fatal := decodeAll(mustRead(t, "testdata/altid.vcf"))
	if fatal != nil || len(errs) > 0 || len(recs) != 2 {
		t.Fatalf("decode: %v %v, %d cards", fatal, errs, len(recs))
	}
	c := recs[0].Customer
	if c.GivenName != "Taro" || c.FamilyName != "Yamada" || c.Company != "Yamada Trading" {
		t.Fatalf("first representation not mapped: %+v", c)
	}
	v4 := string(encodeAll(t, recs[:1], Options{Version: "4.0"}))
	for _, want := range []string{
		"FN;ALTID=1;LANGUAGE=en:Taro Yamada\r\nFN;ALTID=1;LANGUAGE=ja:山田太郎\r\n",
		"N;ALTID=1;LANGUAGE=en:Yamada;Taro;;;\r\nN;ALTID=1;LANGUAGE=ja:山田;太郎;;;\r\n",
		"ORG;ALTID=2;LANGUAGE=en:Yamada Trading\r\nORG;ALTID=2;LANGUAGE=ja:山田商事\r\n",
	} {
		if !strings.Contains(v4, want) {
			t.Errorf("4.0 export lacks the group %q:\n%s", want, v4)
		}
	}
	v3 := string(encodeAll(t, recs[:1], Options{Version: "3.0"}))
	if n := strings.Count(v3, "\r\nN"); n != 1 {
		t.Errorf("3.0 export has %d N lines, want 1:\n%s", n, v3)
	}
	if !strings.Contains(v3, "\r\nX-RAPPORT-ALT-N;ALTID=1;LANGUAGE=ja:山田;太郎;;;\r\n") {
		t.Errorf("3.0 export lost the other representation:\n%s", v3)
	}
	// The second card's FN is plain, its N a pair: the group still holds.
	v4b := string(encodeAll(t, recs[1:], Options{Version: "4.0"}))
	if !strings.Contains(v4b, "N;ALTID=7:Doe;Jane;;;\r\nN;ALTID=7;LANGUAGE=fr:Doé;Jeanne;;;\r\n") {
		t.Errorf("4.0 export of an N pair:\n%s", v4b)
	}
	checkRoundTrip(t, "altid.vcf", recs)

	// An edited name keeps the other representation, in the same group.
	ed := *recs[1]
	ed.Customer.GivenName = "Janet"
	out := string(encodeAll(t, []*Record{&ed}, Options{Version: "4.0"}))
	if !strings.Contains(out, "N;ALTID=7:Doe;Janet;;;\r\nN;ALTID=7;LANGUAGE=fr:Doé;Jeanne;;;\r\n") {
		t.Errorf("edited name:\n%s", out)
	}
}
