package tabular

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// The workbook's sheets are laid out for reading in Excel: each column as
// wide as its longest cell, days stored as dates (yyyy-mm-dd, so they sort,
// filter and count as dates), and everything down to the header row
// frozen, so the header stays in view while scrolling.

// dayLayout is how the tables write days.
const dayLayout = "2006-01-02"

// Column widths in Excel's units (about one Latin character).
const (
	minColWidth = 8
	maxColWidth = 60
)

// writeSheet writes table t on its sheet: meta, a blank row, the bold
// header, the rows and a bold totals row.
func writeSheet(f *excelize.File, t Table, meta [][]any, bold int) error {
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd")})
	if err != nil {
		return err
	}
	rows := append(append([][]any{}, meta...), nil, toAny(t.Header))
	header := len(rows)
	styled := []int{header}
	rows = append(rows, t.Rows...)
	if t.Total != nil {
		rows = append(rows, t.Total)
		styled = append(styled, len(rows))
	}
	widths := make([]int, max(len(t.Header), 4))
	for i, r := range rows {
		out := make([]any, len(r))
		var dates []int
		for j, v := range r {
			out[j] = v
			if day, ok := asDay(v); ok {
				out[j], dates = day, append(dates, j)
			}
			if i >= header-1 && j < len(widths) { // meta text may spill over empty cells
				widths[j] = max(widths[j], cellWidth(v))
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(t.Name, cell, &out); err != nil {
			return err
		}
		for _, j := range dates {
			c, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStyle(t.Name, c, c, date); err != nil {
				return err
			}
		}
	}
	for _, row := range styled {
		if err := f.SetRowStyle(t.Name, row, row, bold); err != nil {
			return err
		}
	}
	if err := styleNumbers(f, t.Name, rows); err != nil {
		return err
	}
	for j, w := range widths {
		col, _ := excelize.ColumnNumberToName(j + 1)
		if err := f.SetColWidth(t.Name, col, col, float64(min(max(w+2, minColWidth), maxColWidth))); err != nil {
			return err
		}
	}
	top, _ := excelize.CoordinatesToCellName(1, header+1)
	return f.SetPanes(t.Name, &excelize.Panes{Freeze: true, YSplit: header, TopLeftCell: top, ActivePane: "bottomLeft"})
}

// asDay reads a cell written as a day, "2026-11-25", as a date.
func asDay(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok || len(s) != len(dayLayout) {
		return time.Time{}, false
	}
	d, err := time.Parse(dayLayout, s)
	return d, err == nil
}

// cellWidth is about how many Latin characters wide v shows: a Chinese
// character takes two.
func cellWidth(v any) int {
	if v == nil {
		return 0
	}
	s, ok := v.(string)
	if !ok {
		s = fmt.Sprint(v)
	}
	w := 0
	for _, r := range s {
		w++
		if utf8.RuneLen(r) > 2 {
			w++
		}
	}
	return w
}

func ptr[T any](v T) *T { return &v }
