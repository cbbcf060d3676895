package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/assets"
	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

// The tests expect dates and numbers as written in Britain, whatever the
// machine's locale; TestLocale tries the others.
func init() { locale.Set(locale.Parse("en_GB.UTF-8")) }

// newTestUI opens the window on a new database file. Every helper below
// waits for the background work with u.wait(): jobs (and pending debounced
// searches) are counted, and the test driver runs fyne.Do at once.
func newTestUI(t *testing.T, customers ...data.Customer) (*UI, *data.Store) {
	t.Helper()
	a := test.NewTempApp(t)
	s, err := data.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for i := range customers {
		if err := s.CreateCustomer(context.Background(), &customers[i]); err != nil {
			t.Fatal(err)
		}
	}
	u := New(a, s)
	// Under the UI lock: New's background loads report back meanwhile.
	onUI(u, func() {
		u.win.Resize(fyne.NewSize(1200, 780))
		u.win.Show()
	})
	u.wait()
	return u, s
}

// typeSearch types into the search box. It holds the lock UI.do takes: a
// debounced search may fire between two keystrokes, and the test driver runs
// its update on the timer's goroutine.
func typeSearch(u *UI, text string) {
	u.doMu.Lock()
	defer u.doMu.Unlock()
	test.Type(u.customers.search, text)
}

// pressKey sends a key to the search box, under the same lock.
func pressKey(u *UI, key fyne.KeyName) {
	u.doMu.Lock()
	defer u.doMu.Unlock()
	u.customers.search.TypedKey(&fyne.KeyEvent{Name: key})
}

func person(given, family, company string) data.Customer {
	return data.Customer{GivenName: given, FamilyName: family, Company: company}
}

// texts collects the text of every visible label, rich text, hyperlink and
// button under o, in layout order.
func texts(o fyne.CanvasObject) []string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
			return
		case *widget.RichText:
			out = append(out, w.String())
			return
		case *widget.Hyperlink:
			out = append(out, w.Text)
			return
		case *widget.Button:
			out = append(out, w.Text)
			return
		case *keyButton:
			out = append(out, w.Text)
			return
		case *widget.Entry, *formEntry, *widget.Select, *widget.Check, *keySelect, *keyCheck:
			return
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
			return
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

func joined(o fyne.CanvasObject) string { return strings.Join(texts(o), "\n") }

// findButton finds the visible button with that text under o.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	return findButtonWhere(o, func(b *widget.Button) bool { return b.Text == text })
}

// findIconButton finds the first visible text-less button showing icon.
func findIconButton(o fyne.CanvasObject, icon fyne.Resource) *widget.Button {
	return findButtonWhere(o, func(b *widget.Button) bool {
		return b.Text == "" && b.Icon != nil && b.Icon.Name() == icon.Name()
	})
}

func findButtonWhere(o fyne.CanvasObject, match func(*widget.Button) bool) *widget.Button {
	var found *widget.Button
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil || o == nil || !o.Visible() {
			return
		}
		switch w := o.(type) {
		case *widget.Button:
			if match(w) {
				found = w
			}
		case *keyButton:
			if match(&w.Button) {
				found = &w.Button
			}
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

// topDialog is the dialog (or pop-up) shown on top of the window.
func topDialog(t *testing.T, u *UI) fyne.CanvasObject {
	t.Helper()
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is shown")
	}
	return top
}

// listNames are the names in the customer list's data, in order.
func listNames(u *UI) []string {
	var out []string
	for i := 0; i < u.customers.length(); i++ {
		cs, _ := u.customers.row(i)
		out = append(out, cs.Name)
	}
	return out
}

func loadSample(t *testing.T) int {
	ds, err := data.ReadDataset(bytes.NewReader(assets.SampleJSON))
	if err != nil {
		t.Fatal(err)
	}
	return len(ds.Customers)
}

func TestWelcomeThenSample(t *testing.T) {
	u, s := newTestUI(t)
	if u.showing != u.welcome.root {
		t.Fatal("an empty database should show the welcome screen")
	}
	if !strings.Contains(joined(u.win.Content()), "Welcome to Rapport") {
		t.Errorf("welcome text missing; screen shows:\n%s", joined(u.win.Content()))
	}

	test.Tap(u.welcome.sampleBtn)
	u.wait()

	want := loadSample(t)
	if n, _ := s.CountCustomers(context.Background()); n != want {
		t.Fatalf("store has %d customers after loading the sample, want %d", n, want)
	}
	if u.showing != u.split {
		t.Fatal("the main screen should replace the welcome screen")
	}
	if got := u.customers.length(); got != want {
		t.Errorf("list has %d rows, want %d", got, want)
	}
	first, _ := u.customers.row(0)
	if u.customer.id != first.ID {
		t.Errorf("the first customer (%s) should be shown, got id %d", first.Name, u.customer.id)
	}
	if u.customer.name.Text != first.Name {
		t.Errorf("customer screen shows %q, want %q", u.customer.name.Text, first.Name)
	}
	// The visible rows of the list show the names.
	if rows := joined(u.customers.list); !strings.Contains(rows, first.Name) {
		t.Errorf("list rows do not show %q:\n%s", first.Name, rows)
	}
	if !strings.Contains(u.customers.status.Text, "customers") {
		t.Errorf("status = %q", u.customers.status.Text)
	}

	// Loading it again (File menu) adds nobody, and says so.
	u.onLoadSample()
	u.wait()
	if n, _ := s.CountCustomers(context.Background()); n != want {
		t.Errorf("loading the sample twice: %d customers", n)
	}
	if msg := joined(topDialog(t, u)); !strings.Contains(msg, "already here") {
		t.Errorf("second load says:\n%s", msg)
	}
}

func TestColleaguesLinkToEachOther(t *testing.T) {
	u, _ := newTestUI(t, person("Jane", "Doe", "Acme"), person("John", "Smith", "Acme"), person("Zed", "Zulu", "Other"))
	if u.customer.name.Text != "Jane Doe" {
		t.Fatalf("shown %q", u.customer.name.Text)
	}
	b := findButton(u.customer.contact, "John Smith")
	if b == nil {
		t.Fatalf("no link to the colleague; contact shows:\n%s", joined(u.customer.contact))
	}
	test.Tap(b)
	u.wait()
	if u.customer.name.Text != "John Smith" || u.customers.selectedID != u.customer.id {
		t.Errorf("after tapping the colleague: %q", u.customer.name.Text)
	}
	if findButton(u.customer.contact, "Zed Zulu") != nil {
		t.Error("Zed works elsewhere")
	}
}

func TestAddCustomerWithTheForm(t *testing.T) {
	u, s := newTestUI(t)
	test.Tap(u.welcome.addBtn)
	e := u.editor
	if e == nil {
		t.Fatal("the editor did not open")
	}
	test.Type(e.given, "Jane")
	test.Type(e.family, "Doe")
	test.Type(e.nickname, "JD")
	test.Type(e.company, "Acme Ltd")
	test.Type(e.title, "Buyer")
	test.Type(e.phones.rows[0].value, "+44 20 7946 0000")
	test.Type(e.emails.rows[0].value, "jane@example.com")
	test.Type(e.birthday, "15/04/1975")
	test.Type(e.tags, "golf, vip")
	test.Tap(e.save)
	u.wait()

	found, err := s.Search(context.Background(), "Jane", 10)
	if err != nil || len(found) != 1 {
		t.Fatalf("store search for Jane: %v, %v", found, err)
	}
	c, err := s.Customer(context.Background(), found[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name() != "Jane Doe" || c.Company != "Acme Ltd" || c.Nickname != "JD" || c.Birthday.String() != "1975-04-15" ||
		len(c.Phones) != 1 || c.Phones[0].Label != "mobile" || len(c.Emails) != 1 || strings.Join(c.Tags, ",") != "golf,vip" {
		t.Errorf("stored customer = %+v", c)
	}
	if got := listNames(u); len(got) != 1 || got[0] != "Jane Doe" {
		t.Errorf("list = %v", got)
	}
	if u.customer.id != c.ID || !strings.Contains(joined(u.customer.root), "Likes to be called “JD”") {
		t.Errorf("the new customer should be shown; screen:\n%s", joined(u.customer.root))
	}
	if u.win.Canvas().Overlays().Top() != nil {
		t.Error("the editor should close after saving")
	}

	// Editing keeps what the form does not show and renames.
	u.customer.onEdit()
	e = u.editor
	if e.given.Text != "Jane" || e.birthday.Text != "1975-04-15" {
		t.Fatalf("editor not filled in: %q %q", e.given.Text, e.birthday.Text)
	}
	e.given.SetText("Janet")
	test.Tap(e.save)
	u.wait()
	c, _ = s.Customer(context.Background(), c.ID)
	if c.Name() != "Janet Doe" || c.Phones[0].Value != "+44 20 7946 0000" {
		t.Errorf("after edit: %+v", c)
	}
	if got := listNames(u); got[0] != "Janet Doe" || u.customer.name.Text != "Janet Doe" {
		t.Errorf("after edit the list shows %v, the screen %q", got, u.customer.name.Text)
	}
}

func TestEditorRefusesNoNameAndBadDate(t *testing.T) {
	u, s := newTestUI(t)
	u.win.Canvas().(fyne.Shortcutable).TypedShortcut(scNew) // Ctrl+N
	e := u.editor
	if e == nil {
		t.Fatal("Ctrl+N did not open the editor")
	}
	test.Type(e.phones.rows[0].value, "555 1234")
	test.Tap(e.save)
	u.wait()
	if !e.message.Visible() || !strings.Contains(e.message.Text, "needs a name") {
		t.Errorf("message = %q (visible %v)", e.message.Text, e.message.Visible())
	}
	if n, _ := s.CountCustomers(context.Background()); n != 0 {
		t.Errorf("%d customers saved without a name", n)
	}
	if u.win.Canvas().Overlays().Top() == nil {
		t.Error("the editor should stay open")
	}

	test.Type(e.given, "Bob")
	test.Type(e.birthday, "31 February 1980")
	test.Tap(e.save)
	u.wait()
	if !strings.HasPrefix(e.message.Text, "Birthday:") {
		t.Errorf("bad date message = %q", e.message.Text)
	}
	if n, _ := s.CountCustomers(context.Background()); n != 0 {
		t.Errorf("%d customers saved with a bad birthday", n)
	}

	e.birthday.SetText("29 February")
	test.Tap(e.save)
	u.wait()
	if n, _ := s.CountCustomers(context.Background()); n != 1 {
		t.Errorf("a year-less 29 February should save; %d customers", n)
	}
}

func TestSearch(t *testing.T) {
	u, _ := newTestUI(t,
		person("Jane", "Doe", "Acme"), person("John", "Smith", "Globex"), person("Janet", "Rowe", "Initech"))
	if got := listNames(u); len(got) != 3 {
		t.Fatalf("list = %v", got)
	}
	typeSearch(u, "jan")
	u.wait()
	got := strings.Join(listNames(u), ",")
	if got != "Jane Doe,Janet Rowe" {
		t.Errorf("search jan shows %q", got)
	}
	rows := joined(u.customers.list)
	if !strings.Contains(rows, "Janet Rowe") || strings.Contains(rows, "John Smith") {
		t.Errorf("list rows on screen:\n%s", rows)
	}
	if !strings.Contains(u.customers.status.Text, "2 of 3 customers match") {
		t.Errorf("status = %q", u.customers.status.Text)
	}

	// Search by company; Enter opens the first match.
	pressKey(u, fyne.KeyEscape)
	u.wait()
	typeSearch(u, "globex")
	pressKey(u, fyne.KeyReturn)
	u.wait()
	if got := listNames(u); len(got) != 1 || got[0] != "John Smith" || u.customer.name.Text != "John Smith" {
		t.Errorf("globex: list %v, shown %q", got, u.customer.name.Text)
	}

	// Escape clears the search: everyone again.
	pressKey(u, fyne.KeyEscape)
	u.wait()
	if got := listNames(u); len(got) != 3 || u.customers.search.Text != "" {
		t.Errorf("after Escape: %v, search %q", got, u.customers.search.Text)
	}

	typeSearch(u, "zzz")
	u.wait()
	if u.customers.length() != 0 || !strings.Contains(u.customers.status.Text, "Nobody matches") {
		t.Errorf("zzz: %v, status %q", listNames(u), u.customers.status.Text)
	}
}

func TestLogVisit(t *testing.T) {
	u, s := newTestUI(t, person("Jane", "Doe", "Acme"))
	ctx := context.Background()
	id := u.customer.id
	if id == 0 {
		t.Fatal("the only customer should be loaded")
	}
	openCustomer(t, u, id) // Ctrl+L on Today asks whom: see TestCtrlLOnTodayAsksWhom
	old := data.Interaction{CustomerID: id, Kind: data.KindCall, At: time.Now().AddDate(0, 0, -10), Summary: "Old call"}
	if err := s.LogInteraction(ctx, &old); err != nil {
		t.Fatal(err)
	}
	u.win.Canvas().(fyne.Shortcutable).TypedShortcut(scLog) // Ctrl+L
	d := u.logDialog
	if d == nil {
		t.Fatal("Ctrl+L did not open the log dialog")
	}
	if d.kind.Selected != "Visit" || d.date.Date == nil {
		t.Errorf("defaults: kind %q, date %v", d.kind.Selected, d.date.Date)
	}
	d.clock.SetText("")
	test.Type(d.clock, "09:15")
	test.Type(d.minutes, "45")
	test.Type(d.summary, "Brought the new samples")
	test.Type(d.notes, "Wants a quote by Friday")
	test.Tap(d.save)
	u.wait()

	hist, err := s.Interactions(ctx, id, 0, 10)
	if err != nil || len(hist) != 2 {
		t.Fatalf("history = %v, %v", hist, err)
	}
	in := hist[0]
	if in.Summary != "Brought the new samples" || in.Kind != data.KindVisit || in.Duration != 45*time.Minute ||
		in.At.Hour() != 9 || in.At.Minute() != 15 || in.Notes != "Wants a quote by Friday" {
		t.Errorf("newest interaction = %+v", in)
	}
	rows := u.customer.historyBox.Objects
	if len(rows) == 0 {
		t.Fatal("no history on screen")
	}
	top := joined(rows[0])
	for _, want := range []string{"Brought the new samples", "Visit", "45 min", "09:15", "Wants a quote by Friday"} {
		if !strings.Contains(top, want) {
			t.Errorf("top history row lacks %q:\n%s", want, top)
		}
	}
	if !strings.Contains(joined(u.customer.historyBox), "Old call") {
		t.Error("the older call should still be listed")
	}
	if u.customer.historyTab.Text != "History (2)" {
		t.Errorf("tab = %q", u.customer.historyTab.Text)
	}

	// A log without a summary is refused in the dialog.
	u.customer.onLog()
	d = u.logDialog
	test.Tap(d.save)
	u.wait()
	if !d.message.Visible() || !strings.Contains(d.message.Text, "summary") {
		t.Errorf("message = %q", d.message.Text)
	}
	if n, _ := s.CountInteractions(ctx, id); n != 2 {
		t.Errorf("%d interactions after refused log", n)
	}
}

func TestDeleteAsksFirst(t *testing.T) {
	u, s := newTestUI(t, person("Jane", "Doe", "Acme"), person("John", "Smith", "Globex"))
	ctx := context.Background()
	if u.customer.name.Text != "Jane Doe" {
		t.Fatalf("shown: %q", u.customer.name.Text)
	}
	id := u.customer.id
	openCustomer(t, u, id) // the list loads the first customer behind Today: open them
	test.Tap(u.customer.deleteBtn)
	dlg := topDialog(t, u)
	if msg := joined(dlg); !strings.Contains(msg, "Delete Jane Doe and everything about them?") ||
		!strings.Contains(msg, "cannot be undone") {
		t.Errorf("confirmation says:\n%s", msg)
	}
	// Cancel keeps them.
	test.Tap(findButton(dlg, "Cancel"))
	u.wait()
	if _, err := s.Customer(ctx, id); err != nil {
		t.Fatalf("cancel deleted the customer: %v", err)
	}

	test.Tap(u.customer.deleteBtn)
	test.Tap(findButton(topDialog(t, u), "Delete"))
	u.wait()
	if _, err := s.Customer(ctx, id); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("customer still in the store: %v", err)
	}
	if got := listNames(u); len(got) != 1 || got[0] != "John Smith" {
		t.Errorf("list after delete = %v", got)
	}
	if u.customer.name.Text != "John Smith" {
		t.Errorf("after delete the next customer should show, got %q", u.customer.name.Text)
	}

	// Deleting the last one brings the welcome screen back.
	test.Tap(u.customer.deleteBtn)
	test.Tap(findButton(topDialog(t, u), "Delete"))
	u.wait()
	if u.showing != u.welcome.root {
		t.Error("an empty database should show the welcome screen again")
	}
}

func TestNoteAndFamilyMember(t *testing.T) {
	u, s := newTestUI(t, person("Jane", "Doe", "Acme"))
	ctx := context.Background()
	id := u.customer.id
	openCustomer(t, u, id)

	u.win.Canvas().(fyne.Shortcutable).TypedShortcut(scNote) // Ctrl+Shift+N
	n := u.noteDialog
	if n == nil {
		t.Fatal("Ctrl+Shift+N did not open the note dialog")
	}
	test.Type(n.text, "Daughter starts university in September")
	test.Tap(n.confidential)
	test.Tap(n.save)
	u.wait()
	notes, err := s.Notes(ctx, id)
	if err != nil || len(notes) != 1 || notes[0].Text != "Daughter starts university in September" || !notes[0].Confidential {
		t.Fatalf("notes = %+v, %v", notes, err)
	}
	if got := joined(u.customer.notesBox); !strings.Contains(got, "Daughter starts university") || !strings.Contains(got, "confidential") {
		t.Errorf("notes on screen:\n%s", got)
	}
	if u.customer.tabs.Selected() != u.customer.notesTab {
		t.Error("the notes tab should be shown after adding a note")
	}

	// Its pencil button edits it: a typo fixed, no longer confidential.
	edit := findIconButton(u.customer.notesBox, theme.DocumentCreateIcon())
	if edit == nil {
		t.Fatal("no edit button on the note")
	}
	test.Tap(edit)
	n = u.noteDialog
	if n.text.Text != "Daughter starts university in September" || !n.confidential.Checked {
		t.Fatalf("edit dialog shows %q, confidential %v", n.text.Text, n.confidential.Checked)
	}
	n.text.SetText("Daughter starts university in October")
	test.Tap(n.confidential)
	test.Tap(n.save)
	u.wait()
	if notes, err = s.Notes(ctx, id); err != nil || len(notes) != 1 || notes[0].Text != "Daughter starts university in October" || notes[0].Confidential {
		t.Fatalf("notes after edit = %+v, %v", notes, err)
	}
	if got := joined(u.customer.notesBox); !strings.Contains(got, "in October") || strings.Contains(got, "confidential") {
		t.Errorf("notes on screen after edit:\n%s", got)
	}

	u.openFamilyDialog(u.customer.c, nil)
	f := u.profileDialog
	f.relation.SetSelected("Child")
	test.Type(f.name, "Alfie")
	test.Type(f.birthday, "2019-10-05")
	test.Type(f.notes, "loves dinosaurs")
	test.Tap(f.save)
	u.wait()
	p, err := s.Profile(ctx, id)
	if err != nil || len(p.Family) != 1 {
		t.Fatalf("profile = %+v, %v", p, err)
	}
	if m := p.Family[0]; m.Name != "Alfie" || m.Relation != data.RelChild || m.Birthday.String() != "2019-10-05" || m.Notes != "loves dinosaurs" {
		t.Errorf("family member = %+v", m)
	}
	if got := joined(u.customer.profileBox); !strings.Contains(got, "Child: Alfie") || !strings.Contains(got, "born 5 October 2019") {
		t.Errorf("profile on screen:\n%s", got)
	}

	// A hobby, and a pet; the profile is searchable.
	u.openItemDialog(u.customer.c, nil)
	it := u.profileDialog
	test.Type(it.text, "Sails a Laser dinghy")
	test.Tap(it.save)
	u.wait()
	u.openPetDialog(u.customer.c, nil)
	pd := u.profileDialog
	test.Type(pd.name, "Biscuit")
	test.Type(pd.species, "beagle")
	test.Tap(pd.save)
	u.wait()
	got := joined(u.customer.profileBox)
	for _, want := range []string{"Hobbies and interests", "Sails a Laser dinghy", "Pets", "Biscuit (beagle)"} {
		if !strings.Contains(got, want) {
			t.Errorf("profile lacks %q:\n%s", want, got)
		}
	}
	typeSearch(u, "dinghy")
	u.wait()
	if names := listNames(u); len(names) != 1 || names[0] != "Jane Doe" {
		t.Errorf("search dinghy = %v", names)
	}

	// Deleting the pet asks first; the note too.
	p, _ = s.Profile(ctx, id)
	u.customer.confirmDeletePart(data.PartPet, p.Pets[0].ID, "Biscuit")
	if p, _ = s.Profile(ctx, id); len(p.Pets) != 1 {
		t.Fatalf("pets = %+v", p.Pets)
	}
	if msg := joined(topDialog(t, u)); !strings.Contains(msg, "Delete Biscuit from Jane Doe's profile?") {
		t.Errorf("confirmation:\n%s", msg)
	}
	test.Tap(findButton(topDialog(t, u), "Delete"))
	u.wait()
	if p, _ = s.Profile(ctx, id); len(p.Pets) != 0 || strings.Contains(joined(u.customer.profileBox), "Biscuit") {
		t.Errorf("pet not deleted: %+v", p.Pets)
	}
	u.customer.confirmDeleteNote(u.customer.notes[0])
	test.Tap(findButton(topDialog(t, u), "Delete"))
	u.wait()
	if notes, _ := s.Notes(ctx, id); len(notes) != 0 || u.customer.notesTab.Text != "Notes (0)" {
		t.Errorf("note not deleted: %+v", notes)
	}
}

func TestCtrlFFocusesSearch(t *testing.T) {
	u, _ := newTestUI(t, person("Jane", "Doe", "Acme"))
	u.win.Canvas().(fyne.Shortcutable).TypedShortcut(scFind)
	if u.win.Canvas().Focused() != u.customers.search {
		t.Errorf("focused: %T", u.win.Canvas().Focused())
	}
}

func TestManyCustomersArePaged(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 1000 customers")
	}
	var cs []data.Customer
	for i := 0; i < 2*pageSize+50; i++ {
		cs = append(cs, person("Person", string(rune('A'+i%26))+strings.Repeat("x", i/26), ""))
	}
	u, _ := newTestUI(t, cs...)
	if u.customers.length() != len(cs) {
		t.Fatalf("length %d", u.customers.length())
	}
	if len(u.customers.pages) != 1 {
		t.Errorf("only the first page should be loaded at first, have %d", len(u.customers.pages))
	}
	last := len(cs) - 1
	if _, ok := u.customers.row(last); ok {
		t.Fatal("the last page cannot be loaded yet")
	}
	u.wait()
	cs2, ok := u.customers.row(last)
	if !ok || cs2.Name == "" {
		t.Errorf("row %d after its page loaded: %+v %v", last, cs2, ok)
	}
}

func TestLongHistoryIsPaged(t *testing.T) {
	u, s := newTestUI(t, data.Customer{GivenName: "Jane", FamilyName: "Doe", Photo: data.Photo{Data: assets.Icon, MIME: "image/png"}})
	ctx := context.Background()
	id := u.customer.id
	start := time.Now().AddDate(0, 0, -100)
	for i := 0; i < historyPage+10; i++ {
		in := data.Interaction{CustomerID: id, Kind: data.KindCall, At: start.AddDate(0, 0, i), Summary: fmt.Sprintf("Call %d", i)}
		if err := s.LogInteraction(ctx, &in); err != nil {
			t.Fatal(err)
		}
	}
	u.customer.reload()
	u.wait()
	if _, ok := u.customer.photo.Objects[0].(*canvas.Image); !ok {
		t.Errorf("the photo should show, got %T", u.customer.photo.Objects[0])
	}
	if len(u.customer.history) != historyPage || !u.customer.historyMore.Visible() ||
		u.customer.historyMore.Text != "Show older (10 more)" {
		t.Fatalf("shown %d, button %q visible %v", len(u.customer.history), u.customer.historyMore.Text, u.customer.historyMore.Visible())
	}
	if first := joined(u.customer.historyBox.Objects[0]); !strings.Contains(first, fmt.Sprintf("Call %d", historyPage+9)) {
		t.Errorf("newest first, got:\n%s", first)
	}
	test.Tap(u.customer.historyMore)
	u.wait()
	if len(u.customer.history) != historyPage+10 || u.customer.historyMore.Visible() {
		t.Errorf("after Show older: %d shown, button visible %v", len(u.customer.history), u.customer.historyMore.Visible())
	}
	if last := texts(u.customer.historyBox); !strings.Contains(strings.Join(last, "\n"), "Call 0") {
		t.Error("the oldest call should show at the end")
	}
}

func TestFormat(t *testing.T) {
	defer func(f func() time.Time) { now = f }(now)
	now = func() time.Time { return time.Date(2026, 3, 2, 14, 30, 0, 0, time.Local) }
	if got := formatDateTime(now()); got != "Mon 2 Mar 2026, 14:30" {
		t.Errorf("formatDateTime = %q", got)
	}
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{now().Add(-time.Hour), "today"},
		{now().AddDate(0, 0, -1), "yesterday"},
		{now().AddDate(0, 0, -3), "3 days ago"},
		{now().AddDate(0, 0, -15), "2 weeks ago"},
		{now().AddDate(0, 0, 3), "in 3 days"},
		{now().AddDate(0, -5, 0), "5 months ago"},
		{now().AddDate(-3, 0, 0), "3 years ago"},
	} {
		if got := relative(c.t); got != c.want {
			t.Errorf("relative(%v) = %q, want %q", c.t, got, c.want)
		}
	}
	if got := formatBirthday(data.MustParseDate("1975-03-05")); got != "5 March 1975 (50) · in 3 days" {
		t.Errorf("formatBirthday = %q", got)
	}
	if got := formatBirthday(data.MustParseDate("--04-15")); got != "15 April" {
		t.Errorf("year-less birthday = %q", got)
	}
	if got := formatDuration(90 * time.Minute); got != "1 h 30 min" {
		t.Errorf("formatDuration = %q", got)
	}
	for in, want := range map[string][2]int{"14:30": {14, 30}, "9": {9, 0}, "0915": {9, 15}, "7.05": {7, 5},
		"2:30 PM": {14, 30}, "2pm": {14, 0}, "9 a.m.": {9, 0}, "12:15 AM": {0, 15}, "12 PM": {12, 0}, "11.45p": {23, 45}} {
		h, m, ok := parseClock(in)
		if !ok || h != want[0] || m != want[1] {
			t.Errorf("parseClock(%q) = %d:%d %v", in, h, m, ok)
		}
	}
	for _, bad := range []string{"25:00", "13 PM", "0 AM", "pm", "noonish"} {
		if _, _, ok := parseClock(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}
