package ui

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/rapportcrm/rapport/data"
)

// threeCards has two good cards around one that fails (too many lines).
// Ann has a confidential profile item, which exports leave out by default.
func threeCards() string {
	var b strings.Builder
	b.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Good;Ann;;;\r\nFN:Ann Good\r\nEMAIL:ann@example.com\r\n" +
		"X-RAPPORT-PROFILE;X-CATEGORY=hobby:Sailing\r\n" +
		"X-RAPPORT-PROFILE;X-CATEGORY=avoid;X-CONFIDENTIAL=TRUE:Politics\r\nEND:VCARD\r\n")
	b.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Too Long\r\n")
	for range 20001 {
		b.WriteString("NOTE:x\r\n")
	}
	b.WriteString("END:VCARD\r\n")
	b.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Bee;Bob;;;\r\nFN:Bob Bee\r\nTEL:+44 20 7946 0000\r\nEND:VCARD\r\n")
	return b.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func fileSources(paths ...string) []importSource {
	var out []importSource
	for _, p := range paths {
		out = append(out, uriSource(storage.NewFileURI(p)))
	}
	return out
}

// tap taps a button under the lock UI.do takes (background work may be
// reporting back on its own goroutine under the test driver).
func tap(u *UI, b fyne.Tappable) { onUI(u, func() { test.Tap(b) }) }

// onUI does what a user does (type, tap) under the lock UI.do takes.
func onUI(u *UI, fn func()) {
	u.doMu.Lock()
	defer u.doMu.Unlock()
	fn()
}

func count(t *testing.T, s *data.Store) int {
	t.Helper()
	n, err := s.CountCustomers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// previewShown reports whether the import preview is the dialog on top.
func previewShown(t *testing.T, u *UI) bool {
	t.Helper()
	top := u.win.Canvas().Overlays().Top()
	return top != nil && u.importer.preview != nil && strings.Contains(joined(top), "Import preview")
}

func TestImportPreviewConfirmAgainUndo(t *testing.T) {
	u, s := newTestUI(t)
	im := u.importer
	path := writeFile(t, "contacts.vcf", threeCards())

	im.start(fileSources(path))
	u.wait()
	if !previewShown(t, u) {
		t.Fatal("the preview should be shown")
	}
	sum := im.previewSum
	if sum.New != 2 || sum.Updated != 0 || sum.Unchanged != 0 || sum.Skipped != 0 || sum.Failed != 1 {
		t.Errorf("preview counts: %s; want 2 new, 1 failed", sum)
	}
	if n := count(t, s); n != 0 {
		t.Fatalf("the preview wrote %d customers", n)
	}
	// Problems first, with the file and card number.
	if r := im.rows[0]; r.Action != data.ActionFailed || !strings.Contains(resultDetail(r), "contacts.vcf card 2") {
		t.Errorf("first preview row = %+v (%q), want the failed card 2", r, resultDetail(r))
	}
	shown := joined(topDialog(t, u))
	for _, want := range []string{"3 cards in contacts.vcf", "Failed", "more than 20000 lines", "Ann Good", "Bob Bee"} {
		if !strings.Contains(shown, want) {
			t.Errorf("preview lacks %q:\n%s", want, shown)
		}
	}
	if im.importBtn.Disabled() {
		t.Fatal("Import should be enabled")
	}

	tap(u, im.importBtn)
	u.wait()
	if n := count(t, s); n != 2 {
		t.Fatalf("store has %d customers after the import, want 2", n)
	}
	if !strings.Contains(im.summary, "2 new") || !strings.Contains(im.summary, "contacts.vcf card 2") {
		t.Errorf("summary = %q", im.summary)
	}
	if u.showing != u.split {
		t.Error("the list should replace the welcome screen")
	}
	if got := strings.Join(listNames(u), ", "); got != "Bob Bee, Ann Good" {
		t.Errorf("list shows %q (by family name)", got)
	}

	// The same file again: nothing new, and nothing to import.
	im.start(fileSources(path))
	u.wait()
	if sum := im.previewSum; sum.New != 0 || sum.Unchanged != 2 || sum.Failed != 1 {
		t.Errorf("second preview: %s; want 0 new, 2 unchanged", sum)
	}
	if !im.importBtn.Disabled() {
		t.Error("Import should be disabled when nothing would change")
	}
	var again *data.ImportSummary
	im.run(fileSources(path), false, func(s *data.ImportSummary) { again = s })
	u.wait()
	if again == nil || again.New != 0 || again.BatchID != 0 {
		t.Errorf("second import: %+v, want 0 new and no batch", again)
	}

	// Undo takes the first import back.
	im.onUndo()
	u.wait()
	ask := joined(topDialog(t, u))
	if !strings.Contains(ask, "Undo the import of contacts.vcf") || !strings.Contains(ask, "removes the 2 new customers") {
		t.Errorf("undo question:\n%s", ask)
	}
	tap(u, findButton(topDialog(t, u), "Undo import"))
	u.wait()
	if n := count(t, s); n != 0 {
		t.Errorf("store has %d customers after undo, want 0", n)
	}
	if !strings.Contains(im.summary, "2 customers removed") {
		t.Errorf("undo summary = %q", im.summary)
	}
	if u.showing != u.welcome.root {
		t.Error("an emptied database should show the welcome screen")
	}

	im.onUndo()
	u.wait()
	if !strings.Contains(joined(topDialog(t, u)), "no import to undo") {
		t.Errorf("second undo:\n%s", joined(topDialog(t, u)))
	}
}

// blockingReader waits for release before its first read.
type blockingReader struct {
	release chan struct{}
	r       io.Reader
}

func (b *blockingReader) Read(p []byte) (int, error) {
	<-b.release
	return b.r.Read(p)
}

func TestImportCancel(t *testing.T) {
	t.Run("preview", func(t *testing.T) {
		u, s := newTestUI(t)
		im := u.importer
		release := make(chan struct{})
		src := importSource{name: "slow.vcf", open: func() (io.ReadCloser, error) {
			return io.NopCloser(&blockingReader{release, strings.NewReader(threeCards())}), nil
		}}
		im.start([]importSource{src})
		if !im.running || im.progress == nil {
			t.Fatal("the progress dialog should be shown while reading")
		}
		tap(u, im.progress.cancel)
		close(release)
		u.wait()
		if im.running || im.preview != nil {
			t.Error("a cancelled preview should show nothing more")
		}
		if u.win.Canvas().Overlays().Top() != nil {
			t.Errorf("a dialog is still shown:\n%s", joined(u.win.Canvas().Overlays().Top()))
		}
		if n := count(t, s); n != 0 {
			t.Errorf("store has %d customers", n)
		}
	})
	t.Run("import", func(t *testing.T) {
		u, s := newTestUI(t)
		im := u.importer
		release := make(chan struct{})
		opened := 0
		src := importSource{name: "slow.vcf", open: func() (io.ReadCloser, error) {
			opened++
			if opened == 1 { // the preview reads at once
				return io.NopCloser(strings.NewReader(threeCards())), nil
			}
			return io.NopCloser(&blockingReader{release, strings.NewReader(threeCards())}), nil
		}}
		im.start([]importSource{src})
		u.wait()
		if !previewShown(t, u) {
			t.Fatal("no preview")
		}
		tap(u, im.importBtn)
		tap(u, im.progress.cancel)
		close(release)
		u.wait()
		if n := count(t, s); n != 0 {
			t.Errorf("a cancelled import wrote %d customers", n)
		}
		if im.summary != "Import cancelled: nothing was imported." {
			t.Errorf("summary = %q", im.summary)
		}
		if _, err := s.LastImport(context.Background()); err == nil {
			t.Error("a cancelled import left a batch to undo")
		}
	})
}

// A new user's first step is often their phone's contacts: the welcome
// screen imports them, and the main screen then replaces it.
func TestWelcomeImportsContacts(t *testing.T) {
	u, s := newTestUI(t)
	if u.showing != u.welcome.root {
		t.Fatal("an empty database should show the welcome screen")
	}
	im := u.importer
	tap(u, u.welcome.importBtn)
	if im.filesDlg == nil || im.nextBtn == nil {
		t.Fatal("the welcome screen's import button did not open the import dialog")
	}
	im.addFiles(storage.NewFileURI(writeFile(t, "phone.vcf", "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Good;Ann\r\nTEL;CELL:07700 900123\r\nEND:VCARD\r\n")))
	tap(u, im.nextBtn)
	u.wait()
	if !previewShown(t, u) {
		t.Fatal("no preview")
	}
	tap(u, im.importBtn)
	u.wait()
	if n := count(t, s); n != 1 {
		t.Fatalf("%d customers after the import, want 1", n)
	}
	if u.showing != u.split {
		t.Error("the main screen should replace the welcome screen after an import")
	}
}

func TestImportSeveralFilesFromTheDialog(t *testing.T) {
	u, _ := newTestUI(t)
	im := u.importer
	a := writeFile(t, "a.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Good\r\nEND:VCARD\r\n")
	b := writeFile(t, "b.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Bee\r\nEND:VCARD\r\n"+
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy Sea\r\nEND:VCARD\r\n")

	im.onOpen()
	if !im.nextBtn.Disabled() {
		t.Error("Preview should wait for a file")
	}
	im.addFiles(storage.NewFileURI(a), storage.NewFileURI(b), storage.NewFileURI(a))
	if len(im.files) != 2 {
		t.Fatalf("files = %d, want 2 (each once)", len(im.files))
	}
	tap(u, im.nextBtn)
	u.wait()
	if !previewShown(t, u) {
		t.Fatal("no preview")
	}
	if sum := im.previewSum; sum.New != 3 {
		t.Errorf("preview: %s, want 3 new", sum)
	}
	if !strings.Contains(joined(topDialog(t, u)), "a.vcf, b.vcf") {
		t.Errorf("preview does not name both files:\n%s", joined(topDialog(t, u)))
	}
}

func TestDropStartsImport(t *testing.T) {
	u, s := newTestUI(t)
	path := writeFile(t, "dropped.VCF", threeCards())
	other := writeFile(t, "notes.txt", "not a card")

	u.importer.onDropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(other), storage.NewFileURI(path)})
	u.wait()
	if !previewShown(t, u) {
		t.Fatal("dropping a .vcf file should show the import preview")
	}
	if sum := u.importer.previewSum; sum.New != 2 || sum.Failed != 1 {
		t.Errorf("preview: %s", sum)
	}
	if n := count(t, s); n != 0 {
		t.Errorf("a drop wrote %d customers before confirming", n)
	}

	u2, _ := newTestUI(t)
	u2.importer.onDropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(other)})
	u2.wait()
	if u2.importer.preview != nil || !strings.Contains(joined(topDialog(t, u2)), "Drop vCard files") {
		t.Errorf("dropping a text file:\n%s", joined(topDialog(t, u2)))
	}
}

// importThree fills the store from threeCards.
func importThree(t *testing.T, u *UI) {
	t.Helper()
	u.importer.run(fileSources(writeFile(t, "contacts.vcf", threeCards())), false, func(*data.ImportSummary) {})
	u.wait()
	u.customers.reload(true)
	u.wait()
}

func TestExport(t *testing.T) {
	u, _ := newTestUI(t)
	importThree(t, u)
	e := u.exporter

	exportTo := func(t *testing.T, j exportJob) string {
		t.Helper()
		path := filepath.Join(t.TempDir(), j.fileName)
		w := saveDialogWriter(t, path)
		e.saveTo(w, j)
		u.wait()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	t.Run("everyone with the defaults", func(t *testing.T) {
		e.onExport()
		if e.what.Selected != "Everyone (2 customers)" || e.version.Selected != "3.0" || !e.photos.Checked || e.confidential.Checked {
			t.Errorf("defaults: what %q, version %q, photos %v, confidential %v",
				e.what.Selected, e.version.Selected, e.photos.Checked, e.confidential.Checked)
		}
		j := e.job()
		if j.fileName != "rapport.vcf" {
			t.Errorf("file name %q", j.fileName)
		}
		got := exportTo(t, j)
		if n := strings.Count(got, "BEGIN:VCARD"); n != 2 {
			t.Errorf("%d cards, want 2:\n%s", n, got)
		}
		if !strings.Contains(got, "VERSION:3.0") || !strings.Contains(got, "Sailing") {
			t.Errorf("export lacks the version or a profile item:\n%s", got)
		}
		if strings.Contains(got, "Politics") {
			t.Error("a confidential item was exported by default")
		}
		if !strings.HasPrefix(e.done, "Exported 2 customers to ") {
			t.Errorf("confirmation = %q", e.done)
		}
	})

	t.Run("confidential and 4.0", func(t *testing.T) {
		e.onExport()
		e.confidential.SetChecked(true)
		e.version.SetSelected("4.0")
		got := exportTo(t, e.job())
		if !strings.Contains(got, "Politics") || !strings.Contains(got, "VERSION:4.0") {
			t.Errorf("export:\n%s", got)
		}
	})

	t.Run("search result", func(t *testing.T) {
		typeSearch(u, "Bee")
		u.wait()
		e.onExport()
		var opt string
		for _, o := range e.what.Options {
			if strings.Contains(o, "“Bee”") {
				opt = o
			}
		}
		if opt == "" {
			t.Fatalf("no search option among %q", e.what.Options)
		}
		e.what.SetSelected(opt)
		got := exportTo(t, e.job())
		if n := strings.Count(got, "BEGIN:VCARD"); n != 1 || !strings.Contains(got, "Bob Bee") {
			t.Errorf("search export:\n%s", got)
		}
	})

	t.Run("selected customer", func(t *testing.T) {
		if u.customer.c == nil {
			t.Fatal("no customer loaded")
		}
		openCustomer(t, u, u.customer.id) // not only loaded behind Today
		name := u.customer.c.Name()
		e.onExportCustomer()
		if e.what.Selected != "Only "+name {
			t.Errorf("chosen %q, want the shown customer", e.what.Selected)
		}
		j := e.job()
		if j.fileName != name+".vcf" {
			t.Errorf("file name %q", j.fileName)
		}
		got := exportTo(t, j)
		if n := strings.Count(got, "BEGIN:VCARD"); n != 1 || !strings.Contains(got, "FN:"+name) {
			t.Errorf("export of %s:\n%s", name, got)
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		var buf bytes.Buffer
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := e.write(ctx, &buf, exportJob{}, nil); err == nil {
			t.Error("a cancelled export should fail")
		}
	})
}

func TestCountOf(t *testing.T) {
	for n, want := range map[int]string{0: "0 cards", 1: "1 card", 999: "999 cards", 1234: "1,234 cards", 1234567: "1,234,567 cards"} {
		if got := countOf(n, "card"); got != want {
			t.Errorf("countOf(%d) = %q, want %q", n, got, want)
		}
	}
}

// A card that lost lines: the preview row and the summary say which.
func TestImportSummaryListsPartlyReadCards(t *testing.T) {
	u, s := newTestUI(t)
	im := u.importer
	b, err := os.ReadFile(filepath.Join("..", "data", "vcard", "testdata", "partly-read.vcf"))
	if err != nil {
		t.Fatal(err)
	}
	im.start(fileSources(writeFile(t, "partly-read.vcf", string(b))))
	u.wait()
	if !previewShown(t, u) {
		t.Fatal("the preview should be shown")
	}
	if r := im.rows[0]; !strings.Contains(resultDetail(r), `partly read: line 6 "TEL;TYPE=CELL +1 555 0000": dropped`) {
		t.Errorf("preview row: %q", resultDetail(r))
	}
	tap(u, im.importBtn)
	u.wait()
	if n := count(t, s); n != 1 {
		t.Fatalf("%d customers imported, want 1", n)
	}
	for _, want := range []string{"1 partly read", "Partly read (1 card",
		`partly-read.vcf card 1 (Pat Partial): line 6 "TEL;TYPE=CELL +1 555 0000": dropped: not a property (no colon)`,
		`partly-read.vcf card 1 (Pat Partial): line 7: END:VCARD missing`} {
		if !strings.Contains(im.summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, im.summary)
		}
	}
}

// The preview says which card merges into whom and why, and a merge the
// user unticks imports the card as a new customer.
func TestImportPreviewUntickMerge(t *testing.T) {
	u, s := newTestUI(t)
	im := u.importer
	fixture := func(name string) string {
		b, err := os.ReadFile(filepath.Join("..", "data", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return writeFile(t, name, string(b))
	}
	im.start(fileSources(fixture("other-phone-a.vcf")))
	u.wait()
	tap(u, im.importBtn)
	u.wait()
	if n := count(t, s); n != 5 {
		t.Fatalf("%d customers after the first phone, want 5", n)
	}

	im.start(fileSources(fixture("other-phone-b.vcf")))
	u.wait()
	if !previewShown(t, u) {
		t.Fatal("the preview should be shown")
	}
	shown := joined(topDialog(t, u))
	for _, want := range []string{
		"other-phone-b.vcf card 1 · merges into Chiamaka Okafor: same e-mail address",
		"other-phone-b.vcf card 4 · merges into Robert Jones: same e-mail address",
		"untick Merge",
	} {
		if !strings.Contains(shown, want) {
			t.Errorf("preview lacks %q:\n%s", want, shown)
		}
	}
	// Untick the merge of Bob Jones into Robert Jones: another Jones.
	var bob *keyCheck
	onUI(u, func() { bob = findMergeCheck(t, topDialog(t, u), "Bob Jones") })
	if bob == nil || !bob.Checked {
		t.Fatalf("no ticked Merge for Bob Jones")
	}
	onUI(u, func() { test.Tap(bob) })
	if !strings.Contains(im.counts.Text, "1 merge kept apart (imported as new)") {
		t.Errorf("counts: %q", im.counts.Text)
	}
	onUI(u, func() {
		if a := joined(findMergeRow(t, topDialog(t, u), "Bob Jones").Objects[1]); a != "New" {
			t.Errorf("Bob's row, unticked, says %q, want New", a)
		}
	})
	tap(u, im.importBtn)
	u.wait()
	if n := count(t, s); n != 9 {
		t.Errorf("%d customers, want 9 (5, then Tom, John, María and Bob kept apart)", n)
	}
	found, _ := s.Search(context.Background(), "jones", 5)
	if len(found) != 2 {
		t.Errorf("Jones: %+v, want Robert and Bob", found)
	}
}

// findMergeCheck finds the Merge check in the preview row naming name.
func findMergeCheck(t *testing.T, o fyne.CanvasObject, name string) *keyCheck {
	t.Helper()
	row := findMergeRow(t, o, name)
	if row == nil {
		return nil
	}
	return row.Objects[2].(*keyCheck)
}

// findMergeRow is the preview row of the card called name that has a
// Merge tick: name and detail, action, tick.
func findMergeRow(t *testing.T, o fyne.CanvasObject, name string) *fyne.Container {
	t.Helper()
	var found *fyne.Container
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil || o == nil || !o.Visible() {
			return
		}
		if c, ok := o.(*fyne.Container); ok && len(c.Objects) == 3 {
			if _, ok := c.Objects[2].(*keyCheck); ok && strings.Contains(joined(c.Objects[0]), name) {
				found = c
				return
			}
		}
		switch w := o.(type) {
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return found
}
