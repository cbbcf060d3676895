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
	pdf.SetTitle(d.Title+" — briefing", true)
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
	pdf.MultiCell(0, 9, d.Title, "", "L", false)
	setFont(pdf, "", 10, pdfMuted)
	for _, s := range d.Subtitle {
		pdf.MultiCell(0, 5, s, "", "L", false)
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
		pdf.MultiCell(0, 7, sec.Title, "", "L", false)
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
				pdf.Write(lineH, "  "+strings.ToUpper(it.Flag))
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

// writeRuns writes text in the regular font at the current size, switching
// to the symbol font for block elements and geometric shapes (U+2580–U+25FF).
func writeRuns(pdf *fpdf.Fpdf, h float64, text string) {
	size, _ := pdf.GetFontSize()
	isSymbol := func(r rune) bool { return r >= 0x2580 && r <= 0x25FF }
	for text != "" {
		first, _ := utf8.DecodeRuneInString(text)
		symbol := isSymbol(first)
		end := strings.IndexFunc(text, func(r rune) bool { return isSymbol(r) != symbol })
		if end < 0 {
			end = len(text)
		}
		if symbol {
			pdf.SetFont("symbols", "", size)
		} else {
			pdf.SetFont("noto", "", size)
		}
		pdf.Write(h, text[:end])
		text = text[end:]
	}
	pdf.SetFont("noto", "", size)
}

func setFont(pdf *fpdf.Fpdf, style string, size float64, rgb [3]int) {
	pdf.SetFont("noto", style, size)
	pdf.SetTextColor(rgb[0], rgb[1], rgb[2])
}
