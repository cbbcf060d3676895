package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// A card with a profile property Rapport cannot store is imported without
// it, with the property named for that card; the other cards import too,
// and export writes the property back as it came.
func TestImportReportsBadProfileProperties(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	fixture := filepath.Join("..", "..", "data", "vcard", "testdata", "bad-profile.vcf")
	r := rapport(t, "import", "--db", db, fixture)
	if r.code != 0 || strings.Contains(r.stderr, "nothing was written") {
		t.Fatalf("import: %+v", r)
	}
	for _, want := range []string{
		`problem: bad-profile.vcf card 2 (Ben Category): X-RAPPORT-PROFILE: profile category "bogus" is unknown; kept as an unknown property`,
		`problem: bad-profile.vcf card 3 (Cai Empty): X-RAPPORT-PROFILE: a profile item needs some text`,
		`problem: bad-profile.vcf card 4 (Dee Cousin): X-RAPPORT-FAMILY: relation "cousin" is not one of`,
		`problem: bad-profile.vcf card 5 (Eve Nameless): X-RAPPORT-FAMILY: a family member needs a name`,
		`problem: bad-profile.vcf card 5 (Eve Nameless): X-RAPPORT-PET: a pet needs a name`,
		`imported: 6 new, 0 updated, 0 unchanged, 0 skipped, 0 failed; 4 imported with problems`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if n := strings.Count(r.stdout, "problem: "); n != 5 {
		t.Errorf("%d problems reported, want 5:\n%s", n, r.stdout)
	}
	exp := rapport(t, "export", "--db", db).stdout
	if countCards(exp) != 6 {
		t.Errorf("exported %d cards, want 6", countCards(exp))
	}
	for _, line := range []string{
		"X-RAPPORT-PROFILE;X-CATEGORY=bogus:Collects stamps", "X-RAPPORT-PROFILE:",
		"X-RAPPORT-FAMILY;X-RELATION=cousin:Tom;visits at Easter",
		"X-RAPPORT-FAMILY;X-RELATION=child:;plays the violin", "X-RAPPORT-PET;X-SPECIES=cat:",
	} {
		if !strings.Contains(exp, "\r\n"+line+"\r\n") {
			t.Errorf("export lacks %q", line)
		}
	}
}
