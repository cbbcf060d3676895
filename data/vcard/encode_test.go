package vcard

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rapportcrm/rapport/data"
)

// sampleCustomer is a customer as Rapport holds it, with awkward text.
func sampleCustomer(i int) (data.Customer, data.Profile) {
	c := data.Customer{
		UID:         fmt.Sprintf("urn:uuid:00000000-0000-4000-8000-%012d", i),
		Prefix:      "Dr.",
		GivenName:   "Zoë",
		FamilyName:  fmt.Sprintf("Ångström-Παπαδόπουλος %d", i),
		Nickname:    "Zo, the great",
		Company:     "Smith; Jones & Co., Ltd",
		Department:  "Sales\\Export",
		Title:       "Head of 東京 office",
		Birthday:    data.Date{Month: 4, Day: 15},
		Anniversary: data.MustParseDate("2001-06-30"),
		Phones: []data.Labelled{
			{Label: "cell", Value: "+44 7700 900123", Pref: true},
			{Label: "work fax", Value: "+44 20 7946 0000"},
			{Label: "Grandma's line", Value: "+44 1632 960000"},
		},
		Emails:    []data.Labelled{{Label: "work", Value: "zoe@example.com"}, {Value: "z@example.org"}},
		URLs:      []data.Labelled{{Label: "homepage", Value: "https://example.com/a,b;c"}},
		Addresses: []data.Address{{Label: "work", Street: "1 Long Road\nUnit 5", Locality: "Leeds", Postcode: "LS1 1AA", Country: "United Kingdom", Pref: true}, {Label: "Holiday home", Locality: "Nice"}},
		Tags:      []string{"vip", "golf, tennis", "a;b"},
		CardNote:  strings.Repeat("Long note with ünïcödé and a \\ backslash. ", 5) + "\nSecond line",
		Photo:     data.Photo{Data: append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{1, 2, 3, 250}, 3000)...), MIME: "image/jpeg"},
		Extra:     []data.ExtraProperty{{Raw: "X-ICQ:123"}, {Raw: "item1.X-ABADR:gb"}, {Raw: `GEO:geo:53.8,-1.5`}},
	}
	p := data.Profile{
		Items: []data.ProfileItem{
			{Category: data.CatHobby, Text: "Sailing, mostly; on Sundays"},
			{Category: data.CatAvoid, Text: "Politics", Confidential: true},
		},
		Family: []data.FamilyMember{
			{Relation: data.RelSpouse, Name: "Sam \"Sammy\" Smith"},
			{Relation: data.RelChild, Name: "Emma", Birthday: data.MustParseDate("2012-05-01"), Notes: "Dinosaurs;\nfootball"},
			{Relation: data.RelOther, Name: "Secret", Confidential: true},
		},
		Pets: []data.Pet{{Name: "Rex", Species: "dog: big, \"friendly\"", Notes: "Old"}},
	}
	return c, p
}

// TestRapportRoundTrip: Rapport -> file -> Rapport loses nothing, and the
// second export is byte-identical.
func TestRapportRoundTrip(t *testing.T) {
	for _, v := range []string{"3.0", "4.0"} {
		t.Run(v, func(t *testing.T) {
			c, p := sampleCustomer(1)
			var buf bytes.Buffer
			if err := NewEncoder(&buf, Options{Version: v, Confidential: true}).Encode(&c, &p); err != nil {
				t.Fatal(err)
			}
			recs, errs, fatal := decodeAll(buf.Bytes())
			if fatal != nil || len(errs) != 0 || len(recs) != 1 {
				t.Fatalf("%v %v %d", fatal, errs, len(recs))
			}
			got := recs[0]
			// FN is derived from the parts, so it is not stored.
			if !reflect.DeepEqual(got.Customer, c) {
				t.Errorf("customer changed:\n got %+v\nwant %+v\n%s", got.Customer, c, buf.Bytes())
			}
			if !reflect.DeepEqual(got.Profile, p) {
				t.Errorf("profile changed:\n got %+v\nwant %+v", got.Profile, p)
			}
			var again bytes.Buffer
			NewEncoder(&again, Options{Version: v, Confidential: true}).Encode(&got.Customer, &got.Profile)
			if !bytes.Equal(buf.Bytes(), again.Bytes()) {
				t.Errorf("second export differs")
			}
		})
	}
}

func TestEncodeConfidentialAndPhotos(t *testing.T) {
	c, p := sampleCustomer(2)
	var buf bytes.Buffer
	if err := NewEncoder(&buf, Options{NoPhotos: true}).Encode(&c, &p); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"Politics", "Secret", "PHOTO", "X-CONFIDENTIAL"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q without Confidential / with NoPhotos:\n%s", bad, out)
		}
	}
	recs, _, _ := decodeAll(buf.Bytes())
	if n := len(recs[0].Profile.Family); n != 2 {
		t.Errorf("family members after re-import: %d, want 2 (no duplicates from X-ABRELATEDNAMES)", n)
	}
	if err := NewEncoder(&buf, Options{Version: "2.1"}).Encode(&c, &p); err == nil {
		t.Error("version 2.1 accepted")
	}
}

func TestEncodeLines(t *testing.T) {
	c, p := sampleCustomer(3)
	for _, tc := range []struct {
		v    string
		want []string
	}{
		{"3.0", []string{"BEGIN:VCARD\r\nVERSION:3.0\r\n", "\r\nBDAY:--04-15\r\n",
			"\r\nitem2.X-ABDATE:2001-06-30\r\nitem2.X-ABLabel:_$!<Anniversary>!$_\r\n",
			"\r\nTEL;TYPE=CELL,PREF:+44 7700 900123\r\n", "\r\nTEL;TYPE=WORK,FAX:+44 20 7946 0000\r\n",
			"\r\nitem3.TEL:+44 1632 960000\r\nitem3.X-ABLabel:Grandma's line\r\n",
			"\r\nORG:Smith\\; Jones & Co.\\, Ltd;Sales\\\\Export\r\n",
			"\r\nCATEGORIES:vip,golf\\, tennis,a\\;b\r\n", "\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AECA/o",
			"\r\nX-RAPPORT-PET;X-SPECIES=\"dog: big, ^'friendly^'\":Rex\\nOld\r\n",
			"\r\nX-RAPPORT-FAMILY;X-RELATION=child;X-BDAY=2012-05-01:Emma\\nDinosaurs\\;\\nfootball\r\n",
			"\r\nEND:VCARD\r\n"}},
		{"4.0", []string{"BEGIN:VCARD\r\nVERSION:4.0\r\n", "\r\nBDAY:--0415\r\n", "\r\nANNIVERSARY:20010630\r\n",
			"\r\nTEL;TYPE=cell;PREF=1:+44 7700 900123\r\n", "\r\nPHOTO:data:image/jpeg;base64,/9j/4AECA/o",
			"\r\nRELATED;TYPE=spouse;VALUE=text:Sam \"Sammy\" Smith\r\n"}},
	} {
		var buf bytes.Buffer
		NewEncoder(&buf, Options{Version: tc.v}).Encode(&c, &p)
		unfolded := strings.ReplaceAll(buf.String(), "\r\n ", "")
		for _, w := range tc.want {
			if !strings.Contains(unfolded, w) {
				t.Errorf("%s: output lacks %q:\n%.2000s", tc.v, w, unfolded)
			}
		}
		if strings.Contains(buf.String(), "REV") {
			t.Errorf("REV written")
		}
	}
}

// TestFolding: no physical line over 76 octets (75 plus the fold space),
// never split inside a UTF-8 sequence, CRLF everywhere.
func TestFolding(t *testing.T) {
	c, p := sampleCustomer(4)
	c.CardNote = strings.Repeat("日本語のテキストとémojis 😀👍🏽 ", 40) + "end"
	c.FormattedName = strings.Repeat("Ω", 100)
	for _, v := range []string{"3.0", "4.0"} {
		var buf bytes.Buffer
		NewEncoder(&buf, Options{Version: v, Confidential: true}).Encode(&c, &p)
		out := buf.Bytes()
		if bytes.Count(out, []byte("\r\n")) != bytes.Count(out, []byte("\n")) {
			t.Errorf("%s: bare LF in output", v)
		}
		for i, line := range bytes.Split(bytes.TrimSuffix(out, []byte("\r\n")), []byte("\r\n")) {
			if len(line) > 76 {
				t.Errorf("%s line %d: %d octets", v, i+1, len(line))
			}
			body := line
			if len(body) > 0 && body[0] == ' ' {
				body = body[1:]
			}
			if !utf8.Valid(body) {
				t.Errorf("%s line %d splits a UTF-8 sequence: %q", v, i+1, line)
			}
		}
		recs, _, _ := decodeAll(out)
		if len(recs) != 1 || recs[0].Customer.CardNote != c.CardNote || recs[0].Customer.FormattedName != c.FormattedName {
			t.Errorf("%s: folded text did not survive", v)
		}
	}
}
