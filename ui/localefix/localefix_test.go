package localefix

import (
	"os"
	"testing"
)

func TestGetenvSeesTheUsersC(t *testing.T) {
	defer func(m map[string][2]string) { changed = m }(changed)
	changed = map[string][2]string{}
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "C.UTF-8")
	fix()
	if got := os.Getenv("LANG"); got != "en_US.UTF-8" {
		t.Errorf("Fyne reads LANG=%q, want en_US.UTF-8", got)
	}
	if got := Getenv("LANG"); got != "C.UTF-8" {
		t.Errorf("Getenv(LANG) = %q, want the user's C.UTF-8", got)
	}
	// Set again later (a test, a child's environment): the new value wins.
	os.Setenv("LANG", "de_DE.UTF-8")
	if got := Getenv("LANG"); got != "de_DE.UTF-8" {
		t.Errorf("Getenv(LANG) after a change = %q", got)
	}
}
