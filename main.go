// Rapport keeps a field salesperson's customers as people. This file only
// wires the parts together: the command line decides what to run, and with
// no subcommand the window opens on the database.
package main

import (
	"context"
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"github.com/rapportcrm/rapport/assets"
	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui"
	"github.com/rapportcrm/rapport/ui/cli"
	"github.com/rapportcrm/rapport/ui/fynelang"    // before Fyne's lang: its translations load with the window
	_ "github.com/rapportcrm/rapport/ui/localefix" // before Fyne reads the locale
)

const appID = "com.rapportcrm.rapport"

func main() {
	env := &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, OpenWindow: openWindow, Sample: assets.SampleJSON}
	os.Exit(cli.Main(context.Background(), os.Args[1:], env))
}

func openWindow(path string) error {
	if err := lang.AddTranslationsFS(fynelang.Builtin(), "translations"); err != nil {
		fyne.LogError("Fyne's translations did not load", err)
	}
	a := app.NewWithID(appID)
	ui.UseSystemLocale()
	store, err := data.Open(context.Background(), path)
	if err != nil {
		ui.ShowStartupError(a, err)
		return err
	}
	defer store.Close()
	w, err := newWindow(a, store)
	if err != nil {
		return err
	}
	w.ShowAndRun()
	return nil
}

// newWindow builds the window. A display that is named (DISPLAY) but cannot
// be opened, a stale ssh forwarding say, makes GLFW panic in Fyne's window
// creation; that is turned into one line saying so.
func newWindow(a fyne.App, store *data.Store) (w *ui.UI, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the window cannot open: no display could be opened (%v); "+
				"the subcommands work without one (rapport help lists them)", r)
		}
	}()
	return ui.New(a, store), nil
}
