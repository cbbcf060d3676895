package winplace

import "testing"

var (
	laptop  = Rect{0, 0, 1366, 768}
	netbook = Rect{0, 0, 1024, 700}
	most    = [2]int{1400, 900}
	least   = [2]int{640, 480}
)

// The first window takes 90% of the work area, within most and least, and
// never more than the work area.
func TestFirstSize(t *testing.T) {
	for _, c := range []struct {
		name string
		work Rect
		w, h int
	}{
		{"1366×768 laptop", laptop, 1229, 691},
		{"1366×768 with a 32-pixel panel", Rect{0, 32, 1366, 736}, 1229, 662},
		{"1024×700 netbook", netbook, 921, 630},
		{"1920×1080 desktop, capped", Rect{0, 0, 1920, 1080}, 1400, 900},
		{"4K on a second monitor, capped", Rect{1920, 0, 3840, 2160}, 1400, 900},
		{"800×600: the least size", Rect{0, 0, 800, 600}, 720, 540},
		{"600×400: smaller than least, the work area", Rect{0, 0, 600, 400}, 600, 400},
		{"700×520: least, not 90%", Rect{0, 0, 700, 520}, 640, 480},
	} {
		if w, h := FirstSize(c.work, most, least); w != c.w || h != c.h {
			t.Errorf("%s: %d×%d, want %d×%d", c.name, w, h, c.w, c.h)
		}
	}
}

func TestCentre(t *testing.T) {
	if got, want := Centre(Rect{100, 32, 1366, 736}, 1229, 662), (Rect{168, 69, 1229, 662}); got != want {
		t.Errorf("Centre = %+v, want %+v", got, want)
	}
}

func TestClamp(t *testing.T) {
	// A big screen on the left, the laptop on its right, lower (y 312).
	big := Rect{0, 0, 2560, 1440}
	lap := Rect{2560, 312, 1366, 768 - 32} // less its panel
	for _, c := range []struct {
		name  string
		win   Rect
		works []Rect
		want  Rect
	}{
		{"inside: unchanged", Rect{50, 40, 1100, 650}, []Rect{laptop}, Rect{50, 40, 1100, 650}},
		{"over the right edge: moved left", Rect{300, 100, 1100, 650}, []Rect{laptop}, Rect{266, 100, 1100, 650}},
		{"over the bottom: moved up", Rect{0, 300, 1100, 650}, []Rect{laptop}, Rect{0, 118, 1100, 650}},
		{"above and left of the screen: moved in", Rect{-200, -50, 800, 600}, []Rect{laptop}, Rect{0, 0, 800, 600}},
		{"larger than the screen: shrunk to it", Rect{100, 100, 1600, 1000}, []Rect{netbook}, Rect{0, 0, 1024, 700}},
		{"on the second monitor: stays there", Rect{2600, 400, 1200, 600}, []Rect{big, lap}, Rect{2600, 400, 1200, 600}},
		{"straddling, mostly on the laptop: onto the laptop", Rect{2400, 400, 1200, 600}, []Rect{big, lap}, Rect{2560, 400, 1200, 600}},
		{"straddling, mostly on the big one: onto it", Rect{1500, 100, 1200, 600}, []Rect{big, lap}, Rect{1360, 100, 1200, 600}},
		{"big window on the laptop: shrunk to the laptop", Rect{2700, 350, 2000, 1200}, []Rect{big, lap}, Rect{2560, 312, 1366, 736}},
		// Undocked: the big screen is gone and the window was on it.
		{"its monitor gone: onto the primary", Rect{3000, 200, 1800, 1000}, []Rect{laptop}, Rect{0, 0, 1366, 768}},
		{"its monitor gone, small window: onto the primary, its size kept", Rect{-1500, 900, 800, 600}, []Rect{laptop}, Rect{0, 168, 800, 600}},
		{"off every screen: onto the primary (first), at its nearest corner", Rect{9000, 9000, 800, 600}, []Rect{lap, big}, Rect{3126, 448, 800, 600}},
		{"an empty monitor is no monitor", Rect{9000, 9000, 800, 600}, []Rect{{0, 0, 0, 0}, laptop}, Rect{566, 168, 800, 600}},
		{"no monitors known: unchanged", Rect{9000, 9000, 800, 600}, nil, Rect{9000, 9000, 800, 600}},
	} {
		if got := Clamp(c.win, c.works); got != c.want {
			t.Errorf("%s: Clamp(%+v) = %+v, want %+v", c.name, c.win, got, c.want)
		}
	}
}
