package branch

import (
	"context"
	"io"

	"harbor/app/tabular"
)

// WriteAssessmentCSV writes the assessment as one CSV file, UTF-8 with a
// BOM: what it covers first, then each table under its title.
func (s *Service) WriteAssessmentCSV(ctx context.Context, w io.Writer, a Assessment) error {
	tables, err := s.AssessmentTables(ctx, a)
	if err != nil {
		return err
	}
	return tabular.WriteCSV(w, s.exportMeta(a), tables)
}

// WriteAssessmentXLSX writes the assessment as a workbook, one sheet per
// table, each starting with what it covers, then a bold header and totals.
func (s *Service) WriteAssessmentXLSX(ctx context.Context, w io.Writer, a Assessment) error {
	tables, err := s.AssessmentTables(ctx, a)
	if err != nil {
		return err
	}
	return tabular.WriteXLSX(w, s.exportMeta(a), tables)
}
