// Package output writes the files Rapport is told to write about customers
// (an export, a briefing), from the command line and the window alike: only
// its owner may read them (0600), and a file is replaced only by a complete,
// synced new one.
package output

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Temporary files are named .NAME.rapport-tmp-NNN beside NAME, so a person
// who finds one knows whose it is, and the next write can find leftovers.
const (
	TmpMarker  = ".rapport-tmp-"
	StaleAfter = time.Minute
)

// Create opens the file a command was told to write (export -o,
// brief --html/--pdf) and returns where to write and a commit func to call
// with the error of the writing, which it returns (or its own):
//   - "-" and /dev/stdout are standard output;
//   - a device, pipe or socket is written directly;
//   - a symbolic link's target is written, the link kept;
//   - a regular file is written to a temporary file beside it (0600, synced)
//     that replaces it only when the writing succeeded, so a failed or
//     interrupted write leaves the old file as it was and nothing else.
//
// A folder, a missing folder or a file in the way is refused in the user's
// terms before anything is written.
func Create(ctx context.Context, path string, stdout io.Writer) (io.Writer, func(error) error, error) {
	if path == "-" || filepath.Clean(path) == "/dev/stdout" {
		// Not reopened: stdout may be a file opened for appending, or a
		// pipe whose /proc name cannot be opened again.
		return ctxWriter{ctx, stdout}, func(err error) error { return interrupted(ctx, err, "standard output") }, nil
	}
	if path == "" {
		return nil, nil, errors.New("no file named")
	}
	fi, err := os.Stat(path) // follows links, /proc's too
	switch {
	case err == nil && fi.IsDir():
		return nil, nil, fmt.Errorf("%s is a folder; name a file inside it", path)
	case err == nil && !fi.Mode().IsRegular():
		return openDirect(ctx, path)
	case err == nil:
		target, err := filepath.EvalSymlinks(path)
		if err != nil {
			return nil, nil, fmt.Errorf("follow the link %s: %w", path, err)
		}
		return createAtomic(ctx, target)
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		// A new file, or a link to one that does not exist yet.
		target, err := linkTarget(path)
		if err != nil {
			return nil, nil, err
		}
		if err := checkFolder(filepath.Dir(target)); err != nil {
			return nil, nil, err
		}
		return createAtomic(ctx, target)
	default:
		return nil, nil, fmt.Errorf("%s: %w", path, cause(err))
	}
}

// openDirect writes to a device, pipe or socket as it is: there is nothing
// to replace atomically, and a pipe's reader waits for exactly this stream.
func openDirect(ctx context.Context, path string) (io.Writer, func(error) error, error) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, cause(err))
	}
	return ctxWriter{ctx, f}, func(err error) error {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("%s: %w", path, cause(cerr))
		}
		return interrupted(ctx, err, path)
	}, nil
}

// createAtomic writes a regular file through a temporary one beside it.
func createAtomic(ctx context.Context, target string) (io.Writer, func(error) error, error) {
	dir, base := filepath.Dir(target), filepath.Base(target)
	RemoveStale(dir, time.Now())
	f, err := os.CreateTemp(dir, "."+base+TmpMarker+"*") // 0600: it is about customers
	if err != nil {
		return nil, nil, fmt.Errorf("cannot write in folder %s: %w", dir, cause(err))
	}
	lockTemp(f) // tells another Rapport's removeStale that this one is alive
	tmp := f.Name()
	return ctxWriter{ctx, f}, func(err error) error {
		if err == nil {
			err = ctx.Err()
		}
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			if rerr := os.Rename(tmp, target); rerr != nil {
				err = fmt.Errorf("cannot replace %s: %w", target, cause(rerr))
			}
		}
		if err != nil {
			os.Remove(tmp)
			return interrupted(ctx, err, target)
		}
		syncFolder(dir)
		return nil
	}, nil
}

// interrupted turns the error of a write stopped by a signal into one that
// says so and what became of the file.
func interrupted(ctx context.Context, err error, what string) error {
	if err == nil || ctx.Err() == nil {
		return err // a write that ended before the signal was not cut short
	}
	if what == "standard output" {
		return errors.New("interrupted: standard output got only part")
	}
	return fmt.Errorf("interrupted: %s was left as it was", what)
}

// linkTarget follows path's symbolic links, even to a file that does not
// exist yet, and returns the final name; path itself when it is no link.
func linkTarget(path string) (string, error) {
	cur := path
	for range 40 { // as many as Linux follows
		fi, err := os.Lstat(cur)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return cur, nil // the rest is checkFolder's to explain
		}
		dest, err := os.Readlink(cur)
		if err != nil {
			return "", fmt.Errorf("follow the link %s: %w", cur, cause(err))
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(cur), dest)
		}
		cur = dest
	}
	return "", fmt.Errorf("%s: too many links in a chain", path)
}

// checkFolder says, in the user's terms, why a file cannot be created in
// dir: it is missing, or something on the way is not a folder.
func checkFolder(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case err == nil && fi.IsDir():
		return nil
	case err == nil:
		return fmt.Errorf("%s is a file, not a folder", dir)
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("folder %s does not exist", dir)
	case errors.Is(err, syscall.ENOTDIR):
		for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
			if fi, err := os.Stat(d); err == nil && !fi.IsDir() {
				return fmt.Errorf("%s is a file, not a folder", d)
			}
			if d == filepath.Dir(d) {
				break
			}
		}
	}
	return fmt.Errorf("folder %s: %w", dir, cause(err))
}

// RemoveStale deletes the temporary files that a killed Rapport left in
// dir: older than a minute and held by no running Rapport.
func RemoveStale(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, ".") || !strings.Contains(name, TmpMarker) || !e.Type().IsRegular() {
			continue
		}
		fi, err := e.Info()
		if err != nil || now.Sub(fi.ModTime()) < StaleAfter {
			continue
		}
		if path := filepath.Join(dir, name); !tempInUse(path) {
			os.Remove(path)
		}
	}
}

// syncFolder makes a rename durable; where folders cannot be synced there
// is nothing more to do.
func syncFolder(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// cause is the reason inside a *PathError or *LinkError, whose own message
// would name the temporary file rather than the one the user gave.
func cause(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

// ctxWriter stops writing once the command is interrupted, so a long export
// ends at its next buffer instead of running to the end.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
