package ui

import (
	"context"
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/data/sync/engine"
)

type opener struct {
	name string
	open func()
}

// dialogOpeners open every dialog of the window that a user can reach
// with a customer shown (Fyne's file dialogs aside).
func dialogOpeners(t *testing.T, u *UI, s *data.Store) []opener {
	t.Helper()
	ctx := context.Background()
	c := u.customer.c
	if err := s.AddConcern(ctx, &data.Concern{CustomerID: c.ID, Text: "Delivery too slow"}); err != nil {
		t.Fatal(err)
	}
	concerns, err := s.Concerns(ctx, c.ID, false)
	if err != nil || len(concerns) == 0 {
		t.Fatalf("concerns: %v, %v", concerns, err)
	}
	cards := writeFile(t, "contacts.vcf", threeCards())
	return []opener{
		{"editor", func() { u.openEditor(c) }},
		{"new customer", u.onNewCustomer},
		{"concern", func() { u.customer.concerns.openDialog(nil) }},
		{"concern story", func() { u.customer.concerns.onHistory(concerns[0]) }},
		{"settings", func() { u.openSettings(60) }},
		{"log", func() { u.openLog(c, nil, concerns) }},
		{"note", func() { u.openNoteDialog(c, nil) }},
		{"profile item", func() { u.openItemDialog(c, nil) }},
		{"family member", func() { u.openFamilyDialog(c, nil) }},
		{"pet", func() { u.openPetDialog(c, nil) }},
		{"follow-up", u.customer.plan.onAddFollowUp},
		{"plan visit", u.customer.plan.onPlanVisit},
		{"export", u.exporter.onExport},
		{"picker", func() { u.pickCustomer("Log an interaction", func(int64) {}) }},
		{"delete", u.customer.onDelete},
		{"shortcuts", u.onShowShortcuts},
		{"about", u.onAbout},
		{"information", func() { showInformation("Sample customers", "Already here.", u.win) }},
		{"error", func() { u.showError("Could not save", fmt.Errorf("disk full")) }},
		{"export chooser", func() { u.exporter.onExport(); u.exporter.onChoose() }},
		{"import files", func() {
			u.importer.onOpen()
			u.win.Canvas().Overlays().Top().Hide() // Fyne's file dialog, opened at once on top
		}},
		{"restore", u.backups.onRestore},
		{"import preview", func() { u.importer.start(fileSources(cards)) }},
		{"sync settings", u.onSyncSettings},
		{"sync password", func() {
			u.sync.askPassword(&engine.State{Configured: true, URL: "https://dav.example.com/", User: "ann"}, true)
		}},
		{"sync details", func() { u.sync.lastErr = fmt.Errorf("offline"); u.sync.onDetails() }},
	}
}

// focusables lists what can take the focus under o, as Fyne's Tab does.
func focusables(o fyne.CanvasObject) []fyne.Focusable {
	var out []fyne.Focusable
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		if f, ok := o.(fyne.Focusable); ok {
			if d, ok := o.(fyne.Disableable); !ok || !d.Disabled() {
				out = append(out, f)
			}
		}
		switch w := o.(type) {
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// Everything that can take the focus in any dialog hands Esc and Enter to
// the dialog: a widget Fyne made, or a plain one, would keep them.
func TestDialogsAreKeyed(t *testing.T) {
	u, s := newTestUI(t, person("Jane", "Doe", "Acme"), person("Klaus", "Meyer", "Acme"))
	openCustomer(t, u, u.customers.pages[0][0].ID)
	for _, o := range dialogOpeners(t, u, s) {
		name, open := o.name, o.open
		onUI(u, open)
		u.wait()
		onUI(u, func() {
			top := u.win.Canvas().Overlays().Top()
			if top == nil {
				t.Errorf("%s: no dialog shown", name)
				return
			}
			fs := focusables(top)
			if len(fs) == 0 {
				t.Errorf("%s: nothing to focus", name)
			}
			for _, f := range fs {
				if _, ok := f.(keyed); !ok {
					t.Errorf("%s: a %T (%q) keeps Esc and Enter from the dialog", name, f, texts(f.(fyne.CanvasObject)))
				}
			}
		})
		escapeDialogs(u)
	}
}

// escapeDialogs closes what is open with Esc, as a user would.
func escapeDialogs(u *UI) {
	for i := 0; i < 5 && dialogsShown(u) > 0; i++ {
		key(u, fyne.KeyEscape)
		u.wait()
	}
	onUI(u, func() {
		for u.win.Canvas().Overlays().Top() != nil {
			u.win.Canvas().Overlays().Top().Hide()
		}
	})
}

// Esc closes each dialog whatever has the focus: each thing Tab reaches in
// turn, a drop-down, a check box, a radio choice, a date or a button.
func TestEscFromEveryFocus(t *testing.T) {
	u, s := newTestUI(t, person("Jane", "Doe", "Acme"), person("Klaus", "Meyer", "Acme"))
	openCustomer(t, u, u.customers.pages[0][0].ID)
	kinds := map[string]bool{}
	for _, o := range dialogOpeners(t, u, s) {
		name, open := o.name, o.open
		onUI(u, open)
		u.wait()
		var n int
		onUI(u, func() { n = len(focusables(u.win.Canvas().Overlays().Top())) })
		for i := 0; i < n; i++ {
			var f fyne.Focusable
			onUI(u, func() {
				// What Tab reaches i-th, as Fyne's focus manager sees it.
				f = focusables(u.win.Canvas().Overlays().Top())[i]
				u.win.Canvas().Focus(f)
			})
			if u.win.Canvas().Focused() != f {
				t.Errorf("%s: %T does not take the focus", name, f)
				continue
			}
			kinds[fmt.Sprintf("%T", f)] = true
			before := dialogsShown(u)
			key(u, fyne.KeyEscape)
			u.wait()
			if dialogsShown(u) >= before {
				t.Errorf("%s: Esc with a %T focused left the dialog open", name, f)
			}
			if i+1 < n {
				onUI(u, open)
				u.wait()
			}
		}
		escapeDialogs(u)
	}
	for _, k := range []string{"*ui.keySelect", "*ui.keyCheck", "*ui.radioChoice", "*ui.dateEntry",
		"*ui.keyButton", "*ui.keySelectEntry", "*ui.formEntry", "*ui.keyList"} {
		if !kinds[k] {
			t.Errorf("no dialog had a %s focused", k)
		}
	}
}

// Enter saves a dialog with a drop-down or a check box focused; on the
// Delete button of a confirmation it does nothing, and Space presses it.
func TestEnterFromSelectAndCheck(t *testing.T) {
	u, s := newTestUI(t, person("Jane", "Doe", "Acme"))
	openCustomer(t, u, u.customer.id)
	ctx := context.Background()

	onUI(u, func() { u.openItemDialog(u.customer.c, nil) })
	onUI(u, func() {
		test.Type(u.win.Canvas().Focused(), "Sailing")
		var sel *keySelect
		for _, f := range focusables(u.win.Canvas().Overlays().Top()) {
			if s, ok := f.(*keySelect); ok {
				sel = s
			}
		}
		if sel == nil {
			t.Fatal("no drop-down in the profile dialog")
		}
		u.win.Canvas().Focus(sel)
	})
	key(u, fyne.KeyReturn)
	u.wait()
	if n := dialogsShown(u); n != 0 {
		t.Errorf("Enter on the drop-down left %d dialogs open", n)
	}
	p, err := s.Profile(ctx, u.customer.id)
	if err != nil || len(p.Items) != 1 || p.Items[0].Text != "Sailing" {
		t.Errorf("profile after Enter on the drop-down: %+v, %v", p.Items, err)
	}

	onUI(u, func() { u.openNoteDialog(u.customer.c, nil) })
	onUI(u, func() {
		test.Type(u.win.Canvas().Focused(), "Likes the window seat")
		for _, f := range focusables(u.win.Canvas().Overlays().Top()) {
			if c, ok := f.(*keyCheck); ok {
				u.win.Canvas().Focus(c)
				test.Type(c, " ") // Space ticks it
			}
		}
	})
	key(u, fyne.KeyReturn)
	u.wait()
	notes, err := s.Notes(ctx, u.customer.id)
	if n := dialogsShown(u); n != 0 || err != nil || len(notes) != 1 || !notes[0].Confidential {
		t.Errorf("Enter on the check box: %d dialogs, notes %+v, %v", n, notes, err)
	}

	onUI(u, u.customer.onDelete)
	var del *keyButton
	onUI(u, func() {
		for _, f := range focusables(u.win.Canvas().Overlays().Top()) {
			if b, ok := f.(*keyButton); ok && b.Importance == widget.DangerImportance {
				del = b
			}
		}
		if del == nil {
			t.Fatal("no dangerous button in the delete confirmation")
		}
		u.win.Canvas().Focus(del)
	})
	key(u, fyne.KeyReturn)
	u.wait()
	if dialogsShown(u) != 1 || count(t, s) != 1 {
		t.Errorf("Enter on Delete: %d dialogs, %d customers", dialogsShown(u), count(t, s))
	}
	key(u, fyne.KeyEscape)
	if dialogsShown(u) != 0 || count(t, s) != 1 {
		t.Errorf("Esc on Delete: %d dialogs, %d customers", dialogsShown(u), count(t, s))
	}
}
