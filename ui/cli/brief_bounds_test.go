package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/locale"
)

// The command line's briefing caps the colleagues of a customer at a big
// company as the window's does, counted in the locale.
func TestBriefCapsColleagues(t *testing.T) {
	defer locale.Set(locale.Set(locale.Parse("de_DE.UTF-8")))
	db := filepath.Join(t.TempDir(), "r.db")
	ctx := context.Background()
	s, err := data.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ds := &data.Dataset{Customers: []data.DatasetCustomer{{Card: data.Customer{GivenName: "Ada", FamilyName: "Aaronson", Company: "Big Co"}}}}
	for i := 0; i < 2_000; i++ {
		ds.Customers = append(ds.Customers, data.DatasetCustomer{Card: data.Customer{GivenName: "Colleague", FamilyName: fmt.Sprintf("%04d", i), Company: "Big Co"}})
	}
	if _, err := s.LoadDataset(ctx, ds, time.Now()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	r := rapport(t, "brief", "--db", db, "Ada Aaronson")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	if want := "and 1.980 more colleagues at Big Co"; !strings.Contains(r.stdout, want) {
		t.Errorf("the briefing lacks %q:\n%s", want, r.stdout)
	}
	if n := strings.Count(r.stdout, "Colleague: "); n != data.ColleagueLimit {
		t.Errorf("the briefing lists %d colleagues, want %d", n, data.ColleagueLimit)
	}
}
