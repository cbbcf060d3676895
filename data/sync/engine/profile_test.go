package engine

import (
	"context"
	"testing"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/davtest"
)

// The profile travels as X-RAPPORT-* properties, whose values have parts
// (name;notes). Radicale re-serialises X- values as text and stores a bare
// ";" as "\;": the second laptop must still read the same parts.
func TestProfileTravels(t *testing.T) {
	for _, k := range davtest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			srv := k.Start(t)
			ctx := context.Background()
			a, b := laptop(t, srv, "a"), laptop(t, srv, "b")
			c := add(t, a, data.Customer{GivenName: "Ann", FamilyName: "Archer"})
			for _, f := range []data.FamilyMember{
				{CustomerID: c.ID, Relation: data.RelChild, Name: "Emma", Notes: "plays the cello; loves horses"},
				{CustomerID: c.ID, Relation: data.RelSpouse, Name: "Secret Sam", Confidential: true},
			} {
				if err := a.SaveFamilyMember(ctx, &f); err != nil {
					t.Fatal(err)
				}
			}
			if err := a.SavePet(ctx, &data.Pet{CustomerID: c.ID, Name: "Rex", Species: "dog", Notes: "old; deaf"}); err != nil {
				t.Fatal(err)
			}
			if err := a.SaveProfileItem(ctx, &data.ProfileItem{CustomerID: c.ID, Category: data.CatHobby, Text: "sailing; racing"}); err != nil {
				t.Fatal(err)
			}
			mustSync(t, a)
			mustSync(t, b)
			_, p, err := b.CustomerByUID(ctx, c.UID)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Family) != 1 || p.Family[0].Name != "Emma" || p.Family[0].Notes != "plays the cello; loves horses" {
				t.Errorf("family on b: %+v", p.Family)
			}
			if len(p.Pets) != 1 || p.Pets[0].Notes != "old; deaf" || len(p.Items) != 1 || p.Items[0].Text != "sailing; racing" {
				t.Errorf("pets/items on b: %+v %+v", p.Pets, p.Items)
			}
			for _, s := range []*data.Store{a, b} {
				for range 2 {
					if sum := mustSync(t, s); sum.Changed() {
						t.Errorf("nothing changed but the sync did %+v", sum)
					}
				}
			}
		})
	}
}
