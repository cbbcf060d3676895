package ui

import (
	"bytes"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
)

// muted is secondary text (dates, details, hints): quieter than the main
// text but readable, which a LowImportance label is not in the dark theme.
func muted(text string) *widget.RichText {
	rt := widget.NewRichText(&widget.TextSegment{Text: text, Style: mutedStyle})
	rt.Wrapping = fyne.TextWrapWord
	return rt
}

var mutedStyle = widget.RichTextStyle{ColorName: theme.ColorNamePlaceHolder, Inline: true, SizeName: theme.SizeNameText}

// centred centres a one-paragraph RichText.
func centred(rt *widget.RichText) *widget.RichText {
	seg := rt.Segments[0].(*widget.TextSegment)
	seg.Style.Alignment = fyne.TextAlignCenter
	seg.Style.Inline = false
	return rt
}

// setMuted changes the text of a muted RichText.
func setMuted(rt *widget.RichText, text string) {
	rt.Segments[0].(*widget.TextSegment).Text = text
	rt.Refresh()
}

// tightVBox stacks text widgets with less space between them than VBox: each
// label already pads itself.
type tightVBox struct{}

func newTight(objs ...fyne.CanvasObject) *fyne.Container {
	return &fyne.Container{Layout: tightVBox{}, Objects: objs}
}

func (tightVBox) overlap() float32 { return theme.InnerPadding() - theme.Padding() }

func (t tightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	n := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		s.Width = fyne.Max(s.Width, m.Width)
		s.Height += m.Height
		n++
	}
	if n > 1 {
		s.Height -= float32(n-1) * t.overlap()
	}
	return s
}

func (t tightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h - t.overlap()
	}
}

// photoImage shows a customer's photo, or a placeholder when there is none
// (or only a link to one, which Rapport never fetches, or one too large to
// decode: checkImage). The customer page and the briefing decode theirs off
// the UI goroutine instead (photoThumb).
func photoImage(p data.Photo) fyne.CanvasObject {
	if _, _, err := checkImage(p.Data); len(p.Data) > 0 && err == nil {
		if img := canvas.NewImageFromReader(bytes.NewReader(p.Data), "photo"); img != nil {
			img.FillMode = canvas.ImageFillContain
			return img
		}
	}
	return widget.NewIcon(theme.AccountIcon())
}

// newNameRow is a list row of a customer: the name in bold over a muted line
// (sub is its placeholder), both cut short rather than wrapped.
func newNameRow(sub string) fyne.CanvasObject {
	name := widget.NewLabelWithStyle("Customer name", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	line := muted(sub)
	line.Wrapping = fyne.TextWrapOff
	line.Truncation = fyne.TextTruncateEllipsis
	return newTight(name, line)
}
