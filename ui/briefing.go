package ui

import (
	"fmt"
	"image"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/report"
)

// briefingScreen is one customer on one screen, to read in the car before a
// visit: who they are, what to talk about, what worries them, what was
// promised, how satisfied they are and what to avoid.
type briefingScreen struct {
	u *UI

	id    int64
	seq   int
	b     *data.Briefing
	thumb image.Image // the photo, decoded off the UI goroutine

	root    fyne.CanvasObject
	photo   *fyne.Container
	name    *widget.Label
	sub     *fyne.Container // nickname, role, birthday, contact rhythm
	left    *fyne.Container // business: concerns, follow-ups, temperature, history
	right   *fyne.Container // personal: openers, avoid, visits, notes, contact
	export  *widget.Button
	logBtn  *widget.Button
	backBtn *widget.Button
}

// briefingPhotoSide is the size of the photo in the briefing's header.
const briefingPhotoSide = 88

func newBriefingScreen(u *UI) *briefingScreen { return &briefingScreen{u: u} }

func (s *briefingScreen) build() fyne.CanvasObject {
	s.photo = container.NewGridWrap(fyne.NewSize(briefingPhotoSide, briefingPhotoSide))
	s.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.name.SizeName = theme.SizeNameHeadingText
	s.name.Truncation = fyne.TextTruncateEllipsis
	s.sub = newTight()
	s.export = widget.NewButtonWithIcon("Export PDF or HTML…", theme.DocumentSaveIcon(), s.onExport)
	s.logBtn = widget.NewButtonWithIcon("Log interaction", theme.HistoryIcon(), s.onLog)
	s.logBtn.Importance = widget.HighImportance
	s.backBtn = widget.NewButtonWithIcon("Customer page", theme.NavigateBackIcon(), s.onBack)
	buttons := container.NewHBox(s.backBtn, layout.NewSpacer(), s.logBtn, s.export)
	header := container.NewBorder(nil, buttons, container.NewVBox(s.photo), nil, newTight(s.name, s.sub))

	s.left = container.NewVBox()
	s.right = container.NewVBox()
	cols := container.NewGridWithColumns(2, s.left, s.right)
	s.root = container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nil, nil, nil,
		container.NewVScroll(cols))
	return s.root
}

// open shows customer id's briefing.
func (s *briefingScreen) open(id int64) {
	if s.id != id {
		s.b = nil
		s.left.Objects, s.right.Objects = nil, nil
		s.name.SetText("")
		s.sub.Objects = nil
	}
	s.id = id
	if s.u.customer.id != id {
		s.u.customer.load(id) // Ctrl+L, Edit… and the rest act on whom the briefing is about
	}
	s.u.showPane(paneBriefing)
	s.u.customers.selectedID = id
	s.u.customers.list.UnselectAll()
	s.u.customers.reselect()
	s.load()
}

// onBriefing (Ctrl+B) opens the briefing of the customer on screen.
func (u *UI) onBriefing() {
	if u.pane == paneBriefing {
		return
	}
	if id := u.customer.wanted(); id != 0 {
		u.briefing.open(id) // loaded or not: the briefing loads them itself
		return
	}
	// On Today: whose visit is coming up?
	u.pickCustomer("Briefing on…", u.briefing.open)
}

// load fetches the briefing off the UI goroutine.
func (s *briefingScreen) load() {
	s.seq++
	seq, id, at := s.seq, s.id, now()
	s.u.run(func() {
		b, err := s.u.store.Briefing(s.u.ctx, id, at)
		var thumb image.Image
		if err == nil {
			thumb = photoThumb(b.Customer.Photo, 2*briefingPhotoSide)
		}
		s.u.do(func() {
			if seq != s.seq {
				return
			}
			if err != nil {
				s.u.showError("Could not load the briefing", err)
				return
			}
			s.b, s.thumb = b, thumb
			s.render()
		})
	})
}

func (s *briefingScreen) render() {
	b := s.b
	c := b.Customer
	doc := report.Briefing(b, report.Options{Confidential: true})
	s.name.SetText(c.Name())
	s.sub.Objects = nil
	for _, line := range doc.Subtitle {
		l := widget.NewLabel(line)
		l.Truncation = fyne.TextTruncateEllipsis
		if strings.Contains(line, "OVERDUE") {
			l.Importance = widget.DangerImportance
		}
		s.sub.Add(l)
	}
	s.sub.Refresh()

	s.photo.Objects = []fyne.CanvasObject{thumbImage(s.thumb)}
	s.photo.Refresh()

	sections := map[string]report.Section{}
	for _, sec := range doc.Sections {
		key, _, _ := strings.Cut(sec.Title, " (")
		sections[key] = sec
	}
	var left, right []fyne.CanvasObject
	add := func(to *[]fyne.CanvasObject, key string) {
		if sec, ok := sections[key]; ok {
			*to = append(*to, heading(sec.Title), sectionBox(sec))
		}
	}
	add(&left, "Concerns and priorities")
	if len(b.Concerns) == 0 {
		left = append(left, heading("Concerns and priorities"), muted("None recorded. Ask what worries them most, and note it."))
	}
	left = append(left, s.temperature()...)
	add(&left, "Open promises and follow-ups")
	add(&left, "Last interactions")
	add(&right, "Personal openers")
	add(&right, "Topics to avoid")
	add(&right, "Planned visits")
	add(&right, "Latest notes")
	add(&right, "Contact")
	s.left.Objects, s.right.Objects = left, right
	s.left.Refresh()
	s.right.Refresh()
}

// temperature is the chart of the readings, the drop flagged, and the last
// time they were unsatisfied.
func (s *briefingScreen) temperature() []fyne.CanvasObject {
	t := s.b.Temperature
	out := []fyne.CanvasObject{heading("Temperature")}
	if t.Current == 0 {
		return append(out, muted("Never asked. Ask how satisfied they are, 1 to 5, and log it."))
	}
	out = append(out, tempNow(t, "Now"))
	if len(t.Readings) > 1 {
		out = append(out, newTempChart(t.Readings))
	}
	if u := t.LastUnsatisfied; u != nil {
		l := widget.NewLabel(fmt.Sprintf("Last unsatisfied: %d/5 on %s (%s)", u.Value, formatDay(u.At), relative(u.At)))
		l.Wrapping = fyne.TextWrapWord
		lines := newTight(l)
		if d := joinNonEmpty(" · ", prefix("about: ", u.Concern), prefix("they said: ", quoted(u.Comment))); d != "" {
			lines.Add(muted(d))
		}
		out = append(out, lines)
	}
	return out
}

// tempNow is the current temperature as "Now 2/5 ●●○○○", with the drop since
// the reading before flagged in the error colour.
func tempNow(t data.Trend, label string) *fyne.Container {
	now := container.NewHBox(widget.NewLabel(fmt.Sprintf("%s %d/5", label, t.Current)), tempLabel(t.Current))
	if t.Dropped {
		now.Add(badge(fmt.Sprintf("dropped from %d", t.Previous), widget.DangerImportance))
	}
	return now
}

// sectionBox lays out a report section: one item a row, numbered when the
// section is ordered, with its flag (a lock when confidential, a coloured
// word otherwise) and detail lines.
func sectionBox(sec report.Section) fyne.CanvasObject {
	box := container.NewVBox()
	for i, it := range sec.Items {
		if it.More { // "and 9,980 more": set apart, not numbered
			box.Add(muted(it.Text))
			continue
		}
		text := it.Text
		if sec.Ordered {
			text = fmt.Sprintf("%d. %s", i+1, text)
		}
		main := widget.NewLabel(text)
		main.Wrapping = fyne.TextWrapWord
		lines := newTight(main)
		var left fyne.CanvasObject
		switch {
		case it.Flag == "confidential":
			left = container.NewVBox(widget.NewIcon(iconLock))
		case it.Flag == "coming up":
			left = container.NewVBox(widget.NewIcon(iconCake))
		case it.Flag != "":
			imp := widget.WarningImportance
			if it.Flag == "overdue" || it.Flag == "dropped" {
				imp = widget.DangerImportance
			}
			f := badge(it.Flag, imp)
			f.Wrapping = fyne.TextWrapWord
			lines.Add(f)
		}
		for _, d := range it.Detail {
			lines.Add(muted(d))
		}
		box.Add(container.NewBorder(nil, nil, left, nil, lines))
	}
	return box
}

func (s *briefingScreen) onLog() {
	if s.b != nil {
		s.u.openLogDialog(s.b.Customer, nil)
	}
}

func (s *briefingScreen) onBack() { s.u.customers.show(s.id) }

// onExport saves the briefing as a printable PDF, or as a web page when the
// file name ends in .html; confidential items are left out.
func (s *briefingScreen) onExport() {
	if s.b == nil {
		return
	}
	b := s.b
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			s.u.showError("Could not save the briefing", err)
			return
		}
		if w == nil {
			return // cancelled
		}
		s.save(w, b)
	}, s.u.win)
	d.SetFileName(safeFileName(b.Customer.Name()) + " briefing.pdf")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pdf", ".html", ".htm"}))
	d.Show()
}

// save writes briefing b where the save dialog chose, off the UI goroutine.
func (s *briefingScreen) save(w fyne.URIWriteCloser, b *data.Briefing) {
	format := briefingFormat(w.URI())
	s.u.run(func() {
		out, finish, err := saveTarget(s.u.ctx, w)
		if err == nil {
			err = finish(writeBriefing(out, b, format))
		}
		s.u.do(func() {
			if err != nil {
				s.u.showError("Could not save the briefing", err)
			}
		})
	})
}

// briefingFormat is "html" for a .html or .htm file, else "pdf".
func briefingFormat(u fyne.URI) string {
	if ext := strings.ToLower(u.Extension()); ext == ".html" || ext == ".htm" {
		return "html"
	}
	return "pdf"
}

// writeBriefing writes b as a PDF or a web page ("pdf", "html") without its
// confidential items.
func writeBriefing(w io.Writer, b *data.Briefing, format string) error {
	doc := report.Briefing(b, report.Options{})
	if format == "html" {
		return doc.HTML(w, now())
	}
	return doc.PDF(w, now())
}
