package engine

import (
	"encoding/json"
	"slices"

	"github.com/rapportcrm/rapport/data"
)

// Three-way merge of one card, field by field, against the copy last
// agreed with the server (the base). A field changed on one side takes
// that side's value; changed on both to different values it is a
// conflict: here keeps its value, the server keeps its own, and both are
// kept until the user picks. Lists (phones, e-mails, tags, profile
// entries, other clients' properties...) merge as sets: what either side
// added is added, what either side removed from the base is removed, so
// edits of different entries never conflict.

// field is one mergeable part of a card.
type field struct {
	name string
	// get gives the field's value in a comparable form; set copies it from
	// one record to another.
	get func(*record) string
	set func(dst, src *record)
	// list fields merge as sets of items.
	items    func(*record) []string
	setItems func(dst *record, keep func(src *record, i int) bool, srcs ...*record)
}

// record is what a card carries, as the merge sees it.
type record struct {
	c data.Customer
	p data.Profile
}

func key(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func scalar(name string, get func(*data.Customer) any, set func(dst, src *data.Customer)) field {
	return field{name: name,
		get: func(r *record) string { return key(get(&r.c)) },
		set: func(dst, src *record) { set(&dst.c, &src.c) }}
}

// fields are the merge's fields, in card order; their names appear in
// conflicts and in `rapport sync --resolve`.
var fields = []field{
	scalar("name", func(c *data.Customer) any {
		return []string{c.Prefix, c.GivenName, c.MiddleName, c.FamilyName, c.Suffix, c.FormattedName}
	}, func(d, s *data.Customer) {
		d.Prefix, d.GivenName, d.MiddleName, d.FamilyName, d.Suffix, d.FormattedName = s.Prefix, s.GivenName, s.MiddleName, s.FamilyName, s.Suffix, s.FormattedName
	}),
	scalar("nickname", func(c *data.Customer) any { return c.Nickname }, func(d, s *data.Customer) { d.Nickname = s.Nickname }),
	scalar("company", func(c *data.Customer) any { return []string{c.Company, c.Department} },
		func(d, s *data.Customer) { d.Company, d.Department = s.Company, s.Department }),
	scalar("title", func(c *data.Customer) any { return c.Title }, func(d, s *data.Customer) { d.Title = s.Title }),
	scalar("birthday", func(c *data.Customer) any { return c.Birthday.String() }, func(d, s *data.Customer) { d.Birthday = s.Birthday }),
	scalar("anniversary", func(c *data.Customer) any { return c.Anniversary.String() }, func(d, s *data.Customer) { d.Anniversary = s.Anniversary }),
	scalar("photo", func(c *data.Customer) any { return c.Photo }, func(d, s *data.Customer) { d.Photo = s.Photo }),
	scalar("note", func(c *data.Customer) any { return c.CardNote }, func(d, s *data.Customer) { d.CardNote = s.CardNote }),
	listField("phones", func(r *record) *[]data.Labelled { return &r.c.Phones }),
	listField("emails", func(r *record) *[]data.Labelled { return &r.c.Emails }),
	listField("links", func(r *record) *[]data.Labelled { return &r.c.URLs }),
	listField("addresses", func(r *record) *[]data.Address { return &r.c.Addresses }),
	listField("tags", func(r *record) *[]string { return &r.c.Tags }),
	listField("other", func(r *record) *[]data.ExtraProperty { return &r.c.Extra }),
	listField("profile", func(r *record) *[]data.ProfileItem { return &r.p.Items }),
	listField("family", func(r *record) *[]data.FamilyMember { return &r.p.Family }),
	listField("pets", func(r *record) *[]data.Pet { return &r.p.Pets }),
}

// fieldNamed gives the field called name, or nil.
func fieldNamed(name string) *field {
	for i := range fields {
		if fields[i].name == name {
			return &fields[i]
		}
	}
	return nil
}

func listField[T any](name string, list func(*record) *[]T) field {
	items := func(r *record) []string {
		var out []string
		for _, v := range *list(r) {
			out = append(out, itemKey(v))
		}
		return out
	}
	return field{name: name,
		get:   func(r *record) string { return key(items(r)) },
		set:   func(dst, src *record) { *list(dst) = slices.Clone(*list(src)) },
		items: items,
		setItems: func(dst *record, keep func(src *record, i int) bool, srcs ...*record) {
			var out []T
			for _, src := range srcs {
				for i, v := range *list(src) {
					if keep(src, i) {
						out = append(out, v)
					}
				}
			}
			*list(dst) = out
		}}
}

// itemKey is an entry's identity: the whole entry, without the row IDs and
// dates the database gives it.
func itemKey(v any) string {
	switch x := v.(type) {
	case data.ProfileItem:
		return key([]any{x.Category, x.Text})
	case data.FamilyMember:
		return key([]any{x.Relation, x.Name, x.Birthday.String(), x.Notes})
	case data.Pet:
		return key([]any{x.Name, x.Species, x.Notes})
	}
	return key(v)
}

// outcome of a merge.
type outcome struct {
	// here is the card to keep here; server is what to send (the same,
	// except that a conflicting field keeps the server's value there until
	// the user picks).
	here, server record
	conflicts    []string
}

// merge merges local and remote against base (nil: the two never met, so
// everything in either is an addition). open are fields already in
// conflict: they stay conflicts until both sides agree.
func merge(base, local, remote *record, open map[string]bool) outcome {
	if base == nil {
		base = &record{}
	}
	out := outcome{here: *local, server: *local}
	for _, f := range fields {
		if f.items != nil {
			mergeList(f, base, local, remote, &out)
			continue
		}
		b, l, r := f.get(base), f.get(local), f.get(remote)
		switch {
		case l == r:
		case open[f.name]:
			f.set(&out.server, remote)
			out.conflicts = append(out.conflicts, f.name)
		case l == b:
			f.set(&out.here, remote)
			f.set(&out.server, remote)
		case r == b:
		default: // changed on both sides, or added on both differently

			f.set(&out.server, remote)
			out.conflicts = append(out.conflicts, f.name)
		}
	}
	return out
}

// mergeList keeps an item when both sides have it, or when one side has
// it and it is not in the base (added there); an item of the base that a
// side dropped is dropped. Counts matter: two equal entries are two.
//
// The order: a side that left the list as it was in the base takes the
// other side's list whole (so a reordering survives); otherwise the
// server's entries come first, in the server's order, then the ones added
// here. Always putting one side first is what makes two laptops agree: the
// result, once on the server, is what the other side merges into without
// change. (Local first made two laptops swap the order back and forth
// forever after the same person was entered on both.)
func mergeList(f field, base, local, remote *record, out *outcome) {
	switch bk := f.get(base); {
	case f.get(local) == bk:
		f.set(&out.here, remote)
		out.server = withField(out.server, out.here, f)
		return
	case f.get(remote) == bk:
		f.set(&out.here, local)
		out.server = withField(out.server, out.here, f)
		return
	}
	count := func(r *record) map[string]int {
		m := map[string]int{}
		for _, k := range f.items(r) {
			m[k]++
		}
		return m
	}
	b, l, r := count(base), count(local), count(remote)
	// want[k]: how many of k the merge keeps.
	want := map[string]int{}
	for _, m := range []map[string]int{l, r} {
		for k := range m {
			if _, done := want[k]; done {
				continue
			}
			// Each side's change from the base applies: base + (l-b) + (r-b).
			n := b[k] + (l[k] - b[k]) + (r[k] - b[k])
			if n < 0 {
				n = 0
			}
			if n > max(l[k], r[k]) {
				n = max(l[k], r[k]) // added on both sides is one addition
			}
			want[k] = n
		}
	}
	left := map[string]int{}
	for k, n := range want {
		left[k] = n
	}
	keys := map[*record][]string{local: f.items(local), remote: f.items(remote)}
	keep := func(src *record, i int) bool {
		k := keys[src][i]
		if left[k] > 0 {
			left[k]--
			return true
		}
		return false
	}
	f.setItems(&out.here, keep, remote, local)
	out.server = withField(out.server, out.here, f)
}

func withField(dst, src record, f field) record {
	f.set(&dst, &src)
	return dst
}

// MergeEdit is what saving an edit form writes when the customer changed
// in the database while the form was open (a sync pulled a phone's
// change, another Rapport wrote): base is the customer as the form opened
// it, mine what the form holds, current what is stored now. A field the
// user did not touch takes the stored value; one they changed keeps
// theirs, so neither the pulled change nor the typing is lost.
func MergeEdit(base, mine, current *data.Customer) *data.Customer {
	out := merge(&record{c: *base}, &record{c: *mine}, &record{c: *current}, nil)
	c := out.here.c
	return &c
}
