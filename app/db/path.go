package db

import (
	"path/filepath"
	"strings"
)

// fileURI is the SQLite URI ("file:...") of the database file at path, as
// the driver opens it with its parameters after a "?". Characters that a
// URI gives a meaning (% ? #) are escaped, so any folder name works. On
// Windows (windows true) backslashes become slashes and a drive path gets
// the leading slash SQLite's URI form wants (file:/C:/ProgramData/...);
// a UNC path \\server\share\... keeps an empty authority (file:////server/...).
func fileURI(path string, windows bool) string {
	path = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	if windows {
		path = strings.ReplaceAll(path, `\`, "/")
		if len(path) >= 2 && path[1] == ':' {
			path = "/" + path
		} else if strings.HasPrefix(path, "//") {
			path = "//" + path
		}
	}
	return "file:" + path
}

// isWindows tells fileURI which path rules apply on this machine.
const isWindows = filepath.Separator == '\\'
