package vcard

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// addSeeds adds the hand-made fixtures to a fuzz target (the committed
// seeds in testdata/fuzz are added by the go tool).
func addSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.vcf")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil && len(b) < 4096 {
			f.Add(b)
		}
	}
}

// FuzzDecode: any input decodes without panic or hang, card errors
// do not stop decoding, and every decoded card can be encoded.
func FuzzDecode(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		start := time.Now()
		d := NewDecoder(bytes.NewReader(in))
		for n := 0; ; n++ {
			if n > len(in)+10 {
				t.Fatalf("more results (%d) than input bytes", n)
			}
			r, err := d.Next()
			if err == io.EOF {
				break
			}
			if _, ok := err.(*CardError); ok {
				continue
			}
			if err != nil {
				// Fatal errors must stay fatal.
				if _, err2 := d.Next(); err2 == nil || err2 == io.EOF {
					t.Fatalf("fatal error %v then %v", err, err2)
				}
				break
			}
			if r.Customer.Name() == "" {
				t.Fatalf("card %d without a name", r.Index)
			}
			var buf bytes.Buffer
			if err := NewEncoder(&buf, Options{Confidential: true}).Encode(&r.Customer, &r.Profile); err != nil {
				t.Fatal(err)
			}
		}
		if el := time.Since(start); el > 2*time.Second {
			t.Fatalf("decoding %d bytes took %v", len(in), el)
		}
	})
}

// FuzzRoundTrip: whatever decodes, re-encodes to something that decodes
// to the same customers, in 3.0 and 4.0, and a second export is identical.
func FuzzRoundTrip(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		recs, _, fatal := decodeAll(in)
		if fatal != nil || len(recs) == 0 {
			return
		}
		checkRoundTrip(t, "fuzz input", recs)
	})
}
