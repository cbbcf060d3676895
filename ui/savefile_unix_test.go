//go:build unix

package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Everything the window saves about customers is 0600, as on the command
// line, and a file that could not be written is not left behind.
func TestWindowSavesPrivateFiles(t *testing.T) {
	old := syscall.Umask(0o022) // the usual umask, whatever the test runner's
	defer syscall.Umask(old)
	u, _ := newTestUI(t, person("Jane", "Doe", "Acme"))
	dir := t.TempDir()

	vcf := filepath.Join(dir, "all.vcf")
	u.exporter.saveTo(saveDialogWriter(t, vcf), exportJob{fileName: "all.vcf"})
	u.wait()
	mode0600(t, vcf)
	if b, _ := os.ReadFile(vcf); !strings.Contains(string(b), "FN:Jane Doe") {
		t.Errorf("the export holds:\n%s", b)
	}

	b, err := u.store.Briefing(context.Background(), u.customer.id, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Jane briefing.pdf", "Jane briefing.html"} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("an older briefing"), 0o644); err != nil {
			t.Fatal(err)
		}
		u.briefing.save(saveDialogWriter(t, path), b)
		u.wait()
		mode0600(t, path)
		if got, _ := os.ReadFile(path); len(got) < 100 {
			t.Errorf("%s holds only %q", name, got)
		}
	}
	if shown := overlayTexts(u); len(shown) > 0 && strings.Contains(shown[len(shown)-1], "Could not") {
		t.Errorf("the window shows:\n%s", strings.Join(shown, "\n---\n"))
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
