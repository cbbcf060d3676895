package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"sort"
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

// importer brings customers in from vCard files: the user picks files (or
// drops them on the window), sees a preview worked out by a dry run, and
// confirms; File ▸ Undo last import takes the last one back.
//
// Files are read off the UI goroutine, with a progress dialog whose Cancel
// stops the work; a cancelled import writes nothing.
type importer struct {
	u *UI

	// State and the dialogs most recently opened (UI goroutine only; tests
	// drive them).
	running bool // a dry run or import is under way

	files     []importSource // chosen in the file list dialog
	filesDlg  *dialog.CustomDialog
	filesBox  *fyne.Container
	filesHint *widget.Label
	nextBtn   *keyButton

	progress *progressDialog

	preview    *dialog.CustomDialog
	previewSum *data.ImportSummary
	rows       []data.ImportResult // the preview's list, problems first
	counts     *widget.Label
	importBtn  *keyButton
	// apart are the merges the user unticked in the preview: those cards
	// import as new customers (data.ImportOptions.KeepApart).
	apart map[data.CardRef]bool

	summary string // what the last import or undo reported
}

// importSource is one file to import: its name for messages and a way to
// open it (a file URI from the dialog or a drop; a reader in tests).
type importSource struct {
	name string
	uri  string // to tell files apart; "" for a reader
	open func() (io.ReadCloser, error)
}

func uriSource(u fyne.URI) importSource {
	return importSource{name: u.Name(), uri: u.String(), open: func() (io.ReadCloser, error) { return storage.Reader(u) }}
}

func newImporter(u *UI) *importer { return &importer{u: u} }

// isVCardFile tells .vcf (and .vcard) files by their name.
func isVCardFile(u fyne.URI) bool {
	ext := strings.ToLower(u.Extension())
	return ext == ".vcf" || ext == ".vcard"
}

var vcardFilter = storage.NewExtensionFileFilter([]string{".vcf", ".vcard"})

// onOpen (File ▸ Import vCards…) opens the list of files to import.
func (im *importer) onOpen() {
	if !im.u.guard.writable() {
		return
	}
	if im.busy() {
		return
	}
	im.files = nil
	im.filesBox = container.NewVBox()
	im.filesHint = widget.NewLabel("Add the vCard files (.vcf) to import: one at a time, or every .vcf in a folder\n" +
		"(you can also drop them on the window). You see what would change before anything is imported.")
	im.filesHint.Wrapping = fyne.TextWrapWord
	addFiles := newKeyButton("Add file…", theme.FileIcon(), im.onAddFile)
	addFolder := newKeyButton("Add folder…", theme.FolderOpenIcon(), im.onAddFolder)
	im.nextBtn = newKeyButton("Preview", theme.NavigateNextIcon(), im.onFilesChosen)
	im.nextBtn.Importance = widget.HighImportance
	im.nextBtn.Disable()
	cancel := newKeyButton("Cancel", nil, func() { im.filesDlg.Hide() })

	top := container.NewVBox(im.filesHint, container.NewHBox(addFiles, addFolder))
	body := container.NewBorder(top, nil, nil, nil, container.NewVScroll(im.filesBox))
	im.filesDlg = dialog.NewCustomWithoutButtons("Import vCards", body, im.u.win)
	im.filesDlg.SetButtons([]fyne.CanvasObject{cancel, im.nextBtn})
	im.filesDlg.Resize(fyne.NewSize(560, 420))
	im.filesDlg.Show()
	im.onAddFile() // the first thing anyone does here
}

func (im *importer) onAddFile() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			im.u.showError("Could not open the file", err)
			return
		}
		if rc == nil {
			return // cancelled
		}
		uri := rc.URI()
		rc.Close()
		im.addFiles(uri)
	}, im.u.win)
	d.SetFilter(vcardFilter)
	d.SetConfirmText("Add")
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

func (im *importer) onAddFolder() {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			im.u.showError("Could not open the folder", err)
			return
		}
		if dir == nil {
			return
		}
		items, err := dir.List()
		if err != nil {
			im.u.showError("Could not read the folder "+dir.Name(), err)
			return
		}
		var vcfs []fyne.URI
		for _, it := range items {
			if isVCardFile(it) {
				vcfs = append(vcfs, it)
			}
		}
		if len(vcfs) == 0 {
			showInformation("No vCard files", "There are no .vcf files in "+dir.Name()+".", im.u.win)
			return
		}
		sort.Slice(vcfs, func(i, j int) bool { return vcfs[i].Name() < vcfs[j].Name() })
		im.addFiles(vcfs...)
	}, im.u.win)
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// addFiles adds files to the list in the dialog, each once.
func (im *importer) addFiles(uris ...fyne.URI) {
	for _, uri := range uris {
		dup := false
		for _, f := range im.files {
			dup = dup || f.uri == uri.String()
		}
		if !dup {
			im.files = append(im.files, uriSource(uri))
		}
	}
	im.renderFiles()
}

func (im *importer) renderFiles() {
	im.filesBox.Objects = nil
	for i, f := range im.files {
		i := i
		name := widget.NewLabel(f.name)
		name.Truncation = fyne.TextTruncateEllipsis
		remove := newKeyButton("", theme.ContentRemoveIcon(), func() {
			im.files = append(im.files[:i:i], im.files[i+1:]...)
			im.renderFiles()
		})
		remove.Importance = widget.LowImportance
		im.filesBox.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.FileIcon()), remove, name))
	}
	im.filesBox.Refresh()
	if len(im.files) == 0 {
		im.nextBtn.Disable()
	} else {
		im.nextBtn.Enable()
	}
}

// onFilesChosen (Preview) reads the chosen files.
func (im *importer) onFilesChosen() {
	if len(im.files) == 0 {
		return
	}
	im.filesDlg.Hide()
	im.start(im.files)
}

// onDropped imports the vCard files dropped on the window (and the .vcf
// files in dropped folders).
func (im *importer) onDropped(_ fyne.Position, uris []fyne.URI) {
	if !im.u.guard.writable() {
		return
	}
	var srcs []importSource
	for _, uri := range uris {
		if isVCardFile(uri) {
			srcs = append(srcs, uriSource(uri))
			continue
		}
		if ok, _ := storage.CanList(uri); !ok {
			continue
		}
		items, err := storage.List(uri)
		if err != nil {
			continue
		}
		for _, it := range items {
			if isVCardFile(it) {
				srcs = append(srcs, uriSource(it))
			}
		}
	}
	if len(srcs) == 0 {
		showInformation("Import vCards", "Drop vCard files (.vcf) here to import them.", im.u.win)
		return
	}
	im.start(srcs)
}

// busy says so when an import is already under way.
func (im *importer) busy() bool {
	if im.running {
		showInformation("Import under way", "Wait for the import that is running to finish, or cancel it.", im.u.win)
	}
	return im.running
}

// start works out what importing the files would do (a dry run, in the
// background) and shows the preview.
func (im *importer) start(files []importSource) {
	if im.busy() {
		return
	}
	files = append([]importSource(nil), files...)
	im.run(files, true, func(sum *data.ImportSummary) { im.showPreview(files, sum) })
}

// sourceName names the files for the undo menu: "a.vcf, b.vcf".
func sourceName(files []importSource) string {
	var names []string
	for _, f := range files {
		names = append(names, f.name)
	}
	s := strings.Join(names, ", ")
	if len(s) > 200 {
		s = fmt.Sprintf("%s and %d more files", names[0], len(names)-1)
	}
	return s
}

// run imports the files (or, with dry, works out what that would do) off the
// UI goroutine, with a progress dialog, and hands the summary to done.
func (im *importer) run(files []importSource, dry bool, done func(*data.ImportSummary)) {
	im.runWith(files, dry, nil, done)
}

// runApart imports the files, keeping apart the merges unticked in the
// preview.
func (im *importer) runApart(files []importSource, done func(*data.ImportSummary)) {
	apart := map[data.CardRef]bool{}
	for r, ok := range im.apart {
		if ok {
			apart[r] = true
		}
	}
	im.runWith(files, false, apart, done)
}

func (im *importer) runWith(files []importSource, dry bool, apart map[data.CardRef]bool, done func(*data.ImportSummary)) {
	ctx, cancel := context.WithCancel(im.u.ctx)
	title := "Importing"
	if dry {
		title = "Reading"
	}
	title += " " + sourceName(files)
	im.running = true
	p := im.u.newProgress(title, "Reading cards…", cancel)
	im.progress = p
	p.dlg.Show()
	opt := data.ImportOptions{DryRun: dry, Source: sourceName(files), ListUpTo: previewListed, KeepApart: apart, Progress: func(n int) {
		im.u.do(func() { p.setText(fmt.Sprintf("%s read", countOf(n, "card"))) })
	}}
	im.u.run(func() {
		defer cancel()
		sum, err := im.u.store.Import(ctx, importCards(ctx, files), opt)
		im.u.do(func() {
			im.running = false
			p.hide()
			switch {
			case errors.Is(err, context.Canceled):
				if !dry {
					im.summary = "Import cancelled: nothing was imported."
					showInformation("Import cancelled", im.summary, im.u.win)
				}
			case err != nil:
				im.u.showError("Could not import "+sourceName(files)+" (nothing was imported)", err)
			default:
				done(sum)
			}
		})
	})
}

// importCards reads the cards of the files in turn, as vcard.Cards does: a
// file that cannot be opened is one failed entry and the next is read.
func importCards(ctx context.Context, files []importSource) iter.Seq[data.ImportCard] {
	return func(yield func(data.ImportCard) bool) {
		for _, f := range files {
			rc, err := f.open()
			if err != nil {
				if !yield(data.ImportCard{Source: f.name, Err: fmt.Errorf("cannot open: %w", err)}) {
					return
				}
				continue
			}
			ok := true
			for c := range vcard.Reader(f.name, ctxReader{ctx, rc}) {
				if !yield(c) {
					ok = false
					break
				}
			}
			rc.Close()
			if !ok || ctx.Err() != nil {
				return
			}
		}
	}
}

// ctxReader stops reading once ctx is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// previewListed is how many new and unchanged cards the preview lists by
// name; beyond that they are counted only, to keep a huge file's preview small.
const previewListed = 2000

// actionOrder puts the cards that need a look first in the preview:
// problems, then merges (which the user may untick), then new cards.
var actionOrder = map[data.ImportAction]int{
	data.ActionFailed: 0, data.ActionSkipped: 1, data.ActionUpdated: 2, data.ActionNew: 3, data.ActionUnchanged: 4,
}

// showPreview shows what importing the files would do, card by card, and
// imports them on confirmation.
func (im *importer) showPreview(files []importSource, sum *data.ImportSummary) {
	im.previewSum = sum
	im.apart = map[data.CardRef]bool{}
	im.rows = append([]data.ImportResult(nil), sum.Results...)
	sort.SliceStable(im.rows, func(i, j int) bool { return actionOrder[im.rows[i].Action] < actionOrder[im.rows[j].Action] })

	total := sum.Cards() // Results lists only the cards worth a look
	head := widget.NewLabelWithStyle(fmt.Sprintf("%s in %s", countOf(total, "card"), sourceName(files)),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Truncation = fyne.TextTruncateEllipsis
	im.counts = widget.NewLabel(sum.String())
	grid := container.NewGridWithColumns(5)
	for _, c := range []struct {
		n    int
		what string
		imp  widget.Importance
	}{
		{sum.New, "new", widget.SuccessImportance},
		{sum.Updated, "updated", widget.HighImportance},
		{sum.Unchanged, "unchanged", widget.MediumImportance},
		{sum.Skipped, "skipped", widget.WarningImportance},
		{sum.Failed, "failed", widget.DangerImportance},
	} {
		n := widget.NewLabelWithStyle(countOf(c.n, ""), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		n.SizeName = theme.SizeNameHeadingText
		if c.n > 0 {
			n.Importance = c.imp
		} else {
			n.Importance = widget.LowImportance
		}
		grid.Add(newTight(n, centred(muted(c.what))))
	}

	list := newKeyList(func() int { return len(im.rows) }, im.createResultRow, im.updateResultRow)
	var note string
	switch {
	case sum.New+sum.Updated == 0:
		note = "Everything in these files is here already, or could not be read: there is nothing to import."
	case sum.Failed+sum.Skipped > 0:
		note = "Cards that failed or were skipped are left out; the others are imported. Nothing is written until you press Import."
	default:
		note = "Nothing is written until you press Import. File ▸ Undo last import takes it back."
	}
	if sum.Updated > 0 {
		note += " A card that merges into someone who is not the same person: untick Merge, and it is imported as a new customer."
	}
	note2 := muted(note)
	note2.Wrapping = fyne.TextWrapWord
	im.counts.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(head, grid, im.counts, note2, widget.NewSeparator())

	cancel := newKeyButton("Cancel", nil, func() { im.preview.Hide() })
	im.importBtn = newKeyButton("Import", theme.DownloadIcon(), func() {
		im.preview.Hide()
		if im.busy() {
			return
		}
		im.runApart(files, im.showSummary)
	})
	im.importBtn.Importance = widget.HighImportance
	if sum.New+sum.Updated == 0 {
		im.importBtn.Disable()
	}
	im.preview = dialog.NewCustomWithoutButtons("Import preview", container.NewBorder(top, nil, nil, nil, list), im.u.win)
	im.preview.SetButtons([]fyne.CanvasObject{cancel, im.importBtn})
	im.preview.Resize(fyne.NewSize(760, 560))
	im.preview.Show()
}

func (im *importer) createResultRow() fyne.CanvasObject {
	action := widget.NewLabelWithStyle("unchanged", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name := widget.NewLabel("Customer name")
	name.Truncation = fyne.TextTruncateEllipsis
	detail := muted("file.vcf card 1: reason")
	detail.Wrapping = fyne.TextWrapOff
	detail.Truncation = fyne.TextTruncateEllipsis
	// Ticked: the card merges into the customer it matched; unticked, it
	// imports as a new customer.
	merge := newKeyCheck("Merge", nil)
	merge.Hide()
	return container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(110, action.MinSize().Height), action), merge,
		newTight(name, detail))
}

// setMerge ticks or unticks the merge of one card, and says in the counts
// what the import will now do.
func (im *importer) setMerge(r data.ImportResult, merge bool) {
	im.apart[r.Ref()] = !merge
	n := 0
	for _, a := range im.apart {
		if a {
			n++
		}
	}
	text := im.previewSum.String()
	if n > 0 {
		text += fmt.Sprintf("; %s kept apart (imported as new)", countOf(n, "merge"))
	}
	im.counts.SetText(text)
}

func (im *importer) updateResultRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(im.rows) {
		return
	}
	r := im.rows[i]
	objs := o.(*fyne.Container).Objects // center, then left (container.NewBorder)
	lines := objs[0].(*fyne.Container).Objects
	name, detail := lines[0].(*widget.Label), lines[1].(*widget.RichText)
	action := objs[1].(*fyne.Container).Objects[0].(*widget.Label)
	action.SetText(actionLabel(r.Action))
	action.Importance = actionImportance[r.Action]
	action.Refresh()
	n := r.Name
	switch {
	case n != "":
	case r.Index == 0:
		n = "The whole file"
	default:
		n = "Unnamed card"
	}
	name.SetText(n)
	setMuted(detail, resultDetail(r))
	merge := objs[2].(*keyCheck)
	merge.OnChanged = nil // the row is reused: no old row's handler
	if r.Action != data.ActionUpdated {
		merge.Hide()
		return
	}
	// An unticked merge imports as a new customer, and the row says so.
	showAction := func(merge bool) {
		a := data.ActionUpdated
		if !merge {
			a = data.ActionNew
		}
		action.SetText(actionLabel(a))
		action.Importance = actionImportance[a]
		action.Refresh()
	}
	merge.SetChecked(!im.apart[r.Ref()])
	showAction(!im.apart[r.Ref()])
	merge.OnChanged = func(on bool) { im.setMerge(r, on); showAction(on) }
	merge.Show()
}

var actionImportance = map[data.ImportAction]widget.Importance{
	data.ActionNew: widget.SuccessImportance, data.ActionUpdated: widget.HighImportance,
	data.ActionUnchanged: widget.LowImportance, data.ActionSkipped: widget.WarningImportance,
	data.ActionFailed: widget.DangerImportance,
}

func actionLabel(a data.ImportAction) string {
	switch a {
	case data.ActionNew:
		return "New"
	case data.ActionUpdated:
		return "Update"
	case data.ActionUnchanged:
		return "Unchanged"
	case data.ActionSkipped:
		return "Skipped"
	case data.ActionFailed:
		return "Failed"
	}
	return string(a)
}

// resultDetail says where a card is and why it got its action.
func resultDetail(r data.ImportResult) string {
	where := r.Source
	if r.Index > 0 {
		where += fmt.Sprintf(" card %d", r.Index)
	}
	if len(r.Damage) > 0 && r.Action != data.ActionFailed && r.Action != data.ActionSkipped {
		where += " · partly read: " + r.Damage[0]
		if n := len(r.Damage) - 1; n > 0 {
			where += fmt.Sprintf(" (and %d more)", n)
		}
	}
	switch r.Action {
	case data.ActionFailed, data.ActionSkipped:
		return r.Where() + ": " + r.Reason
	case data.ActionUpdated:
		if r.Into != "" {
			return where + " · merges into " + r.Into + ": " + r.Reason
		}
		return where + " · updates the customer with the " + r.Reason
	case data.ActionUnchanged:
		if r.Into != "" && r.Into != r.Name {
			return where + " · already here as " + r.Into + " (" + r.Reason + ")"
		}
		return where + " · already here (" + r.Reason + ")"
	}
	return where
}

// showSummary reports what the import did and shows the customers.
func (im *importer) showSummary(sum *data.ImportSummary) {
	var b strings.Builder
	if sum.BatchID == 0 {
		b.WriteString("Nothing changed: ")
	} else {
		b.WriteString("Imported: ")
	}
	b.WriteString(sum.String() + ".")
	var problems []string
	for _, r := range sum.Results {
		if r.Action == data.ActionFailed || r.Action == data.ActionSkipped {
			problems = append(problems, r.Where()+": "+r.Reason)
			continue
		}
		for _, p := range r.Problems { // imported without these parts
			problems = append(problems, r.Where()+": "+p)
		}
	}
	listAtMost10(&b, "Left out:", problems)
	// Cards from a broken part of a file: what could be read is in, the
	// lines named here are not (or were repaired).
	var partly []string
	for _, r := range sum.Results {
		if r.Action != data.ActionFailed && r.Action != data.ActionSkipped {
			for _, d := range r.Damage {
				partly = append(partly, r.Where()+": "+d)
			}
		}
	}
	listAtMost10(&b, fmt.Sprintf("Partly read (%s; lines dropped or repaired):", countOf(sum.PartlyRead, "card")), partly)
	if sum.BatchID != 0 {
		b.WriteString("\n\nFile ▸ Undo last import takes it back.")
	}
	im.summary = b.String()
	msg := widget.NewLabel(im.summary)
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Import finished", "OK", msg, im.u.win)
	d.Resize(fyne.NewSize(560, msg.MinSize().Height+140))
	showDialog(d, im.u.win)
	if sum.BatchID != 0 {
		im.u.customers.reload(true)
		im.u.customer.reload()
	}
}

// listAtMost10 adds a titled list of up to ten lines to a message.
func listAtMost10(b *strings.Builder, title string, lines []string) {
	if len(lines) == 0 {
		return
	}
	b.WriteString("\n\n" + title)
	for i, p := range lines {
		if i == 10 {
			fmt.Fprintf(b, "\n…and %d more", len(lines)-10)
			break
		}
		b.WriteString("\n• " + p)
	}
}

// onUndo (File ▸ Undo last import) says what the last import did, and on
// confirmation takes it back.
func (im *importer) onUndo() {
	if !im.u.guard.writable() {
		return
	}
	if im.busy() {
		return
	}
	im.u.run(func() {
		b, err := im.u.store.LastImport(im.u.ctx)
		im.u.do(func() {
			if errors.Is(err, data.ErrNotFound) {
				showInformation("Undo last import", "There is no import to undo.", im.u.win)
				return
			}
			if err != nil {
				im.u.showError("Could not find the last import", err)
				return
			}
			im.confirmUndo(b)
		})
	})
}

func (im *importer) confirmUndo(b *data.ImportBatch) {
	var parts []string
	if b.New > 0 {
		parts = append(parts, "removes the "+countOf(b.New, "new customer"))
	}
	if b.Updated > 0 {
		parts = append(parts, "puts back the "+countOf(b.Updated, "updated customer")+" as they were")
	}
	what := strings.Join(parts, " and ")
	if what == "" {
		what = "changes nothing"
	}
	msg := fmt.Sprintf("Undo the import of %s from %s?\nThis %s.\nCustomers you have since logged history or notes for are kept.",
		b.Source, formatShort(b.At), what)
	im.u.confirm("Undo last import", msg, "Undo import", func() { im.undo(b) })
}

// undo takes back import batch b off the UI goroutine.
func (im *importer) undo(b *data.ImportBatch) {
	im.running = true
	p := im.u.newProgress("Undoing the import of "+b.Source, "Taking the import back…", nil)
	im.progress = p
	p.dlg.Show()
	im.u.run(func() {
		res, err := im.u.store.UndoImport(im.u.ctx, b.ID)
		im.u.do(func() {
			im.running = false
			p.hide()
			if err != nil {
				im.u.showError("Could not undo the import of "+b.Source, err)
				return
			}
			var did []string
			if res.Removed > 0 || res.Restored == 0 {
				did = append(did, countOf(res.Removed, "customer")+" removed")
			}
			if res.Restored > 0 {
				did = append(did, countOf(res.Restored, "customer")+" put back as they were")
			}
			msg := fmt.Sprintf("Undid the import of %s: %s.", b.Source, strings.Join(did, ", "))
			if len(res.Kept) > 0 {
				msg += fmt.Sprintf("\n\n%s kept: you have logged history or notes for them since the import.",
					countOf(len(res.Kept), "customer"))
			}
			im.summary = msg
			showInformation("Import undone", msg, im.u.win)
			im.u.customers.reload(true)
			im.u.customer.reload()
		})
	})
}

// countOf writes a count for people to read: "1 card", "1,234 cards"; with
// no unit, just the number.
func countOf(n int, unit string) string {
	s := formatNumber(n)
	switch {
	case unit == "":
		return s
	case n == 1:
		return s + " " + unit
	}
	return s + " " + unit + "s"
}

// progressDialog shows that something long is under way, with a Cancel
// button when it can be stopped.
type progressDialog struct {
	dlg    *dialog.CustomDialog
	bar    *widget.ProgressBarInfinite
	text   *widget.Label
	cancel *keyButton
}

// newProgress builds (but does not show) a progress dialog; onCancel (may be
// nil) stops the work, which then reports back and hides the dialog.
func (u *UI) newProgress(title, text string, onCancel func()) *progressDialog {
	p := &progressDialog{bar: widget.NewProgressBarInfinite(), text: widget.NewLabel(text)}
	p.text.Truncation = fyne.TextTruncateEllipsis
	body := container.NewVBox(p.bar, p.text)
	p.dlg = dialog.NewCustomWithoutButtons(title, body, u.win)
	if onCancel != nil {
		p.cancel = newKeyButton("Cancel", theme.CancelIcon(), func() {
			p.cancel.Disable()
			p.setText("Cancelling…")
			onCancel()
		})
		p.dlg.SetButtons([]fyne.CanvasObject{p.cancel})
	}
	p.dlg.Resize(fyne.NewSize(460, body.MinSize().Height+120))
	return p
}

func (p *progressDialog) setText(text string) {
	if p.cancel != nil && p.cancel.Disabled() {
		return // "Cancelling…" stays
	}
	p.text.SetText(text)
}

func (p *progressDialog) hide() {
	p.bar.Stop()
	p.dlg.Hide()
}
