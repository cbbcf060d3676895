package data

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
)

// Recurring visits: a visit another client made recurring (RRULE) is one
// row; the views that show visits in a span (Today, this week, a customer's
// coming visits) show each of its occurrences there. The row's rrule is
// the rule, then "\nEXDATE:" and the UTC instants of the occurrences that
// are not where the rule puts them (cancelled, or moved by another
// client): those are left out.

// occurrences gives the starts of v's rule in [from, to), in v's zone.
func occurrences(v PlannedVisit, from, to time.Time) []time.Time {
	rule, except, _ := strings.Cut(v.RRule, "\n")
	opt, err := rrule.StrToROption(rule)
	if err != nil {
		return nil
	}
	skip := map[int64]bool{}
	for _, s := range strings.Split(strings.TrimPrefix(except, "EXDATE:"), ",") {
		if t, err := time.Parse("20060102T150405Z", strings.TrimSpace(s)); err == nil {
			skip[t.Unix()] = true
		}
	}
	loc := time.Local
	if v.Zone != "" {
		if l, err := time.LoadLocation(v.Zone); err == nil {
			loc = l
		}
	}
	opt.Dtstart = v.At.In(loc)
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil
	}
	var out []time.Time
	for _, t := range r.Between(from, to.Add(-time.Nanosecond), true) {
		if !skip[t.Unix()] {
			out = append(out, t)
		}
	}
	return out
}

// withRecurring adds to list the occurrences in [from, to) of the
// recurring visits that started before to (those of one customer when
// customerID is not 0), sorted by time and cut at limit (0: no cut); added
// is how many occurrences there are (for the totals the views show).
func withRecurring(ctx context.Context, q queryer, list []PlannedVisit, customerID int64, from, to time.Time, limit int) (_ []PlannedVisit, added int, err error) {
	where, args := `v.rrule <> '' AND v.at < ?`, []any{to.Unix()}
	if customerID != 0 {
		where, args = where+` AND v.customer_id = ?`, append(args, customerID)
	}
	rec, err := plannedVisits(ctx, q, where+` ORDER BY v.at, v.id`, args...)
	if err != nil {
		return nil, 0, err
	}
	if len(rec) == 0 {
		return list, 0, nil
	}
	out := list
	for _, v := range rec {
		for _, at := range occurrences(v, from, to) {
			if at.Equal(v.At) {
				continue // the row itself, already in list
			}
			o := v
			o.At = at
			out = append(out, o)
			added++
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, added, nil
}
