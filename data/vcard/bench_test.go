package vcard

import (
	"bytes"
	"io"
	"testing"
)

// BenchmarkDecode10k decodes 10,000 generated cards (3.0 Apple-style with
// some photos, 2.1 QP Android-style, 4.0).
func BenchmarkDecode10k(b *testing.B) {
	var in bytes.Buffer
	if err := writeCards(&in, 10000); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(in.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := NewDecoder(bytes.NewReader(in.Bytes()))
		n := 0
		for {
			_, err := d.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 10000 {
			b.Fatalf("%d cards", n)
		}
	}
}

// BenchmarkEncode10k encodes the same 10,000 cards as vCard 3.0.
func BenchmarkEncode10k(b *testing.B) {
	var in bytes.Buffer
	writeCards(&in, 10000)
	recs, _, err := decodeAll(in.Bytes())
	if err != nil || len(recs) != 10000 {
		b.Fatal(err, len(recs))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := NewEncoder(io.Discard, Options{})
		for _, r := range recs {
			if err := e.Encode(&r.Customer, &r.Profile); err != nil {
				b.Fatal(err)
			}
		}
	}
}
