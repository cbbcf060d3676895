// Package fynelang keeps Fyne from parsing its translations while the
// program starts. Fyne's lang package reads all fourteen of them in its
// init, 4.7 ms of every start (a third of all package inits), which the
// command line never uses: Go runs every linked package's init before
// main, so a subcommand cannot skip it. This package, which Go initialises
// before Fyne's lang (it is ready first in import-path order: it needs
// only embed), puts an English stub in their place; the window loads the
// real ones (Builtin) before it builds anything.
package fynelang

import (
	"embed"
	_ "unsafe" // for go:linkname
)

// fyneTranslations is Fyne's embedded translations folder
// (fyne.io/fyne/v2/lang.translations, read once by its init).
//
//go:linkname fyneTranslations fyne.io/fyne/v2/lang.translations
var fyneTranslations embed.FS

// stub is what Fyne's init reads instead: one empty English file, so that
// it neither fails nor logs.
//
//go:embed translations
var stub embed.FS

var builtin embed.FS

func init() { builtin, fyneTranslations = fyneTranslations, stub }

// Builtin is Fyne's own translations, for lang.AddTranslationsFS(Builtin(),
// "translations") before a window opens.
func Builtin() embed.FS { return builtin }
