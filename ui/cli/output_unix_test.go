//go:build unix

package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestExportToFIFO(t *testing.T) {
	db := exportDB(t)
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan string)
	go func() {
		f, err := os.Open(fifo) // waits for the writer
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- string(b)
	}()
	r := rapport(t, "export", "--db", db, "-o", fifo)
	if out := <-got; r.code != 0 || countCards(out) < 5 {
		t.Errorf("exit %d %q; the reader got %d cards", r.code, r.stderr, countCards(out))
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe was replaced: %v", err)
	}
}

// TestStaleTemporaryOfLiveWriterKept: a temporary file older than a minute
// whose writer still runs (it holds the lock) is not taken from under it.
func TestStaleTemporaryOfLiveWriterKept(t *testing.T) {
	dir := t.TempDir()
	w, commit, err := createOutput(context.Background(), filepath.Join(dir, "slow.pdf"), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	live := temps(t, dir)
	if len(live) != 1 {
		t.Fatalf("temporaries %v", live)
	}
	old := time.Now().Add(-10 * staleAfter)
	os.Chtimes(live[0], old, old)
	removeStale(dir, time.Now())
	if _, err := os.Stat(live[0]); err != nil {
		t.Fatalf("a live writer's temporary was removed: %v", err)
	}
	fmt.Fprint(w, "%PDF-")
	if err := commit(nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "slow.pdf")); string(b) != "%PDF-" {
		t.Errorf("got %q", b)
	}
}

// TestInterruptRemovesTemporary runs this test binary again as a command
// that starts writing a file and waits; SIGTERM must leave neither the file
// nor its temporary behind.
func TestInterruptRemovesTemporary(t *testing.T) {
	if out := os.Getenv("RAPPORT_TEST_HOLD_OUTPUT"); out != "" {
		holdOutput(out)
		return
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "all.vcf")
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestInterruptRemovesTemporary$")
		cmd.Env = append(os.Environ(), "RAPPORT_TEST_HOLD_OUTPUT="+out)
		stdout, _ := cmd.StdoutPipe()
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		if line != "writing\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("helper said %q, %s", line, stderr.String())
		}
		if left := temps(t, dir); len(left) != 1 {
			t.Errorf("while writing: temporaries %v", left)
		}
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		if code := cmd.ProcessState.ExitCode(); code != ExitError || !strings.Contains(stderr.String(), "interrupted: "+out+" was left as it was") {
			t.Errorf("%v: %v, exit %d, stderr %q", sig, err, code, stderr.String())
		}
		if left := temps(t, dir); len(left) > 0 {
			t.Errorf("%v left %v", sig, left)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: the half-written file appeared", sig)
		}
	}
}

// holdOutput is the helper process: it writes part of a file the way
// export does, under the command line's signal handling, says so and waits
// to be interrupted.
func holdOutput(path string) {
	ctx, stop := withSignals(context.Background())
	defer stop()
	w, commit, err := createOutput(ctx, path, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	fmt.Fprint(w, "BEGIN:VCARD\r\n")
	fmt.Println("writing")
	<-ctx.Done()
	_, err = fmt.Fprint(w, "END:VCARD\r\n") // refused: interrupted
	fmt.Fprintf(os.Stderr, "rapport: %v\n", commit(err))
	os.Exit(ExitError)
}
