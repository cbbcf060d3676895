package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data"
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
