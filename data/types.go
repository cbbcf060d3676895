// Package data holds Rapport's domain types and the SQLite store behind them.
// It knows nothing of the GUI: the ui package and the command line both work
// through a *Store.
package data

import (
	"errors"
	"strings"
	"time"
)

// Sentinel errors; wrap them with %w so callers can test with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrInvalid  = errors.New("invalid")
	// ErrNewerSchema means the file was written by a newer Rapport.
	ErrNewerSchema = errors.New("database was written by a newer version of Rapport")
	// ErrEmptyCard marks a contact card with nothing in it to import.
	ErrEmptyCard = errors.New("empty card")
	// ErrNotDatabase means the file exists but is not a Rapport/SQLite database.
	ErrNotDatabase = errors.New("not a Rapport database")
	// ErrNoDatabase means there is no database at the path given.
	ErrNoDatabase = errors.New("no Rapport database here (check the path; 'rapport sample' or the window creates one)")
	// ErrReadOnly means the database cannot be written.
	ErrReadOnly = errors.New("the database is read-only: changes cannot be saved")
	// ErrMoved means the database file was moved or deleted while open.
	ErrMoved = errors.New("the database file was moved or deleted while Rapport had it open; nothing more can be saved to it, so restart Rapport")
	// ErrBusy means another process kept writing the database too long.
	ErrBusy = errors.New("another Rapport is still writing the database")
	// ErrDiskFull means a write ran out of disk space.
	ErrDiskFull = errors.New("the disk is full")
	// ErrDamaged means the database file is corrupt.
	ErrDamaged = errors.New("the database file is damaged")
)

// Labelled is one phone number, e-mail address or web link with its label
// ("work", "cell", "home" or anything the user or a phone chose).
type Labelled struct {
	Label string `json:"label,omitempty"`
	Value string `json:"value"`
	Pref  bool   `json:"pref,omitempty"`
	// Card is the entry as another client wrote it, when Rapport's own
	// rendering would differ: its vCard line with group and parameters,
	// then the other lines of its group (item1.X-ABLabel, X-ABADR), one
	// per line. The export writes them back instead of its own, so a
	// phone's groups, labels and parameters survive; empty for entries
	// made in Rapport. Editors keep it with the entry.
	Card string `json:"card,omitempty"`
}

// Address is a postal address with a label.
type Address struct {
	Label    string `json:"label,omitempty"`
	Street   string `json:"street,omitempty"`
	Locality string `json:"locality,omitempty"` // city
	Region   string `json:"region,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	Country  string `json:"country,omitempty"`
	Pref     bool   `json:"pref,omitempty"`
	Card     string `json:"card,omitempty"` // as Labelled.Card
}

// OneLine renders the address on one line, skipping empty parts.
func (a Address) OneLine() string {
	var parts []string
	for _, p := range []string{a.Street, a.Locality, a.Region, a.Postcode, a.Country} {
		if p = strings.TrimSpace(strings.ReplaceAll(p, "\n", ", ")); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// ExtraProperty is a vCard property Rapport does not model, kept verbatim so
// that it is written back on export. Raw is the unfolded content line.
type ExtraProperty struct {
	Raw string `json:"raw"`
}

// Photo is a customer's picture: bytes with a MIME type, or a link that is
// never fetched.
type Photo struct {
	Data []byte `json:"data,omitempty"`
	MIME string `json:"mime,omitempty"`
	URL  string `json:"url,omitempty"`
}

// Empty reports whether there is no photo at all.
func (p Photo) Empty() bool { return len(p.Data) == 0 && p.URL == "" }

// Customer is a person Rapport keeps: a contact card. The personal profile,
// history and notes hang off it by ID and are loaded separately.
type Customer struct {
	ID         int64  `json:"-"`
	UID        string `json:"uid,omitempty"` // vCard UID, for merging re-imports
	Prefix     string `json:"prefix,omitempty"`
	GivenName  string `json:"given_name,omitempty"`
	MiddleName string `json:"middle_name,omitempty"`
	FamilyName string `json:"family_name,omitempty"`
	Suffix     string `json:"suffix,omitempty"`
	// FormattedName is the full name as written on a card; derived from the
	// parts when empty.
	FormattedName string `json:"formatted_name,omitempty"`
	Nickname      string `json:"nickname,omitempty"` // how they like to be addressed
	Company       string `json:"company,omitempty"`
	Department    string `json:"department,omitempty"`
	Title         string `json:"title,omitempty"`
	Birthday      Date   `json:"birthday,omitempty"`
	Anniversary   Date   `json:"anniversary,omitempty"`

	Phones    []Labelled `json:"phones,omitempty"`
	Emails    []Labelled `json:"emails,omitempty"`
	URLs      []Labelled `json:"urls,omitempty"` // web links and social profiles
	Addresses []Address  `json:"addresses,omitempty"`
	Tags      []string   `json:"tags,omitempty"`
	Photo     Photo      `json:"photo,omitempty"`
	// CardNote is the NOTE of a contact card: free text that travels with the
	// vCard, as opposed to Rapport's dated notes.
	CardNote string          `json:"card_note,omitempty"`
	Extra    []ExtraProperty `json:"extra,omitempty"`

	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
}

// Name is the name to show: the formatted name, else the parts, else the
// company, else the first e-mail.
func (c *Customer) Name() string {
	if n := strings.TrimSpace(c.FormattedName); n != "" {
		return n
	}
	if n := c.NameFromParts(); n != "" {
		return n
	}
	if c.Company != "" {
		return c.Company
	}
	if len(c.Emails) > 0 {
		return c.Emails[0].Value
	}
	return ""
}

// NameFromParts joins prefix, given, middle, family and suffix.
func (c *Customer) NameFromParts() string {
	return joinNonEmpty(" ", c.Prefix, c.GivenName, c.MiddleName, c.FamilyName, c.Suffix)
}

// SortName orders people by family name, then given name.
func (c *Customer) SortName() string {
	if c.FamilyName != "" || c.GivenName != "" {
		return strings.ToLower(joinNonEmpty(" ", c.FamilyName, c.GivenName, c.MiddleName))
	}
	return strings.ToLower(c.Name())
}

// Validate checks what a customer needs before it is stored.
func (c *Customer) Validate() error {
	if strings.TrimSpace(c.Name()) == "" {
		return errorf(ErrInvalid, "a customer needs a name (or at least a company or an e-mail address)")
	}
	for _, d := range []struct {
		what string
		d    Date
	}{{"birthday", c.Birthday}, {"anniversary", c.Anniversary}} {
		if err := d.d.Validate(); err != nil {
			return errorf(ErrInvalid, "%s: %v", d.what, err)
		}
	}
	return nil
}

// CustomerSummary is one row of the customer list.
type CustomerSummary struct {
	ID          int64
	Name        string
	Company     string
	Title       string
	Temperature int // the latest satisfaction reading, 1..5; 0 when none
}

// Profile categories, after Harvey Mackay's customer profile. Free text;
// people and pets are structured separately (FamilyMember, Pet).
const (
	CatEducation   = "education"
	CatEmployer    = "previous_employer"
	CatHobby       = "hobby"
	CatTeam        = "team"
	CatFoodDrink   = "food_drink"
	CatClub        = "club"
	CatProudOf     = "proud_of"
	CatGoal        = "goal"
	CatStrongViews = "strong_views"
	CatAvoid       = "avoid"
	CatOther       = "other"
)

// ProfileCategories lists the categories in the order the UI shows them, with
// the human label for each.
var ProfileCategories = []struct{ Key, Label string }{
	{CatHobby, "Hobbies and interests"},
	{CatTeam, "Favourite teams"},
	{CatFoodDrink, "Food and drink"},
	{CatClub, "Clubs and associations"},
	{CatEducation, "Education"},
	{CatEmployer, "Previous employers"},
	{CatProudOf, "Proud of"},
	{CatGoal, "Goals"},
	{CatStrongViews, "Feels strongly about"},
	{CatAvoid, "Topics to avoid"},
	{CatOther, "Other"},
}

// CategoryLabel returns the human label of a profile category.
func CategoryLabel(key string) string {
	for _, c := range ProfileCategories {
		if c.Key == key {
			return c.Label
		}
	}
	return key
}

// ProfileItem is one free-text fact about the person.
type ProfileItem struct {
	ID           int64     `json:"-"`
	CustomerID   int64     `json:"-"`
	Category     string    `json:"category"`
	Text         string    `json:"text"`
	Confidential bool      `json:"confidential,omitempty"`
	CreatedAt    time.Time `json:"-"`
}

// Relations of a family member to the customer.
const (
	RelSpouse  = "spouse"
	RelPartner = "partner"
	RelChild   = "child"
	RelParent  = "parent"
	RelSibling = "sibling"
	RelOther   = "other"
)

// Relations lists the relation keys in UI order.
var Relations = []string{RelSpouse, RelPartner, RelChild, RelParent, RelSibling, RelOther}

// FamilyMember is a person close to the customer.
type FamilyMember struct {
	ID           int64  `json:"-"`
	CustomerID   int64  `json:"-"`
	Relation     string `json:"relation"`
	Name         string `json:"name"`
	Birthday     Date   `json:"birthday,omitempty"`
	Notes        string `json:"notes,omitempty"`
	Confidential bool   `json:"confidential,omitempty"`
}

// Pet is an animal the customer talks about.
type Pet struct {
	ID           int64  `json:"-"`
	CustomerID   int64  `json:"-"`
	Name         string `json:"name"`
	Species      string `json:"species,omitempty"`
	Notes        string `json:"notes,omitempty"`
	Confidential bool   `json:"confidential,omitempty"`
}

// Profile is everything personal Rapport knows about a customer.
type Profile struct {
	Items  []ProfileItem  `json:"items,omitempty"`
	Family []FamilyMember `json:"family,omitempty"`
	Pets   []Pet          `json:"pets,omitempty"`
}

// Interaction kinds.
const (
	KindVisit   = "visit"
	KindCall    = "call"
	KindEmail   = "email"
	KindMeeting = "meeting"
	KindOther   = "other"
)

// InteractionKinds lists the kinds in UI order.
var InteractionKinds = []string{KindVisit, KindCall, KindEmail, KindMeeting, KindOther}

// ValidKind reports whether k is an interaction kind.
func ValidKind(k string) bool {
	for _, v := range InteractionKinds {
		if v == k {
			return true
		}
	}
	return false
}

// Interaction is one visit, call, e-mail or meeting.
type Interaction struct {
	ID         int64         `json:"-"`
	CustomerID int64         `json:"-"`
	Kind       string        `json:"kind"`
	At         time.Time     `json:"at"`
	Duration   time.Duration `json:"duration,omitempty"`
	Summary    string        `json:"summary"`
	Notes      string        `json:"notes,omitempty"`
	// Temperature is the customer's satisfaction, 1 (unhappy) to 5
	// (delighted), when asked; 0 when not.
	Temperature   int    `json:"temperature,omitempty"`
	TempConcernID int64  `json:"-"` // the concern the temperature is about, if any
	TempComment   string `json:"temp_comment,omitempty"`
	// Heard is "what I heard": the summary read back to the customer, and
	// HeardConfirmed whether they agreed.
	Heard          string `json:"heard,omitempty"`
	HeardConfirmed bool   `json:"heard_confirmed,omitempty"`
	// Origin is the client that last changed it elsewhere (sync), "" when here.
	Origin string `json:"-"`
}

// The bounds of an interaction: a day at most, and a date from 1900 to a
// year ahead (one may log a meeting already arranged). Anything outside is
// a typo or an overflow, not a visit.
const (
	MaxInteractionDuration  = 24 * time.Hour
	earliestInteractionYear = 1900
)

// CheckInteractionTime says what is wrong with at as the time of an
// interaction logged at now, or returns nil.
func CheckInteractionTime(at, now time.Time) error {
	switch {
	case at.Year() < earliestInteractionYear:
		return errorf(ErrInvalid, "the date %s is before %d", at.Format("2006-01-02"), earliestInteractionYear)
	case at.After(now.AddDate(1, 0, 0)):
		return errorf(ErrInvalid, "the date %s is more than a year ahead", at.Format("2006-01-02"))
	}
	return nil
}

// CheckInteractionDuration says what is wrong with d as the length of an
// interaction, or returns nil.
func CheckInteractionDuration(d time.Duration) error {
	switch {
	case d < 0:
		return errorf(ErrInvalid, "duration cannot be negative")
	case d > MaxInteractionDuration:
		return errorf(ErrInvalid, "a duration of %d minutes is more than 24 hours (%d minutes)", d/time.Minute, MaxInteractionDuration/time.Minute)
	}
	return nil
}

// Validate checks an interaction before it is stored.
func (i *Interaction) Validate() error {
	if !ValidKind(i.Kind) {
		return errorf(ErrInvalid, "interaction kind %q is not one of %s", i.Kind, strings.Join(InteractionKinds, ", "))
	}
	if i.At.IsZero() {
		return errorf(ErrInvalid, "an interaction needs a date and time")
	}
	if err := CheckInteractionTime(i.At, time.Now()); err != nil {
		return err
	}
	if err := CheckInteractionDuration(i.Duration); err != nil {
		return err
	}
	if i.Temperature < 0 || i.Temperature > 5 {
		return errorf(ErrInvalid, "temperature must be from 1 (unhappy) to 5 (delighted), got %d", i.Temperature)
	}
	if strings.TrimSpace(i.Summary) == "" && strings.TrimSpace(i.Notes) == "" {
		return errorf(ErrInvalid, "an interaction needs a summary")
	}
	return nil
}

// Note is a free, timestamped personal note about a customer.
type Note struct {
	ID           int64     `json:"-"`
	CustomerID   int64     `json:"-"`
	At           time.Time `json:"at"`
	Text         string    `json:"text"`
	Confidential bool      `json:"confidential,omitempty"`
}

// Company groups the people who work there.
type Company struct {
	ID     int64
	Name   string
	People int
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
