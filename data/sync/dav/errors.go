package dav

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/emersion/go-webdav"
)

// Sentinels a caller tests with errors.Is. The errors themselves are
// *StatusError or *OfflineError and say in words what went wrong.
var (
	// ErrPrecondition: a conditional write found the resource changed (or,
	// on create, already there) since it was read: fetch, merge, retry.
	ErrPrecondition = errors.New("changed on the server since it was read")
	ErrUnauthorized = errors.New("user name or password wrong")
	ErrForbidden    = errors.New("the server refused access")
	ErrNotFound     = errors.New("not found on the server")
	ErrServerFull   = errors.New("server full")
	// ErrSyncToken: the server no longer accepts our sync token; the
	// caller needs a full listing (Sync does that itself).
	ErrSyncToken = errors.New("the server rejected the sync token")
	// ErrOffline: the server could not be reached or did not answer in time.
	ErrOffline = errors.New("offline")
	// ErrCertificate: the server's TLS certificate did not verify against
	// the system's certificates.
	ErrCertificate = errors.New("the server's certificate is not valid")
	// ErrInsecure: plain http to a machine other than this one.
	ErrInsecure = errors.New("refusing plain http")
)

// StatusError is an HTTP answer other than success.
type StatusError struct {
	Method string
	URL    string // without user info
	Code   int
	Body   string // the start of the answer, for the log
}

func (e *StatusError) Error() string {
	switch e.Code {
	case http.StatusUnauthorized:
		return fmt.Sprintf("user name or password wrong (the server at %s answered 401)", e.URL)
	case http.StatusForbidden:
		if e.syncToken() {
			return fmt.Sprintf("the server rejected the sync token for %s (403 valid-sync-token)", e.URL)
		}
		return fmt.Sprintf("the server refused %s %s (403 forbidden): the account may not have access", e.Method, e.URL)
	case http.StatusNotFound:
		return fmt.Sprintf("nothing at %s (404)", e.URL)
	case http.StatusPreconditionFailed:
		return fmt.Sprintf("%s %s: changed on the server since it was read (412)", e.Method, e.URL)
	case http.StatusInsufficientStorage:
		return fmt.Sprintf("server full: no room for %s %s (507)", e.Method, e.URL)
	}
	msg := fmt.Sprintf("%s %s: the server answered %d %s", e.Method, e.URL, e.Code, http.StatusText(e.Code))
	if b := strings.TrimSpace(e.Body); b != "" && len(b) < 200 && !strings.HasPrefix(b, "<") {
		msg += ": " + b
	}
	return msg
}

// syncToken reports the RFC 6578 precondition: a 403 (or 409, as some
// servers send) whose body names DAV:valid-sync-token.
func (e *StatusError) syncToken() bool {
	return (e.Code == http.StatusForbidden || e.Code == http.StatusConflict) &&
		strings.Contains(e.Body, "valid-sync-token")
}

func (e *StatusError) Is(target error) bool {
	switch target {
	case ErrPrecondition:
		return e.Code == http.StatusPreconditionFailed
	case ErrUnauthorized:
		return e.Code == http.StatusUnauthorized
	case ErrForbidden:
		return e.Code == http.StatusForbidden && !e.syncToken()
	case ErrNotFound:
		return e.Code == http.StatusNotFound
	case ErrServerFull:
		return e.Code == http.StatusInsufficientStorage
	case ErrSyncToken:
		return e.syncToken()
	}
	return false
}

// OfflineError is a request that got no answer: connection refused, no
// route, DNS failure, or no answer within the timeout.
type OfflineError struct {
	Method, URL string
	Err         error
	Timeout     bool
}

func (e *OfflineError) Error() string {
	if e.Timeout {
		return fmt.Sprintf("offline: %s did not answer in time (%s %s): %v", hostOf(e.URL), e.Method, e.URL, e.Err)
	}
	return fmt.Sprintf("offline: cannot reach %s (%s %s): %v", hostOf(e.URL), e.Method, e.URL, e.Err)
}

func (e *OfflineError) Unwrap() error        { return e.Err }
func (e *OfflineError) Is(target error) bool { return target == ErrOffline }

func hostOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexByte(u, '/'); i >= 0 {
		u = u[:i]
	}
	return u
}

// noCollection words a 404 on a collection.
func noCollection(noun, url string, err error) error {
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("no %s at %s: %w", noun, url, err)
	}
	return err
}

// goWebdavHTTPError is the type of the error go-webdav returns for a
// status inside a 207 answer (a PROPFIND on a missing collection, on some
// servers). It is in go-webdav's internal package; webdav.NewHTTPError
// gives us a value of it to compare with.
var goWebdavHTTPError = reflect.TypeOf(webdav.NewHTTPError(http.StatusNotFound, nil))

// fromMultiStatus turns such an error into a *StatusError, so a 404 in a
// 207 reads the same as a plain 404.
func fromMultiStatus(method, url string, err error) error {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if reflect.TypeOf(e) != goWebdavHTTPError {
			continue
		}
		v := reflect.ValueOf(e).Elem().FieldByName("Code")
		if v.Kind() != reflect.Int {
			return err
		}
		return &StatusError{Method: method, URL: url, Code: int(v.Int()), Body: err.Error()}
	}
	return err
}
