package vcard

import (
	"bytes"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/data"
)

// decodeFixture decodes testdata/name and fails on a fatal error.
func decodeFixture(t *testing.T, name string) ([]*Record, []*CardError) {
	t.Helper()
	recs, errs, fatal := decodeAll(mustRead(t, filepath.Join("testdata", name)))
	if fatal != nil {
		t.Fatalf("%s: %v", name, fatal)
	}
	return recs, errs
}

func names(recs []*Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.Customer.Name())
	}
	return out
}

func TestFixtures(t *testing.T) {
	t.Run("CR only, UTF-8 BOM", func(t *testing.T) {
		recs, _ := decodeFixture(t, "cr-only-bom.vcf")
		if len(recs) != 1 || recs[0].Customer.GivenName != "Carla" || !hasLabelled(recs[0].Customer.Phones, "work", "+1 555 0100") {
			t.Fatalf("%+v", recs)
		}
	})
	t.Run("UTF-16BE", func(t *testing.T) {
		recs, _ := decodeFixture(t, "utf16be.vcf")
		if len(recs) != 1 || recs[0].Customer.Name() != "Zoë Big-Endian" {
			t.Fatalf("%q", names(recs))
		}
	})
	t.Run("birthdays", func(t *testing.T) {
		recs, _ := decodeFixture(t, "birthdays.vcf")
		want := []struct{ bday, ann string }{
			{"--04-15", "--04-16"}, {"--04-15", "--06-01"}, {"1975-04-15", "2001-09-08"}, {"", ""}, {"1975-04-15", ""},
		}
		if len(recs) != len(want) {
			t.Fatalf("got %q", names(recs))
		}
		for i, w := range want {
			c := recs[i].Customer
			if c.Birthday.String() != w.bday || c.Anniversary.String() != w.ann {
				t.Errorf("%s: birthday %q anniversary %q, want %q %q", c.Name(), c.Birthday, c.Anniversary, w.bday, w.ann)
			}
		}
		if x := recs[1].Customer.Extra; len(x) != 0 {
			t.Errorf("anniversary group left in Extra: %v", x)
		}
	})
	t.Run("params", func(t *testing.T) {
		recs, _ := decodeFixture(t, "params.vcf")
		c := recs[0].Customer
		want := []data.Labelled{{Label: "work cell", Value: "+44 20 7946 0000", Pref: true}, {Label: "fax", Value: "+44 20 7946 0001"}}
		if !reflect.DeepEqual(c.Phones, want) {
			t.Errorf("phones %+v", c.Phones)
		}
		if len(c.Emails) != 1 || c.Emails[0].Pref || c.Emails[0].Label != "home" {
			t.Errorf("PREF=2 is not the preferred one: %+v", c.Emails)
		}
		if len(c.Addresses) != 2 || c.Addresses[0].Label != "home" || c.Addresses[0].Locality != "Leeds" || c.Addresses[1].Street != "1 Mill Lane" {
			t.Errorf("addresses %+v", c.Addresses)
		}
		// The work address's LABEL is kept for the export (structured.go).
		if len(c.Extra) != 2 || c.Extra[0].Raw != adrLabelLine(c.Addresses[1], "1 Mill Lane\nLeeds \"North\"") ||
			c.Extra[1].Raw != `X-CUSTOM;X-NOTE=a^^b^nc;X-Q="x:y":value` {
			t.Errorf("extra %q", c.Extra)
		}
	})
	t.Run("QP charsets", func(t *testing.T) {
		recs, _ := decodeFixture(t, "qp-charsets.vcf")
		c := recs[0].Customer
		if c.FamilyName != "Kołodziej" || c.FormattedName != "Wojciech Kołodziej" && c.Name() != "Wojciech Kołodziej" {
			t.Errorf("names %q %q", c.FamilyName, c.Name())
		}
		if c.CardNote != "Line one\nLine two continues here\nLine three" {
			t.Errorf("note %q", c.CardNote)
		}
		if !hasLabelled(c.Phones, "home", "+48 22 123 45 67") {
			t.Errorf("phones %+v", c.Phones)
		}
	})
	t.Run("relations", func(t *testing.T) {
		recs, _ := decodeFixture(t, "relations.vcf")
		want := []data.FamilyMember{
			{Relation: "spouse", Name: "Anna"}, {Relation: "child", Name: "Ben"}, {Relation: "child", Name: "Cara"},
			{Relation: "parent", Name: "Dora", Notes: "mother"}, {Relation: "sibling", Name: "Ed", Notes: "brother"},
		}
		if !reflect.DeepEqual(recs[0].Profile.Family, want) {
			t.Errorf("family %+v", recs[0].Profile.Family)
		}
		c := recs[0].Customer
		if !hasLabelled(c.URLs, "twitter", "https://twitter.com/family") || !hasLabelled(c.URLs, "Blog", "https://example.org/blog") {
			t.Errorf("urls %+v", c.URLs)
		}
		want = []data.FamilyMember{{Relation: "spouse", Name: "Fay"}, {Relation: "child", Name: "Gus"}}
		if !reflect.DeepEqual(recs[1].Profile.Family, want) {
			t.Errorf("RELATED family %+v", recs[1].Profile.Family)
		}
		if x := recs[1].Customer.Extra; len(x) != 1 || !strings.HasPrefix(x[0].Raw, "RELATED;TYPE=friend:urn:uuid:") {
			t.Errorf("RELATED with a URI should stay in Extra: %v", x)
		}
	})
	t.Run("broken lines and missing END", func(t *testing.T) {
		recs, errs := decodeFixture(t, "broken-lines.vcf")
		if len(recs) != 2 || len(errs) != 0 {
			t.Fatalf("%q %v", names(recs), errs)
		}
		c := recs[0].Customer
		if !hasLabelled(c.Emails, "", "b@example.org") || !hasLabelled(c.Phones, "", "+1 555 0199") {
			t.Errorf("%+v %+v", c.Emails, c.Phones)
		}
		if recs[1].Customer.Name() != "No End" || recs[1].Index != 2 {
			t.Errorf("card without END: %+v", recs[1])
		}
	})
	t.Run("AGENT", func(t *testing.T) {
		recs, _ := decodeFixture(t, "agent.vcf")
		if got := names(recs); !reflect.DeepEqual(got, []string{"Big Boss", "Amy Assistant", "Agent After"}) {
			t.Fatalf("%q", got)
		}
		if !hasLabelled(recs[0].Customer.Emails, "", "big@example.org") {
			t.Errorf("outer card lost its e-mail after the agent: %+v", recs[0].Customer)
		}
		if recs[0].Index != 1 || recs[1].Index != 2 || recs[2].Index != 3 {
			t.Errorf("indexes %d %d %d", recs[0].Index, recs[1].Index, recs[2].Index)
		}
	})
	t.Run("photos", func(t *testing.T) {
		recs, _ := decodeFixture(t, "photo-datauri.vcf")
		if len(recs) != 3 {
			t.Fatalf("%q", names(recs))
		}
		for _, i := range []int{0, 2} {
			p := recs[i].Customer.Photo
			if !bytes.HasPrefix(p.Data, []byte{0xFF, 0xD8}) || p.MIME != "image/jpeg" {
				t.Errorf("%s: photo %x %q", recs[i].Customer.Name(), p.Data, p.MIME)
			}
		}
		if recs[1].Customer.Photo.URL != "https://example.org/p.jpg" {
			t.Errorf("photo link %+v", recs[1].Customer.Photo)
		}
		if !hasLabelled(recs[2].Customer.Phones, "", "1") {
			t.Errorf("line after the blank line following base64: %+v", recs[2].Customer.Phones)
		}
	})
	t.Run("Rapport profile", func(t *testing.T) {
		recs, _ := decodeFixture(t, "rapport-profile.vcf")
		r := recs[0]
		want := data.Profile{
			Items: []data.ProfileItem{{Category: "hobby", Text: "Sailing, mostly on Sundays"}, {Category: "avoid", Text: "Politics", Confidential: true}},
			Family: []data.FamilyMember{
				{Relation: "spouse", Name: "Sam"},
				{Relation: "child", Name: "Emma", Birthday: data.MustParseDate("2012-05-01"), Notes: "Loves dinosaurs; and \\ backslashes\nsecond line"},
				{Relation: "child", Name: "Leo", Birthday: data.Date{Month: 2, Day: 29}},
			},
			Pets: []data.Pet{{Name: "Rex", Species: "dog", Notes: "Old, lazy"}},
		}
		if !reflect.DeepEqual(r.Profile, want) {
			t.Errorf("profile\n got %+v\nwant %+v", r.Profile, want)
		}
		if !reflect.DeepEqual(r.Customer.Tags, []string{"vip", "golf, tennis"}) {
			t.Errorf("tags %q", r.Customer.Tags)
		}
	})
	t.Run("nothing identifying", func(t *testing.T) {
		recs, errs := decodeFixture(t, "empty-middle.vcf")
		if got := names(recs); !reflect.DeepEqual(got, []string{"First Good", "Only Company Ltd", "+1 555 0111"}) {
			t.Errorf("%q", got)
		}
		if len(errs) != 1 || errs[0].Index != 2 || !errors.Is(errs[0], errNoIdentity) {
			t.Errorf("errors %v", errs)
		}
		if recs[1].Customer.Department != "Sales" {
			t.Errorf("department %q", recs[1].Customer.Department)
		}
	})
	t.Run("details without a name", func(t *testing.T) {
		recs, errs := decodeFixture(t, "unnamed-details.vcf")
		if len(recs) != 1 || len(errs) != 0 || recs[0].Customer.Name() != unnamed ||
			recs[0].Customer.Photo.URL != "https://example.com/p.jpg" || len(recs[0].Customer.Extra) != 1 {
			t.Errorf("%+v %v", recs, errs)
		}
	})
}

func TestFixturesRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.vcf")
	for _, f := range files {
		recs, _, fatal := decodeAll(mustRead(t, f))
		if fatal != nil {
			t.Fatalf("%s: %v", f, fatal)
		}
		checkRoundTrip(t, f, recs)
	}
}
