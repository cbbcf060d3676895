package engine

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	stdsync "sync"
	"time"

	"github.com/emersion/go-ical"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/dav"
)

// The calendar mapping (docs/sync.md, "Calendar"). Each item is the one
// master component of a calendar object (no RECURRENCE-ID): a visit a
// VEVENT, a follow-up a VTODO, an interaction and a concern a VJOURNAL
// (a past VEVENT where the calendar takes no VJOURNAL). Rapport's fields are
// X-RAPPORT-* properties where iCalendar has no property of that meaning,
// and the standard ones (DTSTART, DUE, STATUS, COMPLETED, SUMMARY...) where
// it has, so a phone shows and edits them. The object is kept as the
// server had it: a change writes only Rapport's own properties into it and
// leaves the rest (other clients' VALARMs, categories, attendees,
// recurrence exceptions, X- properties) as it was.

const prodID = "-//Rapport//Rapport CRM//EN"

const (
	xKind        = "X-RAPPORT-KIND"
	xCustomer    = "X-RAPPORT-CUSTOMER"
	xFrom        = "X-RAPPORT-FROM" // the machine that last changed it, for "where it came from"
	xPurpose     = "X-RAPPORT-PURPOSE"
	xPromise     = "X-RAPPORT-PROMISE"
	xChannel     = "X-RAPPORT-INTERACTION-KIND"
	xDuration    = "X-RAPPORT-DURATION"
	xTemperature = "X-RAPPORT-TEMPERATURE"
	xTempConcern = "X-RAPPORT-TEMPERATURE-CONCERN"
	xTempComment = "X-RAPPORT-TEMPERATURE-COMMENT"
	xHeard       = "X-RAPPORT-HEARD"
	xHeardOK     = "X-RAPPORT-HEARD-CONFIRMED"
	xRank        = "X-RAPPORT-RANK"
	xConfirmed   = "X-RAPPORT-CONFIRMED"
	xResolved    = "X-RAPPORT-RESOLVED"
)

// ourTag is this machine's X-RAPPORT-FROM ("" when it has no name), read
// once: every item pulled or written compares or writes it.
var ourTag = stdsync.OnceValue(func() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		return ""
	}
	return "Rapport on " + host
})

// display is what a phone shows of the customer with an item: it is
// written when the item's own fields change, never read back.
type display struct {
	Name, Phone, Address string
}

// master gives the one component of an object that is Rapport's item.
func master(cal *ical.Calendar) *ical.Component {
	for _, c := range cal.Children {
		switch c.Name {
		case ical.CompEvent, ical.CompToDo, ical.CompJournal:
			if c.Props.Get(ical.PropRecurrenceID) == nil {
				return c
			}
		}
	}
	return nil
}

func text(c *ical.Component, name string) string {
	p := c.Props.Get(name)
	if p == nil {
		return ""
	}
	if strings.HasPrefix(name, "X-") && p.Params.Get(ical.ParamValue) == "" {
		// X- values are TEXT unless said otherwise (RFC 5545 3.8.8.2);
		// read from a copy, so the object keeps its parameters as they were.
		c := *p
		c.Params = ical.Params{ical.ParamValue: {string(ical.ValueText)}}
		p = &c
	}
	s, err := p.Text()
	if err != nil {
		return p.Value
	}
	return s
}

func setText(c *ical.Component, name, v string) {
	if v == "" {
		c.Props.Del(name)
		return
	}
	if strings.HasPrefix(name, "X-") {
		// Without the VALUE=TEXT go-ical would add: TEXT is what an X-
		// property is unless said otherwise.
		c.Props.Set(&ical.Prop{Name: name, Params: ical.Params{}, Value: escapeText(v)})
		return
	}
	c.Props.SetText(name, v)
}

// calDecode reads the item in an object; nil item when the object holds
// no event, task or journal entry. An item made by another client names no
// customer (FieldCustomer ""): see hints.
func calDecode(cal *ical.Calendar) (*data.CalItem, error) {
	m := master(cal)
	if m == nil {
		return nil, nil
	}
	uid := text(m, ical.PropUID)
	cust := text(m, xCustomer)
	it := &data.CalItem{UID: uid, Fields: map[string]string{data.FieldCustomer: cust}}
	f := it.Fields
	kind := strings.ToLower(text(m, xKind))
	if kind == "" {
		switch m.Name {
		case ical.CompEvent:
			kind = data.ItemVisit
		case ical.CompToDo:
			kind = data.ItemFollowUp
		default:
			kind = data.ItemInteraction
		}
	}
	it.Kind = kind
	switch kind {
	case data.ItemVisit:
		start, zone, err := startOf(cal, m, ical.PropDateTimeStart)
		if err != nil {
			return nil, err
		}
		f[data.FieldStart], f[data.FieldZone] = data.FormatTime(start), zone
		f[data.FieldMinutes] = ""
		if end, _, err := startOf(cal, m, ical.PropDateTimeEnd); err == nil && !end.IsZero() && end.After(start) {
			f[data.FieldMinutes] = strconv.Itoa(int(end.Sub(start) / time.Minute))
		} else if p := m.Props.Get(ical.PropDuration); p != nil {
			if d, err := p.Duration(); err == nil && d > 0 {
				f[data.FieldMinutes] = strconv.Itoa(int(d / time.Minute))
			}
		}
		f[data.FieldPurpose] = text(m, xPurpose)
		if m.Props.Get(xKind) == nil {
			f[data.FieldPurpose] = text(m, ical.PropSummary) // made on a phone
		}
		f[data.FieldAlarm] = ""
		for _, a := range m.Children {
			if a.Name != ical.CompAlarm {
				continue
			}
			if p := a.Props.Get(ical.PropTrigger); p != nil && p.Params.Get(ical.ParamValue) != "DATE-TIME" {
				if d, err := p.Duration(); err == nil && d <= 0 {
					f[data.FieldAlarm] = strconv.Itoa(int(-d / time.Minute))
				}
			}
			break
		}
		f[data.FieldRRule] = ""
		if p := m.Props.Get(ical.PropRecurrenceRule); p != nil {
			f[data.FieldRRule] = p.Value + exceptions(cal, m)
		}
	case data.ItemFollowUp:
		f[data.FieldText] = text(m, ical.PropSummary)
		due, _, err := startOf(cal, m, ical.PropDue)
		if err != nil {
			return nil, err
		}
		if due.IsZero() {
			if due, _, err = startOf(cal, m, ical.PropDateTimeStart); err != nil {
				return nil, err
			}
		}
		if !due.IsZero() {
			f[data.FieldDue] = due.Format("2006-01-02")
		}
		f[data.FieldDone] = ""
		if strings.EqualFold(text(m, ical.PropStatus), "COMPLETED") || m.Props.Get(ical.PropCompleted) != nil {
			done, _, err := startOf(cal, m, ical.PropCompleted)
			if err != nil || done.IsZero() {
				done = time.Now() // ticked off by a client that gave no time
			}
			f[data.FieldDone] = data.FormatTime(done)
		}
		if p := m.Props.Get(xPromise); p != nil {
			f[data.FieldPromise] = yesNo(strings.EqualFold(p.Value, "TRUE"))
		} else if p := m.Props.Get(ical.PropPriority); p != nil {
			n, _ := strconv.Atoi(p.Value)
			f[data.FieldPromise] = yesNo(n >= 1 && n <= 4)
		} else {
			f[data.FieldPromise] = ""
		}
		f[data.FieldInteraction] = text(m, ical.PropRelatedTo)
	case data.ItemInteraction:
		at, _, err := startOf(cal, m, ical.PropDateTimeStart)
		if err != nil {
			return nil, err
		}
		f[data.FieldAt] = data.FormatTime(at)
		f[data.FieldKind] = strings.ToLower(text(m, xChannel))
		f[data.FieldDuration] = ""
		if p := m.Props.Get(xDuration); p != nil {
			c := ical.Prop{Name: p.Name, Value: p.Value, Params: ical.Params{ical.ParamValue: {string(ical.ValueDuration)}}}
			if d, err := c.Duration(); err == nil && d > 0 {
				f[data.FieldDuration] = strconv.Itoa(int(d / time.Second))
			}
		}
		f[data.FieldSummary] = text(m, ical.PropSummary)
		f[data.FieldNotes] = text(m, ical.PropDescription)
		f[data.FieldTemperature] = text(m, xTemperature)
		f[data.FieldTempConcern] = text(m, xTempConcern)
		f[data.FieldTempComment] = text(m, xTempComment)
		f[data.FieldHeard] = text(m, xHeard)
		f[data.FieldHeardConfirmed] = yesNo(strings.EqualFold(text(m, xHeardOK), "TRUE"))
	case data.ItemConcern:
		f[data.FieldText] = text(m, ical.PropSummary)
		f[data.FieldRank] = text(m, xRank)
		created, _, err := startOf(cal, m, ical.PropDateTimeStart)
		if err != nil {
			return nil, err
		}
		f[data.FieldCreated] = data.FormatTime(created)
		f[data.FieldConfirmed] = utcText(m, xConfirmed)
		f[data.FieldResolved] = utcText(m, xResolved)
	default:
		return nil, fmt.Errorf("%s %s: unknown kind %q", xKind, uid, kind)
	}
	it.Origin = text(m, xFrom)
	if it.Origin == "" {
		it.Origin = text(cal.Component, ical.PropProductID)
	}
	return it, nil
}

// hints are what of an item made elsewhere may name its customer: the
// attendees' e-mail addresses, and the title, place and description.
func hints(cal *ical.Calendar) (emails []string, words string) {
	m := master(cal)
	if m == nil {
		return nil, ""
	}
	for _, p := range m.Props.Values(ical.PropAttendee) {
		if v := strings.TrimSpace(p.Value); len(v) > 7 && strings.EqualFold(v[:7], "mailto:") {
			emails = append(emails, v[7:])
		}
	}
	return emails, strings.Join([]string{text(m, ical.PropSummary), text(m, ical.PropLocation), text(m, ical.PropDescription), text(m, ical.PropContact)}, "\n")
}

func yesNo(b bool) string {
	if b {
		return "1"
	}
	return ""
}

// exceptions are the occurrences of a recurring visit that are not where
// its rule puts them: its EXDATEs, and those moved or changed by a
// component of their own (RECURRENCE-ID), as "\nEXDATE:" and UTC instants
// (data/recurrence.go leaves them out).
func exceptions(cal *ical.Calendar, m *ical.Component) string {
	var at []string
	add := func(c *ical.Component, p ical.Prop) {
		zone := p.Params.Get(ical.PropTimezoneID)
		for _, v := range strings.Split(p.Value, ",") {
			one := &ical.Component{Name: c.Name, Props: ical.Props{}}
			q := ical.Prop{Name: ical.PropDateTimeStart, Params: ical.Params{}, Value: strings.TrimSpace(v)}
			if zone != "" {
				q.Params.Set(ical.PropTimezoneID, zone)
			}
			if vt := p.Params.Get(ical.ParamValue); vt != "" {
				q.Params.Set(ical.ParamValue, vt)
			}
			one.Props.Set(&q)
			if t, _, err := startOf(cal, one, ical.PropDateTimeStart); err == nil && !t.IsZero() {
				at = append(at, t.UTC().Format("20060102T150405Z"))
			}
		}
	}
	for _, p := range m.Props.Values(ical.PropExceptionDates) {
		add(m, p)
	}
	uid := text(m, ical.PropUID)
	for _, c := range cal.Children {
		if c != m && c.Name == m.Name && text(c, ical.PropUID) == uid {
			if p := c.Props.Get(ical.PropRecurrenceID); p != nil {
				add(c, *p)
			}
		}
	}
	if len(at) == 0 {
		return ""
	}
	return "\nEXDATE:" + strings.Join(at, ",")
}

// utcText reads an X- property holding a UTC date-time.
func utcText(m *ical.Component, name string) string {
	p := m.Props.Get(name)
	if p == nil {
		return ""
	}
	t, err := time.Parse("20060102T150405Z", p.Value)
	if err != nil {
		return ""
	}
	return data.FormatTime(t)
}

func setUTC(m *ical.Component, name, v string) {
	t, err := data.ParseTime(v)
	if err != nil || t.IsZero() {
		m.Props.Del(name)
		return
	}
	m.Props.Set(&ical.Prop{Name: name, Params: ical.Params{}, Value: t.UTC().Format("20060102T150405Z")})
}

// startOf reads a date or date-time property as an instant, with the zone
// it was given in ("" for UTC or a date). A TZID Go does not know is looked
// for by its last parts ("/mozilla.org/Europe/Berlin"), then taken as UTC.
func startOf(cal *ical.Calendar, m *ical.Component, name string) (time.Time, string, error) {
	p := m.Props.Get(name)
	if p == nil {
		return time.Time{}, "", nil
	}
	tzid := p.Params.Get(ical.PropTimezoneID)
	zone := ""
	var loc *time.Location = time.Local
	if tzid != "" {
		l, z := lookupZone(tzid)
		if l != nil {
			loc, zone = l, z
			p = &ical.Prop{Name: p.Name, Value: p.Value, Params: ical.Params{}}
			for k, v := range m.Props.Get(name).Params {
				if k != ical.PropTimezoneID {
					p.Params[k] = v
				}
			}
		} else {
			loc = time.UTC
			p = &ical.Prop{Name: p.Name, Value: p.Value, Params: ical.Params{}}
		}
	} else if strings.HasSuffix(p.Value, "Z") {
		loc = time.UTC
	}
	t, err := p.DateTime(loc)
	if err != nil {
		return time.Time{}, "", fmt.Errorf("%s %q: %w", name, p.Value, err)
	}
	return t, zone, nil
}

func lookupZone(tzid string) (*time.Location, string) {
	tzid = strings.Trim(tzid, `"`)
	parts := strings.Split(tzid, "/")
	for i := range parts {
		name := strings.Join(parts[i:], "/")
		if name == "" {
			continue
		}
		if l, err := time.LoadLocation(name); err == nil && name != "Local" {
			return l, name
		}
	}
	return nil, ""
}

// calApply writes it into cal (nil: a new object) and returns the object
// to send. When the fields in cal already are it's, cal is returned as it
// was: an item is only touched when it changed.
func calApply(cal *ical.Calendar, it *data.CalItem, disp display, journal bool) (*ical.Calendar, error) {
	var old map[string]string
	if cal != nil {
		if o, err := calDecode(cal); err == nil && o != nil && o.Kind == it.Kind {
			if sameFields(o.Fields, it.Fields) {
				return cal, nil
			}
			old = o.Fields
		}
	}
	// What a phone shows of the customer is written when the item is made
	// and when the field it tells of changes, so an item made or worded
	// on a phone keeps its own title and description.
	// An item linked here to its customer (made on a phone, old customer
	// "") keeps its title.
	fresh := func(field string) bool {
		return old == nil || (old[field] != it.Fields[field] && (field != data.FieldCustomer || old[field] != ""))
	}
	now := time.Now().UTC()
	if cal == nil {
		cal = ical.NewCalendar()
		cal.Props.SetText(ical.PropVersion, "2.0")
		cal.Props.SetText(ical.PropProductID, prodID)
	}
	m := master(cal)
	comp := componentFor(it.Kind, journal)
	if m != nil && m.Name != comp && !(it.Kind == data.ItemInteraction || it.Kind == data.ItemConcern) {
		m = nil // a task made an event: a new component
	}
	if m == nil {
		m = ical.NewComponent(comp)
		m.Props.SetText(ical.PropUID, it.UID)
		m.Props.SetDateTime(ical.PropCreated, now)
		cal.Children = append(cal.Children, m)
	}
	f := it.Fields
	m.Props.SetDateTime(ical.PropDateTimeStamp, now)
	m.Props.SetDateTime(ical.PropLastModified, now)
	if p := m.Props.Get(ical.PropSequence); p != nil || m.Name == ical.CompEvent {
		n := 0
		if p != nil {
			n, _ = strconv.Atoi(p.Value)
			n++
		}
		m.Props.Set(&ical.Prop{Name: ical.PropSequence, Params: ical.Params{}, Value: strconv.Itoa(n)})
	}
	setText(m, xKind, it.Kind)
	setText(m, xCustomer, f[data.FieldCustomer])
	if from := ourTag(); from != "" {
		setText(m, xFrom, from)
	}
	if disp.Name != "" && (fresh(data.FieldCustomer) || m.Props.Get(ical.PropContact) == nil) {
		contact := disp.Name
		if disp.Phone != "" {
			contact += ", " + disp.Phone
		}
		setText(m, ical.PropContact, contact)
	}
	switch it.Kind {
	case data.ItemVisit:
		start, err := data.ParseTime(f[data.FieldStart])
		if err != nil {
			return nil, fmt.Errorf("visit %s: start %q: %w", it.UID, f[data.FieldStart], err)
		}
		setTime(cal, m, ical.PropDateTimeStart, start, f[data.FieldZone])
		minutes, _ := strconv.Atoi(f[data.FieldMinutes])
		if m.Props.Get(ical.PropDuration) != nil && minutes > 0 {
			m.Props.Get(ical.PropDuration).SetDuration(time.Duration(minutes) * time.Minute)
		} else {
			m.Props.Del(ical.PropDuration)
			if minutes > 0 {
				setTime(cal, m, ical.PropDateTimeEnd, start.Add(time.Duration(minutes)*time.Minute), f[data.FieldZone])
			} else {
				m.Props.Del(ical.PropDateTimeEnd)
			}
		}
		m.Props.Set(&ical.Prop{Name: xPurpose, Params: ical.Params{}, Value: escapeText(f[data.FieldPurpose])})
		summary := "Visit: " + disp.Name
		if f[data.FieldPurpose] != "" {
			summary += " – " + f[data.FieldPurpose]
		}
		if fresh(data.FieldPurpose) || fresh(data.FieldCustomer) {
			setText(m, ical.PropSummary, strings.TrimSpace(summary))
			desc := f[data.FieldPurpose]
			if disp.Phone != "" {
				desc = strings.TrimSpace(desc + "\n\nCall " + disp.Name + ": tel:" + strings.ReplaceAll(disp.Phone, " ", ""))
			}
			setText(m, ical.PropDescription, desc)
		}
		if disp.Address != "" && (fresh(data.FieldCustomer) || m.Props.Get(ical.PropLocation) == nil) {
			setText(m, ical.PropLocation, disp.Address)
		}
		if fresh(data.FieldAlarm) {
			setAlarm(m, f[data.FieldAlarm], summary)
		}
		// The rule's first line; its exceptions stay as the object has them.
		rule, _, _ := strings.Cut(f[data.FieldRRule], "\n")
		if rule == "" {
			m.Props.Del(ical.PropRecurrenceRule)
		} else if fresh(data.FieldRRule) {
			m.Props.Set(&ical.Prop{Name: ical.PropRecurrenceRule, Params: ical.Params{}, Value: rule})
		}
	case data.ItemFollowUp:
		setText(m, ical.PropSummary, f[data.FieldText])
		due, err := time.Parse("2006-01-02", f[data.FieldDue])
		if err != nil {
			return nil, fmt.Errorf("follow-up %s: due %q: %w", it.UID, f[data.FieldDue], err)
		}
		m.Props.Del(ical.PropDuration)
		m.Props.SetDate(ical.PropDue, due)
		if f[data.FieldDone] != "" {
			done, _ := data.ParseTime(f[data.FieldDone])
			m.Props.SetText(ical.PropStatus, "COMPLETED")
			m.Props.SetDateTime(ical.PropCompleted, done.UTC())
			if m.Props.Get(ical.PropPercentComplete) != nil {
				m.Props.Set(&ical.Prop{Name: ical.PropPercentComplete, Params: ical.Params{}, Value: "100"})
			}
		} else {
			m.Props.SetText(ical.PropStatus, "NEEDS-ACTION")
			m.Props.Del(ical.PropCompleted)
			if m.Props.Get(ical.PropPercentComplete) != nil {
				m.Props.Set(&ical.Prop{Name: ical.PropPercentComplete, Params: ical.Params{}, Value: "0"})
			}
		}
		if f[data.FieldPromise] == "1" {
			setText(m, xPromise, "TRUE")
			m.Props.Set(&ical.Prop{Name: ical.PropPriority, Params: ical.Params{}, Value: "1"})
		} else {
			setText(m, xPromise, "FALSE")
			if p := m.Props.Get(ical.PropPriority); p != nil && p.Value == "1" {
				m.Props.Del(ical.PropPriority)
			}
		}
		setText(m, ical.PropRelatedTo, f[data.FieldInteraction])
		if disp.Name != "" && fresh(data.FieldCustomer) {
			desc := "For " + disp.Name
			if disp.Phone != "" {
				desc += ": tel:" + strings.ReplaceAll(disp.Phone, " ", "")
			}
			setText(m, ical.PropDescription, desc)
		}
	case data.ItemInteraction:
		at, err := data.ParseTime(f[data.FieldAt])
		if err != nil {
			return nil, fmt.Errorf("interaction %s: at %q: %w", it.UID, f[data.FieldAt], err)
		}
		m.Props.SetDateTime(ical.PropDateTimeStart, at.UTC())
		secs, _ := strconv.Atoi(f[data.FieldDuration])
		if m.Name == ical.CompEvent {
			// A past event where the calendar takes no journal entries.
			m.Props.Del(ical.PropDuration)
			end := at.Add(time.Duration(max(secs, 60)) * time.Second)
			m.Props.SetDateTime(ical.PropDateTimeEnd, end.UTC())
			m.Props.SetText(ical.PropTransparency, "TRANSPARENT")
		}
		if secs > 0 {
			p := ical.NewProp(xDuration)
			p.SetDuration(time.Duration(secs) * time.Second)
			m.Props.Set(p)
		} else {
			m.Props.Del(xDuration)
		}
		summary := f[data.FieldSummary]
		if summary == "" {
			summary = strings.TrimSpace(f[data.FieldKind] + " " + disp.Name)
		}
		setText(m, ical.PropSummary, summary)
		setText(m, ical.PropDescription, f[data.FieldNotes])
		setText(m, xChannel, f[data.FieldKind])
		setText(m, xTemperature, f[data.FieldTemperature])
		setText(m, xTempConcern, f[data.FieldTempConcern])
		setText(m, xTempComment, f[data.FieldTempComment])
		setText(m, xHeard, f[data.FieldHeard])
		if f[data.FieldHeardConfirmed] == "1" {
			setText(m, xHeardOK, "TRUE")
		} else {
			m.Props.Del(xHeardOK)
		}
	case data.ItemConcern:
		setText(m, ical.PropSummary, f[data.FieldText])
		if m.Name == ical.CompEvent {
			m.Props.SetText(ical.PropTransparency, "TRANSPARENT") // a note, not busy time
		}
		created, _ := data.ParseTime(f[data.FieldCreated])
		if created.IsZero() {
			created = now
		}
		m.Props.SetDateTime(ical.PropDateTimeStart, created.UTC())
		setText(m, xRank, f[data.FieldRank])
		setUTC(m, xConfirmed, f[data.FieldConfirmed])
		setUTC(m, xResolved, f[data.FieldResolved])
		if m.Name == ical.CompJournal {
			status := "FINAL"
			if f[data.FieldResolved] != "" {
				status = "CANCELLED"
			}
			m.Props.SetText(ical.PropStatus, status)
		}
		desc := "Concern of " + disp.Name
		if f[data.FieldResolved] != "" {
			desc += " (resolved)"
		}
		if disp.Name != "" && (fresh(data.FieldCustomer) || fresh(data.FieldResolved)) {
			setText(m, ical.PropDescription, desc)
		}
	}
	return cal, nil
}

func componentFor(kind string, journal bool) string {
	switch kind {
	case data.ItemVisit:
		return ical.CompEvent
	case data.ItemFollowUp:
		return ical.CompToDo
	}
	if journal {
		return ical.CompJournal
	}
	return ical.CompEvent
}

func sameFields(a, b map[string]string) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	return true
}

// setTime writes an instant in a zone (TZID and a VTIMEZONE for it), or
// in UTC when the zone is "" or unknown.
func setTime(cal *ical.Calendar, m *ical.Component, name string, t time.Time, zone string) {
	loc, err := time.LoadLocation(zone)
	if zone == "" || err != nil || zone == "UTC" {
		m.Props.SetDateTime(name, t.UTC())
		return
	}
	m.Props.SetDateTime(name, t.In(loc))
	addTimezone(cal, loc, t)
}

// setAlarm makes the first VALARM remind minutes before ("" removes it).
func setAlarm(m *ical.Component, minutes, what string) {
	var alarm *ical.Component
	idx := -1
	for i, c := range m.Children {
		if c.Name == ical.CompAlarm {
			alarm, idx = c, i
			break
		}
	}
	if minutes == "" {
		if idx >= 0 {
			m.Children = append(m.Children[:idx], m.Children[idx+1:]...)
		}
		return
	}
	n, err := strconv.Atoi(minutes)
	if err != nil {
		return
	}
	if alarm == nil {
		alarm = ical.NewComponent(ical.CompAlarm)
		alarm.Props.SetText(ical.PropAction, "DISPLAY")
		alarm.Props.SetText(ical.PropDescription, what)
		m.Children = append(m.Children, alarm)
	}
	p := ical.NewProp(ical.PropTrigger)
	p.SetDuration(-time.Duration(n) * time.Minute)
	alarm.Props.Set(p)
}

// addTimezone adds a VTIMEZONE for loc unless the calendar has one: the
// zone's changes from the year before t to two years after, as Go knows
// them (RFC 5545 lets each observance be its own STANDARD or DAYLIGHT).
func addTimezone(cal *ical.Calendar, loc *time.Location, t time.Time) {
	for _, c := range cal.Children {
		if c.Name == ical.CompTimezone && text(c, ical.PropTimezoneID) == loc.String() {
			return
		}
	}
	tz := ical.NewComponent(ical.CompTimezone)
	tz.Props.SetText(ical.PropTimezoneID, loc.String())
	from := time.Date(t.Year()-1, 1, 1, 0, 0, 0, 0, loc)
	until := time.Date(t.Year()+2, 12, 31, 0, 0, 0, 0, loc)
	_, prevOff := from.Zone()
	for cur := from; cur.Before(until); {
		_, end := cur.ZoneBounds()
		if end.IsZero() || !end.Before(until) {
			break
		}
		name, off := end.Zone()
		tz.Children = append(tz.Children, observance(end, name, prevOff, off, end.IsDST()))
		prevOff, cur = off, end
	}
	if len(tz.Children) == 0 {
		name, off := from.Zone()
		tz.Children = append(tz.Children, observance(time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), name, off, off, false))
	}
	// VTIMEZONEs go first, as clients expect.
	cal.Children = append([]*ical.Component{tz}, cal.Children...)
}

func observance(at time.Time, name string, from, to int, dst bool) *ical.Component {
	kind := ical.CompTimezoneStandard
	if dst {
		kind = ical.CompTimezoneDaylight
	}
	o := ical.NewComponent(kind)
	// DTSTART is local time in the offset before the change.
	local := at.UTC().Add(time.Duration(from) * time.Second)
	o.Props.Set(&ical.Prop{Name: ical.PropDateTimeStart, Params: ical.Params{}, Value: local.Format("20060102T150405")})
	o.Props.Set(&ical.Prop{Name: ical.PropTimezoneOffsetFrom, Params: ical.Params{}, Value: utcOffset(from)})
	o.Props.Set(&ical.Prop{Name: ical.PropTimezoneOffsetTo, Params: ical.Params{}, Value: utcOffset(to)})
	if name != "" {
		o.Props.SetText(ical.PropTimezoneName, name)
	}
	return o
}

func utcOffset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	return fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec/60%60)
}

// calText is an object's text, the form bases are kept in.
func calText(cal *ical.Calendar) (string, error) {
	b, err := dav.EncodeCalendar(cal)
	return string(b), err
}

// calParse reads a base back.
func calParse(text string) (*ical.Calendar, error) {
	return dav.DecodeCalendar([]byte(text))
}

// escapeText is RFC 5545's TEXT escaping, for a value set by hand.
func escapeText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`)
	return r.Replace(s)
}
