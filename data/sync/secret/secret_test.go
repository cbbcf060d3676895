package secret

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// inSession marks the child that runs inside its own D-Bus session with a
// real GNOME Keyring (see TestRealKeyring).
const inSession = "RAPPORT_TEST_KEYRING_SESSION"

// TestRealKeyring saves, reads and deletes a password in a real Secret
// Service: GNOME Keyring in a D-Bus session of its own, which this test
// starts around a second run of itself, so the user's own keyring is never
// touched.
func TestRealKeyring(t *testing.T) {
	if os.Getenv(inSession) == "1" {
		checkKeyring(t)
		return
	}
	for _, tool := range []string{"dbus-run-session", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s not found, but CI=true: .ci/deps.sh should have installed dbus-daemon and gnome-keyring", tool)
			}
			t.Skipf("%s not found: a real keyring test needs dbus (dbus-run-session) and gnome-keyring "+
				"(apt-get install --no-install-recommends dbus gnome-keyring)", tool)
		}
	}
	home := t.TempDir() // the test keyring's file lives here, not in the user's home
	// The daemon reads the new keyring's password on stdin, unlocks (creating)
	// the login keyring and leaves; it dies with the session bus.
	script := `printf 'test-keyring-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 3
exec "$0" -test.run='^TestRealKeyring$' -test.count=1 -test.v`
	cmd := exec.Command("dbus-run-session", "--", "sh", "-c", script, os.Args[0])
	cmd.Env = append(withoutEnv(os.Environ(), EnvKeyring, "DBUS_SESSION_BUS_ADDRESS", "HOME", "XDG_DATA_HOME",
		"XDG_RUNTIME_DIR", "GNOME_KEYRING_CONTROL"),
		inSession+"=1", "HOME="+home, "XDG_DATA_HOME="+home+"/share", "XDG_RUNTIME_DIR="+home)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestRealKeyring") {
		t.Fatalf("the keyring session failed (%v):\n%s", err, out)
	}
	t.Logf("in a D-Bus session with GNOME Keyring:\n%s", out)
}

func checkKeyring(t *testing.T) {
	const url, user = "https://dav.example.com/", "anna"
	if _, err := Get(url, user); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get before Set: %v, want ErrNotFound", err)
	}
	if err := Set(url, user, "first"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	const pw = "zwölf Äpfel; \"quoted\" \\ and a space "
	if err := Set(url, user, pw); err != nil {
		t.Fatalf("Set again: %v", err)
	}
	if err := Set(url, "ben", "another"); err != nil {
		t.Fatalf("Set of another user: %v", err)
	}
	got, err := Get(url, user)
	if err != nil || got != pw {
		t.Fatalf("Get = %q, %v; want the password set last", got, err)
	}
	if err := Delete(url, user); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := Get(url, user); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
	}
	if err := Delete(url, user); err != nil {
		t.Errorf("Delete of what is not there: %v, want nil", err)
	}
	if got, err := Get(url, "ben"); err != nil || got != "another" {
		t.Errorf("the other user's password: %q, %v", got, err)
	}
}

// Without a session bus (none named, none at the usual socket and no
// dbus-launch to start one) Set says there is no keyring, and returns.
func TestNoSessionBus(t *testing.T) {
	if os.Getenv(inSession) == "1" {
		t.Skip("inside the keyring session")
	}
	empty := t.TempDir()
	t.Setenv(EnvKeyring, "")
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", empty) // no bus socket there
	t.Setenv("PATH", empty)            // no dbus-launch
	err := Set("https://dav.example.com/", "anna", "pw")
	if !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("Set without a bus: %v, want ErrNoKeyring", err)
	}
	t.Logf("without a bus: %v", err)
}

// RAPPORT_KEYRING=none turns the keyring off for every call.
func TestKeyringNone(t *testing.T) {
	t.Setenv(EnvKeyring, "none")
	if _, err := Get("u", "a"); !errors.Is(err, ErrNoKeyring) {
		t.Errorf("Get: %v", err)
	}
	if err := Set("u", "a", "p"); !errors.Is(err, ErrNoKeyring) {
		t.Errorf("Set: %v", err)
	}
	if err := Delete("u", "a"); !errors.Is(err, ErrNoKeyring) {
		t.Errorf("Delete: %v", err)
	}
}

func withoutEnv(env []string, names ...string) []string {
	var out []string
next:
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		for _, n := range names {
			if k == n {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}
