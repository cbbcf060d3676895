package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusFiles are the shared real-world vCards; absent in a user's clone.
func corpusFiles(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob("../../../shared/vcards/*/*.vcf")
	if len(files) == 0 {
		t.Skip("shared vCard corpus not found at ../../../shared/vcards (it is not part of the repository)")
	}
	return files
}

func countCards(s string) int { return strings.Count(s, "BEGIN:VCARD") }

func TestCorpusImportExportRoundTrip(t *testing.T) {
	files := corpusFiles(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	r := rapport(t, append([]string{"import", "--db", db}, files...)...)
	if !strings.Contains(r.stdout, "imported:") {
		t.Fatalf("import: %+v", r)
	}
	// The corpus holds broken files (a card without BEGIN, an FN without
	// a colon): they import, are reported as partly read, and make the
	// exit code 1; nothing may fail.
	if strings.Contains(r.stdout, "failed:") || r.code != 0 && !strings.Contains(r.stderr, "only partly read") {
		t.Errorf("corpus cards failed: %s\n%s", r.stdout, r.stderr)
	}
	exp := rapport(t, "export", "--db", db)
	n := countCards(exp.stdout)
	if n < 105 {
		t.Errorf("corpus gave %d customers, want at least 105", n)
	}
	if strings.Contains(exp.stdout, "=C3=") {
		t.Error("quoted-printable left undecoded in the export")
	}
	for i, line := range strings.Split(exp.stdout, "\r\n") {
		if len(line) > 76 {
			t.Fatalf("export line %d is %d octets", i+1, len(line))
		}
	}

	again := rapport(t, append([]string{"import", "--db", db}, files...)...)
	if !strings.Contains(again.stdout, "imported: 0 new") {
		t.Errorf("re-import: %s", again.stdout)
	}
	if m := countCards(rapport(t, "export", "--db", db).stdout); m != n {
		t.Errorf("re-import changed the count: %d -> %d", n, m)
	}

	out := filepath.Join(dir, "out.vcf")
	if r := rapport(t, "export", "--db", db, "-o", out); r.code != 0 {
		t.Fatal(r.stderr)
	}
	db2 := filepath.Join(dir, "b.db")
	rapport(t, "import", "--db", db2, out)
	out2 := filepath.Join(dir, "out2.vcf")
	rapport(t, "export", "--db", db2, "-o", out2)
	a, _ := os.ReadFile(out)
	b, _ := os.ReadFile(out2)
	if !bytes.Equal(a, b) {
		t.Errorf("export -> import -> export differs (%d vs %d bytes)", len(a), len(b))
	}
}

// Small files of our own, so that the test runs in any clone.
func TestImportDryRunAndUndo(t *testing.T) {
	files := []string{filepath.Join("testdata", "customers-a.vcf"), filepath.Join("testdata", "customers-b.vcf")}
	db := filepath.Join(t.TempDir(), "a.db")
	r := rapport(t, "import", "--db", db, "--dry-run", files[0], files[1])
	if !strings.Contains(r.stdout, "dry run, nothing written") {
		t.Errorf("dry run: %+v", r)
	}
	if n := countCards(rapport(t, "export", "--db", db).stdout); n != 0 {
		t.Errorf("dry run wrote %d customers", n)
	}
	if r := rapport(t, "import", "--db", db, files[0], files[1]); r.code != 0 || !strings.Contains(r.stdout, "5 new") {
		t.Fatalf("import: %+v", r)
	}
	if n := countCards(rapport(t, "export", "--db", db).stdout); n != 5 {
		t.Fatalf("import wrote %d customers, want 5", n)
	}
	if r := rapport(t, "undo-import", "--db", db); r.code != 0 || !strings.Contains(r.stdout, "undid import") {
		t.Errorf("undo: %+v", r)
	}
	if n := countCards(rapport(t, "export", "--db", db).stdout); n != 0 {
		t.Errorf("undo left %d customers", n)
	}
	if r := rapport(t, "undo-import", "--db", db); r.code == 0 || !strings.Contains(r.stderr, "no import to undo") {
		t.Errorf("second undo: %+v", r)
	}
}

func TestImportBadFiles(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	rapport(t, "sample", "--db", db)
	before := rapport(t, "export", "--db", db).stdout
	bin := filepath.Join(dir, "photo.vcf")
	os.WriteFile(bin, append([]byte("\x89PNG\r\n\x1a\n\x00\x00"), bytes.Repeat([]byte{0, 1, 2, 255}, 5000)...), 0o600)
	mixed := filepath.Join(dir, "mixed.vcf")
	os.WriteFile(mixed, []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good One\r\nEND:VCARD\r\n"+
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\r\nEND:VCARD\r\n"+
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good Two\r\nEMAIL:two@example.com\r\nEND:VCARD\r\n"), 0o600)
	r := rapport(t, "import", "--db", db, bin, mixed, filepath.Join(dir, "missing.vcf"))
	if r.code != 1 {
		t.Errorf("exit %d, want 1", r.code)
	}
	for _, want := range []string{"failed: photo.vcf: not a vCard file", "skipped: mixed.vcf card 2", "failed: missing.vcf", "2 new"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	after := rapport(t, "export", "--db", db).stdout
	if countCards(after) != countCards(before)+2 || !strings.Contains(after, "Good Two") {
		t.Errorf("good cards not imported beside bad files")
	}
}
