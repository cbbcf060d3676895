package vcard

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/encoding"

	"github.com/rapportcrm/rapport/data"
)

// errNoIdentity: the card is empty: no name and nothing else worth keeping.
var errNoIdentity = fmt.Errorf("card has no name and no details: %w", data.ErrEmptyCard)

// unnamed is the name of a card that carries details but no name, so that
// what it carries (a photo, notes, an app's data) is not lost.
const unnamed = "Unnamed contact"

// skipped properties are regenerated on export (PROFILE:VCARD is 2426
// boilerplate that vobject rejects when repeated).
var skipped = map[string]bool{"VERSION": true, "PRODID": true, "REV": true, "BEGIN": true, "END": true, "PROFILE": true}

// Properties other programs use for a spouse, children and an anniversary.
var (
	spouseProps      = map[string]bool{"X-SPOUSE": true, "X-EVOLUTION-SPOUSE": true, "X-MS-SPOUSE": true, "X-KADDRESSBOOK-X-SPOUSESNAME": true}
	childrenProps    = map[string]bool{"X-CHILDREN": true, "X-MS-CHILDREN": true, "X-MS-CHILD": true, "X-CHILD": true}
	anniversaryProps = map[string]bool{"ANNIVERSARY": true, "X-ANNIVERSARY": true, "X-EVOLUTION-ANNIVERSARY": true,
		"X-MS-ANNIVERSARY": true, "X-KADDRESSBOOK-X-ANNIVERSARY": true}
)

// mapper holds the state of mapping one card.
type mapper struct {
	fb       encoding.Encoding
	rec      *Record
	labels   map[string]string // group (lower case) -> X-ABLabel value
	used     map[string]bool   // groups whose main property was mapped
	extra    []prop
	problems []string // properties kept aside, "what: why"
	notes    []string
	ownFam   bool // the card has a good X-RAPPORT-FAMILY: other family properties are copies
	fnSeen   bool
	mapped   map[string]prop // the line each of FN, N, ORG, TITLE was mapped from
	photoSet bool
	// entries are the phones, e-mails, links and addresses read from a
	// group or an X-SOCIALPROFILE (see groups.go); groupCount counts them
	// by group, shared marks groups other mapped properties use.
	entries    []entryRef
	natives    []nativeRef
	relatives  []relativeRef   // X-ABRELATEDNAMES groups the export writes itself
	groupLines map[string]int  // lines per group
	labelLines map[string]prop // the X-ABLabel line of each group
	groupCount map[string]int
	shared     map[string]bool
}

func mapCard(ps []prop, fb encoding.Encoding) (*Record, error) {
	m := &mapper{fb: fb, rec: &Record{}, labels: map[string]string{}, used: map[string]bool{}}
	for i := range ps {
		p := &ps[i]
		switch {
		case p.name == "X-ABLABEL" && p.group != "":
			m.labels[strings.ToLower(p.group)] = strings.TrimSpace(unescape(decodeText(p, fb)))
			if m.labelLines == nil {
				m.labelLines = map[string]prop{}
			}
			m.labelLines[strings.ToLower(p.group)] = *p
		case p.name == "X-RAPPORT-FAMILY":
			if _, err := m.familyMember(p); err == nil {
				m.ownFam = true
			}
		}
	}
	m.groupLines = map[string]int{}
	for i := range ps {
		if g := ps[i].group; g != "" {
			m.groupLines[strings.ToLower(g)]++
		}
	}
	for i := range ps {
		if err := m.prop(&ps[i]); err != nil {
			return nil, fmt.Errorf("field %s: %w", ps[i].name, err)
		}
	}
	c := &m.rec.Customer
	if len(m.notes) > 0 {
		c.CardNote = strings.Join(m.notes, "\n")
	}
	m.ownAlt()
	m.extra = altFirst(m.extra)
	m.keepGroups()
	for i := range m.extra {
		p := &m.extra[i]
		g := strings.ToLower(p.group)
		if (p.name == "X-ABLABEL" || p.name == "X-ABADR") && (m.used[g] || p.name == "X-ABLABEL" && m.labels[g] == "") {
			continue
		}
		if raw, ok := extraLine(p, m.fb); ok {
			c.Extra = append(c.Extra, data.ExtraProperty{Raw: raw})
		}
	}
	m.settleNatives()
	m.rec.Problems = m.problems
	// FN equal to what Rapport derives anyway is not kept: an empty
	// FormattedName means "derived", and keeping both would make a
	// Rapport -> file -> Rapport trip change the customer.
	fn := c.FormattedName
	c.FormattedName = ""
	if derived := c.Name(); fn != derived {
		c.FormattedName = fn
	}
	if c.Name() == "" {
		switch {
		case c.Nickname != "":
			c.FormattedName = c.Nickname
		case len(c.Phones) > 0:
			c.FormattedName = c.Phones[0].Value
		case hasDetails(c, &m.rec.Profile):
			c.FormattedName = unnamed
		default:
			return nil, errNoIdentity
		}
	}
	return m.rec, nil
}

func (m *mapper) text(p *prop) string {
	return strings.TrimSpace(unescape(decodeText(p, m.fb)))
}

// parts splits a structured value (N, ADR, ORG) into unescaped components.
func (m *mapper) parts(p *prop, n int) []string {
	comps := splitEscaped(decodeText(p, m.fb), ';')
	for i := range comps {
		comps[i] = strings.TrimSpace(unescape(comps[i]))
	}
	for len(comps) < n {
		comps = append(comps, "")
	}
	return comps
}

// list splits a comma-separated list (CATEGORIES, NICKNAME).
func (m *mapper) list(p *prop) []string {
	var out []string
	for _, s := range splitEscaped(decodeText(p, m.fb), ',') {
		if s = strings.TrimSpace(unescape(s)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// label is the label of a TEL/EMAIL/ADR/URL: a custom group label, else TYPE.
func (m *mapper) label(p *prop) (string, bool) {
	label, pref := labelFromTypes(p.types())
	if v := strings.TrimSpace(p.param("PREF")); v == "1" {
		pref = true
	}
	if p.group != "" {
		g := strings.ToLower(p.group)
		m.used[g] = true
		if l := customLabel(m.labels[g]); l != "" {
			label = l
		}
	}
	return label, pref
}

func (m *mapper) date(p *prop) (data.Date, bool) {
	s := m.text(p)
	d, err := data.ParseDate(s)
	if err != nil || d.IsZero() {
		return data.Date{}, false
	}
	// X-APPLE-OMIT-YEAR=1604 (or any year) marks the year as a placeholder.
	if y := p.param("X-APPLE-OMIT-YEAR"); y != "" && fmt.Sprint(d.Year) == strings.TrimSpace(y) {
		d.Year = 0
	}
	return d, true
}

func (m *mapper) prop(p *prop) error {
	c := &m.rec.Customer
	if skipped[p.name] {
		return nil
	}
	if real, ok := cutAltPrefix(p.name); ok && altNames[real] && hasAltID(p) && p.group == "" {
		// Our 3.0 form of an alternative representation: kept as the
		// property it is (see cardWriter.single), never mapped over the
		// card's own value. (X-RAPPORT-OWN- is never written to a file;
		// one read from a file is taken as an alternative too.) Without an
		// ALTID (or in a group, which the export never writes) it is no
		// alternative of anything: an X- property like others.
		p.name, p.orig = real, real
		m.extra = append(m.extra, *p)
		return nil
	}
	switch p.name {
	case "FN":
		if !m.fnSeen {
			m.fnSeen = true
			c.FormattedName = m.text(p)
			m.keepAltPrimary(p)
			return nil
		}
	case "N":
		if c.FamilyName+c.GivenName+c.MiddleName+c.Prefix+c.Suffix == "" && !m.sameGroup(p) {
			n := m.parts(p, 5)
			c.FamilyName, c.GivenName, c.MiddleName, c.Prefix, c.Suffix = n[0], n[1], n[2], n[3], strings.Join(nonEmpty(n[4:]), ", ")
			m.keepAltPrimary(p)
			return nil
		}
	case "NICKNAME":
		if c.Nickname == "" {
			c.Nickname = strings.Join(m.list(p), ", ")
			return nil
		}
	case "ORG":
		if c.Company == "" && c.Department == "" {
			o := m.parts(p, 1)
			// Units after the first are joined with orgUnitSep, which the
			// export splits on again: ORG:ABC\, Inc.;North American
			// Division;Marketing comes back with its three parts.
			c.Company, c.Department = o[0], strings.Join(nonEmpty(o[1:]), orgUnitSep)
			m.useGroup(p)
			m.keepAltPrimary(p)
			return nil
		}
	case "TITLE":
		if c.Title == "" {
			c.Title = m.text(p)
			m.useGroup(p)
			m.keepAltPrimary(p)
			return nil
		}
	case "NOTE":
		if t := m.text(p); t != "" {
			m.notes = append(m.notes, t)
		}
		return nil
	case "CATEGORIES":
		for _, t := range m.list(p) {
			if !contains(c.Tags, t) {
				c.Tags = append(c.Tags, t)
			}
		}
		return nil
	case "UID":
		if c.UID == "" {
			c.UID = m.text(p)
			return nil
		}
	case "TEL", "EMAIL", "URL", "X-SOCIALPROFILE":
		m.labelled(p)
		return nil
	case "ADR":
		m.address(p)
		return nil
	case "BDAY":
		if !c.Birthday.IsZero() {
			break // a second birthday is kept as it came
		}
		t := m.text(p)
		if d, ok := m.date(p); ok {
			c.Birthday = d
		} else if inWords(p, t) {
			// A birthday in words (4.0's VALUE=text: "circa 1800"): kept
			// as the words, shown and written back.
			c.Birthday = data.TextDate(t)
		} else if t != "" {
			// A broken date (19723101): kept as it came, and said.
			m.problems = append(m.problems, fmt.Sprintf("BDAY %q: not a date; kept as an unknown property, not as the birthday", t))
			break
		}
		return nil
	case "X-ABDATE":
		if customLabel(m.labels[strings.ToLower(p.group)]) == "anniversary" {
			if d, ok := m.date(p); ok && (c.Anniversary.IsZero() || c.Anniversary == d) {
				c.Anniversary = d
				m.useGroup(p)
				return nil
			}
		}
	case "PHOTO":
		if !m.photoSet {
			ph, ok, err := m.photo(p)
			if err != nil {
				return err
			}
			if ok {
				c.Photo, m.photoSet = ph, true
			}
			return nil
		}
	case "RELATED":
		v := m.text(p)
		if p.has("VALUE") && strings.EqualFold(p.param("VALUE"), "text") || !looksLikeURI(v) {
			types := p.types()
			word := "other"
			if len(types) > 0 {
				word = types[0]
			}
			m.family(word, v, "")
			return nil
		}
	case "X-ABRELATEDNAMES":
		m.family(customLabel(m.labels[strings.ToLower(p.group)]), m.text(p), "")
		m.relative(p)
		return nil
	case "X-RAPPORT-PROFILE", "X-RAPPORT-FAMILY", "X-RAPPORT-PET":
		m.rapport(p)
		return nil
	}
	switch {
	case anniversaryProps[p.name]:
		if d, ok := m.date(p); ok && (c.Anniversary.IsZero() || c.Anniversary == d) {
			c.Anniversary = d
			return nil
		} else if ok || m.text(p) == "" {
			return nil
		} // one in words is kept as it came

	case spouseProps[p.name]:
		m.family("spouse", m.text(p), "")
		return nil
	case childrenProps[p.name]:
		for _, n := range m.list(p) {
			m.family("child", n, "")
		}
		return nil
	}
	m.extra = append(m.extra, *p)
	return nil
}

// altNames are the properties Rapport holds one of and that RFC 6350
// §6.2.2 lets a card give in alternative representations (ALTID=1 on a
// name in two scripts). In Extra, the alternatives keep their own name;
// the line of the value Rapport mapped is kept as ownPrefix+name, so the
// export knows which one to replace when the customer's value was edited.
// altPrefix marks the alternatives in 3.0, which has no ALTID and allows
// only one N.
var altNames = map[string]bool{"FN": true, "N": true, "ORG": true, "TITLE": true}

const (
	altPrefix = "X-RAPPORT-ALT-"
	ownPrefix = "X-RAPPORT-OWN-"
)

// keepAltPrimary notes the line of a mapped FN, N, ORG or TITLE (the
// last one mapped: an empty N leaves room for the next). When the card
// gives that property in alternative representations, the line is kept in
// Extra too (ownAlt): its parameters (LANGUAGE, ALTID) have no place on the
// customer, and the export writes them back with the rest of the group
// (cardWriter.single).
func (m *mapper) keepAltPrimary(p *prop) {
	if m.mapped == nil {
		m.mapped = map[string]prop{}
	}
	q := *p
	q.group = "" // the export writes the property without a group
	m.mapped[p.name] = q
}

// ownAlt adds the kept lines of the mapped properties that have an ALTID
// group: the mapped line with its ALTID, or with the group's ALTID when it
// had none, so that the export writes a valid group and reading that back
// gives the same Extra.
//
// FN is kept only with its own ALTID and a value: the export writes a
// plain FN otherwise (4.0 allows more than one), as a blank FN gives way
// to a derived name.
func (m *mapper) ownAlt() {
	for name, q := range m.mapped {
		alt := -1
		for i := range m.extra {
			// An empty alternative is not kept (extraLine): no group.
			if e := &m.extra[i]; e.group == "" && e.name == name && hasAltID(e) && (e.keep || strings.TrimSpace(decodeText(e, m.fb)) != "") {
				alt = i
				break
			}
		}
		switch {
		case alt < 0:
			continue // no group: nothing to keep together
		case name == "FN" && (!hasAltID(&q) || m.text(&q) == ""):
			continue
		case !hasAltID(&q):
			q.params = append(append([]param(nil), q.params...), param{name: "ALTID", values: nonEmpty([]string{m.extra[alt].param("ALTID")})})
		}
		// The value as the export writes it from the customer, so that
		// the export recognises it (N;;;;;x has more parts than Rapport's).
		c := &m.rec.Customer
		switch name {
		case "N":
			q.value = []byte(joinEscaped(c.FamilyName, c.GivenName, c.MiddleName, c.Prefix, c.Suffix))
		case "TITLE":
			q.value = []byte(escapeText(c.Title))
		case "ORG":
			org := escapeText(c.Company)
			if c.Department != "" {
				for _, unit := range strings.Split(c.Department, orgUnitSep) {
					org += ";" + escapeText(unit)
				}
			}
			q.value = []byte(org)
		}
		if strings.Trim(string(q.value), ";") == "" {
			// An empty own value gives way, as an empty FN does: nothing
			// of it to keep with the group.
			continue
		}
		q.orig, q.name = ownPrefix+name, ownPrefix+name
		q.keep = true
		m.extra = append(m.extra, q)
	}
}

// altFirst puts the ALTID lines first, in the order the export writes
// them (FN, N, ORG, TITLE; the customer's own line before the others), so
// that an export and import give the same Extra.
func altFirst(ps []prop) []prop {
	rank := func(p *prop) int {
		name, own := strings.CutPrefix(p.name, ownPrefix)
		if p.group != "" || !altNames[name] || !hasAltID(p) {
			return 100
		}
		r := map[string]int{"FN": 0, "N": 2, "ORG": 4, "TITLE": 6}[name]
		if !own {
			r++
		}
		return r
	}
	sort.SliceStable(ps, func(i, j int) bool { return rank(&ps[i]) < rank(&ps[j]) })
	return ps
}

func cutAltPrefix(name string) (string, bool) {
	if s, ok := strings.CutPrefix(name, altPrefix); ok {
		return s, true
	}
	return strings.CutPrefix(name, ownPrefix)
}

// inWords says whether a date value that is no date is meant as words:
// VALUE=text, or letters in it ("circa 1800").
func inWords(p *prop, t string) bool {
	if t == "" || strings.ContainsAny(t, "\r\n") {
		return false
	}
	if strings.EqualFold(p.param("VALUE"), "text") {
		return true
	}
	return strings.IndexFunc(t, unicode.IsLetter) >= 0
}

func (m *mapper) useGroup(p *prop) {
	if p.group != "" {
		m.used[strings.ToLower(p.group)] = true
		m.share(p)
	}
}

func (m *mapper) share(p *prop) {
	if p.group != "" {
		if m.shared == nil {
			m.shared = map[string]bool{}
		}
		m.shared[strings.ToLower(p.group)] = true
	}
}

func (m *mapper) labelled(p *prop) {
	c := &m.rec.Customer
	v := m.text(p)
	label, pref := m.label(p)
	switch p.name {
	case "TEL":
		v = trimScheme(v, "tel:")
	case "EMAIL":
		v = trimScheme(v, "mailto:")
	case "X-SOCIALPROFILE":
		if label == "" {
			label = strings.ToLower(p.param("X-USER"))
		}
	}
	if v == "" {
		return
	}
	l := data.Labelled{Label: label, Value: v, Pref: pref}
	switch p.name {
	case "TEL":
		c.Phones = append(c.Phones, l)
		m.noteEntry("TEL", p)
	case "EMAIL":
		c.Emails = append(c.Emails, l)
		m.noteEntry("EMAIL", p)
	default:
		c.URLs = append(c.URLs, l)
		m.noteEntry("URL", p)
	}
}

func (m *mapper) address(p *prop) {
	if p.has("LABEL") {
		// An unquoted LABEL= holding a colon (ez-vcard issue 114) cut the
		// line too early: the address starts after the last colon before
		// the first semicolon.
		v := p.value
		if semi := bytes.IndexByte(v, ';'); semi > 0 {
			if colon := bytes.LastIndexByte(v[:semi], ':'); colon >= 0 {
				p.value = v[colon+1:]
			}
		}
	}
	a := m.parts(p, 7)
	label, pref := m.label(p)
	defer m.keepAddressLabel(p, &m.rec.Customer, len(m.rec.Customer.Addresses))
	addr := data.Address{
		Label:    label,
		Street:   strings.Join(nonEmpty(a[:3]), "\n"), // PO box and extended address go with the street
		Locality: a[3], Region: a[4], Postcode: a[5],
		Country: strings.Join(nonEmpty(a[6:]), ", "),
		Pref:    pref,
	}
	if addr.Street+addr.Locality+addr.Region+addr.Postcode+addr.Country == "" {
		return
	}
	m.rec.Customer.Addresses = append(m.rec.Customer.Addresses, addr)
	m.noteEntry("ADR", p)
}

// keepAddressLabel keeps a 4.0 ADR;LABEL= (the address as printed on an
// envelope) when the ADR at index n became an address: Address has no
// place for it, so it goes to Extra keyed by the address, and the export
// puts it back on the same address (see adrLabelLine).
func (m *mapper) keepAddressLabel(p *prop, c *data.Customer, n int) {
	var label string
	for _, pa := range p.params {
		if pa.name == "LABEL" {
			// An unquoted label's commas split it into values: rejoin.
			label = strings.TrimSpace(strings.Join(pa.values, ","))
			break
		}
	}
	if label == "" || len(c.Addresses) != n+1 {
		return
	}
	c.Extra = append(c.Extra, data.ExtraProperty{Raw: adrLabelLine(c.Addresses[n], label)})
}

// family adds a relative unless the card carries Rapport's own family list
// (then this property is only a copy for other programs) or already has
// the same person.
func (m *mapper) family(word, name, notes string) {
	if m.ownFam || name == "" {
		return
	}
	rel, note := relationOf(word)
	if notes == "" {
		notes = note
	}
	for _, f := range m.rec.Profile.Family {
		if f.Relation == rel && strings.EqualFold(f.Name, name) {
			return
		}
	}
	m.rec.Profile.Family = append(m.rec.Profile.Family, data.FamilyMember{Relation: rel, Name: name, Notes: notes})
}

// rapport reads Rapport's own profile properties. One that Rapport cannot
// store (an unknown category or relation, no text, no name, a bad birthday)
// is reported and kept as an unknown property, so that it is written back
// on export as it came, and the rest of the card imports.
func (m *mapper) rapport(p *prop) {
	pr := &m.rec.Profile
	var err error
	switch p.name {
	case "X-RAPPORT-PROFILE":
		var it data.ProfileItem
		if it, err = m.profileItem(p); err == nil {
			pr.Items = append(pr.Items, it)
		}
	case "X-RAPPORT-FAMILY":
		var f data.FamilyMember
		if f, err = m.familyMember(p); err == nil {
			pr.Family = append(pr.Family, f)
		}
	case "X-RAPPORT-PET":
		var pet data.Pet
		if pet, err = m.pet(p); err == nil {
			pr.Pets = append(pr.Pets, pet)
		}
	}
	if err != nil {
		m.problems = append(m.problems, fmt.Sprintf("%s: %v; kept as an unknown property, not in the profile", p.orig, err))
		p.keep = true
		m.extra = append(m.extra, *p)
	}
}

func confidential(p *prop) bool { return strings.EqualFold(p.param("X-CONFIDENTIAL"), "TRUE") }

func (m *mapper) profileItem(p *prop) (data.ProfileItem, error) {
	it := data.ProfileItem{Category: p.param("X-CATEGORY"), Text: unescape(decodeText(p, m.fb)), Confidential: confidential(p)}
	if it.Category == "" {
		it.Category = data.CatOther
	}
	return it, it.Check()
}

func (m *mapper) familyMember(p *prop) (data.FamilyMember, error) {
	v := m.rawParts(p)
	f := data.FamilyMember{Relation: p.param("X-RELATION"), Name: v[0], Notes: v[1], Confidential: confidential(p)}
	if f.Relation == "" {
		f.Relation = data.RelOther
	}
	var err error
	if f.Birthday, err = data.ParseDate(p.param("X-BDAY")); err != nil {
		return f, fmt.Errorf("birthday: %w", err)
	}
	return f, f.Check()
}

func (m *mapper) pet(p *prop) (data.Pet, error) {
	v := m.rawParts(p)
	pet := data.Pet{Name: v[0], Species: p.param("X-SPECIES"), Notes: v[1], Confidential: confidential(p)}
	return pet, pet.Check()
}

// rawParts is name and notes without trimming: Rapport's own values are
// exact. Values written before namedValue have a bare ";" between them;
// those since, a newline (escaped), and no bare ";".
func (m *mapper) rawParts(p *prop) []string {
	raw := decodeText(p, m.fb)
	comps := splitEscaped(raw, ';')
	if len(comps) == 1 {
		if i := escapedNewline(raw); i >= 0 {
			return []string{unescape(raw[:i]), unescape(raw[i+2:])}
		}
	}
	for i := range comps {
		comps[i] = unescape(comps[i])
	}
	if len(comps) > 2 {
		comps[1] = strings.Join(comps[1:], ";")
	}
	for len(comps) < 2 {
		comps = append(comps, "")
	}
	return comps
}

// escapedNewline is the index of the first \n (or \N) escape in s, -1 if none.
func escapedNewline(s string) int {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '\\' {
			if s[i+1] == 'n' || s[i+1] == 'N' {
				return i
			}
			i++
		}
	}
	return -1
}

// photo decodes base64 data, a data: URI or a link. ok is false when there
// is nothing usable (the field is dropped, the card kept).
func (m *mapper) photo(p *prop) (ph data.Photo, ok bool, err error) {
	mime := mimeFromType(p.types())
	var raw []byte
	if p.isBase64() {
		raw = p.value
	} else {
		v := strings.TrimSpace(unescape(decodeText(p, m.fb)))
		lv := strings.ToLower(v)
		switch {
		case strings.HasPrefix(lv, "data:"):
			meta, payload, found := strings.Cut(v[5:], ",")
			if !found {
				return ph, false, nil
			}
			mt, _, _ := strings.Cut(meta, ";")
			mime = normMIME(mt)
			if !strings.Contains(strings.ToLower(meta), ";base64") {
				s, err := url.PathUnescape(payload)
				if err != nil || len(s) > maxPhotoBytes {
					return ph, false, nil
				}
				return data.Photo{Data: []byte(s), MIME: sniffMIME([]byte(s), mime)}, len(s) > 0, nil
			}
			raw = []byte(payload)
		case strings.HasPrefix(lv, "http://"), strings.HasPrefix(lv, "https://"), strings.EqualFold(p.param("VALUE"), "uri") && v != "":
			return data.Photo{URL: v}, true, nil
		case len(v) > 64 && isBase64Line([]byte(v)):
			raw = []byte(v) // base64 without ENCODING, seen from some phones
		default:
			return ph, false, nil
		}
	}
	b, err := decodeBase64(raw)
	if err != nil {
		return ph, false, err
	}
	if len(b) == 0 {
		return ph, false, nil
	}
	return data.Photo{Data: b, MIME: sniffMIME(b, mime)}, true, nil
}

// decodeBase64 strips all whitespace (2.1 indents continuation lines),
// overwriting raw, and decodes with or without padding. Undecodable data gives nil, no error:
// a broken photo should not cost the card.
func decodeBase64(raw []byte) ([]byte, error) {
	clean := raw[:0] // in place: the raw value is not needed afterwards
	for _, c := range raw {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			clean = append(clean, c)
		}
	}
	if base64.StdEncoding.DecodedLen(len(clean)) > maxPhotoBytes+3 {
		return nil, fmt.Errorf("photo is larger than %d MiB", maxPhotoBytes>>20)
	}
	clean = bytes.TrimRight(clean, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		b := make([]byte, enc.DecodedLen(len(clean)))
		n, err := enc.Decode(b, clean)
		b = b[:n]
		if err == nil {
			return b, nil
		}
		// A broken last group (seen in real Android exports) costs at most
		// the last two bytes of the image: keep the rest.
		var ce base64.CorruptInputError
		if errors.As(err, &ce) && int(ce) >= len(clean)-4 && len(b) > 0 {
			return b, nil
		}
	}
	return nil, nil
}

func mimeFromType(types []string) string {
	for _, t := range types {
		if t == "pref" || t == "work" || t == "home" {
			continue
		}
		if m := normMIME(t); m != "" {
			return m
		}
	}
	return ""
}

// normMIME turns a PHOTO TYPE or data: URI media type into a MIME type:
// JPEG -> image/jpeg. Anything that is not a plain media type gives "", as
// it would not survive being written back.
func normMIME(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	switch {
	// octet-stream says "type unknown", which the export writes for a photo
	// stored without a type: read it back as that, so the trip changes nothing.
	case t == "application/octet-stream":
		return ""
	case t == "" || strings.Trim(t, "abcdefghijklmnopqrstuvwxyz0123456789.+-/") != "":
		return ""
	case t == "jpg" || t == "image/jpg":
		return "image/jpeg" // image/jpg is no registered type, but common
	case strings.Contains(t, "/"):
		if a, b, _ := strings.Cut(t, "/"); a == "" || b == "" || strings.Contains(b, "/") {
			return ""
		}
		return t
	}
	return "image/" + t
}

// sniffMIME recognises common image formats; otherwise the declared type.
// TIFF matters: Apple Address Book's PHOTO;BASE64: holds TIFF, untyped.
func sniffMIME(b []byte, declared string) string {
	switch {
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")):
		return "image/tiff"
	case len(b) >= 12 && string(b[4:8]) == "ftyp": // ISO base media: HEIF, AVIF
		switch string(b[8:12]) {
		case "heic", "heix", "heim", "heis", "hevc", "hevx":
			return "image/heic"
		case "mif1", "msf1":
			return "image/heif"
		case "avif", "avis":
			return "image/avif"
		}
	case bytes.HasPrefix(b, []byte{0x00, 0x00, 0x01, 0x00}) && len(b) > 6:
		return "image/x-icon"
	case bytes.HasPrefix(b, []byte{0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' '}):
		return "image/jp2"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte("GIF8")):
		return "image/gif"
	case len(b) > 12 && bytes.HasPrefix(b, []byte("RIFF")) && string(b[8:12]) == "WEBP":
		return "image/webp"
	case bytes.HasPrefix(b, []byte("BM")):
		return "image/bmp"
	}
	return declared
}

func looksLikeURI(v string) bool {
	i := strings.IndexByte(v, ':')
	if i <= 0 || strings.ContainsAny(v[:i], " \t") {
		return false
	}
	return true
}

func trimScheme(v, scheme string) string {
	if len(v) > len(scheme) && strings.EqualFold(v[:len(scheme)], scheme) {
		return strings.TrimSpace(v[len(scheme):])
	}
	return v
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// extraLine renders a property Rapport does not model as one 3.0/4.0-safe
// content line: no QP, no CHARSET, no bare parameters, UTF-8.
func extraLine(p *prop, fb encoding.Encoding) (string, bool) {
	var b strings.Builder
	if p.group != "" {
		b.WriteString(tokenize(p.group))
		b.WriteByte('.')
	}
	if strings.HasPrefix(p.name, "X-") {
		b.WriteString(tokenize(p.orig))
	} else {
		b.WriteString(tokenize(p.name))
	}
	b64 := p.isBase64()
	for _, pa := range p.params {
		switch pa.name {
		case "CHARSET":
			continue
		case "ENCODING":
			if !b64 {
				continue
			}
			b.WriteString(";ENCODING=b")
			continue
		}
		writeParam(&b, pa.name, pa.values)
	}
	var v string
	if b64 {
		v = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, string(p.value))
	} else {
		v = strings.ReplaceAll(decodeText(p, fb), "\n", `\n`)
	}
	if strings.TrimSpace(v) == "" && !p.keep {
		return "", false
	}
	b.WriteByte(':')
	b.WriteString(v)
	return b.String(), true
}

func writeParam(b *strings.Builder, name string, values []string) {
	b.WriteByte(';')
	b.WriteString(tokenize(name))
	b.WriteByte('=') // even with no value: a bare name would read back as TYPE
	for i, v := range values {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(paramValue(v))
	}
}

// tokenize makes a property, group or parameter name a valid token
// (letters, digits, '-'): other parsers reject names like
// "X-messaging/gadu-All" (Nextcloud).
func tokenize(s string) string {
	if isToken(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r < 0x80 && isTokenByte(byte(r)) {
			return r
		}
		return '-'
	}, s)
}

func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isTokenByte(s[i]) {
			return false
		}
	}
	return s != ""
}

func isTokenByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
}

func hasDetails(c *data.Customer, p *data.Profile) bool {
	return !c.Photo.Empty() || len(c.Extra) > 0 || c.CardNote != "" || len(c.URLs) > 0 || len(c.Addresses) > 0 ||
		len(c.Tags) > 0 || !c.Birthday.IsZero() || !c.Anniversary.IsZero() || c.Title != "" ||
		len(p.Items)+len(p.Family)+len(p.Pets) > 0
}

// sameGroup: p is in the ALTID group of the line already mapped for its
// property, so it is another representation of that value (an empty one
// included), not a value of its own.
func (m *mapper) sameGroup(p *prop) bool {
	q, ok := m.mapped[p.name]
	return ok && hasAltID(p) && strings.EqualFold(strings.TrimSpace(q.param("ALTID")), strings.TrimSpace(p.param("ALTID")))
}

// hasAltID: the property is in an ALTID group. An empty ALTID groups
// nothing (and cannot be written back as one).
func hasAltID(p *prop) bool { return strings.TrimSpace(p.param("ALTID")) != "" }
