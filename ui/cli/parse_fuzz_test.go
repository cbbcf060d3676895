package cli

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data"
)

// FuzzParseWhen: whatever is typed after --at, parseWhen returns a time or
// an error, never panics, and a time it returns reads back as itself.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"", "14:30", "2026-03-01", "2026-03-01 08:15", "2026-03-01T08:15", "2026-03-01T08:15:00Z",
		"2026-03-01T08:15:00.123456789+05:30", "9999-12-31 23:59", "0000-01-01", "2026-02-30", "24:00", "25:61", " 9:05 ", "yesterday"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.Local)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseWhen(s, now)
		if err != nil {
			if !strings.Contains(err.Error(), "is not a time") {
				t.Fatalf("parseWhen(%q): unexpected error %v", s, err)
			}
			return
		}
		if strings.TrimSpace(s) == "" {
			if !got.Equal(now) {
				t.Fatalf("empty gives %v, want now", got)
			}
			return
		}
		again, err := parseWhen(got.Format(time.RFC3339Nano), now)
		if err != nil || !again.Equal(got) {
			t.Fatalf("parseWhen(%q) = %v, which reads back as %v, %v", s, got, again, err)
		}
		// The bounds check takes whatever parseWhen gives without panicking.
		data.CheckInteractionTime(got, now)
	})
}

// FuzzParseMinutes: whatever is typed after --minutes, the duration is
// refused or lies within 0 to 24 hours: no overflow slips through.
func FuzzParseMinutes(f *testing.F) {
	for _, s := range []string{"", "0", "45", "1440", "1441", "307445735", "9223372036854775807", "-1", "1h30m", "90m", "25h",
		"1.5h", "2562047h", "-0", "+5", "45 min", "1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseMinutes(s)
		if err != nil {
			if d != 0 {
				t.Fatalf("parseMinutes(%q) = %v with error %v", s, d, err)
			}
			return
		}
		if d < 0 || d > data.MaxInteractionDuration {
			t.Fatalf("parseMinutes(%q) = %v, outside 0 to 24 hours", s, d)
		}
		if n, perr := strconv.ParseInt(strings.TrimSpace(s), 10, 64); perr == nil && d != time.Duration(n)*time.Minute {
			t.Fatalf("parseMinutes(%q) = %v, want %d minutes", s, d, n)
		}
	})
}
