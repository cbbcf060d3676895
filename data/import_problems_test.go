package data_test

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/vcard"
)

// badProfileLines are the X-RAPPORT-* lines of testdata/bad-profile.vcf
// that Rapport cannot store, by the UID of their card.
var badProfileLines = map[string][]string{
	"bad-profile-2": {"X-RAPPORT-PROFILE;X-CATEGORY=bogus:Collects stamps"},
	"bad-profile-3": {"X-RAPPORT-PROFILE:"},
	"bad-profile-4": {"X-RAPPORT-FAMILY;X-RELATION=cousin:Tom;visits at Easter"},
	"bad-profile-5": {"X-RAPPORT-FAMILY;X-RELATION=child:;plays the violin", "X-RAPPORT-PET;X-SPECIES=cat:"},
}

// One card's unknown category, empty profile item, unknown relation or
// nameless relative or pet used to stop the whole import. Now every card
// imports, each bad property is reported with its card and kept as an
// extra property, and it is exported back as it came.
func TestImportBadProfilePropertiesKeepsEveryCard(t *testing.T) {
	ctx := context.Background()
	s, err := data.Open(ctx, filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fixture := filepath.Join("vcard", "testdata", "bad-profile.vcf")
	sum, err := s.Import(ctx, vcard.Cards([]string{fixture}), data.ImportOptions{Source: "bad-profile.vcf"})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if sum.New != 6 || sum.Failed != 0 || sum.Skipped != 0 || sum.Problems != 4 || sum.BatchID == 0 {
		t.Fatalf("summary %s", sum)
	}
	wantProblems := map[int][]string{
		2: {`X-RAPPORT-PROFILE: profile category "bogus" is unknown`},
		3: {`X-RAPPORT-PROFILE: a profile item needs some text`},
		4: {`X-RAPPORT-FAMILY: relation "cousin" is not one of`},
		5: {`X-RAPPORT-FAMILY: a family member needs a name`, `X-RAPPORT-PET: a pet needs a name`},
	}
	if len(sum.Results) != len(wantProblems) {
		t.Fatalf("results %+v", sum.Results)
	}
	for _, r := range sum.Results {
		want := wantProblems[r.Index]
		if r.Action != data.ActionNew || r.Source != "bad-profile.vcf" || r.Name == "" || len(r.Problems) != len(want) {
			t.Errorf("card %d: %+v", r.Index, r)
			continue
		}
		for i, p := range r.Problems {
			if !strings.HasPrefix(p, want[i]) || !strings.Contains(p, "kept as an unknown property") {
				t.Errorf("card %d problem %d: %q, want it to start %q", r.Index, i, p, want[i])
			}
		}
	}

	byUID := exportAll(t, s)
	if len(byUID) != 6 {
		t.Fatalf("customers: %d", len(byUID))
	}
	for uid, lines := range badProfileLines {
		for _, l := range lines {
			if !slices.ContainsFunc(byUID[uid].c.Extra, func(x data.ExtraProperty) bool { return x.Raw == l }) {
				t.Errorf("%s: %q not kept: %+v", uid, l, byUID[uid].c.Extra)
			}
			if !strings.Contains(byUID[uid].vcf, l+"\r\n") {
				t.Errorf("%s: %q not exported back:\n%s", uid, l, byUID[uid].vcf)
			}
		}
	}
	if p := byUID["bad-profile-1"].p; len(p.Items) != 1 || p.Items[0].Text != "Sailing" {
		t.Errorf("good card's profile: %+v", p)
	}
	if p := byUID["bad-profile-2"].p; len(p.Items) != 1 || p.Items[0].Category != data.CatTeam {
		t.Errorf("the card's good item: %+v", p.Items)
	}
	// The bad X-RAPPORT-FAMILY does not make the card's other family
	// property a mere copy.
	if p := byUID["bad-profile-4"].p; len(p.Family) != 1 || p.Family[0].Name != "Sam" || p.Family[0].Relation != data.RelSpouse {
		t.Errorf("spouse from X-ABRELATEDNAMES: %+v", p.Family)
	}
	if p := byUID["bad-profile-5"].p; len(p.Family)+len(p.Pets) != 0 {
		t.Errorf("nameless relative or pet stored: %+v", p)
	}
	if p := byUID["bad-profile-6"].p; len(p.Family) != 1 || p.Family[0].Name != "Gus" {
		t.Errorf("last good card's family: %+v", p.Family)
	}

	// Importing the export again changes nothing and says the same.
	var all bytes.Buffer
	for _, uid := range slices.Sorted(func(yield func(string) bool) {
		for k := range byUID {
			if !yield(k) {
				return
			}
		}
	}) {
		all.WriteString(byUID[uid].vcf)
	}
	again, err := s.Import(ctx, vcard.Reader("export.vcf", &all), data.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Unchanged != 6 || again.Problems != 4 || again.BatchID != 0 {
		t.Errorf("re-import of the export: %s", again)
	}
}

type exported struct {
	c   data.Customer
	p   data.Profile
	vcf string
}

// exportAll exports every customer as vCard 3.0, by UID.
func exportAll(t *testing.T, s *data.Store) map[string]exported {
	t.Helper()
	out := map[string]exported{}
	err := s.EachCustomer(context.Background(), data.ExportFilter{}, func(c *data.Customer, p *data.Profile) error {
		var b bytes.Buffer
		if err := vcard.NewEncoder(&b, vcard.Options{Version: "3.0"}).Encode(c, p); err != nil {
			return err
		}
		out[c.UID] = exported{*c, *p, b.String()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
