package report

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

// pdfText reads a PDF back with poppler's pdftotext, a reader independent
// of the library that wrote it (.ci/deps.sh installs poppler-utils).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed: cannot read the PDF back")
	}
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext cannot read the PDF: %v\n%s", err, errOut.String())
	}
	return out.String()
}

func TestBriefingPDF(t *testing.T) {
	defer locale.Set(locale.Set(locale.Parse("en_GB.UTF-8")))
	b := sampleBriefing()
	b.Customer.GivenName, b.Customer.FamilyName = "Zoë", "Łukasiewicz-Núñez"
	for i := range 60 { // enough interactions for a second page
		b.Recent = append(b.Recent, data.Interaction{Kind: data.KindVisit, At: b.Now.AddDate(0, 0, -i-1), Summary: "Visit number " + strings.Repeat("x", i%7)})
	}
	var pdf bytes.Buffer
	if err := Briefing(b, Options{}).PDF(&pdf, b.Now); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf.Bytes()[:20])
	}
	text := pdfText(t, pdf.Bytes())
	for _, want := range []string{"Zoë Łukasiewicz-Núñez", "Chef", "Café", "Hobbies and interests: Sailing", "Child: Leo, 6",
		"Noise", "RE-CHECK", "Now 2/5 ●●○○○", "Visit number", "page 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "divorce") {
		t.Error("the PDF prints a confidential item")
	}
	if !strings.Contains(text, "Rapport briefing, Mon 23 Nov 2026") {
		t.Errorf("the footer should date the briefing in the locale's way:\n%s", text)
	}
}

func TestPDFPaperFollowsLocale(t *testing.T) {
	for name, want := range map[string]string{"en_US.UTF-8": "612.00 792.00", "de_DE.UTF-8": "595.28 841.89", "C": "595.28 841.89"} {
		prev := locale.Set(locale.Parse(name))
		var pdf bytes.Buffer
		err := Briefing(sampleBriefing(), Options{}).PDF(&pdf, sampleBriefing().Now)
		locale.Set(prev)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(pdf.Bytes(), []byte("/MediaBox [0 0 "+want+"]")) {
			t.Errorf("%s: want a page of %s points", name, want)
		}
	}
}
