package ui

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/rapportcrm/rapport/data"
)

// writePNG writes a w × h PNG with some detail into the test's directory.
func writePNG(t *testing.T, name string, w, h int) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return writeFile(t, name, buf.String())
}

// choosePhoto loads a file into the editor as Choose photo… does.
func choosePhoto(t *testing.T, u *UI, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	u.editor.readPhoto(f, filepath.Base(path))
	u.wait()
}

func TestEditorPhoto(t *testing.T) {
	u, s := newTestUI(t, person("Jane", "Doe", "Acme"))
	ctx := context.Background()
	id := u.customers.selectedID
	openCustomer(t, u, id)

	t.Run("a large photo is scaled down and saved as JPEG", func(t *testing.T) {
		u.customer.onEdit()
		e := u.editor
		if !e.removePhoto.Disabled() {
			t.Error("Remove photo is enabled without a photo")
		}
		choosePhoto(t, u, writePNG(t, "big.png", 2000, 1000))
		if e.photo.MIME != "image/jpeg" || e.removePhoto.Disabled() {
			t.Fatalf("photo %q, Remove disabled %v", e.photo.MIME, e.removePhoto.Disabled())
		}
		tapLocked(u, e.save)
		u.wait()
		c, err := s.Customer(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(c.Photo.Data))
		if err != nil {
			t.Fatalf("stored photo (%s, %d bytes): %v", c.Photo.MIME, len(c.Photo.Data), err)
		}
		if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 256 || c.Photo.MIME != "image/jpeg" {
			t.Errorf("stored photo %s %d × %d, want image/jpeg 512 × 256", c.Photo.MIME, b.Dx(), b.Dy())
		}
	})

	t.Run("a small photo is kept as it is", func(t *testing.T) {
		path := writePNG(t, "small.png", 64, 80)
		u.customer.onEdit()
		choosePhoto(t, u, path)
		tapLocked(u, u.editor.save)
		u.wait()
		c, _ := s.Customer(ctx, id)
		want, _ := os.ReadFile(path)
		if c.Photo.MIME != "image/png" || !bytes.Equal(c.Photo.Data, want) {
			t.Errorf("stored %s, %d bytes; want the file's %d bytes as image/png", c.Photo.MIME, len(c.Photo.Data), len(want))
		}
	})

	t.Run("a file that is no image is refused", func(t *testing.T) {
		u.customer.onEdit()
		e := u.editor
		before := e.photo
		choosePhoto(t, u, writeFile(t, "notes.jpg", "not a picture at all"))
		if msg := joined(topDialog(t, u)); !strings.Contains(msg, "“notes.jpg” cannot be used as a photo") ||
			!strings.Contains(msg, "not a PNG or JPEG image") {
			t.Errorf("error dialog:\n%s", msg)
		}
		if !bytes.Equal(e.photo.Data, before.Data) {
			t.Error("a bad file changed the photo")
		}
		u.win.Canvas().Overlays().Top().Hide()
		e.dlg.Hide()
	})

	t.Run("remove", func(t *testing.T) {
		u.customer.onEdit()
		e := u.editor
		test.Tap(e.removePhoto)
		if !e.photo.Empty() || !e.removePhoto.Disabled() {
			t.Errorf("after Remove: photo %d bytes, Remove disabled %v", len(e.photo.Data), e.removePhoto.Disabled())
		}
		tapLocked(u, e.save)
		u.wait()
		c, _ := s.Customer(ctx, id)
		if !c.Photo.Empty() {
			t.Errorf("the photo was not removed: %s, %d bytes", c.Photo.MIME, len(c.Photo.Data))
		}
	})
}

// A sync (or another Rapport) changes the customer while the editor is
// open: saving keeps that change in the fields the user did not touch.
func TestEditorKeepsAChangeMadeWhileOpen(t *testing.T) {
	u, s := newTestUI(t, person("Jane", "Doe", "Acme"))
	ctx := context.Background()
	id := u.customers.selectedID
	openCustomer(t, u, id)
	u.customer.onEdit()
	e := u.editor
	// Meanwhile, a phone's edit arrives.
	c, err := s.Customer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	c.Nickname = "Janie"
	c.Emails = append(c.Emails, data.Labelled{Label: "home", Value: "jane@home.example"})
	if err := s.UpdateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	onUI(u, func() { e.title.SetText("Head buyer") })
	tapLocked(u, e.save)
	u.wait()
	got, err := s.Customer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Head buyer" || got.Nickname != "Janie" || len(got.Emails) != len(c.Emails) {
		t.Errorf("after saving the form: title %q, nickname %q, e-mails %+v", got.Title, got.Nickname, got.Emails)
	}
}
