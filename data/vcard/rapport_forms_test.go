package vcard

import (
	"strings"
	"testing"
)

// Family members and pets are written "name\nnotes" since sync, and were
// "name;notes" before: files exported then still read the same.
func TestFamilyAndPetForms(t *testing.T) {
	for _, tc := range []struct{ why, line, name, notes string }{
		{"written before sync", `X-RAPPORT-FAMILY;X-RELATION=child:Emma;Dinosaurs\; football`, "Emma", "Dinosaurs; football"},
		{"written now", `X-RAPPORT-FAMILY;X-RELATION=child:Emma\nDinosaurs\; football\nand horses`, "Emma", "Dinosaurs; football\nand horses"},
		{"as Radicale stores it", `X-RAPPORT-FAMILY;X-RELATION=child:Emma\nDinosaurs\; football`, "Emma", "Dinosaurs; football"},
		{"no notes", `X-RAPPORT-FAMILY;X-RELATION=child:Emma\; Jane`, "Emma; Jane", ""},
	} {
		card := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Archer\r\n" + tc.line + "\r\nEND:VCARD\r\n"
		rec, err := NewDecoder(strings.NewReader(card)).Next()
		if err != nil {
			t.Fatalf("%s: %v", tc.why, err)
		}
		if len(rec.Profile.Family) != 1 || rec.Profile.Family[0].Name != tc.name || rec.Profile.Family[0].Notes != tc.notes {
			t.Errorf("%s: got %+v, want %q / %q", tc.why, rec.Profile.Family, tc.name, tc.notes)
		}
	}
	rec, err := NewDecoder(strings.NewReader("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nX-RAPPORT-PET;X-SPECIES=dog:Rex\\nold\\; deaf\r\nEND:VCARD\r\n")).Next()
	if err != nil || len(rec.Profile.Pets) != 1 || rec.Profile.Pets[0].Name != "Rex" || rec.Profile.Pets[0].Notes != "old; deaf" {
		t.Fatalf("pet: %+v %v", rec, err)
	}
}
