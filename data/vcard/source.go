package vcard

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"

	"github.com/rapportcrm/rapport/data"
)

// Cards reads every card of the files in turn, for data.Store.Import. A file
// that cannot be opened or is not a vCard file yields one failed entry (card
// number 0) and the next file is read.
func Cards(paths []string) iter.Seq[data.ImportCard] {
	return func(yield func(data.ImportCard) bool) {
		for _, path := range paths {
			f, err := os.Open(path)
			if err != nil {
				if !yield(data.ImportCard{Source: filepath.Base(path), Err: fmt.Errorf("cannot open: %w", err)}) {
					return
				}
				continue
			}
			ok := readCards(filepath.Base(path), f, yield)
			f.Close()
			if !ok {
				return
			}
		}
	}
}

// Reader reads the cards of one stream (a file the UI opened, a drop).
func Reader(name string, r io.Reader) iter.Seq[data.ImportCard] {
	return func(yield func(data.ImportCard) bool) { readCards(name, r, yield) }
}

// errNoCards is a file in which no card could be found at all.
var errNoCards = errors.New("no vCard in this file (no BEGIN:VCARD ... END:VCARD found); nothing imported from it")

// readCards yields the cards of one file; false when the consumer stopped.
// A file that yields no card at all yields one failed entry naming it, so
// an empty or foreign file is never a silent success.
func readCards(name string, r io.Reader, yield func(data.ImportCard) bool) bool {
	dec := NewDecoder(r)
	for cards := 0; ; cards++ {
		rec, err := dec.Next()
		var ce *CardError
		switch {
		case errors.Is(err, io.EOF) && cards == 0:
			return yield(data.ImportCard{Source: name, Err: errNoCards})
		case err == nil:
			c := data.ImportCard{Source: name, Index: rec.Index, Customer: rec.Customer, Profile: rec.Profile, Problems: rec.Problems}
			for _, n := range rec.Damage {
				c.Damage = append(c.Damage, n.String())
			}
			if !yield(c) {
				return false
			}
		case errors.Is(err, io.EOF):
			return true
		case errors.As(err, &ce):
			c := data.ImportCard{Source: name, Index: ce.Index, Err: ce.Err}
			c.Customer.FormattedName = ce.Name
			if !yield(c) {
				return false
			}
		default:
			return yield(data.ImportCard{Source: name, Err: err})
		}
	}
}
