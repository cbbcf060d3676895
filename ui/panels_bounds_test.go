package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data"
)

// A customer with hundreds of concerns and follow-ups: the page builds a
// page of rows and a "Show more", not a row for each.
func TestCustomerPanelsCapped(t *testing.T) {
	ctx := context.Background()
	u, s := newTestUI(t, person("Ada", "Lovelace", "Engines"))
	ids, _ := s.Search(ctx, "lovelace", 1)
	id := ids[0].ID
	for i := 0; i < 130; i++ {
		if err := s.AddConcern(ctx, &data.Concern{CustomerID: id, Text: fmt.Sprintf("worry %d", i)}); err != nil {
			t.Fatal(err)
		}
		f := data.FollowUp{CustomerID: id, Text: fmt.Sprintf("promise %d", i), Due: data.DateOf(time.Now().AddDate(0, 0, i))}
		if err := s.AddFollowUp(ctx, &f); err != nil {
			t.Fatal(err)
		}
	}
	onUI(u, func() { u.customers.show(id) })
	u.wait()
	if n := len(u.customer.concerns.rows); n != panelPage {
		t.Errorf("%d concern rows built, want %d", n, panelPage)
	}
	if n := len(u.customer.plan.fuRows); n != panelPage {
		t.Errorf("%d follow-up rows built, want %d", n, panelPage)
	}
	more := findButton(u.customer.concerns.box, "Show more (80 more)")
	if more == nil {
		t.Fatalf("no Show more under the concerns:\n%s", strings.Join(texts(u.customer.concerns.box), "\n"))
	}
	tap(u, more)
	u.wait()
	if n := len(u.customer.concerns.rows); n != 2*panelPage || findButton(u.customer.concerns.box, "Show more (30 more)") == nil {
		t.Errorf("after Show more: %d concern rows", n)
	}
	if findButton(u.customer.plan.fuBox, "Show more (80 more)") == nil {
		t.Error("no Show more under the follow-ups")
	}
}
