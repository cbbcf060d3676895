// Package cli is Rapport's command line: the same work as the window,
// headless, for scripting. It prints results on stdout, one-line errors on
// stderr, and returns the process exit code.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/data"
)

// Exit codes.
const (
	ExitOK    = 0
	ExitError = 1 // the work failed (bad input, unreadable database, ...)
	ExitUsage = 2 // the command line itself is wrong
)

// Env is what a command needs from the outside world.
type Env struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	// OpenWindow runs the GUI on the database at path; nil in tests.
	OpenWindow func(path string) error
	// Sample is the JSON of the sample customers (assets.SampleJSON).
	Sample []byte
	// Getenv reads the environment (os.Getenv when nil); GOOS is the
	// system (runtime.GOOS when empty). Tests set them.
	Getenv func(string) string
	GOOS   string
}

// noDisplay says why the window cannot open on this system, or "": on Linux
// and the BSDs, GLFW needs an X11 or Wayland display, and without one Fyne
// dies in a long Go panic instead of saying so.
func (env *Env) noDisplay() string {
	getenv, goos := env.Getenv, env.GOOS
	if getenv == nil {
		getenv = os.Getenv
	}
	if goos == "" {
		goos = runtime.GOOS
	}
	switch goos {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
	default:
		return ""
	}
	if getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != "" {
		return ""
	}
	return "no display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window cannot open; " +
		"the subcommands work without one (rapport help lists them)"
}

type command struct {
	name, args, help string
	run              func(ctx context.Context, env *Env, args []string) error
}

func commands() []command {
	return []command{
		{"search", "[--db PATH] [--limit N] QUERY", "matching customers, one per line: id, name, company", runSearch},
		{"log", "[--db PATH] --customer ID --kind visit|call|email|meeting|other [--at TIME] [--minutes N] [--temp 1-5] [--heard TEXT [--confirmed]] [--planned] TEXT", "log an interaction (with --planned and a future --at: plan a visit)", runLog},
		{"sample", "[--db PATH]", "load the sample customers", runSample},
		{"brief", "[--db PATH] [--html FILE] [--pdf FILE] NAME_OR_ID", "the briefing before a visit, as Markdown (confidential items left out)", runBrief},
		{"today", "[--db PATH] [--limit N]", "the Today view: visits, follow-ups, whom to contact, birthdays, low temperatures", runToday},
		{"import", "[--db PATH] [--dry-run] FILE...", "import or merge vCard files; summary on stdout, exit 1 if any card failed or was only partly read", runImport},
		{"undo-import", "[--db PATH]", "take back the last import", runUndoImport},
		{"export", "[--db PATH] [-o FILE] [--vcard 3.0|4.0] [--no-photos] [--confidential] [--for-apple] [QUERY]", "customers as vCards, to FILE or stdout", runExport},
		{"check", "[--db PATH]", "check the database file for damage (every page and index); exit 1 if damaged", runCheck},
		{"backup", "[--db PATH] [FILE]", "a consistent copy of the database, to FILE or into the backups folder beside it; prints its path", runBackup},
		{"backups", "[--db PATH]", "the backups beside the database, newest first: date, reason, customers, size, path", runBackups},
		{"sync", "[--db PATH] [--setup URL USER [--book NAME]] [--status] [--resolve ID --keep mine|theirs]", "sync customers with a CardDAV server (password: keyring, RAPPORT_SYNC_PASSWORD or a prompt); exit 1 on a conflict or error", runSync},
		{"restore", "[--db PATH] FILE", "put a backup in place of the database, after checking it; the current database is kept in the backups folder", runRestore},
	}
}

// usageError is a mistake on the command line: exit code 2. usage, when
// set, is the usage line of the command it was made with.
type usageError struct{ msg, usage string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{msg: fmt.Sprintf(format, args...)} }

// usageOf is the usage line of command name ("rapport search [--db PATH] …").
func usageOf(name string) string {
	for _, c := range commands() {
		if c.name == name {
			return "rapport " + c.name + " " + c.args
		}
	}
	return "rapport [--db PATH]"
}

// Main runs the command line and returns the exit code.
func Main(ctx context.Context, args []string, env *Env) int {
	err := run(ctx, args, env)
	var ue usageError
	var silent errSilent
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &silent):
		return ExitError
	case errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.As(err, &ue) && ue.usage != "":
		fmt.Fprintf(env.Stderr, "rapport: %s\nusage: %s\n", oneLine(err), ue.usage)
		return ExitUsage
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "rapport: %s\n(run 'rapport help' for usage)\n", oneLine(err))
		return ExitUsage
	default:
		fmt.Fprintf(env.Stderr, "rapport: %s\n", oneLine(err))
		return ExitError
	}
}

func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", " ")
}

func run(ctx context.Context, args []string, env *Env) error {
	global, args, err := globalFlags(args)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		fs := newFlags("rapport", env)
		db := dbFlag(fs)
		if _, err := parse(fs, global); err != nil {
			return err
		}
		path, err := dbPath(*db)
		if err != nil {
			return err
		}
		if env.OpenWindow == nil {
			return errors.New("no window available")
		}
		if why := env.noDisplay(); why != "" {
			return errors.New(why)
		}
		return env.OpenWindow(path)
	}
	name, rest := args[0], args[1:]
	if name == "help" || name == "--help" || name == "-h" {
		printUsage(env.Stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == name {
			// Not for the window, which Ctrl+C in its terminal still closes.
			ctx, stop := withSignals(ctx)
			defer stop()
			// Global flags typed before the command are the command's own.
			return c.run(ctx, env, append(global, rest...))
		}
	}
	return usagef("unknown command %q", name)
}

// globalFlags splits off the flags typed before the subcommand, as in
// "rapport --db x.db search klaus": --db PATH (or --db=PATH) and help.
// Anything else before the subcommand is refused, naming it.
func globalFlags(args []string) (global, rest []string, err error) {
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-" {
		a := args[0]
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case a == "--":
			return global, args[1:], nil
		case name == "h" || name == "help":
			return global, append([]string{"help"}, args[1:]...), nil
		case name == "db" && hasValue:
			global, args = append(global, a), args[1:]
		case name == "db" && len(args) > 1:
			global, args = append(global, a, args[1]), args[2:]
		case name == "db":
			return nil, nil, usageError{msg: "flag " + a + " needs a value: the database file", usage: usageOf("")}
		default:
			return nil, nil, usageError{msg: "unknown flag " + a, usage: usageOf("")}
		}
	}
	return global, args, nil
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Rapport keeps your customers as people: who they are, their family, every visit and call.")
	fmt.Fprintln(w, "\nUsage:")
	fmt.Fprintln(w, "  rapport [--db PATH]   open the window")
	for _, c := range commands() {
		fmt.Fprintf(w, "  rapport %s %s\n      %s\n", c.name, c.args, c.help)
	}
	fmt.Fprintf(w, "\nThe database is --db PATH, else $%s, else %s.\n", data.EnvDB, defaultPathForHelp())
}

func defaultPathForHelp() string {
	if p, err := data.DefaultPath(); err == nil {
		return p
	}
	return "rapport/rapport.db in your config folder"
}

// newFlags makes the flag set of command name. Go's own messages and its
// list of every flag are not printed: parse says in one line what is wrong,
// and --help prints the command's usage and flags.
func newFlags(name string, env *Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(env.Stdout, "usage: %s\n", usageOf(name))
		fs.SetOutput(env.Stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "database file (default $"+data.EnvDB+" or the config folder)")
}

// parse accepts flags before and after the positional arguments, as people
// type them ("rapport search maria --db x.db").
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	// Go calls Usage on every mistake too; only --help is to print it.
	help := fs.Usage
	fs.Usage = func() {}
	defer func() { fs.Usage = help }()
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				help()
				return nil, err
			}
			return nil, usageError{msg: fs.Name() + ": " + flagProblem(err, args), usage: usageOf(fs.Name())}
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// flagProblem rewords Go's flag error in the user's terms, naming the flag
// as they typed it ("--limt", not "-limt").
func flagProblem(err error, args []string) string {
	msg := err.Error()
	name, ok := strings.CutPrefix(msg, "flag provided but not defined: -")
	if !ok {
		return msg
	}
	for _, a := range args {
		if n, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); n == name && strings.HasPrefix(a, "-") {
			return "unknown flag " + strings.SplitN(a, "=", 2)[0]
		}
	}
	return "unknown flag -" + name
}

func dbPath(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	return data.DefaultPath()
}

// openReading opens the database for a command that only reads: a path
// where there is no database is a mistake to report (a mistyped --db), not a
// new empty database to create. It reads through a memory map: the process
// lasts a moment, and copying pages costs more than the reading. On a
// database that cannot be written (a backup on a stick) it reads, and says
// so on stderr.
func openReading(ctx context.Context, env *Env, flagValue string) (*data.Store, error) {
	s, err := openStore(ctx, env, flagValue, data.OpenOptions{MustExist: true, MemoryMapped: true})
	if err == nil {
		noteReadOnly(env, s)
	}
	return s, err
}

// noteReadOnly says on stderr that a database is read only, where it is.
func noteReadOnly(env *Env, s *data.Store) {
	if why := s.ReadOnly(); why != "" {
		fmt.Fprintf(env.Stderr, "rapport: %s is read-only (%s): reading only\n", s.Path(), why)
	}
}

// openWriting opens (creating if needed) the database for a command that
// writes. A write that meets another Rapport writing says it is waiting.
func openWriting(ctx context.Context, env *Env, flagValue string) (*data.Store, error) {
	s, err := openStore(ctx, env, flagValue, data.OpenOptions{})
	if err != nil {
		return nil, err
	}
	if why := s.ReadOnly(); why != "" {
		s.Close()
		return nil, fmt.Errorf("%s: %w: %s", s.Path(), data.ErrReadOnly, why)
	}
	return s, nil
}

func openStore(ctx context.Context, env *Env, flagValue string, opt data.OpenOptions) (*data.Store, error) {
	path, err := dbPath(flagValue)
	if err != nil {
		return nil, err
	}
	s, err := data.OpenWith(ctx, path, opt)
	if err != nil {
		return nil, err
	}
	s.OnWait = func(limit time.Duration) {
		fmt.Fprintf(env.Stderr, "rapport: waiting for another Rapport to finish writing %s (giving up after %s)…\n", path, limit.Round(time.Second))
	}
	return s, nil
}
