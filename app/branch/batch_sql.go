package branch

import (
	"database/sql/driver"
	"strings"

	"gorm.io/gorm"

	"harbor/app/db"
)

// The ingest writer's statements take the rows of a whole batch. On SQLite
// they are a VALUES list. On PostgreSQL they are one array parameter per
// column, unnested: the statement's text is then the same for any number
// of rows, so each connection prepares it once, where every length of a
// VALUES list is a new statement to parse and plan.

// insertChunk bounds the rows of one multi-row INSERT on SQLite, well
// under its limit on bound parameters (31 columns × 500 rows = 15,500 of 32,766).
const insertChunk = 500

// insertRows inserts rows into target ("table(col, ...)"), followed by
// onConflict (an ON CONFLICT clause, or empty), and returns how many rows
// were inserted or updated.
func insertRows(tx *gorm.DB, target string, rows [][]any, onConflict string) (int64, error) {
	var n int64
	for len(rows) > 0 {
		size := len(rows)
		if !isPostgres(tx) {
			size = min(size, insertChunk)
		}
		src, args := rowSource(tx, rows[:size])
		rows = rows[size:]
		res := tx.Exec("INSERT INTO "+target+" "+src+" "+onConflict, args...)
		if res.Error != nil {
			return n, res.Error
		}
		n += res.RowsAffected
	}
	return n, nil
}

// in is "col IN (?, ...)" over vals; on PostgreSQL "col = ANY(?)" with
// one array parameter, which an index serves whatever the plan. (A
// prepared "col IN (SELECT unnest(?))" got a generic plan made while the
// table was nearly empty, on a new branch, and kept scanning the whole
// table as it grew.)
func in(tx *gorm.DB, col string, vals []any) (string, []any) {
	if isPostgres(tx) {
		return col + " = ANY(?::" + pgType(vals[0]) + "[])", []any{pgArray{vals}}
	}
	return col + " IN (" + marks(len(vals)) + ")", vals
}

// rowSource is a query giving rows, all of one shape: "VALUES (?, ?), ..."
// on SQLite, "SELECT * FROM unnest(?::text[], ?::bigint[], ...)" on
// PostgreSQL, each column's type taken from its first value.
func rowSource(tx *gorm.DB, rows [][]any) (string, []any) {
	cols := len(rows[0])
	if !isPostgres(tx) {
		tuple := "(" + marks(cols) + ")"
		args := make([]any, 0, len(rows)*cols)
		for _, row := range rows {
			args = append(args, row...)
		}
		return "VALUES " + strings.TrimSuffix(strings.Repeat(tuple+", ", len(rows)), ", "), args
	}
	arrays, args := make([]string, cols), make([]any, cols)
	for j := range cols {
		col := make([]any, len(rows))
		for i, row := range rows {
			col[i] = row[j]
		}
		arrays[j], args[j] = "?::"+pgType(rows[0][j])+"[]", pgArray{col}
	}
	return "SELECT * FROM unnest(" + strings.Join(arrays, ", ") + ")", args
}

// marks is n comma-separated placeholders.
func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// pgType is the PostgreSQL type of an array of v's Go type.
func pgType(v any) string {
	switch v.(type) {
	case string:
		return "text"
	case bool:
		return "boolean"
	case float64, *float64:
		return "float8"
	}
	return "bigint" // int, int64: assigned to INTEGER columns as well
}

// pgArray passes a slice as one array parameter (gorm would spread a
// slice into a list of parameters).
type pgArray struct{ values []any }

func (a pgArray) Value() (driver.Value, error) { return a.values, nil }

func isPostgres(tx *gorm.DB) bool { return tx.Dialector.Name() == db.Postgres }
