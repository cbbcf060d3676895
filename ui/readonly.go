package ui

import (
	"errors"
	"image/color"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
)

// storeWatch is how often the window checks that its database file is
// still where it was opened.
const storeWatch = 3 * time.Second

// guard is the window's answer to a database it cannot write: a banner
// across the top that says why, writing menu items disabled, and a plain
// message instead of a form wherever a change would start.
type guard struct {
	u      *UI
	why    string // "" while the database can be written
	banner *fyne.Container
	text   *widget.Label
	// writing are the menu items that change data, disabled when read-only.
	writing []*fyne.MenuItem
	stop    chan struct{}
	// paused while a restore swaps the database file, which the watcher
	// would otherwise take for a file moved away.
	paused atomic.Bool
}

func newGuard(u *UI) *guard {
	g := &guard{u: u, stop: make(chan struct{})}
	g.text = widget.NewLabel("")
	g.text.Wrapping = fyne.TextWrapWord
	g.text.TextStyle = fyne.TextStyle{Bold: true}
	bg := canvas.NewRectangle(color.NRGBA{R: 0xf5, G: 0xb7, B: 0x00, A: 0x55})
	g.banner = container.NewStack(bg, container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, g.text))
	g.banner.Hide()
	return g
}

// setReadOnly shows why nothing can be saved; call it on the UI goroutine.
func (g *guard) setReadOnly(why string) {
	if why == "" || g.why == why {
		return
	}
	g.why = why
	g.text.SetText(why)
	g.banner.Show()
	for _, it := range g.writing {
		it.Disabled = true
	}
	if m := g.u.win.MainMenu(); m != nil {
		m.Refresh()
	}
	g.u.sync.render() // sync pauses: it would write what it receives
}

// attach starts guarding a store just opened (at start, or after a
// restore): read-only where it cannot be written, waits for other writers
// shown in the status bar, and the full check in the background.
func (g *guard) attach(s *data.Store) {
	u := g.u
	g.why = ""
	g.banner.Hide()
	for _, it := range g.writing {
		it.Disabled = false
	}
	if m := u.win.MainMenu(); m != nil {
		m.Refresh()
	}
	g.setReadOnly(readOnlyText(s))
	s.OnWait = func(limit time.Duration) {
		u.do(func() {
			u.waiting = true
			u.setBusy("Waiting for another Rapport to finish writing (up to " + limit.Round(time.Second).String() + ")…")
		})
	}
	g.paused.Store(false)
	g.watch()
	u.sync.refresh() // this database's account, after a restore another one's
}

// writable says whether a change may start; where not, it says why.
func (g *guard) writable() bool {
	if g.why == "" {
		return true
	}
	showInformation("Read-only", g.why, g.u.win)
	return false
}

// readOnlyText is what the banner says for a store opened read-only, or "".
func readOnlyText(s *data.Store) string {
	if why := s.ReadOnly(); why != "" {
		return "Read-only: " + s.Path() + " cannot be changed (" + why + "). You can look everything up; changes cannot be saved."
	}
	return ""
}

// problemText is what the banner says for a check that failed.
func problemText(err error) string {
	switch {
	case errors.Is(err, data.ErrMoved):
		return "The database file was moved or deleted while Rapport had it open. Nothing more can be saved: restart Rapport to open it where it is now."
	case errors.Is(err, data.ErrDamaged):
		return damagedText + " (" + err.Error() + "). Restore the newest backup."
	}
	return err.Error()
}

// watch checks the file's pages once, in the background, at start: a
// damaged file must not be written. SQLite's full integrity check (40 s at
// 100k customers) runs once a day, before the daily backup (backups.checkDaily).
func (g *guard) watch() {
	u := g.u
	st := u.store
	u.run(func() {
		if err := st.Verify(u.ctx); err != nil {
			u.do(func() { g.onProblem(err) })
		}
	})
}

// watchFile checks every few seconds that the database file is still where
// it was opened, until the window closes.
func (g *guard) watchFile() {
	t := time.NewTicker(storeWatch)
	defer t.Stop()
	for {
		select {
		case <-g.stop:
			return
		case <-t.C:
			if !g.checkFile() {
				return
			}
		}
	}
}

// checkFile says the file is where it was; where not, the window turns
// read-only and says so.
func (g *guard) checkFile() bool {
	if g.paused.Load() {
		return true
	}
	if err := g.u.store.Check(); err != nil {
		g.u.do(func() { g.onProblem(err) })
		return false
	}
	return true
}

// damagedText starts what the banner says of a damaged file.
const damagedText = "The database file is damaged, so Rapport saves nothing more to it"

// onProblem turns the window read-only and tells the user, once: a damaged
// file found again by another read (with another message) is the same news.
func (g *guard) onProblem(err error) {
	why := problemText(err)
	if g.why == why || errors.Is(err, data.ErrDamaged) && strings.HasPrefix(g.why, damagedText) {
		return
	}
	g.setReadOnly(why)
	if errors.Is(err, data.ErrDamaged) {
		// The way out of a damaged file is the newest good backup.
		showDialog(dialog.NewCustomConfirm("The database is damaged", "Restore from backup…", "Not now",
			widget.NewLabel(why), func(restore bool) {
				if restore {
					g.u.backups.onRestore()
				}
			}, g.u.win), g.u.win)
		return
	}
	showErrorDialog(errors.New(why), g.u.win)
}
