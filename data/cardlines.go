package data

import (
	"strconv"
	"strings"
)

// The Card of a phone, e-mail, link or address (Labelled.Card,
// Address.Card) is stored in extra_properties, after the customer's own
// extra lines, as "#card <kind> <position>:<lines>", so that no schema
// change is needed. The leading '#' makes the row no content line: the
// vCard reader never produces one, and an older Rapport's export skips it
// (its name is no token), so such a row never reaches a card as text.
const cardRowPrefix = "#card "

// cardRows are the extra_properties rows holding c's entry cards.
func cardRows(c *Customer) []string {
	var out []string
	add := func(kind string, i int, card string) {
		if card != "" {
			out = append(out, cardRowPrefix+kind+" "+strconv.Itoa(i)+":"+card)
		}
	}
	for _, g := range []struct {
		kind string
		list []Labelled
	}{{"phone", c.Phones}, {"email", c.Emails}, {"url", c.URLs}} {
		for i, l := range g.list {
			add(g.kind, i, l.Card)
		}
	}
	for i, a := range c.Addresses {
		add("address", i, a.Card)
	}
	return out
}

// takeCardRow puts a stored entry card back on its entry; false when raw
// is an ordinary extra property. A row whose entry is gone (cannot happen
// through the store, which writes both together) is dropped.
func takeCardRow(c *Customer, raw string) bool {
	rest, ok := strings.CutPrefix(raw, cardRowPrefix)
	if !ok {
		return false
	}
	head, card, _ := strings.Cut(rest, ":")
	kind, pos, _ := strings.Cut(head, " ")
	i, err := strconv.Atoi(pos)
	if err != nil || i < 0 {
		return true
	}
	var list []Labelled
	switch kind {
	case "phone":
		list = c.Phones
	case "email":
		list = c.Emails
	case "url":
		list = c.URLs
	case "address":
		if i < len(c.Addresses) {
			c.Addresses[i].Card = card
		}
		return true
	}
	if i < len(list) {
		list[i].Card = card
	}
	return true
}
