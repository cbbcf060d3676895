package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/rapportcrm/rapport/data"
)

// findCustomer is the id of the customer named name.
func findCustomer(t *testing.T, u *UI, name string) int64 {
	t.Helper()
	found, err := u.store.Search(context.Background(), name, 5)
	if err != nil || len(found) == 0 {
		t.Fatalf("search %q: %v, %d found", name, err, len(found))
	}
	return found[0].ID
}

// closeDialogs takes every dialog off the window.
func closeDialogs(u *UI) {
	onUI(u, func() {
		for _, o := range u.win.Canvas().Overlays().List() {
			u.win.Canvas().Overlays().Remove(o)
		}
	})
}

// overlayTexts is the text of every dialog on screen, bottom first.
func overlayTexts(u *UI) []string {
	var out []string
	for _, o := range u.win.Canvas().Overlays().List() {
		out = append(out, joined(o))
	}
	return out
}

// An undo of an import that worked says so and nothing else, even when the
// customer last opened was one the undo removed.
func TestUndoImportNoFalseError(t *testing.T) {
	u, s := newTestUI(t, person("Carl", "Keep", ""))
	im := u.importer
	path := writeFile(t, "contacts.vcf", threeCards())
	var done bool
	im.run(fileSources(path), false, func(*data.ImportSummary) { done = true })
	u.wait()
	closeDialogs(u)
	if !done || count(t, s) != 3 {
		t.Fatalf("import: done %v, %d customers", done, count(t, s))
	}
	for _, on := range []string{"today", "customer"} {
		t.Run(on, func(t *testing.T) {
			ann := findCustomer(t, u, "Ann Good")
			onUI(u, func() { u.customerChanged(ann) })
			u.wait()
			if on == "today" {
				onUI(u, u.showToday)
				u.wait()
			}
			im.onUndo()
			u.wait()
			tap(u, findButton(topDialog(t, u), "Undo import"))
			u.wait()
			shown := overlayTexts(u)
			if len(shown) != 1 || !strings.Contains(shown[0], "Undid the import") {
				t.Errorf("after the undo the window shows %d dialogs:\n%s", len(shown), strings.Join(shown, "\n---\n"))
			}
			closeDialogs(u)
			// Import again for the next round.
			im.run(fileSources(path), false, func(*data.ImportSummary) {})
			u.wait()
			closeDialogs(u)
		})
	}
}

// The same without the race against the list's reload: the customer on
// screen is removed behind the window's back, then their page reloads (as
// after an undo). Their panels must not report it as an error.
func TestReloadOfRemovedCustomerIsQuiet(t *testing.T) {
	u, s := newTestUI(t, person("Ann", "Gone", ""), person("Bob", "Stays", ""))
	ann := findCustomer(t, u, "Ann Gone")
	onUI(u, func() { u.customerChanged(ann) })
	u.wait()
	onUI(u, u.showToday)
	u.wait()
	if err := s.DeleteCustomer(context.Background(), ann); err != nil {
		t.Fatal(err)
	}
	onUI(u, func() { u.customer.plan.load(ann); u.customer.concerns.load(ann) })
	u.wait()
	if shown := overlayTexts(u); len(shown) != 0 {
		t.Errorf("the window shows:\n%s", strings.Join(shown, "\n---\n"))
	}
	if u.customer.id == ann {
		t.Errorf("the removed customer %d is still the page's customer", ann)
	}
}

// The "Unsatisfied (2 or less)" filter holds while a search is typed.
func TestUnsatisfiedFilterAndSearchCombine(t *testing.T) {
	u, s := newTestUI(t, person("Klaus", "Sad", "Acme"), person("Klaus", "Happy", "Acme"), person("Klaus", "Untaken", "Acme"))
	ctx := context.Background()
	for name, temp := range map[string]int{"Klaus Sad": 2, "Klaus Happy": 5} {
		in := &data.Interaction{CustomerID: findCustomer(t, u, name), Kind: data.KindVisit,
			At: time.Now().Add(-time.Hour), Summary: "visit", Temperature: temp}
		if err := s.LogInteraction(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	setOrder(u, orderUnsatisfied)
	u.wait()
	typeSearch(u, "klaus")
	u.wait()
	if got := strings.Join(listNames(u), ", "); got != "Klaus Sad" {
		t.Errorf("unsatisfied and “klaus” lists %q, want only Klaus Sad", got)
	}
	if st := u.customers.status.Text; !strings.Contains(st, "1 customer unsatisfied") {
		t.Errorf("status = %q", st)
	}
	typeSearch(u, "x")
	u.wait()
	if n, st := u.customers.length(), u.customers.status.Text; n != 0 || !strings.Contains(st, "Nobody unsatisfied matches") {
		t.Errorf("“klausx”: %d listed, status %q", n, st)
	}
	// Back to everyone: the same search lists all three.
	setOrder(u, orderByName)
	u.wait()
	pressKey(u, fyne.KeyBackspace)
	u.wait()
	if n := u.customers.length(); n != 3 {
		t.Errorf("all, by name, “klaus”: %d listed, want 3 (%v)", n, listNames(u))
	}
	// By temperature: the matches lowest first, the untaken last.
	setOrder(u, orderByTemp)
	u.wait()
	if got := strings.Join(listNames(u), ", "); got != "Klaus Sad, Klaus Happy, Klaus Untaken" {
		t.Errorf("by temperature, “klaus”: %q", got)
	}
}

// saveDialogWriter is what Fyne's save dialog hands over for path: the file
// created (0644 under the usual umask) and open for writing.
func saveDialogWriter(t *testing.T, path string) fyne.URIWriteCloser {
	t.Helper()
	w, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// mode0600 fails t unless path is a regular file only its owner can read.
func mode0600(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != 0o600 {
		t.Errorf("%s is %v, want -rw-------", filepath.Base(path), fi.Mode())
	}
}

// A customer page opened after another starts at the top, with the
// Concerns heading and its Add button in view; the same customer reloaded
// after a change stays where it was.
func TestNewCustomerStartsAtTheTop(t *testing.T) {
	u, s := newSampleUI(t)
	ids := sampleIDs(t, s, 2)
	openCustomer(t, u, ids[0])
	left := u.customer.scrolls[0]
	onUI(u, func() { left.ScrollToBottom() })
	if left.Offset.Y == 0 {
		t.Fatalf("the page (content %v in %v) does not scroll: the test proves nothing", left.Content.MinSize(), left.Size())
	}
	onUI(u, u.customer.reload)
	u.wait()
	if left.Offset.Y == 0 {
		t.Error("the same customer reloaded jumped back to the top")
	}
	openCustomer(t, u, ids[1])
	for i, sc := range u.customer.scrolls {
		if sc.Offset.Y != 0 {
			t.Errorf("scroll %d of the next customer's page is at %v, want the top", i, sc.Offset)
		}
	}
}

// sampleIDs are the ids of the first n customers by name.
func sampleIDs(t *testing.T, s *data.Store, n int) []int64 {
	t.Helper()
	cs, err := s.ListCustomers(context.Background(), 0, n)
	if err != nil || len(cs) < n {
		t.Fatalf("list: %v, %d customers", err, len(cs))
	}
	var out []int64
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

// The first window fits a 1024×700 screen (and so 1366×768); later ones
// open at the size the user left the window at.
func TestWindowSizeRemembered(t *testing.T) {
	a := test.NewTempApp(t)
	s, err := data.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	u := New(a, s)
	u.wait() // each window's start-up checks, before the next window
	if got := u.win.Canvas().Size(); got.Width > 1024 || got.Height > 700-60 {
		t.Errorf("the first window is %v: larger than a 1024×700 screen leaves room for", got)
	}
	onUI(u, func() { u.win.Resize(fyne.NewSize(1000, 640)) })
	u.win.Close()
	u2 := New(a, s)
	u2.wait()
	if got := u2.win.Canvas().Size(); got != fyne.NewSize(1000, 640) {
		t.Errorf("the next window is %v, want the 1000×640 the user chose", got)
	}
	// A size too small to use is not kept.
	u2.win.Resize(fyne.NewSize(100, 80))
	u2.win.Close()
	u3 := New(a, s)
	u3.wait()
	if got := u3.win.Canvas().Size(); got != fyne.NewSize(1000, 640) {
		t.Errorf("after a tiny window the next is %v", got)
	}
}

// Settings says where the database is, with a button to show its folder.
func TestSettingsShowsDatabase(t *testing.T) {
	u, s := newTestUI(t, person("Jane", "Doe", ""))
	u.openSettings(60)
	shown := joined(topDialog(t, u))
	if !strings.Contains(shown, s.Path()) || findButton(topDialog(t, u), "Show in folder") == nil {
		t.Errorf("Settings lacks the database path %s or Show in folder:\n%s", s.Path(), shown)
	}
}

// Today puts what needs action first, marks visits already logged as done
// and lists a few birthdays, the rest behind one line.
func TestTodayActionFirst(t *testing.T) {
	now := time.Now()
	bday := data.Date{Year: 1980, Month: now.Month(), Day: now.Day()}
	var people []data.Customer
	people = append(people, person("Done", "Visit", ""), person("Open", "Visit", ""), person("Late", "Promise", ""))
	for i := range 12 {
		c := person("Birthday", fmt.Sprintf("Nr%02d", i), "")
		c.Birthday = bday
		people = append(people, c)
	}
	u, s := newTestUI(t, people...)
	ctx := context.Background()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 1, 0, time.Local)
	for _, name := range []string{"Done Visit", "Open Visit"} {
		v := &data.PlannedVisit{CustomerID: findCustomer(t, u, name), At: day.Add(30 * time.Second), Purpose: "visit " + name}
		if err := s.PlanVisit(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.LogInteraction(ctx, &data.Interaction{CustomerID: findCustomer(t, u, "Done Visit"), Kind: data.KindVisit, At: day, Summary: "went well"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFollowUp(ctx, &data.FollowUp{CustomerID: findCustomer(t, u, "Late Promise"), Text: "Send the quote",
		Promise: true, Due: data.DateOf(now.AddDate(0, 0, -5))}); err != nil {
		t.Fatal(err)
	}
	onUI(u, u.showToday)
	u.wait()
	shown := joined(u.today.root)
	at := func(s string) int {
		i := strings.Index(shown, s)
		if i < 0 {
			t.Fatalf("Today lacks %q:\n%s", s, shown)
		}
		return i
	}
	if !(at("Overdue follow-ups") < at("Visits today") && at("Visits today") < at("Birthdays and anniversaries")) {
		t.Errorf("Today's order:\n%s", shown)
	}
	if !(at("Open Visit") < at("Done Visit")) {
		t.Errorf("the open visit should come before the one logged:\n%s", shown)
	}
	if i := at("Done Visit"); !strings.Contains(shown[max(0, i-40):min(len(shown), i+60)], "done") {
		t.Errorf("the logged visit is not marked done:\n%s", shown)
	}
	more := findButton(u.today.root, "4 more birthdays and anniversaries — show")
	if more == nil || strings.Count(shown, "Birthday Nr") != datesShown {
		t.Fatalf("birthdays: %d listed, no “4 more — show”:\n%s", strings.Count(shown, "Birthday Nr"), shown)
	}
	tap(u, more)
	if n := strings.Count(joined(u.today.root), "Birthday Nr"); n != 12 {
		t.Errorf("after show: %d birthdays listed, want 12", n)
	}
}

// The export dialog says an export is no backup and what it leaves out.
func TestExportDialogSaysWhatItCarries(t *testing.T) {
	u, _ := newTestUI(t, person("Jane", "Doe", ""))
	onUI(u, u.exporter.onExport)
	shown := joined(topDialog(t, u))
	for _, want := range []string{"not the history, notes", "It is not a backup"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the export dialog lacks %q:\n%s", want, shown)
		}
	}
}

// Size and position are kept together in window.geometry; where the
// position cannot be known (here, Fyne's test driver) the one kept stays;
// a size kept by an older Rapport (window.width, window.height) is read.
func TestWindowGeometryKept(t *testing.T) {
	a := test.NewTempApp(t)
	s, err := data.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p := a.Preferences()
	p.SetFloat(prefWindowWidth, 900)
	p.SetFloat(prefWindowHeight, 600)
	u := New(a, s)
	u.wait()
	if got := u.win.Canvas().Size(); got != fyne.NewSize(900, 600) {
		t.Errorf("with the older keys the window is %v, want 900×600", got)
	}
	u.win.Close()
	if got := p.FloatList(prefWindowGeometry); !slices.Equal(got, []float64{900, 600}) {
		t.Errorf("window.geometry after closing: %v", got)
	}

	p.SetFloatList(prefWindowGeometry, []float64{1100, 650, 300, 100})
	u2 := New(a, s)
	u2.wait()
	if got := u2.win.Canvas().Size(); got != fyne.NewSize(1100, 650) {
		t.Errorf("the window is %v, want the 1100×650 kept", got)
	}
	onUI(u2, func() { u2.win.Resize(fyne.NewSize(1000, 640)) })
	u2.win.Close()
	if got := p.FloatList(prefWindowGeometry); !slices.Equal(got, []float64{1000, 640, 300, 100}) {
		t.Errorf("window.geometry after resizing and closing: %v, want the new size and the position kept", got)
	}
}
