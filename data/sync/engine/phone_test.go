package engine

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	govcard "github.com/emersion/go-vcard"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/dav"
	"github.com/rapportcrm/rapport/data/sync/davtest"
	"github.com/rapportcrm/rapport/data/vcard"
)

// phone is a third client that writes the address book directly, as a
// phone's CardDAV account would: raw PUT and DELETE with If-Match, cards
// in its own form (its own UIDs and file names, vCard 3.0 or 4.0, its own
// X- properties, PNG photos), reading with a plain CardDAV client.
type phone struct {
	srv   *davtest.Server
	book  string // the address book's path
	read  *dav.Client
	hc    *http.Client
	cards map[string]*phoneCard // by href
	// removed are cards deleted on the phone, not yet sent.
	removed map[string]bool
	// dataURI: 4.0 photos as RFC 6350 data: URIs. Radicale 3.1 (vobject)
	// cuts such a PHOTO at its comma when it stores the card (it keeps
	// "data:image/png\;base64" and drops the picture), so against Radicale
	// the phone writes them as ENCODING=b, as many 4.0 writers do.
	dataURI bool
	// pending are the phone's offline changes, in order.
	pending []phoneChange
}

type phoneCard struct {
	href, etag string
	card       govcard.Card
}

// phoneChange is one offline change; edit is applied again on top of the
// server's card when a PUT finds the card changed meanwhile (what a
// phone's sync adapter does: its own field wins, the rest is taken).
type phoneChange struct {
	href   string
	create []byte               // the new card's text
	edit   func(c govcard.Card) // change of an existing card
	delete bool
}

func newPhone(t testing.TB, srv *davtest.Server, book string) *phone {
	t.Helper()
	c, err := dav.New(srv.URL, dav.Options{User: davtest.User, Password: davtest.Password})
	if err != nil {
		t.Fatal(err)
	}
	return &phone{srv: srv, book: book, read: c, hc: &http.Client{}, cards: map[string]*phoneCard{}, removed: map[string]bool{},
		dataURI: srv.Name != "radicale"}
}

// refresh reads the whole book (what the phone shows after its sync).
func (p *phone) refresh(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	entries, err := p.read.List(ctx, p.book)
	if err != nil {
		t.Fatalf("phone: list: %v", err)
	}
	p.cards = map[string]*phoneCard{}
	var hrefs []string
	for _, e := range entries {
		hrefs = append(hrefs, e.Href)
	}
	for i := 0; i < len(hrefs); i += 200 {
		objs, err := p.read.MultiGet(ctx, p.book, hrefs[i:min(i+200, len(hrefs))])
		if err != nil {
			t.Fatalf("phone: multiget: %v", err)
		}
		for _, o := range objs {
			p.cards[o.Href] = &phoneCard{href: o.Href, etag: o.ETag, card: o.Card}
		}
	}
}

// hrefs lists the cards the phone has, sorted (so a seed gives the same picks).
func (p *phone) hrefs() []string {
	out := make([]string, 0, len(p.cards))
	for h := range p.cards {
		if !p.removed[h] {
			out = append(out, h)
		}
	}
	sort.Strings(out)
	return out
}

func (p *phone) uidOf(href string) string {
	if c := p.cards[href]; c != nil {
		return c.card.Value(govcard.FieldUID)
	}
	return ""
}

// do sends one raw request with Basic auth.
func (p *phone) do(method, href string, body []byte, hdr map[string]string) (*http.Response, []byte, error) {
	req, err := http.NewRequest(method, p.srv.URL+href, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.SetBasicAuth(davtest.User, davtest.Password)
	if body != nil {
		req.Header.Set("Content-Type", "text/vcard; charset=utf-8")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := p.hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b, nil
}

// put writes text at href: created when etag is "", else over etag only.
func (p *phone) put(href, etag string, text []byte) (int, string, error) {
	hdr := map[string]string{"If-None-Match": "*"}
	if etag != "" {
		hdr = map[string]string{"If-Match": `"` + etag + `"`}
	}
	resp, body, err := p.do(http.MethodPut, href, text, hdr)
	if err != nil {
		return 0, "", err
	}
	if resp.StatusCode >= 300 && resp.StatusCode != http.StatusPreconditionFailed && resp.StatusCode != http.StatusNotFound {
		return resp.StatusCode, "", fmt.Errorf("phone: PUT %s: %s: %s", href, resp.Status, body)
	}
	return resp.StatusCode, strings.Trim(resp.Header.Get("ETag"), `"`), nil
}

// sync sends the phone's offline changes; it reports how many reached the
// server. A change to a card deleted meanwhile is dropped, as is a delete
// of a card changed meanwhile (the phone keeps what others changed).
func (p *phone) sync(t testing.TB) int {
	t.Helper()
	sent := 0
	edits := map[string][]func(govcard.Card){}
	for _, ch := range p.pending {
		if ch.edit != nil {
			edits[ch.href] = append(edits[ch.href], ch.edit)
		}
	}
	for _, ch := range p.pending {
		switch {
		case ch.create != nil:
			code, _, err := p.put(ch.href, "", ch.create)
			if err != nil {
				t.Fatal(err)
			}
			if code >= 300 {
				t.Fatalf("phone: create %s: %d", ch.href, code)
			}
			sent++
		case ch.delete:
			c := p.cards[ch.href]
			resp, body, err := p.do(http.MethodDelete, ch.href, nil, map[string]string{"If-Match": `"` + c.etag + `"`})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case resp.StatusCode < 300:
				sent++
			case resp.StatusCode == http.StatusPreconditionFailed || resp.StatusCode == http.StatusNotFound:
			default:
				t.Fatalf("phone: DELETE %s: %s %s", ch.href, resp.Status, body)
			}
		default:
			if fns := edits[ch.href]; fns != nil {
				delete(edits, ch.href) // all of a card's edits go in one PUT
				if p.editOnServer(t, ch.href, fns) {
					sent++
				}
			}
		}
	}
	p.pending = nil
	p.removed = map[string]bool{}
	p.refresh(t)
	return sent
}

// editOnServer PUTs the phone's copy of href (its edits are made on it);
// on a 412 it fetches the server's card and makes the edits again on that.
func (p *phone) editOnServer(t testing.TB, href string, edits []func(govcard.Card)) bool {
	t.Helper()
	c := p.cards[href]
	for attempt := 0; attempt < 5; attempt++ {
		if c == nil {
			return false
		}
		if attempt > 0 {
			for _, fn := range edits {
				fn(c.card)
			}
		}
		text, err := dav.Encode(c.card)
		if err != nil {
			t.Fatalf("phone: encode %s: %v", href, err)
		}
		code, etag, err := p.put(href, c.etag, text)
		if err != nil {
			t.Fatal(err)
		}
		if code < 300 {
			if etag == "" {
				o, err := p.read.Get(context.Background(), href)
				if err != nil {
					t.Fatalf("phone: read back %s: %v", href, err)
				}
				etag = o.ETag
			}
			c.etag = etag
			return true
		}
		o, err := p.read.Get(context.Background(), href)
		if err != nil {
			return false // deleted meanwhile: the edit goes with the card
		}
		c = &phoneCard{href: o.Href, etag: o.ETag, card: o.Card}
		p.cards[href] = c
	}
	t.Fatalf("phone: %s kept changing", href)
	return false
}

// edit changes a card here (offline); the change is sent at the next sync.
func (p *phone) edit(href string, fn func(govcard.Card)) {
	fn(p.cards[href].card)
	p.pending = append(p.pending, phoneChange{href: href, edit: fn})
}

func (p *phone) remove(href string) {
	p.removed[href] = true
	p.pending = append(p.pending, phoneChange{href: href, delete: true})
}

// phoneCardText is a card as a phone writes it. The UID is in the
// phone's own form and the file name is not the UID.
func phoneCardText(v4, dataURI bool, n int, given, family, email, tel, title, note string, photo []byte) (uid, file string, text []byte) {
	id := fmt.Sprintf("%08X-1C2D-4E5F-8A9B-%012X", n, n*7919)
	file = strings.ToLower(id[:8]) + "-ph.vcf"
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\r\n") }
	line("BEGIN:VCARD")
	if v4 {
		uid = "urn:uuid:" + strings.ToLower(id)
		line("VERSION:4.0")
		line("UID:" + uid)
	} else {
		uid = id
		line("VERSION:3.0")
		line("UID:" + uid)
	}
	line("PRODID:-//Phone Inc//Contacts 17.2//EN")
	line("N:" + family + ";" + given + ";;;")
	line("FN:" + given + " " + family)
	if v4 {
		line("TEL;TYPE=cell;VALUE=uri:tel:" + strings.ReplaceAll(tel, " ", "-"))
		line("EMAIL;TYPE=home:" + email)
	} else {
		line("TEL;TYPE=CELL:" + tel)
		line("EMAIL;TYPE=INTERNET,HOME:" + email)
	}
	if title != "" {
		line("TITLE:" + title)
	}
	if note != "" {
		line("NOTE:" + escapeNote(note))
	}
	line(fmt.Sprintf("X-PHONE-RINGTONE:chime-%d", n))
	line("X-PHONE-SYNC;TYPE=meta:rev\\;" + fmt.Sprint(n) + ";local")
	if photo != nil {
		line(photoLine(v4 && dataURI, photo))
	}
	line("END:VCARD")
	return uid, file, []byte(b.String())
}

func escapeNote(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}

// photoLine is a PHOTO property of PNG bytes in the version's form
// (folded the lazy way phones do: one long line is fine for servers).
func photoLine(v4 bool, png []byte) string {
	b64 := base64.StdEncoding.EncodeToString(png)
	if v4 {
		return "PHOTO:data:image/png;base64," + b64
	}
	return "PHOTO;ENCODING=b;TYPE=PNG:" + b64
}

// setPhoto puts PNG bytes on a go-vcard card in the form of its version.
func setPhoto(c govcard.Card, png []byte, dataURI bool) {
	b64 := base64.StdEncoding.EncodeToString(png)
	if dataURI && c.Value(govcard.FieldVersion) == "4.0" {
		c.Set(govcard.FieldPhoto, &govcard.Field{Value: "data:image/png;base64," + b64})
		return
	}
	c.Set(govcard.FieldPhoto, &govcard.Field{Value: b64, Params: govcard.Params{"ENCODING": {"b"}, "TYPE": {"PNG"}}})
}

// pngOf is a small PNG unique to n.
func pngOf(n int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{uint8(n), uint8(n >> 8), uint8(n >> 16), 255})
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// serverCards reads every card of the book in Rapport's form, by UID; it
// fails on two cards with one UID.
func serverCards(t testing.TB, c *dav.Client, book string) map[string]string {
	t.Helper()
	ctx := context.Background()
	entries, err := c.List(ctx, book)
	if err != nil {
		t.Fatalf("list the server: %v", err)
	}
	var hrefs []string
	for _, e := range entries {
		hrefs = append(hrefs, e.Href)
	}
	out := map[string]string{}
	for i := 0; i < len(hrefs); i += 200 {
		objs, err := c.MultiGet(ctx, book, hrefs[i:min(i+200, len(hrefs))])
		if err != nil {
			t.Fatalf("read the server: %v", err)
		}
		for _, o := range objs {
			uid := o.Card.Value(govcard.FieldUID)
			if uid == "" {
				t.Fatalf("server card %s has no UID", o.Href)
			}
			if _, dup := out[uid]; dup {
				t.Fatalf("two server cards with UID %s", uid)
			}
			_, text, err := fromServer(o.Card)
			if err != nil {
				t.Fatalf("server card %s: %v", o.Href, err)
			}
			out[uid] = text
		}
	}
	if len(out) != len(hrefs) {
		t.Fatalf("the server lists %d cards but gave %d", len(hrefs), len(out))
	}
	return out
}

// localCards is every customer of a store in Rapport's form (the
// shareable part: what the server should hold), by UID.
func localCards(t testing.TB, s *data.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := s.EachCustomer(context.Background(), data.ExportFilter{}, func(c *data.Customer, p *data.Profile) error {
		text, err := encode(c, data.Shareable(p))
		if err != nil {
			return err
		}
		out[c.UID] = text
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// groupedCard is a card as an iPhone writes it: properties tied to their
// labels by itemN groups, social profiles, Apple's address country code.
const groupedCard = "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.2//EN\r\n" +
	"UID:5F1A7C3E-0B1D-4E8A-9C2B-7D6E5F4A3B21\r\nN:Vogel;Anna;;;\r\nFN:Anna Vogel\r\nORG:Vogel GmbH;\r\n" +
	"item1.TEL;type=CELL;type=VOICE;type=pref:+49 30 1234\r\nitem1.X-ABLabel:_$!<Mobile>!$_\r\n" +
	"TEL;type=WORK;type=VOICE:+49 30 9999\r\n" +
	"item2.X-SOCIALPROFILE;type=twitter:https://twitter.com/x\r\n" +
	"item3.URL:https://example.com\r\nitem3.X-ABLabel:_$!<HomePage>!$_\r\n" +
	"item4.EMAIL;type=INTERNET;type=pref:anna@vogel.example\r\nitem4.X-ABLabel:Verein\r\n" +
	"item5.ADR;type=HOME;type=pref:;;Hauptstr. 1;Berlin;;10115;Deutschland\r\nitem5.X-ABADR:de\r\n" +
	"X-SOCIALPROFILE;type=linkedin;x-user=annavogel:https://www.linkedin.com/in/annavogel\r\n" +
	"END:VCARD\r\n"

// groupLines gives the grouped lines and X-SOCIALPROFILEs of a card's
// text, each normalised (case of names, parameter order, TYPE lists,
// folding), sorted.
func groupLines(text string) []string {
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.HasPrefix(l, " ") && len(lines) > 0 {
			lines[len(lines)-1] += l[1:]
		} else if l != "" {
			lines = append(lines, l)
		}
	}
	var out []string
	for _, l := range lines {
		head, value, _ := strings.Cut(l, ":")
		parts := strings.Split(head, ";")
		name := strings.ToLower(parts[0])
		if !strings.Contains(name, ".") && name != "x-socialprofile" {
			continue
		}
		var ps []string
		for _, p := range parts[1:] {
			k, v, _ := strings.Cut(p, "=")
			for _, x := range strings.Split(v, ",") {
				ps = append(ps, strings.ToLower(k)+"="+strings.ToLower(x))
			}
		}
		sort.Strings(ps)
		ps = slices.Compact(ps)
		out = append(out, name+";"+strings.Join(ps, ";")+":"+value)
	}
	sort.Strings(out)
	return out
}

// A phone's grouped card comes back from the server untouched after
// Rapport edits another field; an edited number keeps its group and label.
func TestPhoneGroupsKept(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			ctx := context.Background()
			a := laptop(t, srv, "a")
			acct, _ := a.SyncAccount(ctx)
			ph := newPhone(t, srv, acct.Collection(data.KindContacts).Href)
			href := ph.book + "5f1a7c3e-ph.vcf"
			if code, _, err := ph.put(href, "", []byte(groupedCard)); err != nil || code >= 300 {
				t.Fatalf("phone PUT %d %v", code, err)
			}
			mustSync(t, a)
			const uid = "5F1A7C3E-0B1D-4E8A-9C2B-7D6E5F4A3B21"
			serverText := func() string {
				t.Helper()
				resp, body, err := ph.do(http.MethodGet, href, nil, nil)
				if err != nil || resp.StatusCode != http.StatusOK {
					t.Fatalf("phone GET %v %v", resp, err)
				}
				return string(body)
			}
			want := groupLines(groupedCard)

			c := byUID(t, a, uid)
			c.Title = "Geschäftsführerin"
			if err := a.UpdateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			if sum := mustSync(t, a); sum.Sent == 0 {
				t.Fatalf("the edit was not sent: %+v", sum)
			}
			got := serverText()
			if !strings.Contains(got, "Geschäftsführerin") {
				t.Fatalf("server card lacks the new title:\n%s", got)
			}
			if g := groupLines(got); !slices.Equal(g, want) {
				t.Errorf("groups changed on the server:\nwant %q\ngot  %q\n%s", want, g, got)
			}

			// The number edited in Rapport: same group, same label.
			c = byUID(t, a, uid)
			c.Phones[0].Value = "+49 30 5678"
			vcard.Refresh(c)
			if err := a.UpdateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			mustSync(t, a)
			got = serverText()
			g := groupLines(got)
			if !slices.Contains(g, "item1.tel;type=cell;type=pref;type=voice:+49 30 5678") ||
				!slices.Contains(g, "item1.x-ablabel;:_$!<Mobile>!$_") {
				t.Errorf("edited number left its group:\n%q\n%s", g, got)
			}
			// A second laptop reads it as the phone shows it, and a sync
			// with nothing new moves nothing.
			b := laptop(t, srv, "b")
			mustSync(t, b)
			if p := byUID(t, b, uid).Phones[0]; p.Value != "+49 30 5678" || p.Label != "cell" || !p.Pref {
				t.Errorf("b reads the phone as %+v", p)
			}
			for _, s := range []*data.Store{a, b} {
				if sum := mustSync(t, s); sum.Changed() {
					t.Errorf("a sync with nothing to do did %+v", sum)
				}
			}
		})
	}
}
