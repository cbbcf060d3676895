package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

func sampleBriefing() *data.Briefing {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	return &data.Briefing{
		Now:      now,
		Customer: &data.Customer{GivenName: "Ana <script>alert(1)</script>", FamilyName: "*Bold*", Title: "Chef", Company: "Café"},
		Profile: &data.Profile{
			Items:  []data.ProfileItem{{Category: data.CatHobby, Text: "Sailing"}, {Category: data.CatAvoid, Text: "Her divorce", Confidential: true}},
			Family: []data.FamilyMember{{Relation: data.RelChild, Name: "Leo", Birthday: data.MustParseDate("2019-12-01")}},
		},
		Concerns:        []data.BriefConcern{{Concern: data.Concern{Text: "Noise", ConfirmedAt: now.AddDate(0, 0, -90)}, CalibrationDue: true}},
		CalibrationDays: 60,
		Temperature: data.Trend{Readings: []data.Reading{{Value: 5, At: now.AddDate(0, 0, -30)}, {Value: 2, At: now.AddDate(0, 0, -1), Comment: "too loud"}},
			Current: 2, Previous: 5, Dropped: true},
	}
}

func TestBriefingDocument(t *testing.T) {
	b := sampleBriefing()
	b.Temperature.LastUnsatisfied = &b.Temperature.Readings[1]
	var md bytes.Buffer
	Briefing(b, Options{}).Markdown(&md)
	for _, want := range []string{"Child: Leo, 6", "Hobbies and interests: Sailing", "Noise **[re-check", "Now 2/5 ●●○○○, down from 5", "trend █▂", "\\*Bold\\*"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	if strings.Contains(md.String(), "divorce") {
		t.Error("confidential item printed")
	}
	var screen bytes.Buffer
	Briefing(b, Options{Confidential: true}).Markdown(&screen)
	if !strings.Contains(screen.String(), "Her divorce **[confidential]**") {
		t.Errorf("on screen the confidential item shows, marked:\n%s", screen.String())
	}
	var page bytes.Buffer
	if err := Briefing(b, Options{}).HTML(&page, b.Now); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(page.String(), "<script>alert") || !strings.Contains(page.String(), "&lt;script&gt;") {
		t.Error("HTML page does not escape the customer's text")
	}
}

func TestAgoAndIn(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for d, want := range map[int]string{0: "today", -1: "yesterday", -5: "5 days ago", -21: "3 weeks ago", -90: "3 months ago", 1: "tomorrow", 10: "in 10 days"} {
		if got := Ago(now, now.AddDate(0, 0, d)); got != want {
			t.Errorf("Ago(%d days) = %q, want %q", d, got, want)
		}
	}
}

// TestLocaleDates checks that the documents write dates and times as the
// user's locale does, for the command line and the exported page alike.
func TestLocaleDates(t *testing.T) {
	defer locale.Set(locale.Current())
	b := sampleBriefing()
	now := b.Now
	b.Customer.Birthday = data.MustParseDate("1975-04-15")
	b.Visits = []data.PlannedVisit{{At: time.Date(2026, 11, 25, 14, 30, 0, 0, time.UTC), Purpose: "Cold room"}}
	b.Recent = []data.Interaction{{Kind: data.KindVisit, At: time.Date(2026, 11, 20, 16, 5, 0, 0, time.UTC), Summary: "Tour"}}
	b.Interactions = 12345
	today := &data.Today{
		Now:              now,
		VisitsToday:      []data.PlannedVisit{{CustomerID: 7, CustomerName: "Ana", At: time.Date(2026, 11, 23, 14, 30, 0, 0, time.UTC)}},
		VisitsThisWeek:   []data.PlannedVisit{{CustomerID: 7, CustomerName: "Ana", At: time.Date(2026, 11, 26, 9, 15, 0, 0, time.UTC)}},
		OverdueFollowUps: []data.FollowUp{{CustomerID: 7, CustomerName: "Ana", Text: "Send prices", Due: data.MustParseDate("2026-11-20")}},
	}
	for _, c := range []struct {
		locale          string
		brief, todayDoc []string
	}{
		{"en_US.UTF-8",
			[]string{"Birthday April 15, 1975", "Wed, Nov 25, 2026, 2:30 PM (in 2 days)", "Fri, Nov 20, 2026, 4:05 PM · Visit", "(12,345 in all)"},
			[]string{"# Today, Mon, Nov 23, 2026", "- 2:30 PM  Ana (#7)", "- Thu, Nov 26, 2026, 9:15 AM  Ana (#7)", "due Fri, Nov 20, 2026"}},
		{"en_GB.UTF-8",
			[]string{"Birthday 15 April 1975", "Wed 25 Nov 2026, 14:30 (in 2 days)", "Fri 20 Nov 2026, 16:05 · Visit", "(12,345 in all)"},
			[]string{"# Today, Mon 23 Nov 2026", "- 14:30  Ana (#7)", "- Thu 26 Nov 2026, 09:15  Ana (#7)", "due Fri 20 Nov 2026"}},
		// Scripts under LANG=C get what the command line always printed.
		{"C",
			[]string{"Birthday 15 April 1975", "Wed 25 Nov 2026, 14:30 (in 2 days)", "(12345 in all)"},
			[]string{"# Today, Mon 23 Nov 2026", "- 14:30  Ana (#7)"}},
	} {
		t.Run(c.locale, func(t *testing.T) {
			locale.Set(locale.Parse(c.locale))
			var md, page, td bytes.Buffer
			doc := Briefing(b, Options{})
			doc.Markdown(&md)
			if err := doc.HTML(&page, now); err != nil {
				t.Fatal(err)
			}
			Today(today).Markdown(&td)
			for _, want := range c.brief {
				if !strings.Contains(md.String(), want) {
					t.Errorf("briefing lacks %q:\n%s", want, md.String())
				}
				if !strings.Contains(page.String(), want) {
					t.Errorf("HTML page lacks %q", want)
				}
			}
			if made := "Rapport briefing, " + locale.DateTime(now); !strings.Contains(page.String(), made) {
				t.Errorf("HTML page lacks %q", made)
			}
			for _, want := range c.todayDoc {
				if !strings.Contains(td.String(), want) {
					t.Errorf("Today lacks %q:\n%s", want, td.String())
				}
			}
		})
	}
}
