package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

// The command line takes no daily backups of its own: the window does, and
// every import and undo here backs up first. A script that logs a visit
// should not sometimes wait for a copy of the whole database.

func runBackup(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("backup", env)
	db := dbFlag(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 1 {
		return usagef("backup takes at most one FILE (got %d)", len(rest))
	}
	s, err := openExisting(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	var dest string
	if len(rest) == 1 {
		dest = rest[0]
		err = s.Backup(ctx, dest)
	} else {
		dest, err = s.AutoBackup(ctx, data.ReasonManual)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, dest)
	return nil
}

func runRestore(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("restore", env)
	db := dbFlag(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("restore: say which backup, e.g. rapport restore %s", "backups/rapport-…-daily.db (see 'rapport backups')")
	}
	path, err := dbPath(*db)
	if err != nil {
		return err
	}
	setAside, err := data.Restore(ctx, path, rest[0])
	if err != nil {
		return err
	}
	info, err := data.Inspect(ctx, path)
	if err != nil {
		return fmt.Errorf("restored, but: %w", err)
	}
	fmt.Fprintf(env.Stdout, "restored %s (%s) into %s\n", rest[0], countOf(info.Customers, "customer"), path)
	if setAside != "" {
		fmt.Fprintf(env.Stdout, "the previous database is kept as %s\n", setAside)
	}
	return nil
}

func runBackups(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("backups", env)
	db := dbFlag(fs)
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("backups takes no arguments (got %q)", rest[0])
	}
	path, err := dbPath(*db)
	if err != nil {
		return err
	}
	list, err := data.ListBackups(ctx, path)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintf(env.Stderr, "no backups yet in %s (make one with 'rapport backup')\n", data.BackupDir(path))
		return nil
	}
	for _, b := range list {
		customers := countOf(b.Customers, "customer")
		if b.Err != nil {
			customers = "unreadable"
		}
		fmt.Fprintf(env.Stdout, "%s\t%s\t%s\t%s\t%s\n", locale.DateTime(b.Time.Local()), b.Reason, customers, locale.FileSize(b.Size), b.Path)
	}
	return nil
}

// openExisting opens the database, refusing to create one: backing up a
// mistyped path must not make an empty database there.
func openExisting(ctx context.Context, flagValue string) (*data.Store, error) {
	path, err := dbPath(flagValue)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("there is no database at %s", path)
	}
	return data.Open(ctx, path)
}

func countOf(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return locale.Count(n) + " " + unit + "s"
}
