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

// styleNumbers writes the Percent and Fixed2 cells of rows (from row 1)
// on sheet as numbers in their formats.
func styleNumbers(f *excelize.File, sheet string, rows [][]any) error {
	styles := map[string]int{}
	style := func(kind string, s *excelize.Style) (int, error) {
		if id, ok := styles[kind]; ok {
			return id, nil
		}
		id, err := f.NewStyle(s)
		styles[kind] = id
		return id, err
	}
	for i, r := range rows {
		for j, v := range r {
			var value float64
			var id int
			var err error
			switch x := v.(type) {
			case Percent:
				value = float64(x)
				id, err = style("percent", &excelize.Style{NumFmt: 10}) // 0.00%
			case Fixed2:
				value = float64(x) / 100
				id, err = style("fixed2", &excelize.Style{NumFmt: 4}) // #,##0.00
			default:
				continue
			}
			if err != nil {
				return err
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellFloat(sheet, cell, value, -1, 64); err != nil {
				return err
			}
			if err := f.SetCellStyle(sheet, cell, cell, id); err != nil {
				return err
			}
		}
	}
	return nil
}
