// Command fynefloor is the least a program that can open a Fyne window
// costs to start: it links Fyne's app and widget packages, as rapport does,
// and prints one line without opening a window unless given an argument.
// BenchmarkFyneFloorProcess times it beside rapport's own start-up, so the
// figures say how much of `rapport --help` any single Fyne binary pays.
package main

import (
	"fmt"
	"os"

	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	if len(os.Args) > 1 {
		w := app.New().NewWindow("floor")
		w.SetContent(widget.NewLabel("floor"))
		w.ShowAndRun()
		return
	}
	fmt.Println("floor")
}
