package data_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/vcard"
)

// BenchmarkDurability is what synchronous=FULL (an fsync of the write-ahead
// log at every commit, so nothing reported saved is lost on a power cut)
// costs against NORMAL, on a logged visit and on a 10k import. The store
// uses FULL.
func BenchmarkDurability(b *testing.B) {
	ctx := context.Background()
	file := generatedCards(b, 10_000)
	for _, mode := range []string{"NORMAL", "FULL"} {
		b.Run("log/"+mode, func(b *testing.B) {
			s, err := data.Open(ctx, filepath.Join(b.TempDir(), "d.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if err := data.SetSynchronous(s, mode); err != nil {
				b.Fatal(err)
			}
			c := &data.Customer{GivenName: "Ada", FamilyName: "Lovelace"}
			if err := s.CreateCustomer(ctx, c); err != nil {
				b.Fatal(err)
			}
			for i := 0; b.Loop(); i++ {
				in := &data.Interaction{CustomerID: c.ID, Kind: "visit", At: time.Now(), Summary: fmt.Sprintf("visit %d", i)}
				if err := s.LogInteraction(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("import10k/"+mode, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				s, err := data.Open(ctx, filepath.Join(b.TempDir(), "d.db"))
				if err != nil {
					b.Fatal(err)
				}
				if err := data.SetSynchronous(s, mode); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := s.Import(ctx, vcard.Reader("gen.vcf", bytes.NewReader(file)), data.ImportOptions{}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
		})
	}
}
