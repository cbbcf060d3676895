package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestMain lets a test run the real main() in a child process (the test
// binary itself, with RAPPORT_RUN_MAIN set): what main.go does before the
// window opens is then checked as a user meets it, without a go build.
func TestMain(m *testing.M) {
	if os.Getenv("RAPPORT_RUN_MAIN") == "1" {
		os.Args = append([]string{"rapport"}, strings.Fields(os.Getenv("RAPPORT_MAIN_ARGS"))...)
		main()
		return
	}
	os.Exit(m.Run())
}

// runMain runs main() with args in a child with env added to a copy of this
// environment from which the display variables are removed.
func runMain(t *testing.T, args string, env ...string) (stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "DISPLAY", "WAYLAND_DISPLAY", "RAPPORT_DB", "HOME", "XDG_CONFIG_HOME":
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	cmd.Env = append(cmd.Env, "RAPPORT_RUN_MAIN=1", "RAPPORT_MAIN_ARGS="+args)
	cmd.Env = append(cmd.Env, env...)
	var errb strings.Builder
	cmd.Stderr = &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatal(err)
	}
	return errb.String(), code
}

// With no display, rapport says so in one line and exits non-zero, and no
// database file is created first, neither at --db nor at the default path.
func TestNoDisplayCreatesNoDatabase(t *testing.T) {
	if runtime.GOOS != "linux" && !strings.HasSuffix(runtime.GOOS, "bsd") {
		t.Skip("the display check is for X11/Wayland systems")
	}
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config")}
	db := filepath.Join(t.TempDir(), "typo.db")
	for _, args := range []string{"--db " + db, ""} {
		stderr, code := runMain(t, args, env...)
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		if code == 0 || len(lines) != 1 || !strings.Contains(stderr, "no display found") {
			t.Errorf("rapport %s: exit %d, stderr:\n%s", args, code, stderr)
		}
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("--db %s: the file was created (%v)", db, err)
	}
	err := filepath.WalkDir(home, func(p string, d os.DirEntry, err error) error {
		if err == nil && p != home {
			t.Errorf("created under the home folder: %s", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
