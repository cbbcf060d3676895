package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

func TestBriefTodayAndTemperature(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	rapport(t, "sample", "--db", db)
	ctx := context.Background()
	s, err := data.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	c := &data.Customer{GivenName: "Vera", FamilyName: "Briefed", Nickname: "V", Company: "Cold Rooms Ltd"}
	s.CreateCustomer(ctx, c)
	s.SaveFamilyMember(ctx, &data.FamilyMember{CustomerID: c.ID, Relation: data.RelChild, Name: "Openly"})
	s.SaveFamilyMember(ctx, &data.FamilyMember{CustomerID: c.ID, Relation: data.RelSpouse, Name: "Secretname", Confidential: true})
	s.SaveProfileItem(ctx, &data.ProfileItem{CustomerID: c.ID, Category: data.CatAvoid, Text: "Politics"})
	k := &data.Concern{CustomerID: c.ID, Text: "Noise at night"}
	s.AddConcern(ctx, k)
	s.AddFollowUp(ctx, &data.FollowUp{CustomerID: c.ID, Text: "Send the quote", Promise: true, Due: data.DateOf(time.Now().AddDate(0, 0, -1))})
	s.Close()
	id := itoa(c.ID)

	r := rapport(t, "log", "--db", db, "--customer", id, "--kind", "call", "--temp", "5", "--at", time.Now().AddDate(0, 0, -3).Format("2006-01-02 15:04"), "All good")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	r = rapport(t, "log", "--db", db, "--customer", id, "--kind", "visit", "--temp", "2", "--temp-comment", "Still too loud",
		"--heard", "You need it quiet by Friday", "--confirmed", "Checked the compressor")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := rapport(t, "log", "--db", db, "--customer", id, "--kind", "call", "--temp", "7", "x"); r.code != ExitUsage || !strings.Contains(r.stderr, "--temp must be from 1") {
		t.Errorf("temp 7: %+v", r)
	}

	html, pdf := filepath.Join(dir, "brief.html"), filepath.Join(dir, "brief.pdf")
	r = rapport(t, "brief", "--db", db, "--html", html, "--pdf", pdf, "Vera Briefed")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	for _, want := range []string{"# Vera Briefed", "Likes to be called “V”", "Child: Openly", "Noise at night", "Promised: Send the quote",
		"[overdue]", "Now 2/5", "down from 5", "they said: “Still too loud”", "What I heard: “You need it quiet by Friday” (they confirmed)",
		"## Topics to avoid", "Politics"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("briefing lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "Secretname") {
		t.Error("a confidential family member was printed")
	}
	page, err := os.ReadFile(html)
	if err != nil || !strings.Contains(string(page), "<h1>Vera Briefed</h1>") || strings.Contains(string(page), "Secretname") {
		t.Errorf("HTML briefing: %v", err)
	}
	// Its text is checked in ui/report; here, that --pdf writes one.
	if doc, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(doc, []byte("%PDF-")) {
		t.Errorf("PDF briefing: %v", err)
	}

	r = rapport(t, "today", "--db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "# Today") {
		t.Fatalf("today: %+v", r)
	}
	for _, want := range []string{"Overdue follow-ups", "Vera Briefed (#" + id + "): promised: Send the quote", "Recent low temperatures", "2/5"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("today lacks %q:\n%s", want, r.stdout)
		}
	}
	if r := rapport(t, "brief", "--db", db, "Nobody Atall"); r.code != ExitError || !strings.Contains(r.stderr, "no customer matches") {
		t.Errorf("brief unknown: %+v", r)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestTodayFollowsLocale: the Today view and the briefing write times as the
// user's locale does; the log line stays ISO for scripts.
func TestTodayFollowsLocale(t *testing.T) {
	defer locale.Set(locale.Current())
	db := filepath.Join(t.TempDir(), "r.db")
	ctx := context.Background()
	s, err := data.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	uma := &data.Customer{GivenName: "Uma", FamilyName: "Local"}
	s.CreateCustomer(ctx, uma)
	tomorrow := time.Now().AddDate(0, 0, 1)
	at := time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day(), 14, 30, 0, 0, time.Local)
	if err := s.PlanVisit(ctx, &data.PlannedVisit{CustomerID: uma.ID, At: at, Purpose: "Cold room"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, c := range []struct{ locale, want string }{
		{"en_US.UTF-8", at.Format("Mon, Jan 2, 2006, 3:04 PM")},
		{"de_DE.UTF-8", at.Format("Mon 2 Jan 2006, 15:04")},
		{"C", at.Format("Mon 2 Jan 2006, 15:04")},
	} {
		locale.Set(locale.Parse(c.locale))
		for _, cmd := range []string{"today", "brief"} {
			args := []string{cmd, "--db", db}
			if cmd == "brief" {
				args = append(args, "Uma Local")
			}
			if r := rapport(t, args...); r.code != 0 || !strings.Contains(r.stdout, c.want) {
				t.Errorf("%s under %s lacks %q: %+v", cmd, c.locale, c.want, r)
			}
		}
	}
	r := rapport(t, "log", "--db", db, "--customer", itoa(uma.ID), "--kind", "call", "--at", "2026-03-02 14:30", "Called")
	if want := "at 2026-03-02 14:30\n"; !strings.HasSuffix(r.stdout, want) {
		t.Errorf("the log line under the US locale should stay ISO: %q", r.stdout)
	}
}
