package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// vcardFixture is a small fixture of the vcard package.
func vcardFixture(name string) string {
	return filepath.Join("..", "..", "data", "vcard", "testdata", name)
}

// TestExportYearlessBirthday: export writes --MM-DD by default and Apple's
// form only with --for-apple; both import back as the same year-less date.
func TestExportYearlessBirthday(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	if r := rapport(t, "import", "--db", db, vcardFixture("yearless.vcf")); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	def := rapport(t, "export", "--db", db, "Ada")
	if def.code != 0 || !strings.Contains(def.stdout, "\r\nBDAY:--11-02\r\n") || strings.Contains(def.stdout, "1604") {
		t.Errorf("default export:\n%s", def.stdout)
	}
	apple := rapport(t, "export", "--db", db, "--for-apple", "Ada")
	if apple.code != 0 || !strings.Contains(apple.stdout, "\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-11-02\r\n") {
		t.Errorf("--for-apple export:\n%s", apple.stdout)
	}
	for name, out := range map[string]string{"default": def.stdout, "for-apple": apple.stdout} {
		f := filepath.Join(t.TempDir(), name+".vcf")
		if err := os.WriteFile(f, []byte(out), 0o600); err != nil {
			t.Fatal(err)
		}
		db2 := filepath.Join(t.TempDir(), name+".db")
		if r := rapport(t, "import", "--db", db2, f); r.code != 0 {
			t.Fatalf("%s re-import: %+v", name, r)
		}
		if again := rapport(t, "export", "--db", db2, "Ada"); again.stdout != def.stdout {
			t.Errorf("%s: re-import then export differs:\n%s\nwant\n%s", name, again.stdout, def.stdout)
		}
	}
}

// TestImportUTF16WithoutBOM: BOM-less UTF-16 files import whole.
func TestImportUTF16WithoutBOM(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	r := rapport(t, "import", "--db", db, vcardFixture("utf16be-nobom.vcf"), vcardFixture("utf16le-nobom.vcf"))
	if r.code != 0 || !strings.Contains(r.stdout, "imported: 4 new, 0 updated, 0 unchanged, 0 skipped, 0 failed") {
		t.Fatalf("import: %+v", r)
	}
	if out := rapport(t, "search", "--db", db, "Müller").stdout; strings.Count(out, "Zoë Müller") != 4 {
		t.Errorf("search Müller:\n%s", out)
	}
}

// TestImportFailureSaysWhatHappened: the closing message names a file
// that held no card and says whether anything was imported at all.
func TestImportFailureSaysWhatHappened(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	noCards := vcardFixture("no-cards.txt")
	for _, tc := range []struct {
		name  string
		args  []string
		want  string
		stdio string
	}{
		{"only a file without cards", []string{noCards},
			"rapport: import: no card could be read from no-cards.txt; nothing was imported\n", "failed: no-cards.txt: "},
		{"dry run", []string{"--dry-run", noCards, vcardFixture("utf16le-nobom.vcf")},
			"rapport: import: no card could be read from no-cards.txt; 2 new and 0 updated customers would be imported\n", "failed: no-cards.txt: "},
		{"with good cards", []string{noCards, vcardFixture("utf16le-nobom.vcf")},
			"rapport: import: no card could be read from no-cards.txt; 2 new and 0 updated customers were imported\n", "imported: 2 new"},
		{"again", []string{noCards, vcardFixture("utf16le-nobom.vcf")},
			"rapport: import: no card could be read from no-cards.txt; nothing was changed (2 other cards read: 2 unchanged, 0 skipped)\n", "imported: 0 new"},
	} {
		r := rapport(t, append([]string{"import", "--db", db}, tc.args...)...)
		if r.code != 1 || r.stderr != tc.want || !strings.Contains(r.stdout, tc.stdio) || strings.Contains(r.stderr, "the others") {
			t.Errorf("%s: code %d\nstdout %s\nstderr %q\nwant %q", tc.name, r.code, r.stdout, r.stderr, tc.want)
		}
	}
}

// TestImportOnlyEmptyCards: a file of bare BEGIN:VCARD lines imports
// nothing, and says so with exit code 1 rather than succeed quietly.
func TestImportOnlyEmptyCards(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	r := rapport(t, "import", "--db", db, vcardFixture("only-begins.vcf"))
	want := "rapport: import: 3 cards skipped in only-begins.vcf; nothing was imported\n"
	if r.code != 1 || r.stderr != want || strings.Count(r.stdout, "skipped: only-begins.vcf card ") != 3 {
		t.Errorf("code %d\nstdout %s\nstderr %q\nwant %q", r.code, r.stdout, r.stderr, want)
	}
}

// TestImportPartlyRead: a card that lost lines imports what could be read,
// the output names each dropped line (file, card, line, its start), the
// summary counts the card as partly read, and the exit code is 1; repaired
// files are reported the same way.
func TestImportPartlyRead(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	r := rapport(t, "import", "--db", db, vcardFixture("partly-read.vcf"), vcardFixture("recovered.vcf"))
	if r.code != 1 {
		t.Errorf("exit code %d, want 1: %+v", r.code, r)
	}
	for _, want := range []string{
		`partly read: partly-read.vcf card 1 (Pat Partial): line 6 "TEL;TYPE=CELL +1 555 0000": dropped: not a property (no colon)`,
		`partly read: partly-read.vcf card 1 (Pat Partial): line 7 "and then some plain text": dropped`,
		`partly read: recovered.vcf card 1 (Olga Okay): line 6: repaired: base64 of PHOTO continued without indent`,
		`partly read: recovered.vcf card 2 (Nora Nobegin): line 10: BEGIN:VCARD missing`,
		"imported: 4 new, 0 updated, 0 unchanged, 0 skipped, 0 failed; 3 partly read",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "3 cards were only partly read") {
		t.Errorf("stderr: %s", r.stderr)
	}
	if strings.Contains(r.stdout, "Fine Fiona") {
		t.Errorf("a whole card listed as partly read:\n%s", r.stdout)
	}
}
