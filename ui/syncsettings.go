package ui

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/emersion/go-webdav/carddav"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/dav"
	"github.com/rapportcrm/rapport/data/sync/engine"
	"github.com/rapportcrm/rapport/data/sync/secret"
)

// setupWait bounds "Test connection" and Save in the settings: discovery is
// a few requests, each with the engine's own timeout; this keeps the dialog
// from waiting minutes on a server that answers slowly.
const setupWait = 30 * time.Second

// syncSettings is Settings ▸ Sync: the server, the user, the password (kept
// in the keyring, never in the database) and the address book.
type syncSettings struct {
	u   *UI
	dlg *dialog.CustomDialog

	url, user, book *formEntry
	password        *formEntry
	ringNote        *widget.Label
	result          *widget.Label // what Test connection or Save found
	test, save      *keyButton
	stop            *keyButton

	// What was set up when the dialog opened ("" when nothing).
	oldURL, oldUser string
	saved           bool // a password for it is in the keyring
	noRing          bool
	// cancel stops a test or save that runs when the dialog closes.
	cancel context.CancelFunc
}

// syncItem is the Sync line of the Settings dialog.
func (u *UI) syncItem() *widget.FormItem {
	b := widget.NewButtonWithIcon("Sync settings…", theme.ViewRefreshIcon(), u.onSyncSettings)
	return &widget.FormItem{Text: "Sync", Widget: container.NewHBox(b),
		HintText: "Share the customers with your team and your phone through a CardDAV server."}
}

// onSyncSettings reads what is set up, then opens the dialog.
func (u *UI) onSyncSettings() {
	st := u.store
	u.run(func() {
		acct, err := st.SyncAccount(u.ctx)
		if errors.Is(err, data.ErrNoSync) {
			acct, err = nil, nil
		}
		saved, noRing := false, false
		if acct != nil {
			_, perr := secret.Get(acct.URL, acct.User)
			saved, noRing = perr == nil, errors.Is(perr, secret.ErrNoKeyring)
		} else {
			_, perr := secret.Get("", "")
			noRing = errors.Is(perr, secret.ErrNoKeyring)
		}
		u.do(func() {
			if err != nil {
				u.showError("Could not read the sync settings", err)
				return
			}
			u.openSyncSettings(acct, saved, noRing)
		})
	})
}

func (u *UI) openSyncSettings(acct *data.SyncAccount, saved, noRing bool) {
	d := &syncSettings{u: u, saved: saved, noRing: noRing}
	u.syncSettings = d
	d.url = newEntry("https://cloud.example.com")
	d.user = newEntry("")
	d.password = newEntry("")
	d.password.Password = true
	d.book = newEntry(engine.DefaultBook)
	if acct != nil {
		d.oldURL, d.oldUser = acct.URL, acct.User
		d.url.SetText(acct.URL)
		d.user.SetText(acct.User)
		if c := acct.Collection(data.KindContacts); c != nil && c.Name != "" {
			d.book.SetText(c.Name)
		}
	}
	if saved {
		d.password.SetPlaceHolder("saved in the keyring; type to change")
	}
	d.ringNote = widget.NewLabel(d.keyringText())
	d.ringNote.Wrapping = fyne.TextWrapWord
	d.result = widget.NewLabel("")
	d.result.Wrapping = fyne.TextWrapWord
	d.result.Hide()
	d.test = newKeyButton("Test connection", nil, d.onTest)
	form := widget.NewForm(
		&widget.FormItem{Text: "Server", Widget: d.url,
			HintText: "The address of your CardDAV server (Nextcloud, SOGo, Baïkal, Radicale, Fastmail, iCloud)."},
		&widget.FormItem{Text: "User name", Widget: d.user},
		&widget.FormItem{Text: "Password", Widget: d.password},
		&widget.FormItem{Text: "Address book", Widget: d.book,
			HintText: "Made on the server if it is not there. Phones and colleagues sync with the same one."},
	)
	body := container.NewVBox(form, d.ringNote, container.NewHBox(d.test), d.result)
	cancel := newKeyButton("Cancel", nil, func() { d.dlg.Hide() })
	d.save = newKeyButton("Save", theme.DocumentSaveIcon(), d.onSave)
	d.save.Importance = widget.HighImportance
	buttons := []fyne.CanvasObject{cancel}
	if acct != nil {
		d.stop = newKeyButton("Stop syncing…", nil, d.onStop)
		buttons = append(buttons, d.stop)
	}
	buttons = append(buttons, d.save)
	d.dlg = dialog.NewCustomWithoutButtons("Sync settings", body, u.win)
	d.dlg.SetButtons(buttons)
	d.dlg.SetOnClosed(func() {
		if d.cancel != nil {
			d.cancel()
		}
		if u.syncSettings == d {
			u.syncSettings = nil
		}
	})
	d.dlg.Resize(fyne.NewSize(600, body.MinSize().Height+120))
	d.dlg.Show()
}

func (d *syncSettings) keyringText() string {
	if d.noRing {
		return "No keyring is running on this computer, so the password cannot be kept: " +
			"Rapport asks for it when it syncs (and keeps it only until it closes). It is never written to the database."
	}
	return "The password is kept in the system's keyring, never in the database."
}

// fields reads the form; msg says what is missing.
func (d *syncSettings) fields() (url, user, book, msg string) {
	url, user, book = trim(d.url.Text), trim(d.user.Text), trim(d.book.Text)
	switch {
	case url == "":
		msg = "Type the server's address."
	case !strings.Contains(url, "://"):
		msg = "Type the server's address with https:// at the front."
	case user == "":
		msg = "Type your user name on the server."
	}
	return url, user, book, msg
}

// passwordFor is the password typed, else the one kept for the account the
// dialog opened with (when the form still names it).
func (d *syncSettings) passwordFor(url, user string) string {
	if d.password.Text != "" {
		return d.password.Text
	}
	if url == d.oldURL && user == d.oldUser {
		return d.u.sync.password
	}
	return ""
}

func (d *syncSettings) say(msg string) {
	d.result.SetText(msg)
	d.result.Show()
	d.dlg.Resize(fyne.NewSize(600, d.dlg.MinSize().Height))
}

// busy starts a test or save off the UI goroutine, bounded by setupWait
// and cancelled when the dialog closes.
func (d *syncSettings) busy(what string) context.Context {
	if d.cancel != nil {
		d.cancel()
	}
	ctx, cancel := context.WithTimeout(d.u.ctx, setupWait)
	d.cancel = cancel
	d.test.Disable()
	d.save.Disable()
	d.say(what)
	return ctx
}

func (d *syncSettings) idle() {
	d.test.Enable()
	d.save.Enable()
}

// onTest finds the address books without storing anything.
func (d *syncSettings) onTest() {
	url, user, book, msg := d.fields()
	if msg != "" {
		d.say(msg)
		return
	}
	pw := d.passwordFor(url, user)
	useSaved := pw == "" && d.saved && url == d.oldURL && user == d.oldUser
	ctx := d.busy("Connecting to " + url + "…")
	d.u.run(func() {
		if useSaved {
			pw, _, _ = lookupPassword(url, user)
		}
		acct, err := engine.Test(ctx, url, user, engine.Options{Password: pw})
		d.u.do(func() {
			d.idle()
			if err != nil {
				d.say("Could not connect: " + setupErrorText(err))
				return
			}
			d.say(testResult(acct.Books, user, book))
		})
	})
}

// setupErrorText words a failed test or set-up.
func setupErrorText(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("the server did not finish answering within %s.", setupWait)
	}
	return err.Error() + "."
}

// testResult says what Test connection found.
func testResult(books []carddav.AddressBook, user, book string) string {
	if book == "" {
		book = engine.DefaultBook
	}
	var names []string
	found := false
	for _, b := range books {
		n := b.Name
		if n == "" {
			n = b.Path
		}
		names = append(names, n)
		if n == book || path.Base(strings.TrimSuffix(b.Path, "/")) == book {
			found = true
		}
	}
	msg := "Connected as " + user + "."
	if len(names) == 0 {
		msg += " The account has no address book yet."
	} else {
		msg += " Address books: " + strings.Join(names, ", ") + "."
	}
	if found {
		msg += " “" + book + "” is there: Save syncs with it."
	} else {
		msg += " “" + book + "” is not there yet: Save makes it."
	}
	return msg
}

// onSave stores the account, keeps the password in the keyring and syncs.
func (d *syncSettings) onSave() {
	if !d.u.guard.writable() {
		return
	}
	url, user, book, msg := d.fields()
	if msg != "" {
		d.say(msg)
		return
	}
	pw := d.passwordFor(url, user)
	typed := d.password.Text != ""
	useSaved := pw == "" && d.saved && url == d.oldURL && user == d.oldUser
	if pw == "" && !useSaved {
		d.say("Type the password.")
		return
	}
	oldURL, oldUser := d.oldURL, d.oldUser
	ctx := d.busy("Setting up sync with " + url + "…")
	st := d.u.store
	d.u.run(func() {
		if useSaved {
			pw, _, _ = lookupPassword(url, user)
		}
		setup, err := engine.Configure(ctx, st, url, user, book, engine.Options{Password: pw})
		var ringErr error
		if err == nil && typed {
			ringErr = secret.Set(url, user, pw)
			if ringErr == nil && oldURL != "" && (oldURL != url || oldUser != user) {
				_ = secret.Delete(oldURL, oldUser) // the old account's password is of no more use
			}
		}
		d.u.do(func() {
			d.idle()
			if err != nil {
				d.say("Not saved: " + setupErrorText(err))
				return
			}
			s := d.u.sync
			switch {
			case ringErr == nil:
				s.password = ""
			case errors.Is(ringErr, secret.ErrNoKeyring):
				s.password = pw // typed in this window: kept in memory until it closes
			default:
				d.say("Set up, but the password could not be saved in the keyring: " + ringErr.Error())
				s.password = pw
			}
			d.dlg.Hide()
			s.autoOff, s.lastErr, s.lastSum, s.backoff = "", nil, nil, 0
			if setup.Created || (setup.Calendar != "" && setup.CalendarHow != string(dav.Found)) {
				made := "The address book “" + setup.BookName + "” was made on " + url + "."
				if !setup.Created {
					made = "The address book “" + setup.BookName + "” was found on " + url + "."
				}
				if setup.Calendar != "" {
					made += "\nVisits, follow-ups, history and concerns go to its calendar “" + engine.DefaultCalendar + "”."
				}
				showInformation("Sync is set up", made+"\nThe first sync runs now; after that Rapport syncs every few minutes while it is open.", d.u.win)
			}
			s.refresh()
			s.run(pw)
		})
	})
}

// onStop forgets the account after asking; the customers stay, the
// server is left as it is.
func (d *syncSettings) onStop() {
	if !d.u.guard.writable() {
		return
	}
	url, user := d.oldURL, d.oldUser
	showDialog(dialog.NewConfirm("Stop syncing?", "Rapport stops syncing with "+url+".\nThe customers stay here and on the server as they are;\n"+
		"changes not yet sent are not sent.", func(ok bool) {
		if !ok {
			return
		}
		st := d.u.store
		d.u.run(func() {
			err := st.RemoveSyncAccount(d.u.ctx)
			if err == nil {
				_ = secret.Delete(url, user)
			}
			d.u.do(func() {
				if err != nil {
					d.u.showError("Could not stop syncing", err)
					return
				}
				d.dlg.Hide()
				d.u.sync.password, d.u.sync.lastErr, d.u.sync.lastSum = "", nil, nil
				d.u.sync.refresh()
			})
		})
	}, d.u.win), d.u.win)
}
