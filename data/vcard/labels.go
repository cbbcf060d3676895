package vcard

import "strings"

// Label conventions (data.Labelled.Label, data.Address.Label):
//
//   - Labels that come from TYPE parameters are lower case words in a fixed
//     order: an optional place ("home", "work", "other") then the kind
//     ("cell", "iphone", "main", "fax", "pager", ...), e.g. "work", "cell",
//     "home fax", "work cell". TYPE=CELL and TYPE=MOBILE both give "cell"
//     (the word data.Labelled documents). Noise types (voice, internet,
//     pref, x400, msg, dom, intl, postal, parcel) are dropped; PREF sets Pref.
//   - Unknown TYPE values are kept lower case ("whatsapp").
//   - A custom label from an Apple/Google group (item1.X-ABLabel) wins over
//     TYPE and keeps its case ("Grandma's"); Apple's built-in labels
//     (_$!<Mobile>!$_) map to the same words as TYPE ("cell").
//
// On export a label that is exactly a canonical word sequence becomes TYPE
// parameters; anything else is written as a group with X-ABLabel, so every
// label reads back unchanged.

// typeWords lists the label words TYPE can carry, in canonical order.
var typeWords = []string{"home", "work", "other", "cell", "iphone", "main", "fax", "pager", "car", "video", "text", "textphone", "isdn", "modem", "bbs"}

var typeRank = func() map[string]int {
	m := map[string]int{}
	for i, w := range typeWords {
		m[w] = i
	}
	return m
}()

// noiseTypes carry no meaning for a label.
var noiseTypes = map[string]bool{"voice": true, "internet": true, "pref": true, "x400": true, "msg": true,
	"dom": true, "intl": true, "postal": true, "parcel": true, "uri": true}

// appleLabels maps the inside of Apple's _$!<...>!$_ labels (lower case).
var appleLabels = map[string]string{
	"mobile": "cell", "homefax": "home fax", "workfax": "work fax", "otherfax": "other fax",
}

// labelFromTypes builds a label from TYPE values (lower case) and reports PREF.
func labelFromTypes(types []string) (label string, pref bool) {
	var known, unknown []string
	seen := map[string]bool{}
	for _, t := range types {
		if t == "mobile" {
			t = "cell"
		}
		if t == "pref" {
			pref = true
		}
		if noiseTypes[t] || seen[t] {
			continue
		}
		seen[t] = true
		if _, ok := typeRank[t]; ok {
			known = append(known, t)
		} else {
			unknown = append(unknown, t)
		}
	}
	sortByRank(known)
	return strings.Join(append(known, unknown...), " "), pref
}

func sortByRank(w []string) {
	for i := 1; i < len(w); i++ {
		for j := i; j > 0 && typeRank[w[j]] < typeRank[w[j-1]]; j-- {
			w[j], w[j-1] = w[j-1], w[j]
		}
	}
}

// customLabel cleans an X-ABLabel value: Apple's wrapper is stripped and its
// built-in names mapped to ours.
func customLabel(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "_$!<") && strings.HasSuffix(s, ">!$_") && len(s) >= 8 {
		in := strings.ToLower(s[4 : len(s)-4])
		if m, ok := appleLabels[in]; ok {
			return m
		}
		return in
	}
	return s
}

// typesForLabel splits a label into TYPE values when it is a canonical word
// sequence; otherwise ok is false and the label must go in X-ABLabel.
func typesForLabel(label string) (types []string, ok bool) {
	if label == "" {
		return nil, true
	}
	words := strings.Split(label, " ")
	last := -1
	for _, w := range words {
		r, known := typeRank[w]
		if !known || r <= last {
			return nil, false
		}
		last = r
		types = append(types, w)
	}
	return types, true
}

// appleWrapped gives Apple's wrapped form for labels Apple knows, so that
// iPhones show them translated.
var appleWrapped = map[string]string{
	"homepage": "_$!<HomePage>!$_", "anniversary": "_$!<Anniversary>!$_", "school": "_$!<School>!$_",
	"spouse": "_$!<Spouse>!$_", "partner": "_$!<Partner>!$_", "child": "_$!<Child>!$_",
	"parent": "_$!<Parent>!$_", "sibling": "_$!<Sibling>!$_", "mother": "_$!<Mother>!$_",
	"father": "_$!<Father>!$_", "brother": "_$!<Brother>!$_", "sister": "_$!<Sister>!$_",
	"friend": "_$!<Friend>!$_", "assistant": "_$!<Assistant>!$_", "manager": "_$!<Manager>!$_",
}

// abLabel is the X-ABLabel value written for a custom label.
func abLabel(label string) string {
	if w, ok := appleWrapped[label]; ok {
		return w
	}
	return label
}

// relationOf maps a relation word (RELATED TYPE, Apple label) to a Rapport
// relation, and reports the word as a note when the relation loses detail
// (mother -> parent, "mother").
func relationOf(word string) (rel, note string) {
	w := strings.ToLower(strings.TrimSpace(word))
	switch w {
	case "spouse", "wife", "husband":
		rel = "spouse"
	case "partner", "sweetheart", "domestic partner":
		rel = "partner"
	case "child", "son", "daughter", "children":
		rel = "child"
	case "parent", "mother", "father":
		rel = "parent"
	case "sibling", "brother", "sister":
		rel = "sibling"
	default:
		rel = "other"
	}
	if w != rel && w != "" && !(rel == "child" && w == "children") {
		note = strings.TrimSpace(word)
		if strings.HasPrefix(word, "_$!<") || strings.ToLower(word) == word {
			note = w
		}
	}
	return rel, note
}
