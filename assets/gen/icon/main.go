//go:build ignore

// Command icon draws assets/icon.png: two overlapping speech bubbles on a
// warm-teal rounded square. Shapes are signed distance fields, so edges are
// anti-aliased without a vector library.
//
//	go run assets/gen/icon/main.go assets/icon.png
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
)

const size = 512

type vec struct{ x, y float64 }

func (a vec) sub(b vec) vec           { return vec{a.x - b.x, a.y - b.y} }
func (a vec) mul(k float64) vec       { return vec{a.x * k, a.y * k} }
func (a vec) dot(b vec) float64       { return a.x*b.x + a.y*b.y }
func (a vec) length() float64         { return math.Hypot(a.x, a.y) }
func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// roundRect is the distance to a rectangle centred at c with half-size h and
// corner radius r; negative inside.
func roundRect(p, c, h vec, r float64) float64 {
	d := p.sub(c)
	qx := math.Abs(d.x) - h.x + r
	qy := math.Abs(d.y) - h.y + r
	out := vec{math.Max(qx, 0), math.Max(qy, 0)}.length()
	return out + math.Min(math.Max(qx, qy), 0) - r
}

// triangle is the distance to the triangle abc.
func triangle(p, a, b, c vec) float64 {
	pts := []vec{a, b, c}
	d := math.Inf(1)
	s := 1.0
	for i := range pts {
		j := (i + 2) % 3
		vi, vj := pts[i], pts[j]
		e := vj.sub(vi)
		w := p.sub(vi)
		t := clamp(w.dot(e)/e.dot(e), 0, 1)
		b := w.sub(e.mul(t))
		d = math.Min(d, b.dot(b))
		c1 := p.y >= vi.y
		c2 := p.y < vj.y
		c3 := e.x*w.y > e.y*w.x
		if (c1 && c2 && c3) || (!c1 && !c2 && !c3) {
			s = -s
		}
	}
	return s * math.Sqrt(d)
}

func circle(p, c vec, r float64) float64 { return p.sub(c).length() - r }

// smin is a smooth union, so a bubble's tail grows out of its body.
func smin(a, b, k float64) float64 {
	h := clamp(0.5+0.5*(b-a)/k, 0, 1)
	return b*(1-h) + a*h - k*h*(1-h)
}

// cover turns a distance into pixel coverage (a one-pixel soft edge).
func cover(d float64) float64 { return clamp(0.5-d, 0, 1) }

type rgba struct{ r, g, b, a float64 }

func hex(s string) rgba {
	var r, g, b uint8
	fmt.Sscanf(s, "#%02x%02x%02x", &r, &g, &b)
	return rgba{float64(r) / 255, float64(g) / 255, float64(b) / 255, 1}
}

// over composites src with coverage k over dst (premultiplied alpha).
func over(dst, src rgba, k float64) rgba {
	a := src.a * k
	return rgba{src.r*a + dst.r*(1-a), src.g*a + dst.g*(1-a), src.b*a + dst.b*(1-a), a + dst.a*(1-a)}
}

func lerp(a, b rgba, t float64) rgba {
	return rgba{a.r + (b.r-a.r)*t, a.g + (b.g-a.g)*t, a.b + (b.b-a.b)*t, a.a + (b.a-a.a)*t}
}

// Bubbles: the back one (amber, tail to the right) and the front one (cream,
// tail to the left).
func backBubble(p vec) float64 {
	body := roundRect(p, vec{304, 206}, vec{124, 88}, 64)
	tail := triangle(p, vec{336, 266}, vec{400, 266}, vec{408, 338}) - 5
	return smin(body, tail, 14)
}

func frontBubble(p vec) float64 {
	body := roundRect(p, vec{206, 300}, vec{132, 92}, 68)
	tail := triangle(p, vec{122, 356}, vec{188, 356}, vec{104, 424}) - 5
	return smin(body, tail, 14)
}

func main() {
	out := "icon.png"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	top, bottom := hex("#2BA39A"), hex("#17756F")
	amber, cream := hex("#F4A259"), hex("#FFF8EE")
	teal, coral := hex("#1C8A83"), hex("#E76F51")
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			p := vec{float64(x) + 0.5, float64(y) + 0.5}
			var c rgba
			b := p.sub(vec{0, -14}) // the bubbles sit a little above the middle
			// Tile: rounded square with a vertical gradient.
			tile := roundRect(p, vec{256, 256}, vec{232, 232}, 104)
			bg := lerp(top, bottom, clamp((p.y-24)/464, 0, 1))
			c = over(c, bg, cover(tile))
			// Soft shadows under both bubbles.
			shadow := rgba{0.02, 0.18, 0.17, 0.28}
			c = over(c, shadow, cover(tile)*clamp(0.5-backBubble(b.sub(vec{0, 10}))/18, 0, 1))
			c = over(c, amber, cover(backBubble(b)))
			c = over(c, shadow, cover(tile)*clamp(0.5-frontBubble(b.sub(vec{0, 12}))/20, 0, 1))
			c = over(c, cream, cover(frontBubble(b)))
			// Three dots in the front bubble: someone listening, about to reply.
			for i, col := range []rgba{teal, teal, coral} {
				c = over(c, col, cover(circle(b, vec{150 + float64(i)*56, 300}, 19)))
			}
			if c.a > 0 {
				img.SetNRGBA(x, y, color.NRGBA{
					R: uint8(math.Round(c.r / c.a * 255)), G: uint8(math.Round(c.g / c.a * 255)),
					B: uint8(math.Round(c.b / c.a * 255)), A: uint8(math.Round(c.a * 255)),
				})
			}
		}
	}
	f, err := os.Create(out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
