package vcard

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/data"
)

// rapportCard builds a card around one X-RAPPORT-* line with the given
// parameters and value, followed by more raw lines.
func rapportCard(kind uint8, params, value, more string) []byte {
	name := []string{"X-RAPPORT-PROFILE", "X-RAPPORT-FAMILY", "X-RAPPORT-PET"}[kind%3]
	sum := sha256.Sum256([]byte(fmt.Sprint(kind, params, value, more)))
	var b strings.Builder
	b.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Fuzz Person\r\nUID:fuzz-" + hex.EncodeToString(sum[:8]) + "\r\n")
	b.WriteString(name)
	if params != "" {
		b.WriteString(";" + params)
	}
	b.WriteString(":" + value + "\r\n")
	if more != "" {
		b.WriteString(more + "\r\n")
	}
	b.WriteString("END:VCARD\r\n")
	return []byte(b.String())
}

// FuzzRapportProfile: a card with arbitrary X-RAPPORT-PROFILE, -FAMILY and
// -PET lines and parameters decodes without panic; what decodes imports
// into a real store without error (a property Rapport cannot store is a
// problem of the card, never a failed import); and the stored customer
// exports to a card that decodes again, with the same profile.
func FuzzRapportProfile(f *testing.F) {
	for _, s := range []struct {
		kind                uint8
		params, value, more string
	}{
		{0, "X-CATEGORY=hobby", `Sailing\, mostly`, ""},
		{0, "X-CATEGORY=bogus", "Collects stamps", ""},
		{0, "", "", ""},
		{0, "X-CATEGORY=avoid;X-CONFIDENTIAL=TRUE", "Politics", "X-RAPPORT-PROFILE;X-CATEGORY=:"},
		{1, "X-RELATION=cousin", "Tom;visits", ""},
		{1, "X-RELATION=child;X-BDAY=2012-05-01", `Emma;Loves dinosaurs\; and \\ backslashes\nsecond line`, ""},
		{1, "X-RELATION=spouse;X-BDAY=not-a-date", "Sam", "item1.X-ABRELATEDNAMES:Sam\r\nitem1.X-ABLabel:_$!<Spouse>!$_"},
		{1, "X-RELATION=child", ";notes only", "X-SPOUSE:Kim"},
		{2, "X-SPECIES=dog", `Rex;Old\, lazy`, ""},
		{2, "X-SPECIES=cat", "", "X-RAPPORT-PET:   "},
		{2, `X-SPECIES="a:b;c"`, "Tom;=0D=0A", "X-RAPPORT-FAMILY;ENCODING=QUOTED-PRINTABLE:=C3=A9mile"},
	} {
		f.Add(s.kind, s.params, s.value, s.more)
	}
	ctx := context.Background()
	store, err := data.Open(ctx, filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	f.Fuzz(func(t *testing.T, kind uint8, params, value, more string) {
		in := rapportCard(kind, params, value, more)
		recs, cardErrs, fatal := decodeAll(in)
		if fatal != nil || len(recs) == 0 {
			return // not a card at all (the line broke the card's structure)
		}
		_ = cardErrs
		// A scratch store: a backup before each run would be most of its time.
		sum, err := store.Import(ctx, Reader("fuzz.vcf", bytes.NewReader(in)), data.ImportOptions{ListUpTo: 100, NoBackup: true})
		if err != nil {
			t.Fatalf("import of\n%s\nfailed: %v", in, err)
		}
		for _, r := range sum.Results {
			if r.Action == data.ActionFailed {
				t.Fatalf("card %d of\n%s\nfailed: %s", r.Index, in, r.Reason)
			}
			if r.CustomerID == 0 {
				continue
			}
			c, err := store.Customer(ctx, r.CustomerID)
			if err != nil {
				t.Fatal(err)
			}
			p, err := store.Profile(ctx, r.CustomerID)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := NewEncoder(&out, Options{Confidential: true}).Encode(c, p); err != nil {
				t.Fatalf("export of customer %d: %v", c.ID, err)
			}
			d := NewDecoder(bytes.NewReader(out.Bytes()))
			back, err := d.Next()
			if err != nil {
				t.Fatalf("export of\n%s\ndoes not decode: %v\n%s", in, err, out.Bytes())
			}
			if _, err := d.Next(); !errors.Is(err, io.EOF) {
				t.Fatalf("export of one customer gave more than one card: %v\n%s", err, out.Bytes())
			}
			if len(back.Profile.Items) != len(p.Items) || len(back.Profile.Family) != len(p.Family) || len(back.Profile.Pets) != len(p.Pets) {
				t.Fatalf("profile changed on export:\nstored %+v\nread back %+v\nexport:\n%s", p, back.Profile, out.Bytes())
			}
		}
	})
}
