package outlet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"time"

	"gorm.io/gorm"

	"harbor/models"
)

// The self-check is what 'harbor outlet check' prints and the staff
// console's 自检 Self-check page shows: one line per condition that an
// installer or the staff can put right, saying what was found and, when
// it fails, what to do, in Chinese and English.

// Statuses of a self-check line.
const (
	CheckOK   = "ok"
	CheckFail = "fail"
	CheckSkip = "skip" // cannot be checked because of an earlier failure
)

// CheckLine is one line of the self-check.
type CheckLine struct {
	Name   string `json:"name"` // data_folder, disk, database, base_url, branch, clock, posters, reports
	Status string `json:"status"`
	Label  string `json:"label"`
	Found  string `json:"found"`
	Fix    string `json:"fix,omitempty"`
}

// Failed reports whether any line failed.
func Failed(lines []CheckLine) bool {
	for _, l := range lines {
		if l.Status == CheckFail {
			return true
		}
	}
	return false
}

// MinFreeSpace is the disk space the data folder's disk should keep free:
// room for months of check-ins, the logs and a backup.
const MinFreeSpace = 512 << 20

var checkLabels = map[string]string{
	"data_folder": "数据目录 Data folder",
	"disk":        "磁盘空间 Disk space",
	"database":    "数据库 Database",
	"base_url":    "访问地址 Base URL",
	"branch":      "分行连接 Branch",
	"clock":       "时钟 Clock",
	"posters":     "海报 Posters",
	"reports":     "上报 Reports",
}

func line(name, status, found, fix string) CheckLine {
	return CheckLine{Name: name, Status: status, Label: checkLabels[name], Found: found, Fix: fix}
}

// onWindows picks the hint that fits this machine.
func onWindows(windows, other string) string {
	if runtime.GOOS == "windows" {
		return windows
	}
	return other
}

// CheckDataFolder checks, before the database is opened, that the data
// folder exists, that this process can write in it, and that its disk has
// room.
func CheckDataFolder(dir string) []CheckLine {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return []CheckLine{
			line("data_folder", CheckFail, "找不到数据目录 no data folder at "+dir,
				"先启动一次 harbor outlet，或用 --data-dir 指定数据目录 Start 'harbor outlet' once, or give --data-dir"),
			line("disk", CheckSkip, "没有数据目录 no data folder", "")}
	}
	folder := line("data_folder", CheckOK, "可写 writable: "+dir, "")
	if err := probeWrite(dir); err != nil {
		folder = line("data_folder", CheckFail, "不可写 cannot write in "+dir+": "+err.Error(),
			onWindows("让服务账户（LocalSystem）和管理员对此文件夹有写权限 Give the service account (LocalSystem) and Administrators write access to the folder",
				"让运行 harbor 的账户有写权限，如 chown -R harbor:harbor "+dir+" Give the account harbor runs as write access, e.g. chown -R harbor:harbor "+dir))
	}
	free, err := freeSpace(dir)
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		return []CheckLine{folder, line("disk", CheckSkip, "此系统不检查 not measured on this OS", "")}
	case err != nil:
		return []CheckLine{folder, line("disk", CheckFail, "无法读取 cannot measure: "+err.Error(), "检查磁盘 Check the disk")}
	case free < MinFreeSpace:
		return []CheckLine{folder, line("disk", CheckFail, fmt.Sprintf("仅剩 only %d MB free", free>>20),
			fmt.Sprintf("清理磁盘，至少留出 %d MB Free disk space: keep at least %d MB", MinFreeSpace>>20, MinFreeSpace>>20))}
	}
	return []CheckLine{folder, line("disk", CheckOK, fmt.Sprintf("剩余 %.1f GB free", float64(free)/(1<<30)), "")}
}

// probeWrite writes, flushes and removes a file in dir.
func probeWrite(dir string) error {
	f, err := os.CreateTemp(dir, ".harbor-check-*")
	if err != nil {
		return err
	}
	_, err = f.WriteString("harbor self-check\n")
	if err == nil {
		err = f.Sync()
	}
	f.Close()
	if rmErr := os.Remove(f.Name()); err == nil {
		err = rmErr
	}
	return err
}

// CheckWithoutDatabase are the lines after the database would not open:
// that failure, and the rest skipped.
func CheckWithoutDatabase(err error) []CheckLine {
	out := []CheckLine{line("database", CheckFail, "打不开 cannot open: "+err.Error(),
		"先解决数据目录的问题；数据库文件若已损坏，从备份恢复 Fix the data folder first; restore a backup if the file is damaged")}
	for _, name := range []string{"base_url", "branch", "clock", "posters", "reports"} {
		out = append(out, line(name, CheckSkip, "需要数据库 needs the database", ""))
	}
	return out
}

// SelfCheck checks, with the database open: that it takes writes, that
// the base URL answers as this outlet, enrollment and the branch, the clock
// against the branch's, the printed posters' version and the reporter's
// backlog. client makes the HTTP probes; its Timeout bounds each.
func (s *Service) SelfCheck(ctx context.Context, client *http.Client) []CheckLine {
	branch, reading := s.checkBranch(ctx, client)
	return []CheckLine{s.checkDatabase(ctx), s.checkBaseURL(ctx, client), branch,
		s.checkClock(ctx, reading), s.checkPosters(ctx), s.checkReports(ctx)}
}

// checkDatabase makes a write that it rolls back.
func (s *Service) checkDatabase(ctx context.Context) CheckLine {
	probe := errors.New("probe")
	err := s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`UPDATE settings SET value = value WHERE key = 'secret'`).Error; err != nil {
			return err
		}
		return probe
	})
	if !errors.Is(err, probe) {
		return line("database", CheckFail, "不能写入 takes no writes: "+fmt.Sprint(err),
			"检查数据目录和数据库文件的权限及磁盘空间 Check the permissions of the data folder and its files, and the free space")
	}
	return line("database", CheckOK, "可写 takes writes: "+s.db.Path, "")
}

// checkBaseURL asks the base URL's /healthz whether this outlet answers there.
func (s *Service) checkBaseURL(ctx context.Context, client *http.Client) CheckLine {
	base := s.cfg.BaseURL
	fix := fmt.Sprintf("确认 harbor outlet 正在运行、--base-url（HARBOR_BASE_URL）是本机的局域网地址、防火墙放行该端口 "+
		"Make sure the outlet runs, --base-url (HARBOR_BASE_URL) is this PC's LAN address and the firewall lets its port in (now %s)", base)
	if u, err := url.Parse(base); err == nil && isLoopback(u.Hostname()) {
		return line("base_url", CheckFail, "指向本机回环地址，手机无法访问 points at this machine only: phones cannot reach "+base,
			"把 --base-url（HARBOR_BASE_URL）设为本机的局域网地址，如 http://10.20.1.5:8080 Set --base-url (HARBOR_BASE_URL) to this PC's LAN address, e.g. http://10.20.1.5:8080")
	}
	var health struct{ Role, Outlet string }
	if _, err := getJSON(ctx, client, base+"/healthz", &health); err != nil {
		return line("base_url", CheckFail, "访问失败 "+base+" failed: "+err.Error(), fix)
	}
	if code := s.Profile().Code; health.Role != "outlet" || health.Outlet != code {
		return line("base_url", CheckFail, fmt.Sprintf("应答的不是本网点 %s answers as %s %q, not outlet %s", base, health.Role, health.Outlet, code), fix)
	}
	return line("base_url", CheckOK, "本网点在此应答 this outlet answers at "+base, "")
}

// checkBranch checks the enrollment and asks the branch's /healthz; the
// answer's Date header gives the branch's clock.
func (s *Service) checkBranch(ctx context.Context, client *http.Client) (CheckLine, *ClockReading) {
	link, err := s.Link()
	if err != nil {
		return line("branch", CheckFail, err.Error(), "重新接入 Enroll again: harbor outlet enroll --branch URL --code CODE"), nil
	}
	if link == nil {
		return line("branch", CheckFail, "未接入分行 not enrolled with a branch",
			"向分行索取接入码后运行 Get an enrollment code from the branch, then: harbor outlet enroll --branch URL --code CODE"), nil
	}
	var health struct{ Role string }
	date, err := getJSON(ctx, client, link.BranchURL+"/healthz", &health)
	reading := s.noteBranchClock(ctx, date)
	if err != nil || health.Role != "branch" {
		if err == nil {
			err = fmt.Errorf("answers as %q, not as a branch", health.Role)
		}
		return line("branch", CheckFail, fmt.Sprintf("连不上分行 cannot reach the branch at %s: %v", link.BranchURL, err),
			"检查本机到分行的网络及分行服务；报告会保留并在恢复后补发 Check the network path to the branch and that it runs; reports wait and go when it is back"), reading
	}
	return line("branch", CheckOK, fmt.Sprintf("已接入 enrolled as %s，分行应答 the branch answers at %s", link.Outlet, link.BranchURL), ""), reading
}

// checkClock compares with the branch's clock: just now, or as last seen.
func (s *Service) checkClock(ctx context.Context, now *ClockReading) CheckLine {
	c, when := now, ""
	if c == nil {
		last, err := s.BranchClock(ctx)
		if err != nil || last == nil {
			return line("clock", CheckSkip, "分行尚未应答，无法比较 no answer from the branch to compare with", "")
		}
		c = last
		when = "（" + last.At.In(s.cfg.Location).Format("2006-01-02 15:04") + " 时 as seen then）"
	}
	zh, en := zhDuration(c.Ahead), c.Ahead.Abs().Round(time.Second).String()
	if !c.Off() {
		return line("clock", CheckOK, fmt.Sprintf("与分行相差 %s within %s of the branch's clock%s", zh, en, when), "")
	}
	found := fmt.Sprintf("本机比分行快 %s this PC's clock is %s ahead of the branch's%s", zh, en, when)
	if c.Ahead < 0 {
		found = fmt.Sprintf("本机比分行慢 %s this PC's clock is %s behind the branch's%s", zh, en, when)
	}
	return line("clock", CheckFail, found,
		onWindows("校准本机时间：设置 > 时间和语言 > 立即同步 Set the clock: Settings > Time & language > Sync now",
			"校准本机时间：timedatectl set-ntp true，或请 IT 配置 NTP Set the clock: timedatectl set-ntp true, or ask IT for NTP")+
			"；相差超过 5 分钟时分行拒收报告 — beyond 5 minutes the branch refuses reports")
}

// checkPosters compares the last printed posters' version with the current one.
func (s *Service) checkPosters(ctx context.Context) CheckLine {
	current := s.Profile().PosterVersion
	printed, err := s.PostersPrinted(ctx)
	switch {
	case err != nil:
		return line("posters", CheckFail, err.Error(), "")
	case printed == nil:
		return line("posters", CheckFail, "没有打印记录 no printed posters recorded",
			"负责人在工作台“海报”页打印网点海报和贴纸 A manager prints the station poster and stickers on the console's Posters page")
	case printed.Version < current:
		return line("posters", CheckFail, fmt.Sprintf("已打印第 %d 版，当前为第 %d 版 printed version %d, current %d: old posters count nothing",
			printed.Version, current, printed.Version, current),
			"在“海报”页打印新海报并换下旧海报 Print the new posters on the Posters page and take the old ones down")
	}
	return line("posters", CheckOK, fmt.Sprintf("当前第 %d 版，%s 打印 version %d, printed %s", current,
		printed.At.In(s.cfg.Location).Format("2006-01-02"), current, printed.At.In(s.cfg.Location).Format("2006-01-02")), "")
}

// checkReports fails while deliveries fail or a report older than
// yesterday waits.
func (s *Service) checkReports(ctx context.Context) CheckLine {
	st, err := s.ReporterStatus(ctx)
	if err != nil {
		return line("reports", CheckFail, err.Error(), "")
	}
	if !st.Enrolled {
		return line("reports", CheckSkip, "未接入分行 not enrolled", "")
	}
	today, _ := models.LocalDay(s.now(), s.cfg.Location)
	found := fmt.Sprintf("待上报 %d 份 %d pending", st.Pending, st.Pending)
	if st.OldestDay != "" {
		found += "，最早 oldest " + st.OldestDay
	}
	if st.Pending > 0 && (st.LastError != "" || st.OldestDay < models.AddDays(today, -1)) {
		if st.LastError != "" {
			found += "；最近的问题 last problem: " + st.LastError
		}
		return line("reports", CheckFail, found,
			"检查与分行的连接；运行 harbor outlet push 立即重试并显示原因 Check the link to the branch; 'harbor outlet push' retries now and says why")
	}
	return line("reports", CheckOK, found, "")
}

// getJSON gets target and decodes a 200 answer into out; it also returns
// the answer's Date (zero without one).
func getJSON(ctx context.Context, client *http.Client, target string, out any) (time.Time, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return time.Time{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return time.Time{}, err
	}
	defer resp.Body.Close()
	date := answerDate(resp)
	if resp.StatusCode != http.StatusOK {
		return date, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxAnswer)).Decode(out); err != nil {
		return date, fmt.Errorf("not harbor's answer: %v", err)
	}
	return date, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// zhDuration says a clock difference in Chinese: "5 分 3 秒".
func zhDuration(d time.Duration) string {
	d = d.Abs().Round(time.Second)
	m, sec := int(d/time.Minute), int(d%time.Minute/time.Second)
	if m > 0 {
		return fmt.Sprintf("%d 分 %d 秒", m, sec)
	}
	return fmt.Sprintf("%d 秒", sec)
}
