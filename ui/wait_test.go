package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/data"
)

// Another Rapport writing the same database (here an import held open in a
// second store, as another process would): a change in the window waits
// instead of failing, says so in the status bar, and is saved afterwards.
func TestWriteWaitsForAnotherRapport(t *testing.T) {
	ctx := context.Background()
	u, s := newTestUI(t, person("Ada", "Lovelace", ""))
	other, err := data.Open(ctx, s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	release := make(chan struct{})
	started := make(chan struct{})
	imported := make(chan error, 1)
	go func() {
		cards := func(yield func(data.ImportCard) bool) {
			close(started) // the import's transaction is open: it asks for cards
			<-release
			yield(data.ImportCard{Source: "held.vcf", Index: 1, Customer: data.Customer{GivenName: "Held", FamilyName: "Import"}})
		}
		_, err := other.Import(ctx, cards, data.ImportOptions{})
		imported <- err
	}()
	<-started
	c := person("Grace", "Hopper", "")
	onUI(u, func() {
		u.save("Could not save Grace", func() error { return u.store.CreateCustomer(ctx, &c) }, nil)
	})
	deadline := time.Now().Add(10 * time.Second)
	var status string
	for time.Now().Before(deadline) {
		onUI(u, func() { status = u.busyText.Text })
		if strings.Contains(status, "Waiting for another Rapport") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(status, "Waiting for another Rapport") {
		t.Errorf("status bar while waiting: %q", status)
	}
	close(release)
	if err := <-imported; err != nil {
		t.Fatal(err)
	}
	u.wait()
	if found, _ := s.Search(ctx, "hopper", 5); len(found) != 1 {
		t.Error("the change made while the other import ran was not saved")
	}
	if u.busyBar.Visible() {
		t.Errorf("the status bar still says %q", u.busyText.Text)
	}
	if top := u.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("a dialog is shown: %s", strings.Join(texts(top), " "))
	}
}
