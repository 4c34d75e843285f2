package outlet

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"harbor/models"
)

// The self-check's lines about the branch: enrollment, the clock against
// the branch's, and the reports waiting for it.

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

// checkGateway fails when the running outlet has not pulled from its
// gateway for five minutes (a pull is answered within 25 s).
func (s *Service) checkGateway(ctx context.Context) CheckLine {
	st, err := s.GatewayStatus(ctx)
	switch {
	case err != nil:
		return line("gateway", CheckFail, err.Error(), "")
	case st == nil:
		return line("gateway", CheckSkip, "未设置 no --gateway-url: phones reach only this server", "")
	case st.LastSuccess != nil && s.now().Sub(*st.LastSuccess) < 5*time.Minute:
		return line("gateway", CheckOK, "上次拉取 last pull "+st.LastSuccess.In(s.cfg.Location).Format("15:04:05")+" · "+st.URL, "")
	}
	found := "五分钟内没有拉取成功 no pull in five minutes from " + st.URL
	if st.LastError != "" {
		found += "；最近的问题 last problem: " + st.LastError
	}
	return line("gateway", CheckFail, found, "确认服务在运行、已接入分行，且本机能出站访问 --gateway-url（HTTPS）"+
		" Check that the server runs, is enrolled with the branch, and can reach --gateway-url (outbound HTTPS)")
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
