package vcard

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// corpusDir is the shared corpus of real .vcf files (never copied here).
const corpusDir = "../../../shared/vcards"

// corpusFiles lists every .vcf in the corpus, or skips the test.
func corpusFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(corpusDir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && filepath.Ext(path) == ".vcf" {
			files = append(files, path)
		}
		return nil
	})
	if err != nil || len(files) == 0 {
		t.Skipf("vCard corpus not found at %s (%v)", corpusDir, err)
	}
	sort.Strings(files)
	return files
}

// decodeAll decodes b completely: records, card errors, and a fatal error.
func decodeAll(b []byte) (recs []*Record, cardErrs []*CardError, fatal error) {
	d := NewDecoder(bytes.NewReader(b))
	for {
		r, err := d.Next()
		if err == io.EOF {
			return
		}
		var ce *CardError
		if errors.As(err, &ce) {
			cardErrs = append(cardErrs, ce)
			continue
		}
		if err != nil {
			return recs, cardErrs, err
		}
		recs = append(recs, r)
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// variedRecords are many varied cards for the independent-parser checks:
// the fixtures, generated cards, a rich customer and the corpus if present.
func variedRecords(t *testing.T) []*Record {
	t.Helper()
	var recs []*Record
	files, _ := os.ReadDir("testdata")
	for _, f := range files {
		if strings.HasSuffix(f.Name(), ".vcf") {
			r, _, _ := decodeAll(mustRead(t, "testdata/"+f.Name()))
			recs = append(recs, r...)
		}
	}
	var gen bytes.Buffer
	writeCards(&gen, 40)
	r, _, _ := decodeAll(gen.Bytes())
	recs = append(recs, r...)
	c, p := sampleCustomer(9)
	recs = append(recs, &Record{Customer: c, Profile: p})
	if _, err := os.Stat(corpusDir); err != nil {
		t.Logf("corpus not found at %s: checking fixtures and generated cards only", corpusDir)
		return recs
	}
	for _, f := range corpusFiles(t) {
		r, _, _ := decodeAll(mustRead(t, f))
		recs = append(recs, r...)
	}
	return recs
}
