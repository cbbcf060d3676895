package data_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/vcard"
	"github.com/rapportcrm/rapport/data/vcard/vcardgen"
)

// generatedCards writes n realistic vCards: names, company, phones, e-mail,
// address, birthday, tags and a note.
func generatedCards(b testing.TB, n int) []byte { return generatedCardsWith(b, n, nil) }

// generatedCardsWith is generatedCards with each card changed by edit first.
func generatedCardsWith(b testing.TB, n int, edit func(i int, c *data.Customer, p *data.Profile)) []byte {
	b.Helper()
	cards, err := vcardgen.Cards(n, edit)
	if err != nil {
		b.Fatal(err)
	}
	return cards
}

// changedCards is generatedCards with every card's title changed and a
// profile item added: importing it over generatedCards updates every customer.
func changedCards(b *testing.B, n int) []byte {
	return generatedCardsWith(b, n, func(i int, c *data.Customer, p *data.Profile) {
		c.Title = "Manager"
		p.Items = []data.ProfileItem{{Category: data.CatHobby, Text: fmt.Sprintf("sailing %d", i)}}
	})
}

// TestWriteGeneratedCards writes generated cards to the file named by
// RAPPORT_GEN_VCF (RAPPORT_GEN_CARDS of them, default 100k; with
// RAPPORT_GEN_PHOTOS=1 each has a 2 KiB photo), to measure the built
// binary: /usr/bin/time -v rapport import --db x.db FILE. Skipped otherwise.
func TestWriteGeneratedCards(t *testing.T) {
	path := os.Getenv("RAPPORT_GEN_VCF")
	if path == "" {
		t.Skip("set RAPPORT_GEN_VCF to write a generated vCard file")
	}
	n := 100_000
	if v := os.Getenv("RAPPORT_GEN_CARDS"); v != "" {
		if _, err := fmt.Sscan(v, &n); err != nil {
			t.Fatalf("RAPPORT_GEN_CARDS: %v", err)
		}
	}
	var edit func(int, *data.Customer, *data.Profile)
	if os.Getenv("RAPPORT_GEN_PHOTOS") != "" {
		edit = func(i int, c *data.Customer, p *data.Profile) {
			img := bytes.Repeat([]byte{byte(i), byte(i >> 8), 0x5a, 0xa5}, 512)
			copy(img, "\xff\xd8\xff\xe0") // a JPEG header, so the MIME type is sniffed
			c.Photo = data.Photo{Data: img, MIME: "image/jpeg"}
		}
	}
	if err := os.WriteFile(path, generatedCardsWith(t, n, edit), 0o600); err != nil {
		t.Fatal(err)
	}
}

// benchUpdate imports n cards that update every one of n customers.
func benchUpdate(b *testing.B, n int) {
	ctx := context.Background()
	file, changed := generatedCards(b, n), changedCards(b, n)
	b.SetBytes(int64(len(changed)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := data.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Import(ctx, vcard.Reader("gen.vcf", bytes.NewReader(file)), data.ImportOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		sum, err := s.Import(ctx, vcard.Reader("changed.vcf", bytes.NewReader(changed)), data.ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if sum.Updated != n {
			b.Fatalf("summary %s", sum)
		}
		s.Close()
		b.StartTimer()
	}
}

func benchImport(b *testing.B, n int, again bool) {
	file := generatedCards(b, n)
	ctx := context.Background()
	b.SetBytes(int64(len(file)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := data.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		if again {
			if _, err := s.Import(ctx, vcard.Reader("gen.vcf", bytes.NewReader(file)), data.ImportOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		sum, err := s.Import(ctx, vcard.Reader("gen.vcf", bytes.NewReader(file)), data.ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if want := map[bool]int{false: n, true: 0}[again]; sum.New != want || sum.Failed != 0 {
			b.Fatalf("summary %s", sum)
		}
		s.Close()
		b.StartTimer()
	}
}

// BenchmarkImport: decode, match, write, index and commit n cards.
func BenchmarkImport(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("fresh/cards=%d", n), func(b *testing.B) { benchImport(b, n, false) })
		b.Run(fmt.Sprintf("merge/cards=%d", n), func(b *testing.B) { benchImport(b, n, true) })
		b.Run(fmt.Sprintf("update/cards=%d", n), func(b *testing.B) { longBench(b, n); benchUpdate(b, n) })
	}
}

// longBench says whether to run a 100k-card case: only when -bench names
// it (e.g. -bench 'UndoImport/.*=100000') or RAPPORT_LONG_BENCH=1 is set,
// since one run takes minutes.
func longBench(b *testing.B, n int) {
	if n < 100_000 || os.Getenv("RAPPORT_LONG_BENCH") != "" {
		return
	}
	if f := flag.Lookup("test.bench"); f != nil && strings.Contains(f.Value.String(), fmt.Sprint(n)) {
		return
	}
	b.Skip("100k cases run with RAPPORT_LONG_BENCH=1 or a -bench pattern naming them")
}

// BenchmarkUndoImport takes back an import of n cards: one that created
// every customer, and one that updated every customer (a changed title and
// an added profile item), so undo restores each card and removes the row.
// On the loaded 2-core machine of 2026-12-01, run back to back with the old
// code: created/10k 8.1 s against 128.8 s before (one secure FTS delete per
// customer); created/2.5k 1.0-2.4 s against 28.6-40.3 s; created/100k
// 29.6-80 s where it had not finished in 19 minutes; restored/10k 4.3-5.4 s
// (the updating import itself 10.7 s).
func BenchmarkUndoImport(b *testing.B) {
	for _, n := range []int{2_500, 10_000, 100_000} {
		for _, kind := range []string{"created", "restored"} {
			b.Run(fmt.Sprintf("%s/cards=%d", kind, n), func(b *testing.B) {
				longBench(b, n)
				benchUndo(b, n, kind == "restored")
			})
		}
	}
}

func benchUndo(b *testing.B, n int, restore bool) {
	ctx := context.Background()
	file := generatedCards(b, n)
	var changed []byte
	if restore {
		changed = changedCards(b, n)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := data.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		sum, err := s.Import(ctx, vcard.Reader("gen.vcf", bytes.NewReader(file)), data.ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if restore {
			if sum, err = s.Import(ctx, vcard.Reader("changed.vcf", bytes.NewReader(changed)), data.ImportOptions{}); err != nil {
				b.Fatal(err)
			}
			if sum.Updated != n {
				b.Fatalf("second import: %s", sum)
			}
		}
		b.StartTimer()
		res, err := s.UndoImport(ctx, sum.BatchID)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if res.Removed+res.Restored != n {
			b.Fatalf("undo: %+v", res)
		}
		s.Close()
		b.StartTimer()
	}
}

// BenchmarkExport10k writes 10k customers as vCard 3.0.
func BenchmarkExport10k(b *testing.B) {
	ctx := context.Background()
	s, err := data.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Import(ctx, vcard.Reader("gen.vcf", bytes.NewReader(generatedCards(b, 10_000))), data.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var out bytes.Buffer
		enc := vcard.NewEncoder(&out, vcard.Options{Version: "3.0"})
		n := 0
		if err := s.EachCustomer(ctx, data.ExportFilter{}, func(c *data.Customer, p *data.Profile) error { n++; return enc.Encode(c, p) }); err != nil {
			b.Fatal(err)
		}
		if n != 10_000 {
			b.Fatalf("exported %d", n)
		}
	}
}
