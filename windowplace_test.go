package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestWindowPlaceUnderXvfb opens the real window on a private Xvfb screen,
// as a user meets it: the first window is sized to the 1366×768 screen and
// centred; moved and resized with xdotool and quit from the File menu (by
// keyboard), it opens there again; and on a smaller screen (the laptop
// undocked, its monitor gone) it is shrunk and moved to lie wholly on it.
// Xvfb has no window manager, so what is checked is the content area GLFW
// places (no frame). It needs Xvfb and xdotool (.ci/deps.sh installs
// them); without them it skips, except under CI=true, where it fails.
func TestWindowPlaceUnderXvfb(t *testing.T) {
	if runtime.GOOS != "linux" && !strings.HasSuffix(runtime.GOOS, "bsd") {
		t.Skip("Xvfb is an X11 server")
	}
	for _, tool := range []string{"Xvfb", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing under CI (.ci/deps.sh installs it): %v", tool, err)
			}
			t.Skipf("no %s here (apt-get install xvfb xdotool): the window's size and place under a real X server are not checked", tool)
		}
	}
	home := t.TempDir()
	db := filepath.Join(t.TempDir(), "place.db")
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "FYNE_SCALE=1"}
	if stderr, code := runMain(t, "sample --db "+db, env...); code != 0 {
		t.Fatalf("rapport sample: exit %d: %s", code, stderr)
	}

	display := startXvfb(t, "1366x768")
	w := startWindow(t, display, db, env)
	if got, want := w.geometry(t), "1229x691+68+38"; got != want { // winplace.FirstSize: 90%, centred
		t.Errorf("first window on 1366×768: %s, want %s", got, want)
	}
	w.xdo(t, "windowmove", w.id, "50", "40")
	w.xdo(t, "windowsize", w.id, "1100", "650")
	w.waitGeometry(t, "1100x650+50+40")
	w.quit(t)

	w = startWindow(t, display, db, env)
	if got, want := w.geometry(t), "1100x650+50+40"; got != want {
		t.Errorf("after moving and quitting, the window opens at %s, want %s", got, want)
	}
	w.xdo(t, "windowmove", w.id, "300", "100") // still wholly on 1366×768
	w.waitGeometry(t, "1100x650+300+100")
	w.quit(t)

	// Undocked: the 1366×768 screen is gone, the next is 1024×700.
	display = startXvfb(t, "1024x700")
	w = startWindow(t, display, db, env)
	if got, want := w.geometry(t), "1024x650+0+50"; got != want {
		t.Errorf("on a 1024×700 screen the window left at 1100×650+300+100 opens at %s, want %s", got, want)
	}
	w.quit(t)
}

// startXvfb starts a private X server of the given size and returns its
// display name; Xvfb picks a free display number itself (-displayfd).
func startXvfb(t *testing.T, size string) string {
	t.Helper()
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", size+"x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{wr}
	if err := cmd.Start(); err != nil {
		t.Fatalf("Xvfb: %v", err)
	}
	wr.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	select {
	case n := <-got:
		if n == "" {
			t.Fatal("Xvfb exited without a display")
		}
		return ":" + n
	case <-time.After(30 * time.Second):
		t.Fatal("Xvfb did not start in 30 s")
	}
	return ""
}

type xwindow struct {
	display, id string
	cmd         *exec.Cmd
	exited      chan error
	log         *strings.Builder
}

// startWindow runs rapport's window on display and finds its X window.
func startWindow(t *testing.T, display, db string, env []string) *xwindow {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "DISPLAY", "WAYLAND_DISPLAY", "RAPPORT_DB", "HOME", "XDG_CONFIG_HOME", "FYNE_SCALE":
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	cmd.Env = append(cmd.Env, env...)
	cmd.Env = append(cmd.Env, "DISPLAY="+display, "RAPPORT_RUN_MAIN=1", "RAPPORT_MAIN_ARGS=--db "+db)
	w := &xwindow{display: display, cmd: cmd, exited: make(chan error, 1), log: &strings.Builder{}}
	cmd.Stdout, cmd.Stderr = w.log, w.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { w.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-w.exited
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := w.xdoCtx(ctx, "search", "--sync", "--onlyvisible", "--pid", fmt.Sprint(cmd.Process.Pid))
	if err != nil || out == "" {
		t.Fatalf("no window in 30 s (%v); rapport said:\n%s", err, w.log)
	}
	w.id = strings.Fields(out)[0]
	return w
}

func (w *xwindow) xdoCtx(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+w.display)
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}

func (w *xwindow) xdo(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := w.xdoCtx(ctx, args...)
	if err != nil {
		t.Fatalf("xdotool %s: %v", strings.Join(args, " "), err)
	}
	return out
}

// geometry is the window's WxH+X+Y, once it has been mapped where the
// program put it.
func (w *xwindow) geometry(t *testing.T) string {
	t.Helper()
	var g string
	for range 50 { // the first reports may come before the window settles
		out := w.xdo(t, "getwindowgeometry", w.id)
		var x, y, width, height int
		for _, line := range strings.Split(out, "\n") {
			line = strings.TrimSpace(line)
			if p, ok := strings.CutPrefix(line, "Position: "); ok {
				fmt.Sscanf(p, "%d,%d", &x, &y)
			}
			if s, ok := strings.CutPrefix(line, "Geometry: "); ok {
				fmt.Sscanf(s, "%dx%d", &width, &height)
			}
		}
		now := fmt.Sprintf("%dx%d+%d+%d", width, height, x, y)
		if now == g {
			return g
		}
		g = now
		time.Sleep(200 * time.Millisecond)
	}
	return g
}

func (w *xwindow) waitGeometry(t *testing.T, want string) {
	t.Helper()
	for range 50 {
		if w.geometry(t) == want {
			return
		}
	}
	t.Fatalf("xdotool did not get the window to %s: it is %s", want, w.geometry(t))
}

// quit chooses File ▸ Quit from the keyboard (Alt opens the first menu, Up
// wraps to its last item), as Ctrl+Q does not exist on Linux, and waits for
// the program to end; the menu may be slow to open on a busy machine, so
// the keys are sent again until it does.
func (w *xwindow) quit(t *testing.T) {
	t.Helper()
	for range 10 {
		w.xdo(t, "windowfocus", "--sync", w.id)
		for _, k := range []string{"Escape", "alt", "Up", "Return"} {
			w.xdo(t, "key", k)
			time.Sleep(300 * time.Millisecond)
		}
		select {
		case err := <-w.exited:
			w.exited <- err // for the cleanup
			if err != nil {
				t.Fatalf("rapport ended with %v:\n%s", err, w.log)
			}
			return
		case <-time.After(3 * time.Second):
		}
	}
	t.Fatalf("File ▸ Quit did not end rapport:\n%s", w.log)
}
