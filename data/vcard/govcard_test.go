package vcard

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	govcard "github.com/emersion/go-vcard"

	"github.com/rapportcrm/rapport/data"
)

// goVCardText undoes the escapes go-vcard leaves in place (it unescapes only
// \\, \n and \,), so its values compare with ours.
func goVCardText(s string) string { return strings.ReplaceAll(s, `\;`, ";") }

// TestGoVCardReadsOutput reads every card we write back with go-vcard, the
// library the product builds on and an independent parser: the same number
// of cards, and each card's name, phones, e-mails, tags, birthday and
// Rapport profile lines as we meant them. Runs everywhere (unlike the
// python3-vobject check) because go-vcard is a Go module.
func TestGoVCardReadsOutput(t *testing.T) {
	recs := variedRecords(t)

	for _, v := range []string{"3.0", "4.0"} {
		out := encodeAll(t, recs, Options{Version: v, Confidential: true})
		dec := govcard.NewDecoder(bytes.NewReader(out))
		for i, rec := range recs {
			card, err := dec.Decode()
			if err != nil {
				t.Fatalf("v%s card %d (%s): go-vcard: %v", v, i+1, rec.Customer.Name(), err)
			}
			checkGoVCard(t, v, i+1, rec, card)
		}
		if _, err := dec.Decode(); !errors.Is(err, io.EOF) {
			t.Errorf("v%s: go-vcard found more than our %d cards: %v", v, len(recs), err)
		}
	}
}

func checkGoVCard(t *testing.T, version string, n int, rec *Record, card govcard.Card) {
	t.Helper()
	c := &rec.Customer
	where := func() string { return fmt.Sprintf("v%s card %d (%s)", version, n, c.Name()) }
	// go-vcard splits N and CATEGORIES on separators even when escaped:
	// values holding them are compared by our own round-trip tests instead.
	plain := func(ss ...string) bool {
		return !slices.ContainsFunc(ss, func(s string) bool { return strings.ContainsAny(s, `,;\`) })
	}
	if got := card.Value(govcard.FieldVersion); got != version {
		t.Errorf("%s: VERSION %q", where(), got)
	}
	if got := goVCardText(card.Value(govcard.FieldFormattedName)); got != c.Name() {
		t.Errorf("%s: FN %q, want %q", where(), got, c.Name())
	}
	if name := card.Name(); c.GivenName+c.FamilyName != "" && plain(c.Prefix, c.GivenName, c.MiddleName, c.FamilyName, c.Suffix) &&
		(name == nil || goVCardText(name.GivenName) != c.GivenName || goVCardText(name.FamilyName) != c.FamilyName) {
		t.Errorf("%s: N %+v, want %q %q", where(), name, c.GivenName, c.FamilyName)
	}
	values := func(field string) []string {
		var vs []string
		for _, f := range card[field] {
			vs = append(vs, strings.TrimPrefix(goVCardText(f.Value), "tel:"))
		}
		return vs
	}
	var phones, emails []string
	for _, ph := range c.Phones {
		phones = append(phones, ph.Value)
	}
	for _, e := range c.Emails {
		emails = append(emails, e.Value)
	}
	if got := values(govcard.FieldTelephone); !slices.Equal(got, phones) {
		t.Errorf("%s: TEL %q, want %q", where(), got, phones)
	}
	if got := values(govcard.FieldEmail); !slices.Equal(got, emails) {
		t.Errorf("%s: EMAIL %q, want %q", where(), got, emails)
	}
	if len(c.Tags) > 0 && plain(c.Tags...) {
		if got := card.Categories(); !slices.Equal(got, c.Tags) {
			t.Errorf("%s: CATEGORIES %q, want %q", where(), got, c.Tags)
		}
	}
	if !c.Birthday.IsZero() && card.Value(govcard.FieldBirthday) == "" {
		t.Errorf("%s: no BDAY, want %v", where(), c.Birthday)
	}
	// Lines Rapport could not store are kept as extra properties and
	// written back too.
	kept := func(name string) int {
		return len(slices.DeleteFunc(slices.Clone(c.Extra), func(x data.ExtraProperty) bool {
			return !strings.HasPrefix(x.Raw, name+";") && !strings.HasPrefix(x.Raw, name+":")
		}))
	}
	if got, want := len(card["X-RAPPORT-PROFILE"]), len(rec.Profile.Items)+kept("X-RAPPORT-PROFILE"); got != want {
		t.Errorf("%s: %d X-RAPPORT-PROFILE, want %d", where(), got, want)
	}
	if got, want := len(card["X-RAPPORT-PET"]), len(rec.Profile.Pets)+kept("X-RAPPORT-PET"); got != want {
		t.Errorf("%s: %d X-RAPPORT-PET, want %d", where(), got, want)
	}
}
