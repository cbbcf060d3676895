package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

// logDialog records a visit, call, e-mail or meeting, or edits one.
type logDialog struct {
	*formDialog
	kind    *keySelect
	date    *dateEntry
	clock   *formEntry
	minutes *formEntry
	summary *formEntry
	notes   *formEntry

	temp       *keySelect // "Not asked", then 1 to 5
	concern    *keySelect // which open concern the temperature is about
	said       *formEntry // what they said about it
	heard      *formEntry // what I heard, read back to them
	heardOK    *keyCheck  // they confirmed it
	followText *formEntry // follow up on… (new interactions only)
	followDue  *dateEntry

	concerns []data.Concern
}

// tempChoices are the satisfaction choices: index 0 is "not asked", index n
// is temperature n.
var tempChoices = []string{"Not asked", "1 – very unhappy", "2 – unhappy", "3 – so-so", "4 – satisfied", "5 – delighted"}

const noConcern = "About nothing in particular"

// openConcerns are customer id's open concerns if they are on screen.
func (u *UI) openConcerns(id int64) []data.Concern {
	if u.customer.concerns != nil && u.customer.concerns.id == id {
		return u.customer.concerns.open
	}
	if u.briefing.b != nil && u.briefing.id == id {
		var out []data.Concern
		for _, c := range u.briefing.b.Concerns {
			out = append(out, c.Concern)
		}
		return out
	}
	return nil
}

// openLogDialog logs a new interaction with c (in == nil) or edits in.
func (u *UI) openLogDialog(c *data.Customer, in *data.Interaction) {
	u.openLog(c, in, u.openConcerns(c.ID))
}

// openLog is openLogDialog with c's open concerns, loaded by the caller when
// c is not on screen.
func (u *UI) openLog(c *data.Customer, in *data.Interaction, concerns []data.Concern) {
	if !u.guard.writable() {
		return
	}
	d := &logDialog{}
	it := data.Interaction{CustomerID: c.ID, Kind: data.KindVisit, At: now()}
	title := "Log an interaction with " + c.Name()
	if in != nil {
		it = *in
		title = "Edit " + strings.ToLower(kindLabel(in.Kind)) + " with " + c.Name()
	}
	var kinds []string
	for _, k := range data.InteractionKinds {
		kinds = append(kinds, kindLabel(k))
	}
	d.kind = newKeySelect(kinds, nil)
	d.kind.SetSelected(kindLabel(it.Kind))
	d.date = newDateEntry()
	at := it.At.Local()
	day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	d.date.SetDate(&day)
	d.clock = newEntry(clockExample())
	d.clock.SetText(formatClock(at))
	d.minutes = newEntry("minutes")
	if it.Duration > 0 {
		d.minutes.SetText(strconv.Itoa(int(it.Duration / time.Minute)))
	}
	d.summary = newEntry("What happened, in one line")
	d.summary.SetText(it.Summary)
	d.notes = newMultiLineEntry()
	d.notes.Wrapping = fyne.TextWrapWord
	d.notes.SetMinRowsVisible(4)
	d.notes.SetPlaceHolder("What was said, what you promised, what to bring next time")
	d.notes.SetText(it.Notes)

	d.temp = newKeySelect(tempChoices, nil)
	d.temp.SetSelectedIndex(it.Temperature)
	d.concerns = concerns
	opts, sel := []string{noConcern}, 0
	for i, k := range d.concerns {
		opts = append(opts, k.Text)
		if k.ID == it.TempConcernID {
			sel = i + 1
		}
	}
	d.concern = newKeySelect(opts, nil)
	d.concern.SetSelectedIndex(sel)
	d.said = newEntry("What they said about it, in their words")
	d.said.SetText(it.TempComment)
	d.heard = newEntry("Read back to them")
	d.heard.SetText(it.Heard)
	d.heardOK = newKeyCheck("They confirmed it", nil)
	d.heardOK.SetChecked(it.HeardConfirmed)
	d.followText = newEntry("Follow up on… (optional)")
	d.followDue = newDayEntry(now().AddDate(0, 0, 7))

	form := widget.NewForm(
		widget.NewFormItem("Kind", d.kind),
		widget.NewFormItem("Date", d.date),
		&widget.FormItem{Text: "Time", Widget: d.clock, HintText: clockHint()},
		&widget.FormItem{Text: "Duration", Widget: d.minutes, HintText: "In minutes; leave empty if it does not matter."},
		widget.NewFormItem("Summary", d.summary),
		widget.NewFormItem("Notes", d.notes),
		widget.NewFormItem("Satisfaction", container.NewGridWithColumns(2, d.temp, d.concern)),
		widget.NewFormItem("They said", d.said),
		widget.NewFormItem("What I heard", container.NewBorder(nil, nil, nil, d.heardOK, d.heard)),
	)
	var follow data.FollowUp
	if in == nil {
		due := container.NewGridWrap(fyne.NewSize(170, d.followDue.MinSize().Height), d.followDue)
		form.Append("Follow up", container.NewBorder(nil, nil, nil, due, d.followText))
	}
	check := func() string {
		at, msg := d.when()
		if msg != "" {
			return msg
		}
		mins := 0
		if t := trim(d.minutes.Text); t != "" {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(t, "min"), " "))
			if err != nil || n < 0 {
				return fmt.Sprintf("Duration: %q is not a number of minutes (like 45).", t)
			}
			if most := int(data.MaxInteractionDuration / time.Minute); n > most { // before it is multiplied and overflows
				return fmt.Sprintf("Duration: %s minutes is more than 24 hours (%d minutes).", t, most)
			}
			mins = n
		}
		if trim(d.summary.Text) == "" && trim(d.notes.Text) == "" {
			return "What was it about? Type a short summary."
		}
		it.Kind = kindFromLabel(d.kind.Selected)
		it.At, it.Duration = at, time.Duration(mins)*time.Minute
		it.Summary, it.Notes = d.summary.Text, d.notes.Text
		it.Temperature = max(d.temp.SelectedIndex(), 0)
		it.TempConcernID = 0
		if i := d.concern.SelectedIndex(); it.Temperature > 0 && i > 0 {
			it.TempConcernID = d.concerns[i-1].ID
		}
		it.TempComment = trim(d.said.Text)
		it.Heard, it.HeardConfirmed = trim(d.heard.Text), d.heardOK.Checked
		follow = data.FollowUp{CustomerID: c.ID, Text: trim(d.followText.Text)}
		if follow.Text != "" {
			var msg string
			if follow.Due, msg = dayOf(d.followDue, "Follow up"); msg != "" {
				return msg
			}
		}
		return ""
	}
	save := func() error {
		if it.ID != 0 {
			return u.store.UpdateInteraction(u.ctx, &it)
		}
		if err := u.store.LogInteraction(u.ctx, &it); err != nil {
			return err
		}
		if follow.Text != "" {
			follow.InteractionID = it.ID
			return u.store.AddFollowUp(u.ctx, &follow)
		}
		return nil
	}
	done := func() {
		if u.customer.id == c.ID { // not when logged from Today for someone not on screen
			u.customer.tabs.Select(u.customer.historyTab)
			u.customer.reload()
		}
		u.followUpsChanged(c.ID)
	}
	d.formDialog = u.newFormDialog(title, form, 680, check, save, done)
	u.logDialog = d
	d.dlg.Show()
	u.win.Canvas().Focus(d.summary)
}

// when reads the date and time fields, or says what is wrong with them.
func (d *logDialog) when() (time.Time, string) {
	text := trim(d.date.Text)
	if text == "" {
		return time.Time{}, "Date: when was it? Pick a day."
	}
	var y int
	var m time.Month
	var day int
	// The DateEntry keeps Date in step with valid text in the locale's format
	// (its Validator); anything else typed is read the way Rapport reads dates.
	if d.date.Date != nil && (d.date.Validator == nil || d.date.Validate() == nil) {
		y, m, day = d.date.Date.Date()
	} else {
		pd, err := locale.ParseDate(text)
		if err != nil || !pd.HasYear() {
			return time.Time{}, fmt.Sprintf("Date: %q is not a day (pick one from the calendar).", text)
		}
		y, m, day = pd.Year, pd.Month, pd.Day
	}
	h, min, ok := parseClock(d.clock.Text)
	if !ok {
		return time.Time{}, fmt.Sprintf("Time: %q is not a time of day (like %s).", trim(d.clock.Text), clockExample())
	}
	return time.Date(y, m, day, h, min, 0, 0, time.Local), ""
}

// parseClock reads "14:30", "14.30", "1430", "9", a 12-hour "2:30 PM",
// "2pm", "9 a.m.", whatever the locale, or "" (which is 00:00 as far as the
// clock goes, but here means "some time that day": noon).
func parseClock(s string) (h, m int, ok bool) {
	s = strings.ToLower(trim(s))
	half := "" // "am" or "pm" on a 12-hour clock
	for _, suffix := range []string{"a.m.", "p.m.", "am", "pm", "a", "p"} {
		if rest, found := strings.CutSuffix(s, suffix); found && rest != "" {
			s, half = trim(rest), suffix[:1]+"m"
			break
		}
	}
	s = strings.ReplaceAll(s, ".", ":")
	if s == "" {
		return 12, 0, true
	}
	hs, ms, found := strings.Cut(s, ":")
	if !found && len(s) > 2 {
		hs, ms = s[:len(s)-2], s[len(s)-2:]
	}
	var err1, err2 error
	h, err1 = strconv.Atoi(hs)
	if ms != "" {
		m, err2 = strconv.Atoi(ms)
	}
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, 0, false
	}
	if half != "" {
		if h < 1 || h > 12 {
			return 0, 0, false
		}
		h %= 12 // 12 AM is midnight, 12 PM noon
		if half == "pm" {
			h += 12
		}
	}
	return h, m, true
}
