package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/vcard"
)

// errSomeFailed makes the exit code 1 after a summary that already said why.
var errSomeFailed = errors.New("some cards failed")

func runImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("import", env)
	db := dbFlag(fs)
	dry := fs.Bool("dry-run", false, "show what would happen, write nothing")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("import: name the .vcf files to import")
	}
	s, err := openWriting(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	sum, err := s.Import(ctx, vcard.Cards(files), data.ImportOptions{DryRun: *dry, Source: strings.Join(names, ", ")})
	if err != nil {
		return fmt.Errorf("import: %w (nothing was written)", err)
	}
	for _, r := range sum.Results {
		switch r.Action {
		case data.ActionFailed, data.ActionSkipped:
			fmt.Fprintf(env.Stdout, "%s: %s: %s\n", r.Action, r.Where(), r.Reason)
			continue
		}
		// The card imported without these parts.
		for _, p := range r.Problems {
			fmt.Fprintf(env.Stdout, "problem: %s: %s\n", r.Where(), p)
		}
		// The card came from a broken part of the file.
		for _, d := range r.Damage {
			fmt.Fprintf(env.Stdout, "partly read: %s: %s\n", r.Where(), d)
		}
	}
	prefix := "imported"
	if *dry {
		prefix = "dry run, nothing written: would import"
	}
	fmt.Fprintf(env.Stdout, "%s: %s\n", prefix, sum)
	if sum.BatchID != 0 {
		fmt.Fprintln(env.Stdout, "undo with: rapport undo-import")
	}
	// Nothing but skipped cards (a file of empty BEGIN:VCARD lines) is a
	// failure too: nothing could be imported.
	if sum.Failed > 0 || sum.New+sum.Updated+sum.Unchanged == 0 && sum.Skipped > 0 {
		fmt.Fprintf(env.Stderr, "rapport: import: %s\n", failedOutcome(sum, *dry))
		return errSilent{errSomeFailed}
	}
	// Lines dropped from a card are data the user may want back: exit 1,
	// though what could be read was imported.
	if sum.PartlyRead > 0 {
		fmt.Fprintf(env.Stderr, "rapport: import: %d %s only partly read (lines dropped or repaired, listed above); what could be read %s imported\n",
			sum.PartlyRead, plural(sum.PartlyRead, "card was", "cards were"), map[bool]string{true: "would be", false: "was"}[*dry])
		return errSilent{errSomeFailed}
	}
	return nil
}

// failedOutcome says what failed and what happened to the rest, in the
// words of what really happened: "nothing was imported" when nothing was.
func failedOutcome(sum *data.ImportSummary, dry bool) string {
	var cards, files, skippedFrom []string
	for _, r := range sum.Results {
		switch {
		case r.Action == data.ActionSkipped:
			if len(skippedFrom) == 0 || skippedFrom[len(skippedFrom)-1] != r.Source {
				skippedFrom = append(skippedFrom, r.Source)
			}
		case r.Action != data.ActionFailed:
		case r.Index == 0: // the whole file could not be read
			files = append(files, r.Source)
		default:
			cards = append(cards, r.Where())
		}
	}
	var what []string
	if n := len(cards); n > 0 {
		what = append(what, fmt.Sprintf("%d %s failed", n, plural(n, "card", "cards")))
	}
	if n := len(files); n > 0 {
		what = append(what, fmt.Sprintf("no card could be read from %s", strings.Join(files, ", ")))
	}
	changed, read := sum.New+sum.Updated, sum.New+sum.Updated+sum.Unchanged+sum.Skipped
	if changed+sum.Unchanged == 0 && sum.Skipped > 0 {
		what = append(what, fmt.Sprintf("%d %s skipped in %s", sum.Skipped, plural(sum.Skipped, "card", "cards"), strings.Join(skippedFrom, ", ")))
		read = 0
	}
	verb := map[bool]string{true: "would be", false: "was"}[dry]
	var rest string
	switch {
	case read == 0:
		rest = "nothing " + verb + " imported"
	case changed == 0:
		rest = fmt.Sprintf("nothing %s changed (%d %s read: %d unchanged, %d skipped)", verb, read, plural(read, "other card", "other cards"), sum.Unchanged, sum.Skipped)
	default:
		rest = fmt.Sprintf("%d new and %d updated %s %s imported", sum.New, sum.Updated, plural(changed, "customer", "customers"),
			map[bool]string{true: "would be", false: plural(changed, "was", "were")}[dry])
	}
	return strings.Join(what, " and ") + "; " + rest
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// errSilent is an error whose message was already printed.
type errSilent struct{ error }

func runUndoImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("undo-import", env)
	db := dbFlag(fs)
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("undo-import takes no arguments")
	}
	s, err := openWriting(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	b, err := s.LastImport(ctx)
	if err != nil {
		return err
	}
	res, err := s.UndoImport(ctx, b.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "undid import of %s: %d customers removed, %d restored", b.Source, res.Removed, res.Restored)
	if len(res.Kept) > 0 {
		fmt.Fprintf(env.Stdout, ", %d kept because history was logged for them since", len(res.Kept))
	}
	fmt.Fprintln(env.Stdout)
	return nil
}

func runExport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("export", env)
	db := dbFlag(fs)
	out := fs.String("o", "", "write to this file; - is standard output (the default)")
	version := fs.String("vcard", "3.0", "vCard version: 3.0 or 4.0")
	noPhotos := fs.Bool("no-photos", false, "leave photos out")
	confidential := fs.Bool("confidential", false, "include profile items marked confidential")
	forApple := fs.Bool("for-apple", false, "3.0: write dates without a year in Apple's form (1604 + X-APPLE-OMIT-YEAR), which only iPhone and Mac read as year-less")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *version != "3.0" && *version != "4.0" {
		return usagef("export: --vcard must be 3.0 or 4.0 (got %q)", *version)
	}
	s, err := openReading(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	write := func(w io.Writer) (int, error) {
		bw := bufio.NewWriterSize(w, 64<<10)
		enc := vcard.NewEncoder(bw, vcard.Options{Version: *version, NoPhotos: *noPhotos, Confidential: *confidential, ForApple: *forApple})
		n := 0
		err := s.EachCustomer(ctx, data.ExportFilter{Query: strings.Join(rest, " ")}, func(c *data.Customer, p *data.Profile) error {
			n++
			if err := enc.Encode(c, p); err != nil {
				return fmt.Errorf("customer %d (%s): %w", c.ID, c.Name(), err)
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		return n, bw.Flush()
	}
	if *out == "" {
		*out = "-"
	}
	w, commit, err := createOutput(ctx, *out, env.Stdout)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	n, err := write(w)
	if err := commit(err); err != nil {
		return fmt.Errorf("export to %s: %w", *out, err)
	}
	if *out != "-" {
		fmt.Fprintf(env.Stderr, "exported %d customers to %s\n", n, *out)
	}
	return nil
}
