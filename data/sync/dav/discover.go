package dav

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/emersion/go-webdav/carddav"
)

// Account is what discovery found for the user.
type Account struct {
	// Context is the path the server's CardDAV lives under, after the
	// .well-known/carddav redirect if there was one.
	Context   string
	Principal string // the user's principal collection
	Home      string // addressbook-home-set
	Books     []carddav.AddressBook
	// CalendarHome is the calendar-home-set, found when a calendar is
	// asked for ("" before, or when the server has no CalDAV).
	CalendarHome string
	// Notes say what discovery did, for the log and "Test connection".
	Notes []string
}

// Discover finds the user's address books from the URL given to New, which
// may be the bare server (https://dav.example.com/): RFC 6764's
// .well-known/carddav, then current-user-principal (RFC 5397), then
// addressbook-home-set (RFC 6352), then the books in it.
func (c *Client) Discover(ctx context.Context) (*Account, error) {
	acct := &Account{}
	if c.base.Path == "" || c.base.Path == "/" {
		if err := c.wellKnown(ctx, acct); err != nil {
			return nil, err
		}
	} else {
		acct.Context = c.base.Path
	}
	principal, err := c.card.FindCurrentUserPrincipal(ctx)
	if err != nil && !stopsDiscovery(err) && acct.Context != "/" {
		// RFC 6764 §6: a context path that does not know the principal may
		// still be under a root that does.
		acct.Notes = append(acct.Notes, fmt.Sprintf("no current-user-principal at %s (%v): asked /", acct.Context, err))
		if err2 := c.setBase(c.base.ResolveReference(&url.URL{Path: "/"})); err2 == nil {
			principal, err = c.card.FindCurrentUserPrincipal(ctx)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("find the user's principal at %s: %w", c.base.Redacted(), err)
	}
	if principal == "" {
		return nil, fmt.Errorf("find the user's principal at %s: the server names none (is this a CardDAV server?)", c.base.Redacted())
	}
	acct.Principal = principal
	home, err := c.card.FindAddressBookHomeSet(ctx, principal)
	if err != nil {
		return nil, fmt.Errorf("find the address books of %s: %w", c.URL(principal), err)
	}
	if home == "" {
		return nil, fmt.Errorf("find the address books of %s: the server names no addressbook-home-set (does it offer CardDAV?)", c.URL(principal))
	}
	acct.Home = home
	if acct.Books, err = c.AddressBooks(ctx, home); err != nil {
		return nil, err
	}
	return acct, nil
}

func stopsDiscovery(err error) bool {
	return errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrOffline) || errors.Is(err, ErrInsecure) ||
		errors.Is(err, ErrCertificate)
}

// wellKnown asks /.well-known/carddav and follows its redirect by hand:
// Go's http.Client would turn a redirected PROPFIND into a GET.
func (c *Client) wellKnown(ctx context.Context, acct *Account) error {
	wk := c.base.ResolveReference(&url.URL{Path: "/.well-known/carddav"})
	req, err := http.NewRequestWithContext(ctx, "PROPFIND", wk.String(), strings.NewReader(principalPropfind))
	if err != nil {
		return err
	}
	req.Header.Set("Depth", "0")
	req.Header.Set("Content-Type", `application/xml; charset="utf-8"`)
	noFollow := *c.hc
	inner := *c.hc.c
	inner.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	noFollow.c = &inner
	resp, err := noFollow.Do(req)
	switch {
	case err == nil && resp.StatusCode/100 == 3:
		resp.Body.Close()
		loc, perr := wk.Parse(resp.Header.Get("Location"))
		if perr != nil || resp.Header.Get("Location") == "" {
			return fmt.Errorf("%s: redirect without a usable Location (%q)", wk, resp.Header.Get("Location"))
		}
		if err := checkScheme(loc); err != nil {
			return fmt.Errorf("%s redirects to %s: %w", wk, loc.Redacted(), err)
		}
		acct.Notes = append(acct.Notes, fmt.Sprintf("/.well-known/carddav: %d to %s", resp.StatusCode, loc.Redacted()))
		if err := c.setBase(loc); err != nil {
			return err
		}
		acct.Context = loc.Path
		return nil
	case err == nil:
		resp.Body.Close()
		acct.Notes = append(acct.Notes, fmt.Sprintf("/.well-known/carddav answered %d itself", resp.StatusCode))
		if err := c.setBase(wk); err != nil {
			return err
		}
		acct.Context = wk.Path
		return nil
	case stopsDiscovery(err):
		return fmt.Errorf("discover CardDAV at %s: %w", c.base.Redacted(), err)
	default:
		// No well-known (404, 405...): the URL itself is the context.
		acct.Notes = append(acct.Notes, fmt.Sprintf("no /.well-known/carddav (%v): used %s", err, c.base.Redacted()))
		acct.Context = c.base.Path
		return nil
	}
}

const principalPropfind = `<?xml version="1.0" encoding="utf-8"?>
<propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>`

// AddressBooks lists the address books in a home set.
func (c *Client) AddressBooks(ctx context.Context, home string) ([]carddav.AddressBook, error) {
	books, err := c.card.FindAddressBooks(ctx, home)
	if err != nil {
		return nil, fmt.Errorf("list the address books in %s: %w", c.URL(home), err)
	}
	return books, nil
}

// How says how EnsureAddressBook got its book.
type How string

const (
	Found          How = "found"
	ExtendedMKCOL  How = "created with extended MKCOL (RFC 5689)"
	MKCOLPropPatch How = "created with MKCOL, then PROPPATCH of its resource type"
)

// EnsureAddressBook returns the path of the book called name in the home
// set, creating it when missing: first with extended MKCOL, which sets the
// addressbook resource type in the same request; where the server refuses
// a MKCOL body (415, 501, ...), with a plain MKCOL and a PROPPATCH.
func (c *Client) EnsureAddressBook(ctx context.Context, acct *Account, name string) (string, How, error) {
	if p := findBook(acct.Books, name); p != "" {
		return p, Found, nil
	}
	p := path.Join(acct.Home, slug(name)) + "/"
	body := mkcolBody(name)
	err := c.send(ctx, "MKCOL", p, body)
	how := ExtendedMKCOL
	var se *StatusError
	if errors.As(err, &se) && (se.Code == http.StatusUnsupportedMediaType || se.Code == http.StatusNotImplemented ||
		se.Code == http.StatusBadRequest || se.Code == http.StatusUnprocessableEntity) {
		how = MKCOLPropPatch
		if err = c.send(ctx, "MKCOL", p, nil); err == nil {
			err = c.send(ctx, "PROPPATCH", p, proppatchBody(name))
		}
	}
	if err != nil {
		if errors.As(err, &se) && se.Code == http.StatusMethodNotAllowed {
			// Something is there already (another client made it meanwhile).
			books, lerr := c.AddressBooks(ctx, acct.Home)
			if lerr == nil {
				if found := findBook(books, name); found != "" {
					acct.Books = books
					return found, Found, nil
				}
			}
			return "", "", fmt.Errorf("create address book %s: something that is not an address book is already at that address: %w", c.URL(p), err)
		}
		return "", "", fmt.Errorf("create address book %q at %s: %w", name, c.URL(p), err)
	}
	books, err := c.AddressBooks(ctx, acct.Home)
	if err != nil {
		return "", "", err
	}
	acct.Books = books
	for _, b := range books {
		if samePath(b.Path, p) {
			return b.Path, how, nil
		}
	}
	return "", "", fmt.Errorf("create address book %q at %s: the server answered success but does not list it as an address book", name, c.URL(p))
}

func findBook(books []carddav.AddressBook, name string) string {
	for _, b := range books {
		if strings.EqualFold(b.Name, name) || strings.EqualFold(path.Base(b.Path), slug(name)) {
			return b.Path
		}
	}
	return ""
}

func samePath(a, b string) bool { return strings.TrimSuffix(a, "/") == strings.TrimSuffix(b, "/") }

// slug is the collection's path segment: lower-case letters, digits and
// dashes, so it needs no escaping on any server.
func slug(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		s = "addressbook"
	}
	return s
}

func mkcolBody(name string) []byte {
	return []byte(`<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop>` +
		`<D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>` +
		`<D:displayname>` + xmlText(name) + `</D:displayname></D:prop></D:set></D:mkcol>`)
}

func proppatchBody(name string) []byte {
	return []byte(`<?xml version="1.0" encoding="utf-8"?>
<D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop>` +
		`<D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>` +
		`<D:displayname>` + xmlText(name) + `</D:displayname></D:prop></D:set></D:propertyupdate>`)
}

func xmlText(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// send makes a request with an XML body (or none) and drops the answer.
func (c *Client) send(ctx context.Context, method, p string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, method, c.URL(p), bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", `application/xml; charset="utf-8"`)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}
