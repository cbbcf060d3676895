package ui

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// jpegWithOrientation encodes a w × h JPEG, red on its left half, carrying
// an EXIF orientation as phone cameras write it.
func jpegWithOrientation(t *testing.T, w, h int, orientation uint16) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{0, 0, 255, 255}
			if x < w/2 {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	// APP1 "Exif": a big-endian TIFF header and one IFD entry, 0x0112
	// (Orientation), SHORT, count 1.
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a")
	binary.Write(&tiff, binary.BigEndian, uint32(8))
	binary.Write(&tiff, binary.BigEndian, uint16(1))
	binary.Write(&tiff, binary.BigEndian, []uint16{0x0112, 3})
	binary.Write(&tiff, binary.BigEndian, uint32(1))
	binary.Write(&tiff, binary.BigEndian, []uint16{orientation, 0})
	binary.Write(&tiff, binary.BigEndian, uint32(0))
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	var out bytes.Buffer
	out.Write(enc.Bytes()[:2]) // SOI
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, binary.BigEndian, uint16(len(payload)+2))
	out.Write(payload)
	out.Write(enc.Bytes()[2:])
	return out.Bytes()
}

// A portrait taken on a phone is stored sideways with "turn 90° clockwise"
// in its EXIF block: the customer's photo must come out upright.
func TestPhotoTurnedUpright(t *testing.T) {
	p, err := photoFrom(bytes.NewReader(jpegWithOrientation(t, 80, 40, 6)))
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(p.Data))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 40 || b.Dy() != 80 || p.MIME != "image/jpeg" {
		t.Fatalf("stored %s %d × %d, want image/jpeg 40 × 80 (turned)", p.MIME, b.Dx(), b.Dy())
	}
	// Turned clockwise, the red left half is now the top.
	if r, _, b, _ := img.At(20, 10).RGBA(); r < b {
		t.Errorf("top of the turned photo is not red: r=%d b=%d", r>>8, b>>8)
	}
	if bytes.Contains(p.Data, []byte("Exif")) {
		t.Error("the stored photo still carries the camera's EXIF block")
	}

	// Without an orientation the picture is kept the way it is.
	p, err = photoFrom(bytes.NewReader(jpegWithOrientation(t, 80, 40, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(p.Data)); err != nil || cfg.Width != 80 || cfg.Height != 40 {
		t.Errorf("upright photo became %+v %v", cfg, err)
	}
}
