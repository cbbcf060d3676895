package vcard

import (
	"bytes"
	"strings"
	"testing"
)

// TestStructuredRoundTrip: a NICKNAME list, a three-part ORG and a 4.0
// ADR;LABEL= come out of an import/export trip as they went in, in 4.0
// and 3.0, and the export of the re-import is byte-identical.
func TestStructuredRoundTrip(t *testing.T) {
	recs, cardErrs, err := decodeAll(mustRead(t, "testdata/structured.vcf"))
	if err != nil || len(cardErrs) != 0 || len(recs) != 2 {
		t.Fatalf("decode: %d records, %v, %v", len(recs), cardErrs, err)
	}
	c := recs[0].Customer
	if c.Nickname != "Bob, Bobby" || c.Company != "ABC, Inc." || c.Department != "North American Division; Marketing" {
		t.Errorf("nickname %q company %q department %q", c.Nickname, c.Company, c.Department)
	}
	// RFC 6350's own example writes \n in the parameter: kept as it is.
	label := `"Mr. Robert Example\nABC, Inc.\n123 Main Street\nAny Town, CA 91921-1234"`
	for _, v := range []string{"4.0", "3.0"} {
		var first bytes.Buffer
		enc := NewEncoder(&first, Options{Version: v})
		for _, r := range recs {
			if err := enc.Encode(&r.Customer, &r.Profile); err != nil {
				t.Fatal(err)
			}
		}
		out := strings.ReplaceAll(first.String(), "\r\n ", "")
		for _, want := range []string{
			"\r\nNICKNAME:Bob,Bobby\r\n", "\r\nORG:ABC\\, Inc.;North American Division;Marketing\r\n",
			";LABEL=" + label + ":;;123 Main Street;Any Town;CA;91921-1234;U.S.A.\r\n",
			"\r\nNICKNAME:Chi\r\n", "\r\nORG:Okafor Foods;Sales\r\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: export lacks %q:\n%s", v, want, out)
			}
		}
		for _, bad := range []string{adrLabelProp, "Quiet Lane;Smalltown;;12345;U.S.A.\r\nLABEL", "1 Quiet Lane;Smalltown;;12345;U.S.A.;LABEL"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s: export contains %q:\n%s", v, bad, out)
			}
		}
		if strings.Count(out, "LABEL=") != 1 {
			t.Errorf("%s: %d LABEL= parameters, want 1 (the home address has none)", v, strings.Count(out, "LABEL="))
		}
		back, _, err := decodeAll(first.Bytes())
		if err != nil || len(back) != 2 {
			t.Fatalf("%s: re-import %d, %v", v, len(back), err)
		}
		var second bytes.Buffer
		enc = NewEncoder(&second, Options{Version: v})
		for _, r := range back {
			enc.Encode(&r.Customer, &r.Profile)
		}
		if second.String() != first.String() {
			t.Errorf("%s: export, import, export changed the file:\n%s\nwas\n%s", v, second.String(), first.String())
		}
	}

	// An address edited after import keeps its old label as the Extra
	// line, written as it is: nothing is lost, nothing put on the wrong address.
	edited := recs[0].Customer
	edited.Addresses = append(edited.Addresses[:0:0], edited.Addresses...)
	edited.Addresses[0].Street = "125 Main Street"
	var buf bytes.Buffer
	NewEncoder(&buf, Options{Version: "4.0"}).Encode(&edited, &recs[0].Profile)
	out := strings.ReplaceAll(buf.String(), "\r\n ", "")
	if strings.Contains(out, "LABEL=") || !strings.Contains(out, "\r\n"+adrLabelProp+";X-ADR=") {
		t.Errorf("edited address:\n%s", out)
	}
}
