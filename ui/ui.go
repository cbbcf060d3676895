// Package ui is Rapport's window: the customer list on the left, the selected
// customer as a person on the right, and the dialogs that change them.
//
// Everything that touches the store runs off the UI goroutine (UI.run), and
// comes back to the widgets through fyne.Do (UI.do).
package ui

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/assets"
	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

// UI is Rapport's main window and the screens in it.
type UI struct {
	app   fyne.App
	win   fyne.Window
	store *data.Store
	ctx   context.Context

	jobs jobs
	doMu sync.Mutex // see do

	customers *customerList
	customer  *customerScreen
	welcome   *welcomeScreen
	importer  *importer
	exporter  *exporter
	today     *todayScreen
	briefing  *briefingScreen
	backups   *backups
	sync      *syncer
	// The sync dialogs open, if any (tests drive them).
	conflicts    *conflictsDialog
	syncSettings *syncSettings

	// right is the right side of split: the Today view, the customer or a
	// briefing; pane says which.
	right *fyne.Container
	pane  string

	body     *fyne.Container // holds either the welcome screen or split
	split    *container.Split
	showing  fyne.CanvasObject
	busy     *widget.ProgressBarInfinite
	busyText *widget.Label
	busyBar  *fyne.Container
	waiting  bool // the busy bar says a write waits for another Rapport

	guard *guard // read-only banner and the checks of the database file

	// editor is the customer form dialog that is open, if any (tests drive it).
	editor *customerEditor
	// The dialogs most recently opened (tests drive them).
	logDialog     *logDialog
	noteDialog    *noteDialog
	profileDialog *profileDialog
	picker        *customerPicker

	concernDialog, followUpDialog, visitDialog, settingsDialog *formDialog
	followUpForm                                               *followUpForm
	visitForm                                                  *visitForm
	settingsEntry                                              *widget.Entry
	settingsDates                                              *keySelect

	// systemLocale is how the user's locale writes dates, before the format
	// chosen in Settings is laid over it.
	systemLocale locale.Locale
}

// New builds the main window on the store. Call ShowAndRun to open it.
func New(a fyne.App, s *data.Store) *UI {
	u := &UI{app: a, store: s, ctx: context.Background()}
	u.systemLocale = locale.Current()
	locale.Set(u.systemLocale.WithDateFormat(u.dateFormat()))
	u.win = a.NewWindow("Rapport")
	u.win.SetIcon(appIcon)
	u.sizeWindow()
	a.Lifecycle().SetOnExitedForeground(u.rememberWindow)
	u.win.SetOnClosed(func() {
		u.rememberWindow()
		// Fyne reports the focus lost once more after the window is
		// destroyed, when the window's size is no longer the one it had.
		a.Lifecycle().SetOnExitedForeground(nil)
	})
	u.win.SetMaster()

	u.customers = newCustomerList(u)
	u.customer = newCustomerScreen(u)
	u.welcome = newWelcomeScreen(u)
	u.importer = newImporter(u)
	u.exporter = newExporter(u)
	u.today = newTodayScreen(u)
	u.briefing = newBriefingScreen(u)
	u.backups = newBackups(u)
	u.sync = newSyncer(u)

	u.right = container.NewStack(u.today.build())
	u.pane = paneToday
	u.customer.build()
	u.briefing.build()
	u.split = container.NewHSplit(u.customers.build(), u.right)
	u.split.Offset = 0.27
	u.busy = widget.NewProgressBarInfinite()
	u.busy.Stop()
	u.busyText = widget.NewLabel("")
	u.busyBar = container.NewBorder(nil, nil, u.busyText, nil, u.busy)
	u.busyBar.Hide()
	u.body = container.NewStack()
	u.guard = newGuard(u)
	u.win.SetContent(container.NewBorder(u.guard.banner, u.sync.build(u.busyBar), nil, nil, u.body))
	u.win.SetMainMenu(u.buildMenu())
	u.guard.attach(s)
	u.addShortcuts()
	u.addDialogKeys()
	u.win.SetOnDropped(u.importer.onDropped)

	u.customers.reload(true) // then the Today view, if there are customers
	u.notifyOverdue()
	return u
}

var appIcon = fyne.NewStaticResource("icon.png", assets.Icon)

// Window returns the main window.
func (u *UI) Window() fyne.Window { return u.win }

// ShowAndRun opens the window, takes the daily backups and watches that the
// database file stays where it is while it runs, and closes the store when
// it is closed: after a restore that is another Store than New got (closing
// that one again is harmless).
func (u *UI) ShowAndRun() {
	u.backups.startDaily()
	go u.guard.watchFile()
	u.sync.startAuto(u.guard.stop)
	u.win.ShowAndRun()
	close(u.guard.stop)
	u.store.Close()
}

// showMain shows the list and the customer screen (there are customers).
func (u *UI) showMain() { u.show(u.split) }

// showWelcome shows the first-run screen (the database is empty).
func (u *UI) showWelcome() { u.show(u.welcome.build()) }

func (u *UI) show(o fyne.CanvasObject) {
	if u.showing == o {
		return
	}
	u.showing = o
	u.body.Objects = []fyne.CanvasObject{o}
	u.body.Refresh()
}

// setBusy shows or hides the activity bar at the bottom of the window.
func (u *UI) setBusy(text string) {
	if text == "" {
		u.busy.Stop()
		u.busyBar.Hide()
		return
	}
	u.busyText.SetText(text)
	u.busyBar.Show()
	u.busy.Start()
}

func (u *UI) buildMenu() *fyne.MainMenu {
	newItem := fyne.NewMenuItem("New customer…", u.onNewCustomer)
	newItem.Shortcut = scNew
	sample := fyne.NewMenuItem("Load sample customers", u.onLoadSample)
	importItem := fyne.NewMenuItem("Import vCards…", u.importer.onOpen)
	importItem.Shortcut = scImport
	undoImport := fyne.NewMenuItem("Undo last import…", u.importer.onUndo)
	exportItem := fyne.NewMenuItem("Export vCards…", u.exporter.onExport)
	exportItem.Shortcut = scExport
	u.guard.writing = []*fyne.MenuItem{newItem, sample, importItem, undoImport}
	backupItem := fyne.NewMenuItem("Back up now…", u.backups.onBackupNow)
	restoreItem := fyne.NewMenuItem("Restore from backup…", u.backups.onRestore)
	// Fyne adds Quit to the first menu itself.
	file := fyne.NewMenu("File", newItem, fyne.NewMenuItemSeparator(), importItem, undoImport, exportItem,
		fyne.NewMenuItemSeparator(), backupItem, restoreItem, fyne.NewMenuItemSeparator())
	file.Items = append(file.Items, u.sync.menuItems()...)
	file.Items = append(file.Items,
		fyne.NewMenuItemSeparator(), sample, fyne.NewMenuItem("Settings…", u.onSettings))

	edit := fyne.NewMenuItem("Edit…", func() { u.customer.onEdit() })
	logItem := fyne.NewMenuItem("Log interaction…", func() { u.customer.onLog() })
	logItem.Shortcut = scLog
	note := fyne.NewMenuItem("Add note…", func() { u.customer.onAddNote() })
	note.Shortcut = scNote
	del := fyne.NewMenuItem("Delete…", func() { u.customer.onDelete() })
	exportOne := fyne.NewMenuItem("Export as vCard…", u.exporter.onExportCustomer)
	cust := fyne.NewMenu("Customer", edit, logItem, note, exportOne, fyne.NewMenuItemSeparator(), del)
	u.guard.writing = append(u.guard.writing, edit, logItem, note, del)

	find := fyne.NewMenuItem("Find customer", u.customers.focusSearch)
	find.Shortcut = scFind
	todayItem := fyne.NewMenuItem("Today", u.showToday)
	todayItem.Shortcut = scToday
	brief := fyne.NewMenuItem("Briefing", u.onBriefing)
	brief.Shortcut = scBrief
	view := fyne.NewMenu("View", todayItem, brief, find)

	help := fyne.NewMenu("Help",
		fyne.NewMenuItem("Keyboard shortcuts", u.onShowShortcuts),
		fyne.NewMenuItem("About Rapport", u.onAbout))
	return fyne.NewMainMenu(file, cust, view, help)
}

var (
	scFind = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	scNew  = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	scLog  = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}
	scNote = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}

	scToday = &desktop.CustomShortcut{KeyName: fyne.KeyT, Modifier: fyne.KeyModifierShortcutDefault}
	scBrief = &desktop.CustomShortcut{KeyName: fyne.KeyB, Modifier: fyne.KeyModifierShortcutDefault}

	scImport = &desktop.CustomShortcut{KeyName: fyne.KeyI, Modifier: fyne.KeyModifierShortcutDefault}
	scExport = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault}
)

// addShortcuts registers the shortcuts on the canvas too: the main menu
// handles them in a desktop window, the canvas wherever there is no menu.
func (u *UI) addShortcuts() {
	c := u.win.Canvas()
	c.AddShortcut(scFind, func(fyne.Shortcut) { u.customers.focusSearch() })
	c.AddShortcut(scNew, func(fyne.Shortcut) { u.onNewCustomer() })
	c.AddShortcut(scLog, func(fyne.Shortcut) { u.customer.onLog() })
	c.AddShortcut(scNote, func(fyne.Shortcut) { u.customer.onAddNote() })
	c.AddShortcut(scImport, func(fyne.Shortcut) { u.importer.onOpen() })
	c.AddShortcut(scExport, func(fyne.Shortcut) { u.exporter.onExport() })
	c.AddShortcut(scToday, func(fyne.Shortcut) { u.showToday() })
	c.AddShortcut(scBrief, func(fyne.Shortcut) { u.onBriefing() })
	c.AddShortcut(scSync, func(fyne.Shortcut) { u.sync.start(true) })
	// Ctrl+Z reaches the canvas only when no text field has the focus (the
	// field undoes its typing then), so it is not on a menu: a menu would take
	// it from the fields.
	c.AddShortcut(&fyne.ShortcutUndo{}, func(fyne.Shortcut) { u.onUndo() })
}

const shortcutHelp = `Ctrl+T	Today: visits, follow-ups and whom to contact
Ctrl+B	Briefing on the customer shown (on Today: choose whom), to read before a visit
Ctrl+F	Find a customer (Esc clears the search, Enter opens the first match)
Ctrl+N	New customer
Ctrl+L	Log a visit, call or meeting with the customer shown (on Today: choose whom)
Ctrl+Shift+N	Add a note about the customer shown (on Today: choose whom)
Ctrl+I	Import vCard files (or drop .vcf files on the window)
Ctrl+E	Export customers as vCards
Ctrl+Shift+S	Sync now with the server set in File ▸ Sync settings
Ctrl+Z	Undo the follow-up just marked done or snoozed
Esc	In a dialog: cancel or close it, wherever the focus is
Enter	In a dialog: save it (Ctrl+Enter in a multi-line field); never a deletion`

func (u *UI) onShowShortcuts() {
	grid := container.New(layout.NewFormLayout())
	for _, line := range strings.Split(shortcutHelp, "\n") {
		k, v, _ := strings.Cut(line, "\t")
		grid.Add(widget.NewLabelWithStyle(k, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		grid.Add(widget.NewLabel(v))
	}
	showCustom("Keyboard shortcuts", "Close", grid, u.win)
}

func (u *UI) onAbout() {
	meta := u.app.Metadata()
	version := meta.Version
	if version == "" {
		version = "development build"
	}
	msg := widget.NewLabel("Rapport keeps your customers as people: their family, pets and hobbies,\n" +
		"every visit and call, and what you promised them.\n\n" +
		"Everything stays on this computer, in one file.\nVersion " + version)
	showCustom("About Rapport", "Close", container.NewHBox(
		container.NewGridWrap(fyne.NewSize(64, 64), widget.NewIcon(appIcon)), msg), u.win)
}

// onNewCustomer opens the empty customer form.
func (u *UI) onNewCustomer() { u.openEditor(nil) }

// onLoadSample adds the sample customers, then shows the first of them.
func (u *UI) onLoadSample() {
	if !u.guard.writable() {
		return
	}
	u.setBusy("Loading sample customers…")
	u.welcome.setLoading(true)
	u.run(func() {
		ds, err := data.ReadDataset(bytes.NewReader(assets.SampleJSON))
		n := 0
		if err == nil {
			n, err = u.store.LoadDataset(u.ctx, ds, time.Now())
		}
		u.do(func() {
			u.setBusy("")
			u.welcome.setLoading(false)
			if err != nil {
				u.showError("Could not load the sample customers", err)
				return
			}
			if n == 0 {
				showInformation("Sample customers", "The sample customers are already here.", u.win)
			} else {
				u.customers.selectedID = 0 // show the first of them
			}
			u.customers.clearSearch()
			u.customers.reload(true)
		})
	})
}

// customerChanged refreshes the list and shows customer id (0: none).
func (u *UI) customerChanged(id int64) {
	u.sync.refresh() // the changes waiting
	u.customers.reload(id == 0)
	if id != 0 {
		u.showPane(paneCustomer)
		u.customers.selectedID = id
		u.customer.load(id)
	} else {
		u.customer.clear()
	}
}

// jobs counts background work so tests can wait for it to settle.
type jobs struct {
	mu   sync.Mutex
	n    int
	idle *sync.Cond
}

func (j *jobs) add(delta int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.idle == nil {
		j.idle = sync.NewCond(&j.mu)
	}
	j.n += delta
	j.idle.Broadcast() // for wait and waitFor
}

// wait blocks until no job is running or scheduled.
func (j *jobs) wait() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.idle == nil {
		j.idle = sync.NewCond(&j.mu)
	}
	j.waitFor(0)
}

// waitFor blocks until at most n jobs are running or scheduled (call it
// with the lock held).
func (j *jobs) waitFor(n int) {
	for j.n > n {
		j.idle.Wait()
	}
}

// do runs fn on the UI goroutine: call it from background work (never from
// the UI goroutine) to show results. The lock changes nothing in the app,
// where fyne.Do runs everything on one goroutine; the test driver runs
// fyne.Do at once on the calling goroutine, and the lock keeps two jobs
// from changing widgets at the same time there.
func (u *UI) do(fn func()) {
	fyne.Do(func() {
		u.doMu.Lock()
		defer u.doMu.Unlock()
		fn()
	})
}

// run does fn on a new goroutine; fn reports back with u.do.
func (u *UI) run(fn func()) {
	u.jobs.add(1)
	go func() {
		defer u.jobs.add(-1)
		fn()
	}()
}

// runAlone does fn on a new goroutine once no other background work is
// running: a restore closes the store the others use. Only one at a time.
func (u *UI) runAlone(fn func()) {
	u.jobs.add(1)
	go func() {
		defer u.jobs.add(-1)
		u.jobs.mu.Lock()
		u.jobs.waitFor(1) // this one
		u.jobs.mu.Unlock()
		fn()
	}()
}

// wait blocks until all background work (and, under the test driver, its
// fyne.Do updates) is done.
func (u *UI) wait() { u.jobs.wait() }
