// Rapport keeps a field salesperson's customers as people. This file only
// wires the parts together: the command line decides what to run, and with
// no subcommand the window opens on the database.
package main

import (
	"context"
	"os"

	"fyne.io/fyne/v2/app"

	"github.com/rapportcrm/rapport/assets"
	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui"
	"github.com/rapportcrm/rapport/ui/cli"
	_ "github.com/rapportcrm/rapport/ui/localefix" // before Fyne reads the locale
)

const appID = "com.rapportcrm.rapport"

func main() {
	env := &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, OpenWindow: openWindow, Sample: assets.SampleJSON}
	os.Exit(cli.Main(context.Background(), os.Args[1:], env))
}

func openWindow(path string) error {
	a := app.NewWithID(appID)
	ui.UseSystemLocale()
	store, err := data.Open(context.Background(), path)
	if err != nil {
		ui.ShowStartupError(a, err)
		return err
	}
	defer store.Close()
	ui.New(a, store).ShowAndRun()
	return nil
}
