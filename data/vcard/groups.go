package vcard

import (
	"bytes"
	"slices"
	"sort"
	"strings"

	"github.com/rapportcrm/rapport/data"
)

// Other clients' groups (issue 9: what a phone wrote is written back
// untouched). Apple, macOS Contacts, Google and DAVx5 tie a property to
// its label and more by a group:
//
//	item1.TEL;type=CELL;type=VOICE:+49 30 1234
//	item1.X-ABLabel:_$!<Mobile>!$_
//	item2.ADR;type=HOME:;;Hauptstr. 1;Berlin;;10115;Germany
//	item2.X-ABADR:de
//
// A phone, e-mail, link or address read from a group (and every
// X-SOCIALPROFILE, which Rapport shows as a link) keeps its lines in
// Labelled.Card / Address.Card when Rapport's own rendering of the entry
// would differ. The export writes those lines back in place of its own:
// as they came while the entry is unchanged; with the new value in the
// same group and parameters when the value was edited; with Rapport's
// TYPE or X-ABLabel in the same group when the label was. Deleting the
// entry drops its group with it. A group that ties more than one mapped
// property (ORG and TITLE in item3, say) is read as before.

// entryRef is a phone, e-mail, link or address the mapper read, with the
// line it came from.
type entryRef struct {
	list string // "TEL", "EMAIL", "URL" (URL and X-SOCIALPROFILE) or "ADR"
	i    int
	p    prop
}

func (m *mapper) noteEntry(list string, p *prop) {
	c := &m.rec.Customer
	n := map[string]int{"TEL": len(c.Phones), "EMAIL": len(c.Emails), "URL": len(c.URLs), "ADR": len(c.Addresses)}[list]
	if p.group == "" && p.name != "X-SOCIALPROFILE" {
		// An entry with a label TYPE Rapport has no word for
		// (TEL;TYPE=whatsapp) would go out in a group with X-ABLabel:
		// its own line is kept instead, so it goes back as it came.
		var label string
		if list == "ADR" {
			label = c.Addresses[n-1].Label
		} else {
			label = m.entryAt(list, n-1).Label
		}
		if _, plain := typesForLabel(label); plain || quotedParams(p) {
			return
		}
	}
	q := *p
	q.params = append([]param(nil), p.params...)
	m.entries = append(m.entries, entryRef{list: list, i: n - 1, p: q})
	if p.group != "" {
		if m.groupCount == nil {
			m.groupCount = map[string]int{}
		}
		m.groupCount[strings.ToLower(p.group)]++
	}
}

// quotedParams: a parameter value needs quotes, which go-vcard (and so
// a phone's reader, perhaps) gets wrong next to other values
// (TYPE="a,b",PREF drops the property): Rapport's own form is safer.
func quotedParams(p *prop) bool {
	for _, pa := range p.params {
		for _, v := range pa.values {
			if strings.ContainsAny(v, ",:;\"") {
				return true
			}
		}
	}
	return false
}

// keepGroups gives the entries read from groups their Card and takes the
// group's other lines out of the extra properties.
func (m *mapper) keepGroups() {
	c := &m.rec.Customer
	taken := map[int]bool{} // indexes into m.extra moved to a Card
	for _, e := range m.entries {
		g := strings.ToLower(e.p.group)
		shared := g != "" && (m.groupCount[g] > 1 || m.shared[g])
		if shared && !m.ownLabel(e) {
			continue
		}
		main := e.p
		if shared {
			main.group = "" // the group stays with the lines it shares
		}
		if e.list == "ADR" {
			main.params = withoutParam(main.params, "LABEL") // kept as X-RAPPORT-ADR-LABEL, put back by the export
		}
		head, ok := extraLine(&main, m.fb)
		if !ok {
			continue
		}
		lines := []string{head}
		var own []int
		if g != "" && !shared {
			for i := range m.extra {
				if x := &m.extra[i]; strings.EqualFold(x.group, g) && !taken[i] {
					if l, ok := extraLine(x, m.fb); ok {
						lines = append(lines, l)
					}
					own = append(own, i)
				}
			}
		}
		// The export writes a group only for a custom label (X-ABLabel).
		var native bool
		switch e.list {
		case "ADR":
			a := c.Addresses[e.i]
			_, plain := typesForLabel(a.Label)
			native = !plain && nativeGroup(lines, func(w *cardWriter) { w.addressIn(e.p.group, a) })
		default:
			l := m.entryAt(e.list, e.i)
			_, plain := typesForLabel(l.Label)
			native = !plain && e.p.name != "X-SOCIALPROFILE" && nativeGroup(lines, func(w *cardWriter) {
				w.labelledIn(e.p.group, e.list, *l, w.emailTypes(e.list))
			})
		}
		card := strings.Join(lines, "\n")
		if native {
			m.natives = append(m.natives, nativeRef{list: e.list, i: e.i, group: e.p.group, card: card})
			continue
		}
		if e.list == "ADR" {
			c.Addresses[e.i].Card = card
		} else {
			m.entryAt(e.list, e.i).Card = card
		}
		for _, i := range own {
			taken[i] = true
		}
	}
	if len(taken) == 0 {
		return
	}
	out := m.extra[:0]
	for i := range m.extra {
		if !taken[i] {
			out = append(out, m.extra[i])
		}
	}
	m.extra = out
}

// nativeRef is an entry whose group Rapport's export writes as it came,
// provided the export gives it the same group name.
type nativeRef struct {
	list  string
	i     int
	group string
	card  string
}

// settleNatives keeps the Card of the entries in natives whose group the
// export would name differently (item3 becoming item1 when item1 and item2
// were kept), so that a group comes back under its own name. Giving one a
// Card frees the name it would have taken, which may move others: repeat
// until none moves. The export names groups alike in 3.0 and 4.0.
func (m *mapper) settleNatives() {
	c, p := &m.rec.Customer, &m.rec.Profile
	// A relative's group whose person is not in the family (a stale copy
	// beside X-RAPPORT-FAMILY) is not kept: the export would drop it.
	var raws []string
	for _, x := range c.Extra {
		raws = append(raws, x.Raw)
	}
	if kept := (&cardWriter{}).keptRelatives(raws, p, true); len(kept) != len(raws) {
		c.Extra = nil
		for _, r := range kept {
			c.Extra = append(c.Extra, data.ExtraProperty{Raw: r})
		}
	}
	rels := m.relatives[:0]
	for _, r := range m.relatives {
		if slices.ContainsFunc(p.Family, func(f data.FamilyMember) bool { return relKey(f.Relation, f.Name) == r.name }) {
			rels = append(rels, r) // else a stale copy, as above
		}
	}
	m.relatives = rels
	if len(m.natives)+len(m.relatives) == 0 {
		return
	}
	// All or nothing, entries first: if the export names every such group as it came,
	// none needs its lines; if it would rename one, all keep them. (One
	// at a time would not be stable: which one moves depends on which
	// others did, and reading the export back could choose otherwise.)
	// Reading the export back runs the same test on the same groups, so
	// the customer comes back as it was.
	g3, rel := writtenGroups(c, p)
	same := true
	for _, n := range m.natives {
		i := n.i
		switch n.list {
		case "URL":
			i += len(c.Addresses)
			fallthrough
		case "ADR":
			i += len(c.Emails)
			fallthrough
		case "EMAIL":
			i += len(c.Phones)
		}
		same = same && i < len(g3) && strings.EqualFold(g3[i], n.group)
	}
	if !same {
		for _, n := range m.natives {
			if n.list == "ADR" {
				c.Addresses[n.i].Card = n.card
			} else {
				m.entryAt(n.list, n.i).Card = n.card
			}
		}
		if len(m.relatives) > 0 {
			_, rel = writtenGroups(c, p)
		}
	}
	// Then the relatives, written after every entry, the same way.
	for _, r := range m.relatives {
		if !strings.EqualFold(rel[r.name], r.group) {
			for _, r := range m.relatives {
				for _, l := range r.lines {
					c.Extra = append(c.Extra, data.ExtraProperty{Raw: l})
				}
			}
			return
		}
	}
}

// writtenGroups is the group the export writes each phone, e-mail,
// address and link in, in that order.
// It also gives the group of each relative written (by lower-case name).
func writtenGroups(c *data.Customer, p *data.Profile) (entries []string, relatives map[string]string) {
	w := &cardWriter{used: map[string]bool{}, dry: true}
	w.build(c, p, Options{NoPhotos: true, Confidential: true})
	return w.entryGroups, w.relGroups
}

// ownLabel: the entry is an X-SOCIALPROFILE or has a label the export
// writes in a group of its own. One from a group that holds more than it
// keeps its own line (not the group's other lines, which stay as before).
func (m *mapper) ownLabel(e entryRef) bool {
	if e.p.name == "X-SOCIALPROFILE" {
		return true
	}
	var l string
	if e.list == "ADR" {
		l = m.rec.Customer.Addresses[e.i].Label
	} else {
		l = m.entryAt(e.list, e.i).Label
	}
	_, plain := typesForLabel(l)
	return !plain
}

func (m *mapper) entryAt(list string, i int) *data.Labelled {
	c := &m.rec.Customer
	switch list {
	case "TEL":
		return &c.Phones[i]
	case "EMAIL":
		return &c.Emails[i]
	}
	return &c.URLs[i]
}

func withoutParam(ps []param, name string) []param {
	var out []param
	for _, pa := range ps {
		if pa.name != name {
			out = append(out, pa)
		}
	}
	return out
}

// nativeGroup says whether Rapport's own export (3.0 or 4.0) writes the
// entry as these lines, up to case, parameter order and folding: then
// they need not be kept, and export -> import gives the customer it came
// from.
func nativeGroup(lines []string, render func(w *cardWriter)) bool {
	want := normLines(lines)
	for _, v4 := range []bool{false, true} {
		w := &cardWriter{v4: v4, used: map[string]bool{}}
		render(w)
		if slices.Equal(normLines(unfoldOutput(w.buf.Bytes())), want) {
			return true
		}
	}
	return false
}

// unfoldOutput splits the encoder's CRLF-folded output into logical lines.
func unfoldOutput(b []byte) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		if strings.HasPrefix(l, " ") && len(out) > 0 {
			out[len(out)-1] += l[1:]
			continue
		}
		out = append(out, l)
	}
	return out
}

// normLines gives a line's meaning for comparison: group and names in one
// case, parameters sorted, TYPE values as a lower-case set.
func normLines(lines []string) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		p, ok := parseLine([]byte(l), nil)
		if !ok {
			out = append(out, "?"+l)
			continue
		}
		var ps []string
		for _, pa := range p.params {
			vals := append([]string(nil), pa.values...)
			if pa.name == "TYPE" {
				vals = nil
				for _, v := range pa.values {
					for _, t := range strings.Split(v, ",") {
						vals = append(vals, strings.ToLower(strings.TrimSpace(t)))
					}
				}
			}
			sort.Strings(vals)
			ps = append(ps, pa.name+"="+strings.Join(vals, ","))
		}
		sort.Strings(ps)
		out = append(out, strings.ToLower(p.group)+"."+p.name+";"+strings.Join(ps, ";")+":"+string(p.value))
	}
	sort.Strings(out[min(1, len(out)):]) // the entry's own line first; the others in any order
	return out
}

// keptCard is an entry's Card, parsed.
type keptCard struct {
	main  prop
	group string
	comps []string // the group's other lines, as stored
}

func parseKept(card string) (keptCard, bool) {
	lines := strings.Split(card, "\n")
	p, ok := parseLine([]byte(lines[0]), nil)
	if !ok {
		return keptCard{}, false
	}
	k := keptCard{main: p, group: p.group}
	for _, l := range lines[1:] {
		if strings.TrimSpace(l) != "" {
			k.comps = append(k.comps, l)
		}
	}
	return k, true
}

// asRead maps the kept lines as import does, to tell whether the entry
// was edited since.
func (k *keptCard) asRead() *data.Customer {
	m := &mapper{rec: &Record{}, labels: map[string]string{}, used: map[string]bool{}}
	for _, l := range k.comps {
		if p, ok := parseLine([]byte(l), nil); ok && p.name == "X-ABLABEL" && p.group != "" {
			m.labels[strings.ToLower(p.group)] = strings.TrimSpace(unescape(decodeText(&p, nil)))
		}
	}
	p := k.main
	p.params = append([]param(nil), k.main.params...)
	p.value = append([]byte(nil), k.main.value...)
	switch p.name {
	case "ADR":
		m.address(&p)
	default:
		m.labelled(&p)
	}
	return &m.rec.Customer
}

// keptGroups decides, before anything is written, the group each kept
// entry is written in (in write order): its own, unless another kept
// entry or an extra property has it already ("" then: a new one).
func (w *cardWriter) keptGroups(c *data.Customer) {
	var cards []string
	for _, l := range c.Phones {
		cards = append(cards, l.Card)
	}
	for _, l := range c.Emails {
		cards = append(cards, l.Card)
	}
	for _, a := range c.Addresses {
		cards = append(cards, a.Card)
	}
	for _, l := range c.URLs {
		cards = append(cards, l.Card)
	}
	for _, card := range cards {
		if card == "" {
			continue
		}
		group := cardGroup(card)
		g := strings.ToLower(group)
		switch {
		case g == "":
			w.kept = append(w.kept, "")
		case w.used[g]:
			w.kept = append(w.kept, "\x00") // taken: a new group at write time
		default:
			w.used[g] = true
			w.kept = append(w.kept, group)
		}
	}
}

// cardGroup is the group of a Card's first line (its lines were written
// by extraLine: the group, if any, is a token before the name).
func cardGroup(card string) string {
	line, _, _ := strings.Cut(card, "\n")
	end := strings.IndexAny(line, ";:")
	if end < 0 {
		return ""
	}
	if i := strings.IndexByte(line[:end], '.'); i >= 0 {
		return line[:i]
	}
	return ""
}

// nextKept is the group to write the next kept entry in.
func (w *cardWriter) nextKept() string {
	if len(w.kept) == 0 {
		return ""
	}
	g := w.kept[0]
	w.kept = w.kept[1:]
	if g == "\x00" {
		g = w.nextGroup()
	}
	return g
}

// writeKept writes an entry from its kept lines; false when they cannot be
// read (then the entry is written as Rapport writes it). sameLabel and
// sameValue compare the entry with what the lines say; value is the
// entry's value escaped for the line, types the TYPE values for its label
// (ok false: a custom label, for X-ABLabel).
func (w *cardWriter) writeKept(k keptCard, group string, sameLabel, sameValue bool, value string, label string, pref bool, extra []string, adrLabel string) (written string) {
	g := ""
	if group != "" {
		g = group + "."
	}
	name := k.main.name
	if strings.HasPrefix(name, "X-") {
		name = k.main.orig
	}
	var b strings.Builder
	b.WriteString(g + name)
	for _, pa := range k.main.params {
		if !sameLabel && (pa.name == "TYPE" || pa.name == "PREF") || pa.name == "LABEL" {
			continue
		}
		writeParam(&b, pa.name, pa.values)
	}
	types, custom := typesForLabel(label)
	custom = !custom
	if !sameLabel {
		types = append(append([]string(nil), extra...), types...)
		p := ""
		if pref {
			if w.v4 {
				p = "1"
			} else {
				types = append(types, "PREF")
			}
		}
		b.WriteString(params("TYPE", w.typeParam(types), "PREF", p))
	}
	if adrLabel != "" {
		b.WriteString(";LABEL=" + paramValue(adrLabel))
	}
	b.WriteByte(':')
	if sameValue {
		b.Write(k.main.value)
	} else {
		b.WriteString(value)
	}
	if !sameLabel && custom && g == "" {
		group = w.nextGroup()
		g = group + "."
		w.raw(g + b.String())
	} else {
		w.raw(b.String())
	}
	for _, l := range k.comps {
		p, ok := parseLine([]byte(l), nil)
		if !ok || !sameLabel && p.name == "X-ABLABEL" {
			continue
		}
		if p.group != "" && !strings.EqualFold(p.group, group) && strings.EqualFold(p.group, k.group) {
			l = group + l[len(p.group):] // the group was renamed (taken by another entry)
		}
		w.raw(l)
	}
	if !sameLabel && custom {
		w.raw(g + "X-ABLabel:" + escapeText(abLabel(label)))
	}
	return group
}

// keptLabelled writes a phone, e-mail or link from its Card; false when
// the Card cannot be read.
func (w *cardWriter) keptLabelled(name string, l data.Labelled, extra []string) bool {
	group := w.nextKept()
	if w.dry {
		// Just read: the entry is as its lines say, written in its group.
		w.entryGroups = append(w.entryGroups, group)
		return true
	}
	k, ok := parseKept(l.Card)
	if !ok {
		return false
	}
	read := k.asRead()
	var was *data.Labelled
	for _, list := range [][]data.Labelled{read.Phones, read.Emails, read.URLs} {
		if len(list) > 0 {
			was = &list[0]
		}
	}
	sameLabel, sameValue := false, false
	if was != nil {
		sameLabel = was.Label == l.Label && was.Pref == l.Pref
		sameValue = was.Value == l.Value
	}
	value := escapeText(l.Value)
	raw := strings.ToLower(string(k.main.value))
	switch {
	case name == "URL":
		value = escapeURI(l.Value)
	case name == "TEL" && strings.HasPrefix(raw, "tel:"):
		value = "tel:" + escapeURI(l.Value)
	case name == "EMAIL" && strings.HasPrefix(raw, "mailto:"):
		value = "mailto:" + escapeURI(l.Value)
	}
	w.entryGroups = append(w.entryGroups, w.writeKept(k, group, sameLabel, sameValue, value, l.Label, l.Pref, extra, ""))
	return true
}

func (w *cardWriter) keptAddress(a data.Address, adrLabel string) bool {
	group := w.nextKept()
	if w.dry {
		w.entryGroups = append(w.entryGroups, group)
		return true
	}
	k, ok := parseKept(a.Card)
	if !ok {
		return false
	}
	read := k.asRead()
	sameLabel, sameValue := false, false
	if len(read.Addresses) > 0 {
		was := read.Addresses[0]
		sameLabel = was.Label == a.Label && was.Pref == a.Pref
		sameValue = was.Street == a.Street && was.Locality == a.Locality && was.Region == a.Region &&
			was.Postcode == a.Postcode && was.Country == a.Country
	}
	w.entryGroups = append(w.entryGroups, w.writeKept(k, group, sameLabel, sameValue, adrKey(a), a.Label, a.Pref, nil, adrLabel))
	return true
}

func (w *cardWriter) emailTypes(list string) []string {
	if list == "EMAIL" && !w.v4 {
		return []string{"INTERNET"}
	}
	return nil
}

// Relatives (X-ABRELATEDNAMES with its X-ABLabel) go to the profile's
// family, and their group is kept among the extra properties as it came
// unless the export writes the same lines itself (a spouse, child, parent,
// sibling or partner under Apple's own label): a "Father", a "Friend" or a
// "Godfather" so reach the phone again as they were. The export writes no
// relative of its own for a name a kept group carries, and drops the
// group when the family has no such member any more (see keptRelatives).

// relativeRef is a relative whose group the export would write as it came.
type relativeRef struct {
	name  string // relKey
	group string
	lines []string
}

func (m *mapper) relative(p *prop) {
	g := strings.ToLower(p.group)
	name := m.text(p)
	rawLabel := m.labels[g]
	rel, note := relationOf(customLabel(rawLabel))
	if p.group == "" || len(p.params) > 0 || m.groupLines[g] != 2 || name == "" || string(p.value) != escapeText(name) ||
		rel == data.RelOther || note != "" || appleWrapped[rel] != rawLabel {
		// Written back as it came, the X-ABLabel with it.
		m.share(p)
		m.extra = append(m.extra, *p)
		return
	}
	m.useGroup(p)
	main, ok := extraLine(p, m.fb)
	lp := m.labelLines[g]
	label, ok2 := extraLine(&lp, m.fb)
	if ok && ok2 {
		m.relatives = append(m.relatives, relativeRef{name: relKey(rel, name), group: p.group, lines: []string{main, label}})
	}
}

// keptRelatives takes from the extra lines to write the relatives' groups
// whose person is no longer in the family exported (deleted, renamed, or
// confidential), and notes the others, whom profile then does not write
// again.
func (w *cardWriter) keptRelatives(extras []string, p *data.Profile, confidential bool) []string {
	var drop map[string]bool
	labels := map[string]string{}
	for _, x := range extras {
		if q, ok := parseLine([]byte(x), nil); ok && q.name == "X-ABLABEL" && q.group != "" {
			labels[strings.ToLower(q.group)] = strings.TrimSpace(unescape(string(q.value)))
		}
	}
	for _, x := range extras {
		q, ok := parseLine([]byte(x), nil)
		if !ok || q.name != "X-ABRELATEDNAMES" || q.group == "" {
			continue
		}
		name := strings.TrimSpace(unescape(string(q.value)))
		rel, _ := relationOf(customLabel(labels[strings.ToLower(q.group)]))
		found := false
		for _, f := range p.Family {
			if strings.EqualFold(f.Name, name) && f.Relation == rel && (!f.Confidential || confidential) {
				found = true
				break
			}
		}
		if found {
			if w.relKept == nil {
				w.relKept = map[string]bool{}
			}
			w.relKept[relKey(rel, name)] = true
			continue
		}
		if drop == nil {
			drop = map[string]bool{}
		}
		drop[strings.ToLower(q.group)] = true
	}
	if drop == nil {
		return extras
	}
	out := extras[:0:0]
	for _, x := range extras {
		if q, ok := parseLine([]byte(x), nil); ok && q.group != "" && drop[strings.ToLower(q.group)] {
			continue
		}
		out = append(out, x)
	}
	return out
}

// relKey names a relative: relation and name.
func relKey(rel, name string) string { return rel + "\x00" + strings.ToLower(name) }

// Refresh brings the Cards of c's phones, e-mails, links and addresses up
// to date after an edit: each becomes what reading c's export back gives,
// so that the customer stored is the one the server will hand back (a
// sync's three-way merge compares whole entries; a stale Card would make
// an edited entry differ from its own copy on the server). Call it after
// changing entries that have a Card.
func Refresh(c *data.Customer) {
	if !hasCards(c) {
		return
	}
	var buf bytes.Buffer
	if err := NewEncoder(&buf, Options{NoPhotos: true}).Encode(c, nil); err != nil {
		return
	}
	r, err := NewDecoder(&buf).Next()
	if err != nil {
		return
	}
	d := &r.Customer
	if len(d.Phones) != len(c.Phones) || len(d.Emails) != len(c.Emails) || len(d.URLs) != len(c.URLs) || len(d.Addresses) != len(c.Addresses) {
		return // not the same entries: leave them as they are
	}
	for _, l := range []struct{ dst, src []data.Labelled }{{c.Phones, d.Phones}, {c.Emails, d.Emails}, {c.URLs, d.URLs}} {
		for i := range l.dst {
			l.dst[i].Card = l.src[i].Card
		}
	}
	for i := range c.Addresses {
		c.Addresses[i].Card = d.Addresses[i].Card
	}
}

func hasCards(c *data.Customer) bool {
	for _, l := range [][]data.Labelled{c.Phones, c.Emails, c.URLs} {
		for _, e := range l {
			if e.Card != "" {
				return true
			}
		}
	}
	for _, a := range c.Addresses {
		if a.Card != "" {
			return true
		}
	}
	return false
}
