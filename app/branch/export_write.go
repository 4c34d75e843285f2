package branch

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// WriteAssessmentCSV writes the assessment as one CSV file, UTF-8 with a
// BOM: what it covers first, then each table under its title.
func (s *Service) WriteAssessmentCSV(ctx context.Context, w io.Writer, a Assessment) error {
	tables, err := s.AssessmentTables(ctx, a)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	rows := s.exportMeta(a)
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

// WriteAssessmentXLSX writes the assessment as a workbook, one sheet per
// table, each starting with what it covers, then a bold header and totals.
func (s *Service) WriteAssessmentXLSX(ctx context.Context, w io.Writer, a Assessment) error {
	tables, err := s.AssessmentTables(ctx, a)
	if err != nil {
		return err
	}
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
		if err := writeSheet(f, t, s.exportMeta(a), bold); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// writeSheet writes meta rows, a blank row, the header, the rows and the
// totals into the sheet named after t.
func writeSheet(f *excelize.File, t ExportTable, meta [][]any, bold int) error {
	rows := append(meta, nil, toAny(t.Header))
	header := len(rows)
	rows = append(rows, t.Rows...)
	styled := []int{header}
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
	last, _ := excelize.ColumnNumberToName(max(len(t.Header), 4))
	return f.SetColWidth(t.Name, "A", last, 16)
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
