package scoring

import (
	"fmt"
	"strconv"
	"strings"

	"harbor/models"
)

// Centi is a decimal with two places kept as a count of hundredths: 87.35
// points are Centi(8735), a target of 3.5 check-ins an hour Centi(350).
// Scores are integers so that every machine computes the same ones (Go may
// fuse floating-point operations differently on amd64 and arm64), and so
// that ties are exact.
type Centi int64

// maxCenti bounds what ParseCenti accepts: ten billion.
const maxCenti = Centi(1e12)

// String writes c with two decimals: "87.35", "-3.50", "0.00".
func (c Centi) String() string {
	sign, v := "", int64(c)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// Short writes c without trailing zeros: "87.35", "3.5", "100".
func (c Centi) Short() string {
	s := c.String()
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// MarshalJSON writes c as a JSON number with two decimals.
func (c Centi) MarshalJSON() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalJSON reads a JSON number with at most two decimals.
func (c *Centi) UnmarshalJSON(b []byte) error {
	v, err := ParseCenti(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// ParseCenti reads a decimal with at most two places ("3", "3.5", "-1.25",
// "1,000.00"), as typed in a form or written in JSON.
func ParseCenti(s string) (Centi, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(t, "-")
	whole, frac, dotted := strings.Cut(t, ".")
	bad := models.Errorf(models.EINVALID, "%q 不是最多两位小数的数 / %q is not a number with at most two decimals",
		clip(s), clip(s))
	if whole == "" || len(frac) > 2 || (dotted && frac == "") || !digits(whole) || !digits(frac) || len(whole) > 11 {
		return 0, bad
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt(frac+strings.Repeat("0", 2-len(frac)), 10, 64)
	v := Centi(w*100 + f)
	if v > maxCenti {
		return 0, bad
	}
	if neg {
		v = -v
	}
	return v, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// clip keeps an echoed input short.
func clip(s string) string {
	if r := []rune(s); len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return s
}

// Yuan writes an amount in fen as yuan with thousands separators:
// 123456 is "1,234.56".
func Yuan(fen int64) string {
	s := Centi(fen).String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String() + "." + frac
	if neg {
		return "-" + out
	}
	return out
}
