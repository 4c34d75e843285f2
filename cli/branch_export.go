package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"

	"harbor/app/branch"
)

const exportUsage = `harbor branch export — write a month's or a quarter's assessment report
(按月通报 / 按季考核): an Excel workbook with a sheet per view (summary,
outlets, amenities, categories, integrity flags), or the same as CSV (UTF-8
with BOM).

Usage:
  harbor branch export --month 2026-11 --out FILE.xlsx
  harbor branch export --quarter 2026Q4 --out FILE.xlsx
  harbor branch export --month 2026-11 --csv --out FILE.csv

A running period is counted through yesterday (in --timezone).`

func branchExport(ctx context.Context, args []string, env Env) error {
	var month, quarter, out string
	var asCSV bool
	cfg, _, err := parseBranchCommand("branch export", exportUsage, args, env, nil, func(fs *flag.FlagSet) {
		fs.StringVar(&month, "month", "", "month to report, YYYY-MM")
		fs.StringVar(&quarter, "quarter", "", "quarter to report, YYYYQn, e.g. 2026Q4")
		fs.StringVar(&out, "out", "", "file to write (required; not overwritten)")
		fs.BoolVar(&asCSV, "csv", false, "write CSV (UTF-8 with BOM) instead of XLSX")
	})
	if err != nil {
		return err
	}
	if (month == "") == (quarter == "") || out == "" {
		fmt.Fprintf(env.Stderr, "harbor branch export: give --month or --quarter, and --out FILE\n\n%s\n", exportUsage)
		return errUsage
	}
	p, err := periodOf(month, quarter)
	if err != nil {
		return err
	}
	svc, err := openBranch(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer svc.Close()
	a, err := svc.Assessment(ctx, p)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	write := svc.WriteAssessmentXLSX
	if asCSV {
		write = svc.WriteAssessmentCSV
	}
	if err := write(ctx, &buf, a); err != nil {
		return err
	}
	if err := writeNewFile(out, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s: %s, %d outlets, %d check-ins, %d flagged (counted through %s)\n",
		out, p.Label, len(a.Outlets), a.Totals.CheckIns, a.Flagged, a.Through)
	return nil
}

// periodOf is the period of --month or, when given, --quarter.
func periodOf(month, quarter string) (branch.Period, error) {
	if quarter != "" {
		return branch.QuarterPeriod(quarter)
	}
	return branch.MonthPeriod(month)
}

// writeNewFile writes b to a file that must not exist yet.
func writeNewFile(name string, b []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("%w (choose a new file name)", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
