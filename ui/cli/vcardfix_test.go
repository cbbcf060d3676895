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
