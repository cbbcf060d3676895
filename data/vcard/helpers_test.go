package vcard

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
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
