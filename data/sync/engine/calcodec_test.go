package engine

import (
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/data"
)

// A recurring visit from another client keeps its rule, and its cancelled
// (EXDATE) and moved (RECURRENCE-ID) occurrences are named as exceptions;
// writing the visit back leaves the object's own EXDATE and override as
// they were.
func TestRecurringVisitExceptions(t *testing.T) {
	text := strings.ReplaceAll(`BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN
BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:STANDARD
DTSTART:19701025T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
UID:weekly-tb
DTSTAMP:20261201T080000Z
DTSTART;TZID=Europe/Berlin:20261207T093000
DTEND;TZID=Europe/Berlin:20261207T103000
RRULE:FREQ=WEEKLY;COUNT=6
EXDATE;TZID=Europe/Berlin:20261214T093000,20261221T093000
SUMMARY:Weekly round
X-RAPPORT-KIND:visit
X-RAPPORT-CUSTOMER:ann
END:VEVENT
BEGIN:VEVENT
UID:weekly-tb
DTSTAMP:20261201T080000Z
RECURRENCE-ID;TZID=Europe/Berlin:20261228T093000
DTSTART;TZID=Europe/Berlin:20261229T140000
DTEND;TZID=Europe/Berlin:20261229T150000
SUMMARY:Weekly round (moved)
END:VEVENT
END:VCALENDAR
`, "\n", "\r\n")
	cal, err := calParse(text)
	if err != nil {
		t.Fatal(err)
	}
	it, err := calDecode(cal)
	if err != nil {
		t.Fatal(err)
	}
	want := "FREQ=WEEKLY;COUNT=6\nEXDATE:20261214T083000Z,20261221T083000Z,20261228T083000Z"
	if got := it.Fields[data.FieldRRule]; got != want {
		t.Errorf("rrule %q, want %q", got, want)
	}
	it.Fields[data.FieldPurpose] = "weekly round, with samples"
	out, err := calApply(cal, it, display{Name: "Ann Archer"}, true)
	if err != nil {
		t.Fatal(err)
	}
	back, err := calText(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"RRULE:FREQ=WEEKLY;COUNT=6", "EXDATE;TZID=Europe/Berlin:20261214T093000,20261221T093000", "RECURRENCE-ID;TZID=Europe/Berlin:20261228T093000", "SUMMARY:Weekly round (moved)"} {
		if !strings.Contains(back, w) {
			t.Errorf("written back without %q:\n%s", w, back)
		}
	}
	again, _ := calDecode(out)
	if again.Fields[data.FieldRRule] != want {
		t.Errorf("read again: %q", again.Fields[data.FieldRRule])
	}
}
