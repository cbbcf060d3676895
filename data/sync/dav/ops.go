package dav

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/emersion/go-vcard"
	"github.com/emersion/go-webdav/carddav"
)

// Object is one card on the server.
type Object struct {
	Href string // absolute path
	ETag string // unquoted, as go-webdav gives it
	Card vcard.Card
}

// Entry is a member of a collection without its data.
type Entry struct {
	Href, ETag string
}

const bookNoun = "address book"

// Create PUTs a new card at href with If-None-Match: *, so it never
// replaces a card someone else made there: that is ErrPrecondition.
func (c *Client) Create(ctx context.Context, href string, card vcard.Card) (etag string, err error) {
	return c.put(ctx, href, card, Condition{IfNoneMatch: true})
}

// Update PUTs card over the version with etag (If-Match): if another
// client changed it meanwhile, the answer is ErrPrecondition.
func (c *Client) Update(ctx context.Context, href, etag string, card vcard.Card) (string, error) {
	if etag == "" {
		return "", fmt.Errorf("update %s: no ETag: an unconditional overwrite could lose another client's change", c.URL(href))
	}
	return c.put(ctx, href, card, Condition{IfMatch: etag})
}

func (c *Client) put(ctx context.Context, href string, card vcard.Card, cond Condition) (string, error) {
	body, err := Encode(card)
	if err != nil {
		return "", fmt.Errorf("put %s: %w", c.URL(href), err)
	}
	etag, err := c.putBytes(withCondition(ctx, cond), href, vcard.MIMEType+"; charset=utf-8", body)
	if err != nil {
		return "", fmt.Errorf("put %s: %w", c.URL(href), err)
	}
	return etag, nil
}

// putBytes PUTs a resource of any type (a card now, an event in part 2)
// and returns its new ETag, asking for it when the answer has none.
func (c *Client) putBytes(ctx context.Context, href, contentType string, body []byte) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, c.URL(href), bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := c.hc.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if et := resp.Header.Get("ETag"); et != "" && !strings.HasPrefix(et, "W/") {
		if u, err := strconv.Unquote(et); err == nil {
			return u, nil
		}
		return et, nil
	}
	// RFC 4918 lets a server change what it stores and then send no ETag.
	fi, err := c.card.Stat(ctx, href)
	if err != nil {
		return "", fmt.Errorf("read the new ETag: %w", err)
	}
	return fi.ETag, nil
}

// Delete removes the card at href if it is still the version with etag.
func (c *Client) Delete(ctx context.Context, href, etag string) error {
	if etag == "" {
		return fmt.Errorf("delete %s: no ETag: an unconditional delete could lose another client's change", c.URL(href))
	}
	// go-webdav's DELETE, made conditional by httpClient.
	if err := c.card.RemoveAll(withCondition(ctx, Condition{IfMatch: etag}), href); err != nil {
		return fmt.Errorf("delete %s: %w", c.URL(href), err)
	}
	return nil
}

// Get fetches one card.
func (c *Client) Get(ctx context.Context, href string) (*Object, error) {
	ao, err := c.card.GetAddressObject(ctx, href)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", c.URL(href), err)
	}
	Normalize(ao.Card)
	return &Object{Href: ao.Path, ETag: ao.ETag, Card: ao.Card}, nil
}

// MultiGet fetches the cards at hrefs in book in one REPORT
// (addressbook-multiget). Hrefs the server no longer has are missing from
// the result.
func (c *Client) MultiGet(ctx context.Context, book string, hrefs []string) ([]Object, error) {
	if len(hrefs) == 0 {
		return nil, nil
	}
	aos, err := c.card.MultiGetAddressBook(ctx, book, &carddav.AddressBookMultiGet{
		Paths:       hrefs,
		DataRequest: carddav.AddressDataRequest{AllProp: true},
	})
	if err != nil {
		err = fromMultiStatus("REPORT", c.URL(book), err)
		return nil, noCollection(bookNoun, c.URL(book), fmt.Errorf("fetch %d cards from %s: %w", len(hrefs), c.URL(book), err))
	}
	out := make([]Object, len(aos))
	for i, ao := range aos {
		Normalize(ao.Card)
		out[i] = Object{Href: ao.Path, ETag: ao.ETag, Card: ao.Card}
	}
	return out, nil
}

// QueryAddressBook fetches every card of a book in one REPORT
// (addressbook-query without a filter): on a first sync one answer
// instead of a multiget per hundred cards (Xandikos 0.2.8 looks each href
// of a multiget up by a scan of the book: 22-77 s per hundred at 10,000).
// go-webdav's own query fails on Xandikos, which lists the book itself
// in the answer without address-data.
func (c *Client) QueryAddressBook(ctx context.Context, book string) ([]Object, error) {
	body := `<?xml version="1.0" encoding="utf-8"?>
<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><C:address-data/></D:prop></C:addressbook-query>`
	items, err := c.dataReport(ctx, book, body, "urn:ietf:params:xml:ns:carddav", "address-data")
	if err != nil {
		return nil, noCollection(bookNoun, c.URL(book), fmt.Errorf("fetch the address book %s: %w", c.URL(book), err))
	}
	out := make([]Object, 0, len(items))
	for _, it := range items {
		card, err := vcard.NewDecoder(strings.NewReader(it.data)).Decode()
		if err != nil {
			return nil, fmt.Errorf("fetch the address book %s: %s: %w", c.URL(book), c.URL(it.href), err)
		}
		Normalize(card)
		out = append(out, Object{Href: it.href, ETag: it.etag, Card: card})
	}
	return out, nil
}

// List gives href and ETag of every member of a collection (PROPFIND
// depth 1); it knows nothing of the members' type.
func (c *Client) List(ctx context.Context, collection string) ([]Entry, error) {
	return c.list(ctx, collection, bookNoun)
}

func (c *Client) list(ctx context.Context, collection, noun string) ([]Entry, error) {
	fis, err := c.card.ReadDir(ctx, collection, false)
	if err != nil {
		err = fromMultiStatus("PROPFIND", c.URL(collection), err)
		return nil, noCollection(noun, c.URL(collection), fmt.Errorf("list %s: %w", c.URL(collection), err))
	}
	out := make([]Entry, 0, len(fis))
	for _, fi := range fis {
		if fi.IsDir || samePath(fi.Path, collection) {
			continue
		}
		out = append(out, Entry{Href: fi.Path, ETag: fi.ETag})
	}
	return out, nil
}

// SyncResult is what changed in a collection since a token.
type SyncResult struct {
	Token   string
	Changed []Entry  // new or changed members
	Deleted []string // hrefs
	// Full means Changed is the whole collection (first sync, rejected
	// token, or a server without sync-collection): whatever the caller
	// knows that is not in it is gone from the server.
	Full bool
	// Why says why the listing is full, for the log.
	Why string
}

// Sync asks what changed since token with sync-collection (RFC 6578); an
// empty token gives the full listing. A token the server rejects (403
// valid-sync-token) gives a full listing, as does a server that does not
// offer sync-collection (then Token is empty and the caller compares
// ETags).
func (c *Client) Sync(ctx context.Context, book, token string) (*SyncResult, error) {
	return c.sync(ctx, book, token, bookNoun)
}

func (c *Client) sync(ctx context.Context, book, token, noun string) (*SyncResult, error) {
	res, err := c.syncCollection(ctx, book, token)
	if err == nil {
		res.Full = token == ""
		if res.Full {
			res.Why = "first sync"
		}
		return res, nil
	}
	why := ""
	switch {
	case token != "" && tokenRefused(err):
		why = "the server rejected the sync token"
		if !errors.Is(err, ErrSyncToken) {
			why = fmt.Sprintf("the server failed on the sync token (%v)", statusCode(err))
		}
		res, err = c.syncCollection(ctx, book, "")
		if err == nil {
			res.Full, res.Why = true, why
			return res, nil
		}
	case unsupportedReport(err):
		why = "the server does not offer sync-collection"
	}
	if why == "" {
		return nil, noCollection(noun, c.URL(book), fmt.Errorf("sync %s: %w", c.URL(book), err))
	}
	entries, lerr := c.list(ctx, book, noun)
	if lerr != nil {
		return nil, lerr
	}
	return &SyncResult{Changed: entries, Full: true, Why: why}, nil
}

func (c *Client) syncCollection(ctx context.Context, book, token string) (*SyncResult, error) {
	resp, err := c.card.SyncCollection(ctx, book, &carddav.SyncQuery{SyncToken: token})
	if err != nil {
		return nil, fromMultiStatus("REPORT", c.URL(book), err)
	}
	res := &SyncResult{Token: resp.SyncToken, Deleted: resp.Deleted}
	for _, o := range resp.Updated {
		if samePath(o.Path, book) {
			continue
		}
		res.Changed = append(res.Changed, Entry{Href: o.Path, ETag: o.ETag})
	}
	return res, nil
}

// tokenRefused: RFC 6578 says 403 valid-sync-token; some servers fail in
// other ways on a token they do not know (Xandikos 0.2.8 answers 500). A
// full listing loses nothing, so any such refusal gets one.
func tokenRefused(err error) bool {
	switch statusCode(err) {
	case http.StatusBadRequest, http.StatusForbidden, http.StatusConflict,
		http.StatusPreconditionFailed, http.StatusUnprocessableEntity, http.StatusInternalServerError:
		return true
	}
	return false
}

func statusCode(err error) int {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}

// unsupportedReport: a server without RFC 6578 answers the REPORT with
// 501, 405, 400, or 403 with DAV:supported-report.
func unsupportedReport(err error) bool {
	var se *StatusError
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code {
	case http.StatusNotImplemented, http.StatusMethodNotAllowed, http.StatusBadRequest:
		return true
	case http.StatusForbidden:
		return strings.Contains(se.Body, "supported-report")
	}
	return false
}

// CreateText PUTs a new card already written as vCard text (Rapport's own
// encoder writes its cards), with If-None-Match: *.
func (c *Client) CreateText(ctx context.Context, href string, body []byte) (string, error) {
	etag, err := c.putBytes(withCondition(ctx, Condition{IfNoneMatch: true}), href, vcard.MIMEType+"; charset=utf-8", body)
	if err != nil {
		return "", fmt.Errorf("put %s: %w", c.URL(href), err)
	}
	return etag, nil
}

// UpdateText PUTs vCard text over the version with etag (If-Match).
func (c *Client) UpdateText(ctx context.Context, href, etag string, body []byte) (string, error) {
	if etag == "" {
		return "", fmt.Errorf("update %s: no ETag: an unconditional overwrite could lose another client's change", c.URL(href))
	}
	etag, err := c.putBytes(withCondition(ctx, Condition{IfMatch: etag}), href, vcard.MIMEType+"; charset=utf-8", body)
	if err != nil {
		return "", fmt.Errorf("put %s: %w", c.URL(href), err)
	}
	return etag, nil
}
