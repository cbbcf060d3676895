package vcard

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"golang.org/x/text/encoding"

	"github.com/rapportcrm/rapport/data"
)

// Record is one decoded card mapped to Rapport's model.
type Record struct {
	Index    int           // 1-based card number in the file
	Customer data.Customer // ID zero
	Profile  data.Profile
	// Problems are properties Rapport could not take, "what: why"; they
	// are kept in Customer.Extra as they came.
	Problems []string
	// Damage lists the lines of a broken card that were dropped or
	// repaired (no colon, a missing BEGIN or END, unindented base64): the
	// card was only partly read.
	Damage []LineNote
}

// LineNote is one line of a broken card: where it is, how it starts, and
// what happened to it.
type LineNote struct {
	Line  int    // 1-based physical line in the file
	Start string // the start of the line, for finding it
	What  string // "dropped: not a property (no colon)", ...
}

func (n LineNote) String() string {
	if n.Start == "" {
		return fmt.Sprintf("line %d: %s", n.Line, n.What)
	}
	return fmt.Sprintf("line %d %q: %s", n.Line, n.Start, n.What)
}

// lineStart is the first few characters of a line, readable.
func lineStart(b []byte) string {
	const most = 40
	s := strings.TrimSpace(cleanText(strings.ToValidUTF8(string(b[:min(len(b), most*4)]), "\uFFFD")))
	if r := []rune(s); len(r) > most {
		s = string(r[:most]) + "…"
	}
	return s
}

// CardError names a card that could not be read; decoding continues after it.
type CardError struct {
	Index int
	Name  string
	Err   error
}

func (e *CardError) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("card %d: %v", e.Index, e.Err)
	}
	return fmt.Sprintf("card %d (%s): %v", e.Index, e.Name, e.Err)
}

func (e *CardError) Unwrap() error { return e.Err }

// Limits on one card, so that a file with a missing END:VCARD cannot make
// one card swallow the whole file into memory.
const (
	maxCardBytes  = 48 << 20
	maxCardLines  = 20000
	maxNested     = 8   // nested (2.1 AGENT) cards kept per outer card
	maxOrphanLine = 500 // lines kept while looking for a card without BEGIN
	maxNotes      = 20  // damaged lines listed per card
)

// Decoder reads vCards one at a time from a stream.
type Decoder struct {
	lr      *lineReader
	index   int
	stack   []*cardBuf
	pending []result // finished nested cards, emitted after their outer card
	out     []result
	orphans []prop
	orphanB int
	orphan1 int  // the line of the first orphan
	content bool // a non-blank line was seen
	// charset is the last legacy CHARSET a card declared: older phones
	// declare it on some properties and write others raw.
	charset encoding.Encoding
	fatal   error
	eof     bool
}

type result struct {
	index int
	rec   *Record
	err   error
}

// cardBuf collects the properties of one card until its END.
type cardBuf struct {
	index  int
	props  []prop
	bytes  int
	err    error // the first problem that makes the card unreadable
	nested int
	damage []LineNote
}

func (c *cardBuf) note(line int, start []byte, what string) {
	if len(c.damage) < maxNotes {
		c.damage = append(c.damage, LineNote{Line: line, Start: lineStart(start), What: what})
	} else if len(c.damage) == maxNotes {
		c.damage = append(c.damage, LineNote{Line: line, What: "more lines dropped or repaired after this one; not listed"})
	}
}

// NewDecoder returns a decoder reading from r. The input may be UTF-8 (with
// or without BOM), UTF-16 with a BOM, or a legacy 8-bit charset.
func NewDecoder(r io.Reader) *Decoder {
	return &Decoder{lr: newLineReader(r)}
}

// Next returns the next card. At the end it returns io.EOF. A card that
// cannot be read gives a *CardError, after which Next continues with the
// following card; any other error is fatal.
func (d *Decoder) Next() (*Record, error) {
	for len(d.out) == 0 {
		if d.fatal != nil {
			return nil, d.fatal
		}
		if d.eof {
			return nil, io.EOF
		}
		d.step()
	}
	r := d.out[0]
	d.out = d.out[1:]
	if len(d.out) == 0 {
		d.out = nil // let the backing array go
	}
	return r.rec, r.err
}

// step reads one logical line and acts on it.
func (d *Decoder) step() {
	line, long, ok := d.lr.next()
	if !ok {
		if err := d.lr.err(); err != nil {
			if errors.Is(err, ErrNotVCard) {
				d.fatal = err
			} else {
				d.fatal = fmt.Errorf("reading vCard: %w", err)
			}
		}
		if d.fatal == nil && !d.lr.p.sawCard && d.content {
			d.fatal = wrapNotVCard("no BEGIN:VCARD found")
		}
		// A missing END:VCARD at the end of the file still yields the card.
		for len(d.stack) > 0 {
			d.top().note(d.lr.p.lines, nil, "END:VCARD missing: read up to the end of the file")
			d.finish()
		}
		d.eof = true
		return
	}
	if len(line) > 0 && len(strings.TrimSpace(string(line[:min(len(line), 64)]))) > 0 {
		d.content = true
	}
	switch {
	case isMarker(line, "BEGIN"):
		d.begin()
		return
	case isMarker(line, "END"):
		if len(d.stack) == 0 {
			d.recoverOrphans()
			return
		}
		d.finish()
		return
	}
	p, ok := parseLine(line, d.charset)
	if !ok {
		// Not a content line (no colon, a comment): skip it, keep the
		// card, and say so.
		// A '#' comment (AOSP's tests: "must be ignored") is no data.
		if t := bytes.TrimSpace(line); len(d.stack) > 0 && len(t) > 0 && t[0] != '#' {
			d.top().note(d.lr.start, line, "dropped: not a property (no colon)")
		}
		return
	}
	p.long = long
	if len(d.stack) == 0 {
		// Outside a card: keep a few lines in case END:VCARD comes without
		// a BEGIN (evolution-data-server 7.vcf).
		if len(d.orphans) < maxOrphanLine && d.orphanB+len(p.value) < 1<<20 && !long {
			if len(d.orphans) == 0 {
				d.orphan1 = d.lr.start
			}
			d.orphanB += len(p.value)
			d.orphans = append(d.orphans, p)
		}
		return
	}
	c := d.top()
	if c.err != nil {
		return
	}
	if d.lr.b64At > 0 {
		c.note(d.lr.b64At, nil, fmt.Sprintf("repaired: base64 of %s continued without indent; joined", p.name))
	}
	c.bytes += len(p.value)
	switch {
	case c.bytes > maxCardBytes:
		c.err = fmt.Errorf("card is larger than %d MiB", maxCardBytes>>20)
		c.props = nil
	case len(c.props) >= maxCardLines:
		c.err = fmt.Errorf("card has more than %d lines", maxCardLines)
		c.props = nil
	default:
		c.props = append(c.props, p)
	}
}

func (d *Decoder) top() *cardBuf { return d.stack[len(d.stack)-1] }

func (d *Decoder) begin() {
	d.orphans, d.orphanB = nil, 0
	if len(d.stack) > 0 {
		top := d.stack[0]
		missing := "END:VCARD missing: the card ends where the next BEGIN:VCARD starts"
		if len(d.stack) >= 2 {
			// Only one level of nesting (2.1 AGENT): a BEGIN inside a nested
			// card means that card's END is missing.
			d.top().note(d.lr.start, nil, missing)
			d.finish()
		}
		if top.nested >= maxNested {
			// Too many "nested" cards: the outer card's END is missing.
			for len(d.stack) > 0 {
				d.top().note(d.lr.start, nil, missing)
				d.finish()
			}
		} else {
			top.nested++
		}
	}
	d.index++
	d.stack = append(d.stack, &cardBuf{index: d.index})
}

// finish closes the innermost open card.
func (d *Decoder) finish() {
	c := d.stack[len(d.stack)-1]
	d.stack = d.stack[:len(d.stack)-1]
	res := d.build(c)
	if len(d.stack) > 0 {
		d.pending = append(d.pending, res)
		return
	}
	d.out = append(d.out, res)
	sort.Slice(d.pending, func(i, j int) bool { return d.pending[i].index < d.pending[j].index })
	d.out = append(d.out, d.pending...)
	d.pending = nil
}

// recoverOrphans makes a card of the lines seen since the last card when
// END:VCARD arrives without a BEGIN.
func (d *Decoder) recoverOrphans() {
	ps := d.orphans
	d.orphans, d.orphanB = nil, 0
	if len(ps) == 0 {
		return
	}
	d.index++
	c := &cardBuf{index: d.index, props: ps}
	c.note(d.orphan1, nil, fmt.Sprintf("BEGIN:VCARD missing: read from line %d to the END:VCARD at line %d", d.orphan1, d.lr.start))
	d.out = append(d.out, d.build(c))
}

func (d *Decoder) build(c *cardBuf) result {
	res := result{index: c.index}
	fallback := d.cardCharset(c.props)
	if c.err == nil {
		for i := range c.props {
			if c.props[i].long {
				c.err = fmt.Errorf("field %s: line longer than %d MiB", c.props[i].name, maxLineBytes>>20)
				break
			}
		}
	}
	if c.err != nil {
		res.err = &CardError{Index: c.index, Name: guessName(c.props, fallback), Err: c.err}
		return res
	}
	rec, err := mapCard(c.props, fallback)
	if err != nil {
		res.err = &CardError{Index: c.index, Name: guessName(c.props, fallback), Err: err}
		return res
	}
	rec.Index = c.index
	rec.Damage = c.damage
	res.rec = rec
	return res
}

// cardCharset picks the legacy charset for raw 8-bit values without a
// CHARSET: the one other properties of the card declare, else the last one
// seen in the file, else nil (Windows-1252).
func (d *Decoder) cardCharset(ps []prop) encoding.Encoding {
	for i := range ps {
		if cs := ps[i].param("CHARSET"); !isUTF8Name(cs) {
			if e, err := lookupCharset(cs); err == nil {
				d.charset = e
				return e
			}
		}
	}
	return d.charset
}

// guessName finds something to call a broken card by.
func guessName(ps []prop, fallback encoding.Encoding) string {
	var best [4]string
	for i := range ps {
		p := &ps[i]
		if p.long || len(p.value) > 1000 {
			continue
		}
		rank := map[string]int{"FN": 0, "N": 1, "ORG": 2, "EMAIL": 3}
		r, ok := rank[p.name]
		if !ok || best[r] != "" {
			continue
		}
		v := decodeText(p, fallback)
		if p.name == "N" || p.name == "ORG" {
			parts := splitEscaped(v, ';')
			for j := range parts {
				parts[j] = unescape(parts[j])
			}
			if p.name == "N" && len(parts) > 1 {
				parts[0], parts[1] = parts[1], parts[0]
			}
			v = strings.Join(parts, " ")
		} else {
			v = unescape(v)
		}
		best[r] = strings.Join(strings.Fields(v), " ")
	}
	for _, b := range best {
		if b != "" {
			return b
		}
	}
	return ""
}
