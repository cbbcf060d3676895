package engine

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/davtest"
)

// calendarOf gives the calendar collection a laptop syncs.
func calendarOf(t testing.TB, s *data.Store) *data.SyncCollection {
	t.Helper()
	acct, err := s.SyncAccount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	col := acct.Collection(data.KindCalendar)
	if col == nil {
		t.Fatal("no calendar set up")
	}
	return col
}

// rawCal reads or writes one calendar object as a phone would.
func rawCal(t testing.TB, srv *davtest.Server, method, href, etag, body string) (string, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+href, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(davtest.User, davtest.Password)
	if body != "" {
		req.Header.Set("Content-Type", "text/calendar; charset=utf-8")
	}
	switch {
	case etag == "*":
		req.Header.Set("If-None-Match", "*")
	case etag != "":
		req.Header.Set("If-Match", `"`+etag+`"`)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %s: %s", method, href, resp.Status, b)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n"), strings.Trim(resp.Header.Get("ETag"), `"`)
}

func itemHref(t testing.TB, s *data.Store, uid string) (href, etag string) {
	t.Helper()
	it, err := s.SyncItem(context.Background(), calendarOf(t, s).ID, uid, "")
	if err != nil || it == nil {
		t.Fatalf("synced item %s: %v %v", uid, it, err)
	}
	return it.Href, it.ETag
}

func calItem(t testing.TB, s *data.Store, uid string) *data.CalItem {
	t.Helper()
	it, err := s.CalItemByUID(context.Background(), uid)
	if err != nil {
		t.Fatalf("item %s: %v", uid, err)
	}
	return it
}

// Visits, follow-ups, interactions and concerns travel between two laptops
// and a phone writing raw iCalendar; the phone's own properties survive.
func TestCalendarTravels(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			ctx := context.Background()
			a, b := laptop(t, srv, "a"), laptop(t, srv, "b")
			ann := add(t, a, data.Customer{GivenName: "Ann", FamilyName: "Archer",
				Phones:    []data.Labelled{{Label: "work", Value: "+49 30 1234567"}},
				Addresses: []data.Address{{Street: "Unter den Linden 1", Locality: "Berlin", Postcode: "10117", Country: "Germany"}}})
			berlin, _ := time.LoadLocation("Europe/Berlin")
			con := data.Concern{CustomerID: ann.ID, Text: "delivery times"}
			if err := a.AddConcern(ctx, &con); err != nil {
				t.Fatal(err)
			}
			in := data.Interaction{CustomerID: ann.ID, Kind: "visit", At: time.Now().Add(-24 * time.Hour).Truncate(time.Second), Duration: 40 * time.Minute,
				Summary: "price list; new line", Notes: "wants it by March, \\ really", Temperature: 4, TempConcernID: con.ID, Heard: "delivery first", HeardConfirmed: true}
			if err := a.LogInteraction(ctx, &in); err != nil {
				t.Fatal(err)
			}
			fu := data.FollowUp{CustomerID: ann.ID, InteractionID: in.ID, Promise: true, Text: "send the drawings", Due: data.DateOf(time.Now().Add(72 * time.Hour))}
			if err := a.AddFollowUp(ctx, &fu); err != nil {
				t.Fatal(err)
			}
			winter := data.PlannedVisit{CustomerID: ann.ID, At: time.Date(2026, 12, 14, 9, 30, 0, 0, berlin), Duration: 45 * time.Minute, Purpose: "new line", Zone: "Europe/Berlin", Remind: 15 * time.Minute}
			summer := data.PlannedVisit{CustomerID: ann.ID, At: time.Date(2027, 7, 1, 9, 30, 0, 0, berlin), Duration: time.Hour, Zone: "Europe/Berlin"}
			for _, v := range []*data.PlannedVisit{&winter, &summer} {
				if err := a.PlanVisit(ctx, v); err != nil {
					t.Fatal(err)
				}
			}
			uids, err := a.CalItemUIDs(ctx)
			if err != nil || len(uids) != 5 {
				t.Fatalf("items on a: %v %v", uids, err)
			}
			if col := calendarOf(t, a); !strings.Contains(col.Components, "VJOURNAL") {
				t.Errorf("%s's calendar %s takes %q: journal entries expected", k.Name, col.Href, col.Components)
			}
			if sum := mustSync(t, a); sum.Calendar.Created != 5 || !sum.CalendarSynced {
				t.Fatalf("first push of the calendar: %+v", sum)
			}
			if sum := mustSync(t, b); sum.Calendar.New != 5 || sum.New != 1 {
				t.Fatalf("pull on b: %+v", sum)
			}
			for _, u := range uids {
				ia, ib := calItem(t, a, u), calItem(t, b, u)
				if !sameFields(ia.Fields, ib.Fields) || ia.Kind != ib.Kind {
					t.Errorf("%s %s: a %v, b %v", ia.Kind, u, ia.Fields, ib.Fields)
				}
			}
			// The visit is 09:30 in Berlin on the server, the right instant, in winter and summer.
			var winterUID, summerUID, fuUID, inUID string
			for _, u := range uids {
				it := calItem(t, a, u)
				switch {
				case it.Kind == data.ItemVisit && it.Fields[data.FieldPurpose] == "new line":
					winterUID = u
				case it.Kind == data.ItemVisit:
					summerUID = u
				case it.Kind == data.ItemFollowUp:
					fuUID = u
				case it.Kind == data.ItemInteraction:
					inUID = u
				}
			}
			href, _ := itemHref(t, a, winterUID)
			text, _ := rawCal(t, srv, http.MethodGet, href, "", "")
			for _, want := range []string{"DTSTART;TZID=Europe/Berlin:20261214T093000", "DTEND;TZID=Europe/Berlin:20261214T101500", "BEGIN:VTIMEZONE", "BEGIN:VALARM", "TRIGGER:-PT15M", "LOCATION:Unter den Linden 1\\, 10117 Berlin\\, Germany", "tel:+49301234567"} {
				if !strings.Contains(text, want) {
					t.Errorf("winter visit on the server lacks %q:\n%s", want, text)
				}
			}
			if got := calItem(t, b, winterUID).Fields[data.FieldStart]; got != "2026-12-14T08:30:00Z" {
				t.Errorf("winter visit on b starts %s, want 08:30Z", got)
			}
			if got := calItem(t, b, summerUID).Fields[data.FieldStart]; got != "2027-07-01T07:30:00Z" {
				t.Errorf("summer visit on b starts %s, want 07:30Z", got)
			}

			// The phone moves the visit to 10:00 (adding its own alarm and
			// property), ticks the follow-up off, and writes a journal entry.
			href, etag := itemHref(t, a, winterUID)
			text, _ = rawCal(t, srv, http.MethodGet, href, "", "")
			moved := strings.Replace(text, "DTSTART;TZID=Europe/Berlin:20261214T093000", "DTSTART;TZID=Europe/Berlin:20261214T100000", 1)
			moved = strings.Replace(moved, "DTEND;TZID=Europe/Berlin:20261214T101500", "DTEND;TZID=Europe/Berlin:20261214T104500", 1)
			moved = strings.Replace(moved, "TRIGGER:-PT15M", "TRIGGER:-PT30M\nX-WR-ALARMUID:phone-alarm-1", 1)
			moved = strings.Replace(moved, "END:VEVENT", "X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC\nBEGIN:VALARM\nACTION:AUDIO\nTRIGGER:-PT5M\nX-WR-ALARMUID:phone-alarm-2\nEND:VALARM\nEND:VEVENT", 1)
			rawCal(t, srv, http.MethodPut, href, etag, strings.ReplaceAll(moved, "\n", "\r\n"))
			fhref, fetag := itemHref(t, a, fuUID)
			ftext, _ := rawCal(t, srv, http.MethodGet, fhref, "", "")
			ticked := strings.Replace(ftext, "STATUS:NEEDS-ACTION", "STATUS:COMPLETED\nCOMPLETED:20261202T101010Z", 1)
			rawCal(t, srv, http.MethodPut, fhref, fetag, strings.ReplaceAll(ticked, "\n", "\r\n"))
			journal := fmt.Sprintf("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//jtx Board//EN\nBEGIN:VJOURNAL\nUID:phone-journal-1\nDTSTAMP:20261202T120000Z\nDTSTART:20261202T113000Z\nSUMMARY:Called about the drawings\nDESCRIPTION:She is happy\nX-RAPPORT-KIND:interaction\nX-RAPPORT-CUSTOMER:%s\nX-RAPPORT-INTERACTION-KIND:call\nX-RAPPORT-TEMPERATURE:5\nX-JTX-COLOR:blue\nEND:VJOURNAL\nEND:VCALENDAR\n", ann.UID)
			col := calendarOf(t, a)
			rawCal(t, srv, http.MethodPut, strings.TrimSuffix(col.Href, "/")+"/phone-journal-1.ics", "*", strings.ReplaceAll(journal, "\n", "\r\n"))

			sum := mustSync(t, a)
			if sum.Calendar.Updated != 2 || sum.Calendar.New != 1 || sum.Conflicts != 0 {
				t.Fatalf("a after the phone: %+v", sum)
			}
			v := calItem(t, a, winterUID)
			if v.Fields[data.FieldStart] != "2026-12-14T09:00:00Z" || v.Fields[data.FieldMinutes] != "45" || v.Fields[data.FieldAlarm] != "30" || v.Origin == "" {
				t.Errorf("moved visit on a: %v (from %q)", v.Fields, v.Origin)
			}
			if f := calItem(t, a, fuUID); f.Fields[data.FieldDone] != "2026-12-02T10:10:10Z" {
				t.Errorf("ticked follow-up on a: %v", f.Fields)
			}
			j := calItem(t, a, "phone-journal-1")
			if j.Kind != data.ItemInteraction || j.Fields[data.FieldSummary] != "Called about the drawings" || j.Fields[data.FieldTemperature] != "5" || j.Fields[data.FieldKind] != "call" {
				t.Errorf("journal entry from the phone: %+v", j)
			}

			// a snoozes the follow-up a day: DUE moves on the server, the
			// phone's alarm and property on the visit are untouched.
			fs, err := a.FollowUps(ctx, ann.ID, true)
			if err != nil || len(fs) != 1 {
				t.Fatalf("done follow-ups on a: %v %v", fs, err)
			}
			if err := a.CompleteFollowUp(ctx, fs[0].ID, false); err != nil {
				t.Fatal(err)
			}
			if sum := mustSync(t, a); sum.Calendar.Sent != 1 {
				t.Fatalf("a reopens the follow-up: %+v", sum)
			}
			ftext, _ = rawCal(t, srv, http.MethodGet, fhref, "", "")
			if !strings.Contains(ftext, "STATUS:NEEDS-ACTION") || strings.Contains(ftext, "COMPLETED:") {
				t.Errorf("reopened follow-up on the server:\n%s", ftext)
			}
			text, _ = rawCal(t, srv, http.MethodGet, href, "", "")
			for _, want := range []string{"X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC", "X-WR-ALARMUID:phone-alarm-1", "X-WR-ALARMUID:phone-alarm-2", "DTSTART;TZID=Europe/Berlin:20261214T100000"} {
				if !strings.Contains(text, want) {
					t.Errorf("the phone's visit lost %q:\n%s", want, text)
				}
			}

			// a deletes the interaction it logged: gone on the server, then on b.
			if err := a.DeleteInteraction(ctx, ann.ID, in.ID); err != nil {
				t.Fatal(err)
			}
			if sum := mustSync(t, a); sum.Calendar.Removed != 1 {
				t.Fatalf("delete from a: %+v", sum)
			}
			sum = mustSync(t, b)
			if sum.Calendar.Deleted != 1 || sum.Calendar.New != 1 || sum.Calendar.Updated != 2 {
				t.Fatalf("b after all that: %+v", sum)
			}
			if _, err := b.CalItemByUID(ctx, inUID); err == nil {
				t.Errorf("the deleted interaction is still on b")
			}
			for _, u := range []string{winterUID, fuUID, "phone-journal-1"} {
				if ia, ib := calItem(t, a, u), calItem(t, b, u); !sameFields(ia.Fields, ib.Fields) {
					t.Errorf("%s: a %v, b %v", u, ia.Fields, ib.Fields)
				}
			}
			// Nothing changed: nothing moves.
			for _, s := range []*data.Store{a, b} {
				if sum := mustSync(t, s); sum.Changed() {
					t.Errorf("a sync with nothing changed moved: %+v", sum)
				}
			}
		})
	}
}

// Two laptops change one concern: different fields both survive; the same
// field changed to two values is a conflict, settled by a resolve.
func TestCalendarConflict(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			ctx := context.Background()
			a, b := laptop(t, srv, "a"), laptop(t, srv, "b")
			ann := add(t, a, data.Customer{GivenName: "Ann", FamilyName: "Archer"})
			con := data.Concern{CustomerID: ann.ID, Text: "delivery times"}
			if err := a.AddConcern(ctx, &con); err != nil {
				t.Fatal(err)
			}
			mustSync(t, a)
			mustSync(t, b)
			uids, _ := a.CalItemUIDs(ctx)
			uid := uids[0]
			bc, err := b.Concerns(ctx, byUID(t, b, ann.UID).ID, false)
			if err != nil || len(bc) != 1 {
				t.Fatalf("concerns on b: %v %v", bc, err)
			}
			// Different fields: a confirms, b rewords.
			time.Sleep(1100 * time.Millisecond) // confirmed_at has seconds
			if err := a.ConfirmConcern(ctx, con.ID); err != nil {
				t.Fatal(err)
			}
			if err := b.EditConcern(ctx, bc[0].ID, "delivery times in winter"); err != nil {
				t.Fatal(err)
			}
			mustSync(t, a)
			mustSync(t, b)
			mustSync(t, a)
			ia, ib := calItem(t, a, uid), calItem(t, b, uid)
			if !sameFields(ia.Fields, ib.Fields) || ia.Fields[data.FieldText] != "delivery times in winter" || ia.Fields[data.FieldConfirmed] == ia.Fields[data.FieldCreated] {
				t.Fatalf("after edits of two fields: a %v, b %v", ia.Fields, ib.Fields)
			}
			// The same field: a conflict, both values kept until settled.
			if err := a.EditConcern(ctx, con.ID, "price"); err != nil {
				t.Fatal(err)
			}
			if err := b.EditConcern(ctx, bc[0].ID, "quality"); err != nil {
				t.Fatal(err)
			}
			mustSync(t, a)
			sum := mustSync(t, b)
			if sum.Conflicts != 1 {
				t.Fatalf("b after both edited the text: %+v", sum)
			}
			cs, err := Conflicts(ctx, b)
			if err != nil || len(cs) != 1 || cs[0].Mine != "quality" || cs[0].Theirs != "price" || cs[0].Field != data.FieldText {
				t.Fatalf("conflicts on b: %+v %v", cs, err)
			}
			if got := calItem(t, b, uid).Fields[data.FieldText]; got != "quality" {
				t.Errorf("b's own value while in conflict: %q", got)
			}
			if err := Resolve(ctx, b, cs[0].ID, KeepTheirs); err != nil {
				t.Fatal(err)
			}
			mustSync(t, b)
			mustSync(t, a)
			for _, s := range []*data.Store{a, b} {
				if got := calItem(t, s, uid).Fields[data.FieldText]; got != "price" {
					t.Errorf("after the resolve: %q", got)
				}
				if sum := mustSync(t, s); sum.Changed() || sum.Conflicts != 0 {
					t.Errorf("settled, a sync still moves: %+v", sum)
				}
			}
		})
	}
}

// A visit and a task made on the phone in the Rapport calendar, naming the
// customer only by attendee or title, are that customer's; the link goes
// back to the server and the phone's title stays.
func TestCalendarItemsMadeOnPhone(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			ctx := context.Background()
			a, b := laptop(t, srv, "a"), laptop(t, srv, "b")
			ann := add(t, a, data.Customer{GivenName: "Ann", FamilyName: "Archer", Emails: []data.Labelled{{Value: "ann@archer.example"}}})
			bob := add(t, a, data.Customer{GivenName: "Bob", FamilyName: "Baker"})
			add(t, a, data.Customer{GivenName: "Carl", FamilyName: "Cole"})
			mustSync(t, a)
			col := calendarOf(t, a)
			start := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Minute)
			visit := "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Apple Inc.//iPhone OS 18.1//EN\nBEGIN:VEVENT\nUID:ios-visit-1\nDTSTAMP:20261202T080000Z\n" +
				"DTSTART:" + start.Format("20060102T150405Z") + "\nDTEND:" + start.Add(30*time.Minute).Format("20060102T150405Z") + "\n" +
				"SUMMARY:Coffee at the trade fair\nATTENDEE;CN=Ann:mailto:ANN@archer.example\nEND:VEVENT\nEND:VCALENDAR\n"
			task := "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//tasks.org//EN\nBEGIN:VTODO\nUID:tasks-1\nDTSTAMP:20261202T080000Z\n" +
				"DUE;VALUE=DATE:20261210\nSUMMARY:Send Bob Baker the price list\nSTATUS:NEEDS-ACTION\nEND:VTODO\nEND:VCALENDAR\n"
			stray := "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//EN\nBEGIN:VEVENT\nUID:stray-1\nDTSTAMP:20261202T080000Z\nDTSTART:20261210T100000Z\nSUMMARY:Dentist\nEND:VEVENT\nEND:VCALENDAR\n"
			for name, body := range map[string]string{"ios-visit-1": visit, "tasks-1": task, "stray-1": stray} {
				rawCal(t, srv, http.MethodPut, strings.TrimSuffix(col.Href, "/")+"/"+name+".ics", "*", strings.ReplaceAll(body, "\n", "\r\n"))
			}
			sum := mustSync(t, a)
			if sum.Calendar.New != 2 || len(sum.Notes) != 1 || !strings.Contains(sum.Notes[0], "stray-1") {
				t.Fatalf("a takes the phone's items: %+v", sum)
			}
			v := calItem(t, a, "ios-visit-1")
			if v.Kind != data.ItemVisit || v.Fields[data.FieldCustomer] != ann.UID || v.Fields[data.FieldStart] != data.FormatTime(start) || v.Fields[data.FieldMinutes] != "30" {
				t.Errorf("the phone's visit on a: %+v", v)
			}
			vs, err := a.UpcomingVisits(ctx, ann.ID, time.Now())
			if err != nil || len(vs) != 1 || vs[0].Purpose != "Coffee at the trade fair" {
				t.Errorf("Ann's upcoming visits on a: %+v %v", vs, err)
			}
			f := calItem(t, a, "tasks-1")
			if f.Kind != data.ItemFollowUp || f.Fields[data.FieldCustomer] != bob.UID || f.Fields[data.FieldDue] != "2026-12-10" {
				t.Errorf("the phone's task on a: %+v", f)
			}
			// The link was sent; the phone's titles stay.
			href, _ := itemHref(t, a, "ios-visit-1")
			text, _ := rawCal(t, srv, http.MethodGet, href, "", "")
			if !strings.Contains(text, "X-RAPPORT-CUSTOMER:"+ann.UID) || !strings.Contains(text, "SUMMARY:Coffee at the trade fair") || !strings.Contains(text, "ATTENDEE") {
				t.Errorf("the phone's visit on the server after a linked it:\n%s", text)
			}
			href, _ = itemHref(t, a, "tasks-1")
			text, _ = rawCal(t, srv, http.MethodGet, href, "", "")
			if !strings.Contains(text, "X-RAPPORT-CUSTOMER:"+bob.UID) || !strings.Contains(text, "SUMMARY:Send Bob Baker the price list") {
				t.Errorf("the phone's task on the server after a linked it:\n%s", text)
			}
			mustSync(t, b)
			for _, u := range []string{"ios-visit-1", "tasks-1"} {
				if ia, ib := calItem(t, a, u), calItem(t, b, u); !sameFields(ia.Fields, ib.Fields) {
					t.Errorf("%s: a %v, b %v", u, ia.Fields, ib.Fields)
				}
			}
			for _, s := range []*data.Store{a, b} {
				if sum := mustSync(t, s); sum.Changed() {
					t.Errorf("quiet sync moved: %+v", sum)
				}
			}
		})
	}
}

// Where a calendar takes no VJOURNAL (iCloud), an interaction travels as a
// past event saying the same, and another Rapport reads it back whole.
func TestInteractionAsPastEvent(t *testing.T) {
	srv := davtest.Radicale(t)
	ctx := context.Background()
	a, b := laptop(t, srv, "a"), laptop(t, srv, "b")
	for _, s := range []*data.Store{a, b} {
		acct, err := s.SyncAccount(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := range acct.Collections {
			if acct.Collections[i].Kind == data.KindCalendar {
				acct.Collections[i].Components = "VEVENT,VTODO"
			}
		}
		if err := s.SetSyncAccount(ctx, *acct); err != nil {
			t.Fatal(err)
		}
	}
	ann := add(t, a, data.Customer{GivenName: "Ann", FamilyName: "Archer"})
	in := data.Interaction{CustomerID: ann.ID, Kind: "call", At: time.Now().Add(-time.Hour).Truncate(time.Second), Duration: 10 * time.Minute,
		Summary: "agreed the price", Temperature: 5, Heard: "price first", HeardConfirmed: true}
	if err := a.LogInteraction(ctx, &in); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	uids, _ := a.CalItemUIDs(ctx)
	href, _ := itemHref(t, a, uids[0])
	text, _ := rawCal(t, srv, http.MethodGet, href, "", "")
	for _, want := range []string{"BEGIN:VEVENT", "TRANSP:TRANSPARENT", "X-RAPPORT-KIND:interaction", "SUMMARY:agreed the price", "DTEND:"} {
		if !strings.Contains(text, want) {
			t.Errorf("the interaction as an event lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "VJOURNAL") {
		t.Errorf("a VJOURNAL in a calendar that takes none:\n%s", text)
	}
	if sum := mustSync(t, b); sum.Calendar.New != 1 {
		t.Fatalf("b: %+v", sum)
	}
	if ia, ib := calItem(t, a, uids[0]), calItem(t, b, uids[0]); !sameFields(ia.Fields, ib.Fields) {
		t.Errorf("a %v, b %v", ia.Fields, ib.Fields)
	}
	for _, s := range []*data.Store{a, b} {
		if sum := mustSync(t, s); sum.Changed() {
			t.Errorf("quiet sync moved: %+v", sum)
		}
	}
}

// A first pull of most of a big collection is one query of the whole
// collection per kind, not a multiget per batch, and gives the same.
func TestFirstPullQueriesWholeCollection(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			ctx := context.Background()
			a := laptop(t, srv, "a")
			for i := range 6 {
				c := add(t, a, data.Customer{GivenName: fmt.Sprintf("Person%d", i), FamilyName: "Query", Emails: []data.Labelled{{Value: fmt.Sprintf("p%d@q.example", i)}}})
				if err := a.AddFollowUp(ctx, &data.FollowUp{CustomerID: c.ID, Text: "call back", Due: data.DateOf(time.Now())}); err != nil {
					t.Fatal(err)
				}
			}
			mustSync(t, a)
			oldFrom, oldBatch := fetchAllFrom, multigetBatch
			fetchAllFrom, multigetBatch = 2, 1
			defer func() { fetchAllFrom, multigetBatch = oldFrom, oldBatch }()
			b := laptop(t, srv, "b")
			cnt := newCounter()
			o := opts()
			o.Transport = cnt
			sum, err := Run(ctx, b, o)
			if err != nil {
				t.Fatal(err)
			}
			if sum.New != 6 || sum.Calendar.New != 6 {
				t.Fatalf("b's first pull: %+v", sum)
			}
			// Per collection: the listing and one query (a multiget of one
			// item each would be six more).
			if n := cnt.get("REPORT"); n != 4 {
				t.Errorf("%d REPORTs for the first pull, want 4", n)
			}
			for _, s := range []*data.Store{a, b} {
				if sum := mustSync(t, s); sum.Changed() {
					t.Errorf("quiet sync moved: %+v", sum)
				}
			}
		})
	}
}
