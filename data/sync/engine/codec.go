package engine

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	govcard "github.com/emersion/go-vcard"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/dav"
	"github.com/rapportcrm/rapport/data/vcard"
)

// Where go-vcard and data/vcard meet. go-webdav hands cards over as
// go-vcard's Card (a map of fields, already unfolded and split); Rapport's
// one mapping between a vCard and a customer is data/vcard's decoder and
// encoder, which file import and export use too and which handle what
// go-vcard does not (see shared/notes/go-vcard-limits.md). So a card from
// the server is written back to text with dav.Encode (go-vcard's layout,
// with escaping that round-trips) and read by data/vcard; a card we send is
// data/vcard's own text, PUT as it is. The base of every merge is kept in
// data/vcard's form, so "unchanged" is a byte comparison.

// cardOptions: vCard 3.0, which every phone and server takes, and never a
// confidential entry.
var cardOptions = vcard.Options{Version: "3.0"}

// encode gives Rapport's vCard text of a customer and the shareable part
// of their profile.
func encode(c *data.Customer, p *data.Profile) (string, error) {
	var b bytes.Buffer
	if err := vcard.NewEncoder(&b, cardOptions).Encode(c, p); err != nil {
		return "", err
	}
	return b.String(), nil
}

// decode reads one card of Rapport's (or anyone's) vCard text.
func decode(text string) (*vcard.Record, error) {
	rec, err := vcard.NewDecoder(bytes.NewReader([]byte(text))).Next()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("no vCard in the text")
	}
	return rec, err
}

// fromServer maps a card as go-webdav gives it; text is the card in
// Rapport's form, the base for the next merge.
func fromServer(card govcard.Card) (rec *vcard.Record, text string, err error) {
	raw, err := dav.Encode(card)
	if err != nil {
		return nil, "", err
	}
	rec, err = decode(string(raw))
	if err != nil {
		return nil, "", err
	}
	if text, err = encode(&rec.Customer, &rec.Profile); err != nil {
		return nil, "", err
	}
	// What our encoder writes, our decoder reads back the same way; parse
	// once more so the record and the base text agree exactly.
	if rec, err = decode(text); err != nil {
		return nil, "", fmt.Errorf("re-read: %w", err)
	}
	return rec, text, nil
}
