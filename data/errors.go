package data

import "fmt"

// validationError carries a message meant for the user and the sentinel it
// wraps, so errors.Is(err, ErrInvalid) works and Error() reads cleanly.
type validationError struct {
	kind error
	msg  string
}

func (e *validationError) Error() string { return e.msg }
func (e *validationError) Unwrap() error { return e.kind }

func errorf(kind error, format string, args ...any) error {
	return &validationError{kind: kind, msg: fmt.Sprintf(format, args...)}
}
