package vcard

import (
	"bytes"
	"strings"
	"testing"
)

// TestTIFFPhotos: Apple's untyped PHOTO;BASE64: TIFF (both byte orders) is
// recognised; export never writes an empty media type (4.0 data:image/tiff,
// or application/octet-stream for bytes nobody can name; 3.0 TYPE=TIFF, or
// no TYPE at all); the photo bytes and type survive the round trip.
func TestTIFFPhotos(t *testing.T) {
	recs, cardErrs, err := decodeAll(mustRead(t, "testdata/photo-tiff.vcf"))
	if err != nil || len(cardErrs) != 0 || len(recs) != 3 {
		t.Fatalf("decode: %d records, %v, %v", len(recs), cardErrs, err)
	}
	wantMIME := []string{"image/tiff", "image/tiff", ""}
	for i, r := range recs {
		if ph := r.Customer.Photo; len(ph.Data) == 0 || ph.MIME != wantMIME[i] {
			t.Errorf("%s: photo %d bytes, MIME %q, want %q", r.Customer.UID, len(ph.Data), ph.MIME, wantMIME[i])
		}
	}
	// A TIFF stored untyped by an older import is typed on export too.
	stale := *recs[0]
	stale.Customer.Photo.MIME = ""
	// A photo typed "application/octet-stream" (type unknown) gets no TYPE in 3.0.
	unknown := *recs[2]
	unknown.Customer.Photo.MIME = "application/octet-stream"
	recs = append(recs, &stale, &unknown)

	for _, tc := range []struct {
		v          string
		want       []string // one per card, in order
		neverWrite []string
	}{
		{"4.0", []string{"PHOTO:data:image/tiff;base64,SUkqAA", "PHOTO:data:image/tiff;base64,TU0AKg",
			"PHOTO:data:application/octet-stream;base64,BwgJ", "PHOTO:data:image/tiff;base64,SUkqAA",
			"PHOTO:data:application/octet-stream;base64,BwgJ"}, []string{"data:;", "data:,"}},
		{"3.0", []string{"PHOTO;ENCODING=b;TYPE=TIFF:SUkqAA", "PHOTO;ENCODING=b;TYPE=TIFF:TU0AKg",
			"PHOTO;ENCODING=b:BwgJ", "PHOTO;ENCODING=b;TYPE=TIFF:SUkqAA", "PHOTO;ENCODING=b:BwgJ"}, []string{"TYPE=:", "TYPE=;", "octet-stream"}},
	} {
		var buf bytes.Buffer
		enc := NewEncoder(&buf, Options{Version: tc.v})
		var cards []string
		for _, r := range recs {
			buf.Reset()
			if err := enc.Encode(&r.Customer, &r.Profile); err != nil {
				t.Fatal(err)
			}
			cards = append(cards, strings.ReplaceAll(buf.String(), "\r\n ", ""))
		}
		for i, card := range cards {
			if !strings.Contains(card, "\r\n"+tc.want[i]) {
				t.Errorf("%s card %d lacks %q:\n%s", tc.v, i+1, tc.want[i], card)
			}
			for _, bad := range tc.neverWrite {
				if strings.Contains(card, bad) {
					t.Errorf("%s card %d contains %q:\n%s", tc.v, i+1, bad, card)
				}
			}
			back, _, err := decodeAll([]byte(card))
			if err != nil || len(back) != 1 {
				t.Fatalf("%s card %d: re-import %d, %v", tc.v, i+1, len(back), err)
			}
			got, orig := back[0].Customer.Photo, recs[i].Customer.Photo
			if !bytes.Equal(got.Data, orig.Data) || got.MIME != sniffMIME(orig.Data, got.MIME) || (normMIME(orig.MIME) != "" && got.MIME != orig.MIME) {
				t.Errorf("%s card %d: photo came back as %d bytes %q, was %d bytes %q", tc.v, i+1, len(got.Data), got.MIME, len(orig.Data), orig.MIME)
			}
		}
	}
}

// TestSniffImageTypes: the image formats we can tell from their first bytes.
func TestSniffImageTypes(t *testing.T) {
	for _, tc := range []struct {
		head, want string
	}{
		{"II*\x00\x08\x00\x00\x00", "image/tiff"}, {"MM\x00*\x00\x00\x00\x08", "image/tiff"},
		{"\xff\xd8\xff\xe0", "image/jpeg"}, {"\x89PNG\r\n\x1a\n", "image/png"}, {"GIF89a", "image/gif"},
		{"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"}, {"\x00\x00\x00\x18ftypheic\x00\x00", "image/heic"},
		{"\x00\x00\x00\x18ftypmif1\x00\x00", "image/heif"}, {"\x00\x00\x00\x1cftypavif\x00\x00", "image/avif"},
		{"\x00\x00\x01\x00\x01\x00\x10\x10", "image/x-icon"}, {"\x00\x00\x00\x0cjP  \r\n", "image/jp2"},
		{"hello, world", "declared/type"},
	} {
		if got := sniffMIME([]byte(tc.head), "declared/type"); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.head, got, tc.want)
		}
	}
}
