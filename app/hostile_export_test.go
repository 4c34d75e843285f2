package app_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/models"
)

// TestFormulaNamesExportAsText (issue 10, item 9): amenities a manager
// names like spreadsheet formulas reach the outlet's history CSV and the
// branch's assessment CSV as quoted text, never as a cell starting with
// =, + or @; a name with a control character is refused at the outlet.
func TestFormulaNamesExportAsText(t *testing.T) {
	n := newNetwork(t)
	o := n.addOutlet("SY001", n.url)
	o.AddStaff("wang", models.RoleManager, testPassword)
	c := apptest.NewClient(t, o.HTTP, "10.0.0.5")
	csrf := apptest.StaffLogin(t, c, "wang", testPassword)
	names := map[string]string{"evil_link": `=HYPERLINK("http://e.vil/x","Open")`, "evil_sum": "@SUM(1+1)", "evil_cmd": `=cmd|' /C calc'!A0`}
	add := func(code, zh, en string) int {
		resp, _ := c.PostForm("/staff/amenities", url.Values{"_csrf": {csrf}, "code": {code}, "zh": {zh}, "en": {en},
			"group": {"tools"}, "icon": {"toolbox"}})
		return resp.StatusCode
	}
	for code, en := range names {
		if status := add(code, "+公式", en); status != http.StatusSeeOther {
			t.Fatalf("add amenity %s: %d", code, status)
		}
	}
	for _, bad := range []string{"水\x00", "水\x1b[31m", "水\u0085水"} {
		if status := add("ctrl_name", bad, "Water"); status != http.StatusBadRequest {
			t.Fatalf("amenity name %q: %d, want 400", bad, status)
		}
	}
	n.clock.Set(time.Date(2026, 11, 24, 10, 0, 0, 0, apptest.Shanghai))
	checkIn(t, o, "10.0.0.1", []string{"evil_link", "evil_sum", "evil_cmd"}, "")
	n.clock.Set(time.Date(2026, 11, 25, 10, 0, 0, 0, apptest.Shanghai))
	pushAll(t, o, 3)

	n.branch.AddUser("viewer1", models.RoleViewer, viewerPassword)
	viewer := apptest.NewClient(t, n.branch.HTTP, "10.1.0.1")
	apptest.ConsoleLogin(t, viewer, "viewer1", viewerPassword)
	for _, export := range []struct {
		c    *apptest.Client
		path string
	}{{c, "/staff/history.csv?from=2026-11-24&to=2026-11-24"}, {viewer, "/console/reports.csv?month=2026-11"}} {
		resp, body := export.c.Get(export.path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", export.path, resp.StatusCode)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]bool{}
		for _, row := range rows {
			for _, cell := range row {
				if cell != "" && strings.ContainsRune("=+@\t\r", rune(cell[0])) {
					t.Fatalf("%s: a cell a spreadsheet would run: %q", export.path, cell)
				}
				found[cell] = true
			}
		}
		for _, name := range names {
			if !found["'"+name] {
				t.Errorf("%s: the amenity named %s is not in the export as quoted text", export.path, name)
			}
		}
	}
}
