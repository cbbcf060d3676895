package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportcrm/rapport/data"
	"github.com/rapportcrm/rapport/ui/report"
)

var iconCake = svgIcon("cake", "M12 6c1.11 0 2-.9 2-2 0-.38-.1-.73-.29-1.03L12 0l-1.71 2.97c-.19.3-.29.65-.29 1.03 0 1.1.9 2 2 2zm4.6 9.99l-1.07-1.07-1.08 1.07c-1.3 1.3-3.58 1.31-4.89 0l-1.07-1.07-1.09 1.07C6.75 16.64 5.88 17 4.96 17c-.73 0-1.4-.23-1.96-.61V21c0 .55.45 1 1 1h16c.55 0 1-.45 1-1v-4.61c-.56.38-1.23.61-1.96.61-.92 0-1.79-.36-2.44-1.01zM18 9h-5V7h-2v2H6c-1.66 0-3 1.34-3 3v1.54c0 1.08.88 1.96 1.96 1.96.52 0 1.02-.2 1.38-.57l2.14-2.13 2.13 2.13c.74.74 2.03.74 2.77 0l2.14-2.13 2.13 2.13c.37.37.86.57 1.38.57 1.08 0 1.96-.88 1.96-1.96V12C21 10.34 19.66 9 18 9z")

// tempMarks draws a temperature as five marks (●●○○○), "" when unknown.
func tempMarks(v int) string { return report.Stars(v) }

// tempLabel shows a temperature as marks, in the error colour when the
// customer is unsatisfied.
func tempLabel(v int) *widget.Label {
	l := widget.NewLabel(tempMarks(v))
	switch {
	case v > 0 && v <= data.Unsatisfied:
		l.Importance = widget.DangerImportance
	case v == 3:
		l.Importance = widget.WarningImportance
	case v >= 4:
		l.Importance = widget.SuccessImportance
	}
	return l
}

// tempChart draws temperature readings, oldest first, as points joined by a
// line on a 1 to 5 scale. Unsatisfied readings are in the error colour.
type tempChart struct {
	widget.BaseWidget
	readings []data.Reading
}

func newTempChart(rs []data.Reading) *tempChart {
	c := &tempChart{readings: rs}
	c.ExtendBaseWidget(c)
	return c
}

func (c *tempChart) CreateRenderer() fyne.WidgetRenderer {
	r := &tempChartRenderer{c: c}
	r.rebuild()
	return r
}

type tempChartRenderer struct {
	c      *tempChart
	grid   []*canvas.Line
	labels []*canvas.Text
	lines  []*canvas.Line
	dots   []*canvas.Circle
	objs   []fyne.CanvasObject
}

const chartLabelWidth = 16

func (r *tempChartRenderer) rebuild() {
	r.grid, r.labels, r.lines, r.dots, r.objs = nil, nil, nil, nil, nil
	fg := theme.Color(theme.ColorNameForeground)
	faint := theme.Color(theme.ColorNameSeparator)
	for v := 1; v <= 5; v++ {
		g := canvas.NewLine(faint)
		g.StrokeWidth = 1
		r.grid = append(r.grid, g)
		t := canvas.NewText(fmt.Sprint(v), theme.Color(theme.ColorNamePlaceHolder))
		t.TextSize = theme.CaptionTextSize()
		r.labels = append(r.labels, t)
		r.objs = append(r.objs, g, t)
	}
	for i, rd := range r.c.readings {
		if i > 0 {
			l := canvas.NewLine(fg)
			l.StrokeWidth = 2
			r.lines = append(r.lines, l)
			r.objs = append(r.objs, l)
		}
		col := theme.Color(theme.ColorNamePrimary)
		if rd.Value <= data.Unsatisfied {
			col = theme.Color(theme.ColorNameError)
		}
		d := canvas.NewCircle(col)
		d.StrokeColor = color.Transparent
		r.dots = append(r.dots, d)
	}
	for _, d := range r.dots {
		r.objs = append(r.objs, d) // dots over the lines
	}
}

// point is where reading i sits in a chart of size s.
func (r *tempChartRenderer) point(i int, s fyne.Size) fyne.Position {
	pad := float32(6)
	left := float32(chartLabelWidth) + pad
	w := s.Width - left - pad
	n := len(r.c.readings)
	x := left + w/2
	if n > 1 {
		x = left + w*float32(i)/float32(n-1)
	}
	return fyne.NewPos(x, r.y(r.c.readings[i].Value, s))
}

func (r *tempChartRenderer) y(v int, s fyne.Size) float32 {
	pad := float32(6)
	h := s.Height - 2*pad
	return pad + h*float32(5-v)/4
}

func (r *tempChartRenderer) Layout(s fyne.Size) {
	for i, g := range r.grid {
		y := r.y(i+1, s)
		g.Position1 = fyne.NewPos(chartLabelWidth, y)
		g.Position2 = fyne.NewPos(s.Width, y)
		t := r.labels[i]
		ts := t.MinSize()
		t.Move(fyne.NewPos(0, y-ts.Height/2))
		t.Resize(ts)
	}
	for i := range r.lines {
		r.lines[i].Position1 = r.point(i, s)
		r.lines[i].Position2 = r.point(i+1, s)
	}
	const rad = 4
	for i, d := range r.dots {
		p := r.point(i, s)
		d.Position1 = fyne.NewPos(p.X-rad, p.Y-rad)
		d.Position2 = fyne.NewPos(p.X+rad, p.Y+rad)
	}
}

func (r *tempChartRenderer) MinSize() fyne.Size { return fyne.NewSize(200, 80) }

func (r *tempChartRenderer) Refresh() {
	r.rebuild()
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *tempChartRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *tempChartRenderer) Destroy() {}
