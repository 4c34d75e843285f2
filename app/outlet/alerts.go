package outlet

import (
	"context"
	"fmt"
	"time"
)

// Alerts are the warnings the staff console shows on every page while they
// hold: this machine's clock off the branch's (as last seen), and reports
// that the branch does not take. Each is one line, Chinese and English.
func (s *Service) Alerts(ctx context.Context) ([]string, error) {
	var out []string
	clock, err := s.BranchClock(ctx)
	if err != nil {
		return nil, err
	}
	if clock != nil && clock.Off() {
		d := clock.Ahead.Abs().Round(time.Second)
		out = append(out, fmt.Sprintf("本机时钟与分行相差 %s，请校准本机时间 This PC's clock is %s off the branch's: set it right",
			zhDuration(d), d))
	}
	st, err := s.ReporterStatus(ctx)
	if err != nil {
		return nil, err
	}
	if st.Pending > 0 && st.LastError != "" {
		out = append(out, fmt.Sprintf("向分行上报失败，%d 份报告待上报 Reports to the branch are failing, %d waiting: %s",
			st.Pending, st.Pending, st.LastError))
	}
	return out, nil
}
