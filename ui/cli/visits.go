package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/ui/report"
)

func runBrief(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("brief", env)
	db := dbFlag(fs)
	html := fs.String("html", "", "also write the briefing as a printable HTML page to this file")
	pdf := fs.String("pdf", "", "also write the briefing as a printable PDF to this file")
	rest, err := parse(fs, args)
	if err != nil {
		return err
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
	for _, out := range []struct {
		path  string
		write func(io.Writer, time.Time) error
	}{{*html, doc.HTML}, {*pdf, doc.PDF}} {
		if out.path == "" {
			continue
		}
		if _, err := writeFileAtomic(out.path, func(w io.Writer) (int, error) { return 1, out.write(w, now) }); err != nil {
			return fmt.Errorf("brief: write %s: %w", out.path, err)
		}
	}
	return doc.Markdown(env.Stdout)
}

func runToday(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("today", env)
	db := dbFlag(fs)
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
	t, err := s.Today(ctx, time.Now())
	if err != nil {
		return err
	}
	return report.Today(t).Markdown(env.Stdout)
}
