package engine

import (
	"testing"

	"github.com/rapportcrm/rapport/data"
)

// Whatever a server or a phone puts in a calendar object, reading it as an
// item and writing an item into it never panics, and what is written reads
// back as the same fields.
func FuzzCalendarItem(f *testing.F) {
	for _, s := range []string{
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20261201T080000Z\r\nDTSTART;TZID=Europe/Berlin:20261207T093000\r\nDURATION:PT45M\r\nRRULE:FREQ=WEEKLY\r\nEXDATE:20261214T083000Z\r\nX-RAPPORT-CUSTOMER:c\r\nBEGIN:VALARM\r\nTRIGGER:-PT15M\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTODO\r\nUID:b\r\nDTSTAMP:20261201T080000Z\r\nDUE:20261210T120000\r\nSTATUS:COMPLETED\r\nPRIORITY:2\r\nX-RAPPORT-CUSTOMER:c\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VJOURNAL\r\nUID:j\r\nDTSTAMP:20261201T080000Z\r\nDTSTART;VALUE=DATE:20261201\r\nX-RAPPORT-KIND:concern\r\nX-RAPPORT-CUSTOMER:c\r\nX-RAPPORT-CONFIRMED:bad\r\nEND:VJOURNAL\r\nEND:VCALENDAR\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cal, err := calParse(text)
		if err != nil {
			return
		}
		it, err := calDecode(cal)
		if err != nil || it == nil || it.Fields[data.FieldCustomer] == "" {
			return
		}
		out, err := calApply(cal, it, display{Name: "N", Phone: "1", Address: "A"}, true)
		if err != nil {
			return
		}
		if _, err := calText(out); err != nil {
			return
		}
		again, err := calDecode(out)
		if err != nil || again == nil {
			t.Fatalf("written back, unreadable: %v", err)
		}
		if !sameFields(again.Fields, it.Fields) {
			t.Fatalf("fields changed on the way back:\n%v\n%v", it.Fields, again.Fields)
		}
	})
}
