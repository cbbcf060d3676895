package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/dav"
	"github.com/rapportcrm/rapport/data/sync/engine"
	"github.com/rapportcrm/rapport/data/sync/secret"
)

// The window's side of sync: the status in the footer, Sync now, the
// automatic sync at start and every few minutes, and the password where no
// keyring keeps it. Every sync runs off the UI goroutine and can be
// cancelled; the engine bounds each request with a timeout, so a slow or
// dead server never freezes the window.

const (
	// syncEvery is how often the window syncs while it is open.
	syncEvery = 5 * time.Minute
	// syncBackoffMax bounds the wait after failures (offline, server errors):
	// the wait doubles from syncEvery up to this.
	syncBackoffMax = time.Hour
	// syncTick is how often the footer's "… min ago" is brought up to date
	// and the automatic sync checked for being due.
	syncTick = 30 * time.Second
	// envSyncPassword is read where no keyring runs, as by `rapport sync`.
	envSyncPassword = "RAPPORT_SYNC_PASSWORD"
)

var scSync = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}

// syncer is the sync status, Sync now and the automatic sync. Its fields
// are used on the UI goroutine only.
type syncer struct {
	u *UI

	footer        *fyne.Container
	bottom        *fyne.Container // the activity bar and the footer
	status        *widget.Label
	conflictsLink *widget.Hyperlink
	bar           *widget.ProgressBar
	spin          *widget.ProgressBarInfinite // while the server lists what changed
	barBox        *fyne.Container
	cancelBtn     *widget.Button
	nowBtn        *widget.Button
	detailsBtn    *widget.Button // the whole error or the problems of the last sync
	nowItem       *fyne.MenuItem

	state    *engine.State // as last read; nil before
	readSeq  int
	running  bool
	cancel   context.CancelFunc
	progress engine.Progress
	// lastErr is the error of the last sync in this window; lastSum what it did.
	lastErr error
	lastSum *engine.Summary
	// next is when the automatic sync is due (zero: now, at start);
	// backoff the wait after the last failure; autoOff why it is paused.
	next    time.Time
	backoff time.Duration
	autoOff string
	// password is kept in memory for this window only, where no keyring
	// runs and the user asked for it; never written anywhere.
	password string
	asking   bool // the password dialog is open
	noRing   bool // the keyring was missing at the last look

	// pwDialog is the password dialog open, if any (tests drive it).
	pwDialog *passwordDialog
	// onDone, when set, hears the end of every sync (tests).
	onDone func()

	// progressMu guards these two, used off the UI goroutine.
	progressMu   sync.Mutex
	progressLast time.Time
	closing      context.CancelFunc // the running sync's, for the window's close
}

func newSyncer(u *UI) *syncer { return &syncer{u: u} }

// build makes the footer, under the activity bar at the bottom of the window.
func (s *syncer) build(busyBar fyne.CanvasObject) fyne.CanvasObject {
	s.status = widget.NewLabel("")
	s.status.Truncation = fyne.TextTruncateEllipsis
	s.conflictsLink = widget.NewHyperlink("", nil)
	s.conflictsLink.OnTapped = s.u.onConflicts
	s.conflictsLink.Hide()
	s.bar = widget.NewProgressBar()
	s.spin = widget.NewProgressBarInfinite()
	s.spin.Stop()
	s.barBox = container.NewGridWrap(fyne.NewSize(160, s.bar.MinSize().Height), container.NewStack(s.bar, s.spin))
	s.barBox.Hide()
	s.cancelBtn = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), s.onCancel)
	s.cancelBtn.Hide()
	s.nowBtn = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), func() { s.start(true) })
	s.nowBtn.Importance = widget.LowImportance
	s.detailsBtn = widget.NewButtonWithIcon("Details", theme.InfoIcon(), s.onDetails)
	s.detailsBtn.Importance = widget.LowImportance
	s.detailsBtn.Hide()
	right := container.NewHBox(s.detailsBtn, s.barBox, s.cancelBtn, s.nowBtn)
	s.footer = container.NewBorder(widget.NewSeparator(), nil, nil, right,
		container.NewBorder(nil, nil, nil, s.conflictsLink, s.status))
	s.footer.Hide()
	s.bottom = container.NewVBox(busyBar, s.footer)
	return s.bottom
}

// menuItems are Sync now and the settings, for the File menu.
func (s *syncer) menuItems() []*fyne.MenuItem {
	s.nowItem = fyne.NewMenuItem("Sync now", func() { s.start(true) })
	s.nowItem.Shortcut = scSync
	return []*fyne.MenuItem{s.nowItem,
		fyne.NewMenuItem("Sync conflicts…", s.u.onConflicts),
		fyne.NewMenuItem("Sync settings…", s.u.onSyncSettings)}
}

// startAuto syncs now and then every syncEvery while the window is open
// (until stop closes), backing off after failures.
func (s *syncer) startAuto(stop <-chan struct{}) {
	s.u.do(func() { s.autoCheck() })
	go func() {
		t := time.NewTicker(syncTick)
		defer t.Stop()
		for {
			select {
			case <-stop:
				// The window closed, so fyne.Do runs nothing more: cancel
				// from here. What was sent stays sent; the rest waits.
				s.progressMu.Lock()
				if s.closing != nil {
					s.closing()
				}
				s.progressMu.Unlock()
				return
			case <-t.C:
				s.u.do(func() {
					s.render()
					s.autoCheck()
				})
			}
		}
	}()
}

// autoCheck starts the automatic sync when it is due.
func (s *syncer) autoCheck() {
	if s.running || s.asking || s.autoOff != "" || time.Now().Before(s.next) {
		return
	}
	s.start(false)
}

// refresh reads the sync state (no network) and shows it.
func (s *syncer) refresh() {
	s.readSeq++
	seq, st := s.readSeq, s.u.store
	s.u.run(func() {
		state, err := engine.Status(s.u.ctx, st)
		s.u.do(func() {
			if seq != s.readSeq {
				return
			}
			if err != nil {
				state = nil
				s.lastErr = fmt.Errorf("read the sync state: %w", err)
			}
			s.state = state
			s.render()
		})
	})
}

// render puts the state in the footer.
func (s *syncer) render() {
	if s.footer == nil {
		return // not built yet: an early load failed
	}
	st := s.state
	// Lay out again where a part appears or goes (the bottom bar changes
	// height, the status its width); the test driver does not by itself.
	shape := func() [5]bool {
		return [5]bool{s.footer.Visible(), s.conflictsLink.Visible(), s.barBox.Visible(), s.nowBtn.Visible(), s.detailsBtn.Visible()}
	}
	before := shape()
	defer func() {
		if shape() != before {
			s.bottom.Refresh()
		}
	}()
	if st == nil || !st.Configured {
		s.footer.Hide()
		return
	}
	s.footer.Show()
	s.status.SetText(s.statusText(time.Now()))
	if st.Conflicts > 0 {
		s.conflictsLink.SetText(pluralOf(st.Conflicts, "conflict", "conflicts"))
		s.conflictsLink.Show()
	} else {
		s.conflictsLink.Hide()
	}
	if s.details() != "" && !s.running {
		s.detailsBtn.Show()
	} else {
		s.detailsBtn.Hide()
	}
	if s.running {
		s.barBox.Show()
		s.cancelBtn.Show()
		s.nowBtn.Hide()
		if s.progress.Total > 0 {
			s.spin.Stop()
			s.spin.Hide()
			s.bar.Show()
			s.bar.Max = float64(s.progress.Total)
			s.bar.SetValue(float64(s.progress.Done))
		} else if !s.spin.Visible() || !s.spin.Running() {
			// Asking the server what changed: no count to show yet.
			s.bar.Hide()
			s.spin.Show()
			s.spin.Start()
		}
	} else {
		s.spin.Stop()
		s.barBox.Hide()
		s.cancelBtn.Hide()
		s.nowBtn.Show()
	}
}

// statusText is the footer's line, in words.
func (s *syncer) statusText(now time.Time) string {
	st := s.state
	waiting := ""
	if st.Waiting > 0 {
		waiting = " · " + pluralOf(st.Waiting, "change", "changes") + " waiting"
	}
	if s.running {
		p := s.progress
		switch {
		case p.Total > 0 && p.Phase == "fetching":
			return fmt.Sprintf("Syncing… %d/%d received", p.Done, p.Total)
		case p.Total > 0:
			return fmt.Sprintf("Syncing… %d/%d sent", p.Done, p.Total)
		}
		return "Syncing…"
	}
	if why := s.u.guard.why; why != "" {
		return "Sync paused: the database is read-only, so nothing is synced" + waiting
	}
	if s.lastErr != nil {
		return syncErrorText(s.lastErr, st.Waiting)
	}
	if s.lastErr == nil && s.lastSum == nil && st.LastError != "" {
		// A failure recorded by an earlier run (this window's or the command line's).
		if strings.Contains(st.LastError, "offline: ") { // dav.OfflineError's words
			return "Offline: " + pluralOf(st.Waiting, "change waits", "changes wait") + " for the next sync"
		}
		return "Last sync failed: " + st.LastError
	}
	if s.autoOff != "" {
		if st.LastSync.IsZero() {
			return s.autoOff + waiting
		}
		return "Synced " + ago(now.Sub(st.LastSync)) + waiting + " · " + s.autoOff
	}
	if st.LastSync.IsZero() {
		return "Not synced yet" + waiting
	}
	return "Synced " + ago(now.Sub(st.LastSync)) + waiting
}

// details is what the footer's line leaves out: the whole error, or the
// cards that could not be taken and the customers whose cards were made
// again; "" when there is nothing more to say.
func (s *syncer) details() string {
	var b strings.Builder
	if s.lastErr != nil {
		b.WriteString(capitalize(s.lastErr.Error()) + ".")
	} else if s.lastSum == nil && s.state != nil && s.state.LastError != "" {
		b.WriteString("The last sync failed: " + s.state.LastError + ".")
	}
	if sum := s.lastSum; sum != nil && (len(sum.Problems) > 0 || len(sum.Recreated) > 0) {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString("The last sync " + sum.String() + ".")
		for _, n := range sum.Recreated {
			b.WriteString("\n• " + n + ": deleted on the server but changed here, so kept and sent again.")
		}
		for _, p := range sum.Problems {
			b.WriteString("\n• " + p)
		}
	}
	return b.String()
}

func (s *syncer) onDetails() {
	msg := widget.NewLabel(s.details())
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Sync", "Close", container.NewVScroll(msg), s.u.win)
	d.Resize(fyne.NewSize(620, 320))
	showDialog(d, s.u.win)
}

// syncErrorText says in words why a sync failed.
func syncErrorText(err error, waiting int) string {
	wait := pluralOf(waiting, "change waits", "changes wait") + " for the next sync"
	switch {
	case errors.Is(err, context.Canceled):
		return "Sync cancelled: " + wait
	case errors.Is(err, dav.ErrOffline):
		return "Offline: " + wait
	case errors.Is(err, dav.ErrUnauthorized):
		return "Sync stopped: user name or password wrong (File ▸ Sync settings…)"
	case errors.Is(err, data.ErrReadOnly):
		return "Sync paused: the database is read-only, so nothing is synced"
	}
	return "Sync failed: " + err.Error()
}

// ago is how long ago, in words.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return pluralOf(int(d/time.Hour), "hour", "hours") + " ago"
	}
	return pluralOf(int(d/(24*time.Hour)), "day", "days") + " ago"
}

// pluralOf writes a count with the word for one or for many.
func pluralOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// start begins a sync unless one runs. manual: the user asked (Sync now),
// so problems are said in a dialog and sync settings open when none are set.
func (s *syncer) start(manual bool) {
	if s.running || s.asking {
		return
	}
	if s.u.guard.why != "" {
		s.render()
		if manual {
			showInformation("Sync", "The database is read-only, so sync cannot store what it would receive: nothing is synced.\n\n"+s.u.guard.why, s.u.win)
		}
		return
	}
	st := s.u.store
	session := s.password
	s.running = true // no second start while the password is looked up
	s.progress = engine.Progress{}
	s.u.run(func() {
		state, err := engine.Status(s.u.ctx, st)
		if err != nil || !state.Configured {
			s.u.do(func() {
				s.running = false
				if err != nil {
					s.lastErr = err
					s.render()
					if manual {
						s.u.showError("Could not read the sync settings", err)
					}
					return
				}
				s.state = state
				s.render()
				if manual {
					s.u.onSyncSettings()
				}
			})
			return
		}
		pw, noRing, perr := lookupPassword(state.URL, state.User)
		if pw == "" && session != "" {
			pw = session
		}
		s.u.do(func() {
			s.noRing, s.state = noRing, state
			if perr != nil {
				s.running = false
				s.lastErr = perr
				s.render()
				if manual {
					s.u.showError("Could not read the sync password", perr)
				}
				return
			}
			if pw != "" {
				s.running = false
				s.run(pw)
				return
			}
			s.running = false
			switch {
			case manual:
			case !noRing:
				// Nothing saved and nobody asked: say how, without a dialog.
				s.autoOff = "Not synced: no password saved (File ▸ Sync settings…)"
				s.render()
				return
			case !s.next.IsZero():
				// Asked at start and not to be kept: a dialog every few
				// minutes would be in the way, so only Sync now asks.
				s.autoOff = "Not synced automatically: no keyring keeps the password (Sync now asks for it)"
				s.render()
				return
			}
			s.askPassword(state, noRing)
		})
	})
}

// lookupPassword finds the account's password: the keyring, else the
// environment as for `rapport sync`. noRing says no keyring runs.
func lookupPassword(url, user string) (pw string, noRing bool, err error) {
	pw, err = secret.Get(url, user)
	switch {
	case err == nil:
		return pw, false, nil
	case errors.Is(err, secret.ErrNoKeyring):
		return os.Getenv(envSyncPassword), true, nil
	case errors.Is(err, secret.ErrNotFound):
		return os.Getenv(envSyncPassword), false, nil
	}
	return "", false, err
}

// run syncs with the password (on the UI goroutine; the work is off it).
func (s *syncer) run(pw string) {
	if s.running {
		return
	}
	ctx, cancel := context.WithCancel(s.u.ctx)
	s.running, s.cancel = true, cancel
	s.progressMu.Lock()
	s.closing = cancel
	s.progressMu.Unlock()
	s.progress = engine.Progress{}
	s.render()
	if s.nowItem != nil {
		s.nowItem.Disabled = true
	}
	st := s.u.store
	s.u.run(func() {
		sum, err := engine.Run(ctx, st, engine.Options{Password: pw, Progress: s.onProgress})
		cancel()
		state, serr := engine.Status(s.u.ctx, st)
		s.u.do(func() {
			s.running, s.cancel = false, nil
			if s.nowItem != nil {
				s.nowItem.Disabled = false
			}
			if serr == nil {
				s.state = state
			}
			s.finished(sum, err)
		})
	})
}

// onProgress hears the engine (off the UI goroutine), at most a few times
// a second, and always the last step.
func (s *syncer) onProgress(p engine.Progress) {
	s.progressMu.Lock()
	now := time.Now()
	show := p.Done == p.Total || now.Sub(s.progressLast) > 100*time.Millisecond
	if show {
		s.progressLast = now
	}
	s.progressMu.Unlock()
	if show {
		s.u.do(func() {
			if s.running {
				s.progress = p
				s.render()
			}
		})
	}
}

// finished shows what a sync did, refreshes what it changed and plans the
// next automatic one.
func (s *syncer) finished(sum *engine.Summary, err error) {
	now := time.Now()
	s.lastErr, s.lastSum = err, sum
	switch {
	case err == nil:
		s.backoff, s.autoOff = 0, ""
		s.next = now.Add(syncEvery)
	case errors.Is(err, context.Canceled):
		s.next = now.Add(syncEvery)
	case errors.Is(err, dav.ErrUnauthorized):
		// Trying again would only fail again (or lock the account).
		s.password = ""
		s.autoOff = "Sync stopped: user name or password wrong"
	case errors.Is(err, data.ErrReadOnly), errors.Is(err, data.ErrNoSync):
		s.autoOff = "Sync paused"
	default:
		// Offline or a server in trouble: wait longer each time.
		s.backoff = min(max(2*s.backoff, syncEvery), syncBackoffMax)
		s.next = now.Add(s.backoff)
	}
	s.render()
	if sum != nil && sum.Changed() {
		s.u.afterSync()
	}
	if sum != nil && sum.NewConflicts > 0 && s.u.conflicts != nil && s.u.conflicts.open() {
		s.u.conflicts.load()
	}
	if s.onDone != nil {
		s.onDone()
	}
}

func (s *syncer) onCancel() {
	if s.cancel != nil {
		s.cancel()
	}
}

// afterSync shows what a sync pulled: the list, the customer shown (or the
// list again when they were deleted) and Today, without a restart.
func (u *UI) afterSync() {
	u.customers.reload(false)
	if u.customer.id != 0 {
		u.customer.reload()
	}
	switch u.pane {
	case paneToday:
		u.today.load()
	case paneBriefing:
		u.briefing.load()
	}
}

// passwordDialog asks for the sync password where the keyring keeps none.
type passwordDialog struct {
	dlg      *dialog.CustomDialog
	entry    *formEntry
	remember *keyCheck
	ok       *keyButton
}

// askPassword asks for the password for this sync; noRing says why.
func (s *syncer) askPassword(st *engine.State, noRing bool) {
	s.asking = true
	d := &passwordDialog{}
	s.pwDialog = d
	d.entry = newFormEntry(false)
	d.entry.Password = true
	why := "No password is saved for this account."
	if noRing {
		why = "No keyring is running on this computer, so Rapport cannot save the password:\nit asks for it when it syncs, and never writes it down."
	}
	d.remember = newKeyCheck("Remember it until Rapport closes (for the automatic sync)", nil)
	d.remember.SetChecked(true)
	form := container.NewVBox(widget.NewLabel(why),
		widget.NewForm(&widget.FormItem{Text: "Password for " + st.User, Widget: d.entry}),
		d.remember, widget.NewLabel("on "+st.URL))
	done := func(ok bool) {
		s.asking = false
		s.pwDialog = nil
		d.dlg.Hide()
		pw := d.entry.Text
		if !ok || pw == "" {
			s.autoOff = "Not synced: the password was not given"
			s.next = time.Now().Add(syncEvery)
			s.render()
			return
		}
		if d.remember.Checked {
			s.password = pw
		}
		s.autoOff = ""
		s.run(pw)
	}
	cancel := newKeyButton("Cancel", nil, func() { done(false) })
	d.ok = newKeyButton("Sync", theme.ViewRefreshIcon(), func() { done(true) })
	d.ok.Importance = widget.HighImportance
	d.entry.OnSubmitted = func(string) { done(true) }
	d.dlg = dialog.NewCustomWithoutButtons("Sync password", form, s.u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, d.ok})
	d.dlg.Show()
	s.u.win.Canvas().Focus(d.entry)
}
