package vcard

import (
	"bytes"
	"errors"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
)

// param is one parameter. Name is upper case; a 2.1 bare parameter
// (TEL;WORK) has been rewritten as TYPE=WORK, ENCODING=... or CHARSET=...
// Values are split on unquoted commas, RFC 6868 escapes decoded.
type param struct {
	name   string
	values []string
}

// prop is one parsed content line; the value is still raw bytes (maybe QP,
// maybe in a legacy charset, maybe base64).
type prop struct {
	group  string
	name   string // upper case
	orig   string // name as written, to keep X-ABLabel's case in Extra
	params []param
	value  []byte
	long   bool // the line was cut at maxLineBytes
	keep   bool // kept as an extra property even when empty: Rapport could not take it
}

func (p *prop) param(name string) string {
	for _, pa := range p.params {
		if pa.name == name && len(pa.values) > 0 {
			return pa.values[0]
		}
	}
	return ""
}

func (p *prop) has(name string) bool {
	for _, pa := range p.params {
		if pa.name == name {
			return true
		}
	}
	return false
}

// types returns every TYPE value, lower case, split on commas even inside
// quotes (RFC 6350 allows TYPE="work,voice").
func (p *prop) types() []string {
	var out []string
	for _, pa := range p.params {
		if pa.name != "TYPE" {
			continue
		}
		for _, v := range pa.values {
			for _, t := range strings.Split(v, ",") {
				if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
					out = append(out, t)
				}
			}
		}
	}
	return out
}

func (p *prop) encoding() string { return strings.ToUpper(p.param("ENCODING")) }

func (p *prop) isBase64() bool {
	e := p.encoding()
	return e == "B" || e == "BASE64"
}

// parseLine splits a logical line into group, name, parameters and value.
// ok is false for lines that are not content lines (no colon, no name,
// comments).
func parseLine(line []byte, fallback encoding.Encoding) (prop, bool) {
	line = bytes.TrimLeft(line, " \t")
	head, ok := splitHead(line)
	if !ok || len(head) == 0 || head[0] == '#' {
		return prop{}, false
	}
	if !utf8.Valid(head) {
		head = toUTF8(head, fallback)
	}
	var p prop
	p.value = line[len(splitHeadRaw(line)):]
	if len(p.value) > 0 {
		p.value = p.value[1:] // the colon
	}
	h := string(head)
	nameEnd := strings.IndexByte(h, ';')
	if nameEnd < 0 {
		nameEnd = len(h)
	}
	name := strings.TrimSpace(h[:nameEnd])
	if i := strings.IndexByte(name, '.'); i >= 0 {
		p.group, name = name[:i], name[i+1:]
	}
	if name == "" || strings.ContainsAny(name, " \t\"") {
		return prop{}, false
	}
	// Names must be tokens for other parsers; map odd characters now so
	// the name we act on is the one we write back.
	name = tokenize(name)
	if p.group != "" {
		p.group = tokenize(p.group)
	}
	p.orig = name
	p.name = strings.ToUpper(name)
	p.params = parseParams(h[nameEnd:])
	return p, true
}

// splitHeadRaw is splitHead on the raw bytes (the head may have been
// re-encoded to UTF-8, which changes its length).
func splitHeadRaw(line []byte) []byte {
	h, _ := splitHead(line)
	return h
}

// parseParams reads ";A=b,c;D="e;f";BARE" into params.
func parseParams(s string) []param {
	var out []param
	for len(s) > 0 && s[0] == ';' {
		s = s[1:]
		i := strings.IndexAny(s, "=;")
		if i < 0 || s[i] == ';' {
			// A bare 2.1 parameter (or an empty one: ";;").
			end := i
			if end < 0 {
				end = len(s)
			}
			out = addBare(out, strings.TrimSpace(s[:end]))
			s = s[end:]
			continue
		}
		name := strings.ToUpper(strings.TrimSpace(s[:i]))
		if name != "" {
			name = tokenize(name)
		}
		s = s[i+1:]
		var vals []string
		for {
			var v string
			t := strings.TrimLeft(s, " \t")
			if strings.HasPrefix(t, "\"") {
				if j := strings.IndexByte(t[1:], '"'); j >= 0 {
					v, s = t[1:1+j], t[2+j:]
					// Anything after the closing quote up to , or ; belongs to it
					// (broken writers); keep it rather than drop the property.
					k := strings.IndexAny(s, ",;")
					if k < 0 {
						k = len(s)
					}
					// Blanks at its end go, as after an unquoted value, or the
					// value would change when read back.
					v += strings.TrimRight(s[:k], " \t")
					s = s[k:]
					vals = append(vals, cleanText(decode6868(v)))
					goto sep
				}
			}
			{
				k := strings.IndexAny(s, ",;")
				if k < 0 {
					k = len(s)
				}
				v, s = strings.TrimSpace(s[:k]), s[k:]
				vals = append(vals, cleanText(decode6868(v)))
			}
		sep:
			if len(s) > 0 && s[0] == ',' {
				s = s[1:]
				continue
			}
			break
		}
		if name == "" {
			continue
		}
		vals = dropEmpty(vals)
		if name == "TYPE" || name == "ENCODING" {
			if len(vals) == 0 {
				continue
			}
		}
		out = mergeParam(out, name, vals)
	}
	return out
}

func dropEmpty(v []string) []string {
	out := v[:0]
	for _, s := range v {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func mergeParam(ps []param, name string, vals []string) []param {
	for i := range ps {
		if ps[i].name == name {
			ps[i].values = append(ps[i].values, vals...)
			return ps
		}
	}
	return append(ps, param{name: name, values: vals})
}

// addBare turns a 2.1 bare parameter into its named form.
func addBare(ps []param, v string) []param {
	if v = strings.TrimSpace(cleanText(v)); v == "" {
		return ps
	}
	switch u := strings.ToUpper(v); u {
	case "QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT":
		return mergeParam(ps, "ENCODING", []string{u})
	default:
		if _, err := lookupCharset(v); err == nil && strings.ContainsAny(v, "-_") {
			return mergeParam(ps, "CHARSET", []string{v})
		}
		return mergeParam(ps, "TYPE", []string{v})
	}
}

// decode6868 undoes RFC 6868 parameter escapes: ^n newline, ^' quote, ^^ caret.
func decode6868(s string) string {
	if !strings.Contains(s, "^") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '^' && i+1 < len(s) {
			switch s[i+1] {
			case 'n', 'N':
				b.WriteByte('\n')
				i++
				continue
			case '\'':
				b.WriteByte('"')
				i++
				continue
			case '^':
				b.WriteByte('^')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// decodeQP decodes quoted-printable leniently: a stray '=' stays as it is.
func decodeQP(b []byte) []byte {
	if bytes.IndexByte(b, '=') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '=' && i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]) {
			out = append(out, unhex(b[i+1])<<4|unhex(b[i+2]))
			i += 2
			continue
		}
		if c == '=' && i == len(b)-1 {
			continue // a trailing soft break
		}
		out = append(out, c)
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

func lookupCharset(name string) (encoding.Encoding, error) {
	if e, err := htmlindex.Get(name); err == nil {
		return e, nil
	}
	e, err := ianaindex.IANA.Encoding(name)
	if err == nil && e == nil {
		err = errUnknownCharset
	}
	return e, err
}

var errUnknownCharset = errors.New("unknown charset")

// isUTF8Name reports whether a CHARSET value means UTF-8 or plain ASCII.
func isUTF8Name(cs string) bool {
	switch strings.ToLower(strings.TrimSpace(cs)) {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return true
	}
	return false
}

// toUTF8 converts bytes in a legacy charset; nil means Windows-1252, which
// is what raw 8-bit vCards without a CHARSET nearly always are.
func toUTF8(b []byte, e encoding.Encoding) []byte {
	if e == nil {
		e = charmap.Windows1252
	}
	out, err := e.NewDecoder().Bytes(b)
	if err != nil || !utf8.Valid(out) {
		out, _ = charmap.Windows1252.NewDecoder().Bytes(b)
	}
	return out
}

// decodeText turns a raw value into UTF-8 text (still vCard-escaped):
// QP decoded, charset converted, line ends normalised to LF, control
// characters other than tab and LF dropped.
func decodeText(p *prop, fallback encoding.Encoding) string {
	b := p.value
	if p.encoding() == "QUOTED-PRINTABLE" {
		b = decodeQP(b)
	}
	cs := p.param("CHARSET")
	switch {
	case !isUTF8Name(cs):
		e, err := lookupCharset(cs)
		if err != nil {
			e = fallback
		}
		if !utf8.Valid(b) || e != nil {
			b = toUTF8(b, e)
		}
	case !utf8.Valid(b):
		b = toUTF8(b, fallback)
	}
	return cleanText(string(b))
}

func cleanText(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' || c == 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r < 0x20 && r != '\t' && r != '\n', r == 0x7f:
			return -1
		}
		return r
	}, s)
}
