package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"harbor/app/branch"
)

const bulletinUsage = `harbor branch bulletin — a month's or a quarter's bulletin (按月通报 /
按季考核): every outlet's score, rank and incentive amount, as published, or
the draft from the current figures.

Usage:
  harbor branch bulletin --month 2026-11                 print it as JSON (as GET /api/v1/bulletin)
  harbor branch bulletin --month 2026-11 --out FILE.xlsx  the workbook
  harbor branch bulletin --quarter 2026Q4 --out FILE.json the JSON document

A published period gives its frozen bulletin, with the figures changed
since publication; publish and withdraw on the console (/console/bulletin).`

func branchBulletin(ctx context.Context, args []string, env Env) error {
	var month, quarter, out string
	cfg, _, err := parseBranchCommand("branch bulletin", bulletinUsage, args, env, nil, func(fs *flag.FlagSet) {
		fs.StringVar(&month, "month", "", "month, YYYY-MM")
		fs.StringVar(&quarter, "quarter", "", "quarter, YYYYQn, e.g. 2026Q4")
		fs.StringVar(&out, "out", "", "file to write, .xlsx or .json (not overwritten); standard output without")
	})
	if err != nil {
		return err
	}
	ext := strings.ToLower(filepath.Ext(out))
	if (month == "") == (quarter == "") || (out != "" && ext != ".xlsx" && ext != ".json") {
		fmt.Fprintf(env.Stderr, "harbor branch bulletin: give --month or --quarter, and --out FILE.xlsx or FILE.json if any\n\n%s\n", bulletinUsage)
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
	rec, err := svc.BulletinRecord(ctx, p)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if ext == ".xlsx" {
		err = svc.WriteBulletinXLSX(&buf, rec)
	} else {
		var doc branch.BulletinDocument
		if doc, err = rec.Document(); err == nil {
			err = json.NewEncoder(&buf).Encode(doc) // as the API answers: a published bulletin byte for byte
		}
	}
	if err != nil {
		return err
	}
	if out == "" {
		_, err = env.Stdout.Write(buf.Bytes())
		return err
	}
	if err := writeNewFile(out, buf.Bytes()); err != nil {
		return err
	}
	state := "draft"
	if rec.Published != nil {
		state = "published " + rec.Published.PublishedAt.In(svc.Location()).Format("2006-01-02 15:04")
	}
	b := rec.Bulletin
	fmt.Fprintf(env.Stdout, "wrote %s: %s (%s), %d outlets scored, fund %d fen, %d figures changed since publication\n",
		out, p.Label, state, len(b.Outlets), b.Fund.TotalFen, len(rec.Changes))
	return nil
}
