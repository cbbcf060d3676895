// Package vcardgen writes generated vCards at realistic scale for the
// benchmarks (of the store, the importer and whole rapport processes).
package vcardgen

import (
	"bytes"
	"fmt"
	"time"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/vcard"
)

// Cards writes n vCards 3.0 with names, company, phones, e-mail, address,
// birthday, tags and a note; every tenth given name is Maria. edit, when not
// nil, changes each card first.
func Cards(n int, edit func(i int, c *data.Customer, p *data.Profile)) ([]byte, error) {
	given := []string{"Maria", "James", "Anna", "Mohammed", "Sofia", "Lukas", "Zoë", "Jörg", "Françoise", "Priya"}
	family := []string{"Smith", "Müller", "García", "Nguyen", "Kowalski", "Okafor", "Rossi", "Dubois"}
	var buf bytes.Buffer
	enc := vcard.NewEncoder(&buf, vcard.Options{Version: "3.0"})
	for i := 0; i < n; i++ {
		c := &data.Customer{
			UID:       fmt.Sprintf("gen-%07d", i),
			GivenName: given[i%len(given)], FamilyName: fmt.Sprintf("%s%d", family[i%len(family)], i),
			Company: fmt.Sprintf("Bistro %d", i%3000), Title: "Owner",
			Phones:    []data.Labelled{{Label: "work", Value: fmt.Sprintf("+44 20 7946 %04d", i%10000)}, {Label: "cell", Value: fmt.Sprintf("+44 7700 9%05d", i)}},
			Emails:    []data.Labelled{{Label: "work", Value: fmt.Sprintf("person%d@example.com", i)}},
			Addresses: []data.Address{{Label: "work", Street: fmt.Sprintf("%d High Street", i%200), Locality: "Leeds", Postcode: "LS1 4AP", Country: "UK"}},
			Birthday:  data.Date{Year: 1960 + i%40, Month: time.Month(1 + i%12), Day: 1 + i%28},
			Tags:      []string{"restaurant", "north"},
			CardNote:  "Met at the trade fair; interested in a new cold room.",
		}
		p := &data.Profile{}
		if edit != nil {
			edit(i, c, p)
		}
		if err := enc.Encode(c, p); err != nil {
			return nil, fmt.Errorf("generate card %d: %w", i, err)
		}
	}
	return buf.Bytes(), nil
}
