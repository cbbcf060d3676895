package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

func TestCustomerPageShowsTemperature(t *testing.T) {
	t.Run("dropped", func(t *testing.T) {
		u, s := newSampleUI(t)
		// Klaus Müller's last temperature (2) fell from 5 in the sample.
		openCustomer(t, u, customerID(t, s, "Klaus Müller"))
		if !u.customer.tempBox.Visible() {
			t.Fatal("the temperature is hidden")
		}
		got := joined(u.customer.tempBox)
		for _, want := range []string{"Temperature 2/5", "●●○○○", "dropped from 5"} {
			if !strings.Contains(got, want) {
				t.Errorf("temperature shows %q, want %q in it", got, want)
			}
		}
		if !hasChart(u.customer.tempBox) {
			t.Error("no trend chart")
		}
	})
	t.Run("never asked", func(t *testing.T) {
		u, _ := newTestUI(t, person("Jane", "Doe", "Acme"))
		u.customers.show(u.customers.pages[0][0].ID)
		u.wait()
		if u.customer.c == nil || u.customer.tempBox.Visible() {
			t.Errorf("customer %v: temperature shown though never taken: %q", u.customer.c, joined(u.customer.tempBox))
		}
	})
}

// hasChart reports whether a temperature chart is under o.
func hasChart(o fyne.CanvasObject) bool {
	switch w := o.(type) {
	case *tempChart:
		return true
	case *fyne.Container:
		for _, c := range w.Objects {
			if hasChart(c) {
				return true
			}
		}
	}
	return false
}
