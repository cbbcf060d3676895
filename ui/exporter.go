package ui

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/vcard"
)

// exporter writes customers to a vCard file for a phone or another address
// book: everyone, the current search result, the customer shown, everyone at
// their company, or customers ticked in a chooser.
// Writing runs off the UI goroutine, with a progress dialog and Cancel.
type exporter struct {
	u *UI

	// The dialog most recently opened (UI goroutine only; tests drive it).
	running      bool
	dlg          *dialog.CustomDialog
	what         *keyRadio
	version      *keySelect
	photos       *keyCheck
	confidential *keyCheck
	forApple     *keyCheck
	exportBtn    *keyButton
	jobs         map[string]exportJob // by the what option

	// The selection: whom the user ticked in the chooser, for the
	// optChosen option.
	chosen      map[int64]data.CustomerSummary
	chooseBtn   *keyButton
	chosenLabel *widget.Label
	chooser     *customerChooser // the chooser most recently opened

	progress *progressDialog
	done     string // what the last export reported
}

// exportJob is what to export and how.
type exportJob struct {
	filter   data.ExportFilter
	opt      vcard.Options
	fileName string // the file name suggested
}

func newExporter(u *UI) *exporter { return &exporter{u: u} }

// onExport (File ▸ Export vCards…) asks what to export.
func (e *exporter) onExport() { e.open(false) }

// optChosen is the option for the customers ticked in the chooser.
const optChosen = "Customers I choose"

// onExportCustomer (Customer ▸ Export as vCard…) exports the shown customer.
func (e *exporter) onExportCustomer() {
	if e.u.customer.shown() == nil {
		showInformation("No customer shown", "Open a customer from the list first, then export them.", e.u.win)
		return
	}
	e.open(true)
}

// open builds and shows the export dialog; with customer, the shown
// customer is chosen rather than everyone.
func (e *exporter) open(customer bool) {
	if e.running {
		showInformation("Export under way", "Wait for the export that is running to finish, or cancel it.", e.u.win)
		return
	}
	e.jobs = map[string]exportJob{}
	e.chosen = map[int64]data.CustomerSummary{}
	var options []string
	add := func(label string, j exportJob) {
		options = append(options, label)
		e.jobs[label] = j
	}
	everyone := "Everyone"
	if n := e.u.customers.total; n > 0 {
		everyone = fmt.Sprintf("Everyone (%s)", countOf(n, "customer"))
	}
	add(everyone, exportJob{fileName: "rapport.vcf"})
	if q := trim(e.u.customers.search.Text); q != "" {
		add(fmt.Sprintf("The search result: customers matching “%s”", q),
			exportJob{filter: data.ExportFilter{Query: q}, fileName: "rapport-" + safeFileName(q) + ".vcf"})
	}
	chosen := everyone
	if c := e.u.customer.shown(); c != nil { // not the one the list loaded behind Today
		label := "Only " + c.Name()
		add(label, exportJob{filter: data.ExportFilter{IDs: []int64{c.ID}}, fileName: safeFileName(c.Name()) + ".vcf"})
		if customer {
			chosen = label
		}
		// The page counted the customer's colleagues; the export reads them
		// all, not only those the page links to.
		if n := e.u.customer.colleaguesN; c.Company != "" && n > 0 {
			add(fmt.Sprintf("Everyone at %s (%s)", c.Company, countOf(n+1, "customer")),
				exportJob{filter: data.ExportFilter{Company: c.Company}, fileName: safeFileName(c.Company) + ".vcf"})
		}
	}
	add(optChosen, exportJob{fileName: "rapport-chosen.vcf"})
	e.what = newKeyRadio(options, e.onWhatChanged)
	e.chooseBtn = newKeyButton("Choose customers…", theme.ListIcon(), e.onChoose)
	e.chosenLabel = widget.NewLabel("")
	e.chosenLabel.Truncation = fyne.TextTruncateEllipsis
	e.version = newKeySelect([]string{"3.0", "4.0"}, nil)
	e.version.SetSelected("3.0")
	e.photos = newKeyCheck("Include photos", nil)
	e.photos.SetChecked(true)
	e.confidential = newKeyCheck("Include confidential profile items", nil)
	e.forApple = newKeyCheck("For iPhone / Mac", nil)

	cancel := newKeyButton("Cancel", nil, func() { e.dlg.Hide() })
	e.exportBtn = newKeyButton("Export…", theme.DocumentSaveIcon(), e.onChooseFile)
	e.exportBtn.Importance = widget.HighImportance
	e.what.SetSelected(chosen)
	e.showChosen()

	form := widget.NewForm(
		widget.NewFormItem("Export", container.NewVBox(e.what,
			container.NewBorder(nil, nil, e.chooseBtn, nil, e.chosenLabel))),
		&widget.FormItem{Text: "vCard version", Widget: e.version,
			HintText: "3.0 suits most phones and address books; 4.0 is the newer standard."},
		&widget.FormItem{Text: "", Widget: e.photos},
		&widget.FormItem{Text: "", Widget: e.confidential,
			HintText: "Anything you marked confidential stays here unless you tick this."},
		&widget.FormItem{Text: "", Widget: e.forApple,
			HintText: "Birthdays without a year in Apple's form (3.0); other phones would show them as born in 1604."},
		widget.NewFormItem("", exportCarries()),
	)
	e.dlg = dialog.NewCustomWithoutButtons("Export vCards", form, e.u.win)
	e.dlg.SetButtons([]fyne.CanvasObject{cancel, e.exportBtn})
	e.dlg.Resize(fyne.NewSize(600, form.MinSize().Height+120))
	e.dlg.Show()
}

// onWhatChanged opens the chooser when the user picks "Customers I choose"
// with nobody chosen yet: there is nothing to export until they do.
func (e *exporter) onWhatChanged(opt string) {
	if e.exportBtn == nil {
		return // still building the dialog
	}
	e.showChosen()
	if opt == optChosen && len(e.chosen) == 0 {
		e.onChoose()
	}
}

// showChosen says how many are chosen, and allows Export only when the
// chosen option has someone to export.
func (e *exporter) showChosen() {
	switch n := len(e.chosen); n {
	case 0:
		e.chosenLabel.SetText("nobody chosen yet")
	default:
		names := make([]string, 0, 3)
		for _, cs := range e.sortedChosen() {
			if len(names) == 3 {
				names = append(names, "…")
				break
			}
			names = append(names, cs.Name)
		}
		e.chosenLabel.SetText(formatNumber(n) + " chosen: " + strings.Join(names, ", "))
	}
	if e.what.Selected == optChosen && len(e.chosen) == 0 {
		e.exportBtn.Disable()
	} else {
		e.exportBtn.Enable()
	}
}

// sortedChosen lists the chosen customers in name order, the order they are
// written in.
func (e *exporter) sortedChosen() []data.CustomerSummary {
	out := make([]data.CustomerSummary, 0, len(e.chosen))
	for _, cs := range e.chosen {
		out = append(out, cs)
	}
	slices.SortFunc(out, func(a, b data.CustomerSummary) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// onChoose (Choose customers…) opens the chooser on the current selection;
// Done takes its ticks over and selects the "Customers I choose" option.
func (e *exporter) onChoose() {
	e.chooser = newCustomerChooser(e.u, e.chosen, func(chosen map[int64]data.CustomerSummary) {
		e.chosen = chosen
		if len(chosen) > 0 {
			e.what.SetSelected(optChosen)
		}
		e.showChosen()
	})
}

// job reads the dialog.
func (e *exporter) job() exportJob {
	j := e.jobs[e.what.Selected]
	if e.what.Selected == optChosen {
		for _, cs := range e.sortedChosen() {
			j.filter.IDs = append(j.filter.IDs, cs.ID)
		}
	}
	j.opt = vcard.Options{Version: e.version.Selected, NoPhotos: !e.photos.Checked, Confidential: e.confidential.Checked, ForApple: e.forApple.Checked}
	return j
}

// onChooseFile (Export…) asks where to save, then writes the file.
func (e *exporter) onChooseFile() {
	j := e.job()
	e.dlg.Hide()
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			e.u.showError("Could not open the file to export to", err)
			return
		}
		if w == nil {
			return // cancelled
		}
		e.saveTo(w, j)
	}, e.u.win)
	d.SetFileName(j.fileName)
	d.SetFilter(vcardFilter)
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// saveTo exports where the save dialog chose: a local file privately and
// atomically (see saveTarget), so a failed or cancelled export leaves no
// half-written file.
func (e *exporter) saveTo(w fyne.URIWriteCloser, j exportJob) {
	uri := w.URI()
	e.start(uriDisplay(uri), j, func(ctx context.Context) (io.Writer, func(error) error, error) {
		out, finish, err := saveTarget(ctx, w)
		if err != nil || uri.Scheme() == "file" {
			return out, finish, err
		}
		return out, func(err error) error {
			if err = finish(err); err != nil {
				storage.Delete(uri) // elsewhere a partial file is all there is to take back
			}
			return err
		}, nil
	})
}

// start writes the export off the UI goroutine into what open returns,
// then calls its finish with the outcome. where names the file for the user.
func (e *exporter) start(where string, j exportJob, open func(ctx context.Context) (io.Writer, func(error) error, error)) {
	ctx, cancel := context.WithCancel(e.u.ctx)
	e.running = true
	p := e.u.newProgress("Exporting to "+where, "Writing cards…", cancel)
	e.progress = p
	p.dlg.Show()
	e.u.run(func() {
		defer cancel()
		n := 0
		w, finish, err := open(ctx)
		if err == nil {
			n, err = e.write(ctx, w, j, func(n int) {
				e.u.do(func() { p.setText(fmt.Sprintf("%s written", countOf(n, "card"))) })
			})
			err = finish(err)
		}
		e.u.do(func() {
			e.running = false
			p.hide()
			switch {
			case errors.Is(err, context.Canceled):
				e.done = "Export cancelled: no file was written."
				showInformation("Export cancelled", e.done, e.u.win)
			case err != nil:
				e.u.showError("Could not export to "+where, err)
			default:
				e.done = fmt.Sprintf("Exported %s to %s.", countOf(n, "customer"), where)
				if n == 0 {
					e.done = "Nobody to export: " + where + " has no cards."
				}
				showInformation("Export finished", e.done, e.u.win)
			}
		})
	})
}

// write encodes the chosen customers into w, as `rapport export` does, and
// returns how many it wrote. progress (may be nil) hears the count now and
// then.
func (e *exporter) write(ctx context.Context, w io.Writer, j exportJob, progress func(int)) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := vcard.NewEncoder(bw, j.opt)
	n := 0
	err := e.u.store.EachCustomer(ctx, j.filter, func(c *data.Customer, p *data.Profile) error {
		if err := enc.Encode(c, p); err != nil {
			return fmt.Errorf("customer %d (%s): %w", c.ID, c.Name(), err)
		}
		n++
		if progress != nil && n%50 == 0 {
			progress(n)
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// uriDisplay names a file for people: its path when it is a local file.
func uriDisplay(u fyne.URI) string {
	if u.Scheme() == "file" {
		return u.Path()
	}
	return u.String()
}

// safeFileName makes a customer's name or a search usable as a file name.
func safeFileName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '-'
		}
		return r
	}, trim(s))
	if s == "" || s == "." || s == ".." {
		return "rapport"
	}
	return s
}

// exportCarries says what a vCard export holds, so that no one takes it for
// a backup.
func exportCarries() fyne.CanvasObject {
	return muted("A vCard export carries the contact card and the personal profile: not the history, notes, " +
		"concerns, follow-ups, visits, temperatures or contact rhythm. It is not a backup: to move to a new " +
		"laptop, copy the database file (File ▸ Settings… shows where it is).")
}
