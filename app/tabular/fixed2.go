package tabular

import "strconv"

// Fixed2 is a number kept in hundredths (fen, or points to 0.01) and
// shown with two decimals: "1234.56" in CSV, and in a workbook the number
// with a "#,##0.00" format, exact to the hundredth.
type Fixed2 int64

func (x Fixed2) String() string {
	s := strconv.FormatInt(int64(x), 10)
	neg := x < 0
	if neg {
		s = s[1:]
	}
	for len(s) < 3 {
		s = "0" + s
	}
	s = s[:len(s)-2] + "." + s[len(s)-2:]
	if neg {
		return "-" + s
	}
	return s
}
