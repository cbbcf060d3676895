package data

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date whose year may be unknown (a birthday someone told
// you without their age). The zero Date means "no date".
type Date struct {
	Year  int // 0 when unknown
	Month time.Month
	Day   int
	// Text is a date known only in words ("circa 1800", vCard 4.0's
	// BDAY;VALUE=text); Year, Month and Day are then zero. It is stored,
	// shown and exported as it is, and takes part in no reminder.
	Text string
}

// TextDate is a date given in words; see Date.Text.
func TextDate(s string) Date { return Date{Text: strings.TrimSpace(s)} }

// IsZero reports whether no date is set.
func (d Date) IsZero() bool { return d.Month == 0 && d.Day == 0 && d.Year == 0 && d.Text == "" }

// IsText reports whether the date is known only in words.
func (d Date) IsText() bool { return d.Text != "" && d.Month == 0 && d.Day == 0 && d.Year == 0 }

// HasYear reports whether the year is known.
func (d Date) HasYear() bool { return d.Year != 0 }

// String is the ISO form: 2006-01-02, or --01-02 without a year, or "" for none.
func (d Date) String() string {
	switch {
	case d.IsZero():
		return ""
	case d.IsText():
		return d.Text
	case d.Year == 0:
		return fmt.Sprintf("--%02d-%02d", int(d.Month), d.Day)
	default:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
	}
}

// Validate checks that the day exists (29 February only in a leap year, or
// in any year when the year is unknown).
func (d Date) Validate() error {
	if d.IsZero() {
		return nil
	}
	if d.IsText() {
		if strings.ContainsAny(d.Text, "\r\n") {
			return fmt.Errorf("a date in words is one line")
		}
		return nil
	}
	if d.Text != "" {
		return fmt.Errorf("a date is either in words or a day, not both")
	}
	if d.Month < 1 || d.Month > 12 {
		return fmt.Errorf("month %d is not between 1 and 12", int(d.Month))
	}
	year := d.Year
	if year == 0 {
		year = 2000 // a leap year: 29 February is a valid year-less birthday
	}
	if year < 1 || year > 9999 {
		return fmt.Errorf("year %d is out of range", d.Year)
	}
	if d.Day < 1 || d.Day > daysIn(d.Month, year) {
		return fmt.Errorf("%s has no day %d", time.Date(year, d.Month, 1, 0, 0, 0, 0, time.UTC).Format("January 2006"), d.Day)
	}
	return nil
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Time returns the date at midnight UTC; a year-less date uses year 0 as given.
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// AgeOn returns the age in whole years on the given day, and false when the
// year is unknown.
func (d Date) AgeOn(day time.Time) (int, bool) {
	if d.IsZero() || d.Year == 0 {
		return 0, false
	}
	age := day.Year() - d.Year
	if day.Month() < d.Month || (day.Month() == d.Month && day.Day() < d.Day) {
		age--
	}
	return age, true
}

// DateOf returns the Date of a time's calendar day.
func DateOf(t time.Time) Date {
	return Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

var monthNames = map[string]time.Month{}

func init() {
	for m := time.January; m <= time.December; m++ {
		full := strings.ToLower(m.String())
		monthNames[full] = m
		monthNames[full[:3]] = m
	}
	monthNames["sept"] = time.September
}

// ParseDate reads a date as people and vCards write it:
// 2006-01-02, 20060102, --01-02, --0102, 01-02 (month-day), 2 January 2006,
// January 2, 2 Jan, and 02/01/2006 (day first, as most of the world writes it).
// Apple's placeholder year 1604 means "no year". An empty string is the zero Date.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	bad := func() (Date, error) {
		return Date{}, errorf(ErrInvalid, "%q is not a date (try 1975-04-15, or 04-15 without a year)", s)
	}
	// Drop a time part (2006-01-02T15:04:05Z).
	if i := strings.IndexAny(s, "Tt"); i >= 8 {
		s = s[:i]
	}
	var d Date
	var err error
	switch {
	case strings.HasPrefix(s, "--"):
		d, err = parseMonthDay(s[2:])
	case len(s) == 8 && allDigits(s):
		d, err = parseYMD(s[:4], s[4:6], s[6:])
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		d, err = parseYMD(s[:4], s[5:7], s[8:])
	case len(s) == 5 && s[2] == '-':
		d, err = parseMonthDay(s)
	case strings.ContainsAny(s, "/."):
		d, err = parseSlashed(s)
	default:
		d, err = parseWords(s)
	}
	if err != nil {
		return bad()
	}
	if d.Year == 1604 { // Apple's "year unknown"
		d.Year = 0
	}
	if err := d.Validate(); err != nil {
		return Date{}, errorf(ErrInvalid, "%q is not a date: %v", s, err)
	}
	return d, nil
}

// MustParseDate is ParseDate for literals known to be valid (sample data, tests).
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func atoiStrict(s string) (int, error) {
	if !allDigits(s) {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	return strconv.Atoi(s)
}

func parseYMD(y, m, d string) (Date, error) {
	yy, err1 := atoiStrict(y)
	mm, err2 := atoiStrict(m)
	dd, err3 := atoiStrict(d)
	if err1 != nil || err2 != nil || err3 != nil {
		return Date{}, fmt.Errorf("bad date")
	}
	return Date{Year: yy, Month: time.Month(mm), Day: dd}, nil
}

func parseMonthDay(s string) (Date, error) {
	s = strings.ReplaceAll(s, "-", "")
	if len(s) != 4 {
		return Date{}, fmt.Errorf("bad month-day")
	}
	return parseYMD("0", s[:2], s[2:])
}

func parseSlashed(s string) (Date, error) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '.' })
	if len(parts) < 2 || len(parts) > 3 {
		return Date{}, fmt.Errorf("bad date")
	}
	if len(parts[0]) == 4 { // 2006/01/02
		if len(parts) != 3 {
			return Date{}, fmt.Errorf("bad date")
		}
		return parseYMD(parts[0], parts[1], parts[2])
	}
	year := "0"
	if len(parts) == 3 {
		year = parts[2]
		if len(year) != 4 {
			return Date{}, fmt.Errorf("write the year with four digits")
		}
	}
	return parseYMD(year, parts[1], parts[0])
}

func parseWords(s string) (Date, error) {
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ' ' || r == ',' })
	var d Date
	for _, f := range fields {
		f = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(f, "st"), "nd"), "rd"), "th")
		if m, ok := monthNames[strings.TrimSuffix(f, ".")]; ok && d.Month == 0 {
			d.Month = m
			continue
		}
		n, err := atoiStrict(f)
		if err != nil {
			return Date{}, err
		}
		switch {
		case len(f) == 4 && d.Year == 0:
			d.Year = n
		case len(f) <= 2 && d.Day == 0:
			d.Day = n
		default:
			return Date{}, fmt.Errorf("bad date")
		}
	}
	if d.Month == 0 || d.Day == 0 {
		return Date{}, fmt.Errorf("bad date")
	}
	return d, nil
}

// MarshalJSON writes the ISO form.
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads anything ParseDate accepts; anything else is a date
// in words (MarshalJSON writes those as they are).
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*d = StoredDate(s)
	return nil
}

// StoredDate reads a date as the store and MarshalJSON write it: the ISO
// form, or a date in words.
func StoredDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		return TextDate(s)
	}
	return d
}

// NextOccurrence returns the next day on or after from when this date's
// anniversary falls. A 29 February date falls on 28 February in common years.
func (d Date) NextOccurrence(from time.Time) time.Time {
	from = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, from.Location())
	if d.Month < 1 || d.Month > 12 {
		return from.AddDate(1000, 0, 0) // no day (a date in words): never soon
	}
	for y := from.Year(); ; y++ {
		day := d.Day
		if n := daysIn(d.Month, y); day > n {
			day = n
		}
		t := time.Date(y, d.Month, day, 0, 0, 0, 0, from.Location())
		if !t.Before(from) {
			return t
		}
	}
}
