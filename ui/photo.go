package ui

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png" // decode PNG photos
	"io"

	"github.com/disintegration/imaging"
	"golang.org/x/image/draw"

	"github.com/rapportcrm/rapport/data"
)

const (
	// photoMaxSide is the longest side a stored photo keeps: enough for the
	// customer page and a phone's contact card, and it keeps the database
	// and exported vCards small (a phone photo is 4000 px and several MB).
	photoMaxSide = 512
	// photoMaxBytes is the largest file kept as it is when it is small
	// enough in pixels; bigger ones are encoded again as JPEG.
	photoMaxBytes = 256 << 10
	// photoMaxPixels refuses images that would take gigabytes to decode.
	photoMaxPixels = 100_000_000
	// photoMaxFile bounds what is read from the file at all.
	photoMaxFile = 64 << 20
)

// errNotPhoto says a file is not a PNG or JPEG image.
var errNotPhoto = errors.New("it is not a PNG or JPEG image")

// photoFrom reads a PNG or JPEG picture for a customer's card. A small PNG
// is kept as it is; anything else is turned upright, scaled down to
// photoMaxSide if larger, and stored as JPEG.
func photoFrom(r io.Reader) (data.Photo, error) {
	b, err := io.ReadAll(io.LimitReader(r, photoMaxFile+1))
	if err != nil {
		return data.Photo{}, err
	}
	if len(b) > photoMaxFile {
		return data.Photo{}, fmt.Errorf("the file is larger than %d MB", photoMaxFile>>20)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || (format != "png" && format != "jpeg") {
		return data.Photo{}, errNotPhoto
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > photoMaxPixels {
		return data.Photo{}, fmt.Errorf("the image is %d × %d pixels: too large to use", cfg.Width, cfg.Height)
	}
	// A JPEG is always decoded again: phones store portraits sideways with
	// an EXIF orientation to turn them by, which not every viewer honours,
	// and the EXIF block may hold where the picture was taken.
	if format == "png" && max(cfg.Width, cfg.Height) <= photoMaxSide && len(b) <= photoMaxBytes {
		return data.Photo{Data: b, MIME: "image/png"}, nil
	}
	img, err := imaging.Decode(bytes.NewReader(b), imaging.AutoOrientation(true))
	if err != nil {
		return data.Photo{}, fmt.Errorf("%w: %v", errNotPhoto, err)
	}
	out, err := encodePhoto(scaleDown(img, photoMaxSide))
	if err != nil {
		return data.Photo{}, err
	}
	return data.Photo{Data: out, MIME: "image/jpeg"}, nil
}

// scaleDown fits img into side × side pixels, keeping its proportions, on a
// white background (JPEG has no transparency).
func scaleDown(img image.Image, side int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > side || h > side {
		if w >= h {
			w, h = side, max(1, h*side/b.Dx())
		} else {
			w, h = max(1, w*side/b.Dy()), side
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Over, nil)
	return dst
}

func encodePhoto(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
