package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/rapportcrm/rapport/data"
)

func menuItem(u *UI, label string) *fyne.MenuItem {
	for _, m := range u.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Label == label {
				return it
			}
		}
	}
	return nil
}

// A database that cannot be written: the window opens on it, says why in a
// banner, disables the menu items that change data, and answers a shortcut
// that would start a change with a message instead of a form.
func TestReadOnlyWindow(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	s, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	c := person("Ada", "Lovelace", "Engines Ltd")
	if err := s.CreateCustomer(ctx, &c); err != nil {
		t.Fatal(err)
	}
	s.Close()
	ro, err := data.OpenWith(ctx, path, data.OpenOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ro.Close() })

	a := test.NewTempApp(t)
	u := New(a, ro)
	// Under the UI lock: New's background loads report back meanwhile.
	onUI(u, func() {
		u.win.Resize(fyne.NewSize(1200, 780))
		u.win.Show()
	})
	u.wait()
	if !u.guard.banner.Visible() || !strings.Contains(u.guard.text.Text, "Read-only") {
		t.Fatalf("no read-only banner: visible %v, %q", u.guard.banner.Visible(), u.guard.text.Text)
	}
	for _, label := range []string{"New customer…", "Import vCards…", "Log interaction…", "Delete…"} {
		if it := menuItem(u, label); it == nil || !it.Disabled {
			t.Errorf("menu item %q is not disabled", label)
		}
	}
	if it := menuItem(u, "Export vCards…"); it == nil || it.Disabled {
		t.Error("export (a read) is disabled too")
	}
	// Looking things up still works.
	typeSearch(u, "lovelace")
	u.wait()
	if u.customers.length() != 1 {
		t.Errorf("search on a read-only database lists %d customers", u.customers.length())
	}
	// The daily backup (window start, then hourly) leaves a read-only file be.
	onUI(u, u.backups.checkDaily)
	u.wait()
	if _, err := os.Stat(data.BackupDir(path)); err == nil {
		t.Error("a backups folder was made beside a read-only database")
	}
	test.FocusNext(u.win.Canvas()) // away from the search box
	u.onNewCustomer()
	if u.editor != nil {
		t.Error("the customer form opened on a read-only database")
	}
	top := u.win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(strings.Join(texts(top), " "), "cannot be changed") {
		t.Errorf("no message saying why: %v", top)
	}
}

// The database file moved away while the window is open: the next check
// notices, says so, and the window saves nothing more.
func TestMovedDatabaseNoticed(t *testing.T) {
	u, s := newTestUI(t, person("Ada", "Lovelace", ""))
	if !u.guard.checkFile() {
		t.Fatal("checkFile fails on a database in place")
	}
	if err := os.Rename(s.Path(), s.Path()+".moved"); err != nil {
		t.Fatal(err)
	}
	if u.guard.checkFile() {
		t.Fatal("checkFile did not notice the file had moved")
	}
	u.wait()
	if !u.guard.banner.Visible() || !strings.Contains(u.guard.text.Text, "moved or deleted") {
		t.Errorf("banner %v %q", u.guard.banner.Visible(), u.guard.text.Text)
	}
	if u.win.Canvas().Overlays().Top() == nil {
		t.Error("no dialog told the user")
	}
	if _, err := os.Stat(s.Path()); err == nil {
		t.Error("a new database file appeared")
	}
}

// A damaged database: the check at start turns the window read-only and
// offers the backups; restoring one makes the window writable again.
func TestDamagedDatabaseNoticed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	s, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		c := person("Person", strings.Repeat("x", i%50), "Company")
		if err := s.CreateCustomer(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	good, err := s.AutoBackup(ctx, data.ReasonManual)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// A page in the middle, overwritten with a pattern.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	garbage := []byte(strings.Repeat("\xde\xad\xbe\xef", 1024))
	fi, _ := f.Stat()
	f.WriteAt(garbage, 4096*(fi.Size()/4096/2))
	f.Close()
	s, err = data.Open(ctx, path)
	if err != nil {
		t.Fatalf("refused at open: %v (damage a page the check at open does not read)", err)
	}
	a := test.NewTempApp(t)
	u := New(a, s)
	t.Cleanup(func() { u.store.Close() })
	onUI(u, u.win.Show)
	u.wait()
	if !strings.Contains(u.guard.text.Text, "damaged") {
		t.Fatalf("banner says %q, want damaged", u.guard.text.Text)
	}
	offer := u.win.Canvas().Overlays().Top()
	if offer == nil || findButton(offer, "Restore from backup…") == nil {
		t.Fatalf("the damage dialog offers no restore: %v", offer)
	}
	onUI(u, func() { offer.Hide() })
	onUI(u, func() { u.backups.restore(good) })
	u.wait()
	if u.guard.banner.Visible() {
		t.Errorf("after restoring a good backup the banner still says %q", u.guard.text.Text)
	}
	c := person("After", "Restore", "")
	if err := u.store.CreateCustomer(ctx, &c); err != nil {
		t.Errorf("write after the restore: %v", err)
	}
}
