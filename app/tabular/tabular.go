// Package tabular writes the tables of an export as CSV (UTF-8 with a BOM,
// so that Excel shows Chinese) or as an XLSX workbook (one sheet per table).
// The outlet's history export and the branch's assessment reports share it.
package tabular

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Table is one table of an export: a sheet of the workbook, or a titled
// section of the CSV file. Total, when set, is written bold after the rows.
type Table struct {
	Name   string // sheet name and CSV section title
	Header []string
	Rows   [][]any
	Total  []any
}

// WriteCSV writes meta (what the export covers), then each table under its
// title, as one CSV file with a UTF-8 BOM.
func WriteCSV(w io.Writer, meta [][]any, tables []Table) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	rows := append([][]any{}, meta...)
	for _, t := range tables {
		rows = append(rows, nil, []any{t.Name}, toAny(t.Header))
		rows = append(rows, t.Rows...)
		if t.Total != nil {
			rows = append(rows, t.Total)
		}
	}
	cw := csv.NewWriter(w)
	for _, r := range rows {
		rec := make([]string, len(r))
		for i, v := range r {
			rec[i] = csvCell(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvCell is v as a CSV cell. Text that a spreadsheet would run as a
// formula (starting with =, +, -, @, a tab or a carriage return: an
// amenity named =HYPERLINK(...), say) gets a leading single quote, as
// OWASP advises against CSV injection; numbers stay numbers.
func csvCell(v any) string {
	switch v.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, Percent, Fixed2:
		return fmt.Sprint(v)
	}
	s := fmt.Sprint(v)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteXLSX writes a workbook with one sheet per table, each starting with
// meta, then a bold header, the rows and a bold totals row. Text goes in
// as text cells, never formulas, so it needs no quoting.
func WriteXLSX(w io.Writer, meta [][]any, tables []Table) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), t.Name)
		} else {
			_, err = f.NewSheet(t.Name)
		}
		if err != nil {
			return err
		}
		if err := writeSheet(f, t, meta, bold); err != nil {
			return err
		}
	}
	return f.Write(w)
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
