package ui

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/data"
)

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestBackupNow(t *testing.T) {
	u, s := newTestUI(t, person("Ann", "Lee", "Co"), person("Bob", "Ray", "Co"))
	onUI(u, u.backups.onBackupNow)
	if u.backups.progress == nil {
		t.Fatal("no progress dialog")
	}
	u.wait()
	if !strings.HasPrefix(u.backups.summary, "A copy of your 2 customers is in\n"+data.BackupDir(s.Path())) {
		t.Errorf("summary = %q", u.backups.summary)
	}
	if got := joined(topDialog(t, u)); !strings.Contains(got, "Backed up") || !strings.Contains(got, data.BackupDir(s.Path())) {
		t.Errorf("dialog:\n%s", got)
	}
	list, err := data.ListBackups(context.Background(), s.Path())
	if err != nil || len(list) != 1 || list[0].Reason != data.ReasonManual || list[0].Customers != 2 {
		t.Errorf("backups: %+v, %v", list, err)
	}
}

func TestRestoreFromBackupList(t *testing.T) {
	ctx := context.Background()
	u, s := newTestUI(t, person("Ann", "Lee", "Co"), person("Bob", "Ray", "Co"))
	t.Cleanup(func() { u.store.Close() }) // the store opened after the restore
	if _, err := s.AutoBackup(ctx, data.ReasonManual); err != nil {
		t.Fatal(err)
	}
	carl := person("Carl", "Ode", "Co")
	if err := s.CreateCustomer(ctx, &carl); err != nil {
		t.Fatal(err)
	}
	onUI(u, func() { u.customerChanged(carl.ID) })
	u.wait()
	b := u.backups

	onUI(u, b.onRestore)
	u.wait()
	if len(b.items) != 1 || b.restoreBtn.Disabled() == false {
		t.Fatalf("restore dialog: %d backups, Restore enabled: %v", len(b.items), !b.restoreBtn.Disabled())
	}
	shown := joined(topDialog(t, u))
	for _, want := range []string{"Restore from backup", "Backed up by hand · 2 customers", "Choose file…", "not deleted"} {
		if !strings.Contains(shown, want) {
			t.Errorf("restore dialog lacks %q:\n%s", want, shown)
		}
	}
	onUI(u, func() { b.list.Select(0) })
	if b.restoreBtn.Disabled() {
		t.Fatal("Restore stays disabled with a backup chosen")
	}
	tap(u, b.restoreBtn)
	ask := joined(topDialog(t, u))
	if !strings.Contains(ask, "Replace your current data with the backup of") || !strings.Contains(ask, "is not deleted") {
		t.Errorf("confirmation:\n%s", ask)
	}
	tap(u, findButton(topDialog(t, u), "Restore"))
	u.wait()

	if u.store == s {
		t.Fatal("the window still has the store it had before the restore")
	}
	if !strings.HasPrefix(b.summary, "Restored 2 customers from ") || !strings.Contains(b.summary, "kept as\n"+data.BackupDir(s.Path())) {
		t.Errorf("summary = %q", b.summary)
	}
	if got := listNames(u); len(got) != 2 || strings.Contains(strings.Join(got, ","), "Carl") {
		t.Errorf("list after the restore: %v", got)
	}
	if n, _ := u.store.CountCustomers(ctx); n != 2 {
		t.Errorf("%d customers after the restore", n)
	}
	list, _ := data.ListBackups(ctx, s.Path())
	if len(list) != 2 || list[0].Reason != data.ReasonBeforeRestore || list[0].Customers != 3 {
		t.Errorf("backups after the restore: %+v", list)
	}
	// The window works on the restored database.
	dora := person("Dora", "Nye", "Co")
	if err := u.store.CreateCustomer(ctx, &dora); err != nil {
		t.Fatal(err)
	}
	onUI(u, func() { u.customerChanged(dora.ID) })
	u.wait()
	if got := listNames(u); len(got) != 3 {
		t.Errorf("list after adding one: %v", got)
	}
}

func TestRestoreRefusesForeignFileChangingNothing(t *testing.T) {
	u, s := newTestUI(t, person("Ann", "Lee", "Co"))
	junk := filepath.Join(t.TempDir(), "holiday.db")
	os.WriteFile(junk, []byte("photos of the beach, not a database"), 0o600)
	before := fileSum(t, s.Path())
	onUI(u, func() { u.backups.onFileChosen(junk) })
	u.wait()
	msg := joined(topDialog(t, u))
	if !strings.Contains(msg, "This file cannot be restored; nothing was changed") || !strings.Contains(msg, "not a Rapport database") {
		t.Errorf("error shown:\n%s", msg)
	}
	if u.store != s || fileSum(t, s.Path()) != before {
		t.Error("the database was touched")
	}
	if list, _ := data.ListBackups(context.Background(), s.Path()); len(list) != 0 {
		t.Errorf("backups: %+v", list)
	}
}

func TestRestoreChosenFile(t *testing.T) {
	ctx := context.Background()
	u, _ := newTestUI(t, person("Ann", "Lee", "Co"))
	t.Cleanup(func() { u.store.Close() })
	// A backup from another computer: three customers.
	other, err := data.Open(ctx, filepath.Join(t.TempDir(), "laptop.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []data.Customer{person("X", "One", ""), person("Y", "Two", ""), person("Z", "Three", "")} {
		other.CreateCustomer(ctx, &p)
	}
	copyPath := filepath.Join(t.TempDir(), "from-laptop.db")
	if err := other.Backup(ctx, copyPath); err != nil {
		t.Fatal(err)
	}
	other.Close()
	onUI(u, func() { u.backups.onFileChosen(copyPath) })
	u.wait()
	if ask := joined(topDialog(t, u)); !strings.Contains(ask, "from-laptop.db (3 customers)") {
		t.Fatalf("confirmation:\n%s", ask)
	}
	tap(u, findButton(topDialog(t, u), "Restore"))
	u.wait()
	if got := listNames(u); len(got) != 3 {
		t.Errorf("list after the restore: %v", got)
	}
}

func TestDailyBackupInWindow(t *testing.T) {
	u, s := newTestUI(t, person("Ann", "Lee", "Co"))
	onUI(u, u.backups.checkDaily)
	u.wait()
	onUI(u, u.backups.checkDaily) // not due again
	u.wait()
	list, err := data.ListBackups(context.Background(), s.Path())
	if err != nil || len(list) != 1 || list[0].Reason != data.ReasonDaily {
		t.Errorf("backups: %+v, %v", list, err)
	}
	if u.win.Canvas().Overlays().Top() != nil {
		t.Errorf("a dialog is shown:\n%s", joined(u.win.Canvas().Overlays().Top()))
	}
}

func TestFileMenuHasBackupAndRestore(t *testing.T) {
	u, _ := newTestUI(t)
	var labels []string
	for _, it := range u.win.MainMenu().Items[0].Items {
		labels = append(labels, it.Label)
	}
	got := strings.Join(labels, "|")
	if !strings.Contains(got, "Back up now…|Restore from backup…") {
		t.Errorf("File menu: %s", got)
	}
}

func TestRestoreRefusedWhileOpenElsewhere(t *testing.T) {
	ctx := context.Background()
	u, s := newTestUI(t, person("Ann", "Lee", "Co"))
	t.Cleanup(func() { u.store.Close() })
	backup, err := s.AutoBackup(ctx, data.ReasonManual)
	if err != nil {
		t.Fatal(err)
	}
	bob := person("Bob", "Ray", "Co")
	s.CreateCustomer(ctx, &bob)
	// Another program has the database open.
	other, err := data.Open(ctx, s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	onUI(u, func() { u.backups.restore(backup) })
	u.wait()
	msg := joined(topDialog(t, u))
	if !strings.Contains(msg, "Could not restore the backup") || !strings.Contains(msg, "open in another program") {
		t.Errorf("error shown:\n%s", msg)
	}
	// The window goes on with the data it had.
	if n, err := u.store.CountCustomers(ctx); n != 2 || err != nil {
		t.Errorf("after the refused restore: %d customers, %v", n, err)
	}
	if got := listNames(u); len(got) != 2 {
		t.Errorf("list: %v", got)
	}
}
