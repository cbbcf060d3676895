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

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
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
	// photoMaxPixels refuses, before decoding, images that would take
	// hundreds of megabytes to decode: a hostile file of a few kilobytes can
	// claim 65,535 × 65,535 pixels. 50 megapixels is more than any camera's.
	photoMaxPixels = 50_000_000
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
	cfg, format, err := checkImage(b)
	if err != nil {
		return data.Photo{}, err
	}
	if format != "png" && format != "jpeg" {
		return data.Photo{}, errNotPhoto
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

// checkImage reads only the header of an image and refuses a file larger
// than photoMaxFile or a picture of more than photoMaxPixels, so nothing
// decodes one that would take gigabytes. Every decode of a photo goes
// through it: the editor's, and the screen's of a photo imported from a
// vCard, which is stored as it came (and may be a GIF or BMP).
func checkImage(b []byte) (image.Config, string, error) {
	if len(b) > photoMaxFile {
		return image.Config{}, "", fmt.Errorf("the file is larger than %d MB", photoMaxFile>>20)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return image.Config{}, "", errNotPhoto
	}
	// In int64, and side by side first: no product overflows.
	if w, h := int64(cfg.Width), int64(cfg.Height); w <= 0 || h <= 0 || w > photoMaxPixels || h > photoMaxPixels || w*h > photoMaxPixels {
		return image.Config{}, "", fmt.Errorf("the image is %d × %d pixels: too large to use", cfg.Width, cfg.Height)
	}
	return cfg, format, nil
}

// photoThumb decodes a stored photo for the screen, turned upright and
// scaled to fit side × side pixels; nil when there is none or it cannot be
// shown (checkImage). Decoding takes a while: call it off the UI goroutine.
func photoThumb(p data.Photo, side int) image.Image {
	if len(p.Data) == 0 {
		return nil
	}
	if _, _, err := checkImage(p.Data); err != nil {
		return nil
	}
	img, err := imaging.Decode(bytes.NewReader(p.Data), imaging.AutoOrientation(true))
	if err != nil {
		return nil
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= side && h <= side {
		return img
	}
	if w >= h {
		w, h = side, max(1, h*side/b.Dx())
	} else {
		w, h = max(1, w*side/b.Dy()), side
	}
	dst := image.NewNRGBA(image.Rect(0, 0, w, h)) // transparent stays transparent
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// thumbImage shows a photo decoded by photoThumb, or the placeholder.
func thumbImage(img image.Image) fyne.CanvasObject {
	if img == nil {
		return widget.NewIcon(theme.AccountIcon())
	}
	c := canvas.NewImageFromImage(img)
	c.FillMode = canvas.ImageFillContain
	return c
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
