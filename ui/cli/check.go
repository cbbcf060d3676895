package cli

import (
	"context"
	"fmt"

	"github.com/rapportcrm/rapport/data"
)

func runCheck(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("check", env)
	db := dbFlag(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("check: takes no arguments (got %q)", rest[0])
	}
	// Not memory-mapped: a bad sector is what check must report, and
	// through a memory map it would end the process instead.
	s, err := openStore(ctx, env, *db, data.OpenOptions{MustExist: true})
	if err != nil {
		return err
	}
	defer s.Close()
	noteReadOnly(env, s)
	if err := s.IntegrityCheck(ctx); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: ok\n", s.Path())
	return nil
}
