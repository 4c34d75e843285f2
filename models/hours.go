package models

import (
	"strings"
	"time"
	"unicode"
)

// Schedule is a station's opening hours as read from the free text its
// manager typed, e.g. "周一至周五 8:30-17:00，周六日 9:00-16:00". Text it
// cannot read (or that mentions holidays, which it cannot know) gives an
// unknown schedule, and the directory then says nothing about open/closed.
type Schedule struct {
	rules []hoursRule
}

// hoursRule opens the station on days between from and to, in minutes
// since midnight; to <= from runs past midnight into the next day.
type hoursRule struct {
	days     [7]bool // by time.Weekday
	from, to int
}

// Known reports whether the hours could be read.
func (s Schedule) Known() bool { return len(s.rules) > 0 }

// OpenAt reports whether the station is open at t (in its time zone), and
// whether that is known at all.
func (s Schedule) OpenAt(t time.Time) (open, known bool) {
	if !s.Known() {
		return false, false
	}
	m, wd := t.Hour()*60+t.Minute(), t.Weekday()
	prev := (wd + 6) % 7
	for _, r := range s.rules {
		switch {
		case r.from < r.to:
			open = r.days[wd] && m >= r.from && m < r.to
		default: // past midnight
			open = r.days[wd] && m >= r.from || r.days[prev] && m < r.to
		}
		if open {
			return true, true
		}
	}
	return false, true
}

// OpenMinutes counts the minutes of the hour starting at hourStart during
// which the station is open; 0 when the schedule is unknown.
func (s Schedule) OpenMinutes(hourStart time.Time) int {
	n := 0
	for m := range 60 {
		if open, _ := s.OpenAt(hourStart.Add(time.Duration(m) * time.Minute)); open {
			n++
		}
	}
	return n
}

var weekdayChars = map[rune]time.Weekday{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '日': 0, '天': 0, '七': 0}

// ParseHours reads opening hours: day words (周一至周五, 周六日, 星期一、三,
// 每天, 工作日, 周末) each followed by time ranges (8:30-17:00, 9点-17点,
// 下午2:00-5:30, 24小时). Ranges before any day word hold every day.
func ParseHours(text string) Schedule {
	p := &hoursParser{src: []rune(normalizeHours(text))}
	for p.i < len(p.src) && !p.unknown {
		if !p.dayWords() && !p.weekdays() && !p.allDay() && !p.timeRange() {
			p.i++
		}
	}
	if p.unknown {
		return Schedule{}
	}
	return Schedule{rules: p.rules}
}

// normalizeHours turns full-width digits and punctuation into ASCII.
func normalizeHours(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '：':
			return ':'
		case strings.ContainsRune("－—–~～", r):
			return '-'
		}
		return r
	}, s)
}

type hoursParser struct {
	src      []rune
	i        int
	days     [7]bool
	haveDays bool // a day word since the last time range
	usedDays bool // the current days already have a time range
	pm       bool // 下午/晚上: the next times are afternoon
	rules    []hoursRule
	unknown  bool
}

// take consumes word at the cursor.
func (p *hoursParser) take(word string) bool {
	w := []rune(word)
	if p.i+len(w) > len(p.src) || string(p.src[p.i:p.i+len(w)]) != word {
		return false
	}
	p.i += len(w)
	return true
}

func (p *hoursParser) takeAny(words ...string) bool {
	for _, w := range words {
		if p.take(w) {
			return true
		}
	}
	return false
}

// addDays adds days to the current set, starting a new set after a time range.
func (p *hoursParser) addDays(days ...time.Weekday) {
	if p.usedDays {
		p.days, p.usedDays = [7]bool{}, false
	}
	for _, d := range days {
		p.days[d] = true
	}
	p.haveDays = true
}

// dayWords reads words naming several days, and gives up on holidays.
func (p *hoursParser) dayWords() bool {
	switch {
	case p.takeAny("节假日", "法定", "假期", "节日", "春节", "国庆"):
		p.unknown = true
	case p.takeAny("每天", "每日", "天天", "全周", "全年"):
		p.addDays(0, 1, 2, 3, 4, 5, 6)
	case p.take("工作日"):
		p.addDays(1, 2, 3, 4, 5)
	case p.takeAny("周末", "双休日"):
		p.addDays(6, 0)
	case p.takeAny("下午", "晚上", "傍晚"):
		p.pm = true
	case p.takeAny("上午", "早上", "中午"):
		p.pm = false
	default:
		return false
	}
	return true
}

// weekdays reads 周一, 星期三, 周一至周五, 周一至五, 周六日, 周一、三、五.
func (p *hoursParser) weekdays() bool {
	if !p.takeAny("周", "星期", "礼拜") {
		return false
	}
	first, ok := p.weekdayChar()
	if !ok {
		return true // a lone 周: skip it
	}
	p.addDays(first)
	for {
		start := p.i
		if p.takeAny("至", "到", "-") {
			p.takeAny("周", "星期", "礼拜")
			if last, ok := p.weekdayChar(); ok {
				p.addRange(first, last)
				continue
			}
		} else {
			p.takeAny("、", ",", "，", "和", "及", "与")
			p.takeAny("周", "星期", "礼拜")
			if d, ok := p.weekdayChar(); ok {
				p.addDays(d)
				first = d
				continue
			}
		}
		p.i = start
		return true
	}
}

func (p *hoursParser) weekdayChar() (time.Weekday, bool) {
	if p.i < len(p.src) {
		if d, ok := weekdayChars[p.src[p.i]]; ok {
			p.i++
			return d, true
		}
	}
	return 0, false
}

// addRange adds the days first..last (Monday-first, wrapping round).
func (p *hoursParser) addRange(first, last time.Weekday) {
	mon := func(d time.Weekday) int { return (int(d) + 6) % 7 } // Monday 0 .. Sunday 6
	for i := mon(first); ; i = (i + 1) % 7 {
		p.addDays(time.Weekday((i + 1) % 7))
		if i == mon(last) {
			return
		}
	}
}

// allDay reads 24小时 and 全天.
func (p *hoursParser) allDay() bool {
	if !p.takeAny("24小时", "24h", "24H", "全天") {
		return false
	}
	p.addRule(0, 24*60)
	return true
}

// addRule opens the current days (every day if none was named) from..to.
func (p *hoursParser) addRule(from, to int) {
	days := p.days
	if !p.haveDays {
		days = [7]bool{true, true, true, true, true, true, true}
	}
	p.rules = append(p.rules, hoursRule{days: days, from: from, to: to})
	p.usedDays = true
}

// timeRange reads H:MM-H:MM, H点-H点 or H-H点 (and 下午 forms).
func (p *hoursParser) timeRange() bool {
	start := p.i
	from, markedFrom, ok := p.clock()
	if ok {
		p.skipSpaces()
		if p.takeAny("-", "至", "到") {
			p.skipSpaces()
			if to, markedTo, ok := p.clock(); ok && (markedFrom || markedTo) {
				if p.pm {
					from, to = afternoon(from), afternoon(to)
				}
				p.addRule(from, to)
				return true
			}
		}
	}
	p.i = start
	return false
}

// clock reads H, H:MM, H点, H点MM分 or H点半 as minutes since midnight;
// marked tells whether it had a ':' or 点 (a bare number is not a time alone).
func (p *hoursParser) clock() (minutes int, marked, ok bool) {
	h, ok := p.number(2)
	if !ok || h > 24 {
		return 0, false, false
	}
	m := 0
	switch {
	case p.take(":"):
		if m, ok = p.number(2); !ok || m > 59 {
			return 0, false, false
		}
		marked = true
	case p.takeAny("点", "时"):
		marked = true
		if p.take("半") {
			m = 30
		} else if n, ok := p.number(2); ok && n <= 59 {
			m = n
			p.take("分")
		}
	}
	if h*60+m > 24*60 {
		return 0, false, false
	}
	return h*60 + m, marked, true
}

// number reads up to max digits.
func (p *hoursParser) number(max int) (int, bool) {
	n, digits := 0, 0
	for p.i < len(p.src) && digits < max && unicode.IsDigit(p.src[p.i]) && p.src[p.i] < 128 {
		n = n*10 + int(p.src[p.i]-'0')
		p.i++
		digits++
	}
	return n, digits > 0
}

func (p *hoursParser) skipSpaces() {
	for p.i < len(p.src) && unicode.IsSpace(p.src[p.i]) {
		p.i++
	}
}

// afternoon moves a morning time to the afternoon (下午2:00 is 14:00).
func afternoon(m int) int {
	if m < 12*60 {
		return m + 12*60
	}
	return m
}
