package dav

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data/sync/davtest"
)

func TestPlainHTTPOnlyToLoopback(t *testing.T) {
	for _, u := range []string{"http://dav.example.com/", "http://192.168.1.10:5232/", "HTTP://10.0.0.1/"} {
		_, err := New(u, Options{})
		if !errors.Is(err, ErrInsecure) || !strings.Contains(err.Error(), "https") {
			t.Errorf("%s: %v, want ErrInsecure naming https", u, err)
		}
	}
	for _, u := range []string{"http://localhost:5232/", "http://127.0.0.1/", "http://[::1]:8080/", "https://dav.example.com/"} {
		if _, err := New(u, Options{}); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	for _, u := range []string{"dav.example.com", "ftp://x/", "https://me:pw@dav.example.com/"} {
		_, err := New(u, Options{})
		if err == nil {
			t.Errorf("%s accepted", u)
		} else if strings.Contains(err.Error(), "pw") {
			t.Errorf("%s: message shows the password: %v", u, err)
		}
	}
}

// TestHangingServerTimesOut: a server that accepts and never answers gives
// ErrOffline, not a frozen caller.
func TestHangingServerTimesOut(t *testing.T) {
	c, err := New(davtest.Hanging(t), Options{User: "u", Password: "p", Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Discover(context.Background())
	var oe *OfflineError
	if !errors.Is(err, ErrOffline) || !errors.As(err, &oe) || !oe.Timeout {
		t.Fatalf("hanging server: %v, want an OfflineError with Timeout", err)
	}
	if !strings.Contains(err.Error(), "offline: ") || !strings.Contains(err.Error(), "did not answer") {
		t.Errorf("message %q", err)
	}
	t.Log(err)
}

func TestRefusedIsOffline(t *testing.T) {
	c, err := New(davtest.Refused(t), Options{User: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Discover(context.Background())
	if !errors.Is(err, ErrOffline) || !strings.Contains(err.Error(), "offline: cannot reach 127.0.0.1") {
		t.Fatalf("refused: %v", err)
	}
	t.Log(err)
}

// TestStatusWords: each status a server may send reads as words and
// matches its sentinel; the ones our two servers cannot be made to send
// (507) are covered here.
func TestStatusWords(t *testing.T) {
	cases := []struct {
		code     int
		body     string
		sentinel error
		words    string
	}{
		{http.StatusUnauthorized, "", ErrUnauthorized, "user name or password wrong"},
		{http.StatusForbidden, "", ErrForbidden, "refused"},
		{http.StatusForbidden, `<error xmlns="DAV:"><valid-sync-token/></error>`, ErrSyncToken, "rejected the sync token"},
		{http.StatusNotFound, "", ErrNotFound, "nothing at"},
		{http.StatusPreconditionFailed, "", ErrPrecondition, "changed on the server"},
		{http.StatusInsufficientStorage, "", ErrServerFull, "server full"},
		{http.StatusInternalServerError, "disk on fire", nil, "500 Internal Server Error: disk on fire"},
	}
	for _, c := range cases {
		err := error(&StatusError{Method: "PUT", URL: "https://dav.example.com/rep/rapport/a.vcf", Code: c.code, Body: c.body})
		if c.sentinel != nil && !errors.Is(err, c.sentinel) {
			t.Errorf("%d: not %v", c.code, c.sentinel)
		}
		if c.code == http.StatusForbidden && c.body != "" && errors.Is(err, ErrForbidden) {
			t.Errorf("a rejected sync token also reads as forbidden")
		}
		if !strings.Contains(err.Error(), c.words) {
			t.Errorf("%d: %q lacks %q", c.code, err, c.words)
		}
	}
	nb := noCollection("address book", "https://x/rep/b/", &StatusError{Method: "PROPFIND", URL: "https://x/rep/b/", Code: 404})
	if !strings.HasPrefix(nb.Error(), "no address book at https://x/rep/b/") || !errors.Is(nb, ErrNotFound) {
		t.Errorf("404 on a book: %v", nb)
	}
}

// TestBadCertificateRefused: a TLS server whose certificate the system does
// not trust (httptest's own) is refused with a message that says so; the
// password is not sent and nothing is skipped.
func TestBadCertificateRefused(t *testing.T) {
	var gotRequest bool
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { gotRequest = true }))
	defer srv.Close()
	c, err := New(srv.URL, Options{User: "u", Password: "secret-pw"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Discover(context.Background())
	if !errors.Is(err, ErrCertificate) || errors.Is(err, ErrOffline) {
		t.Fatalf("untrusted certificate: %v, want ErrCertificate", err)
	}
	if strings.Contains(err.Error(), "secret-pw") || gotRequest {
		t.Errorf("password in message or request sent: %v", err)
	}
	t.Log(err)
}

// TestDiscoverFromPrincipalURL: a user may paste the principal's or the
// book's address rather than the bare server.
func TestDiscoverFromPrincipalURL(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			c, err := New(srv.URL+"/"+davtest.User+"/", Options{User: davtest.User, Password: davtest.Password})
			if err != nil {
				t.Fatal(err)
			}
			acct, err := c.Discover(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if acct.Principal != "/"+davtest.User+"/" || acct.Home == "" {
				t.Errorf("from the principal URL: principal %q home %q", acct.Principal, acct.Home)
			}
		})
	}
}

// TestCancelIsNotOffline: the user's Cancel reads as a cancel, not as
// "offline".
func TestCancelIsNotOffline(t *testing.T) {
	c, err := New(davtest.Hanging(t), Options{User: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		// Cancel once the request is under way; Discover returns either way.
		cancel()
	}()
	_, err = c.Discover(ctx)
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrOffline) {
		t.Fatalf("cancelled: %v, want context.Canceled", err)
	}
}
