package vcard

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/rapportcrm/rapport/data"
)

// encodeAll writes records as one file.
func encodeAll(t testing.TB, recs []*Record, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := NewEncoder(&buf, opt)
	for _, r := range recs {
		if err := enc.Encode(&r.Customer, &r.Profile); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// checkRoundTrip asserts decode -> encode -> decode gives the same
// customers and profiles, and encode -> decode -> encode the same bytes.
func checkRoundTrip(t *testing.T, name string, recs []*Record) {
	t.Helper()
	for _, opt := range []Options{{Version: "3.0", Confidential: true}, {Version: "4.0", Confidential: true}} {
		out := encodeAll(t, recs, opt)
		again, errs, fatal := decodeAll(out)
		if fatal != nil || len(errs) > 0 {
			t.Fatalf("%s v%s: re-decoding: %v %v", name, opt.Version, fatal, errs)
		}
		if len(again) != len(recs) {
			t.Fatalf("%s v%s: %d cards in, %d out", name, opt.Version, len(recs), len(again))
		}
		for i := range recs {
			if !sameRecord(recs[i], again[i]) {
				a, _ := json.MarshalIndent(recs[i].Customer, "", " ")
				b, _ := json.MarshalIndent(again[i].Customer, "", " ")
				pa, _ := json.Marshal(recs[i].Profile)
				pb, _ := json.Marshal(again[i].Profile)
				t.Errorf("%s v%s card %d changed on round trip:\nbefore %s\n%s\nafter  %s\n%s\nfile:\n%s", name, opt.Version, i+1, a, pa, b, pb, out)
				return
			}
		}
		if out2 := encodeAll(t, again, opt); !bytes.Equal(out, out2) {
			t.Errorf("%s v%s: second export differs:\n%s\n---\n%s", name, opt.Version, out, out2)
		}
	}
}

func sameRecord(a, b *Record) bool {
	return reflect.DeepEqual(a.Customer, b.Customer) && reflect.DeepEqual(normProfile(a.Profile), normProfile(b.Profile))
}

// normProfile makes empty and nil slices equal.
func normProfile(p data.Profile) data.Profile {
	if len(p.Items) == 0 {
		p.Items = nil
	}
	if len(p.Family) == 0 {
		p.Family = nil
	}
	if len(p.Pets) == 0 {
		p.Pets = nil
	}
	return p
}

func TestCorpusRoundTrip(t *testing.T) {
	for _, f := range corpusFiles(t) {
		recs, _, fatal := decodeAll(mustRead(t, f))
		if fatal != nil {
			t.Fatalf("%s: %v", f, fatal)
		}
		checkRoundTrip(t, f, recs)
	}
}
