package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/zalando/go-keyring"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/davtest"
	"github.com/rapportcrm/rapport/data/sync/engine"
	"github.com/rapportcrm/rapport/data/sync/secret"
)

// The tests run where no Secret Service runs: go-keyring's own in-memory
// keyring stands in for the system's, behind the real secret package.
func useMemoryKeyring(t *testing.T) {
	t.Helper()
	t.Setenv(secret.EnvKeyring, "")
	t.Setenv(envSyncPassword, "")
	keyring.MockInit()
}

// otherLaptop is a second Rapport database set up against srv, with a
// customer already sent to the server.
func otherLaptop(t *testing.T, srv *davtest.Server, c data.Customer) *data.Store {
	t.Helper()
	ctx := context.Background()
	s, err := data.Open(ctx, filepath.Join(t.TempDir(), "other.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := engine.Configure(ctx, s, srv.URL, davtest.User, "", engine.Options{Password: davtest.Password}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateCustomer(ctx, &c); err != nil {
		t.Fatal(err)
	}
	otherSync(t, s)
	return s
}

func otherSync(t *testing.T, s *data.Store) *engine.Summary {
	t.Helper()
	sum, err := engine.Run(context.Background(), s, engine.Options{Password: davtest.Password})
	if err != nil {
		t.Fatalf("the other laptop's sync: %v", err)
	}
	return sum
}

func footerText(u *UI) string {
	var s string
	onUI(u, func() { s = u.sync.status.Text })
	return s
}

// setUpSync fills in Settings ▸ Sync, tests the connection and saves; the
// first sync runs then.
func setUpSync(t *testing.T, u *UI, srv *davtest.Server) {
	t.Helper()
	onUI(u, u.onSettings)
	u.wait()
	if b := findButton(topDialog(t, u), "Sync settings…"); b == nil {
		t.Fatalf("Settings has no Sync line:\n%s", joined(topDialog(t, u)))
	} else {
		tapLocked(u, b)
	}
	u.wait()
	d := u.syncSettings
	if d == nil {
		t.Fatal("the sync settings did not open")
	}
	if d.book.Text != "" || d.book.PlaceHolder != "Rapport" {
		t.Errorf("address book %q (placeholder %q), want the placeholder Rapport", d.book.Text, d.book.PlaceHolder)
	}
	onUI(u, func() {
		d.url.SetText(srv.URL)
		d.user.SetText(davtest.User)
		d.password.SetText("wrong")
	})
	tapLocked(u, d.test)
	u.wait()
	if got := d.result.Text; !strings.Contains(got, "user name or password wrong") {
		t.Errorf("a wrong password tests as %q", got)
	}
	onUI(u, func() { d.password.SetText(davtest.Password) })
	tapLocked(u, d.test)
	u.wait()
	if got := d.result.Text; !strings.Contains(got, "Connected as rep") {
		t.Errorf("Test connection says %q", got)
	}
	tapLocked(u, d.save)
	u.wait()
	if u.syncSettings != nil {
		t.Fatalf("the sync settings stay open: %s", d.result.Text)
	}
	if pw, err := secret.Get(srv.URL, davtest.User); err != nil || pw != davtest.Password {
		t.Errorf("keyring holds %q (%v)", pw, err)
	}
	st, _ := u.store.SyncAccount(context.Background())
	if st == nil || st.URL != srv.URL {
		t.Fatalf("account stored: %+v", st)
	}
}

// Set up in the window, the first sync pulls the other laptop's customer
// and pushes ours; the footer says when it synced and what waits; Sync
// now sends an edit.
func TestSyncStatusAndSyncNow(t *testing.T) {
	useMemoryKeyring(t)
	srv := davtest.Radicale(t)
	other := otherLaptop(t, srv, person("Ben", "Baker", "Bakery"))
	u, s := newTestUI(t, person("Ann", "Archer", "Acme"))
	if u.sync.footer.Visible() {
		t.Errorf("a footer before sync is set up: %q", footerText(u))
	}
	setUpSync(t, u, srv)
	if got := footerText(u); got != "Synced just now" {
		t.Errorf("footer after the first sync: %q", got)
	}
	onUI(u, func() {
		f := u.sync.footer
		if !f.Visible() || f.Size().Height < f.MinSize().Height || f.Size().Width < 600 {
			t.Errorf("the footer is laid out at %v (min %v)", f.Size(), f.MinSize())
		}
	})
	if names := listNames(u); len(names) != 2 {
		t.Errorf("the list after the first sync: %v (want Ann and Ben, without a restart)", names)
	}
	if sum := otherSync(t, other); sum.New != 1 {
		t.Errorf("the other laptop got %+v, want Ann", sum)
	}

	// An edit here waits, and the footer says so.
	id := customerID(t, s, "Ann Archer")
	c, err := s.Customer(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	c.Title = "Buyer"
	onUI(u, func() {
		u.save("save", func() error { return s.UpdateCustomer(context.Background(), c) }, nil)
	})
	u.wait()
	if got := footerText(u); got != "Synced just now · 1 change waiting" {
		t.Errorf("footer with an edit waiting: %q", got)
	}
	// Sync now, from its shortcut.
	onUI(u, func() { u.win.Canvas().(fyne.Shortcutable).TypedShortcut(scSync) })
	u.wait()
	if got := footerText(u); got != "Synced just now" {
		t.Errorf("footer after Sync now: %q", got)
	}
	otherSync(t, other)
	if got, _, err := other.CustomerByUID(context.Background(), c.UID); err != nil || got.Title != "Buyer" {
		t.Errorf("the other laptop has %+v (%v), want the title sent", got, err)
	}
	if it := menuItem(u, "Sync now"); it == nil || it.Shortcut != scSync {
		t.Error("no Sync now in the menu with Ctrl+Shift+S")
	}

	// Pulled while the customer's page is open: the page shows it.
	openCustomer(t, u, id)
	oc, _, _ := other.CustomerByUID(context.Background(), c.UID)
	oc.Nickname = "Annie"
	if err := other.UpdateCustomer(context.Background(), oc); err != nil {
		t.Fatal(err)
	}
	otherSync(t, other)
	onUI(u, func() { u.sync.start(false) })
	u.wait()
	if !strings.Contains(joined(u.customer.root), "Annie") {
		t.Errorf("the page after a sync that pulled a nickname:\n%s", joined(u.customer.root))
	}

	// Stop syncing: the account and the saved password go, the customers stay.
	onUI(u, u.onSyncSettings)
	u.wait()
	tapLocked(u, findButton(topDialog(t, u), "Stop syncing…"))
	tapLocked(u, findButton(topDialog(t, u), "Yes"))
	u.wait()
	if _, err := s.SyncAccount(context.Background()); err == nil {
		t.Error("the account is still set up")
	}
	if _, err := secret.Get(srv.URL, davtest.User); err == nil {
		t.Error("the password is still in the keyring")
	}
	if u.sync.footer.Visible() || u.syncSettings != nil {
		t.Errorf("after Stop syncing: footer %q, settings open %v", footerText(u), u.syncSettings != nil)
	}
	if n := count(t, s); n != 2 {
		t.Errorf("%d customers after Stop syncing, want 2", n)
	}
}

// The same field changed on both laptops: the footer offers the conflict,
// the dialog shows both values side by side, and keeping theirs settles it
// here and, at the next sync, everywhere.
func TestSyncConflictDialog(t *testing.T) {
	useMemoryKeyring(t)
	ctx := context.Background()
	srv := davtest.Radicale(t)
	other := otherLaptop(t, srv, person("Cleo", "Cole", "Coal Co"))
	u, s := newTestUI(t)
	setUpSync(t, u, srv)
	mine, _ := s.Search(ctx, "Cleo", 1)
	if len(mine) != 1 {
		t.Fatal("Cleo was not pulled")
	}
	c, _ := s.Customer(ctx, mine[0].ID)
	c.Title = "Owner"
	if err := s.UpdateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	oc, _, _ := other.CustomerByUID(ctx, c.UID)
	oc.Title = "Director"
	if err := other.UpdateCustomer(ctx, oc); err != nil {
		t.Fatal(err)
	}
	otherSync(t, other)
	onUI(u, func() { u.sync.start(true) })
	u.wait()
	var link string
	onUI(u, func() {
		if u.sync.conflictsLink.Visible() {
			link = u.sync.conflictsLink.Text
		}
	})
	if link != "1 conflict" {
		t.Fatalf("footer %q, conflicts link %q", footerText(u), link)
	}
	onUI(u, func() {
		l := u.sync.conflictsLink // a hyperlink answers taps on its text only
		test.TapAt(l, fyne.NewPos(l.Size().Width/2, l.Size().Height/2))
	})
	u.wait()
	d := u.conflicts
	if d == nil || !d.open() || len(d.list) != 1 {
		t.Fatalf("the conflicts dialog: %+v", d)
	}
	shown := joined(topDialog(t, u))
	for _, want := range []string{"Cleo Cole — job title", "Here (mine)", "Owner", "On the server (theirs)", "Director", "Keep mine", "Keep theirs"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the dialog lacks %q:\n%s", want, shown)
		}
	}
	openCustomer(t, u, c.ID)
	tapLocked(u, d.keepTheirs[d.list[0].ID])
	u.wait()
	if len(d.list) != 0 || !strings.Contains(joined(topDialog(t, u)), "All conflicts are settled") {
		t.Errorf("after Keep theirs the dialog shows:\n%s", joined(topDialog(t, u)))
	}
	if got, _ := s.Customer(ctx, c.ID); got.Title != "Director" {
		t.Errorf("kept theirs, the title here is %q", got.Title)
	}
	if !strings.Contains(joined(u.customer.root), "Director") {
		t.Errorf("the customer page still shows the old title:\n%s", joined(u.customer.root))
	}
	onUI(u, func() {
		if u.sync.conflictsLink.Visible() {
			t.Errorf("the footer still offers %q", u.sync.conflictsLink.Text)
		}
	})
	// Closing the dialog sends the choice.
	tapLocked(u, findButton(topDialog(t, u), "Close"))
	u.wait()
	if got := footerText(u); got != "Synced just now" {
		t.Errorf("footer after the choice was sent: %q", got)
	}
	if sum := otherSync(t, other); sum.Conflicts != 0 {
		t.Errorf("the other laptop has %d conflicts", sum.Conflicts)
	}
}

// setUpAt stores an account for url without asking any server (for
// servers that never answer), with the password in the keyring.
func setUpAt(t *testing.T, s *data.Store, url string) {
	t.Helper()
	err := s.SetSyncAccount(context.Background(), data.SyncAccount{URL: url, User: davtest.User,
		Collections: []data.SyncCollection{{Kind: data.KindContacts, Href: "/rep/rapport/", Name: "Rapport"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := secret.Set(url, davtest.User, davtest.Password); err != nil {
		t.Fatal(err)
	}
}

// No server where the account points: the footer says the changes wait,
// and the automatic sync waits longer each time.
func TestSyncOffline(t *testing.T) {
	useMemoryKeyring(t)
	u, s := newTestUI(t, person("Dora", "Dunn", ""))
	setUpAt(t, s, davtest.Refused(t))
	onUI(u, func() { u.sync.start(false) })
	u.wait()
	if got := footerText(u); got != "Offline: 1 change waits for the next sync" {
		t.Errorf("footer offline: %q", got)
	}
	var wait1, wait2 time.Duration
	onUI(u, func() { wait1 = time.Until(u.sync.next); u.sync.next = time.Time{}; u.sync.autoCheck() })
	u.wait()
	onUI(u, func() { wait2 = time.Until(u.sync.next) })
	if wait1 < syncEvery-time.Minute || wait2 < 2*syncEvery-time.Minute {
		t.Errorf("after offline the next sync is in %v, then %v: no back-off", wait1, wait2)
	}
	if top := u.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("an automatic sync offline opened a dialog: %s", joined(top))
	}
	// As the next start of the window reads it from the database.
	onUI(u, func() {
		u.sync.lastErr, u.sync.lastSum = nil, nil
		u.sync.render()
	})
	if got := footerText(u); got != "Offline: 1 change waits for the next sync" {
		t.Errorf("footer from the stored error: %q", got)
	}
	// The whole error is a click away.
	onUI(u, func() {
		if !u.sync.detailsBtn.Visible() {
			t.Fatal("no Details in the footer after a failed sync")
		}
		test.Tap(u.sync.detailsBtn)
	})
	if msg := joined(topDialog(t, u)); !strings.Contains(msg, "offline: cannot reach 127.0.0.1") {
		t.Errorf("the details say:\n%s", msg)
	}
}

// Sync now before sync is set up opens the settings.
func TestSyncNowNotSetUp(t *testing.T) {
	useMemoryKeyring(t)
	u, _ := newTestUI(t, person("Hal", "Hart", ""))
	onUI(u, func() { u.win.Canvas().(fyne.Shortcutable).TypedShortcut(scSync) })
	u.wait()
	if u.syncSettings == nil {
		t.Fatal("Sync now without an account opened no settings")
	}
	if !strings.Contains(u.syncSettings.ringNote.Text, "keyring") {
		t.Errorf("the settings say %q about the password", u.syncSettings.ringNote.Text)
	}
}

// A server that never answers: the window stays usable, the footer shows
// the sync running with Cancel, and Cancel ends it at once.
func TestSyncCancel(t *testing.T) {
	useMemoryKeyring(t)
	u, s := newTestUI(t, person("Eve", "Ellis", ""))
	setUpAt(t, s, davtest.Hanging(t))
	onUI(u, func() { u.sync.start(true) })
	deadline := time.Now().Add(10 * time.Second)
	running := false
	for !running && time.Now().Before(deadline) {
		onUI(u, func() { running = u.sync.cancel != nil && u.sync.cancelBtn.Visible() })
		time.Sleep(20 * time.Millisecond)
	}
	if !running {
		t.Fatalf("no Cancel while syncing; footer %q", footerText(u))
	}
	if got := footerText(u); !strings.HasPrefix(got, "Syncing…") {
		t.Errorf("footer while syncing: %q", got)
	}
	typeSearch(u, "ellis") // the window answers meanwhile
	tapLocked(u, u.sync.cancelBtn)
	u.wait()
	if got := footerText(u); got != "Sync cancelled: 1 change waits for the next sync" {
		t.Errorf("footer after Cancel: %q", got)
	}
	if u.customers.length() != 1 {
		t.Error("the search typed while syncing found nothing")
	}
}

// A read-only database syncs nothing and says so.
func TestSyncReadOnly(t *testing.T) {
	useMemoryKeyring(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	s, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	c := person("Fay", "Fox", "")
	if err := s.CreateCustomer(ctx, &c); err != nil {
		t.Fatal(err)
	}
	setUpAt(t, s, davtest.Refused(t))
	s.Close()
	ro, err := data.OpenWith(ctx, path, data.OpenOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ro.Close() })
	u := New(test.NewTempApp(t), ro)
	onUI(u, func() {
		u.win.Resize(fyne.NewSize(1200, 780))
		u.win.Show()
	})
	u.wait()
	if got := footerText(u); !strings.HasPrefix(got, "Sync paused: the database is read-only") {
		t.Errorf("footer on a read-only database: %q", got)
	}
	onUI(u, func() { u.sync.start(true) })
	u.wait()
	if msg := joined(topDialog(t, u)); !strings.Contains(msg, "read-only") {
		t.Errorf("Sync now on a read-only database says:\n%s", msg)
	}
	if st, _ := engine.Status(ctx, ro); st.LastError != "" {
		t.Errorf("a sync ran: %q", st.LastError)
	}
}

// No keyring: Settings says so, Sync now asks for the password, and the
// password is never stored in the database.
func TestSyncWithoutKeyring(t *testing.T) {
	useMemoryKeyring(t)
	t.Setenv(secret.EnvKeyring, "none")
	srv := davtest.Radicale(t)
	u, s := newTestUI(t, person("Gus", "Grant", ""))
	if _, err := engine.Configure(context.Background(), s, srv.URL, davtest.User, "", engine.Options{Password: davtest.Password}); err != nil {
		t.Fatal(err)
	}
	onUI(u, u.onSyncSettings)
	u.wait()
	if d := u.syncSettings; d == nil || !strings.Contains(d.ringNote.Text, "No keyring") {
		t.Fatalf("the settings do not say there is no keyring")
	}
	tapLocked(u, findButton(topDialog(t, u), "Cancel"))
	onUI(u, func() { u.sync.start(true) })
	u.wait()
	d := u.sync.pwDialog
	if d == nil {
		t.Fatalf("Sync now asked for no password; footer %q", footerText(u))
	}
	if !strings.Contains(joined(topDialog(t, u)), "No keyring is running") {
		t.Errorf("the password dialog says:\n%s", joined(topDialog(t, u)))
	}
	onUI(u, func() {
		d.entry.SetText(davtest.Password)
		d.remember.SetChecked(false)
	})
	tapLocked(u, d.ok)
	u.wait()
	if got := footerText(u); got != "Synced just now" {
		t.Errorf("footer after a sync with the typed password: %q", got)
	}
	if u.sync.password != "" {
		t.Error("the password was kept though not asked to")
	}
	raw, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), davtest.Password) {
		t.Error("the password is in the database file")
	}
}

// A visit another laptop planned for today and a follow-up ticked off
// there show in Today after Sync now, without a restart, saying where they
// were changed.
func TestSyncedVisitShowsInToday(t *testing.T) {
	useMemoryKeyring(t)
	srv := davtest.Radicale(t)
	other := otherLaptop(t, srv, person("Ben", "Baker", "Bakery"))
	u, _ := newTestUI(t, person("Ann", "Archer", "Acme"))
	setUpSync(t, u, srv)
	ctx := context.Background()
	cs, err := other.Search(ctx, "Baker", 1)
	if err != nil || len(cs) != 1 {
		t.Fatalf("Ben on the other laptop: %v %v", cs, err)
	}
	ben := cs[0]
	at := time.Now().Add(time.Hour).Truncate(time.Minute)
	if err := other.PlanVisit(ctx, &data.PlannedVisit{CustomerID: ben.ID, At: at, Duration: 30 * time.Minute, Purpose: "tasting of the new rye"}); err != nil {
		t.Fatal(err)
	}
	if sum := otherSync(t, other); sum.Calendar.Created != 1 {
		t.Fatalf("the other laptop sent %+v", sum)
	}
	onUI(u, u.showToday)
	onUI(u, func() { u.win.Canvas().(fyne.Shortcutable).TypedShortcut(scSync) })
	u.wait()
	got := joined(u.today.root)
	if !strings.Contains(got, "Ben Baker") || !strings.Contains(got, "tasting of the new rye") || !strings.Contains(got, "changed on") {
		t.Errorf("Today after a sync that pulled a visit:\n%s", got)
	}
}
