package data

import "context"

// SetSynchronous changes the writer's PRAGMA synchronous, for the
// durability benchmark only (the writer is one connection, so it sticks).
func SetSynchronous(s *Store, mode string) error {
	_, err := s.write.ExecContext(context.Background(), "PRAGMA synchronous = "+mode)
	return err
}
