package fynelang_test

import (
	"testing"

	"fyne.io/fyne/v2/lang"

	"github.com/rapportcrm/rapport/ui/fynelang"
)

// Fyne's init read the stub (no German), and the real translations load
// afterwards with the user's locale, as the window does before it opens.
func TestTranslationsLoadLater(t *testing.T) {
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "de_DE.UTF-8")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "de_DE.UTF-8")
	if got := lang.L("Cancel"); got != "Cancel" {
		t.Fatalf("before loading, Fyne already translates: %q", got)
	}
	files, err := fynelang.Builtin().ReadDir("translations")
	if err != nil || len(files) < 10 {
		t.Fatalf("Fyne's own translations: %d files, error %v", len(files), err)
	}
	if err := lang.AddTranslationsFS(fynelang.Builtin(), "translations"); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("Cancel"); got != "Abbrechen" {
		t.Errorf("German after loading: %q, want Abbrechen", got)
	}
}
