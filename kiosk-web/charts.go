package kioskweb

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
)

// Charts for the staff console, drawn on the server as inline SVG: no
// script, no library, and they print. Colours come from the stylesheet
// (.chart .bar), sizes from attributes, so the strict CSP holds.

// Bar is one bar of a chart. Shown, when set, is how its value is
// written (a score of 87.35 drawn as 8735 hundredths).
type Bar struct {
	Label string
	Value int
	Shown string
}

// text is how the bar's value is written.
func (b Bar) text() string {
	if b.Shown != "" {
		return b.Shown
	}
	return strconv.Itoa(b.Value)
}

const (
	hRowH    = 24
	hLabelW  = 170 // the label column's width at least; more for longer labels
	hLabelsW = 330 // and at most: longer labels are cut with "…"
	hBarW    = 420
	hValueW  = 70
	colH     = 160
	colLabel = 18
	colPad   = 24 // room for the first and last labels
	colsW    = 900
)

// HBars draws a horizontal bar chart, one labelled row per bar. id names
// the svg element; title is its accessible name.
func HBars(id, title string, bars []Bar) template.HTML {
	peak, total := peakTotal(bars)
	lw := hLabelW
	for _, bar := range bars {
		lw = max(lw, min(labelWidth(bar.Label)+12, hLabelsW))
	}
	w, h := lw+hBarW+hValueW, max(len(bars), 1)*hRowH
	var b strings.Builder
	open(&b, id, title, w, h, total, len(bars))
	if len(bars) == 0 {
		fmt.Fprintf(&b, `<text x="4" y="16" class="empty">暂无数据 No data</text>`)
	}
	for i, bar := range bars {
		y := i * hRowH
		bw := scale(bar.Value, peak, hBarW)
		label := template.HTMLEscapeString(bar.Label)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, lw-8, y+16, template.HTMLEscapeString(fitLabel(bar.Label, lw-12)))
		fmt.Fprintf(&b, `<rect class="bar" x="%d" y="%d" width="%d" height="%d"><title>%s: %s</title></rect>`,
			lw, y+4, bw, hRowH-8, label, bar.text())
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="v">%s</text>`, lw+bw+6, y+16, bar.text())
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Columns draws a vertical column chart (hours of a day, days of a
// range), labelling every labelEvery-th column.
func Columns(id, title string, bars []Bar, labelEvery int) template.HTML {
	peak, total := peakTotal(bars)
	n := max(len(bars), 1)
	colW := max(8, min(40, colsW/n))
	w, h := n*colW+2*colPad, colH+colLabel+16
	labelEvery = max(labelEvery, 1)
	var b strings.Builder
	open(&b, id, title, w, h, total, len(bars))
	for i, bar := range bars {
		x := colPad + i*colW
		bh := scale(bar.Value, peak, colH)
		label := template.HTMLEscapeString(bar.Label)
		fmt.Fprintf(&b, `<rect class="bar" x="%d" y="%d" width="%d" height="%d"><title>%s: %d</title></rect>`,
			x+1, 16+colH-bh, colW-2, bh, label, bar.Value)
		if bar.Value > 0 && labelWidth(bar.text()) <= colW-2 { // the value only where it fits
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" class="v">%s</text>`, x+colW/2, 16+colH-bh-3, bar.text())
		}
		if i%labelEvery == 0 {
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`, x+colW/2, h-2, label)
		}
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/></svg>`, colPad, 16+colH, w-colPad, 16+colH)
	return template.HTML(b.String())
}

func open(b *strings.Builder, id, title string, w, h, total, n int) {
	fmt.Fprintf(b, `<svg id="%s" class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s" data-total="%d" data-bars="%d">`,
		template.HTMLEscapeString(id), w, h, w, h, template.HTMLEscapeString(title), total, n)
}

func peakTotal(bars []Bar) (peak, total int) {
	for _, b := range bars {
		peak = max(peak, b.Value)
		total += b.Value
	}
	return peak, total
}

// scale maps v in 0..peak onto 0..size, at least 1 for any v > 0.
func scale(v, peak, size int) int {
	if v <= 0 || peak <= 0 {
		return 0
	}
	return max(1, v*size/peak)
}

// labelWidth estimates how wide s is in the charts' 14px font: a Chinese
// character about 14 px, anything else about 8.
func labelWidth(s string) int {
	w := 0
	for _, r := range s {
		w += 8
		if r >= 0x2E80 {
			w += 6
		}
	}
	return w
}

// fitLabel cuts s with "…" to fit width px; the bar's title keeps it whole.
func fitLabel(s string, width int) string {
	if labelWidth(s) <= width {
		return s
	}
	runes := []rune(s)
	for len(runes) > 0 && labelWidth(string(runes))+14 > width {
		runes = runes[:len(runes)-1]
	}
	return string(runes) + "…"
}
