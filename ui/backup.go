package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

// backups is File ▸ Back up now… and File ▸ Restore from backup…, and the
// daily backup while the window is open. A restore closes the store, lets
// data.Restore swap the files, opens the database again and reloads every
// screen on it.
type backups struct {
	u *UI

	// UI goroutine only; tests drive the dialogs.
	running bool // a backup or restore is under way

	progress   *progressDialog
	dlg        *dialog.CustomDialog // the list of backups to restore from
	list       *keyList
	items      []data.BackupInfo
	chosen     int // index in items, -1 for none
	hint       *widget.Label
	restoreBtn *keyButton
	chooseBtn  *keyButton

	summary     string // what the last backup or restore reported
	dailyFailed bool   // the failure was shown; not again every hour
}

func newBackups(u *UI) *backups { return &backups{u: u, chosen: -1} }

// onBackupNow (File ▸ Back up now…) writes a backup into the backups folder
// and says where.
func (b *backups) onBackupNow() {
	if b.running {
		return
	}
	b.running = true
	p := b.u.newProgress("Back up now", "Writing a copy of your customers…", nil)
	b.progress = p
	p.dlg.Show()
	st := b.u.store
	b.u.run(func() {
		path, err := st.AutoBackup(b.u.ctx, data.ReasonManual)
		n := -1
		if err == nil {
			if info, errList := backupAt(b.u, st.Path(), path); errList == nil {
				n = info.Customers
			}
		}
		b.u.do(func() {
			b.running = false
			p.hide()
			if err != nil {
				b.u.showError("Could not back up", err)
				return
			}
			what := "A copy of your database"
			if n >= 0 {
				what = "A copy of your " + countOf(n, "customer")
			}
			b.summary = what + " is in\n" + path
			showInformation("Backed up", b.summary, b.u.win)
		})
	})
}

// backupAt finds the backup at path in the list beside dbPath.
func backupAt(u *UI, dbPath, path string) (data.BackupInfo, error) {
	list, err := data.ListBackups(u.ctx, dbPath)
	if err != nil {
		return data.BackupInfo{}, err
	}
	for _, bi := range list {
		if bi.Path == path {
			return bi, bi.Err
		}
	}
	return data.BackupInfo{}, errors.New("not listed")
}

// onRestore (File ▸ Restore from backup…) lists the backups to choose from.
func (b *backups) onRestore() {
	if b.running {
		return
	}
	dbPath := b.u.store.Path()
	b.u.setBusy("Reading the backups…")
	b.u.run(func() {
		list, err := data.ListBackups(b.u.ctx, dbPath)
		b.u.do(func() {
			b.u.setBusy("")
			if err != nil {
				b.u.showError("Could not read the backups", err)
			}
			b.showList(list, data.BackupDir(dbPath))
		})
	})
}

func (b *backups) showList(list []data.BackupInfo, dir string) {
	b.items, b.chosen = list, -1
	b.list = newKeyList(func() int { return len(b.items) }, b.createRow, b.updateRow)
	b.list.OnSelected = b.onSelected
	intro := widget.NewLabel("Choose the backup to go back to. Your current data is not deleted: " +
		"it is kept in the backups folder as a backup of its own.")
	intro.Wrapping = fyne.TextWrapWord
	b.hint = widget.NewLabel("")
	b.hint.Wrapping = fyne.TextWrapWord
	if len(list) == 0 {
		b.hint.SetText("There are no backups in " + dir + " yet. Choose file… restores one kept elsewhere.")
	}
	b.restoreBtn = newKeyButton("Restore", theme.HistoryIcon(), b.onRestoreChosen)
	b.restoreBtn.Importance = widget.HighImportance
	b.restoreBtn.Disable()
	b.chooseBtn = newKeyButton("Choose file…", theme.FolderOpenIcon(), b.onChooseFile)
	cancel := newKeyButton("Cancel", nil, func() { b.dlg.Hide() })
	body := container.NewBorder(intro, b.hint, nil, nil, b.list)
	b.dlg = dialog.NewCustomWithoutButtons("Restore from backup", body, b.u.win)
	b.dlg.SetButtons([]fyne.CanvasObject{cancel, b.chooseBtn, b.restoreBtn})
	b.dlg.Resize(fyne.NewSize(720, 460))
	b.dlg.Show()
}

func (b *backups) createRow() fyne.CanvasObject {
	when := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	what := widget.NewLabel("")
	what.Truncation = fyne.TextTruncateEllipsis
	size := widget.NewLabel("")
	// The dates in a column as wide as the widest one.
	widest := widget.NewLabelWithStyle(formatDateTime(time.Date(2026, 9, 30, 22, 59, 0, 0, time.Local)),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true}).MinSize()
	return container.NewBorder(nil, nil, container.NewGridWrap(widest, when), size, what)
}

func (b *backups) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(b.items) {
		return
	}
	bi := b.items[i]
	row := o.(*fyne.Container)
	what := reasonLabel(bi.Reason) + " · " + countOf(bi.Customers, "customer")
	if bi.Err != nil {
		what = reasonLabel(bi.Reason) + " · cannot be read"
	}
	row.Objects[0].(*widget.Label).SetText(what)
	row.Objects[1].(*fyne.Container).Objects[0].(*widget.Label).SetText(formatDateTime(bi.Time))
	row.Objects[2].(*widget.Label).SetText(locale.FileSize(bi.Size))
}

func (b *backups) onSelected(i widget.ListItemID) {
	if i < 0 || i >= len(b.items) {
		return
	}
	b.chosen = i
	if err := b.items[i].Err; err != nil {
		b.hint.SetText("This backup cannot be read: " + err.Error())
		b.restoreBtn.Disable()
		return
	}
	b.hint.SetText("")
	b.restoreBtn.Enable()
}

// reasonLabel says why a backup was taken, as the list shows it.
func reasonLabel(reason string) string {
	switch reason {
	case data.ReasonDaily:
		return "Daily"
	case data.ReasonManual:
		return "Backed up by hand"
	case data.ReasonPreImport:
		return "Before an import"
	case data.ReasonPreUndo:
		return "Before undoing an import"
	case data.ReasonPreMigration:
		return "Before an upgrade"
	case data.ReasonBeforeRestore:
		return "Set aside by a restore"
	}
	return reason
}

func (b *backups) onRestoreChosen() {
	if b.chosen < 0 || b.chosen >= len(b.items) {
		return
	}
	bi := b.items[b.chosen]
	b.confirm(bi.Path, fmt.Sprintf("the backup of %s (%s, %s)",
		formatDateTime(bi.Time), lowerFirst(reasonLabel(bi.Reason)), countOf(bi.Customers, "customer")))
}

func lowerFirst(s string) string {
	if s != "" && s[0] >= 'A' && s[0] <= 'Z' {
		return string(s[0]-'A'+'a') + s[1:]
	}
	return s
}

// onChooseFile picks a backup kept elsewhere (a USB stick, another
// computer's backups folder).
func (b *backups) onChooseFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			b.u.showError("Could not open the file", err)
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		r.Close()
		b.onFileChosen(path)
	}, b.u.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".db", ".sqlite", ".sqlite3"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// onFileChosen checks a file chosen with Choose file… before asking.
func (b *backups) onFileChosen(path string) {
	b.u.setBusy("Checking " + filepath.Base(path) + "…")
	b.u.run(func() {
		info, err := data.Inspect(b.u.ctx, path)
		b.u.do(func() {
			b.u.setBusy("")
			if err != nil {
				b.u.showError("This file cannot be restored; nothing was changed", err)
				return
			}
			b.confirm(path, fmt.Sprintf("%s (%s)", filepath.Base(path), countOf(info.Customers, "customer")))
		})
	})
}

// confirm asks before replacing the data with the backup at path, which
// what describes.
func (b *backups) confirm(path, what string) {
	msg := "Replace your current data with " + what + "?\n\n" +
		"Your current data is not deleted: it is set aside in the backups folder\n" +
		"as a backup of its own, and you can restore it the same way."
	b.u.confirm("Restore from backup", msg, "Restore", func() { b.restore(path) })
}

// restore puts the backup at from in place, then reloads the window on it.
// It waits for other background work to finish (it uses the store), closes
// the store, and opens the database again whether or not the restore
// worked: a refused restore leaves the old database in place.
func (b *backups) restore(from string) {
	if b.running {
		return
	}
	b.running = true
	if b.dlg != nil {
		b.dlg.Hide()
	}
	p := b.u.newProgress("Restoring", "Checking the backup and putting it in place…", nil)
	b.progress = p
	p.dlg.Show()
	old := b.u.store
	b.u.guard.paused.Store(true)
	b.u.runAlone(func() {
		path := old.Path()
		old.Close()
		setAside, err := data.Restore(b.u.ctx, path, from)
		st, errOpen := data.Open(b.u.ctx, path)
		n := 0
		if errOpen == nil {
			n, errOpen = st.CountCustomers(b.u.ctx)
		}
		b.u.do(func() {
			b.running = false
			p.hide()
			if errOpen != nil {
				b.u.showError("Could not open the database again; quit and start Rapport again", errors.Join(err, errOpen))
				return
			}
			b.u.store = st
			b.u.guard.attach(st)
			b.u.reloadAll()
			if err != nil {
				b.u.showError("Could not restore the backup", err)
				return
			}
			b.summary = "Restored " + countOf(n, "customer") + " from " + filepath.Base(from) + "."
			if setAside != "" {
				b.summary += "\n\nThe data you had before is kept as\n" + setAside
			}
			showInformation("Restored", b.summary, b.u.win)
		})
	})
}

// reloadAll shows the data of a store just opened, from the top: Today,
// the whole list, no customer.
func (u *UI) reloadAll() {
	u.today.undo.hide()
	u.customer.plan.undo.hide()
	u.customers.selectedID = 0
	u.customer.clear()
	u.showPane(paneToday)
	u.customers.clearSearch()
	u.customers.reload(true)
	u.today.load()
}

// startDaily takes the daily backup if it is due, now and then every hour.
func (b *backups) startDaily() {
	b.checkDaily()
	go func() {
		for range time.Tick(time.Hour) {
			b.u.do(b.checkDaily)
		}
	}()
}

// checkDaily (UI goroutine) takes the daily backup off it, if due. A
// failure is shown once, not every hour, until a backup works again.
func (b *backups) checkDaily() {
	if b.running {
		return // a restore is swapping the store
	}
	st := b.u.store
	b.u.run(func() {
		// Once a day, before the day's copy, the full check: a damaged file
		// must not be copied over the good backups.
		if st.ReadOnly() == "" && data.DailyBackupDue(st.Path(), time.Now()) {
			if err := st.IntegrityCheck(b.u.ctx); errors.Is(err, data.ErrDamaged) {
				b.u.do(func() { b.u.guard.onProblem(err) })
				return
			}
		}
		_, err := st.DailyBackup(b.u.ctx, time.Now())
		b.u.do(func() {
			if err == nil {
				b.dailyFailed = false
				return
			}
			if !b.dailyFailed {
				b.dailyFailed = true
				b.u.showError("Could not take today's backup", err)
			}
		})
	})
}
