package vcard

import (
	"strings"

	"github.com/rapportcrm/rapport/data"
)

// Rapport keeps a NICKNAME list and ORG's units after the first in one
// text field each, joined with these; the export splits on them again so
// the vCard's structure survives the trip.
const (
	nicknameSep = ", "
	orgUnitSep  = "; "
)

// adrLabelProp carries an ADR's LABEL parameter in Customer.Extra:
//
//	X-RAPPORT-ADR-LABEL;X-ADR="<ADR value>":<label>
//
// The export writes it back as LABEL= on the address with that value,
// and writes the line itself only when that address is gone (edited), so
// the label is never lost.
const adrLabelProp = "X-RAPPORT-ADR-LABEL"

// adrKey is an address as the export writes ADR's value.
func adrKey(a data.Address) string {
	return joinEscaped("", "", a.Street, a.Locality, a.Region, a.Postcode, a.Country)
}

func adrLabelLine(a data.Address, label string) string {
	return adrLabelProp + ";X-ADR=" + paramValue(adrKey(a)) + ":" + escapeText(label)
}

// addressLabels finds the kept labels of the card's addresses, and the
// Extra lines they came from.
func addressLabels(c *data.Customer) (labels map[string]string, used map[string]bool) {
	for _, x := range c.Extra {
		if len(x.Raw) < len(adrLabelProp) || !strings.EqualFold(x.Raw[:len(adrLabelProp)], adrLabelProp) {
			continue
		}
		head, ok := splitHead([]byte(x.Raw))
		if !ok {
			continue
		}
		name, ps, _ := strings.Cut(string(head), ";")
		if !strings.EqualFold(name, adrLabelProp) {
			continue
		}
		key := ""
		for _, pa := range parseParams(";" + ps) {
			if pa.name == "X-ADR" {
				key = strings.Join(pa.values, ",")
			}
		}
		if !hasAddress(c, key) {
			continue // the address was edited: the line itself keeps the label
		}
		if labels == nil {
			labels, used = map[string]string{}, map[string]bool{}
		}
		if _, dup := labels[key]; !dup {
			labels[key] = unescape(x.Raw[len(head)+1:])
			used[x.Raw] = true
		}
	}
	return labels, used
}

func hasAddress(c *data.Customer, key string) bool {
	for _, a := range c.Addresses {
		if adrKey(a) == key {
			return true
		}
	}
	return false
}
