package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/data"
)

// Dates and times are written one way everywhere: "Mon 2 Mar 2026, 14:30".
const (
	layoutDateTime = "Mon 2 Jan 2006, 15:04"
	layoutDay      = "Mon 2 Jan 2006"
)

// now is the clock the screens use; tests may replace it.
var now = time.Now

func formatDateTime(t time.Time) string { return t.Local().Format(layoutDateTime) }

func formatDay(t time.Time) string { return t.Local().Format(layoutDay) }

// formatDate writes a calendar date, without a year when it is unknown:
// "15 April 1975", "15 April".
func formatDate(d data.Date) string {
	if d.IsZero() {
		return ""
	}
	if !d.HasYear() {
		return fmt.Sprintf("%d %s", d.Day, d.Month)
	}
	return fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year)
}

// formatBirthday adds the age when the year is known and says when the next
// birthday is if it is soon: "15 April 1975 (50) · in 3 days".
func formatBirthday(d data.Date) string {
	if d.IsZero() {
		return ""
	}
	today := now()
	s := formatDate(d)
	if age, ok := d.AgeOn(today); ok {
		s += fmt.Sprintf(" (%d)", age)
	}
	next := d.NextOccurrence(today)
	days := daysBetween(today, next)
	switch {
	case days == 0:
		s += " · today!"
	case days == 1:
		s += " · tomorrow"
	case days <= 30:
		s += fmt.Sprintf(" · in %d days", days)
	}
	return s
}

// daysBetween counts calendar days from a to b in local time.
func daysBetween(a, b time.Time) int {
	a = time.Date(a.Year(), a.Month(), a.Day(), 12, 0, 0, 0, time.UTC)
	b = time.Date(b.Year(), b.Month(), b.Day(), 12, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// relative says how long ago (or how far ahead) t is in calendar terms:
// "today", "yesterday", "3 days ago", "2 weeks ago", "in 5 days".
func relative(t time.Time) string {
	n := now()
	days := daysBetween(n.Local(), t.Local())
	future := days > 0
	if days < 0 {
		days = -days
	}
	var s string
	switch {
	case days == 0:
		return "today"
	case days == 1 && future:
		return "tomorrow"
	case days == 1:
		return "yesterday"
	case days < 14:
		s = fmt.Sprintf("%d days", days)
	case days < 60:
		s = plural(days/7, "week")
	case days < 730:
		s = plural(days/30, "month")
	default:
		s = plural(days/365, "year")
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

// formatNumber writes a count with its thousands grouped: "1,234".
func formatNumber(n int) string { return countOf(n, "") }

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// formatDuration writes minutes as people say them: "45 min", "1 h 30 min".
func formatDuration(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	switch {
	case m <= 0:
		return ""
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m%60 == 0:
		return fmt.Sprintf("%d h", m/60)
	default:
		return fmt.Sprintf("%d h %d min", m/60, m%60)
	}
}

// kindLabel is an interaction kind as a word: "Visit", "E-mail".
func kindLabel(kind string) string {
	switch kind {
	case data.KindEmail:
		return "E-mail"
	case "":
		return ""
	}
	return strings.ToUpper(kind[:1]) + kind[1:]
}

// kindFromLabel is the inverse of kindLabel.
func kindFromLabel(label string) string {
	for _, k := range data.InteractionKinds {
		if kindLabel(k) == label {
			return k
		}
	}
	return data.KindOther
}

// relationLabel is a family relation as a word: "Spouse".
func relationLabel(rel string) string {
	if rel == "" {
		return ""
	}
	return strings.ToUpper(rel[:1]) + rel[1:]
}

func relationFromLabel(label string) string {
	for _, r := range data.Relations {
		if relationLabel(r) == label {
			return r
		}
	}
	return data.RelOther
}

// labelled writes "work: +44 20 7946 0000", or the bare value without a label.
func labelled(l data.Labelled) string {
	if l.Label == "" {
		return l.Value
	}
	return l.Label + ": " + l.Value
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func trim(s string) string { return strings.TrimSpace(s) }
