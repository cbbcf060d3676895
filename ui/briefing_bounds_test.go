package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data"
)

// A customer at a company of 10,000 opens, page and briefing, with a few
// colleagues listed and the rest counted, not 10,000 rows built on the UI
// goroutine (which froze the window for minutes).
func TestBriefingOfBigCompanyListsFewColleagues(t *testing.T) {
	u, s := newTestUI(t, person("Zoe", "Elsewhere", "Small Co")) // not the welcome screen
	ds := &data.Dataset{}
	ds.Customers = append(ds.Customers, data.DatasetCustomer{Card: data.Customer{GivenName: "Ada", FamilyName: "Aaronson", Company: "Big Co"}})
	for i := 0; i < 10_000; i++ {
		ds.Customers = append(ds.Customers, data.DatasetCustomer{Card: data.Customer{
			GivenName: "Colleague", FamilyName: fmt.Sprintf("%05d", i), Company: "Big Co"}})
	}
	if _, err := s.LoadDataset(context.Background(), ds, time.Now()); err != nil {
		t.Fatal(err)
	}
	id := customerID(t, s, "Ada Aaronson")

	openCustomer(t, u, id)
	page := joined(u.customer.contact)
	if want := fmt.Sprintf("and %s more: search for “Big Co”", "9,992"); !strings.Contains(page, want) {
		t.Errorf("the customer page does not say %q:\n%s", want, page)
	}
	if n := strings.Count(page, "Colleague "); n != colleaguesShown {
		t.Errorf("the customer page links %d colleagues, want %d", n, colleaguesShown)
	}

	u.doMu.Lock()
	u.onBriefing()
	u.doMu.Unlock()
	u.wait()
	if u.pane != paneBriefing || u.briefing.b == nil {
		t.Fatalf("Ctrl+B shows pane %q", u.pane)
	}
	brief := joined(u.briefing.root)
	want := fmt.Sprintf("and %s more colleagues at Big Co", "9,980")
	if !strings.Contains(brief, want) {
		t.Errorf("the briefing does not say %q:\n%s", want, brief)
	}
	if n := strings.Count(brief, "Colleague: "); n != data.ColleagueLimit {
		t.Errorf("the briefing lists %d colleagues, want %d", n, data.ColleagueLimit)
	}
	// The exported briefing caps them the same way.
	var html strings.Builder
	if err := writeBriefing(&html, u.briefing.b, "html"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.String(), want) || strings.Count(html.String(), "Colleague: ") != data.ColleagueLimit {
		t.Errorf("the HTML briefing does not cap the colleagues at %d with %q", data.ColleagueLimit, want)
	}
}

// Today lists at most data.TodayLimit follow-ups in a section, and says
// how many more there are.
func TestTodaySaysHowManyMore(t *testing.T) {
	u, s := newTestUI(t, person("Zoe", "Elsewhere", "Small Co"))
	dc := data.DatasetCustomer{Card: data.Customer{GivenName: "Busy", FamilyName: "Bee"}}
	for i := 0; i < data.TodayLimit+1234; i++ {
		dc.FollowUps = append(dc.FollowUps, data.DatasetFollowUp{Text: fmt.Sprintf("overdue %d", i), DueIn: -1 - i%30})
	}
	if _, err := s.LoadDataset(context.Background(), &data.Dataset{Customers: []data.DatasetCustomer{dc}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	u.doMu.Lock()
	u.showToday()
	u.doMu.Unlock()
	u.wait()
	if got := joined(u.today.root); !strings.Contains(got, "and 1,234 more follow-ups") {
		t.Errorf("Today does not say how many more are overdue:\n%.2000s", got)
	}
	if n := len(u.today.t.OverdueFollowUps); n != data.TodayLimit {
		t.Errorf("Today holds %d overdue follow-ups, want %d", n, data.TodayLimit)
	}
}

// The customer page reads notes a page at a time, as it does history.
func TestCustomerNotesPaged(t *testing.T) {
	u, s := newTestUI(t, person("Zoe", "Elsewhere", "Small Co"))
	dc := data.DatasetCustomer{Card: data.Customer{GivenName: "Noted", FamilyName: "Often"}}
	for i := 0; i < 2*notesPage+20; i++ {
		dc.Notes = append(dc.Notes, data.DatasetNote{DaysAgo: i, Text: fmt.Sprintf("note number %d", i)})
	}
	if _, err := s.LoadDataset(context.Background(), &data.Dataset{Customers: []data.DatasetCustomer{dc}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	openCustomer(t, u, customerID(t, s, "Noted Often"))
	c := u.customer
	want := fmt.Sprintf("Show older (%d more)", notesPage+20)
	if len(c.notes) != notesPage || c.notesTab.Text != fmt.Sprintf("Notes (%d)", 2*notesPage+20) || c.notesMore.Text != want {
		t.Fatalf("the page holds %d notes, tab %q, button %q", len(c.notes), c.notesTab.Text, c.notesMore.Text)
	}
	tapLocked(u, c.notesMore)
	u.wait()
	if len(c.notes) != 2*notesPage || c.notesMore.Text != "Show older (20 more)" {
		t.Errorf("after Show older: %d notes, button %q", len(c.notes), c.notesMore.Text)
	}
	if last := c.notes[len(c.notes)-1].Text; last != fmt.Sprintf("note number %d", 2*notesPage-1) {
		t.Errorf("the oldest note shown is %q", last)
	}
	// Reloading after a change keeps as many on screen.
	c.reload()
	u.wait()
	if len(c.notes) != 2*notesPage {
		t.Errorf("after a reload: %d notes", len(c.notes))
	}
}

// A profile of thousands of entries (a card from another program) shows a
// page of each part, and more on request.
func TestCustomerProfileCapped(t *testing.T) {
	u, s := newTestUI(t, person("Zoe", "Elsewhere", "Small Co"))
	dc := data.DatasetCustomer{Card: data.Customer{GivenName: "Big", FamilyName: "Family"}}
	for i := 0; i < 2*profilePage+20; i++ {
		dc.Profile.Family = append(dc.Profile.Family, data.FamilyMember{Relation: data.RelChild, Name: fmt.Sprintf("Kid %d", i)})
	}
	for i := 0; i < profilePage+10; i++ {
		dc.Profile.Items = append(dc.Profile.Items, data.ProfileItem{Category: data.CatHobby, Text: fmt.Sprintf("hobby %d", i)})
	}
	if _, err := s.LoadDataset(context.Background(), &data.Dataset{Customers: []data.DatasetCustomer{dc}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	openCustomer(t, u, customerID(t, s, "Big Family"))
	box := joined(u.customer.profileBox)
	if n, h := strings.Count(box, ": Kid "), strings.Count(box, "hobby "); n != profilePage || h != profilePage {
		t.Errorf("the page shows %d family members and %d hobbies, want %d of each", n, h, profilePage)
	}
	more := findButton(u.customer.profileBox, "Show more (80 more)")
	if more == nil {
		t.Fatalf("no Show more (80 more):\n%.1500s", box)
	}
	tapLocked(u, more)
	u.wait()
	box = joined(u.customer.profileBox)
	if n := strings.Count(box, ": Kid "); n != 2*profilePage || findButton(u.customer.profileBox, "Show more (20 more)") == nil {
		t.Errorf("after Show more: %d family members shown", n)
	}
}
