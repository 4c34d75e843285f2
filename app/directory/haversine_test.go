package directory

import "testing"

func TestHaversine(t *testing.T) {
	// Shiyan to Wuhan is about 400 km as the crow flies.
	if d := Haversine(32.6295, 110.798, 30.5928, 114.3055); d < 390e3 || d > 410e3 {
		t.Fatalf("Shiyan-Wuhan %.0f m", d)
	}
	if d := Haversine(32.6, 110.8, 32.6, 110.8); d != 0 {
		t.Fatalf("same point %.3f m", d)
	}
}
