package app_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/app/branch/scoring"
	"harbor/config"
	"harbor/models"
)

// TestBulletinOfASeededNetwork is issue 13's figures test: over a quarter
// of 33 outlets, each month's and the quarter's scores, ranks and
// amounts worked out by the test from the daily reports agree with the
// bulletin's page, workbook and JSON, and every month's amounts add up
// exactly to its fund.
func TestBulletinOfASeededNetwork(t *testing.T) {
	apptest.ForEachBranchBackend(t, testBulletinOfASeededNetwork)
}

func testBulletinOfASeededNetwork(t *testing.T, cfg config.Branch) {
	n := seedQuarter(t, cfg)
	ctx := context.Background()
	for _, sc := range []scoring.Scheme{schemeV1(), schemeV2()} {
		if _, err := n.b.Svc.SaveScheme(ctx, sc, "李科长"); err != nil {
			t.Fatal(err)
		}
	}
	c := viewerClient(t, n.b)
	var months [][]oracleRow
	for _, m := range []struct {
		month  string
		scheme scoring.Scheme
	}{{"2026-10", schemeV1()}, {"2026-11", schemeV1()}, {"2026-12", schemeV2()}} {
		var a branch.Assessment
		getJSON(t, c, "/api/v1/assessment?month="+m.month, &a)
		flags := map[string]int{}
		for _, o := range a.Outlets {
			flags[o.Code] = len(o.Flags)
		}
		want := n.oracleMonth(m.month, m.scheme, flags)
		months = append(months, want)
		checkBulletin(t, c, "month="+m.month, want, m.scheme.Fund.PerOutletFen*33)
	}
	want := oracleQuarter(months, scoring.QuarterWeighted)
	checkBulletin(t, c, "quarter=2026Q4", want, 100_000*33*2+120_000*33)

	// Published, November and then the quarter (which takes November as
	// published) keep the same figures.
	n.b.AddUser("admin1", models.RoleAdmin, adminPassword)
	admin := apptest.NewClient(t, n.b.HTTP, "10.1.0.2")
	csrf := apptest.ConsoleLogin(t, admin, "admin1", adminPassword)
	for _, period := range [][2]string{{"month", "2026-11"}, {"quarter", "2026Q4"}} {
		if resp, body := admin.PostForm("/console/bulletin/publish", url.Values{"_csrf": {csrf}, period[0]: {period[1]}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish %s: %d %.300s", period[1], resp.StatusCode, body)
		}
	}
	var doc struct {
		Status   string
		Bulletin branch.Bulletin
	}
	getJSON(t, c, "/api/v1/bulletin?quarter=2026Q4", &doc)
	if m := doc.Bulletin.Months; doc.Status != branch.Published || len(m) != 3 || m[0].Published || !m[1].Published || m[2].Published {
		t.Fatalf("the published quarter: %s, months %+v", doc.Status, m)
	}
	got := map[string]oracleRow{}
	for _, o := range doc.Bulletin.Outlets {
		got[o.Code] = oracleRow{code: o.Code, score: int64(o.Score), rank: o.Rank, amount: o.AmountFen}
	}
	compareRows(t, "the published quarter", want, got)
}

// checkBulletin compares the bulletin of query with want in the JSON, the
// page and the workbook, and checks that the amounts add up to fund.
func checkBulletin(t *testing.T, c *apptest.Client, query string, want []oracleRow, fund int64) {
	t.Helper()
	var doc struct {
		Status   string
		Bulletin branch.Bulletin
	}
	getJSON(t, c, "/api/v1/bulletin?"+query, &doc)
	b := doc.Bulletin
	if doc.Status != "draft" || len(b.Outlets) != 33 || len(b.Unscored) != 1 || b.Unscored[0].Code != "SY099" || b.Partial {
		t.Fatalf("%s: status %s, %d scored, unscored %v, partial %v", query, doc.Status, len(b.Outlets), b.Unscored, b.Partial)
	}
	got := map[string]oracleRow{}
	var sum int64
	for _, o := range b.Outlets {
		got[o.Code] = oracleRow{code: o.Code, score: int64(o.Score), rank: o.Rank, amount: o.AmountFen}
		sum += o.AmountFen
	}
	if sum != fund || b.Fund.TotalFen != fund {
		t.Errorf("%s: amounts add up to %d fen, the fund says %d; want %d", query, sum, b.Fund.TotalFen, fund)
	}
	compareRows(t, query+" JSON", want, got)
	if a, b := got["SY002"], got["SY003"]; a.rank != b.rank || a.score != b.score {
		t.Errorf("%s: the twins SY002 and SY003 do not tie: %+v %+v", query, a, b)
	}

	resp, page := c.Get("/console/bulletin?" + query)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("page %s: %d", query, resp.StatusCode)
	}
	compareRows(t, query+" page", want, pageRows(t, page))

	resp, xlsx := c.Get("/console/bulletin.xlsx?" + query)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("workbook %s: %d", query, resp.StatusCode)
	}
	ranking := readSheets(t, []byte(xlsx))["排名 Ranking"]
	rows := map[string]oracleRow{}
	sum = 0
	for code := range ranking.rows {
		if !strings.HasPrefix(code, "SY") {
			continue
		}
		row := oracleRow{code: code, rank: atoi(t, ranking.cell(code, "名次")), score: hundredths(t, ranking.cell(code, "得分")),
			amount: hundredths(t, ranking.cell(code, "金额"))}
		rows[code] = row
		sum += row.amount
	}
	if sum != fund || hundredths(t, ranking.cell("合计 Total", "金额")) != fund {
		t.Errorf("%s workbook: amounts add up to %d fen, the total row says %s; want %d", query, sum,
			ranking.cell("合计 Total", "金额"), fund)
	}
	compareRows(t, query+" workbook", want, rows)
}

func compareRows(t *testing.T, what string, want []oracleRow, got map[string]oracleRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d rows, want %d", what, len(got), len(want))
	}
	for _, w := range want {
		g := got[w.code]
		if g.rank != w.rank || g.score != w.score || g.amount != w.amount {
			t.Errorf("%s: %s rank %d, score %d, amount %d; the test works out rank %d, score %d, amount %d",
				what, w.code, g.rank, g.score, g.amount, w.rank, w.score, w.amount)
		}
	}
}

var rankingRow = regexp.MustCompile(`<tr data-outlet="(SY\d+)"><td class="n">(\d+)</td>.*?<td class="n score">([\d.]+)</td><td class="n amount">([\d,.]+)</td>`)

// pageRows reads the ranking table of a bulletin page.
func pageRows(t *testing.T, page string) map[string]oracleRow {
	t.Helper()
	table := page[strings.Index(page, `id="bulletin-ranking"`):]
	table = table[:strings.Index(table, "</table>")]
	out := map[string]oracleRow{}
	for _, m := range rankingRow.FindAllStringSubmatch(table, -1) {
		out[m[1]] = oracleRow{code: m[1], rank: atoi(t, m[2]), score: hundredths(t, m[3]), amount: hundredths(t, m[4])}
	}
	return out
}

// hundredths reads "1,234.56" as 123456.
func hundredths(t *testing.T, s string) int64 {
	t.Helper()
	c, err := scoring.ParseCenti(s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return int64(c)
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return n
}

// readSheets reads every sheet of a workbook as a table.
func readSheets(t *testing.T, b []byte) map[string]table {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]table{}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		out[sheet] = splitTable(rows, 0, len(rows))
	}
	return out
}
