package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// The personal profile is seen without scrolling on a 1366×768 laptop (and
// on a 1024×700 screen): it is the tab shown when a customer opens, and its
// family and pets start inside the part of the page on screen.
func TestProfileInViewWithoutScrolling(t *testing.T) {
	for _, size := range []fyne.Size{fyne.NewSize(1366, 768), fyne.NewSize(1024, 700)} {
		u, s := newSampleUI(t)
		onUI(u, func() { u.win.Resize(size) })
		ids := sampleIDs(t, s, 2)
		openCustomer(t, u, ids[1])
		onUI(u, func() { u.customer.tabs.Select(u.customer.historyTab) }) // the user looked at the history
		openCustomer(t, u, customerID(t, s, "Klaus Müller"))
		c := u.customer
		if c.tabs.Selected() != c.profileTab {
			t.Fatalf("%v: the tab shown is %q, want the profile", size, c.tabs.Selected().Text)
		}
		if c.profileScroll.Offset.Y != 0 || !c.profileScroll.Visible() || !c.profileBox.Visible() {
			t.Fatalf("%v: the profile is scrolled to %v or hidden", size, c.profileScroll.Offset)
		}
		got := joined(c.profileBox)
		for _, want := range []string{"Family", "Pets"} {
			if !strings.Contains(got, want) {
				t.Errorf("%v: the profile shows %q, want %q in it", size, got, want)
			}
		}
		// Where the profile's first rows are in the window, and how much of
		// the window there is.
		d := fyne.CurrentApp().Driver()
		top := d.AbsolutePositionForObject(c.profileBox).Y
		view := d.AbsolutePositionForObject(c.profileScroll).Y + c.profileScroll.Size().Height
		canvas := u.win.Canvas().Size().Height
		if c.profileScroll.Size().Height < 200 || view > canvas+1 {
			t.Fatalf("%v: the profile's viewport is %v high and ends at %v of %v", size, c.profileScroll.Size().Height, view, canvas)
		}
		for _, heading := range []string{"Family", "Pets"} {
			l := findLabel(c.profileBox, heading)
			if l == nil {
				t.Fatalf("%v: no %s heading", size, heading)
			}
			y := d.AbsolutePositionForObject(l).Y + l.Size().Height
			if y > view || d.AbsolutePositionForObject(l).Y < top {
				t.Errorf("%v: %s ends at %v, below the visible part of the page (%v)", size, heading, y, view)
			}
		}
	}
}

// findLabel finds the visible label with that text under o.
func findLabel(o fyne.CanvasObject, text string) *widget.Label {
	if o == nil || !o.Visible() {
		return nil
	}
	switch w := o.(type) {
	case *widget.Label:
		if w.Text == text {
			return w
		}
	case *fyne.Container:
		for _, c := range w.Objects {
			if l := findLabel(c, text); l != nil {
				return l
			}
		}
	}
	return nil
}
