package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

func runSearch(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("search", env)
	db := dbFlag(fs)
	limit := fs.Int("limit", 100, "at most this many customers")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return usagef("search: say what to look for, e.g. rapport search maria")
	}
	s, err := openReading(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if *limit < 1 {
		return usageError{msg: fmt.Sprintf("search: --limit must be 1 or more, got %d", *limit), usage: usageOf("search")}
	}
	query := strings.Join(rest, " ")
	shown, err := s.Search(ctx, query, *limit)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	for _, c := range shown {
		fmt.Fprintf(env.Stdout, "%d\t%s\t%s\n", c.ID, c.Name, c.Company)
	}
	if len(shown) < *limit {
		return nil
	}
	// Up to moreProbe more are counted, to say how many were left out.
	found, err := s.SearchCount(ctx, query, *limit+moreProbe)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	printMore(env, found-len(shown), found == *limit+moreProbe)
	return nil
}

// moreProbe is how far past --limit search looks to count what it leaves out.
const moreProbe = 1000

// printMore says on stderr (stdout stays one customer a line, for scripts)
// that n results were cut off; atLeast when there may be more still.
func printMore(env *Env, n int, atLeast bool) {
	if n <= 0 {
		return
	}
	more := locale.Count(n)
	if atLeast {
		more = "at least " + more
	}
	fmt.Fprintf(env.Stderr, "… and %s more (use --limit)\n", more)
}

func runLog(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("log", env)
	db := dbFlag(fs)
	who := fs.String("customer", "", "customer ID (or a name that matches exactly one customer)")
	kind := fs.String("kind", "", "visit, call, email, meeting or other")
	at := fs.String("at", "", "when: 2026-03-01 14:30, 2026-03-01, 14:30 (today) or RFC 3339; default now")
	minutes := fs.String("minutes", "", "how long it took, in minutes (45) or hours and minutes (1h30m); at most 24 hours")
	notes := fs.String("notes", "", "longer notes beside the summary")
	temp := fs.Int("temp", 0, "how satisfied they said they are, 1 (unhappy) to 5 (delighted)")
	tempComment := fs.String("temp-comment", "", "what they said about it")
	heard := fs.String("heard", "", "what I heard: the summary you read back to them")
	confirmed := fs.Bool("confirmed", false, "they confirmed what you heard")
	planned := fs.Bool("planned", false, "record a visit planned for --at (in the future) instead of something that happened")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *who == "":
		return usagef("log: --customer ID is required")
	case !data.ValidKind(*kind):
		return usagef("log: --kind must be one of %s (got %q)", strings.Join(data.InteractionKinds, ", "), *kind)
	case len(rest) == 0 && *notes == "":
		return usagef("log: say what happened, e.g. rapport log --customer 3 --kind call \"Asked about delivery dates\"")
	case *temp < 0 || *temp > 5:
		return usagef("log: --temp must be from 1 (unhappy) to 5 (delighted), got %d", *temp)
	}
	now := time.Now()
	when, err := parseWhen(*at, now)
	if err == nil {
		err = data.CheckInteractionTime(when, now) // the store checks too; this says which flag
	}
	if err != nil {
		return usagef("log: --at: %v", err)
	}
	// A few minutes' grace for clocks; beyond that a logged contact in the
	// future would read as "last contact in 7 days" in the briefing.
	future := when.After(now.Add(5 * time.Minute))
	switch {
	case *planned && !future:
		return usagef("log: --planned needs --at in the future (got %s)", when.Format("2006-01-02 15:04"))
	case *planned && (*temp != 0 || *heard != "" || *confirmed || *tempComment != ""):
		return usagef("log: --planned records a visit still to come: --temp, --temp-comment, --heard and --confirmed are for what happened")
	case !*planned && future:
		return usagef("log: --at %s is in the future: log what has happened, or plan a visit with --planned", when.Format("2006-01-02 15:04"))
	}
	duration, err := parseMinutes(*minutes)
	if err != nil {
		return usagef("log: --minutes: %v", err)
	}
	s, err := openWriting(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	c, err := findCustomer(ctx, s, *who)
	if err != nil {
		return err
	}
	if *planned {
		v := data.PlannedVisit{CustomerID: c.ID, At: when, Duration: duration, Purpose: strings.TrimSpace(strings.Join(append(rest, *notes), " "))}
		if err := s.PlanVisit(ctx, &v); err != nil {
			return fmt.Errorf("plan a visit to %s: %w", c.Name(), err)
		}
		fmt.Fprintf(env.Stdout, "planned visit %d for %s (%d) at %s\n", v.ID, c.Name(), c.ID, v.At.Format("2006-01-02 15:04"))
		return nil
	}
	in := data.Interaction{CustomerID: c.ID, Kind: *kind, At: when,
		Duration: duration, Summary: strings.Join(rest, " "), Notes: *notes,
		Temperature: *temp, TempComment: *tempComment, Heard: *heard, HeardConfirmed: *confirmed}
	if err := s.LogInteraction(ctx, &in); err != nil {
		return fmt.Errorf("log %s for %s: %w", in.Kind, c.Name(), err)
	}
	// ISO whatever the locale: scripts read this line, and --at takes it back.
	fmt.Fprintf(env.Stdout, "logged %s %d for %s (%d) at %s\n", in.Kind, in.ID, c.Name(), c.ID, in.At.Format("2006-01-02 15:04"))
	return nil
}

// findCustomer resolves an ID, or a name that matches exactly one customer.
func findCustomer(ctx context.Context, s *data.Store, who string) (*data.Customer, error) {
	if id, err := strconv.ParseInt(who, 10, 64); err == nil {
		c, err := s.Customer(ctx, id)
		if errors.Is(err, data.ErrNotFound) {
			return nil, fmt.Errorf("no customer with ID %d (find IDs with 'rapport search NAME')", id)
		}
		return c, err
	}
	found, err := s.Search(ctx, who, 10)
	if err != nil {
		return nil, err
	}
	var exact []data.CustomerSummary
	for _, f := range found {
		if strings.EqualFold(f.Name, strings.TrimSpace(who)) {
			exact = append(exact, f)
		}
	}
	if len(exact) == 1 {
		found = exact
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("no customer matches %q", who)
	case 1:
		return s.Customer(ctx, found[0].ID)
	}
	var names []string
	for _, f := range found {
		names = append(names, fmt.Sprintf("%d %s", f.ID, f.Name))
	}
	return nil, fmt.Errorf("%q matches %d customers (%s); give the ID", who, len(found), strings.Join(names, ", "))
}

// parseWhen reads the times people type on a command line, in local time.
func parseWhen(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return now, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, now.Location()); err == nil {
			return t, nil
		}
	}
	if t, err := time.ParseInLocation("15:04", s, now.Location()); err == nil {
		return time.Date(now.Year(), now.Month(), now.Day(), t.Hour(), t.Minute(), 0, 0, now.Location()), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a time (try 2026-03-01 14:30, 2026-03-01 or 14:30)", s)
}

// parseMinutes reads how long an interaction took: a whole number of
// minutes ("45") or a duration ("1h30m", "90m"). The number is checked
// against the bound before it is multiplied, so no overflow wraps round to
// a plausible length.
func parseMinutes(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	const most = int64(data.MaxInteractionDuration / time.Minute)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		switch {
		case n < 0:
			return 0, fmt.Errorf("%s minutes: cannot be negative", s)
		case err != nil || n > most:
			return 0, fmt.Errorf("%s minutes is more than 24 hours (%d minutes)", s, most)
		}
		return time.Duration(n) * time.Minute, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number of minutes (try 45 or 1h30m)", s)
	}
	if err := data.CheckInteractionDuration(d); err != nil {
		return 0, err
	}
	return d, nil
}

func runSample(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("sample", env)
	db := dbFlag(fs)
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("sample takes no arguments (got %q)", rest[0])
	}
	ds, err := data.ReadDataset(bytes.NewReader(env.Sample))
	if err != nil {
		return fmt.Errorf("sample data: %w", err)
	}
	s, err := openWriting(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.LoadDataset(ctx, ds, time.Now())
	if err != nil {
		return fmt.Errorf("load sample: %w", err)
	}
	fmt.Fprintf(env.Stdout, "loaded %d sample customers into %s\n", n, s.Path())
	return nil
}
