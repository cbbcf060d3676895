package data

import (
	"context"
	"math/rand"
	"strings"
	"testing"
)

// BenchmarkSearchAtCap measures the slowest searches the cap lets through:
// queries of MaxQueryLen characters on 10k customers with 100k
// interactions. A 400 KiB query took 9 s before the cap.
func BenchmarkSearchAtCap(b *testing.B) {
	s, _ := benchStore(b, 10_000, 100_000)
	defer s.Close()
	ctx := context.Background()
	r := rand.New(rand.NewSource(2))
	z := rand.NewZipf(r, 1.07, 1, uint64(len(benchVocabulary)-1))
	var pasted strings.Builder // words of the notes, as if a paragraph were pasted
	for pasted.Len() < MaxQueryLen {
		pasted.WriteString(benchVocabulary[z.Uint64()] + " ")
	}
	var letters strings.Builder // every word one letter: a prefix scan each
	for i := 0; letters.Len() < MaxQueryLen; i++ {
		letters.WriteString(string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + " ")
	}
	var distinct []rune // 128 different words, the most the cap lets through
	for r := rune(0x4e00); len(distinct) < MaxQueryLen; r++ {
		distinct = append(distinct, r, ' ')
	}
	for _, q := range []struct{ name, text string }{
		{"pasted-words", pasted.String()[:MaxQueryLen]},
		{"two-letter-words", letters.String()[:MaxQueryLen]},
		{"128-distinct-words", string(distinct)},
		{"one-word", strings.Repeat("m", MaxQueryLen)},
		{"digits", strings.Repeat("7946 ", MaxQueryLen/5)},
	} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Search(ctx, q.text, 200); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
