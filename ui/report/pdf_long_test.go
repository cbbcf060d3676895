package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/data"
)

// longNote is about n bytes of prose: words of a few letters, a sentence
// break now and then and, when paragraphs, a new line every few hundred
// words; first and last are marker words to find in the output.
func longNote(n int, paragraphs bool) string {
	words := []string{"the", "chiller", "in", "cold", "room", "two", "needs", "a", "new", "compressor", "before", "summer", "Müller", "said", "café"}
	var b strings.Builder
	b.WriteString("Firstword")
	for i := 0; b.Len() < n-len(" Lastword"); i++ {
		switch {
		case paragraphs && i%300 == 299:
			b.WriteString("\n")
		case i%17 == 16:
			b.WriteString(". ")
		default:
			b.WriteString(" ")
		}
		b.WriteString(words[i%len(words)])
	}
	b.WriteString(" Lastword")
	return b.String()
}

func longNoteBriefing(note string) *data.Briefing {
	b := sampleBriefing()
	b.Recent = []data.Interaction{{Kind: data.KindVisit, At: b.Now.AddDate(0, 0, -1), Summary: "Long visit", Notes: note}}
	return b
}

// A note of 256 KiB in one paragraph prints whole: its first and last words
// are on the pages.
func TestPDFLongNote(t *testing.T) {
	for _, paragraphs := range []bool{false, true} {
		note := longNote(256<<10, paragraphs)
		var pdf bytes.Buffer
		if err := Briefing(longNoteBriefing(note), Options{}).PDF(&pdf, sampleBriefing().Now); err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, pdf.Bytes())
		for _, want := range []string{"Firstword", "Lastword", "Long visit"} {
			if !strings.Contains(text, want) {
				t.Errorf("paragraphs %v: the PDF lacks %q", paragraphs, want)
			}
		}
		// Every word is printed once: the text is neither lost nor repeated.
		if got, want := strings.Count(text, "compressor"), strings.Count(note, "compressor"); got != want {
			t.Errorf("paragraphs %v: %d times “compressor” in the PDF, %d in the note", paragraphs, got, want)
		}
	}
}

// BenchmarkPDFLongNote lays out a briefing with one interaction whose note
// is 64 KiB or 1 MiB of prose in one paragraph.
func BenchmarkPDFLongNote(b *testing.B) {
	for _, size := range []int{64 << 10, 1 << 20} {
		b.Run(fmt.Sprintf("note=%dKiB", size>>10), func(b *testing.B) {
			doc := Briefing(longNoteBriefing(longNote(size, false)), Options{})
			b.SetBytes(int64(size))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := doc.PDF(io.Discard, sampleBriefing().Now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// An emoji, beyond the fonts' tables, prints as □ instead of failing the
// export, as do symbol runs mixed into a wrapped note.
func TestPDFEmojiAndSymbols(t *testing.T) {
	note := "Loves 😀 football ⚽ and ●●○○○ " + longNote(2000, false)
	var pdf bytes.Buffer
	if err := Briefing(longNoteBriefing(note), Options{}).PDF(&pdf, sampleBriefing().Now); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf.Bytes())
	for _, want := range []string{"Loves □ football", "●●○○○", "Lastword"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
}
