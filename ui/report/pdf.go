package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2/theme"
	"github.com/go-pdf/fpdf"

	"github.com/rapportcrm/rapport/ui/locale"
)

// Colours of the printed page, as in the HTML page.
var (
	pdfInk    = [3]int{29, 35, 39}
	pdfMuted  = [3]int{74, 85, 96}
	pdfAccent = [3]int{20, 102, 90}
	pdfRule   = [3]int{31, 138, 122}
	pdfFlag   = [3]int{138, 59, 0}
	pdfFaint  = [3]int{138, 148, 158}
)

// PDF writes the document as a printable PDF: A4, or Letter where the
// locale's region uses it. The text is set in Noto Sans, the font the window
// uses (Fyne ships it), embedded so any name prints, accents and all.
func (d *Doc) PDF(w io.Writer, made time.Time) error {
	size := "A4"
	if locale.Current().LetterPaper() {
		size = "Letter"
	}
	pdf := fpdf.New("P", "mm", size, "")
	pdf.SetTitle(printable(d.Title)+" — briefing", true)
	pdf.SetCreator("Rapport", true)
	pdf.SetCreationDate(made)
	pdf.SetModificationDate(made) // a fixed date keeps the file the same for the same briefing
	pdf.AddUTF8FontFromBytes("noto", "", theme.DefaultTextFont().Content())
	pdf.AddUTF8FontFromBytes("noto", "B", theme.DefaultTextBoldFont().Content())
	// Noto Sans has no block or circle glyphs (temperature stars and trend):
	// those runs are set in DejaVu Sans Mono, which Fyne ships too.
	pdf.AddUTF8FontFromBytes("symbols", "", theme.DefaultTextMonospaceFont().Content())
	const left, top, right, bottom = 18.0, 16.0, 18.0, 18.0
	pdf.SetMargins(left, top, right)
	pdf.SetAutoPageBreak(true, bottom)
	pageW, pageH := pdf.GetPageSize()
	footer := "Rapport briefing, " + DayTime(made)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		setFont(pdf, "", 8, pdfFaint)
		pdf.CellFormat(0, 4, footer+" · page "+strconv.Itoa(pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()

	setFont(pdf, "B", 20, pdfInk)
	pdf.MultiCell(0, 9, printable(d.Title), "", "L", false)
	setFont(pdf, "", 10, pdfMuted)
	for _, s := range d.Subtitle {
		pdf.MultiCell(0, 5, printable(s), "", "L", false)
	}

	const indent, lineH, detailH = 6.0, 5.4, 4.7
	for _, sec := range d.Sections {
		pdf.Ln(4)
		// Keep a heading with its first line: start a new page if only the
		// heading would fit.
		if pdf.GetY()+7+2+lineH > pageH-bottom {
			pdf.AddPage()
		}
		setFont(pdf, "B", 13, pdfAccent)
		pdf.MultiCell(0, 7, printable(sec.Title), "", "L", false)
		y := pdf.GetY() + 0.5
		pdf.SetDrawColor(pdfRule[0], pdfRule[1], pdfRule[2])
		pdf.SetLineWidth(0.6)
		pdf.Line(left, y, pageW-right, y)
		pdf.Ln(2.5)
		for i, it := range sec.Items {
			bullet := "•"
			if sec.Ordered {
				bullet = fmt.Sprintf("%d.", i+1)
			}
			setFont(pdf, "", 10.5, pdfInk)
			if it.More {
				bullet = ""
				setFont(pdf, "", 10.5, pdfMuted)
			}
			pdf.SetX(left)
			pdf.CellFormat(indent, lineH, bullet, "", 0, "L", false, 0, "")
			// Write wraps at the left margin: move it in for the item's text.
			pdf.SetLeftMargin(left + indent)
			writeRuns(pdf, lineH, it.Text)
			if it.Flag != "" {
				setFont(pdf, "B", 9, pdfFlag)
				pdf.Write(lineH, "  "+printable(strings.ToUpper(it.Flag))) // short, and bold
			}
			pdf.Ln(lineH)
			setFont(pdf, "", 9.5, pdfMuted)
			for _, det := range it.Detail {
				for _, l := range strings.Split(det, "\n") {
					writeRuns(pdf, detailH, l)
					pdf.Ln(detailH)
				}
			}
			pdf.SetLeftMargin(left)
			pdf.Ln(1.2)
		}
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("lay out the PDF: %w", err)
	}
	return pdf.Output(w)
}

// writeRuns writes text from the current position in the regular font at
// the current size, wrapping at the right margin and at each new line, and
// switching to the symbol font for block elements and geometric shapes
// (U+2580–U+25FF). It leaves the position at the end of the text, for a flag
// to follow.
//
// It breaks the lines itself and sets each piece with one CellFormat: fpdf's
// Write turns the whole string into runes again for every rune it reads, so
// a note of 64 KiB took seconds and one of a few MiB did not finish.
func writeRuns(pdf *fpdf.Fpdf, h float64, text string) {
	text = printable(text)
	size, _ := pdf.GetFontSize()
	// DejaVu Sans Mono is monospaced: one symbol's width is every symbol's.
	pdf.SetFont("symbols", "", size)
	symbolW := pdf.GetStringWidth("█")
	pdf.SetFont("noto", "", size)
	l := lineWriter{pdf: pdf, h: h, size: size, symbolW: symbolW}
	pageW, _ := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	l.full = pageW - right - left - 2*pdf.GetCellMargin()
	l.avail = pageW - right - pdf.GetX() - 2*pdf.GetCellMargin()
	l.midLine = pdf.GetX() > left
	for i, para := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		if i > 0 {
			l.flush()
			l.newLine()
		}
		l.paragraph(para)
	}
	l.flush()
	pdf.SetFont("noto", "", size)
}

// lineWriter gathers the words of one line until the next does not fit.
type lineWriter struct {
	pdf      *fpdf.Fpdf
	h, size  float64
	symbolW  float64 // the width of any symbol
	full     float64 // the width of a whole line
	avail    float64 // what is left of this line's width when it started
	midLine  bool    // the line started after other text (a bullet, a run)
	line     strings.Builder
	lineW    float64
	nonEmpty bool
}

func isSymbol(r rune) bool { return r >= 0x2580 && r <= 0x25FF }

// width measures s in the fonts it will be set in.
func (l *lineWriter) width(s string) float64 {
	w := 0.0
	for s != "" {
		run, symbol, rest := nextRun(s)
		if symbol {
			w += l.symbolW * float64(utf8.RuneCountInString(run))
		} else {
			w += l.pdf.GetStringWidth(run)
		}
		s = rest
	}
	return w
}

// nextRun cuts the leading run of symbols, or of other text, off s.
func nextRun(s string) (run string, symbol bool, rest string) {
	first, _ := utf8.DecodeRuneInString(s)
	symbol = isSymbol(first)
	end := strings.IndexFunc(s, func(r rune) bool { return isSymbol(r) != symbol })
	if end < 0 {
		end = len(s)
	}
	return s[:end], symbol, s[end:]
}

// paragraph lays out text without new lines, breaking at spaces, or inside
// a word longer than a whole line.
func (l *lineWriter) paragraph(text string) {
	space := l.pdf.GetStringWidth(" ")
	for i, word := range strings.Split(text, " ") {
		w := l.width(word)
		sep := i > 0 // the space before the word, dropped where the line breaks
		add := w
		if sep {
			add += space
		}
		if l.lineW+add > l.avail && (l.nonEmpty || l.midLine) {
			l.flush()
			l.newLine()
			sep, add = false, w
		}
		if sep {
			l.line.WriteByte(' ')
		}
		if l.lineW+add <= l.avail {
			l.line.WriteString(word)
			l.lineW += add
			l.nonEmpty = true
			continue
		}
		// Longer than the line: as much as fits on each line.
		if sep {
			l.lineW += space
		}
		for _, r := range word {
			rw := l.width(string(r))
			if l.lineW+rw > l.avail && l.nonEmpty {
				l.flush()
				l.newLine()
			}
			l.line.WriteRune(r)
			l.lineW += rw
			l.nonEmpty = true
		}
	}
}

// flush sets the gathered line, run by run, and leaves the position after it.
func (l *lineWriter) flush() {
	s := l.line.String()
	for s != "" {
		run, symbol, rest := nextRun(s)
		font := "noto"
		if symbol {
			font = "symbols"
		}
		l.pdf.SetFont(font, "", l.size)
		l.pdf.CellFormat(l.pdf.GetStringWidth(run), l.h, run, "", 0, "L", false, 0, "")
		s = rest
	}
	l.line.Reset()
	l.lineW = 0
}

// newLine moves to the start of the next line, at the left margin.
func (l *lineWriter) newLine() {
	l.pdf.Ln(l.h)
	l.avail, l.midLine, l.nonEmpty = l.full, false, false
}

// printable replaces what the fonts cannot set with □: fpdf's tables end at
// U+FFFF, and an emoji beyond them made it panic.
func printable(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r > 0xFFFF }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r > 0xFFFF {
			return '□'
		}
		return r
	}, s)
}

func setFont(pdf *fpdf.Fpdf, style string, size float64, rgb [3]int) {
	pdf.SetFont("noto", style, size)
	pdf.SetTextColor(rgb[0], rgb[1], rgb[2])
}
