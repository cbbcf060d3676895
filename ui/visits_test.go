package ui

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/rapportcrm/rapport/assets"
	"github.com/rapportcrm/rapport/data"
)

// newSampleUI opens the window on a database holding the sample customers,
// whose visits, follow-ups and birthdays fall around today.
func newSampleUI(t *testing.T) (*UI, *data.Store) {
	t.Helper()
	a := test.NewTempApp(t)
	s := sampleStore(t)
	u := New(a, s)
	// Under the UI lock: New's background loads report back meanwhile.
	onUI(u, func() {
		u.win.Resize(fyne.NewSize(1200, 780))
		u.win.Show()
	})
	u.wait()
	return u, s
}

// sampleStore is a new database file holding the sample customers.
func sampleStore(t *testing.T) *data.Store {
	t.Helper()
	ctx := context.Background()
	s, err := data.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ds, err := data.ReadDataset(bytes.NewReader(assets.SampleJSON))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadDataset(ctx, ds, time.Now()); err != nil {
		t.Fatal(err)
	}
	return s
}

// tapLocked taps b holding the lock UI.do takes: the test driver runs the
// updates of the jobs the tap starts on their own goroutines.
func tapLocked(u *UI, b fyne.Tappable) {
	u.doMu.Lock()
	defer u.doMu.Unlock()
	test.Tap(b)
}

// customerID finds a sample customer by name.
func customerID(t *testing.T, s *data.Store, name string) int64 {
	t.Helper()
	rows, err := s.Search(context.Background(), name, 5)
	if err != nil || len(rows) == 0 {
		t.Fatalf("no customer %q: %v", name, err)
	}
	return rows[0].ID
}

// openCustomer shows a customer's page and waits for it.
func openCustomer(t *testing.T, u *UI, id int64) {
	t.Helper()
	u.customers.show(id)
	u.wait()
	if u.pane != paneCustomer || u.customer.id != id {
		t.Fatalf("customer %d not shown (pane %s, shown %d)", id, u.pane, u.customer.id)
	}
}

func TestTodayIsHome(t *testing.T) {
	u, s := newSampleUI(t)
	ctx := context.Background()
	if u.pane != paneToday || u.right.Objects[0] != u.today.root {
		t.Fatalf("start shows pane %q, want the Today view", u.pane)
	}
	today, err := s.Today(ctx, time.Now())
	if err != nil || len(today.VisitsToday) == 0 || len(today.OverdueFollowUps) == 0 {
		t.Fatalf("the sample should have visits today and overdue follow-ups: %+v, %v", today, err)
	}
	screen := joined(u.today.root)
	for _, want := range []string{"Visits today", today.VisitsToday[0].CustomerName, today.VisitsToday[0].Purpose,
		"Overdue follow-ups", today.OverdueFollowUps[0].Text, "Due for contact", "overdue", "Recently unsatisfied"} {
		if !strings.Contains(screen, want) {
			t.Errorf("Today does not show %q:\n%s", want, screen)
		}
	}
	if msg := overdueMessage(today); !strings.Contains(msg, "overdue") {
		t.Errorf("notification = %q", msg)
	}

	// One click on a visit opens its briefing.
	visit := today.VisitsToday[0]
	tapLocked(u, findButton(u.today.root, "Briefing"))
	u.wait()
	if u.pane != paneBriefing || u.briefing.id != visit.CustomerID {
		t.Fatalf("after Briefing: pane %q, customer %d, want %d", u.pane, u.briefing.id, visit.CustomerID)
	}
	brief := joined(u.briefing.root)
	concerns, _ := s.Concerns(ctx, visit.CustomerID, false)
	if !strings.Contains(brief, visit.CustomerName) || len(concerns) == 0 || !strings.Contains(brief, "1. "+concerns[0].Text) {
		t.Errorf("briefing of %s does not show them and their first concern:\n%s", visit.CustomerName, brief)
	}

	// Ctrl+T goes home again.
	u.win.Canvas().(fyne.Shortcutable).TypedShortcut(scToday)
	u.wait()
	if u.pane != paneToday {
		t.Errorf("Ctrl+T shows %q", u.pane)
	}
}

func TestTodayDoneRemovesFollowUp(t *testing.T) {
	u, s := newSampleUI(t)
	ctx := context.Background()
	f := u.today.t.OverdueFollowUps[0]
	test.Tap(findButton(u.today.root, "Done")) // the first is the most overdue
	u.wait()
	for _, o := range append(u.today.t.OverdueFollowUps, u.today.t.DueFollowUps...) {
		if o.ID == f.ID {
			t.Fatal("the follow-up done is still on Today")
		}
	}
	if strings.Contains(joined(u.today.box), f.Text) { // the undo bar above the list names it
		t.Error("Today still lists the follow-up")
	}
	done, _ := s.FollowUps(ctx, f.CustomerID, true)
	found := false
	for _, d := range done {
		if d.ID == f.ID {
			found = d.Done()
		}
	}
	if !found {
		t.Error("the store does not have the follow-up done")
	}

	// Snooze a week moves the next one off the overdue list.
	g := u.today.t.OverdueFollowUps[0]
	test.Tap(findButton(u.today.root, "1 week"))
	u.wait()
	open, _ := s.FollowUps(ctx, g.CustomerID, false)
	for _, o := range open {
		if o.ID == g.ID && o.Overdue(time.Now()) {
			t.Errorf("snoozed follow-up still overdue: due %s", o.Due)
		}
	}
}

func TestLogTemperatureShowsDropInBriefing(t *testing.T) {
	u, s := newSampleUI(t)
	ctx := context.Background()
	id := customerID(t, s, "Margaret O'Connell")
	openCustomer(t, u, id)
	concerns := u.customer.concerns.open
	if len(concerns) == 0 {
		t.Fatal("Margaret has open concerns in the sample")
	}

	u.win.Canvas().(fyne.Shortcutable).TypedShortcut(scLog)
	d := u.logDialog
	test.Type(d.summary, "Refit running late")
	d.temp.SetSelectedIndex(2)
	d.concern.SetSelected(concerns[0].Text)
	test.Type(d.said, "Easter is at risk")
	test.Type(d.heard, "You need a new date for the refit by Friday")
	d.heardOK.SetChecked(true)
	test.Type(d.followText, "Call with the new refit date")
	test.Tap(d.save)
	u.wait()

	hist, err := s.Interactions(ctx, id, 0, 1)
	if err != nil || len(hist) != 1 {
		t.Fatal(hist, err)
	}
	in := hist[0]
	if in.Temperature != 2 || in.TempConcernID != concerns[0].ID || in.TempComment != "Easter is at risk" ||
		in.Heard == "" || !in.HeardConfirmed {
		t.Errorf("logged %+v", in)
	}
	fus, _ := s.FollowUps(ctx, id, false)
	if !strings.Contains(followUpTexts(fus), "Call with the new refit date") {
		t.Errorf("follow-up from the log dialog missing: %v", fus)
	}
	if h := joined(u.customer.historyBox); !strings.Contains(h, "●●○○○ 2/5") || !strings.Contains(h, "they confirmed it") {
		t.Errorf("history row does not show the temperature and what I heard:\n%s", h)
	}

	u.win.Canvas().(fyne.Shortcutable).TypedShortcut(scBrief)
	u.wait()
	brief := joined(u.briefing.root)
	if !strings.Contains(brief, "dropped from 5") || !strings.Contains(brief, "Easter is at risk") {
		t.Errorf("briefing does not flag the drop:\n%s", brief)
	}
}

func followUpTexts(fs []data.FollowUp) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Text)
	}
	return strings.Join(out, "\n")
}

func TestConcernsConfirmAndRank(t *testing.T) {
	u, s := newSampleUI(t)
	ctx := context.Background()
	id := customerID(t, s, "Margaret O'Connell")
	openCustomer(t, u, id)
	p := u.customer.concerns
	stale := -1
	for i, r := range p.rows {
		if r.flag.Visible() {
			stale = i
		}
	}
	if stale < 0 {
		t.Fatal("the sample has a concern of Margaret's due for re-checking")
	}
	staleID := p.rows[stale].c.ID
	test.Tap(p.rows[stale].confirm)
	u.wait()
	for _, r := range p.rows {
		if r.c.ID == staleID && r.flag.Visible() {
			t.Error("confirming did not clear the re-check flag")
		}
	}
	open, _ := s.Concerns(ctx, id, false)
	for _, c := range open {
		if c.ID == staleID && time.Since(c.ConfirmedAt) > time.Minute {
			t.Errorf("confirmed at %v", c.ConfirmedAt)
		}
	}

	// Up moves the second first; Down moves it back.
	second := p.rows[1].c.ID
	test.Tap(p.rows[1].up)
	u.wait()
	open, _ = s.Concerns(ctx, id, false)
	if open[0].ID != second || p.rows[0].c.ID != second {
		t.Fatalf("after Up the first is %d, want %d", open[0].ID, second)
	}
	if !strings.HasPrefix(joined(p.box), "1. "+open[0].Text) {
		t.Errorf("list not renumbered:\n%s", joined(p.box))
	}
	test.Tap(p.rows[0].down)
	u.wait()
	open, _ = s.Concerns(ctx, id, false)
	if open[1].ID != second {
		t.Errorf("after Down the second is %d, want %d", open[1].ID, second)
	}

	// Resolve folds it away under "Resolved".
	test.Tap(p.rows[0].resolve)
	u.wait()
	if len(p.open) != len(open)-1 || !p.resolvedAcc.Visible() || !strings.HasPrefix(p.resolvedItem.Title, "Resolved (") {
		t.Errorf("after Resolve: %d open, resolved shown %v", len(p.open), p.resolvedAcc.Visible())
	}

	// Add one.
	test.Tap(p.addBtn)
	fd := u.concernDialog
	test.Type(u.win.Canvas().Focused(), "Wants fixed prices for two years")
	test.Tap(fd.save)
	u.wait()
	if last := p.open[len(p.open)-1]; last.Text != "Wants fixed prices for two years" {
		t.Errorf("added concern not last: %+v", p.open)
	}
}

func TestCalibrationSetting(t *testing.T) {
	u, s := newSampleUI(t)
	id := customerID(t, s, "Margaret O'Connell")
	openCustomer(t, u, id)
	flagged := func() int {
		n := 0
		for _, r := range u.customer.concerns.rows {
			if r.flag.Visible() {
				n++
			}
		}
		return n
	}
	before := flagged()
	u.onSettings()
	u.wait()
	u.settingsEntry.SetText("3650")
	test.Tap(u.settingsDialog.save)
	u.wait()
	if days, _ := s.CalibrationDays(context.Background()); days != 3650 {
		t.Fatalf("calibration days = %d", days)
	}
	if before == 0 || flagged() != 0 {
		t.Errorf("flags before %d, after a 10-year period %d", before, flagged())
	}
}

func TestFollowUpCadenceAndVisit(t *testing.T) {
	u, s := newTestUI(t, person("Jane", "Doe", "Acme"))
	ctx := context.Background()
	if !strings.Contains(joined(u.today.root), "Nothing planned") {
		t.Errorf("an empty Today should say what to do:\n%s", joined(u.today.root))
	}
	u.customers.show(u.customer.id)
	u.wait()
	id := u.customer.id
	p := u.customer.plan

	test.Tap(p.addBtn)
	test.Type(u.followUpForm.text, "Send the brochure")
	u.followUpForm.promise.SetChecked(true)
	test.Tap(u.followUpDialog.save)
	u.wait()
	fus, _ := s.FollowUps(ctx, id, false)
	if len(fus) != 1 || fus[0].Text != "Send the brochure" || !fus[0].Promise {
		t.Fatalf("follow-ups = %+v", fus)
	}
	due := fus[0].Due
	if len(p.fuRows) != 1 {
		t.Fatalf("rows = %d", len(p.fuRows))
	}
	p.onSnooze(p.fuRows[0].f, 1)
	u.wait()
	fus, _ = s.FollowUps(ctx, id, false)
	if want := data.DateOf(due.Time().AddDate(0, 0, 1)); fus[0].Due != want {
		t.Errorf("snoozed to %s, want %s", fus[0].Due, want)
	}
	test.Tap(p.fuRows[0].done)
	u.wait()
	if fus, _ = s.FollowUps(ctx, id, false); len(fus) != 0 || len(p.fuRows) != 0 {
		t.Errorf("after Done: %+v", fus)
	}

	// Cadence: every 30 days, at most 45. Jane was added today: not due yet.
	p.every.SetText("30")
	p.atMost.SetText("45")
	test.Tap(p.setBtn)
	u.wait()
	st, _ := s.ContactStatus(ctx, id)
	if st.Cadence != (data.Cadence{Days: 30, MaxDays: 45}) {
		t.Errorf("cadence = %+v", st.Cadence)
	}
	if !strings.Contains(p.state.Text, "Next contact due") {
		t.Errorf("state = %q", p.state.Text)
	}

	// A visit planned for tomorrow shows on Today, and its briefing is a click away.
	test.Tap(p.planBtn)
	test.Type(u.visitForm.purpose, "Bring samples")
	u.visitForm.remind.SetSelected("30 minutes before")
	test.Tap(u.visitDialog.save)
	u.wait()
	if len(p.visits) != 1 || !strings.Contains(joined(p.visitBox), "Bring samples") || !strings.Contains(joined(p.visitBox), "reminder") {
		t.Fatalf("visits = %+v\n%s", p.visits, joined(p.visitBox))
	}
	if p.visits[0].Remind != 30*time.Minute {
		t.Errorf("reminder saved: %v", p.visits[0].Remind)
	}
	u.showToday()
	u.wait()
	if screen := joined(u.today.root); !strings.Contains(screen, "Visits this week") || !strings.Contains(screen, "Bring samples") {
		t.Errorf("Today does not show the planned visit:\n%s", screen)
	}
}

// setOrder picks an order in the Select above the list, holding the lock
// UI.do takes: the reload it starts may answer before the Select redraws.
func setOrder(u *UI, order int) {
	u.doMu.Lock()
	defer u.doMu.Unlock()
	u.customers.order.SetSelectedIndex(order)
}

func TestListByTemperature(t *testing.T) {
	u, s := newSampleUI(t)
	setOrder(u, orderUnsatisfied)
	u.wait()
	want, _ := s.ListByTemperature(context.Background(), data.Unsatisfied, 0, 100)
	if len(want) == 0 || u.customers.length() != len(want) {
		t.Fatalf("unsatisfied: list has %d, store %d", u.customers.length(), len(want))
	}
	for i := 0; i < u.customers.length(); i++ {
		cs, _ := u.customers.row(i)
		if cs.Temperature > data.Unsatisfied || cs.Temperature == 0 {
			t.Errorf("%s has temperature %d", cs.Name, cs.Temperature)
		}
	}
	if rows := joined(u.customers.list); !strings.Contains(rows, "●●○○○") {
		t.Errorf("rows do not show the temperature:\n%s", rows)
	}
	setOrder(u, orderByTemp)
	u.wait()
	prev := 0
	for i := 0; i < u.customers.length(); i++ {
		cs, _ := u.customers.row(i)
		if cs.Temperature < prev {
			t.Errorf("%s (%d) after %d: not lowest first", cs.Name, cs.Temperature, prev)
		}
		prev = cs.Temperature
	}
	setOrder(u, orderByName)
	u.wait()
	if n, _ := s.CountCustomers(context.Background()); u.customers.length() != n {
		t.Errorf("by name lists %d of %d", u.customers.length(), n)
	}
}

func TestBriefingExportLeavesOutConfidential(t *testing.T) {
	u, s := newSampleUI(t)
	id := customerID(t, s, "Margaret O'Connell")
	u.doMu.Lock()
	u.briefing.open(id)
	u.doMu.Unlock()
	u.wait()
	secret := "Her brother's business"
	if !strings.Contains(joined(u.briefing.root), secret) {
		t.Fatalf("the briefing on screen shows confidential items:\n%s", joined(u.briefing.root))
	}
	var buf bytes.Buffer
	if err := writeBriefing(&buf, u.briefing.b, "html"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "brother") || !strings.Contains(buf.String(), "<html") {
		t.Error("the exported page should be HTML without the confidential items")
	}
	buf.Reset()
	if err := writeBriefing(&buf, u.briefing.b, "pdf"); err != nil {
		t.Fatal(err)
	}
	// What the PDF says is checked in ui/report (TestBriefingPDF).
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Errorf("the exported briefing should be a PDF, starts %q", buf.Bytes()[:min(20, buf.Len())])
	}
	for name, want := range map[string]string{"Maria briefing.pdf": "pdf", "Maria briefing.html": "html", "x.HTM": "html", "Maria": "pdf"} {
		if got := briefingFormat(storage.NewFileURI("/tmp/" + name)); got != want {
			t.Errorf("%s is written as %s, want %s", name, got, want)
		}
	}
	test.Tap(u.briefing.backBtn)
	u.wait()
	if u.pane != paneCustomer || u.customer.id != id {
		t.Errorf("back shows %q, customer %d", u.pane, u.customer.id)
	}
}

// A visit planned for 10:00 in Berlin is 10:00 Berlin time, whatever this
// machine's zone; a zone name that is none is refused by name.
func TestPlanVisitInAnotherZone(t *testing.T) {
	u, s := newTestUI(t, person("Jane", "Doe", "Acme"))
	u.customers.show(u.customer.id)
	u.wait()
	p := u.customer.plan
	test.Tap(p.planBtn)
	u.visitForm.zone.SetText("Mars/Olympus")
	test.Tap(u.visitDialog.save)
	u.wait()
	if got := u.visitDialog.message.Text; !strings.Contains(got, `Time zone: "Mars/Olympus" is not a zone name`) {
		t.Errorf("a wrong zone says %q", got)
	}
	u.visitForm.zone.SetText("Europe/Berlin")
	test.Tap(u.visitDialog.save)
	u.wait()
	vs, err := s.UpcomingVisits(context.Background(), u.customer.id, time.Now())
	if err != nil || len(vs) != 1 {
		t.Fatalf("visits: %+v %v", vs, err)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	if h, m, _ := vs[0].At.In(berlin).Clock(); h != 10 || m != 0 || vs[0].Zone != "Europe/Berlin" {
		t.Errorf("planned at %s in %q, want 10:00 Berlin", vs[0].At.In(berlin), vs[0].Zone)
	}
}
