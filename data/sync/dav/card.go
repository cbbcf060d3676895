package dav

import (
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/emersion/go-vcard"
)

// go-vcard's decoder undoes only \\, \n and \, and leaves \; (and \:) in
// the value; its encoder escapes \ , and newline but never ;. So a NOTE
// "a;b" written by a careful client ("a\;b") reads as `a\;b`, and writing
// that back gives "a\\;b": on the wire a backslash and a semicolon, and one
// more backslash every time another client re-escapes it. And a component
// with a semicolon in N or ORG ("O\;Brien") can never be written as the
// RFC says. Normalize and Encode fix both sides, with one convention for a
// Field.Value:
//
//   - text properties (NOTE, FN, TITLE, EMAIL, ...): the plain text,
//     nothing escaped;
//   - structured properties (N, ADR, ORG, GENDER, CLIENTPIDMAP) and every
//     X- property, whose structure only their writer knows: components
//     joined by ";", a semicolon inside a component as `\;`, so phones'
//     and Rapport's X- values go back exactly as they came.
//
// Commas and newlines are plain in both, as go-vcard gives them.

// structured reports whether a property's value has ;-separated parts.
func structured(key string) bool {
	switch strings.ToUpper(key) {
	case vcard.FieldName, vcard.FieldAddress, vcard.FieldOrganization, vcard.FieldGender, vcard.FieldClientPIDMap:
		return true
	}
	return strings.HasPrefix(strings.ToUpper(key), "X-")
}

// Normalize brings a card fresh from go-vcard's decoder to the convention
// above, in place. Call it once per decoded card (Get and MultiGet do):
// it is not idempotent, as a text value may really contain `\;`.
func Normalize(card vcard.Card) {
	for k, fields := range card {
		if structured(k) {
			continue
		}
		for _, f := range fields {
			if strings.Contains(f.Value, `\`) {
				f.Value = textLeftovers.Replace(f.Value)
			}
		}
	}
}

// textLeftovers are the escapes go-vcard leaves in a text value; \: is
// from Gmail's "http\://".
var textLeftovers = strings.NewReplacer(`\;`, ";", `\:`, ":")

// Encode writes a card as vCard text by the convention above, in
// go-vcard's layout (VERSION first, then properties sorted by name) so
// go-vcard's decoder plus Normalize give back the same card.
func Encode(card vcard.Card) ([]byte, error) {
	version := card.Get(vcard.FieldVersion)
	if version == nil {
		return nil, errors.New("card has no VERSION")
	}
	if card.Get(vcard.FieldUID) == nil || card.Value(vcard.FieldUID) == "" {
		return nil, errors.New("card has no UID: CardDAV servers need one per card (RFC 6352 §5.1)")
	}
	var b strings.Builder
	b.WriteString("BEGIN:VCARD\r\n")
	writeLine(&b, vcard.FieldVersion, version)
	keys := make([]string, 0, len(card))
	for k := range card {
		if !strings.EqualFold(k, vcard.FieldVersion) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.EqualFold(k, "BEGIN") || strings.EqualFold(k, "END") {
			return nil, errors.New("card has a " + k + " property inside it")
		}
		for _, f := range card[k] {
			writeLine(&b, k, f)
		}
	}
	b.WriteString("END:VCARD\r\n")
	return []byte(b.String()), nil
}

func writeLine(b *strings.Builder, key string, f *vcard.Field) {
	if f.Group != "" {
		b.WriteString(f.Group)
		b.WriteByte('.')
	}
	b.WriteString(key)
	pks := make([]string, 0, len(f.Params))
	for k := range f.Params {
		pks = append(pks, k)
	}
	sort.Strings(pks)
	for _, k := range pks {
		for _, v := range f.Params[k] {
			b.WriteByte(';')
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(paramValue(v))
		}
	}
	b.WriteByte(':')
	if structured(key) {
		b.WriteString(escapeStructured(f.Value))
	} else {
		b.WriteString(escapeText(f.Value))
	}
	b.WriteString("\r\n")
}

// paramValue quotes a value with ; : or " in it. go-vcard reads a quoted
// value with Go's escapes (strconv.UnquoteChar), so strconv.Quote matches.
func paramValue(v string) string {
	if strings.ContainsAny(v, `;:"`) {
		return strconv.Quote(v)
	}
	return paramEscaper.Replace(v)
}

var paramEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, ",", `\,`)

var textEscaper = strings.NewReplacer(`\`, `\\`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`, ",", `\,`, ";", `\;`)

func escapeText(s string) string { return textEscaper.Replace(s) }

// escapeStructured keeps ";" as the separator and `\;` as a semicolon in a
// component; any other backslash is a backslash.
func escapeStructured(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 < len(s) && s[i+1] == ';' {
				b.WriteString(`\;`)
				i++
			} else {
				b.WriteString(`\\`)
			}
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case '\n':
			b.WriteString(`\n`)
		case ',':
			b.WriteString(`\,`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
