package outlet

import (
	"fmt"
	"path/filepath"

	"gorm.io/gorm"

	"harbor/config"
	"harbor/models"
)

// The outlet's serving settings — its code, time zone and base URL — are
// recorded in its database by the server, so that every command (qr,
// report, push, backup, user, enroll) works with the ones the server serves
// with. A command run in another time zone would relabel days: a report for
// "today" that is already the branch's yesterday un-finalises that day
// there, or is refused as a future day and blocks the outbox. Another code
// or base URL prints posters that lead nowhere. So a --outlet-code,
// --timezone or --base-url (or HARBOR_* variable) that differs from the
// recorded value is refused, unless the server starts with
// --change-settings.
//
// A base URL that was never given is derived from --addr and the machine's
// address at each server start and recorded as derived: it follows the
// machine until one is given.

// Settings keys of the serving settings.
const (
	settingCode           = "outlet_code"
	settingTimeZone       = "timezone"
	settingBaseURL        = "base_url"
	settingBaseURLDerived = "base_url_derived" // "1" when derived, not given
)

// servingSetting is one serving setting being settled at open.
type servingSetting struct {
	key, flag string
	name      string // for messages, e.g. "time zone"
	given     string // the flag's value; "" when not given
	fallback  string // on a first start without the flag
	change    string // what a change on purpose means, for the refusal
}

// settleSettings decides the code, time zone and base URL the outlet works
// with — recorded, given, or first-start defaults — and records them when
// the server opens the database (or any command creates it: fresh). It
// fills s.cfg's TimeZone, Location and BaseURL.
func (s *Service) settleSettings(tx *gorm.DB, fresh bool) error {
	var rows []struct{ Key, Value string }
	if err := tx.Raw(`SELECT key, value FROM settings WHERE key IN (?, ?, ?, ?)`,
		settingCode, settingTimeZone, settingBaseURL, settingBaseURLDerived).Scan(&rows).Error; err != nil {
		return err
	}
	recorded := map[string]string{}
	for _, r := range rows {
		recorded[r.Key] = r.Value
	}
	derive := s.cfg.BaseURL == ""
	if s.cfg.Serving && recorded[settingBaseURLDerived] == "1" {
		delete(recorded, settingBaseURL) // a guess of the last start: derive or take the given one
	}
	codeChange := "print new posters and stickers afterwards: the old ones stop working"
	if link, err := s.Link(); err != nil {
		return err
	} else if link != nil {
		codeChange = "" // the branch knows the outlet by its code
	}
	settings := []servingSetting{
		{settingCode, "--outlet-code", "outlet code", s.cfg.Code, DemoCode, codeChange},
		{settingTimeZone, "--timezone", "time zone", s.cfg.TimeZone, config.DefaultTimeZone,
			"days already recorded keep the dates they were counted under"},
		{settingBaseURL, "--base-url", "base URL", s.cfg.BaseURL, config.DeriveBaseURL(s.cfg.Addr),
			"print new posters and stickers afterwards: the old ones lead to the old address"},
	}
	values := make([]string, len(settings))
	for i, st := range settings {
		v, changed, err := s.settle(recorded, st)
		if err != nil {
			return err
		}
		values[i] = v
		if changed && (s.cfg.Serving || fresh) {
			if err := setSetting(tx, st.key, v); err != nil {
				return err
			}
		}
	}
	if s.cfg.Serving || fresh {
		flag := "0"
		if derive {
			flag = "1"
		}
		if err := setSetting(tx, settingBaseURLDerived, flag); err != nil {
			return err
		}
	}
	tz, base := values[1], values[2]
	loc, err := config.LoadTimeZone(tz)
	if err != nil {
		return fmt.Errorf("recorded time zone: %w", err)
	}
	s.cfg.TimeZone, s.cfg.Location, s.cfg.BaseURL = tz, loc, base
	return nil
}

// settle returns the value of one setting and whether it differs from the
// recorded one, or refuses (ECONFLICT) a given value that contradicts the
// record.
func (s *Service) settle(recorded map[string]string, st servingSetting) (string, bool, error) {
	old, ok := recorded[st.key]
	switch {
	case !ok && st.given == "":
		return st.fallback, true, nil
	case !ok:
		return st.given, true, nil
	case st.given == "" || st.given == old:
		return old, false, nil
	case s.cfg.Serving && s.cfg.ChangeSettings && st.change != "":
		return st.given, true, nil
	}
	db := filepath.Join(s.cfg.DataDir, DBFile)
	msg := fmt.Sprintf("%s %s differs from this outlet's %s %s, recorded in %s and used by every command: leave %s out (and %s unset)",
		st.flag, st.given, st.name, old, db, st.flag, config.EnvName(st.flag[2:]))
	if st.change == "" {
		return "", false, models.Errorf(models.ECONFLICT, "%s. The outlet is enrolled with its branch as %s: to change its code, register it under the new code at the branch and enroll again", msg, old)
	}
	return "", false, models.Errorf(models.ECONFLICT, "%s. To change it on purpose, start the server with %s %s --change-settings (%s)",
		msg, st.flag, st.given, st.change)
}
