package ui

import (
	"errors"
	"fmt"
	"image"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

// historyPage is how many interactions are shown at first, and added by
// "Show older": a customer can have thousands.
const historyPage = 50

// notesPage is how many notes are shown at first, and added by "Show older".
const notesPage = 50

// customerScreen is the right side: the selected customer as a person. A
// header with the name and actions; below it the concerns, plans and contact
// card on the left, and tabs on the right: the personal profile first, then
// the history and notes.
type customerScreen struct {
	u *UI

	// What is shown (UI goroutine only).
	id           int64
	seq          int
	c            *data.Customer
	profile      *data.Profile
	history      []data.Interaction
	historyTotal int
	notes        []data.Note
	notesTotal   int                    // notes holds the newest, a page at a time
	colleagues   []data.CustomerSummary // the first colleaguesShown
	colleaguesN  int                    // how many in all
	thumb        image.Image            // the photo, decoded off the UI goroutine
	profileShown int                    // entries shown of each part of the profile
	profileFor   int64                  // whose profile profileShown is for
	temp         data.Trend

	// pending is a shortcut pressed while customer pendingID was loading; it
	// runs when they are on screen (see later).
	pending   func()
	pendingID int64

	root        *fyne.Container // the placeholder or content
	placeholder fyne.CanvasObject
	content     fyne.CanvasObject

	photo    *fyne.Container
	name     *widget.Label
	nickname *widget.Label
	work     *widget.Label
	birthday *widget.Label
	tempBox  *fyne.Container // the temperature and its trend; hidden when never taken

	editBtn, logBtn, noteBtn, profileBtn, deleteBtn, briefBtn *widget.Button

	concerns      *concernsPanel
	plan          *planPanel      // follow-ups, contact rhythm, planned visits
	contact       *fyne.Container // form-like rows of the contact card, or a hint
	profileBox    *fyne.Container // family, pets, profile items by category
	historyBox    *fyne.Container // one row per interaction, newest first
	historyMore   *widget.Button
	notesBox      *fyne.Container // one row per note, newest first
	notesMore     *widget.Button
	scrolls       []*container.Scroll // the page's scrolled parts, back to the top for another customer
	renderedID    int64               // whose page was last put on screen
	tabs          *container.AppTabs
	profileTab    *container.TabItem
	profileScroll *container.Scroll
	historyTab    *container.TabItem
	notesTab      *container.TabItem
}

func newCustomerScreen(u *UI) *customerScreen { return &customerScreen{u: u} }

func (s *customerScreen) build() fyne.CanvasObject {
	hint := widget.NewLabel("Choose a customer on the left, or add one with Ctrl+N.")
	hint.Importance = widget.LowImportance
	s.placeholder = container.NewCenter(hint)

	s.photo = container.NewGridWrap(fyne.NewSize(photoSide, photoSide))
	s.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.name.SizeName = theme.SizeNameHeadingText
	s.name.Truncation = fyne.TextTruncateEllipsis
	s.nickname = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	s.work = widget.NewLabel("")
	s.work.Truncation = fyne.TextTruncateEllipsis
	s.birthday = widget.NewLabel("")

	s.briefBtn = widget.NewButtonWithIcon("Briefing", theme.DocumentIcon(), s.u.onBriefing)
	s.editBtn = widget.NewButtonWithIcon("Edit", theme.DocumentCreateIcon(), s.onEdit)
	s.logBtn = widget.NewButtonWithIcon("Log interaction", theme.HistoryIcon(), s.onLog)
	s.logBtn.Importance = widget.HighImportance
	s.noteBtn = widget.NewButtonWithIcon("Add note", theme.FileTextIcon(), s.onAddNote)
	s.profileBtn = widget.NewButtonWithIcon("Add to profile", theme.ContentAddIcon(), nil)
	s.profileBtn.OnTapped = s.onAddToProfile
	s.deleteBtn = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), s.onDelete)
	s.deleteBtn.Importance = widget.DangerImportance

	lines := newTight(s.name, s.nickname, s.work, s.birthday)
	buttons := container.NewHBox(s.logBtn, s.briefBtn, s.noteBtn, s.profileBtn, s.editBtn, layout.NewSpacer(), s.deleteBtn)
	s.tempBox = container.NewVBox()
	s.tempBox.Hide()
	header := container.NewBorder(nil, buttons, container.NewVBox(s.photo), s.tempBox, lines)

	s.contact = container.NewStack()
	s.profileBox = container.NewVBox()
	s.concerns = newConcernsPanel(s.u)
	s.plan = newPlanPanel(s.u)
	left := container.NewVScroll(container.NewVBox(
		s.concerns.build(),
		widget.NewSeparator(),
		s.plan.build(),
		widget.NewSeparator(),
		heading("Contact"), s.contact,
	))

	s.historyBox = container.NewVBox()
	s.historyMore = widget.NewButton("Show older", s.onShowMoreHistory)
	s.notesBox = container.NewVBox()
	s.notesMore = widget.NewButton("Show older", s.onShowMoreNotes)
	historyScroll := container.NewVScroll(container.NewVBox(s.historyBox, s.historyMore))
	notesScroll := container.NewVScroll(container.NewVBox(s.notesBox, s.notesMore))
	// The personal profile is what a salesperson reads before a visit, so it
	// is the first tab beside the concerns, in view as a customer opens,
	// rather than below everything else in the left column.
	s.profileScroll = container.NewVScroll(s.profileBox)
	s.scrolls = []*container.Scroll{left, s.profileScroll, historyScroll, notesScroll}
	s.profileTab = container.NewTabItemWithIcon("Personal", theme.AccountIcon(), s.profileScroll)
	s.historyTab = container.NewTabItemWithIcon("History", theme.HistoryIcon(), historyScroll)
	s.notesTab = container.NewTabItemWithIcon("Notes", theme.FileTextIcon(), notesScroll)
	s.tabs = container.NewAppTabs(s.profileTab, s.historyTab, s.notesTab)

	split := container.NewHSplit(left, s.tabs)
	split.Offset = 0.45
	s.content = container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nil, nil, nil, split)
	s.root = container.NewStack(s.placeholder)
	return s.root
}

func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// showing reports whether a customer is on screen.
func (s *customerScreen) showing() bool { return s.id != 0 }

// clear shows the placeholder.
func (s *customerScreen) clear() {
	s.seq++
	s.id, s.c, s.profile, s.history, s.notes = 0, nil, nil, nil, nil
	s.renderedID = 0
	s.pending = nil
	s.root.Objects = []fyne.CanvasObject{s.placeholder}
	s.root.Refresh()
}

// load fetches customer id with everything about them and shows it. Loading
// the customer already shown keeps as much history visible as before.
func (s *customerScreen) load(id int64) {
	s.seq++
	seq := s.seq
	nHistory := historyPage
	if id == s.id && len(s.history) > nHistory {
		nHistory = len(s.history)
	}
	nNotes := notesPage
	if id == s.id && len(s.notes) > nNotes {
		nNotes = len(s.notes)
	}
	if s.pendingID != id {
		s.pending = nil // it was for someone else
	}
	st, ctx := s.u.store, s.u.ctx
	s.loadPanels(id)
	s.u.run(func() {
		var (
			c       *data.Customer
			p       *data.Profile
			hist    []data.Interaction
			total   int
			notes   []data.Note
			notesN  int
			mates   []data.CustomerSummary
			nMates  int
			trend   data.Trend
			thumb   image.Image
			err     error
			errWhat = "Could not load the customer"
		)
		c, err = st.Customer(ctx, id)
		if err == nil {
			thumb = photoThumb(c.Photo, 2*photoSide) // sharp on a HiDPI screen
			p, err = st.Profile(ctx, id)
		}
		if err == nil {
			hist, err = st.Interactions(ctx, id, 0, nHistory)
		}
		if err == nil {
			total, err = st.CountInteractions(ctx, id)
		}
		if err == nil {
			notes, notesN, err = st.NotesPage(ctx, id, 0, nNotes)
		}
		if err == nil && c.Company != "" {
			mates, nMates, err = st.Colleagues(ctx, id, colleaguesShown)
		}
		if err == nil {
			trend, err = st.Temperature(ctx, id, tempReadings)
		}
		s.u.do(func() {
			if seq != s.seq {
				return
			}
			if errors.Is(err, data.ErrNotFound) {
				s.clear()
				s.u.customers.reload(true)
				return
			}
			if err != nil {
				s.pending = nil
				s.u.showError(errWhat, err)
				return
			}
			s.id, s.c, s.profile, s.history, s.historyTotal, s.notes = id, c, p, hist, total, notes
			s.colleagues, s.colleaguesN, s.temp, s.thumb = mates, nMates, trend, thumb
			s.notesTotal = notesN
			s.render()
			if fn := s.pending; fn != nil && s.pendingID == id {
				s.pending = nil
				if s.wanted() == id { // not if the user went elsewhere meanwhile
					fn()
				}
			}
		})
	})
}

// gone is called when customer id turned out not to exist any more (deleted
// here or elsewhere, or removed by an undone import): their page gives way
// quietly, since nothing went wrong.
func (s *customerScreen) gone(id int64) {
	if s.id != id && s.wanted() != id {
		return
	}
	s.clear()
	s.u.customers.reload(true)
}

// loadPanels loads customer id's concerns, follow-ups and visits.
func (s *customerScreen) loadPanels(id int64) {
	s.concerns.load(id)
	s.plan.load(id)
}

// render puts the loaded customer on screen.
func (s *customerScreen) render() {
	c := s.c
	other := s.renderedID != c.ID
	s.renderedID = c.ID
	s.renderHeader(c)
	s.renderTemperature()
	s.renderContact(c)
	s.renderProfile()
	s.renderHistory()
	s.renderNotes()
	if len(s.root.Objects) != 1 || s.root.Objects[0] != s.content {
		s.root.Objects = []fyne.CanvasObject{s.content}
		s.root.Refresh()
	}
	if other {
		// Another customer starts at the top, not where the last one's page
		// was; the same one reloaded (after a change) stays where it was.
		for _, sc := range s.scrolls {
			sc.ScrollToTop()
		}
		s.tabs.Select(s.profileTab) // a new customer opens on who they are
	}
}

func (s *customerScreen) renderHeader(c *data.Customer) {
	s.name.SetText(c.Name())
	setOptional(s.nickname, c.Nickname, "Likes to be called “"+c.Nickname+"”")
	work := joinNonEmpty(" · ", c.Title, c.Department, c.Company)
	setOptional(s.work, work, work)
	bday := formatBirthday(c.Birthday)
	setOptional(s.birthday, bday, "Birthday: "+bday)

	s.photo.Objects = []fyne.CanvasObject{thumbImage(s.thumb)}
	s.photo.Refresh()
}

// photoSide is the size of the photo beside the name.
const photoSide = 72

// colleaguesShown is how many colleagues the page links to: a big company
// has thousands, and the rest are a search away.
const colleaguesShown = 8

// tempReadings is how many of the latest temperatures the page charts, as
// many as the briefing does.
const tempReadings = 12

// renderTemperature shows how satisfied the customer is now and the trend
// beside their name, a drop flagged as on the briefing: the first thing to
// know before calling them. Nothing shows when it was never asked.
func (s *customerScreen) renderTemperature() {
	t := s.temp
	if t.Current == 0 {
		s.tempBox.Objects = nil
		s.tempBox.Hide()
		return
	}
	objs := []fyne.CanvasObject{tempNow(t, "Temperature")}
	if len(t.Readings) > 1 {
		objs = append(objs, container.NewGridWrap(fyne.NewSize(240, 64), newTempChart(t.Readings)))
	}
	s.tempBox.Objects = objs
	s.tempBox.Show()
	s.tempBox.Refresh()
}

// setOptional shows text in l, or hides l when value is empty.
func setOptional(l *widget.Label, value, text string) {
	if value == "" {
		l.Hide()
		return
	}
	l.SetText(text)
	l.Show()
}

func (s *customerScreen) renderContact(c *data.Customer) {
	var objs []fyne.CanvasObject
	row := func(key string, value fyne.CanvasObject) {
		k := muted(key)
		k.Wrapping = fyne.TextWrapOff
		objs = append(objs, k, value)
	}
	text := func(v string) fyne.CanvasObject {
		l := widget.NewLabel(v)
		l.Wrapping = fyne.TextWrapWord
		l.Selectable = true
		return l
	}
	link := func(v, scheme string) fyne.CanvasObject {
		target := v
		if scheme != "" {
			target = scheme + v
		} else if !strings.Contains(v, "://") {
			target = "https://" + v
		}
		u, err := url.Parse(target)
		if err != nil {
			return text(v)
		}
		h := widget.NewHyperlink(v, u)
		h.Truncation = fyne.TextTruncateEllipsis
		return h
	}
	keyOr := func(label, def string) string {
		if label == "" {
			return def
		}
		return label
	}
	for _, p := range c.Phones {
		row(keyOr(p.Label, "phone"), text(p.Value))
	}
	for _, e := range c.Emails {
		row(keyOr(e.Label, "e-mail"), link(e.Value, "mailto:"))
	}
	for _, l := range c.URLs {
		row(keyOr(l.Label, "web"), link(l.Value, ""))
	}
	for _, a := range c.Addresses {
		row(keyOr(a.Label, "address"), text(a.OneLine()))
	}
	if !c.Anniversary.IsZero() {
		row("anniversary", text(formatDate(c.Anniversary)))
	}
	if len(c.Tags) > 0 {
		row("tags", text(strings.Join(c.Tags, ", ")))
	}
	if c.CardNote != "" {
		row("note", text(c.CardNote))
	}
	if len(s.colleagues) > 0 {
		var links []fyne.CanvasObject
		for _, cs := range s.colleagues {
			id := cs.ID
			b := widget.NewButton(cs.Name, func() { s.u.customers.show(id) })
			b.Importance = widget.LowImportance
			b.Alignment = widget.ButtonAlignLeading
			links = append(links, b)
		}
		if rest := s.colleaguesN - len(s.colleagues); rest > 0 {
			links = append(links, muted(fmt.Sprintf("and %s more: search for “%s”", locale.Count(rest), c.Company)))
		}
		row("colleagues", container.NewVBox(links...))
	}
	if len(objs) == 0 {
		s.contact.Objects = []fyne.CanvasObject{container.NewPadded(muted("No phone, e-mail or address yet. Edit to add them."))}
	} else {
		s.contact.Objects = []fyne.CanvasObject{container.New(layout.NewFormLayout(), objs...)}
	}
	s.contact.Refresh()
}

// itemRow is one entry of a section: text, an optional detail line, a lock
// when it is confidential, and small edit and delete buttons.
func itemRow(text, detail string, confidential bool, onEdit, onDelete func()) fyne.CanvasObject {
	main := widget.NewLabel(text)
	main.Wrapping = fyne.TextWrapWord
	lines := newTight(main)
	if detail != "" {
		lines.Add(muted(detail))
	}
	var left fyne.CanvasObject
	if confidential {
		lock := widget.NewIcon(iconLock)
		left = container.NewVBox(lock)
	}
	edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), onEdit)
	edit.Importance = widget.LowImportance
	del := widget.NewButtonWithIcon("", theme.DeleteIcon(), onDelete)
	del.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, left, container.NewVBox(container.NewHBox(edit, del)), lines)
}

// profilePage is how many entries of each part of the profile (family,
// pets, each category) are shown at first, and added by "Show more": a card
// imported from another program can carry thousands.
const profilePage = 50

func (s *customerScreen) renderProfile() {
	p := s.profile
	if s.profileShown < profilePage || s.profileFor != s.id {
		s.profileShown, s.profileFor = profilePage, s.id
	}
	most := s.profileShown
	hidden := 0
	var objs []fyne.CanvasObject
	sub := func(text string) {
		l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		objs = append(objs, l)
	}
	if len(p.Family) > 0 {
		sub("Family")
		hidden += max(0, len(p.Family)-most)
		for _, f := range p.Family[:min(most, len(p.Family))] {
			f := f
			text := relationLabel(f.Relation) + ": " + f.Name
			detail := f.Notes
			if !f.Birthday.IsZero() {
				detail = joinNonEmpty(" — ", "born "+formatBirthday(f.Birthday), f.Notes)
			}
			objs = append(objs, itemRow(text, detail, f.Confidential,
				func() { s.u.openFamilyDialog(s.c, &f) },
				func() { s.confirmDeletePart(data.PartFamily, f.ID, f.Name) }))
		}
	}
	if len(p.Pets) > 0 {
		sub("Pets")
		hidden += max(0, len(p.Pets)-most)
		for _, pet := range p.Pets[:min(most, len(p.Pets))] {
			pet := pet
			text := pet.Name
			if pet.Species != "" {
				text += " (" + pet.Species + ")"
			}
			objs = append(objs, itemRow(text, pet.Notes, pet.Confidential,
				func() { s.u.openPetDialog(s.c, &pet) },
				func() { s.confirmDeletePart(data.PartPet, pet.ID, pet.Name) }))
		}
	}
	for _, cat := range data.ProfileCategories {
		first, n := true, 0
		for _, it := range p.Items {
			if it.Category != cat.Key {
				continue
			}
			if n++; n > most {
				hidden++
				continue
			}
			if first {
				sub(cat.Label)
				first = false
			}
			it := it
			objs = append(objs, itemRow(it.Text, "", it.Confidential,
				func() { s.u.openItemDialog(s.c, &it) },
				func() { s.confirmDeletePart(data.PartItem, it.ID, "“"+it.Text+"”") }))
		}
	}
	if len(objs) == 0 {
		objs = append(objs, muted("Nothing personal yet. What do they care about? Family, pets, "+
			"hobbies, teams, food, what they are proud of: use “Add to profile”."))
	}
	if hidden > 0 {
		objs = append(objs, widget.NewButton(fmt.Sprintf("Show more (%s more)", locale.Count(hidden)), func() {
			s.profileShown += profilePage
			s.renderProfile()
		}))
	}
	s.profileBox.Objects = objs
	s.profileBox.Refresh()
}

func (s *customerScreen) renderHistory() {
	var objs []fyne.CanvasObject
	if len(s.history) == 0 {
		objs = append(objs, muted("No visits, calls or meetings logged yet. Press Ctrl+L to log one."))
	}
	for i := range s.history {
		in := s.history[i]
		if i > 0 {
			objs = append(objs, widget.NewSeparator())
		}
		objs = append(objs, s.historyRow(in))
	}
	s.historyBox.Objects = objs
	s.historyBox.Refresh()
	if older := s.historyTotal - len(s.history); older > 0 {
		s.historyMore.SetText(fmt.Sprintf("Show older (%d more)", older))
		s.historyMore.Show()
	} else {
		s.historyMore.Hide()
	}
	s.historyTab.Text = fmt.Sprintf("History (%d)", s.historyTotal)
	s.tabs.Refresh()
}

func (s *customerScreen) historyRow(in data.Interaction) fyne.CanvasObject {
	sum := widget.NewLabelWithStyle(in.Summary, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	sum.Wrapping = fyne.TextWrapWord
	when := muted(joinNonEmpty(" · ", kindLabel(in.Kind), formatDateTime(in.At), formatDuration(in.Duration), relative(in.At), elsewhere(in.Origin)))
	lines := newTight(when)
	if in.Summary != "" {
		lines = newTight(sum, when)
	}
	if in.Notes != "" {
		notes := widget.NewLabel(in.Notes)
		notes.Wrapping = fyne.TextWrapWord
		lines.Add(notes)
	}
	if in.Temperature > 0 {
		t := tempLabel(in.Temperature)
		t.Text = fmt.Sprintf("%s %d/5", t.Text, in.Temperature)
		lines.Add(container.NewBorder(nil, nil, t, nil, muted(quoted(in.TempComment))))
	}
	if in.Heard != "" {
		heard := "What I heard: " + quoted(in.Heard)
		if in.HeardConfirmed {
			heard += " · they confirmed it"
		} else {
			heard += " · not confirmed"
		}
		lines.Add(muted(heard))
	}
	edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() { s.u.openLogDialog(s.c, &in) })
	edit.Importance = widget.LowImportance
	del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { s.confirmDeleteInteraction(in) })
	del.Importance = widget.LowImportance
	icon := container.NewVBox(widget.NewIcon(kindIcon(in.Kind)))
	return container.NewBorder(nil, nil, icon, container.NewVBox(container.NewHBox(edit, del)), lines)
}

func (s *customerScreen) renderNotes() {
	var objs []fyne.CanvasObject
	if len(s.notes) == 0 {
		objs = append(objs, muted("No notes yet. Press Ctrl+Shift+N to jot something down: "+
			"what they told you, what you promised."))
	}
	for i, n := range s.notes {
		n := n
		if i > 0 {
			objs = append(objs, widget.NewSeparator())
		}
		detail := formatDateTime(n.At) + " · " + relative(n.At)
		if n.Confidential {
			detail += " · confidential"
		}
		text := widget.NewLabel(n.Text)
		text.Wrapping = fyne.TextWrapWord
		when := muted(detail)
		edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() { s.u.openNoteDialog(s.c, &n) })
		edit.Importance = widget.LowImportance
		del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { s.confirmDeleteNote(n) })
		del.Importance = widget.LowImportance
		var left fyne.CanvasObject
		if n.Confidential {
			left = container.NewVBox(widget.NewIcon(iconLock))
		}
		objs = append(objs, container.NewBorder(nil, nil, left, container.NewVBox(container.NewHBox(edit, del)), newTight(when, text)))
	}
	s.notesBox.Objects = objs
	s.notesBox.Refresh()
	if older := s.notesTotal - len(s.notes); older > 0 {
		s.notesMore.SetText(fmt.Sprintf("Show older (%d more)", older))
		s.notesMore.Show()
	} else {
		s.notesMore.Hide()
	}
	s.notesTab.Text = fmt.Sprintf("Notes (%d)", s.notesTotal)
	s.tabs.Refresh()
}

func (s *customerScreen) onShowMoreHistory() {
	id, seq, offset := s.id, s.seq, len(s.history)
	s.historyMore.Disable()
	s.u.run(func() {
		more, err := s.u.store.Interactions(s.u.ctx, id, offset, historyPage)
		s.u.do(func() {
			s.historyMore.Enable()
			if seq != s.seq {
				return
			}
			if err != nil {
				s.u.showError("Could not load older history", err)
				return
			}
			s.history = append(s.history, more...)
			s.renderHistory()
		})
	})
}

func (s *customerScreen) onShowMoreNotes() {
	id, seq, offset := s.id, s.seq, len(s.notes)
	s.notesMore.Disable()
	s.u.run(func() {
		more, total, err := s.u.store.NotesPage(s.u.ctx, id, offset, notesPage)
		s.u.do(func() {
			s.notesMore.Enable()
			if seq != s.seq {
				return
			}
			if err != nil {
				s.u.showError("Could not load older notes", err)
				return
			}
			s.notes, s.notesTotal = append(s.notes, more...), total
			s.renderNotes()
		})
	})
}

// reload shows the current customer again after a change.
func (s *customerScreen) reload() {
	if s.id != 0 {
		s.load(s.id)
	}
}

// wanted is the id of the customer the right side is about (their page or
// their briefing), loaded or not; 0 on Today and the welcome screen.
func (s *customerScreen) wanted() int64 {
	if s.u.showing != s.u.split {
		return 0
	}
	switch s.u.pane {
	case paneCustomer:
		return s.u.customers.selectedID
	case paneBriefing:
		return s.u.briefing.id
	}
	return 0
}

// shown is the customer the user sees, on their page or their briefing, or
// nil. On Today the list may have loaded its first customer out of sight,
// and right after a click the page still holds the customer before: Ctrl+L
// and the Customer menu must act on neither.
func (s *customerScreen) shown() *data.Customer {
	if s.c == nil || s.c.ID != s.wanted() {
		return nil
	}
	return s.c
}

// later runs fn when customer id, being loaded, is on screen: for a shortcut
// pressed just after a click on a name.
func (s *customerScreen) later(id int64, fn func()) {
	s.pending, s.pendingID = fn, id
}

// needCustomer tells the user to open someone first; it reports whether a
// customer is shown.
func (s *customerScreen) needCustomer(action string) bool {
	if s.shown() != nil {
		return true
	}
	showInformation("No customer open", "Open a customer first: choose them in the list on the left, then "+action+".", s.u.win)
	return false
}

func (s *customerScreen) onEdit() {
	if s.needCustomer("edit them") {
		s.u.openEditor(s.c)
	}
}

// onLog (Ctrl+L) logs with the customer on screen; with nobody on screen
// (Today) it asks whom the visit or call was with.
func (s *customerScreen) onLog() {
	if c := s.shown(); c != nil {
		s.u.openLogDialog(c, nil)
		return
	}
	if id := s.wanted(); id != 0 {
		s.later(id, s.onLog)
		return
	}
	s.u.pickCustomer("Log an interaction with…", func(id int64) {
		s.u.withCustomer(id, func(c *data.Customer, concerns []data.Concern) { s.u.openLog(c, nil, concerns) })
	})
}

// onAddNote (Ctrl+Shift+N) is like onLog: with nobody on screen it asks whom
// the note is about.
func (s *customerScreen) onAddNote() {
	if c := s.shown(); c != nil {
		s.u.openNoteDialog(c, nil)
		return
	}
	if id := s.wanted(); id != 0 {
		s.later(id, s.onAddNote)
		return
	}
	s.u.pickCustomer("Add a note about…", func(id int64) {
		s.u.withCustomer(id, func(c *data.Customer, _ []data.Concern) { s.u.openNoteDialog(c, nil) })
	})
}

func (s *customerScreen) onAddToProfile() {
	if !s.needCustomer("add to their profile") {
		return
	}
	c := s.c
	menu := fyne.NewMenu("",
		fyne.NewMenuItem("Interest, preference or fact…", func() { s.u.openItemDialog(c, nil) }),
		fyne.NewMenuItem("Family member…", func() { s.u.openFamilyDialog(c, nil) }),
		fyne.NewMenuItem("Pet…", func() { s.u.openPetDialog(c, nil) }),
	)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(s.profileBtn)
	widget.ShowPopUpMenuAtPosition(menu, s.u.win.Canvas(), pos.Add(fyne.NewPos(0, s.profileBtn.Size().Height)))
}

// onDelete asks, then forgets the customer and everything about them.
func (s *customerScreen) onDelete() {
	if !s.u.guard.writable() {
		return
	}
	if !s.needCustomer("delete them") {
		return
	}
	c := s.c
	s.u.confirm("Delete customer",
		fmt.Sprintf("Delete %s and everything about them?\nTheir profile, history and notes go too. This cannot be undone.", c.Name()),
		"Delete", func() {
			s.u.run(func() {
				err := s.u.store.DeleteCustomer(s.u.ctx, c.ID)
				s.u.do(func() {
					if err != nil {
						s.u.showError("Could not delete "+c.Name(), err)
						return
					}
					if s.id == c.ID {
						s.clear()
						s.u.customers.selectedID = 0
					}
					s.u.customers.reload(true)
					s.u.today.load() // their visits and follow-ups go too
				})
			})
		})
}

func (s *customerScreen) confirmDeletePart(part string, id int64, what string) {
	c := s.c
	s.u.confirm("Delete from profile", fmt.Sprintf("Delete %s from %s's profile?", what, c.Name()), "Delete", func() {
		s.u.save("Could not delete "+what, func() error {
			return s.u.store.DeleteProfilePart(s.u.ctx, part, c.ID, id)
		}, func() { s.reload(); s.u.customers.reload(false) })
	})
}

func (s *customerScreen) confirmDeleteInteraction(in data.Interaction) {
	c := s.c
	s.u.confirm("Delete from history", fmt.Sprintf("Delete the %s of %s from %s's history?",
		strings.ToLower(kindLabel(in.Kind)), formatDateTime(in.At), c.Name()), "Delete", func() {
		s.u.save("Could not delete the "+kindLabel(in.Kind), func() error {
			return s.u.store.DeleteInteraction(s.u.ctx, c.ID, in.ID)
		}, s.reload)
	})
}

func (s *customerScreen) confirmDeleteNote(n data.Note) {
	c := s.c
	s.u.confirm("Delete note", fmt.Sprintf("Delete the note of %s about %s?", formatDateTime(n.At), c.Name()), "Delete", func() {
		s.u.save("Could not delete the note", func() error {
			return s.u.store.DeleteNote(s.u.ctx, c.ID, n.ID)
		}, s.reload)
	})
}

// confirm asks a yes/no question whose yes button says what it does.
func (u *UI) confirm(title, message, action string, onYes func()) {
	d := dialog.NewConfirm(title, message, func(ok bool) {
		if ok {
			onYes()
		}
	}, u.win)
	d.SetConfirmText(action)
	d.SetDismissText("Cancel")
	d.SetConfirmImportance(widget.DangerImportance)
	showDialog(d, u.win)
}

// save runs a store change in the background, then calls done on the UI
// goroutine, or shows the error.
func (u *UI) save(what string, change func() error, done func()) {
	if !u.guard.writable() {
		return
	}
	u.run(func() {
		err := change()
		u.do(func() {
			if u.waiting {
				u.waiting = false
				u.setBusy("")
			}
			if err != nil {
				u.showError(what, err)
				return
			}
			if done != nil {
				done()
			}
			u.sync.refresh() // one more change waiting to be sent
		})
	})
}
