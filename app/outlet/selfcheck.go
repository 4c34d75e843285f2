package outlet

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"time"

	"gorm.io/gorm"
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
	"gateway":     "公网网关 Public gateway",
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
	for _, name := range []string{"base_url", "branch", "clock", "posters", "reports", "gateway"} {
		out = append(out, line(name, CheckSkip, "需要数据库 needs the database", ""))
	}
	return out
}

// SelfCheck checks, with the database open: that it takes writes, that
// the base URL answers as this outlet, enrollment and the branch, the clock
// against the branch's, the printed posters' version and the reporter's
// backlog, and the pulls from the public gateway. client makes the HTTP
// probes; its Timeout bounds each.
func (s *Service) SelfCheck(ctx context.Context, client *http.Client) []CheckLine {
	branch, reading := s.checkBranch(ctx, client)
	return []CheckLine{s.checkDatabase(ctx), s.checkBaseURL(ctx, client), branch,
		s.checkClock(ctx, reading), s.checkPosters(ctx), s.checkReports(ctx), s.checkGateway(ctx)}
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
