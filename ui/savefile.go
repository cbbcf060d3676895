package ui

import (
	"context"
	"fmt"
	"io"
	"os"

	"fyne.io/fyne/v2"

	"github.com/rapportcrm/rapport/ui/output"
)

// saveTarget is where to write what the save dialog chose, and finish is to
// be called with the error of the writing (it returns that or its own).
//
// Fyne's dialog hands over the file already created, 0644. A local file is
// written as the command line writes one: to a private (0600), synced
// temporary file beside it that replaces it when the writing worked, so
// nothing Rapport writes about customers can be read by others. Any other
// place (a portal, a remote folder) gets the dialog's writer.
func saveTarget(ctx context.Context, w fyne.URIWriteCloser) (out io.Writer, finish func(error) error, err error) {
	if w.URI().Scheme() != "file" {
		return w, func(err error) error {
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			return err
		}, nil
	}
	path := w.URI().Path()
	if err := w.Close(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	out, commit, err := output.Create(ctx, path, nil)
	if err != nil {
		removeIfEmpty(path)
		return nil, nil, err
	}
	return out, func(err error) error {
		if err = commit(err); err != nil {
			removeIfEmpty(path)
		}
		return err
	}, nil
}

// removeIfEmpty removes the empty file the dialog created when nothing
// could be written into it: an empty export is no file to leave behind.
func removeIfEmpty(path string) {
	if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
		os.Remove(path) // best effort: the error being reported matters more
	}
}
