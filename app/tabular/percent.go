package tabular

import (
	"strconv"

	"github.com/xuri/excelize/v2"
)

// Percent is a share (0..1) shown as a percentage: "12.5%" in CSV, and in
// a workbook the number with a percent format, so that it still sorts and
// sums as a number.
type Percent float64

func (p Percent) String() string { return strconv.FormatFloat(100*float64(p), 'f', 1, 64) + "%" }

// stylePercents writes the Percent cells of rows (from row 1) on sheet as
// numbers in the percent format.
func stylePercents(f *excelize.File, sheet string, rows [][]any) error {
	style := 0
	for i, r := range rows {
		for j, v := range r {
			p, ok := v.(Percent)
			if !ok {
				continue
			}
			if style == 0 {
				var err error
				if style, err = f.NewStyle(&excelize.Style{NumFmt: 10}); err != nil { // 0.00%
					return err
				}
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellFloat(sheet, cell, float64(p), -1, 64); err != nil {
				return err
			}
			if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
				return err
			}
		}
	}
	return nil
}
