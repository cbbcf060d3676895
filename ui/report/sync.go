package report

import (
	"strings"
	"time"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

// What sync brings to the views: where an item was changed, and the time
// of a visit planned in another zone.

// Elsewhere says where an item synced in was last changed ("" when here):
// "changed on iPhone OS 18.1".
func Elsewhere(origin string) string {
	if origin == "" {
		return ""
	}
	name := origin
	if strings.HasPrefix(origin, "-//") {
		// PRODID: -//Company//Product//Language
		parts := strings.Split(strings.TrimPrefix(origin, "-//"), "//")
		name = parts[0]
		if len(parts) > 1 && parts[1] != "" {
			name = parts[1]
		}
	}
	return "changed on " + strings.TrimPrefix(name, "Rapport on ")
}

// VisitZone is where a visit planned in another zone is: its location and
// the city's name ("Berlin"), or nil when it is in this machine's zone at
// that time.
func VisitZone(v data.PlannedVisit) (*time.Location, string) {
	if v.Zone == "" || v.Zone == data.LocalZone() {
		return nil, ""
	}
	loc, err := time.LoadLocation(v.Zone)
	if err != nil {
		return nil, ""
	}
	_, there := v.At.In(loc).Zone()
	_, here := v.At.Local().Zone()
	if there == here {
		return nil, ""
	}
	city := v.Zone[strings.LastIndex(v.Zone, "/")+1:]
	return loc, strings.ReplaceAll(city, "_", " ")
}

// VisitTime writes a visit's time with write (a clock, or a day and
// time); one planned in another zone is said in that zone's time, then this
// machine's: "09:30 Berlin time (08:30 here)".
func VisitTime(v data.PlannedVisit, write func(time.Time) string) string {
	loc, city := VisitZone(v)
	if loc == nil {
		return write(v.At.Local())
	}
	return write(v.At.In(loc)) + " " + city + " time (" + locale.Time(v.At.Local()) + " here)"
}
