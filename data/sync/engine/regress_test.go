package engine

import (
	"context"
	"net/http"
	"testing"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/davtest"
)

// Found by TestConvergence (seed 5): the phone deletes its card while
// laptop b edits it; b re-creates it under its own file name; laptop a then
// sees, in one listing, the old href deleted and the new one made. It must
// take that as the card moved, not as a second card with the UID (which
// it skipped, then deleted the customer for the old href, for good).
func TestCardRecreatedAtAnotherHref(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			ctx := context.Background()
			a, b := laptop(t, srv, "a"), laptop(t, srv, "b")
			acct, _ := a.SyncAccount(ctx)
			ph := newPhone(t, srv, acct.Collection(data.KindContacts).Href)
			uid, file, text := phoneCardText(false, ph.dataURI, 7, "Mo", "Ved", "mo@ved.example", "+33 1 4000 0007", "Boss", "", nil)
			href := ph.book + file
			if code, _, err := ph.put(href, "", text); err != nil || code >= 300 {
				t.Fatalf("phone PUT %d %v", code, err)
			}
			mustSync(t, a)
			mustSync(t, b)
			ph.refresh(t)
			c := byUID(t, b, uid)
			c.Title = "Chief"
			if err := b.UpdateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			resp, _, err := ph.do(http.MethodDelete, href, nil, map[string]string{"If-Match": `"` + ph.cards[href].etag + `"`})
			if err != nil || resp.StatusCode >= 300 {
				t.Fatalf("phone DELETE %v %v", resp, err)
			}
			if sum := mustSync(t, b); len(sum.Recreated) != 1 {
				t.Fatalf("b: %+v", sum)
			}
			if sum := mustSync(t, a); len(sum.Problems) != 0 || sum.Deleted != 0 {
				t.Fatalf("a: %+v", sum)
			}
			if got := byUID(t, a, uid); got.Title != "Chief" {
				t.Fatalf("a has title %q", got.Title)
			}
			converged(t, srv, 1, a, b)
		})
	}
}
