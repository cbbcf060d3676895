package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/engine"
	"github.com/rapportcrm/rapport/data/sync/secret"
	"github.com/rapportcrm/rapport/ui/locale"
)

// EnvSyncPassword gives the sync password to a script (or a machine
// without a keyring); it is read, never written anywhere.
const EnvSyncPassword = "RAPPORT_SYNC_PASSWORD"

func runSync(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("sync", env)
	db := dbFlag(fs)
	setup := fs.String("setup", "", "set up sync with the server at `URL` for USER (the next argument), then stop")
	book := fs.String("book", "", "with --setup: the address book to use (default \""+engine.DefaultBook+"\", created if missing)")
	status := fs.Bool("status", false, "say how sync stands, without connecting")
	resolve := fs.Int64("resolve", 0, "settle conflict `ID` (see --status) with --keep")
	keep := fs.String("keep", "", "with --resolve: `mine` or theirs")
	timeout := fs.Duration("timeout", 0, "give up on a request after this long (default 1m)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *setup != "":
		if len(rest) != 1 {
			return usagef("sync --setup URL USER: give the user name after the URL")
		}
	case len(rest) > 0:
		return usagef("sync takes no arguments (got %q)", rest[0])
	case *keep != "" && *resolve == 0:
		return usagef("--keep goes with --resolve ID")
	case *resolve != 0 && *keep != "mine" && *keep != "theirs":
		return usagef("--resolve %d needs --keep mine or --keep theirs", *resolve)
	}
	opt := engine.Options{Timeout: *timeout}
	if *status {
		s, err := openReading(ctx, env, *db)
		if err != nil {
			return err
		}
		defer s.Close()
		return syncStatus(ctx, env, s)
	}
	s, err := openWriting(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	switch {
	case *setup != "":
		return syncSetup(ctx, env, s, *setup, rest[0], *book, opt)
	case *resolve != 0:
		k := engine.KeepMine
		if *keep == "theirs" {
			k = engine.KeepTheirs
		}
		if err := engine.Resolve(ctx, s, *resolve, k); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "conflict %d settled: kept %s; the next sync sends it\n", *resolve, *keep)
		return nil
	}
	acct, err := s.SyncAccount(ctx)
	if err != nil {
		return err
	}
	if opt.Password, err = password(env, acct.URL, acct.User, false); err != nil {
		return err
	}
	sum, err := engine.Run(ctx, s, opt)
	if sum != nil {
		for _, p := range sum.Problems {
			fmt.Fprintf(env.Stderr, "rapport: sync: %s\n", p)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "synced with %s: %s\n", acct.URL, sum)
	if sum.Full != "" {
		fmt.Fprintf(env.Stdout, "(the whole address book was compared: %s)\n", sum.Full)
	}
	for _, n := range sum.Notes {
		fmt.Fprintf(env.Stdout, "note: %s\n", n)
	}
	for _, name := range sum.Recreated {
		fmt.Fprintf(env.Stdout, "kept %s: deleted on the server but changed here, so the card was made again\n", name)
	}
	if sum.Conflicts > 0 {
		if err := listConflicts(ctx, env, s); err != nil {
			return err
		}
		return errSilent{errors.New("sync left conflicts or problems")}
	}
	if len(sum.Problems) > 0 {
		return errSilent{errors.New("sync left conflicts or problems")}
	}
	return nil
}

func syncSetup(ctx context.Context, env *Env, s *data.Store, url, user, book string, opt engine.Options) error {
	pw, err := password(env, url, user, true)
	if err != nil {
		return err
	}
	opt.Password = pw
	st, err := engine.Configure(ctx, s, url, user, book, opt)
	if err != nil {
		return fmt.Errorf("set up sync with %s: %w", url, err)
	}
	how := "found"
	if st.Created {
		how = "created"
	}
	fmt.Fprintf(env.Stdout, "sync set up: %s at %s, address book %q (%s, %s)\n", user, url, st.BookName, st.Book, how)
	if st.Calendar != "" {
		fmt.Fprintf(env.Stdout, "calendar %q for visits, follow-ups, interactions and concerns (%s, %s)\n", engine.DefaultCalendar, st.Calendar, st.CalendarHow)
	} else {
		fmt.Fprintln(env.Stdout, "the server offers no calendar (CalDAV): visits, follow-ups and history stay on this computer")
	}
	switch err := secret.Set(url, user, pw); {
	case err == nil:
		fmt.Fprintln(env.Stdout, "the password is saved in the keyring")
	case errors.Is(err, secret.ErrNoKeyring):
		fmt.Fprintf(env.Stdout, "%v: the password is not saved; each sync asks for it (or set %s)\n", err, EnvSyncPassword)
	default:
		fmt.Fprintf(env.Stdout, "the password could not be saved in the keyring (%v); each sync asks for it (or set %s)\n", err, EnvSyncPassword)
	}
	fmt.Fprintln(env.Stdout, "run 'rapport sync' to sync now")
	return nil
}

// password finds the sync password: RAPPORT_SYNC_PASSWORD, else the
// keyring (not at set-up, where a new one is being given), else a prompt
// on the terminal.
func password(env *Env, url, user string, setup bool) (string, error) {
	getenv := env.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if pw := getenv(EnvSyncPassword); pw != "" {
		return pw, nil
	}
	var why error
	if !setup {
		pw, err := secret.Get(url, user)
		if err == nil {
			return pw, nil
		}
		why = err
	}
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if why != nil && !errors.Is(why, secret.ErrNotFound) {
			fmt.Fprintf(env.Stderr, "rapport: %v\n", why)
		}
		fmt.Fprintf(env.Stderr, "password for %s at %s: ", user, url)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		return string(b), nil
	}
	if env.Stdin != nil && env.Stdin != os.Stdin {
		// Tests and pipes that give the password on stdin.
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if pw := strings.TrimRight(line, "\r\n"); pw != "" {
			return pw, nil
		}
		if err != nil && why == nil {
			why = err
		}
	}
	msg := "no password for " + user + " at " + url
	if why != nil {
		msg += " (" + why.Error() + ")"
	}
	return "", fmt.Errorf("%s: set %s, or run rapport sync on a terminal to type it", msg, EnvSyncPassword)
}

func syncStatus(ctx context.Context, env *Env, s *data.Store) error {
	st, err := engine.Status(ctx, s)
	if err != nil {
		return err
	}
	if !st.Configured {
		fmt.Fprintln(env.Stdout, "sync is not set up: rapport sync --setup URL USER")
		return nil
	}
	fmt.Fprintf(env.Stdout, "server:       %s (user %s)\n", st.URL, st.User)
	fmt.Fprintf(env.Stdout, "address book: %s\n", st.Book)
	if st.Calendar != "" {
		fmt.Fprintf(env.Stdout, "calendar:     %s\n", st.Calendar)
	}
	last := "never"
	if !st.LastSync.IsZero() {
		last = locale.Current().DateTime(st.LastSync) + " (" + ago(time.Since(st.LastSync)) + ")"
	}
	fmt.Fprintf(env.Stdout, "last synced:  %s\n", last)
	fmt.Fprintf(env.Stdout, "waiting:      %s\n", countOf(st.Waiting, "change"))
	if st.LastError != "" {
		fmt.Fprintf(env.Stdout, "last error:   %s\n", st.LastError)
	}
	fmt.Fprintf(env.Stdout, "conflicts:    %d\n", st.Conflicts)
	if st.Conflicts > 0 {
		return listConflicts(ctx, env, s)
	}
	return nil
}

func listConflicts(ctx context.Context, env *Env, s *data.Store) error {
	cs, err := engine.Conflicts(ctx, s)
	if err != nil {
		return err
	}
	for _, c := range cs {
		fmt.Fprintf(env.Stdout, "conflict %d: %s, %s: here %q, on the server %q\n", c.ID, c.Name, c.Field, c.Mine, c.Theirs)
	}
	if len(cs) > 0 {
		fmt.Fprintf(env.Stdout, "settle each with: rapport sync --resolve ID --keep mine|theirs (until then both values are kept)\n")
	}
	return nil
}

func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min ago"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " h ago"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + " days ago"
}
