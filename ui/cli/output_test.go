package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// exportDB is a database with the sample customers, for export tests.
func exportDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "r.db")
	if r := rapport(t, "sample", "--db", db); r.code != 0 {
		t.Fatal(r.stderr)
	}
	return db
}

// temps lists the temporary files Rapport left in dir.
func temps(t *testing.T, dir string) []string {
	t.Helper()
	found, _ := filepath.Glob(filepath.Join(dir, ".*"+tmpMarker+"*"))
	return found
}

func TestExportRefusesOddPlacesInUserTerms(t *testing.T) {
	db := exportDB(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "notes.txt")
	os.WriteFile(file, []byte("mine\n"), 0o600)
	for _, tc := range []struct {
		name, out, msg string
	}{
		{"folder", dir, dir + " is a folder; name a file inside it"},
		{"missing folder", filepath.Join(dir, "missing", "dir", "x.vcf"), "folder " + filepath.Join(dir, "missing", "dir") + " does not exist"},
		{"file in the way", filepath.Join(file, "x.vcf"), file + " is a file, not a folder"},
		{"file deep in the way", filepath.Join(file, "a", "x.vcf"), file + " is a file, not a folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rapport(t, "export", "--db", db, "-o", tc.out)
			if r.code != ExitError || !strings.Contains(r.stderr, tc.msg) {
				t.Errorf("got %d %q, want exit 1 saying %q", r.code, r.stderr, tc.msg)
			}
			if strings.Contains(r.stderr, tmpMarker) || strings.Contains(r.stderr, "rename") {
				t.Errorf("the message names a file the user never asked for: %q", r.stderr)
			}
			if left := temps(t, dir); len(left) > 0 {
				t.Errorf("left %v", left)
			}
		})
	}
	if b, _ := os.ReadFile(file); string(b) != "mine\n" {
		t.Errorf("the file in the way was changed: %q", b)
	}
}

func TestExportDashIsStandardOutput(t *testing.T) {
	db := exportDB(t)
	for _, out := range []string{"-", "/dev/stdout"} {
		r := rapport(t, "export", "--db", db, "-o", out)
		if r.code != 0 || countCards(r.stdout) < 5 {
			t.Errorf("-o %s: exit %d, %d cards on stdout, stderr %q", out, r.code, countCards(r.stdout), r.stderr)
		}
	}
	if _, err := os.Lstat("-"); err == nil {
		t.Error("a file named - was created")
	}
	if fi, err := os.Lstat("/dev/stdout"); err != nil || fi.Mode().IsRegular() {
		t.Errorf("/dev/stdout became a regular file: %v", err)
	}
}

func TestExportToDevice(t *testing.T) {
	fi, err := os.Stat(os.DevNull)
	if err != nil || fi.Mode().IsRegular() {
		t.Skipf("no null device here: %v", err)
	}
	db := exportDB(t)
	if r := rapport(t, "export", "--db", db, "-o", os.DevNull); r.code != 0 {
		t.Fatalf("-o %s: %+v", os.DevNull, r)
	}
	if fi, err := os.Lstat(os.DevNull); err != nil || fi.Mode()&os.ModeDevice == 0 {
		t.Errorf("%s is no longer a device: %v %v", os.DevNull, fi.Mode(), err)
	}
}

func TestExportReplacesRegularFilePrivately(t *testing.T) {
	db := exportDB(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "all.vcf")
	os.WriteFile(out, []byte("old\n"), 0o644)
	r := rapport(t, "export", "--db", db, "-o", out)
	if r.code != 0 || !strings.Contains(r.stderr, "exported") {
		t.Fatalf("%+v", r)
	}
	b, _ := os.ReadFile(out)
	fi, _ := os.Stat(out)
	if countCards(string(b)) < 5 || fi.Mode().Perm() != 0o600 {
		t.Errorf("%d cards, mode %v; want the export, 0600", countCards(string(b)), fi.Mode().Perm())
	}
	// A failed export leaves the file as it was and nothing beside it.
	os.WriteFile(out, []byte("old\n"), 0o600)
	if r := rapport(t, "export", "--db", db, "-o", out, strings.Repeat("x", 300)); r.code != ExitError || !strings.Contains(r.stderr, "at most 256") {
		t.Errorf("too long a query: %+v", r)
	}
	if b, _ := os.ReadFile(out); string(b) != "old\n" {
		t.Errorf("a failed export changed the file: %q", b)
	}
	if left := temps(t, dir); len(left) > 0 {
		t.Errorf("left %v", left)
	}
}

func TestExportThroughSymlinkKeepsLink(t *testing.T) {
	db := exportDB(t)
	dir := t.TempDir()
	target := filepath.Join(dir, "real", "all.vcf")
	os.Mkdir(filepath.Dir(target), 0o700)
	os.WriteFile(target, []byte("old\n"), 0o644)
	link := filepath.Join(dir, "link.vcf")
	if err := os.Symlink(filepath.Join("real", "all.vcf"), link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	dangling := filepath.Join(dir, "new.vcf")
	os.Symlink(filepath.Join(dir, "real", "new.vcf"), dangling)
	for _, l := range []string{link, dangling} {
		if r := rapport(t, "export", "--db", db, "-o", l); r.code != 0 {
			t.Fatalf("-o %s: %+v", l, r)
		}
		if fi, err := os.Lstat(l); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link: %v", l, err)
		}
		dest, _ := filepath.EvalSymlinks(l)
		b, _ := os.ReadFile(dest)
		fi, _ := os.Stat(dest)
		if countCards(string(b)) < 5 || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %d cards, mode %v", dest, countCards(string(b)), fi.Mode().Perm())
		}
		if left := temps(t, filepath.Join(dir, "real")); len(left) > 0 {
			t.Errorf("left %v", left)
		}
	}
}

func TestExportCleansStaleTemporaries(t *testing.T) {
	db := exportDB(t)
	dir := t.TempDir()
	old := time.Now().Add(-2 * staleAfter)
	stale := filepath.Join(dir, ".all.vcf"+tmpMarker+"123")
	otherStale := filepath.Join(dir, ".brief.pdf"+tmpMarker+"9")
	fresh := filepath.Join(dir, ".all.vcf"+tmpMarker+"456")
	unrelated := filepath.Join(dir, ".all.vcf.123")
	for _, f := range []string{stale, otherStale, fresh, unrelated} {
		os.WriteFile(f, []byte("half"), 0o600)
	}
	for _, f := range []string{stale, otherStale, unrelated} {
		os.Chtimes(f, old, old)
	}
	if r := rapport(t, "export", "--db", db, "-o", filepath.Join(dir, "all.vcf")); r.code != 0 {
		t.Fatal(r.stderr)
	}
	for f, want := range map[string]bool{stale: false, otherStale: false, fresh: true, unrelated: true} {
		if _, err := os.Stat(f); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(f), err == nil, want)
		}
	}
}

func TestBriefOutputs(t *testing.T) {
	db := exportDB(t)
	who := strings.Split(rapport(t, "search", "--db", db, "a").stdout, "\t")[0]
	dir := t.TempDir()
	r := rapport(t, "brief", "--db", db, "--html", "-", who)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "<!DOCTYPE") && !strings.HasPrefix(strings.ToLower(r.stdout), "<!doctype") {
		t.Errorf("--html -: %d %.80q", r.code, r.stdout)
	}
	if strings.Contains(r.stdout, "\n# ") {
		t.Error("Markdown mixed into the HTML on stdout")
	}
	if r := rapport(t, "brief", "--db", db, "--pdf", "/dev/stdout", who); r.code != 0 || !strings.HasPrefix(r.stdout, "%PDF-") {
		t.Errorf("--pdf /dev/stdout: %d %.20q", r.code, r.stdout)
	}
	if r := rapport(t, "brief", "--db", db, "--pdf", "-", "--html", "-", who); r.code != ExitUsage || !strings.Contains(r.stderr, "only one of") {
		t.Errorf("both to stdout: %+v", r)
	}
	html := filepath.Join(dir, "b.html")
	r = rapport(t, "brief", "--db", db, "--html", html, "--pdf", dir, who)
	if r.code != ExitError || !strings.Contains(r.stderr, dir+" is a folder") {
		t.Errorf("--pdf a folder: %+v", r)
	}
	if _, err := os.Stat(html); err == nil {
		t.Error("the HTML was written though the PDF's name was refused")
	}
	if left := temps(t, dir); len(left) > 0 {
		t.Errorf("left %v", left)
	}
	r = rapport(t, "brief", "--db", db, "--pdf", filepath.Join(dir, "no", "b.pdf"), who)
	if r.code != ExitError || !strings.Contains(r.stderr, "folder "+filepath.Join(dir, "no")+" does not exist") {
		t.Errorf("--pdf in a missing folder: %+v", r)
	}
	pdf := filepath.Join(dir, "b.pdf")
	if r := rapport(t, "brief", "--db", db, "--html", html, "--pdf", pdf, who); r.code != 0 || !strings.Contains(r.stdout, "# ") {
		t.Fatalf("brief to files: %+v", r)
	}
	for _, f := range []string{html, pdf} {
		if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v", f, err)
		}
	}
}
