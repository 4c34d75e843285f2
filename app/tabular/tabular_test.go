package tabular

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestFormulasNeutralised (issue 10, item 9): text cells that a
// spreadsheet would run as a formula are written as text in both formats;
// numbers, negative ones included, stay numbers.
func TestFormulasNeutralised(t *testing.T) {
	evil := []string{`=HYPERLINK("http://e.vil/x","Open")`, `@SUM(1+1)`, `=cmd|' /C calc'!A0`, `+1+1`, `-2+3`, "\t=1", "\r=1"}
	tb := Table{Name: "T", Header: []string{"name", "n"}}
	for i, e := range evil {
		tb.Rows = append(tb.Rows, []any{e, -i})
	}
	tb.Rows = append(tb.Rows, []any{"饮用水 water", 3.5})

	var out bytes.Buffer
	if err := WriteCSV(&out, nil, []Table{tb}); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out.String(), "\ufeff")))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	recs = recs[2:] // title, header
	for i, e := range evil {
		if recs[i][0] != "'"+e {
			t.Errorf("CSV cell %q written as %q", e, recs[i][0])
		}
		if recs[i][1] != strconv.Itoa(-i) {
			t.Errorf("number %d written as %q", -i, recs[i][1])
		}
	}
	if last := recs[len(evil)]; last[0] != "饮用水 water" || last[1] != "3.5" {
		t.Errorf("plain text and numbers changed: %q", last)
	}

	out.Reset()
	if err := WriteXLSX(&out, nil, []Table{tb}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i, e := range evil {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		formula, _ := f.GetCellFormula("T", cell)
		value, _ := f.GetCellValue("T", cell)
		if formula != "" || value != e {
			t.Errorf("XLSX %s: formula %q, value %q; want the text %q", cell, formula, value, e)
		}
	}
}

// TestFixed2: amounts and points kept in hundredths are written with two
// decimals, negative ones too, as numbers in both formats.
func TestFixed2(t *testing.T) {
	tb := Table{Name: "T", Header: []string{"amount"}, Rows: [][]any{{Fixed2(123456)}, {Fixed2(-5)}, {Fixed2(0)}}}
	var out bytes.Buffer
	if err := WriteCSV(&out, nil, []Table{tb}); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimPrefix(out.String(), "\ufeff"); got != "\nT\namount\n1234.56\n-0.05\n0.00\n" {
		t.Errorf("CSV: %q", got)
	}
	out.Reset()
	if err := WriteXLSX(&out, nil, []Table{tb}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{"A3": "1,234.56", "A4": "-0.05"} {
		shown, _ := f.GetCellValue("T", cell)
		typ, _ := f.GetCellType("T", cell)
		if shown != want || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("XLSX %s: %q (type %v), want the number %s", cell, shown, typ, want)
		}
	}
}
