package ui

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
)

const (
	pageSize       = 200                    // customers fetched at a time while browsing
	searchLimit    = 200                    // matches shown for a search
	searchDebounce = 120 * time.Millisecond // pause in typing before searching
)

// customerList is the left side: a search box over a virtualised list. With
// no search it shows everyone in name order, fetched a page at a time as the
// list scrolls; with a search it shows the matches.
type customerList struct {
	u *UI

	search   *searchEntry
	list     *widget.List
	status   *widget.Label
	newBtn   *widget.Button
	todayBtn *widget.Button
	order    *widget.Select // by name, by temperature, unsatisfied only

	// State below is touched on the UI goroutine only.
	query   string                         // the search the list shows; "" browses
	mode    int                            // orderByName, orderByTemp or orderUnsatisfied
	total   int                            // customers in the database
	pages   map[int][]data.CustomerSummary // browse mode: loaded pages
	loading map[int]bool                   // browse mode: pages being fetched
	results []data.CustomerSummary         // search mode
	seq     int                            // bumped on every reload; stale answers are dropped
	timer   *time.Timer                    // pending debounced search

	selectedID int64 // the customer on the right
	selecting  bool  // Select called by code: do not reload the customer
	openFirst  bool  // Enter pressed: show the first match when it arrives
	auto       bool  // the list selects its first row by itself: stay on Today
}

// The orders of the list (the Select above it).
const (
	orderByName = iota
	orderByTemp
	orderUnsatisfied
)

var orderLabels = []string{"All, by name", "By temperature, lowest first", "Unsatisfied (2 or less)"}

func newCustomerList(u *UI) *customerList {
	return &customerList{u: u, pages: map[int][]data.CustomerSummary{}, loading: map[int]bool{}}
}

func (l *customerList) build() fyne.CanvasObject {
	l.search = newSearchEntry()
	l.search.SetPlaceHolder("Search  (Ctrl+F)")
	l.search.OnChanged = l.onSearchChanged
	l.search.OnSubmitted = l.onSearchSubmitted
	l.search.onEscape = l.clearSearch

	l.list = widget.NewList(l.length, l.createRow, l.updateRow)
	l.list.OnSelected = l.onSelected
	l.status = widget.NewLabel("")
	l.status.Truncation = fyne.TextTruncateEllipsis
	l.newBtn = widget.NewButtonWithIcon("New", theme.ContentAddIcon(), l.u.onNewCustomer)

	l.todayBtn = widget.NewButtonWithIcon("Today", theme.HomeIcon(), l.u.showToday)
	l.order = widget.NewSelect(orderLabels, l.onOrderChanged)
	l.order.SetSelectedIndex(orderByName)
	top := container.NewVBox(l.todayBtn, container.NewBorder(nil, nil, nil, l.newBtn, l.search), l.order)
	return container.NewBorder(top, l.status, nil, nil, l.list)
}

// listed reports whether the list shows one fetched list (a search or a
// temperature order) rather than pages of everyone by name.
func (l *customerList) listed() bool { return l.query != "" || l.mode != orderByName }

func (l *customerList) length() int {
	if l.listed() {
		return len(l.results)
	}
	return l.total
}

// row returns the summary at index i, and false when its page is not loaded
// yet (it asks for the page then).
func (l *customerList) row(i int) (data.CustomerSummary, bool) {
	if l.listed() {
		if i < len(l.results) {
			return l.results[i], true
		}
		return data.CustomerSummary{}, false
	}
	p := i / pageSize
	page, ok := l.pages[p]
	if !ok {
		l.fetchPage(p)
		return data.CustomerSummary{}, false
	}
	if j := i % pageSize; j < len(page) {
		return page[j], true
	}
	return data.CustomerSummary{}, false
}

func (l *customerList) createRow() fyne.CanvasObject { return newNameRow("Company · Title") }

func (l *customerList) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	objs := o.(*fyne.Container).Objects
	name, sub := objs[0].(*widget.Label), objs[1].(*widget.RichText)
	cs, ok := l.row(i)
	if !ok {
		name.SetText("…")
		setMuted(sub, "")
		return
	}
	name.SetText(cs.Name)
	setMuted(sub, joinNonEmpty(" · ", tempMarks(cs.Temperature), joinNonEmpty(" · ", cs.Company, cs.Title)))
}

// fetchPage loads one page of the browse list in the background.
func (l *customerList) fetchPage(p int) {
	if l.loading[p] {
		return
	}
	l.loading[p] = true
	seq := l.seq
	l.u.run(func() {
		rows, err := l.u.store.ListCustomers(l.u.ctx, p*pageSize, pageSize)
		l.u.do(func() {
			if seq != l.seq {
				return
			}
			delete(l.loading, p)
			if err != nil {
				l.u.showError("Could not load the customer list", err)
				return
			}
			l.pages[p] = rows
			l.list.Refresh()
			l.reselectIn(rows, p*pageSize)
		})
	})
}

// reload fetches the count and the first page (or the search results) again
// after something changed. With selectFirst, the first customer is shown
// when none is.
func (l *customerList) reload(selectFirst bool) {
	l.seq++
	seq, query, mode := l.seq, l.query, l.mode
	l.loading = map[int]bool{}
	l.u.run(func() {
		n, err := l.u.store.CountCustomers(l.u.ctx)
		var rows []data.CustomerSummary
		if err == nil {
			switch {
			case query != "" && mode == orderUnsatisfied:
				rows, err = l.u.store.SearchWithin(l.u.ctx, query, data.Unsatisfied, searchLimit)
			case query != "":
				rows, err = l.u.store.Search(l.u.ctx, query, searchLimit)
				if mode == orderByTemp {
					sortByTemperature(rows)
				}
			case mode == orderByTemp:
				rows, err = l.u.store.ListByTemperature(l.u.ctx, 5, 0, searchLimit)
			case mode == orderUnsatisfied:
				rows, err = l.u.store.ListByTemperature(l.u.ctx, data.Unsatisfied, 0, searchLimit)
			default:
				rows, err = l.u.store.ListCustomers(l.u.ctx, 0, pageSize)
			}
		}
		l.u.do(func() {
			if seq != l.seq {
				return
			}
			if errors.Is(err, data.ErrQueryTooLong) {
				// Said where the matches are counted: a hint while typing, not a failure.
				l.pages, l.results = map[int][]data.CustomerSummary{}, nil
				l.list.Refresh()
				l.status.SetText(capitalize(err.Error()))
				return
			}
			if err != nil {
				l.u.showError("Could not load the customer list", err)
				return
			}
			l.total = n
			if query == "" && mode == orderByName {
				l.pages = map[int][]data.CustomerSummary{0: rows}
				l.results = nil
			} else {
				l.pages = map[int][]data.CustomerSummary{}
				l.results = rows
			}
			l.showStatus()
			if n == 0 {
				l.selectedID = 0
				l.u.customer.clear()
				l.u.showWelcome()
				if l.search.Text != "" {
					l.clearSearch() // the next customer must not land in a stale search
				}
				return
			}
			if l.u.showing != l.u.split {
				l.u.today.load() // the first customers arrived
			}
			l.u.showMain()
			l.list.UnselectAll()
			l.list.Refresh()
			openFirst := l.openFirst
			l.openFirst = false
			if len(rows) > 0 && (openFirst || selectFirst && (l.selectedID == 0 || !l.u.customer.showing())) {
				l.auto = !openFirst
				l.list.Select(0)
				l.auto = false
				if l.u.pane == paneToday {
					l.list.UnselectAll() // a click on the first row opens it
				}
				return
			}
			l.reselect()
		})
	})
}

// reselect highlights the shown customer's row if it is loaded.
func (l *customerList) reselect() {
	if l.listed() {
		l.reselectIn(l.results, 0)
		return
	}
	for p, rows := range l.pages {
		if l.reselectIn(rows, p*pageSize) {
			return
		}
	}
}

// reselectIn highlights the shown customer's row if it is among rows, which
// start at index base. Only a newly loaded page is searched when it arrives,
// so the list does not jump back to the selection while someone scrolls.
func (l *customerList) reselectIn(rows []data.CustomerSummary, base int) bool {
	if l.selectedID == 0 || l.u.pane == paneToday {
		return false
	}
	for j, r := range rows {
		if r.ID == l.selectedID {
			l.selecting = true
			l.list.Select(base + j)
			l.selecting = false
			return true
		}
	}
	return false
}

func (l *customerList) showStatus() {
	switch {
	case l.query == "" && l.mode == orderByTemp:
		l.status.SetText(fmt.Sprintf("%s of %s have a temperature", formatNumber(len(l.results)), plural(l.total, "customer")))
	case l.query == "" && l.mode == orderUnsatisfied && len(l.results) == 0:
		l.status.SetText("Nobody is unsatisfied")
	case l.query == "" && l.mode == orderUnsatisfied:
		l.status.SetText(fmt.Sprintf("%s unsatisfied (2 or less)", plural(len(l.results), "customer")))
	case l.query == "":
		l.status.SetText(plural(l.total, "customer"))
	case l.mode == orderUnsatisfied && len(l.results) == 0:
		l.status.SetText(fmt.Sprintf("Nobody unsatisfied matches “%s”", l.query))
	case l.mode == orderUnsatisfied && len(l.results) < searchLimit:
		l.status.SetText(fmt.Sprintf("%s unsatisfied (2 or less) matching “%s”", plural(len(l.results), "customer"), l.query))
	case len(l.results) == 0:
		l.status.SetText(fmt.Sprintf("Nobody matches “%s”", l.query))
	case len(l.results) >= searchLimit:
		l.status.SetText(fmt.Sprintf("First %s matches: type more", formatNumber(len(l.results))))
	default:
		l.status.SetText(fmt.Sprintf("%s of %s match", formatNumber(len(l.results)), plural(l.total, "customer")))
	}
}

func (l *customerList) onSelected(i widget.ListItemID) {
	cs, ok := l.row(i)
	if !ok || l.selecting {
		return
	}
	if !l.auto || l.u.pane != paneToday {
		l.u.showPane(paneCustomer)
	}
	if cs.ID == l.selectedID && l.u.customer.showing() {
		return
	}
	l.selectedID = cs.ID
	l.u.customer.load(cs.ID)
}

// onOrderChanged lists everyone by name, or by temperature.
func (l *customerList) onOrderChanged(string) {
	mode := l.order.SelectedIndex()
	if mode < 0 || mode == l.mode {
		return
	}
	l.mode = mode
	l.results = nil
	l.list.ScrollToTop()
	l.reload(false)
}

// onSearchChanged waits for a pause in typing, then searches.
func (l *customerList) onSearchChanged(string) {
	if l.timer != nil && l.timer.Stop() {
		l.u.jobs.add(-1) // the pending search will not run
	}
	l.u.jobs.add(1)
	l.timer = time.AfterFunc(searchDebounce, func() {
		defer l.u.jobs.add(-1)
		l.u.do(l.applySearch)
	})
}

// applySearch shows the search that is in the box now.
func (l *customerList) applySearch() {
	q := l.search.Text
	if q == l.query {
		return
	}
	l.query = q
	l.results = nil
	l.list.ScrollToTop()
	l.reload(false)
}

// onSearchSubmitted (Enter) opens the first match.
func (l *customerList) onSearchSubmitted(string) {
	if l.timer != nil && l.timer.Stop() {
		l.u.jobs.add(-1)
	}
	if l.search.Text != l.query {
		l.openFirst = true
		l.applySearch()
		return
	}
	if _, ok := l.row(0); ok {
		l.list.Select(0)
	}
}

func (l *customerList) clearSearch() {
	if l.search.Text != "" {
		l.search.SetText("")
	}
	if l.timer != nil && l.timer.Stop() {
		l.u.jobs.add(-1)
	}
	l.applySearch()
}

// show shows customer id, and highlights their row if it is loaded.
func (l *customerList) show(id int64) {
	l.u.showPane(paneCustomer)
	l.selectedID = id
	l.list.UnselectAll()
	l.reselect()
	l.u.customer.load(id)
}

func (l *customerList) focusSearch() {
	l.u.win.Canvas().Focus(l.search)
	l.search.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// searchEntry is an Entry that clears itself on Escape.
type searchEntry struct {
	widget.Entry
	onEscape func()
}

func newSearchEntry() *searchEntry {
	e := &searchEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// sortByTemperature puts search results lowest temperature first, as the
// "By temperature" order lists everyone; those never taken go last, and
// the name order stays within a temperature.
func sortByTemperature(rows []data.CustomerSummary) {
	key := func(c data.CustomerSummary) int {
		if c.Temperature <= 0 {
			return 6
		}
		return c.Temperature
	}
	slices.SortStableFunc(rows, func(a, b data.CustomerSummary) int { return key(a) - key(b) })
}
