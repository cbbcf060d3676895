package vcard

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/data"
)

// Other clients' groups (issue 9): an iPhone's, macOS Contacts' and a
// Nextcloud/DAVx5 card's grouped properties come back from Rapport with
// their group, parameters and companions.

var groupFixtures = []string{"ios-groups.vcf", "macos-groups.vcf", "nextcloud-groups.vcf"}

// cardLines are the unfolded content lines of one card's text.
func cardLines(b []byte) []string {
	var out []string
	for _, l := range unfoldOutput(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\r\n"))) {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// groupsOf gives each group's lines (and each X-SOCIALPROFILE, under its
// own line), normalised: case of names, parameter order, folding.
func groupsOf(t *testing.T, b []byte) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, l := range cardLines(b) {
		p, ok := parseLine([]byte(l), nil)
		if !ok {
			continue
		}
		key := strings.ToLower(p.group)
		if key == "" {
			if p.name != "X-SOCIALPROFILE" {
				continue
			}
			key = normLines([]string{l})[0]
		}
		out[key] = append(out[key], normLines([]string{l})[0])
	}
	for k := range out {
		slices.Sort(out[k])
	}
	return out
}

func decodeOne(t *testing.T, b []byte) *Record {
	t.Helper()
	recs, errs, fatal := decodeAll(b)
	if fatal != nil || len(errs) > 0 || len(recs) != 1 {
		t.Fatalf("decode: %d cards, %v %v", len(recs), errs, fatal)
	}
	return recs[0]
}

func encodeOne(t *testing.T, r *Record, opt Options) []byte {
	t.Helper()
	return encodeAll(t, []*Record{r}, opt)
}

func TestGroupsKept(t *testing.T) {
	for _, f := range groupFixtures {
		t.Run(f, func(t *testing.T) {
			in := mustRead(t, filepath.Join("testdata", f))
			r := decodeOne(t, in)
			out := encodeOne(t, r, Options{})
			want, got := groupsOf(t, in), groupsOf(t, out)
			for g, lines := range want {
				if !slices.Equal(got[g], lines) {
					t.Errorf("group %s:\nin  %q\nout %q", g, lines, got[g])
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d groups in, %d out:\n%s", len(want), len(got), out)
			}
			// A second trip changes nothing: the same customer, the same bytes.
			again := decodeOne(t, out)
			if !sameRecord(r, again) {
				t.Errorf("customer changed on the second trip:\n%+v\n%+v", r.Customer, again.Customer)
			}
			if out2 := encodeOne(t, again, Options{}); !bytes.Equal(out, out2) {
				t.Errorf("second export differs:\n%s\n---\n%s", out, out2)
			}
			checkRoundTrip(t, f, []*Record{r}) // 3.0 and 4.0
		})
	}
}

// The measured gap: TEL;TYPE=CELL and the group lost, X-SOCIALPROFILE
// turned into itemN.URL.
func TestGroupsIOSExample(t *testing.T) {
	r := decodeOne(t, mustRead(t, "testdata/ios-groups.vcf"))
	out := string(encodeOne(t, r, Options{}))
	for _, l := range []string{
		"item1.TEL:+49 30 1234\r\n",
		"item1.X-ABLabel:_$!<Mobile>!$_\r\n",
		"item2.X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/x\r\n",
		"item3.URL:https://example.com\r\n",
		"item3.X-ABLabel:_$!<HomePage>!$_\r\n",
	} {
		if !strings.Contains(out, l) {
			t.Errorf("export lacks %q:\n%s", l, out)
		}
	}
	if strings.Contains(out, "TYPE=CELL") || strings.Contains(out, "URL:https://twitter.com") {
		t.Errorf("export rewrote a kept line:\n%s", out)
	}
	// Rapport still reads them as before.
	c := &r.Customer
	if c.Phones[0].Label != "cell" || c.URLs[0].Label != "twitter" || c.URLs[1].Label != "homepage" {
		t.Errorf("labels: %+v %+v", c.Phones, c.URLs)
	}
}

func TestGroupsEdited(t *testing.T) {
	in := mustRead(t, "testdata/ios-groups.vcf")

	t.Run("number", func(t *testing.T) {
		r := decodeOne(t, in)
		r.Customer.Phones[0].Value = "+49 30 5678"
		out := string(encodeOne(t, r, Options{}))
		if !strings.Contains(out, "item1.TEL:+49 30 5678\r\nitem1.X-ABLabel:_$!<Mobile>!$_\r\n") {
			t.Errorf("edited number left its group:\n%s", out)
		}
		again := decodeOne(t, []byte(out))
		if p := again.Customer.Phones[0]; p.Value != "+49 30 5678" || p.Label != "cell" {
			t.Errorf("read back %+v", p)
		}
		if a, b := groupsOf(t, in)["item5"], groupsOf(t, []byte(out))["item5"]; !slices.Equal(a, b) {
			t.Errorf("the other phone changed: %q, was %q\n%s", b, a, out)
		}
	})
	t.Run("label", func(t *testing.T) {
		r := decodeOne(t, in)
		r.Customer.Phones[0].Label = "work"
		r.Customer.Phones[2].Label = "Büro"
		out := string(encodeOne(t, r, Options{}))
		for _, l := range []string{"item1.TEL;TYPE=WORK:+49 30 1234\r\n", "item5.TEL;TYPE=PREF:+49 170 5555\r\nitem5.X-ABLabel:Büro\r\n"} {
			if !strings.Contains(out, l) {
				t.Errorf("export lacks %q:\n%s", l, out)
			}
		}
		if strings.Contains(out, "Mobile") || strings.Contains(out, "Zweitnummer") {
			t.Errorf("old label kept:\n%s", out)
		}
		again := decodeOne(t, []byte(out))
		if a, b := again.Customer.Phones[0].Label, again.Customer.Phones[2].Label; a != "work" || b != "Büro" {
			t.Errorf("labels read back: %q %q", a, b)
		}
	})
	t.Run("deleted", func(t *testing.T) {
		r := decodeOne(t, in)
		r.Customer.Phones = r.Customer.Phones[1:]
		r.Customer.URLs = r.Customer.URLs[1:] // the twitter profile
		out := string(encodeOne(t, r, Options{}))
		// (A group Rapport writes itself may take the freed name: the
		// e-mail's item4 becomes item1.)
		if strings.Contains(out, "+49 30 1234") || strings.Contains(out, "Mobile") || strings.Contains(out, "twitter") {
			t.Errorf("a deleted entry left lines behind:\n%s", out)
		}
	})
	t.Run("address", func(t *testing.T) {
		r := decodeOne(t, mustRead(t, "testdata/macos-groups.vcf"))
		r.Customer.Addresses[1].Locality = "Uppsala"
		out := string(encodeOne(t, r, Options{}))
		if !strings.Contains(out, "item4.ADR;TYPE=HOME:;;Storgatan 12\\nLgh 1102;Uppsala;;111 22;Sweden\r\nitem4.X-ABADR:se\r\nitem4.X-ABLabel:Sommarhus\r\n") {
			t.Errorf("edited address left its group:\n%s", out)
		}
	})
	t.Run("relative", func(t *testing.T) {
		r := decodeOne(t, mustRead(t, "testdata/macos-groups.vcf"))
		var fam []data.FamilyMember
		for _, f := range r.Profile.Family {
			if f.Name != "Olle" {
				fam = append(fam, f)
			}
		}
		r.Profile.Family = fam
		out := string(encodeOne(t, r, Options{}))
		if strings.Contains(out, "Olle") || strings.Contains(out, "Gudfar") || strings.Contains(out, "item8.") {
			t.Errorf("a deleted relative stayed on the card:\n%s", out)
		}
		if !strings.Contains(out, "item7.X-ABRELATEDNAMES:Sven Lindqvist\r\nitem7.X-ABLabel:_$!<Father>!$_\r\n") {
			t.Errorf("the other relatives changed:\n%s", out)
		}
	})
}

// Two entries that claim one group name (a second card merged into the
// customer) are written in two groups.
func TestGroupsCollide(t *testing.T) {
	a := decodeOne(t, mustRead(t, "testdata/ios-groups.vcf"))
	b := decodeOne(t, mustRead(t, "testdata/nextcloud-groups.vcf"))
	c := a.Customer
	c.Phones = append(c.Phones, b.Customer.Phones...)
	out := encodeOne(t, &Record{Customer: c}, Options{})
	again := decodeOne(t, out)
	var got []string
	for _, p := range again.Customer.Phones {
		got = append(got, p.Label+"="+p.Value)
	}
	want := []string{"cell=+49 30 1234", "work=+49 30 9999", "Zweitnummer=+49 170 5555", "Prywatny=+48 600 100 200", "work=+48 22 555 01 02"}
	if !slices.Equal(got, want) {
		t.Errorf("phones read back %q, want %q\n%s", got, want, out)
	}
}

// The customer's Cards survive the store, and the export from it is the
// export from the file.
func TestGroupsStored(t *testing.T) {
	ctx := context.Background()
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, f := range groupFixtures {
		r := decodeOne(t, mustRead(t, filepath.Join("testdata", f)))
		c := r.Customer
		if err := st.CreateCustomer(ctx, &c); err != nil {
			t.Fatal(err)
		}
		r.Customer.UID = c.UID // the store gives one to a card without
		want := encodeOne(t, r, Options{})
		got, err := st.Customer(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if out := encodeOne(t, &Record{Customer: *got, Profile: r.Profile}, Options{}); !bytes.Equal(out, want) {
			t.Errorf("%s: export after the store differs:\n%s\n---\n%s", f, want, out)
		}
		got.Phones[0].Value += "0"
		if err := st.UpdateCustomer(ctx, got); err != nil {
			t.Fatal(err)
		}
		again, err := st.Customer(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again.Phones[0].Card == "" || again.Phones[0].Card != r.Customer.Phones[0].Card || len(again.Extra) != len(r.Customer.Extra) {
			t.Errorf("%s: after an update: %+v, %d extra", f, again.Phones[0], len(again.Extra))
		}
	}
}

// After Refresh, an edited customer is the one its export reads back as,
// Cards included (what a sync compares with the server's copy).
func TestGroupsRefresh(t *testing.T) {
	r := decodeOne(t, mustRead(t, "testdata/macos-groups.vcf"))
	c := &r.Customer
	c.Phones[0].Value = "+46 70 000 00 00"
	c.Addresses[0].Label = "Kontor"
	c.URLs[0].Value = "https://nordicsails.example"
	Refresh(c)
	again := decodeOne(t, encodeOne(t, r, Options{}))
	if !sameRecord(r, again) {
		t.Errorf("refreshed customer differs from its export:\n%+v\n%+v", r.Customer, again.Customer)
	}
	if c.Phones[0].Card == "" || !strings.Contains(c.Phones[0].Card, "item2.X-ABLabel:_$!<Mobile>!$_") {
		t.Errorf("phone's group lost: %q", c.Phones[0].Card)
	}
}
