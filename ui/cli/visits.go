package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/report"
)

func runBrief(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("brief", env)
	db := dbFlag(fs)
	html := fs.String("html", "", "also write the briefing as a printable HTML page to this file (- for standard output, instead of Markdown)")
	pdf := fs.String("pdf", "", "also write the briefing as a printable PDF to this file (- for standard output, instead of Markdown)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if toStdout(*html) && toStdout(*pdf) {
		return usagef("brief: only one of --html and --pdf can go to standard output")
	}
	if len(rest) == 0 {
		return usagef("brief: say whom, by ID or name: rapport brief 12, rapport brief \"Maria Kowalski\"")
	}
	s, err := openReading(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	c, err := findCustomer(ctx, s, strings.Join(rest, " "))
	if err != nil {
		return err
	}
	now := time.Now()
	b, err := s.Briefing(ctx, c.ID, now)
	if err != nil {
		return err
	}
	// A printed briefing leaves confidential items out: they are for the screen.
	doc := report.Briefing(b, report.Options{})
	// Both files are opened before either is written, so a bad name for the
	// second leaves no first behind.
	type output struct {
		path   string
		write  func(io.Writer, time.Time) error
		w      io.Writer
		commit func(error) error
	}
	var outs []*output
	abort := func(err error) error {
		for _, o := range outs {
			o.commit(err)
		}
		return err
	}
	for _, o := range []*output{{path: *html, write: doc.HTML}, {path: *pdf, write: doc.PDF}} {
		if o.path == "" {
			continue
		}
		var err error
		if o.w, o.commit, err = createOutput(ctx, o.path, env.Stdout); err != nil {
			return abort(fmt.Errorf("brief: %w", err))
		}
		outs = append(outs, o)
	}
	for i, o := range outs {
		if err := o.commit(o.write(o.w, now)); err != nil {
			outs = outs[i+1:]
			return abort(fmt.Errorf("brief: write %s: %w", o.path, err))
		}
	}
	if toStdout(*html) || toStdout(*pdf) {
		return nil // that is what standard output was asked for
	}
	return doc.Markdown(env.Stdout)
}

func toStdout(path string) bool { return path == "-" || filepath.Clean(path) == "/dev/stdout" }

func runToday(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("today", env)
	db := dbFlag(fs)
	limit := fs.Int("limit", data.TodayLimit, "at most this many of each list")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("today takes no arguments")
	}
	s, err := openReading(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if *limit < 1 {
		return usageError{msg: fmt.Sprintf("today: --limit must be 1 or more, got %d", *limit), usage: usageOf("today")}
	}
	t, err := s.TodayUpTo(ctx, time.Now(), *limit)
	if err != nil {
		return err
	}
	return report.TodayWith(t, " (use --limit)").Markdown(env.Stdout)
}
