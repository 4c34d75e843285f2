package outlet

import (
	"context"
	"io"

	"harbor/app/tabular"
	"harbor/models"
)

// Exports of the History page: the same tables as CSV (UTF-8 with a BOM,
// so that Excel shows Chinese) and as XLSX. Both carry the outlet and the
// range, a header row and a totals row per table.

// exportTable is one table of an export.
type exportTable = tabular.Table

// VisitorsNote explains why unique visitors have no total.
const VisitorsNote = "独立访客按日计算，不跨日相加 / Unique visitors are counted per day and never added across days"

// exportMeta are the rows that say what an export covers.
func exportMeta(st RangeStats) [][]any {
	return [][]any{
		{"网点 Outlet", st.Outlet, st.Name},
		{"日期范围 Range", st.From, st.To},
		{"时区 Time zone", st.TimeZone},
		{"说明 Note", VisitorsNote},
	}
}

// exportTables lays the figures out as tables; names come from the
// outlet's amenities (disabled ones included) and the catalogs.
func (s *Service) exportTables(ctx context.Context, st RangeStats) ([]exportTable, error) {
	names, err := s.AmenityNames(ctx)
	if err != nil {
		return nil, err
	}
	daily := exportTable{Name: "每日 Daily",
		Header: []string{"日期 Day", "服务人次 Check-ins", "当日独立访客 Unique visitors (that day)", "现场码 Live", "海报码 Poster", "代登记 Assisted"}}
	for _, d := range st.Days {
		daily.Rows = append(daily.Rows, []any{d.Day, d.CheckIns, d.Visitors, d.Channels.Live, d.Channels.Poster, d.Channels.Assisted})
	}
	t := st.Totals
	daily.Total = []any{"合计 Total", t.CheckIns, "不跨日相加 not added", t.Channels.Live, t.Channels.Poster, t.Channels.Assisted}

	amen := exportTable{Name: "服务项目 Amenities", Header: []string{"代码 Code", "服务项目", "Amenity", "服务人次 Check-ins"}}
	sum := 0
	for _, a := range st.Amenities {
		n := names[a.Code]
		amen.Rows = append(amen.Rows, []any{a.Code, n.ZH, n.EN, a.CheckIns})
		sum += a.CheckIns
	}
	amen.Total = []any{"合计 Total", "一次登记可含多项", "a visit may use several", sum}

	cats := exportTable{Name: "人群 Categories", Header: []string{"代码 Code", "人群", "Category", "服务人次 Check-ins"}}
	for _, c := range st.Categories {
		n := CategoryName(c.Code)
		cats.Rows = append(cats.Rows, []any{c.Code, n.ZH, n.EN, c.CheckIns})
	}
	cats.Total = []any{"合计 Total", "", "", t.CheckIns}
	return []exportTable{daily, amen, cats}, nil
}

// CategoryName names a worker category code, "unspecified" included.
func CategoryName(code string) models.Category { return models.CategoryNamed(code) }

// AmenityNames maps every amenity code the outlet has, or the catalog
// knows, to its names: past figures of disabled amenities keep their names.
func (s *Service) AmenityNames(ctx context.Context) (map[string]models.Amenity, error) {
	out := map[string]models.Amenity{}
	for _, a := range models.Catalog {
		out[a.Code] = models.Amenity{Code: a.Code, ZH: a.ZH, EN: a.EN, Group: a.Group, Icon: a.Code}
	}
	all, err := s.AllAmenities(ctx)
	for _, a := range all {
		out[a.Code] = a
	}
	return out, err
}

// WriteCSV writes the figures as one CSV file, UTF-8 with a BOM: the
// outlet and range first, then each table under its title.
func (s *Service) WriteCSV(ctx context.Context, w io.Writer, st RangeStats) error {
	tables, err := s.exportTables(ctx, st)
	if err != nil {
		return err
	}
	return tabular.WriteCSV(w, exportMeta(st), tables)
}

// WriteXLSX writes the figures as a workbook, one sheet per table, each
// starting with the outlet and range, then a bold header and totals row.
func (s *Service) WriteXLSX(ctx context.Context, w io.Writer, st RangeStats) error {
	tables, err := s.exportTables(ctx, st)
	if err != nil {
		return err
	}
	return tabular.WriteXLSX(w, exportMeta(st), tables)
}
