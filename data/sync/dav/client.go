// Package dav is Rapport's client layer for CardDAV (and, later, CalDAV)
// servers, built around github.com/emersion/go-webdav without forking it.
//
// go-webdav does the WebDAV/CardDAV XML; this package adds what it lacks:
// an HTTP client that sends If-Match / If-None-Match on PUT and DELETE and
// turns 412 into ErrPrecondition, a timeout on every request, Basic auth,
// plain http only to loopback, errors in words, discovery from a plain
// server URL including the well-known redirect, address-book creation with
// extended MKCOL (RFC 5689), sync-collection with a fallback to a full
// listing, and a vCard normaliser that makes go-vcard's values round-trip.
package dav

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-webdav/caldav"
	"github.com/emersion/go-webdav/carddav"
)

// DefaultTimeout bounds every request (connect, send, answer and body).
const DefaultTimeout = 60 * time.Second

// Options configures a Client.
type Options struct {
	User, Password string
	// Timeout per request; DefaultTimeout when zero.
	Timeout time.Duration
	// Transport for tests of the TLS path; nil means a transport with the
	// system's certificates, never one that skips verification.
	Transport http.RoundTripper
}

// Client talks to one server as one user.
type Client struct {
	base *url.URL
	hc   *httpClient
	card *carddav.Client
	cal  *caldav.Client
}

// New checks the server URL and makes a client. Nothing is sent yet.
func New(serverURL string, opt Options) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(serverURL))
	if err != nil {
		return nil, fmt.Errorf("server address %q: %w", serverURL, err)
	}
	if u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("server address %q: give the full address, e.g. https://dav.example.com/", serverURL)
	}
	if err := checkScheme(u); err != nil {
		return nil, err
	}
	if u.User != nil {
		return nil, fmt.Errorf("server address %q: put the user name and password in their own fields, not in the address", u.Redacted())
	}
	timeout := opt.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	rt := opt.Transport
	if rt == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.ResponseHeaderTimeout = timeout
		t.MaxIdleConnsPerHost = 8 // a few parallel requests reuse connections
		rt = t
	}
	hc := &httpClient{user: opt.User, password: opt.Password}
	hc.c = &http.Client{Transport: rt, Timeout: timeout, CheckRedirect: checkRedirect}
	c := &Client{hc: hc}
	if err := c.setBase(u); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Client) setBase(u *url.URL) error {
	card, err := carddav.NewClient(c.hc, u.String())
	if err != nil {
		return fmt.Errorf("server address %s: %w", u, err)
	}
	cal, err := caldav.NewClient(c.hc, u.String())
	if err != nil {
		return fmt.Errorf("server address %s: %w", u, err)
	}
	c.base, c.card, c.cal = u, card, cal
	return nil
}

// URL is the server URL with path p, for messages and tests.
func (c *Client) URL(p string) string {
	return c.base.ResolveReference(&url.URL{Path: p}).String()
}

// checkScheme allows https everywhere and http only to this machine:
// over a network, plain http would show the password and every customer
// to anyone on the way.
func checkScheme(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%w to %s: without https the password and every customer travel readable to anyone on the network; use https:// (plain http is allowed only to this computer: localhost, 127.0.0.1, ::1)", ErrInsecure, u.Host)
	}
	return fmt.Errorf("server address %s: the address must start with https://", u.Redacted())
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return fmt.Errorf("%s: more than 10 redirects", via[0].URL.Redacted())
	}
	return checkScheme(req.URL)
}

// httpClient is the webdav.HTTPClient every request goes through, both
// go-webdav's and ours.
type httpClient struct {
	c              *http.Client
	user, password string
}

type condKey struct{}

// Condition makes a PUT or DELETE conditional.
type Condition struct {
	// IfNoneMatch sends If-None-Match: * (create only if absent).
	IfNoneMatch bool
	// IfMatch sends If-Match with this ETag (change only that version).
	IfMatch string
}

// withCondition puts cond on ctx; httpClient adds the headers to the PUT
// or DELETE sent with it, so go-webdav's own calls can carry them too.
func withCondition(ctx context.Context, cond Condition) context.Context {
	return context.WithValue(ctx, condKey{}, cond)
}

// quoteETag gives the header form of an ETag as go-webdav returns it
// (unquoted); weak ETags keep their W/ prefix.
func quoteETag(etag string) string {
	if strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, `W/"`) {
		return etag
	}
	return `"` + etag + `"`
}

func (h *httpClient) Do(req *http.Request) (*http.Response, error) {
	if err := checkScheme(req.URL); err != nil {
		return nil, err
	}
	req.SetBasicAuth(h.user, h.password)
	if cond, ok := req.Context().Value(condKey{}).(Condition); ok &&
		(req.Method == http.MethodPut || req.Method == http.MethodDelete) {
		if cond.IfNoneMatch {
			req.Header.Set("If-None-Match", "*")
		}
		if cond.IfMatch != "" {
			req.Header.Set("If-Match", quoteETag(cond.IfMatch))
		}
	}
	where := req.URL.Redacted()
	resp, err := h.c.Do(req)
	if err != nil {
		if ctxErr := req.Context().Err(); ctxErr != nil && !errors.Is(ctxErr, context.DeadlineExceeded) {
			return nil, fmt.Errorf("%s %s: %w", req.Method, where, ctxErr) // cancelled by the user
		}
		if errors.Is(err, ErrInsecure) {
			return nil, err
		}
		if badCertificate(err) {
			return nil, fmt.Errorf("%w for %s (%s %s): %v; the connection is not safe, so nothing was sent: check the address, or ask whoever runs the server", ErrCertificate, req.URL.Host, req.Method, where, unwrapURLError(err))
		}
		var ne net.Error
		timeout := errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded)
		return nil, &OfflineError{Method: req.Method, URL: where, Err: unwrapURLError(err), Timeout: timeout}
	}
	if resp.StatusCode >= 400 {
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<10))
		return nil, &StatusError{Method: req.Method, URL: where, Code: resp.StatusCode, Body: string(body)}
	}
	return resp, nil
}

// badCertificate: the TLS handshake failed on the server's certificate
// (unknown authority, wrong name, expired), which is never skipped.
func badCertificate(err error) bool {
	var cve *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &cve) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci)
}

// unwrapURLError drops *url.Error's repetition of method and URL, which
// OfflineError already says.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
