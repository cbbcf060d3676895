package vcard

import (
	"bytes"
	"errors"
	"io"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Limits that keep memory bounded whatever the input.
const (
	// maxLineBytes is the most we keep of one unfolded content line: enough
	// for a 16 MiB photo in base64 with 2.1-style indentation.
	maxLineBytes = 24 << 20
	// maxPhotoBytes is the largest decoded photo we accept.
	maxPhotoBytes = 16 << 20
	// sniffBytes: a vCard file shows BEGIN:VCARD (or at least END:VCARD)
	// within this many bytes, or it is not a vCard file.
	sniffBytes = 64 << 10
	chunkBytes = 64 << 10
)

// ErrNotVCard is returned (wrapped) when the input is not a vCard file.
var ErrNotVCard = errors.New("not a vCard file")

// physReader splits the input into physical lines. Any run of CRs with an
// optional LF ends a line, so CRLF, LF, CR and the iPhone's CR CR LF all work,
// even mixed in one file.
type physReader struct {
	r          io.Reader
	buf        []byte
	start, end int
	err        error
	consumed   int64
	lines      int // physical lines read so far
	// sawCard is set once a BEGIN:VCARD or END:VCARD line has been seen;
	// until then the reader refuses binary data and long preambles.
	sawCard bool
}

func (p *physReader) fill() bool {
	if p.start < p.end {
		return true
	}
	if p.err != nil {
		return false
	}
	p.start, p.end = 0, 0
	for p.end == 0 && p.err == nil {
		n, err := p.r.Read(p.buf)
		p.end = n
		if err != nil {
			p.err = err
		}
	}
	if !p.sawCard && p.end > 0 {
		if bytes.IndexByte(p.buf[:p.end], 0) >= 0 {
			p.err = errBinary
			p.start, p.end = 0, 0
			return false
		}
		if p.consumed+int64(p.end) > sniffBytes+chunkBytes {
			p.err = errNoBegin
			p.start, p.end = 0, 0
			return false
		}
	}
	p.consumed += int64(p.end)
	return p.end > 0
}

var (
	errBinary  = wrapNotVCard("binary data (NUL bytes)")
	errNoBegin = wrapNotVCard("no BEGIN:VCARD in the first 64 KiB")
)

type notVCardError string

func (e notVCardError) Error() string { return ErrNotVCard.Error() + ": " + string(e) }
func (e notVCardError) Unwrap() error { return ErrNotVCard }

func wrapNotVCard(s string) error { return notVCardError(s) }

// readLine returns the next physical line without its terminator. At most
// limit bytes are kept; long reports that more were dropped. ok is false at
// the end of input (or on a read error, left in p.err).
func (p *physReader) readLine(limit int) (line []byte, long, ok bool) {
	got := false
	for {
		if !p.fill() {
			if p.err == io.EOF && got {
				p.checkMarker(line)
				p.lines++
				return line, long, true
			}
			return nil, false, false
		}
		got = true
		chunk := p.buf[p.start:p.end]
		i := bytes.IndexAny(chunk, "\r\n")
		part := chunk
		if i >= 0 {
			part = chunk[:i]
		}
		if room := limit - len(line); room > 0 {
			if len(part) > room {
				line = appendGrow(line, part[:room])
				long = true
			} else {
				line = appendGrow(line, part)
			}
		} else if len(part) > 0 {
			long = true
		}
		if i < 0 {
			p.start = p.end
			continue
		}
		p.start += i
		p.skipEOL()
		p.checkMarker(line)
		p.lines++
		return line, long, true
	}
}

// skipEOL consumes one line terminator: CR* LF? or LF.
func (p *physReader) skipEOL() {
	if p.buf[p.start] == '\n' {
		p.start++
		return
	}
	for p.fill() && p.buf[p.start] == '\r' {
		p.start++
	}
	if p.fill() && p.buf[p.start] == '\n' {
		p.start++
	}
}

func (p *physReader) checkMarker(line []byte) {
	if !p.sawCard && (isMarker(line, "BEGIN") || isMarker(line, "END")) {
		p.sawCard = true
	}
}

// isMarker reports whether line is BEGIN:VCARD / END:VCARD, in any case and
// with surrounding blanks tolerated.
func isMarker(line []byte, what string) bool {
	line = bytes.TrimSpace(line)
	if len(line) != len(what)+6 || line[len(what)] != ':' {
		return false
	}
	return bytes.EqualFold(line[:len(what)], []byte(what)) && bytes.EqualFold(line[len(what)+1:], []byte("VCARD"))
}

// lineReader joins physical lines into logical content lines: folding
// (a line starting with space or tab continues the previous one),
// quoted-printable soft line breaks (a QP value ending in '=' continues on
// the next, unindented line) and unindented base64 continuation lines of
// 2.1 cards.
type lineReader struct {
	p        physReader
	peek     []byte
	peekLong bool
	havePeek bool
	// no is the number of the physical line physical returned last, peekNo
	// that of the line held back; start is where next's line began, and
	// b64At the first unindented base64 line it joined (0: none), for
	// saying which lines of a card were repaired or dropped.
	no, peekNo, start, b64At int
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{p: physReader{r: detectEncoding(r), buf: make([]byte, chunkBytes)}}
}

// detectEncoding skips a UTF-8 BOM and converts UTF-16 (with a BOM, or
// recognisable from "B\0E\0" / "\0B\0E") to UTF-8.
func detectEncoding(r io.Reader) io.Reader {
	head := make([]byte, 4)
	n, _ := io.ReadFull(r, head)
	head = head[:n]
	rest := io.MultiReader(bytes.NewReader(head), r)
	var enc *unicode.Endianness
	le, be := unicode.LittleEndian, unicode.BigEndian
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return io.MultiReader(bytes.NewReader(head[3:]), r)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), n == 4 && head[1] == 0 && head[3] == 0 && head[0] != 0:
		enc = &le
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}), n == 4 && head[0] == 0 && head[2] == 0 && head[1] != 0:
		enc = &be
	default:
		return rest
	}
	// UseBOM strips a BOM when present and otherwise decodes in the order
	// the byte pattern showed (Apple Address Book and Entourage write no BOM);
	// ExpectBOM would refuse those files whole.
	dec := unicode.UTF16(*enc, unicode.UseBOM).NewDecoder()
	return transform.NewReader(rest, dec)
}

func (l *lineReader) physical() (line []byte, long, ok bool) {
	if l.havePeek {
		l.havePeek = false
		l.no = l.peekNo
		return l.peek, l.peekLong, true
	}
	line, long, ok = l.p.readLine(maxLineBytes)
	l.no = l.p.lines
	return line, long, ok
}

func (l *lineReader) unread(line []byte, long bool) {
	l.peek, l.peekLong, l.havePeek = line, long, true
	l.peekNo = l.no
}

// err is the read error that ended input, nil at a clean end of file.
func (l *lineReader) err() error {
	if l.p.err == io.EOF {
		return nil
	}
	return l.p.err
}

// next returns the next logical line. long reports that it was cut at
// maxLineBytes. ok is false at the end of input.
func (l *lineReader) next() (line []byte, long, ok bool) {
	line, long, ok = l.physical()
	if !ok {
		return nil, false, false
	}
	l.start, l.b64At = l.no, 0
	if len(bytes.TrimSpace(line)) == 0 {
		return line, long, true
	}
	add := func(b []byte, bl bool) {
		long = long || bl
		if room := maxLineBytes - len(line); room < len(b) {
			if room > 0 {
				line = appendGrow(line, b[:room])
			}
			long = true
			return
		}
		line = appendGrow(line, b)
	}
	for {
		nxt, nl, ok := l.physical()
		if !ok {
			return line, long, true
		}
		if !isMarker(nxt, "BEGIN") && !isMarker(nxt, "END") {
			head, hasValue := splitHead(line)
			// A QP soft line break comes first: the next line is data even
			// when it starts with a space.
			if hasValue && line[len(line)-1] == '=' && len(line) > len(head)+1 && hasQP(head) {
				line = line[:len(line)-1]
				add(nxt, nl)
				continue
			}
			if len(nxt) > 0 && (nxt[0] == ' ' || nxt[0] == '\t') {
				add(nxt[1:], nl)
				continue
			}
			if hasValue && len(nxt) > 0 && isBase64Line(nxt) && hasBase64(head) {
				if l.b64At == 0 {
					l.b64At = l.no
				}
				add(nxt, nl)
				continue
			}
		}
		l.unread(nxt, nl)
		return line, long, true
	}
}

// splitHead returns the part of a content line before the first colon that
// is not inside a quoted parameter value.
func splitHead(line []byte) (head []byte, ok bool) {
	inQuote := false
	for i, c := range line {
		switch c {
		case '"':
			inQuote = !inQuote
		case ':':
			if !inQuote {
				return line[:i], true
			}
		}
	}
	// An unbalanced quote: fall back to the first colon.
	if i := bytes.IndexByte(line, ':'); i >= 0 {
		return line[:i], true
	}
	return line, false
}

// headEncoding is the ENCODING of a content line's head, parsed exactly as
// the value will be decoded later (a substring test is fooled by names
// like X-FOO-ENCODING=QUOTED-PRINTABLE).
func headEncoding(head []byte) string {
	i := bytes.IndexByte(head, ';')
	if i < 0 {
		return ""
	}
	p := prop{params: parseParams(string(head[i:]))}
	return p.encoding()
}

func hasQP(head []byte) bool {
	return bytes.Contains(bytes.ToUpper(head), []byte("QUOTED-PRINTABLE")) && headEncoding(head) == "QUOTED-PRINTABLE"
}

func hasBase64(head []byte) bool {
	if !bytes.Contains(bytes.ToUpper(head), []byte("B")) {
		return false
	}
	e := headEncoding(head)
	return e == "B" || e == "BASE64"
}

// isBase64Line reports whether an unindented line can only be more base64
// data (2.1 writers sometimes do not indent it).
func isBase64Line(b []byte) bool {
	for _, c := range b {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9',
			c == '+', c == '/', c == '=', c == ' ', c == '\t':
		default:
			return false
		}
	}
	return true
}

// appendGrow is append that doubles capacity: plain append grows large
// slices by only 1.25x, which for a 14 MB photo line allocates ~70 MB.
func appendGrow(dst, b []byte) []byte {
	if need := len(dst) + len(b); need > cap(dst) {
		nc := 2 * cap(dst)
		if nc < need {
			nc = need
		}
		if nc < 128 {
			nc = 128
		}
		n := make([]byte, len(dst), nc)
		copy(n, dst)
		dst = n
	}
	return append(dst, b...)
}
