package vcard

import "strings"

// unescape undoes vCard text escaping: \n \N \, \; \\ and \: (Gmail writes
// http\://). Any other backslash is kept as it is, as 2.1 values use it
// literally.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case 'n', 'N':
				b.WriteByte('\n')
				i++
				continue
			case ',', ';', '\\', ':':
				b.WriteByte(s[i+1])
				i++
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// splitEscaped splits on sep where it is not escaped by a backslash. The
// parts are still escaped.
func splitEscaped(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// escapeText escapes a text value for writing: backslash, newline, comma
// and semicolon.
func escapeText(s string) string {
	if !strings.ContainsAny(s, "\\\n\r,;") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case ',':
			b.WriteString(`\,`)
		case ';':
			b.WriteString(`\;`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// escapeURI escapes only what would otherwise change on reading back: URIs
// keep their commas and semicolons (data: URIs need them).
func escapeURI(s string) string {
	if !strings.ContainsAny(s, "\\\n\r") {
		return s
	}
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, "\r\n", `\n`)
	s = strings.ReplaceAll(s, "\r", `\n`)
	return strings.ReplaceAll(s, "\n", `\n`)
}

// paramValue quotes a parameter value when it holds : ; , or a quote, and
// applies RFC 6868 (^^ ^n ^') so that every string survives.
func paramValue(v string) string {
	// Blanks at either end are kept only inside quotes (unquoted values are trimmed).
	needQuote := strings.ContainsAny(v, ":;,\"") || v != strings.TrimSpace(v)
	if strings.ContainsAny(v, "^\n\r\"") {
		r := strings.NewReplacer("^", "^^", "\r\n", "^n", "\n", "^n", "\r", "^n", `"`, "^'")
		v = r.Replace(v)
	}
	if needQuote {
		return `"` + v + `"`
	}
	return v
}
