package models

import (
	"unicode"
	"unicode/utf8"
)

// PlainText reports whether s is valid UTF-8 without control characters
// (tabs and line breaks included): the rule for every name and text an
// outlet sends its branch, checked where it is typed and again at ingest.
func PlainText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
