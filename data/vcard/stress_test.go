package vcard

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	mrand "math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestLargeFile decodes a generated 50 MB file and checks memory stays
// bounded: the decoder streams card by card.
func TestLargeFile(t *testing.T) {
	if testing.Short() {
		t.Skip("50 MB file: skipped with -short")
	}
	path := filepath.Join(t.TempDir(), "big.vcf")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	cards := 0
	for ; ; cards += 1000 {
		if st, _ := f.Stat(); st.Size() >= 50<<20 {
			break
		}
		if err := writeCards(bw, 1000); err != nil {
			t.Fatal(err)
		}
		bw.Flush()
	}
	f.Close()
	st, _ := os.Stat(path)

	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak uint64
	d := NewDecoder(in)
	n := 0
	for {
		r, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d cards: %v", n, err)
		}
		n++
		if r.Customer.Name() == "" {
			t.Fatalf("card %d has no name", r.Index)
		}
		if n%2000 == 0 {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak {
				peak = ms.HeapInuse
			}
		}
	}
	if n != cards {
		t.Errorf("decoded %d cards, wrote %d", n, cards)
	}
	growth := int64(peak) - int64(base)
	t.Logf("%d MB, %d cards; heap in use grew by at most %.1f MB", st.Size()>>20, n, float64(growth)/(1<<20))
	if growth > 32<<20 {
		t.Errorf("heap grew by %d MB while streaming a %d MB file", growth>>20, st.Size()>>20)
	}
}

// TestBrokenCardInMiddle: an over-long line spoils only its card, the error
// names the card and the field, and the cards after it still decode.
func TestBrokenCardInMiddle(t *testing.T) {
	var buf bytes.Buffer
	writeCards(&buf, 3)
	buf.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Too Big\r\nPHOTO;ENCODING=b;TYPE=JPEG:")
	buf.WriteString(strings.Repeat("QUFB", (maxLineBytes/4)+1000))
	buf.WriteString("\r\nEND:VCARD\r\n")
	buf.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nobody\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:\r\nEND:VCARD\r\n")
	writeCards(&buf, 2)
	recs, errs, fatal := decodeAll(buf.Bytes())
	if fatal != nil {
		t.Fatal(fatal)
	}
	if len(recs) != 6 || len(errs) != 2 {
		t.Fatalf("got %q and errors %v", names(recs), errs)
	}
	if e := errs[0].Error(); errs[0].Index != 4 || !strings.Contains(e, "card 4 (Too Big)") || !strings.Contains(e, "field PHOTO") {
		t.Errorf("error %q", e)
	}
	if errs[1].Index != 6 {
		t.Errorf("second error %v", errs[1])
	}
	if recs[3].Customer.Name() != "Nobody" || recs[4].Index != 7 {
		t.Errorf("cards after the broken one: %q, index %d", names(recs), recs[4].Index)
	}
}

// TestNotVCard: binary data and other files fail fast with ErrNotVCard.
func TestNotVCard(t *testing.T) {
	random := make([]byte, 4<<20)
	rand.Read(random)
	withNUL := append([]byte("BEGIN:VCAR\x00D"), random...)
	text := bytes.Repeat([]byte("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n"), 50000)
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), random[:1<<20]...)
	for name, in := range map[string][]byte{"random": random, "NUL": withNUL, "text": text, "png": png, "no newline": bytes.Repeat([]byte("A"), 10<<20)} {
		start := time.Now()
		d := NewDecoder(bytes.NewReader(in))
		_, err := d.Next()
		if !errors.Is(err, ErrNotVCard) {
			t.Errorf("%s: error %v, want ErrNotVCard", name, err)
		}
		if el := time.Since(start); el > time.Second {
			t.Errorf("%s: took %v", name, el)
		}
		if _, err2 := d.Next(); !errors.Is(err2, ErrNotVCard) {
			t.Errorf("%s: second Next gave %v", name, err2)
		}
	}
	// An empty file is no cards, not an error.
	if _, err := NewDecoder(strings.NewReader("")).Next(); err != io.EOF {
		t.Errorf("empty input: %v", err)
	}
}

// TestBigPhoto: a 10 MB photo is accepted, without using memory out of
// proportion; more than 16 MiB is a card error.
func TestBigPhoto(t *testing.T) {
	if testing.Short() {
		t.Skip("10 MB photo: skipped with -short")
	}
	img := make([]byte, 10<<20)
	mrand.New(mrand.NewSource(1)).Read(img)
	copy(img, []byte{0xFF, 0xD8, 0xFF, 0xE0})
	var buf bytes.Buffer
	buf.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Photo\r\nPHOTO;ENCODING=b;TYPE=JPEG:\r\n")
	buf.WriteString(fold(base64.StdEncoding.EncodeToString(img)))
	buf.WriteString("END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:After\r\nEND:VCARD\r\n")
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	recs, errs, fatal := decodeAll(buf.Bytes())
	runtime.ReadMemStats(&after)
	if fatal != nil || len(errs) != 0 || len(recs) != 2 {
		t.Fatalf("%v %v %q", fatal, errs, names(recs))
	}
	if !bytes.Equal(recs[0].Customer.Photo.Data, img) {
		t.Error("photo bytes differ")
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("10 MB photo: %.0f MB allocated", float64(alloc)/(1<<20))
	if alloc > 80<<20 {
		t.Errorf("allocated %d MB for a 10 MB photo", alloc>>20)
	}

	big := strings.Repeat("QUFB", int(math.Ceil(17<<20/3)))
	in := "BEGIN:VCARD\r\nFN:Huge\r\nPHOTO;ENCODING=b:" + big + "\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Next\r\nEND:VCARD\r\n"
	recs, errs, _ = decodeAll([]byte(in))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "card 1 (Huge): field PHOTO") || len(recs) != 1 {
		t.Errorf("17 MiB photo: %v %q", errs, names(recs))
	}
	_ = fmt.Sprint
}
