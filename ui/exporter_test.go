package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// exportFile runs an export job into a new file and returns what it wrote.
func exportFile(t *testing.T, u *UI, j exportJob) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), j.fileName)
	w := saveDialogWriter(t, path)
	u.exporter.saveTo(w, j)
	u.wait()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func optionWith(opts []string, part string) string {
	for _, o := range opts {
		if strings.Contains(o, part) {
			return o
		}
	}
	return ""
}

func TestExportOffersOnlyTheCustomerShown(t *testing.T) {
	u, s := newSampleUI(t)
	e := u.exporter

	t.Run("Today shown", func(t *testing.T) {
		if u.pane != paneToday || u.customer.c == nil {
			t.Fatalf("want Today with a customer loaded behind it (pane %s)", u.pane)
		}
		e.onExport()
		if o := optionWith(e.what.Options, "Only "); o != "" {
			t.Errorf("the dialog offers %q while Today is shown", o)
		}
		if o := optionWith(e.what.Options, "Everyone at"); o != "" {
			t.Errorf("the dialog offers %q while Today is shown", o)
		}
		e.dlg.Hide()
		e.onExportCustomer()
		if !strings.Contains(joined(topDialog(t, u)), "No customer shown") {
			t.Errorf("Export as vCard on Today:\n%s", joined(topDialog(t, u)))
		}
		u.win.Canvas().Overlays().Top().Hide()
	})

	t.Run("customer shown", func(t *testing.T) {
		openCustomer(t, u, customerID(t, s, "Ashworth"))
		name := u.customer.c.Name()
		e.onExportCustomer()
		if e.what.Selected != "Only "+name {
			t.Errorf("chosen %q, want Only %s", e.what.Selected, name)
		}
		company := optionWith(e.what.Options, "Everyone at Harbour Hotel Group")
		if company != "Everyone at Harbour Hotel Group (3 customers)" {
			t.Fatalf("company option %q among %q", company, e.what.Options)
		}
		e.what.SetSelected(company)
		j := e.job()
		if j.fileName != "Harbour Hotel Group.vcf" {
			t.Errorf("file name %q", j.fileName)
		}
		got := exportFile(t, u, j)
		if n := strings.Count(got, "BEGIN:VCARD"); n != 3 || !strings.Contains(got, "Ashworth") || !strings.Contains(got, "Nair") {
			t.Errorf("company export has %d cards:\n%s", n, got)
		}
		e.dlg.Hide()
	})

	t.Run("briefing shown", func(t *testing.T) {
		u.onBriefing()
		u.wait()
		e.onExport()
		if optionWith(e.what.Options, "Only "+u.customer.c.Name()) == "" {
			t.Errorf("no Only option while the briefing is shown: %q", e.what.Options)
		}
		e.dlg.Hide()
	})
}

func TestExportChosenCustomers(t *testing.T) {
	u, _ := newSampleUI(t)
	e := u.exporter
	e.onExport()
	if !slices.Contains(e.what.Options, optChosen) {
		t.Fatalf("no %q among %q", optChosen, e.what.Options)
	}

	// Picking the option with nobody chosen opens the chooser; Export
	// waits until someone is ticked.
	e.what.SetSelected(optChosen)
	c := e.chooser
	if c == nil || !e.exportBtn.Disabled() {
		t.Fatalf("chooser %v, Export disabled %v", c, e.exportBtn.Disabled())
	}
	u.wait()
	if len(c.rows) != u.customers.total {
		t.Errorf("the chooser lists %d of %d customers", len(c.rows), u.customers.total)
	}

	// The rows show whom they tick, also when a row is reused.
	row := c.createRow().(*keyCheck)
	r := test.WidgetRenderer(row)
	c.updateRow(0, row)
	var shown []string
	for _, o := range r.Objects() {
		if txt, ok := o.(*canvas.Text); ok {
			shown = append(shown, txt.Text)
		}
	}
	if want := c.rows[0].Name; !strings.Contains(strings.Join(shown, " "), want) {
		t.Errorf("the first row shows %q, want %s", shown, want)
	}

	tick := func(query string) {
		t.Helper()
		// Typed under the lock UI.do takes: under the test driver a search's
		// result lands on its worker goroutine, racing the next keystroke.
		onUI(u, func() { test.Type(c.search, query) })
		u.wait()
		if len(c.rows) == 0 {
			t.Fatalf("nobody found for %q", query)
		}
		c.list.Refresh()
		c.setChosen(c.rows[0], true)
		onUI(u, func() { c.search.SetText("") })
		u.wait()
	}
	tick("Klaus")
	tick("Priya")
	if c.count.Text != "2 chosen" {
		t.Errorf("count = %q", c.count.Text)
	}
	c.dlg.Confirm()

	if e.what.Selected != optChosen || e.exportBtn.Disabled() {
		t.Errorf("after Done: selected %q, Export disabled %v", e.what.Selected, e.exportBtn.Disabled())
	}
	if !strings.HasPrefix(e.chosenLabel.Text, "2 chosen: ") {
		t.Errorf("chosen label %q", e.chosenLabel.Text)
	}
	got := exportFile(t, u, e.job())
	if n := strings.Count(got, "BEGIN:VCARD"); n != 2 || !strings.Contains(got, "Klaus") || !strings.Contains(got, "Priya") {
		t.Errorf("export of the chosen has %d cards:\n%s", n, got)
	}

	// Cancel in the chooser keeps the selection as it was.
	e.onChoose()
	u.wait()
	e.chooser.setChosen(e.chooser.rows[0], true)
	e.chooser.dlg.Hide()
	if len(e.chosen) != 2 {
		t.Errorf("Cancel changed the selection to %d", len(e.chosen))
	}
}

// TestExportForApple: the export dialog writes a birthday without a year
// as --MM-DD unless "For iPhone / Mac" is ticked.
func TestExportForApple(t *testing.T) {
	u, s := newSampleUI(t)
	e := u.exporter
	openCustomer(t, u, customerID(t, s, "Nair"))
	e.onExportCustomer()
	if e.forApple.Checked {
		t.Fatal("For iPhone / Mac is ticked by default")
	}
	if got := exportFile(t, u, e.job()); !strings.Contains(got, "\r\nBDAY:--12-11\r\n") || strings.Contains(got, "1604") {
		t.Errorf("default export:\n%s", got)
	}
	e.forApple.SetChecked(true)
	if got := exportFile(t, u, e.job()); !strings.Contains(got, "\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-12-11\r\n") {
		t.Errorf("export for iPhone / Mac:\n%s", got)
	}
	e.dlg.Hide()
}
