// Package tabular writes the tables of an export as CSV (UTF-8 with a BOM,
// so that Excel shows Chinese) or as an XLSX workbook (one sheet per table).
// The outlet's history export and the branch's assessment reports share it.
package tabular

import (
	"encoding/csv"
	"fmt"
	"io"

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
			rec[i] = fmt.Sprint(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes a workbook with one sheet per table, each starting with
// meta, then a bold header, the rows and a bold totals row.
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

func writeSheet(f *excelize.File, t Table, meta [][]any, bold int) error {
	rows := append(append([][]any{}, meta...), nil, toAny(t.Header))
	styled := []int{len(rows)}
	rows = append(rows, t.Rows...)
	if t.Total != nil {
		rows = append(rows, t.Total)
		styled = append(styled, len(rows))
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(t.Name, cell, &r); err != nil {
			return err
		}
	}
	for _, row := range styled {
		if err := f.SetRowStyle(t.Name, row, row, bold); err != nil {
			return err
		}
	}
	if err := stylePercents(f, t.Name, rows); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(max(len(t.Header), 4))
	return f.SetColWidth(t.Name, "A", last, 18)
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
