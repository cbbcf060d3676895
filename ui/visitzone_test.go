package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data"
)

// A visit planned at 09:30 in Berlin reads 09:30 Berlin time on a laptop in
// Lisbon, with Lisbon's time beside it; one in the laptop's own zone reads
// as before.
func TestVisitInAnotherZone(t *testing.T) {
	lisbon, err := time.LoadLocation("Europe/Lisbon")
	if err != nil {
		t.Skip("no zone data:", err)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	t.Setenv("TZ", "Europe/Lisbon")
	old := time.Local
	time.Local = lisbon
	defer func() { time.Local = old }()
	for _, at := range []time.Time{time.Date(2026, 12, 14, 9, 30, 0, 0, berlin), time.Date(2027, 7, 1, 9, 30, 0, 0, berlin)} {
		v := data.PlannedVisit{At: at, Zone: "Europe/Berlin"}
		got := visitWhen(v, false)
		want := formatClock(time.Date(2000, 1, 1, 9, 30, 0, 0, time.UTC).In(time.UTC))
		here := formatClock(at)
		if !strings.HasPrefix(got, locTime(9, 30)) || !strings.Contains(got, "Berlin time") || !strings.Contains(got, "("+here+" here)") || here != locTime(8, 30) {
			t.Errorf("visit at %s: %q (want %s Berlin time, %s here)", at, got, want, here)
		}
	}
	same := data.PlannedVisit{At: time.Date(2026, 12, 14, 9, 30, 0, 0, lisbon), Zone: "Europe/Lisbon"}
	if got := visitWhen(same, false); got != locTime(9, 30) {
		t.Errorf("visit in the laptop's zone: %q", got)
	}
	if got := elsewhere("-//Apple Inc.//iPhone OS 18.1//EN"); got != "changed on iPhone OS 18.1" {
		t.Errorf("origin: %q", got)
	}
	if got := elsewhere("Rapport on lisa-laptop"); got != "changed on lisa-laptop" {
		t.Errorf("origin: %q", got)
	}
}

func locTime(h, m int) string { return formatClock(time.Date(2026, 1, 1, h, m, 0, 0, time.Local)) }
