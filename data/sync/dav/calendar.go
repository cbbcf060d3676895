package dav

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-webdav/caldav"
)

// CalDAV (RFC 4791): the calendar home, creating a calendar, fetching
// calendar objects. The rest (listing, sync-collection, conditional PUT and
// DELETE) is the same as for address books: go-webdav v0.6.0's caldav
// package has no sync-collection, and the REPORT its carddav package sends
// asks only for ETags, which every calendar server answers alike.

const calendarNoun = "calendar"

// Components Rapport writes: visits, follow-ups, logged interactions.
var rapportComponents = []string{ical.CompEvent, ical.CompToDo, ical.CompJournal}

// CalendarHome finds the user's calendar-home-set; "" with a note when
// the server offers no CalDAV.
func (c *Client) CalendarHome(ctx context.Context, acct *Account) (string, error) {
	if acct.CalendarHome != "" {
		return acct.CalendarHome, nil
	}
	home, err := c.cal.FindCalendarHomeSet(ctx, acct.Principal)
	if err != nil {
		err = fromMultiStatus("PROPFIND", c.URL(acct.Principal), err)
		if stopsDiscovery(err) {
			return "", err
		}
		acct.Notes = append(acct.Notes, fmt.Sprintf("no calendar-home-set on %s (%v): calendars are not synced", c.URL(acct.Principal), err))
		return "", nil
	}
	acct.CalendarHome = home
	return home, nil
}

// Calendars lists the calendars in a home set.
func (c *Client) Calendars(ctx context.Context, home string) ([]caldav.Calendar, error) {
	cals, err := c.cal.FindCalendars(ctx, home)
	if err != nil {
		return nil, fmt.Errorf("list the calendars in %s: %w", c.URL(home), fromMultiStatus("PROPFIND", c.URL(home), err))
	}
	return cals, nil
}

// CalendarInfo is the calendar Rapport syncs and what it takes.
type CalendarInfo struct {
	Path string
	How  How
	// Components the calendar takes (VEVENT, VTODO, VJOURNAL); a server
	// that names none takes all.
	Components []string
}

// Takes reports whether the calendar takes a component.
func (ci *CalendarInfo) Takes(comp string) bool {
	return len(ci.Components) == 0 || slices.Contains(ci.Components, comp)
}

// EnsureCalendar returns the calendar called name in the user's calendar
// home, creating it when missing with MKCALENDAR for events, tasks and
// journal entries; a server that refuses journal entries in a calendar
// gets one for events and tasks (interactions then travel as past events).
func (c *Client) EnsureCalendar(ctx context.Context, acct *Account, name string) (*CalendarInfo, error) {
	home, err := c.CalendarHome(ctx, acct)
	if err != nil || home == "" {
		return nil, err
	}
	find := func() (*CalendarInfo, error) {
		cals, err := c.Calendars(ctx, home)
		if err != nil {
			return nil, err
		}
		for _, cal := range cals {
			if strings.EqualFold(cal.Name, name) || strings.EqualFold(path.Base(cal.Path), slug(name)) {
				return &CalendarInfo{Path: cal.Path, How: Found, Components: upper(cal.SupportedComponentSet)}, nil
			}
		}
		return nil, nil
	}
	if ci, err := find(); ci != nil || err != nil {
		return ci, err
	}
	// Not the address book's name: on Radicale both homes are one folder.
	p := path.Join(home, slug(name+" calendar")) + "/"
	how := How("created with MKCALENDAR (RFC 4791)")
	err = c.send(ctx, "MKCALENDAR", p, mkcalendarBody(name, rapportComponents))
	var se *StatusError
	if errors.As(err, &se) && se.Code/100 == 4 && se.Code != http.StatusMethodNotAllowed && se.Code != http.StatusUnauthorized {
		// Perhaps no VJOURNAL here (iCloud, some Nextclouds): events and tasks.
		how = "created with MKCALENDAR (RFC 4791), for events and tasks"
		err = c.send(ctx, "MKCALENDAR", p, mkcalendarBody(name, rapportComponents[:2]))
	}
	if err != nil && !(errors.As(err, &se) && se.Code == http.StatusMethodNotAllowed) {
		return nil, fmt.Errorf("create calendar %q at %s: %w", name, c.URL(p), err)
	}
	ci, ferr := find()
	if ferr != nil {
		return nil, ferr
	}
	if ci == nil {
		if err != nil {
			return nil, fmt.Errorf("create calendar %s: something that is not a calendar is already at that address: %w", c.URL(p), err)
		}
		return nil, fmt.Errorf("create calendar %q at %s: the server answered success but does not list it as a calendar", name, c.URL(p))
	}
	if err == nil {
		ci.How = how
	}
	return ci, nil
}

func upper(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToUpper(s)
	}
	return out
}

func mkcalendarBody(name string, comps []string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>`)
	b.WriteString(`<D:displayname>` + xmlText(name) + `</D:displayname><C:supported-calendar-component-set>`)
	for _, c := range comps {
		b.WriteString(`<C:comp name="` + c + `"/>`)
	}
	b.WriteString(`</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`)
	return []byte(b.String())
}

// CalObject is one calendar object on the server.
type CalObject struct {
	Href, ETag string
	Cal        *ical.Calendar
}

// MultiGetCalendar fetches the objects at hrefs in one REPORT
// (calendar-multiget). Hrefs the server no longer has are missing. It asks
// for calendar-data without a component list, which every server answers
// with the whole object: go-webdav's request names components, and
// Xandikos then leaves the properties of nested ones out.
func (c *Client) MultiGetCalendar(ctx context.Context, cal string, hrefs []string) ([]CalObject, error) {
	if len(hrefs) == 0 {
		return nil, nil
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>
<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop>`)
	for _, h := range hrefs {
		b.WriteString("<D:href>" + xmlText((&url.URL{Path: h}).EscapedPath()) + "</D:href>")
	}
	b.WriteString("</C:calendar-multiget>")
	return c.calReport(ctx, cal, b.String(), fmt.Sprintf("fetch %d calendar items from %s", len(hrefs), c.URL(cal)))
}

// QueryCalendar fetches every object of a calendar in one REPORT
// (calendar-query): on a first sync one answer instead of a multiget per
// hundred, which servers that look each href up by a scan (Xandikos)
// answer in seconds rather than an hour.
func (c *Client) QueryCalendar(ctx context.Context, cal string) ([]CalObject, error) {
	body := `<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop>` +
		`<C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>`
	return c.calReport(ctx, cal, body, "fetch the calendar "+c.URL(cal))
}

func (c *Client) calReport(ctx context.Context, cal, body, what string) ([]CalObject, error) {
	items, err := c.dataReport(ctx, cal, body, "urn:ietf:params:xml:ns:caldav", "calendar-data")
	if err != nil {
		return nil, noCollection(calendarNoun, c.URL(cal), fmt.Errorf("%s: %w", what, err))
	}
	out := make([]CalObject, 0, len(items))
	for _, it := range items {
		obj, err := DecodeCalendar([]byte(it.data))
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", what, c.URL(it.href), err)
		}
		out = append(out, CalObject{Href: it.href, ETag: it.etag, Cal: obj})
	}
	return out, nil
}

// reported is one member in a REPORT's answer with its data.
type reported struct{ href, etag, data string }

// dataReport sends a REPORT asking for getetag and a data property
// (address-data, calendar-data) and reads the answer itself: members
// without the data (the collection, what the server no longer has) are
// left out.
func (c *Client) dataReport(ctx context.Context, coll, body, ns, local string) ([]reported, error) {
	req, err := http.NewRequestWithContext(ctx, "REPORT", c.URL(coll), strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Depth", "1")
	req.Header.Set("Content-Type", `application/xml; charset="utf-8"`)
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusMultiStatus {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return nil, &StatusError{Method: "REPORT", URL: c.URL(coll), Code: resp.StatusCode, Body: string(b)}
	}
	type prop struct {
		ETag string `xml:"DAV: getetag"`
		Data []struct {
			XMLName xml.Name
			Text    string `xml:",chardata"`
		} `xml:",any"`
	}
	var ms struct {
		Responses []struct {
			Href     string `xml:"DAV: href"`
			Propstat []struct {
				Status string `xml:"DAV: status"`
				Prop   prop   `xml:"DAV: prop"`
			} `xml:"DAV: propstat"`
		} `xml:"DAV: response"`
	}
	if err := xml.NewDecoder(resp.Body).Decode(&ms); err != nil {
		return nil, fmt.Errorf("read the answer: %w", err)
	}
	var out []reported
	for _, r := range ms.Responses {
		u, err := url.Parse(strings.TrimSpace(r.Href))
		if err != nil {
			continue
		}
		for _, ps := range r.Propstat {
			if !strings.Contains(ps.Status, " 200 ") {
				continue
			}
			for _, d := range ps.Prop.Data {
				if d.XMLName.Space != ns || d.XMLName.Local != local || strings.TrimSpace(d.Text) == "" {
					continue
				}
				etag := strings.TrimSpace(ps.Prop.ETag)
				if uq, err := strconv.Unquote(strings.TrimPrefix(etag, "W/")); err == nil {
					etag = uq
				}
				out = append(out, reported{href: u.Path, etag: etag, data: d.Text})
			}
		}
	}
	return out, nil
}

// GetCalendarObject fetches one calendar object.
func (c *Client) GetCalendarObject(ctx context.Context, href string) (obj *CalObject, err error) {
	defer func() {
		if p := recover(); p != nil {
			obj, err = nil, fmt.Errorf("get %s: not iCalendar that can be read (%v)", c.URL(href), p)
		}
	}()
	co, err := c.cal.GetCalendarObject(ctx, href)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", c.URL(href), err)
	}
	return &CalObject{Href: co.Path, ETag: co.ETag, Cal: co.Data}, nil
}

// SyncCalendar is Sync for a calendar.
func (c *Client) SyncCalendar(ctx context.Context, cal, token string) (*SyncResult, error) {
	return c.sync(ctx, cal, token, calendarNoun)
}

// CreateData PUTs a new resource of any type with If-None-Match: *.
func (c *Client) CreateData(ctx context.Context, href, contentType string, body []byte) (string, error) {
	etag, err := c.putBytes(withCondition(ctx, Condition{IfNoneMatch: true}), href, contentType, body)
	if err != nil {
		return "", fmt.Errorf("put %s: %w", c.URL(href), err)
	}
	return etag, nil
}

// UpdateData PUTs a resource of any type over the version with etag.
func (c *Client) UpdateData(ctx context.Context, href, etag, contentType string, body []byte) (string, error) {
	if etag == "" {
		return "", fmt.Errorf("update %s: no ETag: an unconditional overwrite could lose another client's change", c.URL(href))
	}
	etag, err := c.putBytes(withCondition(ctx, Condition{IfMatch: etag}), href, contentType, body)
	if err != nil {
		return "", fmt.Errorf("put %s: %w", c.URL(href), err)
	}
	return etag, nil
}

// EncodeCalendar writes a calendar as iCalendar text.
func EncodeCalendar(cal *ical.Calendar) ([]byte, error) {
	var b bytes.Buffer
	if err := ical.NewEncoder(&b).Encode(cal); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// DecodeCalendar reads one calendar from iCalendar text. go-ical's
// decoder panics on some malformed lines (a parameter with no name:
// "0;0=", found by FuzzCalendarItem); that is an error here, so one bad
// object from a server cannot stop a sync.
func DecodeCalendar(text []byte) (cal *ical.Calendar, err error) {
	defer func() {
		if p := recover(); p != nil {
			cal, err = nil, fmt.Errorf("not iCalendar that can be read (%v)", p)
		}
	}()
	return ical.NewDecoder(bytes.NewReader(text)).Decode()
}
