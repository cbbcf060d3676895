package ui

import (
	"errors"
	"fmt"
	"log"

	"github.com/rapportcrm/rapport/data"
)

// showError tells the user what went wrong. what says what Rapport was doing
// ("Could not save Jane Doe"). A validation problem (data.ErrInvalid) is the
// user's input to fix: it is shown as information, not logged. Anything else
// is logged with its detail to stderr and shown as an error.
// Call it on the UI goroutine.
func (u *UI) showError(what string, err error) {
	if err == nil {
		return
	}
	if errors.Is(err, data.ErrInvalid) {
		showInformation("Please check", capitalize(err.Error()), u.win)
		return
	}
	if errors.Is(err, data.ErrDamaged) || errors.Is(err, data.ErrMoved) {
		// The read-only banner and its one dialog say it, with the way out:
		// not one more error for each list that failed to load.
		log.Printf("rapport: %s: %v", what, err)
		u.guard.onProblem(err)
		return
	}
	log.Printf("rapport: %s: %v", what, err)
	if errors.Is(err, data.ErrDamaged) && u.guard != nil {
		// One dialog for a damaged file, the one that offers the backup,
		// not one per screen that failed to load.
		u.guard.onProblem(err)
		return
	}
	msg := what + "."
	if errors.Is(err, data.ErrNotFound) {
		msg += "\nIt no longer exists: it may have been deleted."
		u.customers.reload(false)
	} else {
		msg += "\n\n" + err.Error()
	}
	showErrorDialog(fmt.Errorf("%s", msg), u.win)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	if c := s[0]; c >= 'a' && c <= 'z' {
		return string(c-'a'+'A') + s[1:]
	}
	return s
}
