package branch

import (
	"database/sql"

	"gorm.io/gorm"
)

// eachRow runs query and calls scan for every row. The queries that return
// a row per outlet (14,000 at a national branch) use it rather than GORM's
// Scan, whose reflection cost several microseconds per row.
func eachRow(tx *gorm.DB, scan func(*sql.Rows) error, query string, args ...any) error {
	rows, err := tx.Raw(query, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
