package assets_test

import (
	"bytes"
	"context"
	"image/png"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/assets"
	"github.com/rapportcrm/rapport/data"
)

func TestIcon(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(assets.Icon))
	if err != nil {
		t.Fatalf("icon.png: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
		t.Errorf("icon is %dx%d, want 512x512", b.Dx(), b.Dy())
	}
}

func readSample(t *testing.T) *data.Dataset {
	t.Helper()
	ds, err := data.ReadDataset(bytes.NewReader(assets.SampleJSON))
	if err != nil {
		t.Fatalf("sample.json: %v", err)
	}
	return ds
}

// TestSampleCustomers checks each sample customer the way the store will:
// valid card, valid history, known categories and relations.
func TestSampleCustomers(t *testing.T) {
	ds := readSample(t)
	if got, want := len(ds.Customers), 14; got != want {
		t.Fatalf("sample has %d customers, want %d", got, want)
	}
	categories := map[string]bool{}
	for _, c := range data.ProfileCategories {
		categories[c.Key] = true
	}
	for _, dc := range ds.Customers {
		t.Run(dc.Card.Name(), func(t *testing.T) {
			if err := dc.Card.Validate(); err != nil {
				t.Errorf("card: %v", err)
			}
			if dc.Card.Company == "" || dc.Card.Title == "" {
				t.Errorf("company %q, title %q: want both", dc.Card.Company, dc.Card.Title)
			}
			if len(dc.Card.Phones) == 0 || len(dc.Card.Emails) == 0 || len(dc.Card.Addresses) == 0 {
				t.Errorf("want a phone, an e-mail and an address")
			}
			if len(dc.Card.Tags) == 0 {
				t.Errorf("no tags")
			}
			if n := len(dc.Interactions); n < 3 || n > 12 {
				t.Errorf("%d interactions, want 3 to 12", n)
			}
			for i, di := range dc.Interactions {
				if !data.ValidKind(di.Kind) {
					t.Errorf("interaction %d: kind %q", i+1, di.Kind)
				}
				if di.DaysAgo < 0 || di.DaysAgo > 400 {
					t.Errorf("interaction %d: days_ago %d, want 0 to 400", i+1, di.DaysAgo)
				}
				at, err := time.Parse("15:04", di.Time)
				if err != nil {
					t.Errorf("interaction %d: time %q: %v", i+1, di.Time, err)
				}
				// Dated as LoadDataset dates it: days ago, at that clock time.
				now := time.Now()
				when := time.Date(now.Year(), now.Month(), now.Day()-di.DaysAgo, at.Hour(), at.Minute(), 0, 0, time.Local)
				in := data.Interaction{Kind: di.Kind, At: when, Duration: time.Duration(di.Minutes) * time.Minute,
					Summary: di.Summary, Notes: di.Notes}
				if err := in.Validate(); err != nil {
					t.Errorf("interaction %d: %v", i+1, err)
				}
			}
			if n := len(dc.Notes); n < 1 || n > 4 {
				t.Errorf("%d notes, want 1 to 4", n)
			}
			for i, n := range dc.Notes {
				if strings.TrimSpace(n.Text) == "" || n.DaysAgo < 0 || n.DaysAgo > 400 {
					t.Errorf("note %d: empty or out of range (%d days ago)", i+1, n.DaysAgo)
				}
			}
			if len(dc.Profile.Items) < 5 {
				t.Errorf("only %d profile items", len(dc.Profile.Items))
			}
			for _, it := range dc.Profile.Items {
				if !categories[it.Category] {
					t.Errorf("profile item %q: unknown category %q", it.Text, it.Category)
				}
				if strings.TrimSpace(it.Text) == "" {
					t.Errorf("empty profile item in %q", it.Category)
				}
			}
			for _, f := range dc.Profile.Family {
				if !slices.Contains(data.Relations, f.Relation) || f.Name == "" {
					t.Errorf("family member %q: relation %q", f.Name, f.Relation)
				}
				if err := f.Birthday.Validate(); err != nil {
					t.Errorf("family member %q: birthday: %v", f.Name, err)
				}
			}
			for _, p := range dc.Profile.Pets {
				if p.Name == "" || p.Species == "" {
					t.Errorf("pet %q: want name and species (%q)", p.Name, p.Species)
				}
			}
		})
	}
}

// TestSampleVariety checks the mix the welcome screen and the tests rely on.
func TestSampleVariety(t *testing.T) {
	ds := readSample(t)
	companies := map[string]int{}
	uids := map[string]bool{} // loading the sample twice must add nothing
	var withBirthday, noYear, leapDay, confidential, nonASCII int
	var coldRoom []string
	for _, dc := range ds.Customers {
		c := dc.Card
		companies[c.Company]++
		if c.UID == "" || uids[c.UID] {
			t.Errorf("%s: UID %q is empty or not unique", c.Name(), c.UID)
		}
		uids[c.UID] = true
		if !c.Birthday.IsZero() {
			withBirthday++
			if !c.Birthday.HasYear() {
				noYear++
			}
			if c.Birthday.Month == time.February && c.Birthday.Day == 29 {
				leapDay++
			}
		}
		for _, r := range c.Name() {
			if r > 127 {
				nonASCII++
				break
			}
		}
		for _, it := range dc.Profile.Items {
			if it.Confidential {
				confidential++
			}
		}
		for _, n := range dc.Notes {
			if n.Confidential {
				confidential++
			}
		}
		// "cold room" must point at exactly one customer, wherever a search looks.
		var all []string
		for _, di := range dc.Interactions {
			all = append(all, di.Summary, di.Notes)
		}
		inHistory := strings.Contains(strings.ToLower(strings.Join(all, " ")), "cold room")
		for _, n := range dc.Notes {
			all = append(all, n.Text)
		}
		for _, it := range dc.Profile.Items {
			all = append(all, it.Text)
		}
		all = append(all, c.CardNote, strings.Join(c.Tags, " "))
		if strings.Contains(strings.ToLower(strings.Join(all, " ")), "cold room") {
			coldRoom = append(coldRoom, c.Name())
			if !inHistory {
				t.Errorf("%s mentions a cold room, but not in an interaction", c.Name())
			}
		}
	}
	shared := 0
	for name, n := range companies {
		if n > 1 {
			shared++
			if n > 3 {
				t.Errorf("%d people at %s, want at most 3", n, name)
			}
		}
	}
	if shared != 3 {
		t.Errorf("%d companies with more than one person, want 3: %v", shared, companies)
	}
	if len(coldRoom) != 1 {
		t.Errorf("customers mentioning a cold room: %v, want exactly one", coldRoom)
	}
	if withBirthday < 10 || noYear < 2 || leapDay != 1 {
		t.Errorf("birthdays: %d set, %d without year, %d on 29 February; want ≥10, ≥2, 1", withBirthday, noYear, leapDay)
	}
	if nonASCII < 2 {
		t.Errorf("%d names with diacritics, want at least 2", nonASCII)
	}
	if confidential < 3 {
		t.Errorf("%d confidential items and notes, want at least 3", confidential)
	}
}

// TestSampleRichness loads the sample into a real store and checks that a new
// user sees a full Today view and full briefings on first start, whatever
// the day.
func TestSampleRichness(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	store, err := data.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ds := readSample(t)
	if _, err := store.LoadDataset(ctx, ds, now); err != nil {
		t.Fatalf("load sample: %v", err)
	}

	today, err := store.Today(ctx, now)
	if err != nil {
		t.Fatalf("today: %v", err)
	}
	for _, c := range []struct {
		what     string
		got, min int
	}{
		{"visits today", len(today.VisitsToday), 2},
		{"visits this week", len(today.VisitsThisWeek), 2},
		{"overdue follow-ups", len(today.OverdueFollowUps), 2},
		{"follow-ups due this week", len(today.DueFollowUps), 2},
		{"recent low temperatures", len(today.LowTemperatures), 1},
	} {
		if c.got < c.min {
			t.Errorf("Today: %d %s, want at least %d", c.got, c.what, c.min)
		}
	}
	states := map[string]int{}
	for _, d := range today.ContactDue {
		states[d.State]++
	}
	if states["overdue"] == 0 || states["due"]+states["soon"] == 0 {
		t.Errorf("Today: contact due %v, want an overdue one and a due or soon one", states)
	}
	promises := 0
	for _, f := range append(today.OverdueFollowUps, today.DueFollowUps...) {
		if f.Promise {
			promises++
		}
	}
	if promises < 2 {
		t.Errorf("Today: %d promises among the follow-ups, want at least 2", promises)
	}

	list, err := store.ListCustomers(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(ds.Customers) {
		t.Fatalf("store lists %d customers, want %d", len(list), len(ds.Customers))
	}
	var dropped, calibrate []string
	klaus := false
	for _, cs := range list {
		b, err := store.Briefing(ctx, cs.ID, now)
		if err != nil {
			t.Fatalf("briefing %s: %v", cs.Name, err)
		}
		if len(b.Concerns) == 0 {
			t.Errorf("%s has no open concern", cs.Name)
		}
		if b.Temperature.Current == 0 {
			t.Errorf("%s has no temperature", cs.Name)
		}
		due := false
		for _, k := range b.Concerns {
			due = due || k.CalibrationDue
		}
		if b.Temperature.Dropped {
			dropped = append(dropped, cs.Name)
			if due {
				calibrate = append(calibrate, cs.Name)
			}
		}
		if cs.Name == "Klaus Müller" {
			klaus = true
			if !b.Temperature.Dropped || b.Temperature.Current > data.Unsatisfied {
				t.Errorf("Klaus Müller: temperature %d (from %d), want a drop to %d or below",
					b.Temperature.Current, b.Temperature.Previous, data.Unsatisfied)
			}
			if !due {
				t.Errorf("Klaus Müller: no concern due for calibration: %+v", b.Concerns)
			}
			if len(b.FollowUps) == 0 || len(b.Visits) == 0 || b.Contact.Cadence.Days == 0 {
				t.Errorf("Klaus Müller: %d follow-ups, %d visits, cadence %+v; want all three",
					len(b.FollowUps), len(b.Visits), b.Contact.Cadence)
			}
		}
	}
	if !klaus {
		t.Error("Klaus Müller, whose temperature dropped, is not in the sample")
	}
	if len(dropped) < 2 || len(calibrate) == 0 {
		t.Errorf("temperature dropped for %v (want at least 2), of whom %v have a concern due for calibration (want 1)", dropped, calibrate)
	}
}

// TestSampleConcernLinks checks that every temperature's concern exists and
// that interactions with a temperature say so believably.
func TestSampleConcernLinks(t *testing.T) {
	for _, dc := range readSample(t).Customers {
		if n := len(dc.Concerns); n < 1 || n > 4 {
			t.Errorf("%s: %d concerns, want 1 to 4", dc.Card.Name(), n)
		}
		for i, di := range dc.Interactions {
			if di.Concern < 0 || di.Concern > len(dc.Concerns) {
				t.Errorf("%s interaction %d: concern %d of %d", dc.Card.Name(), i+1, di.Concern, len(dc.Concerns))
			}
			if di.Temperature < 0 || di.Temperature > 5 || (di.Temperature == 0 && (di.TempComment != "" || di.Concern != 0)) {
				t.Errorf("%s interaction %d: temperature %d with comment %q, concern %d",
					dc.Card.Name(), i+1, di.Temperature, di.TempComment, di.Concern)
			}
			if di.HeardConfirmed && di.Heard == "" {
				t.Errorf("%s interaction %d: confirmed but nothing heard", dc.Card.Name(), i+1)
			}
		}
	}
}
