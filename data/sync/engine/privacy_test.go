package engine

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	govcard "github.com/emersion/go-vcard"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/dav"
	"github.com/rapportcrm/rapport/data/sync/davtest"
)

// Nothing confidential reaches the server: confidential profile entries,
// relatives and pets, and Rapport's own notes (which never travel; since
// part 2 logged interactions do travel, to the calendar), checked in every file of the server's storage, after a
// first push, an edit here, and a change made on another laptop.
func TestNothingConfidentialOnServer(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			ctx := context.Background()
			a := laptop(t, srv, "a")
			c := add(t, a, data.Customer{GivenName: "Conf", FamilyName: "Idential", Company: "Secretive Ltd"})
			secrets := []string{"SECRET-hobby-divorce", "SECRET-spouse-Lena", "SECRET-family-illness",
				"SECRET-pet-Rex", "SECRET-note-price-floor", "SECRET-plain-note"}
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			must(a.SaveProfileItem(ctx, &data.ProfileItem{CustomerID: c.ID, Category: data.CatOther, Text: secrets[0], Confidential: true}))
			must(a.SaveProfileItem(ctx, &data.ProfileItem{CustomerID: c.ID, Category: data.CatHobby, Text: "Sailing (shared)"}))
			must(a.SaveFamilyMember(ctx, &data.FamilyMember{CustomerID: c.ID, Relation: data.RelSpouse, Name: secrets[1], Notes: secrets[2], Confidential: true}))
			must(a.SaveFamilyMember(ctx, &data.FamilyMember{CustomerID: c.ID, Relation: data.RelChild, Name: "Tom (shared)"}))
			must(a.SavePet(ctx, &data.Pet{CustomerID: c.ID, Name: secrets[3], Species: "dog", Confidential: true}))
			must(a.AddNote(ctx, &data.Note{CustomerID: c.ID, At: time.Now(), Text: secrets[4], Confidential: true}))
			must(a.AddNote(ctx, &data.Note{CustomerID: c.ID, At: time.Now(), Text: secrets[5]}))
			check := func(when string) {
				t.Helper()
				shared := false
				for _, f := range srv.Files(t) {
					b, err := os.ReadFile(f)
					if err != nil {
						t.Fatal(err)
					}
					for _, s := range secrets {
						if strings.Contains(string(b), s) {
							t.Fatalf("%s: %q is on the server, in %s", when, s, f)
						}
					}
					shared = shared || strings.Contains(string(b), "Sailing (shared)")
				}
				if !shared {
					t.Fatalf("%s: the shareable profile entry is not on the server", when)
				}
			}
			mustSync(t, a)
			check("after the first push")
			cu := byUID(t, a, c.UID)
			cu.Title = "Owner"
			must(a.UpdateCustomer(ctx, cu))
			mustSync(t, a)
			check("after an edit here")
			// Another laptop changes the card; ours merges and sends back.
			b := laptop(t, srv, "b")
			mustSync(t, b)
			cb := byUID(t, b, c.UID)
			cb.CardNote = "changed on b"
			must(b.UpdateCustomer(ctx, cb))
			mustSync(t, b)
			cu = byUID(t, a, c.UID)
			cu.Department = "Sales"
			must(a.UpdateCustomer(ctx, cu))
			mustSync(t, a)
			check("after a merge")
			// And the confidential entries are still here.
			p, err := a.Profile(ctx, c.ID)
			must(err)
			n := 0
			for _, it := range p.Items {
				if it.Confidential {
					n++
				}
			}
			if n != 1 || len(p.Family) != 2 || len(p.Pets) != 1 {
				t.Fatalf("the profile here lost entries after the merge: %+v", p)
			}
		})
	}
}

// phoneOnlyCard is a card as an iPhone/Android writes it, with what Rapport
// does not map: its own X- property, CATEGORIES, KEY, a PNG PHOTO, a
// grouped number with its Apple label, and escapes in NOTE, ORG and X-.
const phoneOnlyCard = "BEGIN:VCARD\r\n" +
	"VERSION:3.0\r\n" +
	"PRODID:-//Apple Inc.//iPhone OS 17.2//EN\r\n" +
	"UID:KEEP-1111-2222\r\n" +
	"N:Keeper;Kay;;;\r\n" +
	"FN:Kay Keeper\r\n" +
	"ORG:Semi\\;colon & Co\\, Ltd;Back\\\\slash unit\r\n" +
	"TITLE:Buyer\r\n" +
	"NOTE:one\\; two\\, three \\\\ four\r\n" +
	"item1.TEL;TYPE=CELL:+44 7700 900123\r\n" +
	"item1.X-ABLABEL:_$!<Mobile>!$_\r\n" +
	"item2.TEL:+44 7700 900456\r\n" +
	"item2.X-ABLABEL:Boat phone\r\n" +
	"EMAIL;TYPE=INTERNET:kay@keep.example\r\n" +
	"CATEGORIES:Golf,VIP\r\n" +
	"KEY;ENCODING=b;TYPE=PGP:bWF0aGVtYXRpY2FsbHkgc2VjdXJl\r\n" +
	"X-PHONE-THING;TYPE=work:a\\;b\\,c\\\\d\r\n" +
	"X-SOCIALPROFILE;TYPE=twitter:https://x.example/kay\r\n" +
	"PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAGElEQVR4nGLiZmD4zwADJ7i4/gMCAAD//xNWAurfmUhWAAAAAElFTkSuQmCC\r\n" +
	"END:VCARD\r\n"

// Another client's properties survive a Rapport edit of another field and
// go back to the server as they came; ten rounds of edits leave no
// backslash piling up in NOTE, ORG or the X- values.
func TestOtherClientsPropertiesKept(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			ctx := context.Background()
			a := laptop(t, srv, "a")
			acct, _ := a.SyncAccount(ctx)
			book := acct.Collection(data.KindContacts).Href
			ph := newPhone(t, srv, book)
			href := book + "kay-from-phone.vcf"
			if code, _, err := ph.put(href, "", []byte(phoneOnlyCard)); err != nil || code >= 300 {
				t.Fatalf("phone PUT: %d %v", code, err)
			}
			before, err := ph.read.Get(ctx, href)
			if err != nil {
				t.Fatal(err)
			}
			mustSync(t, a)
			for round := range 10 {
				c := byUID(t, a, "KEEP-1111-2222")
				c.Title = "Buyer " + string(rune('A'+round))
				if err := a.UpdateCustomer(ctx, c); err != nil {
					t.Fatal(err)
				}
				if sum := mustSync(t, a); sum.Sent != 1 {
					t.Fatalf("round %d: %+v", round, sum)
				}
				// The phone edits too (a go-vcard round of the card), so
				// both encoders and decoders take their turn.
				o, err := ph.read.Get(ctx, href)
				if err != nil {
					t.Fatal(err)
				}
				o.Card.SetValue(govcard.FieldNickname, "Kay "+string(rune('A'+round)))
				text, err := dav.Encode(o.Card)
				if err != nil {
					t.Fatal(err)
				}
				if code, _, err := ph.put(href, o.ETag, text); err != nil || code >= 300 {
					t.Fatalf("round %d: phone PUT %d %v", round, code, err)
				}
				mustSync(t, a)
			}
			after, err := ph.read.Get(ctx, href)
			if err != nil {
				t.Fatal(err)
			}
			if got := after.Card.Value(govcard.FieldTitle); got != "Buyer J" {
				t.Fatalf("title %q after ten rounds", got)
			}
			// Every property the phone wrote comes back as it was, but for
			// what Rapport and the phone changed. (data/vcard's one mapping
			// reads two things into fields of its own, written back in
			// their standard form: Apple's built-in label _$!<Mobile>!$_
			// becomes TEL;TYPE=CELL, and X-SOCIALPROFILE a labelled URL.)
			for _, name := range []string{"NOTE", "ORG", "CATEGORIES", "KEY", "X-PHONE-THING", "PHOTO", "EMAIL", "N", "FN"} {
				if got, want := fieldsOf(after.Card, name), fieldsOf(before.Card, name); got != want {
					t.Errorf("%s changed on the server:\n got %s\nwant %s", name, got, want)
				}
			}
			// A number with a label of the phone's own is a group: TEL and
			// X-ABLABEL with one group name.
			boat := ""
			for _, f := range after.Card[govcard.FieldTelephone] {
				if f.Value == "+44 7700 900456" {
					boat = f.Group
				}
			}
			label := ""
			for _, f := range after.Card["X-ABLABEL"] {
				if boat != "" && strings.EqualFold(f.Group, boat) {
					label = f.Value
				}
			}
			if label != "Boat phone" {
				t.Errorf("the grouped number lost its label (group %q): %s / %s", boat, fieldsOf(after.Card, "TEL"), fieldsOf(after.Card, "X-ABLABEL"))
			}
			if !strings.Contains(fieldsOf(after.Card, "TEL"), "+44 7700 900123 TYPE=CELL") {
				t.Errorf("the Mobile number: %s", fieldsOf(after.Card, "TEL"))
			}
			c := byUID(t, a, "KEEP-1111-2222")
			if c.CardNote != `one; two, three \ four` || c.Company != "Semi;colon & Co, Ltd" || c.Department != `Back\slash unit` {
				t.Fatalf("after ten rounds here: note %q, company %q, department %q", c.CardNote, c.Company, c.Department)
			}
			for _, f := range srv.Files(t) {
				b, _ := os.ReadFile(f)
				if strings.Contains(string(b), `\\\\`) || strings.Contains(string(b), `\\;`) || strings.Contains(string(b), `\\,`) {
					t.Fatalf("backslashes piled up in %s:\n%s", f, b)
				}
			}
		})
	}
}

func fieldsOf(c govcard.Card, name string) string {
	var parts []string
	for _, f := range c[name] {
		parts = append(parts, f.Value+" "+paramsOf(f))
	}
	return strings.Join(parts, " | ")
}

func paramsOf(f *govcard.Field) string {
	var out []string
	for _, k := range sortedKeys(f.Params) {
		out = append(out, strings.ToUpper(k)+"="+strings.ToUpper(strings.Join(f.Params[k], ",")))
	}
	return strings.Join(out, ";")
}
