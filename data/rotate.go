package data

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// How many backups rotation keeps. Daily backups thin out with age: the
// newest of each of the last 7 days that have one, of the last 4 weeks and
// of the last 12 months (counting only days, weeks and months with a
// backup, so a month away from the road never empties the folder). Backups
// taken before a change keep the newest 10 of each reason; backups made by
// hand are the user's to delete.
const (
	keepDaily   = 7
	keepWeekly  = 4
	keepMonthly = 12
	keepTagged  = 10
)

// rotation returns which of the file names in a backups folder to delete.
// It depends on the names alone (times are UTC, from the names), so it is
// the same on every run; names it does not know are kept.
func rotation(names []string) []string {
	type backup struct {
		name string
		t    time.Time
	}
	byReason := map[string][]backup{}
	for _, n := range names {
		if t, reason, ok := parseBackupName(n); ok {
			byReason[reason] = append(byReason[reason], backup{n, t})
		}
	}
	var remove []string
	for reason, list := range byReason {
		sort.Slice(list, func(i, j int) bool { return list[i].t.After(list[j].t) })
		keep := map[string]bool{}
		switch reason {
		case ReasonManual:
			continue
		case ReasonDaily:
			// Newest first, so the first backup seen in a period is its newest.
			periods := []struct {
				n   int
				key func(time.Time) string
			}{
				{keepDaily, func(t time.Time) string { return t.Format("2006-01-02") }},
				{keepWeekly, func(t time.Time) string { y, w := t.ISOWeek(); return fmt.Sprintf("%d-W%02d", y, w) }},
				{keepMonthly, func(t time.Time) string { return t.Format("2006-01") }},
			}
			for _, p := range periods {
				seen := map[string]bool{}
				for _, b := range list {
					k := p.key(b.t)
					if seen[k] || len(seen) == p.n {
						continue
					}
					seen[k] = true
					keep[b.name] = true
				}
			}
		case ReasonPreMigration, ReasonPreImport, ReasonPreUndo, ReasonBeforeRestore, ReasonPreSyncDelete:
			for i, b := range list {
				keep[b.name] = i < keepTagged
			}
		default:
			continue // a reason from a newer Rapport: not ours to judge
		}
		for _, b := range list {
			if !keep[b.name] {
				remove = append(remove, b.name)
			}
		}
	}
	sort.Strings(remove)
	return remove
}

// rotateDir deletes the backups in dir that rotation says to, and stale
// temporary files.
func rotateDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	errs := []error{removeStaleTemps(dir)}
	for _, n := range rotation(names) {
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// removeStaleTemps deletes the temporary files that a crash or power cut
// left in dir a day ago or more (younger ones may be a backup that another
// Rapport is writing right now).
func removeStaleTemps(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if !e.Type().IsRegular() || !isTempName(e.Name()) {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// isTempName tells the temporary files vacuumInto writes.
func isTempName(name string) bool {
	return strings.HasPrefix(name, ".rapport-") && strings.HasSuffix(name, ".db.tmp")
}
