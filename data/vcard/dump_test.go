package vcard

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

// TestDump prints every decoded card of the file in VCARD_DUMP (debugging aid).
func TestDump(t *testing.T) {
	path := os.Getenv("VCARD_DUMP")
	if path == "" {
		t.Skip("set VCARD_DUMP=file.vcf to print its cards")
	}
	recs, errs, fatal := decodeAll(mustRead(t, path))
	for _, r := range recs {
		r.Customer.Photo.Data = r.Customer.Photo.Data[:min(len(r.Customer.Photo.Data), 4)]
		b, _ := json.MarshalIndent(r, "", "  ")
		fmt.Println(string(b))
	}
	for _, e := range errs {
		fmt.Println("CARD ERROR:", e)
	}
	if fatal != nil {
		fmt.Println("FATAL:", fatal)
	}
}
