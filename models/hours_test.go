package models

import (
	"testing"
	"time"
)

func TestParseHours(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	at := func(day, hm string) time.Time { // 2026-11-23 is a Monday
		t, _ := time.ParseInLocation("2006-01-02 15:04", day+" "+hm, sh)
		return t
	}
	mon, wed, sat, sun := "2026-11-23", "2026-11-25", "2026-11-28", "2026-11-29"
	cases := []struct {
		text     string
		when     time.Time
		open, ok bool
	}{
		{"周一至周五 8:30-17:00", at(wed, "10:00"), true, true},
		{"周一至周五 8:30-17:00", at(wed, "17:00"), false, true},
		{"周一至周五 8:30-17:00", at(sat, "10:00"), false, true},
		{"周一至周五 8:30-17:00，周六日 9:00-16:00", at(sun, "15:59"), true, true},
		{"周一至周五 8:30-17:00，周六日 9:00-16:00", at(mon, "08:29"), false, true},
		{"周一至周五8:30-12:00 14:00-17:30", at(wed, "13:00"), false, true},
		{"周一至周五8:30-12:00 14:00-17:30", at(wed, "14:30"), true, true},
		{"每天 8:00-18:00", at(sun, "08:00"), true, true},
		{"8:30—17:30", at(sat, "12:00"), true, true},
		{"星期一、三、五 9点-17点", at(wed, "09:00"), true, true},
		{"星期一、三、五 9点-17点", at(sat, "10:00"), false, true},
		{"工作日 上午9:00-12:00 下午2:00-5:30", at(wed, "17:00"), true, true},
		{"工作日 上午9:00-12:00 下午2:00-5:30", at(wed, "12:30"), false, true},
		{"周末 10:00-16:00", at(sat, "11:00"), true, true},
		{"24小时", at(sun, "03:00"), true, true},
		{"每天 22:00-06:00", at(wed, "02:00"), true, true},
		{"周五 22:00-06:00", at(sat, "05:00"), true, true},
		{"周五 22:00-06:00", at(sun, "05:00"), false, true},
		{"周一至周五 ９：００－１７：００", at(wed, "10:00"), true, true},
		{"周一至周五 8:30-17:00，节假日除外", at(wed, "10:00"), false, false},
		{"营业时间以网点公告为准", at(wed, "10:00"), false, false},
		{"", at(wed, "10:00"), false, false},
	}
	for _, c := range cases {
		open, ok := ParseHours(c.text).OpenAt(c.when)
		if open != c.open || ok != c.ok {
			t.Errorf("%q at %s: open %v known %v, want %v %v", c.text, c.when.Format("Mon 15:04"), open, ok, c.open, c.ok)
		}
	}
}

// FuzzParseHours: no text a manager types makes the hours reader panic,
// and a schedule it reads answers for any time.
func FuzzParseHours(f *testing.F) {
	for _, seed := range []string{"周一至周五 8:30-17:00，周六日 9:00-16:00", "每天 22:00-06:00", "24小时", "星期一、三、五 9点半-17点",
		"工作日 下午2:00-5:30", "周", "周一至", "99:99-88:88", "８：３０－", ""} {
		f.Add(seed)
	}
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		s := ParseHours(text)
		for h := 0; h < 48; h++ {
			if _, known := s.OpenAt(at.Add(time.Duration(h) * time.Hour)); known != s.Known() {
				t.Fatalf("%q: known changes with the time", text)
			}
		}
	})
}
