package vcard

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/data"
)

// corpusWant is the number of cards each corpus file must yield, and the
// card errors it may give: only cards with nothing to call the person by
// (no name, organisation, e-mail or phone).
var corpusWant = map[string]struct{ cards, cardErrs int }{
	"FolkerKinzel-VCards/AnsiIssue.vcf":                              {1, 0},
	"FolkerKinzel-VCards/Greek.vcf":                                  {1, 0},
	"FolkerKinzel-VCards/LabelIssue.vcf":                             {1, 0},
	"FolkerKinzel-VCards/Outlook v2.vcf":                             {1, 0},
	"FolkerKinzel-VCards/Photo v3.vcf":                               {1, 0},
	"FolkerKinzel-VCards/WhatsAppIssue.vcf":                          {1, 0},
	"FolkerKinzel-VCards/v3.vcf":                                     {2, 0},
	"FolkerKinzel-VCards/v3Utf16Bom.vcf":                             {2, 0},
	"FolkerKinzel-VCards/v4.vcf":                                     {2, 0},
	"aosp-vcard/v21_android_custom_prop.vcf":                         {1, 0}, // only X-ANDROID-CUSTOM: kept as "Unnamed contact"
	"aosp-vcard/v21_backslash.vcf":                                   {1, 0},
	"aosp-vcard/v21_blackberry_photo.vcf":                            {1, 0},
	"aosp-vcard/v21_complicated.vcf":                                 {1, 0},
	"aosp-vcard/v21_invalid_comment_line.vcf":                        {1, 0},
	"aosp-vcard/v21_japanese_2.vcf":                                  {1, 0},
	"aosp-vcard/v21_multiple_entry.vcf":                              {3, 0},
	"aosp-vcard/v21_nest.vcf":                                        {3, 0}, // outer card and two nested ones
	"aosp-vcard/v21_winmo_65.vcf":                                    {1, 0},
	"aosp-vcard/v30_comma_separated.vcf":                             {1, 0},
	"aosp-vcard/v30_ios_613_multiline.vcf":                           {1, 0},
	"aosp-vcard/v40_sort_as.vcf":                                     {1, 0},
	"evolution-data-server/11.vcf":                                   {1, 0},
	"evolution-data-server/12.vcf":                                   {1, 0},
	"evolution-data-server/13.vcf":                                   {1, 0},
	"evolution-data-server/5.vcf":                                    {1, 0},
	"evolution-data-server/7.vcf":                                    {1, 0}, // no BEGIN:VCARD, recovered
	"ez-vcard/John_Doe_ANDROID.vcf":                                  {6, 0},
	"ez-vcard/John_Doe_BLACK_BERRY.vcf":                              {1, 0},
	"ez-vcard/John_Doe_EVOLUTION.vcf":                                {1, 0},
	"ez-vcard/John_Doe_GMAIL.vcf":                                    {1, 0},
	"ez-vcard/John_Doe_IPHONE.vcf":                                   {1, 0},
	"ez-vcard/John_Doe_LOTUS_NOTES.vcf":                              {1, 0},
	"ez-vcard/John_Doe_MAC_ADDRESS_BOOK.vcf":                         {1, 0},
	"ez-vcard/John_Doe_MS_OUTLOOK.vcf":                               {1, 0},
	"ez-vcard/gmail-single.vcf":                                      {1, 0},
	"ez-vcard/gmail-single2.vcf":                                     {1, 0},
	"ez-vcard/issue114.vcf":                                          {1, 0},
	"ez-vcard/outlook-2003.vcf":                                      {1, 0},
	"ez-vcard/outlook-2007.vcf":                                      {1, 0},
	"ez-vcard/thunderbird-MoreFunctionsForAddressBook-extension.vcf": {1, 0},
	"ical4j-vcard/4b62872a-849-0.vcf":                                {1, 0},
	"ical4j-vcard/vcard-antoni-cardpicture.vcf":                      {1, 0},
	"ical4j-vcard/vcard-antoni-kontact.vcf":                          {1, 0},
	"ical4j-vcard/vcard-antoni-outlook2003.vcf":                      {1, 0},
	"ical4j-vcard/vcard-dirk-whitespaceafterbegin.vcf":               {1, 0},
	"ical4j-vcard/vcard-vCards-SAP.vcf":                              {30, 0},
	"kde-kcontacts/vcard10.vcf":                                      {5, 0},
	"kde-kcontacts/vcard12.vcf":                                      {1, 0},
	"kde-kcontacts/vcard3.vcf":                                       {1, 0},
	"kde-kcontacts/vcard4.vcf":                                       {1, 0},
	"kde-kcontacts/vcard9.vcf":                                       {1, 0},
	"kde-kcontacts/vcardwithitemasapplesupport.vcf":                  {1, 0},
	"mudita-center/contact-with-email-list.vcf":                      {1, 0},
	"mudita-center/encoded-contact.vcf":                              {1, 0},
	"mudita-center/multiple-contacts-with-empty.vcf":                 {2, 1}, // card 2 is N:, FN:, TEL: all empty
	"nextcloud/contact-multiple.vcf":                                 {7, 0},
	"nextcloud/forrest-gump.vcf":                                     {1, 0},
	"sabre-vobject/issue153.vcf":                                     {1, 0},
	"sabre-vobject/issue64.vcf":                                      {1, 0}, // only a PHOTO: kept as "Unnamed contact"
	"thunderbird-comm-central/export.vcf":                            {2, 0},
}

// corpus decodes every corpus file once, keyed by its path under corpusDir.
func corpus(t *testing.T) map[string][]*Record {
	t.Helper()
	out := map[string][]*Record{}
	for _, f := range corpusFiles(t) {
		rel, _ := filepath.Rel(corpusDir, f)
		rel = filepath.ToSlash(rel)
		raw := mustRead(t, f)
		recs, errs, fatal := decodeAll(raw)
		if fatal != nil {
			t.Errorf("%s: fatal error: %v", rel, fatal)
		}
		want, ok := corpusWant[rel]
		if !ok {
			t.Errorf("%s: new corpus file, add it to corpusWant (got %d cards, %d errors)", rel, len(recs), len(errs))
		} else if len(recs) != want.cards || len(errs) != want.cardErrs {
			t.Errorf("%s: got %d cards and %d card errors %v, want %d and %d", rel, len(recs), len(errs), errs, want.cards, want.cardErrs)
		}
		// No card lost: every BEGIN:VCARD is a card or an expected error.
		begins := bytes.Count(bytes.ToUpper(toUTF8IfUTF16(raw)), []byte("BEGIN:VCARD"))
		if n := len(recs) + len(errs); n < begins {
			t.Errorf("%s: %d BEGIN:VCARD but only %d cards and errors", rel, begins, n)
		}
		for _, e := range errs {
			if e.Index < 1 || !strings.Contains(e.Error(), "card ") {
				t.Errorf("%s: badly formed card error %v", rel, e)
			}
		}
		out[rel] = recs
	}
	return out
}

// toUTF8IfUTF16 makes the UTF-16 sample countable with bytes.Count.
func toUTF8IfUTF16(b []byte) []byte {
	if len(b) > 1 && (b[0] == 0xFF && b[1] == 0xFE || b[0] == 0xFE && b[1] == 0xFF) {
		return bytes.ReplaceAll(b, []byte{0}, nil)
	}
	return b
}

func TestCorpusCounts(t *testing.T) {
	all := corpus(t)
	total := 0
	for _, recs := range all {
		total += len(recs)
		for _, r := range recs {
			j, _ := json.Marshal(r)
			// No quoted-printable left undecoded, no invalid UTF-8 anywhere.
			for _, qp := range []string{"=C3=", "=E6=", "=0D=0A", "=D8="} {
				if bytes.Contains(j, []byte(qp)) {
					t.Errorf("card %d %q: %s left undecoded", r.Index, r.Customer.Name(), qp)
				}
			}
			if bytes.ContainsRune(j, '\uFFFD') {
				t.Errorf("card %d %q: replacement character in %s", r.Index, r.Customer.Name(), j)
			}
			if r.Customer.Name() == "" {
				t.Errorf("card %d has no name", r.Index)
			}
			if err := r.Customer.Validate(); err != nil {
				t.Errorf("card %d %q: %v", r.Index, r.Customer.Name(), err)
			}
		}
	}
	t.Logf("corpus: %d files, %d cards", len(all), total)
	if total < 105 {
		t.Errorf("corpus yields %d cards, want at least 105", total)
	}
}

// find returns the card of file whose name is name.
func find(t *testing.T, all map[string][]*Record, file, name string) *data.Customer {
	t.Helper()
	for _, r := range all[file] {
		if r.Customer.Name() == name {
			return &r.Customer
		}
	}
	var names []string
	for _, r := range all[file] {
		names = append(names, r.Customer.Name())
	}
	t.Fatalf("%s: no card %q (have %q)", file, name, names)
	return nil
}

func hasLabelled(ls []data.Labelled, label, value string) bool {
	for _, l := range ls {
		if l.Label == label && l.Value == value {
			return true
		}
	}
	return false
}

func TestCorpusValues(t *testing.T) {
	all := corpus(t)
	eq := func(what, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %q, want %q", what, got, want)
		}
	}

	t.Run("Android QP names", func(t *testing.T) {
		c := all["ez-vcard/John_Doe_ANDROID.vcf"][2].Customer
		eq("FN", c.Name(), "Ñ Ñ Ñ Ñ Ñ")
		c = all["ez-vcard/John_Doe_ANDROID.vcf"][3].Customer
		eq("N (soft line break)", c.FamilyName, "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ")
		eq("first e-mail fallback name", all["ez-vcard/John_Doe_ANDROID.vcf"][0].Customer.Name(), "john.doe@company.com")
	})
	t.Run("Outlook TEL", func(t *testing.T) {
		c := find(t, all, "ez-vcard/John_Doe_MS_OUTLOOK.vcf", "Mr. John Richter James Doe Sr.")
		if !hasLabelled(c.Phones, "work", "(905) 555-1234") || !hasLabelled(c.Phones, "home", "(905) 666-1234") {
			t.Errorf("phones %+v", c.Phones)
		}
		for _, f := range []string{"ez-vcard/outlook-2003.vcf", "ez-vcard/outlook-2007.vcf", "FolkerKinzel-VCards/Outlook v2.vcf", "ical4j-vcard/vcard-antoni-outlook2003.vcf"} {
			for _, r := range all[f] {
				for _, p := range r.Customer.Phones {
					if p.Value == "" {
						t.Errorf("%s: empty phone", f)
					}
				}
			}
		}
		if c.Anniversary != data.MustParseDate("2011-01-13") {
			t.Errorf("X-MS-ANNIVERSARY: %v", c.Anniversary)
		}
		if !strings.Contains(c.CardNote, "THIS SOFTWARE IS PROVIDED") {
			t.Errorf("note %q", c.CardNote)
		}
	})
	t.Run("iPhone labels and photo", func(t *testing.T) {
		c := find(t, all, "ez-vcard/John_Doe_IPHONE.vcf", "Mr. John Richter James Doe Sr.")
		if !hasLabelled(c.Phones, "cell", "905-555-1234") || !hasLabelled(c.Phones, "home fax", "905-888-1234") ||
			!hasLabelled(c.Phones, "assistantphone", "905-222-1234") {
			t.Errorf("phones %+v", c.Phones)
		}
		if !hasLabelled(c.URLs, "homepage", "http://www.ibm.com") {
			t.Errorf("urls %+v", c.URLs)
		}
		if !bytes.HasPrefix(c.Photo.Data, []byte{0xFF, 0xD8}) || c.Photo.MIME != "image/jpeg" {
			t.Errorf("photo %d bytes %q", len(c.Photo.Data), c.Photo.MIME)
		}
		g := all["ez-vcard/gmail-single.vcf"][0].Customer
		if !hasLabelled(g.Phones, "GRAND_CENTRAL", "555 555 2222") || !hasLabelled(g.URLs, "PROFILE", "http://TheProfile.com") {
			t.Errorf("gmail custom labels %+v %+v", g.Phones, g.URLs)
		}
		eq("gmail address label", g.Addresses[1].Label, "CustomAdrType")
		eq("gmail anniversary", g.Anniversary.String(), "1970-06-02")
		p := all["ez-vcard/gmail-single.vcf"][0].Profile
		if len(p.Family) != 2 || p.Family[0] != (data.FamilyMember{Relation: "spouse", Name: "MySpouse"}) ||
			p.Family[1] != (data.FamilyMember{Relation: "other", Name: "MyCustom", Notes: "CustomRelationship"}) {
			t.Errorf("gmail family %+v", p.Family)
		}
	})
	t.Run("photos are JPEG", func(t *testing.T) {
		for _, f := range []string{"ez-vcard/John_Doe_MS_OUTLOOK.vcf", "ez-vcard/John_Doe_MAC_ADDRESS_BOOK.vcf", "ez-vcard/John_Doe_BLACK_BERRY.vcf",
			"sabre-vobject/issue153.vcf", "FolkerKinzel-VCards/Outlook v2.vcf", "FolkerKinzel-VCards/Photo v3.vcf", "ical4j-vcard/vcard-antoni-kontact.vcf",
			"aosp-vcard/v30_ios_613_multiline.vcf", "ez-vcard/John_Doe_ANDROID.vcf"} {
			found := false
			for _, r := range all[f] {
				if len(r.Customer.Photo.Data) > 0 {
					found = true
					if !bytes.HasPrefix(r.Customer.Photo.Data, []byte{0xFF, 0xD8}) {
						t.Errorf("%s: photo starts % x", f, r.Customer.Photo.Data[:4])
					}
				}
			}
			if !found {
				t.Errorf("%s: no photo", f)
			}
		}
		c := all["aosp-vcard/v21_blackberry_photo.vcf"][0].Customer
		eq("BlackBerry PNG", c.Photo.MIME, "image/png")
		eq("photo URL", all["FolkerKinzel-VCards/v3.vcf"][0].Customer.Photo.URL,
			"https://lh3.googleusercontent.com/-qA19KAIW4ig/XPRQfJuWDoI/AAAAAAAAAAA/n3yseZjiGHcH1S5pjm8TULwkceJJtHykQCOQCEAE/photo.jpg")
	})
	t.Run("Windows-1252 and 1253", func(t *testing.T) {
		c := all["FolkerKinzel-VCards/AnsiIssue.vcf"][0].Customer
		eq("raw 1252 street", c.Addresses[0].Street, "Lämmerweg 12")
		eq("LABEL in extra", c.Extra[0].Raw, `LABEL;TYPE=HOME,PREF:Lämmerweg 12\n98765 Kleindorf`)
		g := all["FolkerKinzel-VCards/Greek.vcf"][0].Customer
		eq("Greek FN", g.FormattedName, "Βαγγέλης")
		eq("Greek family name", g.FamilyName, "Παπαθανασίου")
		eq("Greek city", g.Addresses[0].Locality, "Αθήνα")
	})
	t.Run("Shift_JIS", func(t *testing.T) {
		c := all["aosp-vcard/v21_japanese_2.vcf"][0].Customer
		eq("family", c.FamilyName, "安藤")
		eq("QP Shift_JIS street", c.Addresses[0].Street, "東京都渋谷区桜丘町26-1セルリアンタワー6階")
		eq("note", c.CardNote, "メモ")
		eq("raw Shift_JIS without QP", all["aosp-vcard/v21_multiple_entry.vcf"][0].Customer.FamilyName, "安藤ロイド3")
	})
	t.Run("UTF-16", func(t *testing.T) {
		c := all["FolkerKinzel-VCards/v3Utf16Bom.vcf"]
		eq("first", c[0].Customer.Name(), "Folker Kinzel")
		eq("second", c[1].Customer.FormattedName, "KMS Außenstelle")
	})
	t.Run("birthdays", func(t *testing.T) {
		v4 := all["FolkerKinzel-VCards/v4.vcf"]
		eq("invalid BDAY card kept", v4[1].Customer.FamilyName, "Mustermann")
		if !v4[1].Customer.Birthday.IsZero() {
			t.Errorf("invalid BDAY 19723101 read as %v", v4[1].Customer.Birthday)
		}
		eq("BDAY with time", all["ical4j-vcard/vcard-antoni-kontact.vcf"][0].Customer.Birthday.String(), "1985-01-28")
		eq("basic BDAY", all["FolkerKinzel-VCards/v3.vcf"][0].Customer.Birthday.String(), "1978-03-11")
	})
	t.Run("empty X-ABLabel", func(t *testing.T) {
		c := all["FolkerKinzel-VCards/v3.vcf"][0].Customer
		if !hasLabelled(c.Emails, "", "email1@wumms.de") || !hasLabelled(c.Phones, "", "0123-45678") {
			t.Errorf("%+v %+v", c.Emails, c.Phones)
		}
		for _, x := range c.Extra {
			if strings.Contains(strings.ToUpper(x.Raw), "X-ABLABEL") {
				t.Errorf("empty label kept: %s", x.Raw)
			}
		}
		eq("grouped ORG", all["FolkerKinzel-VCards/v3.vcf"][1].Customer.Company, "KMS Außenstelle")
	})
	t.Run("oddities", func(t *testing.T) {
		eq("missing BEGIN", all["evolution-data-server/7.vcf"][0].Customer.Name(), "Frank Dawson")
		n := all["aosp-vcard/v21_nest.vcf"]
		eq("nest outer", n[0].Customer.FamilyName, "parent")
		eq("nest outer phone", n[0].Customer.Phones[0].Value, "1")
		eq("nest inner", n[2].Customer.FamilyName, "nest2")
		eq("comment lines", all["aosp-vcard/v21_invalid_comment_line.vcf"][0].Customer.CardNote,
			"This is an (sharp ->#<- sharp) example. This message must NOT be ignored.")
		eq("trailing space after BEGIN", all["ical4j-vcard/vcard-dirk-whitespaceafterbegin.vcf"][0].Customer.Emails[0].Value, "dirk@sap.com")
		eq("no VERSION, FN without colon", all["kde-kcontacts/vcard4.vcf"][0].Customer.Name(), "Ximian, Inc.")
		c := all["evolution-data-server/12.vcf"][0].Customer
		eq("QP value starting with =", c.FamilyName, "Brüning")
		eq("QP ADR one component per line", c.Addresses[0].Street, "Münsterplatz 21")
		eq("QP ADR region", c.Addresses[0].Region, "Baden-Württemberg")
		e := all["evolution-data-server/13.vcf"][0].Customer
		if !hasLabelled(e.Phones, "work fax", "+1-919-676-9564") || !hasLabelled(e.Emails, "", "semicolon;@points.net") {
			t.Errorf("tab folding / escapes: %+v %+v", e.Phones, e.Emails)
		}
		eq("escaped semicolon in ADR", e.Addresses[0].Locality, "Semicolon;way")
		eq("Gmail http\\:", all["ez-vcard/John_Doe_GMAIL.vcf"][0].Customer.URLs[0].Value, "http://www.ibm.com")
		eq("4.0 QP", all["mudita-center/encoded-contact.vcf"][0].Customer.FamilyName, "Jürgen")
		if fn := all["kde-kcontacts/vcard9.vcf"][0].Customer.Name(); fn == "" || strings.ContainsRune(fn, 0xFFFD) {
			t.Errorf("fold inside UTF-8: %q", fn)
		}
		th := all["ez-vcard/thunderbird-MoreFunctionsForAddressBook-extension.vcf"][0].Customer
		if len(th.Tags) == 0 {
			t.Errorf("thunderbird categories: %q", th.Tags)
		}
		sap := all["ical4j-vcard/vcard-vCards-SAP.vcf"]
		if len(sap[0].Customer.Tags) == 0 {
			t.Errorf("SAP categories missing")
		}
		eq("lower-case 2.1", all["thunderbird-comm-central/export.vcf"][1].Customer.CardNote, "here's some unicode text…")
		w := all["aosp-vcard/v21_winmo_65.vcf"][0].Customer
		eq("2.1 ANNIVERSARY", w.Anniversary.String(), "2009-10-10")
		eq("WhatsApp label", all["FolkerKinzel-VCards/WhatsAppIssue.vcf"][0].Customer.Phones[1].Label, "whatsapp")
	})

}
