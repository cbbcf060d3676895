package ui

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/jpeg"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
)

// hugePNG is a PNG of a few dozen bytes whose header claims w × h pixels:
// decoding it would allocate w*h*4 bytes before finding the data missing.
func hugePNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, body []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(body)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(kind))
		crc.Write(body)
		b.WriteString(kind)
		b.Write(body)
		binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	chunk("IHDR", append(ihdr, 8, 6, 0, 0, 0)) // 8-bit RGBA
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// hugeJPEG is a small JPEG whose frame header is changed to claim w × h.
func hugeJPEG(t testing.TB, w, h uint16) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	i := bytes.Index(b, []byte{0xFF, 0xC0}) // SOF0: length, precision, height, width
	if i < 0 {
		t.Fatal("no SOF0 in the encoded JPEG")
	}
	binary.BigEndian.PutUint16(b[i+5:], h)
	binary.BigEndian.PutUint16(b[i+7:], w)
	return b
}

// A picture claiming more than photoMaxPixels is refused from its header,
// in the editor and on screen, before anything decodes it.
func TestPhotoTooManyPixelsRefusedBeforeDecoding(t *testing.T) {
	for name, b := range map[string][]byte{
		"png 100000 × 100000": hugePNG(100_000, 100_000),
		"png 8000 × 8000":     hugePNG(8000, 8000), // 64 MP
		"png 2^31 × 2^31":     hugePNG(1<<31-1, 1<<31-1),
		"jpeg 65535 × 65535":  hugeJPEG(t, 65535, 65535),
	} {
		_, err := photoFrom(bytes.NewReader(b))
		// image/png itself refuses dimensions whose product overflows.
		if err == nil || !strings.Contains(err.Error(), "pixels: too large") && !strings.Contains(name, "2^31") {
			t.Errorf("%s: photoFrom says %v, want too large", name, err)
		}
		if img := photoThumb(data.Photo{Data: b}, 144); img != nil {
			t.Errorf("%s: decoded for the screen", name)
		}
		if _, ok := photoImage(data.Photo{Data: b}).(*widget.Icon); !ok {
			t.Errorf("%s: photoImage hands it to Fyne to decode", name)
		}
	}
	// Under the cap, the same kind of file is a photo.
	if _, _, err := checkImage(hugePNG(4000, 3000)); err != nil {
		t.Errorf("12 MP refused: %v", err)
	}
}

// The customer page and the briefing show a photo imported as it came,
// scaled down off the UI goroutine, and the placeholder for one too large.
func TestScreensDecodePhotosBounded(t *testing.T) {
	big := person("Huge", "Photo", "Acme")
	big.Photo = data.Photo{Data: hugePNG(100_000, 100_000), MIME: "image/png"}
	u, s := newTestUI(t, person("Jane", "Doe", "Acme"), big)
	f, err := os.ReadFile(writePNG(t, "p.png", 600, 300))
	if err != nil {
		t.Fatal(err)
	}
	fine := person("Fine", "Photo", "Acme")
	fine.Photo = data.Photo{Data: f, MIME: "image/png"}
	if err := s.CreateCustomer(context.Background(), &fine); err != nil {
		t.Fatal(err)
	}

	openCustomer(t, u, customerID(t, s, "Fine Photo"))
	img, ok := u.customer.photo.Objects[0].(*canvas.Image)
	if !ok || img.Image == nil {
		t.Fatalf("the page shows %T for a 600 × 300 photo", u.customer.photo.Objects[0])
	}
	if b := img.Image.Bounds(); b.Dx() != 2*photoSide || b.Dy() != photoSide {
		t.Errorf("the page decoded the photo at %d × %d, want %d × %d", b.Dx(), b.Dy(), 2*photoSide, photoSide)
	}

	openCustomer(t, u, customerID(t, s, "Huge Photo"))
	if _, ok := u.customer.photo.Objects[0].(*widget.Icon); !ok {
		t.Errorf("the page shows %T for a photo of 10 gigapixels", u.customer.photo.Objects[0])
	}
	u.doMu.Lock()
	u.onBriefing()
	u.doMu.Unlock()
	u.wait()
	if _, ok := u.briefing.photo.Objects[0].(*widget.Icon); !ok || u.briefing.b == nil {
		t.Errorf("the briefing shows %T for a photo of 10 gigapixels", u.briefing.photo.Objects[0])
	}
}

// FuzzPhotoFrom feeds the editor's photo reader and the screen's decoder
// hostile files: they refuse or succeed, never panic, and what they keep
// is a small PNG or JPEG.
func FuzzPhotoFrom(f *testing.F) {
	// The seeds are in testdata/fuzz/FuzzPhotoFrom: small and truncated PNG,
	// JPEG and GIF files, and headers claiming huge sizes.
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := photoFrom(bytes.NewReader(b))
		if err == nil {
			cfg, format, err := image.DecodeConfig(bytes.NewReader(p.Data))
			if err != nil || (format != "png" && format != "jpeg") {
				t.Fatalf("kept a photo that is not PNG or JPEG: %s %v", format, err)
			}
			if cfg.Width > photoMaxSide || cfg.Height > photoMaxSide {
				t.Fatalf("kept a photo of %d × %d", cfg.Width, cfg.Height)
			}
		}
		if img := photoThumb(data.Photo{Data: b}, 144); img != nil {
			if r := img.Bounds(); r.Dx() > 144 || r.Dy() > 144 {
				t.Fatalf("thumbnail of %v", r)
			}
		}
	})
}
