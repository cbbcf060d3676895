package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

// key sends a key to the focused field, or to the window when none is.
func key(u *UI, name fyne.KeyName) {
	onUI(u, func() {
		ev := &fyne.KeyEvent{Name: name}
		if f := u.win.Canvas().Focused(); f != nil {
			f.TypedKey(ev)
		} else if h := u.win.Canvas().OnTypedKey(); h != nil {
			h(ev)
		}
	})
}

// ctrlEnter sends Ctrl+Enter as the driver does: to the focused field.
func ctrlEnter(u *UI) {
	onUI(u, func() {
		sc := &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}
		if f, ok := u.win.Canvas().Focused().(fyne.Shortcutable); ok {
			f.TypedShortcut(sc)
		} else {
			u.win.Canvas().(fyne.Shortcutable).TypedShortcut(sc)
		}
	})
}

func dialogsShown(u *UI) int { return len(u.win.Canvas().Overlays().List()) }

func TestEscClosesTheCustomerEditor(t *testing.T) {
	u, s := newTestUI(t, person("Jane", "Doe", "Acme"))
	onUI(u, u.onNewCustomer)
	if dialogsShown(u) != 1 || u.win.Canvas().Focused() == nil {
		t.Fatalf("the editor should be open with the focus in a field (%d dialogs)", dialogsShown(u))
	}
	onUI(u, func() { test.Type(u.win.Canvas().Focused(), "Nobody") })
	key(u, fyne.KeyEscape)
	u.wait()
	if n := dialogsShown(u); n != 0 {
		t.Errorf("Esc left %d dialogs open", n)
	}
	if n := count(t, s); n != 1 {
		t.Errorf("Esc saved: %d customers", n)
	}
	// With the focus nowhere, Esc still closes it.
	onUI(u, u.onNewCustomer)
	onUI(u, func() { u.win.Canvas().Unfocus() })
	key(u, fyne.KeyEscape)
	if n := dialogsShown(u); n != 0 {
		t.Errorf("Esc without a focused field left %d dialogs open", n)
	}
}

func TestEnterAddsConcern(t *testing.T) {
	u, s := newTestUI(t, person("Jane", "Doe", "Acme"))
	openCustomer(t, u, u.customer.id)
	onUI(u, func() { u.customer.concerns.openDialog(nil) })
	onUI(u, func() { test.Type(u.win.Canvas().Focused(), "Delivery too slow") })
	key(u, fyne.KeyReturn)
	u.wait()
	if n := dialogsShown(u); n != 0 {
		t.Errorf("Enter left %d dialogs open", n)
	}
	cs, err := s.Concerns(context.Background(), u.customer.id, false)
	if err != nil || len(cs) != 1 || cs[0].Text != "Delivery too slow" {
		t.Errorf("concerns after Enter: %+v, %v", cs, err)
	}
	// Enter on an empty concern says what is missing and keeps the dialog.
	onUI(u, func() { u.customer.concerns.openDialog(nil) })
	key(u, fyne.KeyReturn)
	u.wait()
	if n := dialogsShown(u); n != 1 || !strings.Contains(joined(topDialog(t, u)), "What is the concern?") {
		t.Errorf("Enter on an empty concern: %d dialogs:\n%s", n, strings.Join(overlayTexts(u), "\n---\n"))
	}
	key(u, fyne.KeyEscape)
	if n := dialogsShown(u); n != 0 {
		t.Errorf("Esc left %d dialogs open", n)
	}
}

// In a multi-line field Enter starts a new line and Ctrl+Enter saves.
func TestCtrlEnterSavesNote(t *testing.T) {
	u, s := newTestUI(t, person("Jane", "Doe", "Acme"))
	openCustomer(t, u, u.customer.id)
	onUI(u, u.customer.onAddNote)
	f := u.win.Canvas().Focused()
	if f == nil {
		t.Fatal("the note dialog has no focused field")
	}
	onUI(u, func() { test.Type(f, "first line") })
	key(u, fyne.KeyReturn)
	onUI(u, func() { test.Type(f, "second") })
	if dialogsShown(u) != 1 {
		t.Fatal("Enter in the note closed the dialog")
	}
	ctrlEnter(u)
	u.wait()
	if n := dialogsShown(u); n != 0 {
		t.Errorf("Ctrl+Enter left %d dialogs open", n)
	}
	notes, _, err := s.NotesPage(context.Background(), u.customer.id, 0, 10)
	if err != nil || len(notes) != 1 || notes[0].Text != "first line\nsecond" {
		t.Errorf("notes: %+v, %v", notes, err)
	}
}

// Information and confirmation dialogs: Esc closes or cancels; Enter does
// not confirm a deletion (a slip of the key must not delete anyone).
func TestKeysOnMessageDialogs(t *testing.T) {
	u, s := newTestUI(t, person("Jane", "Doe", "Acme"), person("Bob", "Bee", ""))
	onUI(u, u.onAbout)
	key(u, fyne.KeyEscape)
	if n := dialogsShown(u); n != 0 {
		t.Errorf("Esc on About left %d dialogs", n)
	}
	openCustomer(t, u, u.customer.id)
	onUI(u, u.customer.onDelete)
	key(u, fyne.KeyEscape)
	u.wait()
	if n, c := dialogsShown(u), count(t, s); n != 0 || c != 2 {
		t.Errorf("Esc on the delete question: %d dialogs, %d customers", n, c)
	}
	onUI(u, u.customer.onDelete)
	key(u, fyne.KeyReturn)
	u.wait()
	if n, c := dialogsShown(u), count(t, s); n != 1 || c != 2 {
		t.Errorf("Enter on the delete question: %d dialogs, %d customers; want it still asking", n, c)
	}
}
