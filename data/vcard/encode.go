package vcard

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rapportcrm/rapport/data"
)

// Options control the encoder.
type Options struct {
	Version      string // "3.0" (default) or "4.0"
	NoPhotos     bool   // leave photos out
	Confidential bool   // include confidential profile items, relatives and pets
	// ForApple writes 3.0 dates without a year in Apple's form
	// (1604-MM-DD with X-APPLE-OMIT-YEAR=1604). Only Apple's apps read it
	// that way; Android, Google, Thunderbird and Outlook take 1604 as the
	// year, so the default is --MM-DD. 4.0 always writes --MMDD.
	ForApple bool
}

// Encoder writes customers as vCards. Output is deterministic: nothing
// depends on the time, so export -> import -> export is byte-identical.
type Encoder struct {
	w   io.Writer
	opt Options
}

// NewEncoder returns an encoder writing to w.
func NewEncoder(w io.Writer, opt Options) *Encoder {
	return &Encoder{w: w, opt: opt}
}

const prodID = "-//Rapport//Rapport CRM//EN"

// Encode writes one card. A card is built in memory and written with one
// Write, so a failure never leaves half a card behind.
func (e *Encoder) Encode(c *data.Customer, p *data.Profile) error {
	v4 := false
	switch e.opt.Version {
	case "", "3.0":
	case "4.0":
		v4 = true
	default:
		return fmt.Errorf("vcard: unsupported version %q (use 3.0 or 4.0)", e.opt.Version)
	}
	if p == nil {
		p = &data.Profile{}
	}
	w := &cardWriter{v4: v4, apple: e.opt.ForApple, used: map[string]bool{}}
	w.build(c, p, e.opt)
	if _, err := e.w.Write(w.buf.Bytes()); err != nil {
		return fmt.Errorf("writing card %q: %w", c.Name(), err)
	}
	return nil
}

type cardWriter struct {
	buf   bytes.Buffer
	v4    bool
	apple bool // Options.ForApple
	// adrLabels are kept ADR LABELs by address value; labelUsed the
	// Extra lines they came from (their address is still on the card).
	adrLabels map[string]string
	labelUsed map[string]bool
	used      map[string]bool // groups taken by Extra lines
	group     int
	// alt holds the Extra lines of ALTID groups (FN, N, ORG, TITLE) by
	// name, in card order; single writes them with the customer's value.
	alt map[string][]altLine
	// kept are the groups of the entries written from their Card, in
	// write order (see keptGroups).
	kept []string
	// entryGroups are the groups the phones, e-mails, addresses and links
	// were written in, in write order ("" for none); see settleNatives.
	entryGroups []string
	// relKept are the relatives (lower-case names) an extra line carries;
	// relGroups the group each relative was written in.
	relKept   map[string]bool
	relGroups map[string]string
	// dry: only the group names are wanted (settleNatives), no text.
	dry bool
}

type altLine struct {
	raw    string // without ownPrefix
	params string // ";ALTID=1;LANGUAGE=en"
	altID  string
	value  string // still escaped
	own    bool   // the line of the value Rapport mapped
}

func (w *cardWriter) build(c *data.Customer, p *data.Profile, opt Options) {
	w.adrLabels, w.labelUsed = addressLabels(c)
	extras := w.keptRelatives(w.takeAlt(w.extras(c.Extra, opt)), p, opt.Confidential)
	w.keptGroups(c)
	w.raw("BEGIN:VCARD")
	if w.v4 {
		w.raw("VERSION:4.0")
	} else {
		w.raw("VERSION:3.0")
	}
	w.raw("PRODID:" + prodID)
	if c.UID != "" {
		w.raw("UID:" + escapeText(c.UID))
	}
	w.single("FN", escapeText(c.Name()))
	w.single("N", joinEscaped(c.FamilyName, c.GivenName, c.MiddleName, c.Prefix, c.Suffix))
	if c.Nickname != "" {
		// Import joins a NICKNAME list with ", ": write it as the list.
		nicks := strings.Split(c.Nickname, nicknameSep)
		for i, n := range nicks {
			nicks[i] = escapeText(n)
		}
		w.raw("NICKNAME:" + strings.Join(nicks, ","))
	}
	if c.Company != "" || c.Department != "" || len(w.alt["ORG"]) > 0 {
		org := escapeText(c.Company)
		if c.Department != "" {
			for _, unit := range strings.Split(c.Department, orgUnitSep) {
				org += ";" + escapeText(unit)
			}
		}
		w.single("ORG", org)
	}
	if c.Title != "" || len(w.alt["TITLE"]) > 0 {
		w.single("TITLE", escapeText(c.Title))
	}
	w.date("BDAY", c.Birthday)
	w.anniversary(c.Anniversary)
	for _, l := range c.Phones {
		w.labelled("TEL", l, nil)
	}
	for _, l := range c.Emails {
		var t []string
		if !w.v4 {
			t = []string{"INTERNET"}
		}
		w.labelled("EMAIL", l, t)
	}
	for _, a := range c.Addresses {
		w.address(a)
	}
	for _, l := range c.URLs {
		w.labelled("URL", l, nil)
	}
	if len(c.Tags) > 0 {
		tags := make([]string, len(c.Tags))
		for i, t := range c.Tags {
			tags[i] = escapeText(t)
		}
		w.raw("CATEGORIES:" + strings.Join(tags, ","))
	}
	if c.CardNote != "" {
		w.raw("NOTE:" + escapeText(c.CardNote))
	}
	if !opt.NoPhotos {
		w.photo(c.Photo)
	}
	w.profile(p, opt.Confidential)
	for _, x := range extras {
		w.raw(x)
	}
	w.raw("END:VCARD")
}

// raw writes one content line, folded at 75 octets without splitting a
// UTF-8 sequence; continuation lines start with one space.
func (w *cardWriter) raw(line string) {
	if w.dry {
		return
	}
	line = strings.ToValidUTF8(line, "\uFFFD")
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		// A continuation that reads "END:VCARD" (or BEGIN) would be taken
		// for the marker by readers that forgive indented markers, ours
		// among them: fold one character earlier.
		if rest := []byte(line[cut:]); isMarker(rest, "END") || isMarker(rest, "BEGIN") {
			for cut--; cut > 0 && !utf8.RuneStart(line[cut]); cut-- {
			}
		}
		w.buf.WriteString(line[:cut])
		w.buf.WriteString("\r\n ")
		line = line[cut:]
		limit = 74
	}
	w.buf.WriteString(line)
	w.buf.WriteString("\r\n")
}

// extras returns the Extra lines to write, made safe (one line, a name and
// a colon) and notes the groups they use so ours do not collide.
func (w *cardWriter) extras(ex []data.ExtraProperty, opt Options) []string {
	var out []string
	for _, x := range ex {
		r := strings.NewReplacer("\r\n", `\n`, "\r", `\n`, "\n", `\n`).Replace(x.Raw)
		head, ok := splitHead([]byte(r))
		if !ok {
			continue
		}
		name := string(head)
		if i := strings.IndexByte(name, ';'); i >= 0 {
			name = name[:i]
		}
		group := ""
		if i := strings.IndexByte(name, '.'); i >= 0 {
			group, name = name[:i], name[i+1:]
		}
		if !isToken(name) || group != "" && !isToken(group) {
			continue // other parsers reject the whole file for a bad name
		}
		name = strings.ToUpper(name)
		if skipped[name] || opt.NoPhotos && name == "PHOTO" {
			continue
		}
		if w.labelUsed[x.Raw] {
			continue // written as the LABEL of its address
		}
		if !opt.Confidential && strings.HasPrefix(name, "X-RAPPORT-") && confidentialHead(string(head)) {
			continue // a profile entry kept aside on import is still confidential
		}
		if group != "" {
			w.used[strings.ToLower(group)] = true
		}
		out = append(out, r)
	}
	return out
}

// takeAlt moves the ALTID lines of FN, N, ORG and TITLE out of the
// Extra lines into w.alt, to be written with their own property.
func (w *cardWriter) takeAlt(extras []string) []string {
	out := extras[:0:0]
	for _, x := range extras {
		p, ok := parseLine([]byte(x), nil)
		name, own := strings.CutPrefix(p.name, ownPrefix)
		if ok && p.group == "" && altNames[name] && hasAltID(&p) {
			if w.alt == nil {
				w.alt = map[string][]altLine{}
			}
			raw := x
			if own {
				raw = raw[len(ownPrefix):]
			}
			head, _ := splitHead([]byte(raw))
			w.alt[name] = append(w.alt[name], altLine{raw: raw, params: string(head[len(name):]),
				altID: p.param("ALTID"), value: string(p.value), own: own})
			continue
		}
		out = append(out, x)
	}
	return out
}

// single writes FN, N, ORG or TITLE with value (escaped) and, when the
// card came with alternative representations (RFC 6350 §6.2.2), the whole
// group together: the value first, with the parameters it came with (or
// the group's ALTID), then the other representations as they came in
// 4.0, as X-RAPPORT-ALT-<name> in 3.0 (one N only there), which import
// reads back as the same group.
func (w *cardWriter) single(name, value string) {
	group := w.alt[name]
	if len(group) == 0 {
		w.raw(name + ":" + value)
		return
	}
	own := -1
	for i, a := range group {
		if a.own {
			own = i
			break
		}
	}
	id := group[0].altID
	switch {
	case own >= 0 && sameValue(group[own].value, value):
		id = group[own].altID
		w.raw(group[own].raw)
	case own >= 0: // edited since: the new value, in the same group
		id = group[own].altID
		w.raw(name + group[own].params + ":" + value)
	case name == "FN":
		w.raw(name + ":" + value) // see mapper.ownAlt
	default:
		w.raw(name + ";ALTID=" + paramValue(id) + ":" + value)
	}
	for i, a := range group {
		if i == own {
			continue
		}
		if w.v4 && (name != "N" || a.altID == id) {
			w.raw(a.raw)
		} else {
			w.raw(altPrefix + a.raw)
		}
	}
}

// sameValue compares two escaped (maybe structured) values as text:
// "Yamada;Taro" is "Yamada;Taro;;;".
func sameValue(a, b string) bool {
	norm := func(s string) []string {
		parts := splitEscaped(s, ';')
		for i := range parts {
			parts[i] = strings.TrimSpace(unescape(parts[i]))
		}
		for len(parts) > 0 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1]
		}
		return parts
	}
	return slices.Equal(norm(a), norm(b))
}

func (w *cardWriter) nextGroup() string {
	for {
		w.group++
		g := fmt.Sprintf("item%d", w.group)
		if !w.used[g] {
			return g
		}
	}
}

func joinEscaped(parts ...string) string {
	for i := range parts {
		parts[i] = escapeText(parts[i])
	}
	return strings.Join(parts, ";")
}

// params renders ;NAME=v1,v2 pairs.
func params(kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			continue
		}
		b.WriteByte(';')
		b.WriteString(kv[i])
		b.WriteByte('=')
		b.WriteString(kv[i+1])
	}
	return b.String()
}

// typeParam renders a TYPE list: upper case in 3.0, lower case in 4.0.
func (w *cardWriter) typeParam(types []string) string {
	out := make([]string, 0, len(types))
	for _, t := range types {
		if w.v4 {
			t = strings.ToLower(t)
		} else {
			t = strings.ToUpper(t)
		}
		out = append(out, paramValue(t))
	}
	return strings.Join(out, ",")
}

// labelled writes TEL/EMAIL/URL with its label as TYPE or, for a custom
// label, as an Apple-style group with X-ABLabel.
func (w *cardWriter) labelled(name string, l data.Labelled, extra []string) {
	if l.Card != "" && w.keptLabelled(name, l, extra) {
		return
	}
	group := ""
	if _, ok := typesForLabel(l.Label); !ok {
		group = w.nextGroup()
	}
	w.labelledIn(group, name, l, extra)
	w.entryGroups = append(w.entryGroups, group)
}

// labelledIn writes l in group (none if ""), the group getting an
// X-ABLabel when the label is no TYPE.
func (w *cardWriter) labelledIn(group, name string, l data.Labelled, extra []string) {
	types, ok := typesForLabel(l.Label)
	if group != "" {
		group += "."
	}
	types = append(append([]string(nil), extra...), types...)
	pref := ""
	if l.Pref {
		if w.v4 {
			pref = "1"
		} else {
			types = append(types, "PREF")
		}
	}
	value := escapeText(l.Value)
	if name == "URL" {
		value = escapeURI(l.Value)
	}
	w.raw(group + name + params("TYPE", w.typeParam(types), "PREF", pref) + ":" + value)
	if !ok {
		w.raw(group + "X-ABLabel:" + escapeText(abLabel(l.Label)))
	}
}

func (w *cardWriter) address(a data.Address) {
	if a.Card != "" && w.keptAddress(a, w.adrLabels[adrKey(a)]) {
		return
	}
	group := ""
	if _, ok := typesForLabel(a.Label); !ok {
		group = w.nextGroup()
	}
	w.addressIn(group, a)
	w.entryGroups = append(w.entryGroups, group)
}

func (w *cardWriter) addressIn(group string, a data.Address) {
	types, ok := typesForLabel(a.Label)
	if group != "" {
		group += "."
	}
	pref := ""
	if a.Pref {
		if w.v4 {
			pref = "1"
		} else {
			types = append(types, "PREF")
		}
	}
	label := ""
	if l, ok := w.adrLabels[adrKey(a)]; ok {
		label = paramValue(l)
	}
	w.raw(group + "ADR" + params("TYPE", w.typeParam(types), "PREF", pref, "LABEL", label) + ":" + adrKey(a))
	if !ok {
		w.raw(group + "X-ABLabel:" + escapeText(abLabel(a.Label)))
	}
}

// dateValue formats a date for this version. A year-less date is RFC 6350's
// --MMDD in 4.0. In 3.0 it is --MM-DD (ISO 8601 with the year left out), the
// form Android's contacts app writes and reads (its DateUtils parses
// "--MM-dd" as a date without a year); with Options.ForApple it is Apple's
// 1604 placeholder year marked by X-APPLE-OMIT-YEAR, which other readers
// take as born in 1604.
func (w *cardWriter) dateValue(d data.Date) (param, value string) {
	switch {
	case w.v4 && d.HasYear():
		return "", fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day)
	case w.v4:
		return "", fmt.Sprintf("--%02d%02d", int(d.Month), d.Day)
	case d.HasYear():
		return "", d.String()
	case w.apple:
		return ";X-APPLE-OMIT-YEAR=1604", fmt.Sprintf("1604-%02d-%02d", int(d.Month), d.Day)
	default:
		return "", fmt.Sprintf("--%02d-%02d", int(d.Month), d.Day)
	}
}

func (w *cardWriter) date(name string, d data.Date) {
	if d.IsText() {
		// RFC 6350's text value; 3.0 readers that want a date skip it,
		// Android keeps the words, and Rapport reads it back either way.
		w.raw(name + ";VALUE=text:" + escapeText(d.Text))
		return
	}
	if d.IsZero() || d.Validate() != nil {
		return
	}
	p, v := w.dateValue(d)
	w.raw(name + p + ":" + v)
}

func (w *cardWriter) anniversary(d data.Date) {
	if w.v4 {
		w.date("ANNIVERSARY", d)
		if !d.IsZero() && !d.IsText() && d.Validate() == nil {
			// The group 3.0 takes for X-ABDATE, so that the groups after
			// it have the same names in both versions (settleNatives).
			w.nextGroup()
		}
		return
	}
	if d.IsZero() || d.IsText() || d.Validate() != nil {
		return
	}
	// 3.0 has no ANNIVERSARY; Apple's labelled X-ABDATE is what Apple and
	// Google read.
	g := w.nextGroup()
	p, v := w.dateValue(d)
	w.raw(g + ".X-ABDATE" + p + ":" + v)
	w.raw(g + ".X-ABLabel:" + abLabel("anniversary"))
}

func (w *cardWriter) photo(ph data.Photo) {
	switch {
	case len(ph.Data) > 0:
		b64 := base64.StdEncoding.EncodeToString(ph.Data)
		// A photo stored without a type (older imports of Apple's TIFF)
		// gets the one its bytes show.
		mime := sniffMIME(ph.Data, normMIME(ph.MIME))
		if w.v4 {
			// An empty media type reads as text/plain (RFC 2397): say
			// what little we know rather than that.
			if mime == "" {
				mime = "application/octet-stream"
			}
			w.raw("PHOTO:data:" + mime + ";base64," + b64)
			return
		}
		t := "" // 3.0: no TYPE rather than a wrong one
		if mime != "" {
			t = ";TYPE=" + paramValue(photoType(mime))
		}
		w.raw("PHOTO;ENCODING=b" + t + ":" + b64)
	case ph.URL != "":
		w.raw("PHOTO;VALUE=uri:" + escapeURI(ph.URL))
	}
}

// photoType is the 3.0 TYPE for a MIME type: image/jpeg -> JPEG.
func photoType(mime string) string {
	if sub, ok := strings.CutPrefix(mime, "image/"); ok && sub != "" {
		return strings.ToUpper(sub)
	}
	return mime
}

// profile writes Rapport's own X-RAPPORT-* properties, and for other
// programs the close family as X-ABRELATEDNAMES (3.0) or RELATED (4.0).
// On import those copies are ignored when X-RAPPORT-FAMILY is present.
func (w *cardWriter) profile(p *data.Profile, confidential bool) {
	conf := func(c bool) string {
		if c {
			return ";X-CONFIDENTIAL=TRUE"
		}
		return ""
	}
	for _, f := range p.Family {
		if f.Confidential || f.Name == "" || w.relKept[relKey(f.Relation, f.Name)] {
			continue
		}
		switch {
		case w.v4 && (f.Relation == data.RelSpouse || f.Relation == data.RelChild || f.Relation == data.RelParent || f.Relation == data.RelSibling):
			w.raw("RELATED;TYPE=" + f.Relation + ";VALUE=text:" + escapeText(f.Name))
		case !w.v4 && f.Relation != data.RelOther && f.Relation != "":
			if _, ok := appleWrapped[f.Relation]; ok {
				g := w.nextGroup()
				if w.relGroups == nil {
					w.relGroups = map[string]string{}
				}
				w.relGroups[relKey(f.Relation, f.Name)] = g
				w.raw(g + ".X-ABRELATEDNAMES:" + escapeText(f.Name))
				w.raw(g + ".X-ABLabel:" + abLabel(f.Relation))
			}
		}
	}
	for _, it := range p.Items {
		if it.Confidential && !confidential {
			continue
		}
		w.raw("X-RAPPORT-PROFILE;X-CATEGORY=" + paramValue(it.Category) + conf(it.Confidential) + ":" + escapeText(it.Text))
	}
	for _, f := range p.Family {
		if f.Confidential && !confidential {
			continue
		}
		v := namedValue(f.Name, f.Notes)
		bday := ""
		if !f.Birthday.IsZero() {
			bday = ";X-BDAY=" + f.Birthday.String()
		}
		w.raw("X-RAPPORT-FAMILY;X-RELATION=" + paramValue(f.Relation) + bday + conf(f.Confidential) + ":" + v)
	}
	for _, pet := range p.Pets {
		if pet.Confidential && !confidential {
			continue
		}
		v := namedValue(pet.Name, pet.Notes)
		species := ""
		if pet.Species != "" {
			species = ";X-SPECIES=" + paramValue(pet.Species)
		}
		w.raw("X-RAPPORT-PET" + species + conf(pet.Confidential) + ":" + v)
	}
}

// namedValue is the value of X-RAPPORT-FAMILY and X-RAPPORT-PET: the name,
// then the notes after a newline, both escaped, so there is no bare ";" in
// it. Servers that keep X- values as text (Radicale re-serialises them
// with python-vobject) turn a bare ";" into "\;" and so could not tell a
// separator from a semicolon in the notes; a newline survives every one.
// A name is one line.
func namedValue(name, notes string) string {
	v := escapeText(oneLineName.Replace(name))
	if notes != "" {
		v += `\n` + escapeText(notes)
	}
	return v
}

var oneLineName = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// confidentialHead says whether a content line's name and parameters carry
// X-CONFIDENTIAL=TRUE.
func confidentialHead(head string) bool {
	_, params, _ := strings.Cut(head, ";")
	for _, pa := range parseParams(";" + params) {
		if pa.name == "X-CONFIDENTIAL" && len(pa.values) > 0 && strings.EqualFold(pa.values[0], "TRUE") {
			return true
		}
	}
	return false
}
