// Package secret keeps the sync password in the operating system's keyring
// (Secret Service on Linux, Keychain on macOS, Credential Manager on
// Windows, through github.com/zalando/go-keyring), never in the database,
// a log or a message.
package secret

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/zalando/go-keyring"
)

// Service is the name the keyring shows for Rapport's entries.
const Service = "Rapport sync"

var (
	// ErrNoKeyring means no keyring answered: the password cannot be
	// kept, so it is asked for at each sync (or read from
	// RAPPORT_SYNC_PASSWORD).
	ErrNoKeyring = errors.New("no keyring is running on this computer (on Linux: a Secret Service such as GNOME Keyring or KWallet)")
	// ErrNotFound means the keyring holds no password for the account.
	ErrNotFound = errors.New("no password saved in the keyring")
)

// EnvKeyring, set to "none", makes Rapport behave as if no keyring ran
// (tests, and machines where the keyring prompts get in the way).
const EnvKeyring = "RAPPORT_KEYRING"

// timeout bounds a keyring call: a Secret Service that is starting, or a
// D-Bus without one, can take long to answer or never answer.
const timeout = 5 * time.Second

func account(url, user string) string { return user + " at " + url }

// Get returns the saved password of user at url.
func Get(url, user string) (string, error) {
	var pw string
	err := call(func() error {
		var err error
		pw, err = keyring.Get(Service, account(url, user))
		return err
	})
	return pw, err
}

// Set saves the password of user at url.
func Set(url, user, password string) error {
	return call(func() error { return keyring.Set(Service, account(url, user), password) })
}

// Delete forgets the password of user at url; none saved is no error.
func Delete(url, user string) error {
	err := call(func() error { return keyring.Delete(Service, account(url, user)) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

func call(fn func() error) error {
	if os.Getenv(EnvKeyring) == "none" {
		return ErrNoKeyring
	}
	done := make(chan error, 1)
	go func() { done <- fn() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(timeout):
		return fmt.Errorf("%w: the keyring did not answer within %s", ErrNoKeyring, timeout)
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return ErrNotFound
	}
	// Anything else is a keyring that is missing or refused: go-keyring's
	// errors name D-Bus internals, which mean nothing to a salesperson.
	return fmt.Errorf("%w (%v)", ErrNoKeyring, err)
}
