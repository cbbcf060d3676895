package vcard

import (
	"os"
	"testing"
)

// TestEncodeDump re-encodes the file in VCARD_ENC (debugging aid).
func TestEncodeDump(t *testing.T) {
	path := os.Getenv("VCARD_ENC")
	if path == "" {
		t.Skip("set VCARD_ENC=file.vcf to print it re-encoded")
	}
	recs, _, _ := decodeAll(mustRead(t, path))
	os.Stdout.Write(encodeAll(t, recs, Options{Version: os.Getenv("VCARD_VERSION")}))
}
