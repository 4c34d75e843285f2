package auth

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"

	"harbor/models"
)

// User is one console account.
type User struct {
	ID          int64
	Name        string
	Role        string
	Disabled    bool
	CreatedAt   int64
	LastLoginAt *int64
}

// LastLogin returns the last login instant, or the zero time.
func (u User) LastLogin() time.Time {
	if u.LastLoginAt == nil {
		return time.Time{}
	}
	return time.UnixMilli(*u.LastLoginAt)
}

// CheckUserName says what is wrong with a new account name, as EINVALID:
// 2-32 letters (Chinese included), digits, '.', '_' or '-'.
func CheckUserName(name string) error {
	n := utf8.RuneCountInString(name)
	if n < 2 || n > 32 {
		return models.Errorf(models.EINVALID, "账号名需 2-32 个字符 / a user name has 2-32 characters")
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._-", r) {
			return models.Errorf(models.EINVALID, "账号名只能含字母、数字和 . _ - / use letters, digits, '.', '_' or '-'")
		}
	}
	return nil
}

// AddUser creates an account with the given role and password.
func (s *Store) AddUser(ctx context.Context, name, role, password string) (User, error) {
	if err := CheckUserName(name); err != nil {
		return User{}, err
	}
	if !s.ValidRole(role) {
		return User{}, models.Errorf(models.EINVALID, "未知角色 %q，可选 %s / unknown role", truncate(role, 20), strings.Join(s.cfg.Roles, ", "))
	}
	if err := CheckPasswordRules(password); err != nil {
		return User{}, err
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return User{}, err
	}
	u := User{Name: name, Role: role, CreatedAt: s.nowMilli()}
	err = s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Table(s.t.Users).Where("lower(name) = lower(?)", name).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return models.Errorf(models.ECONFLICT, "账号 %q 已存在 / user %q already exists", name, name)
		}
		return tx.Raw(`INSERT INTO `+s.t.Users+`(name, role, password_hash, disabled, created_at)
			VALUES (?, ?, ?, FALSE, ?) RETURNING id`, name, role, hash, u.CreatedAt).Scan(&u.ID).Error
	})
	return u, err
}

// Users lists every account by name.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var out []User
	err := s.db.Read.WithContext(ctx).Raw(`SELECT id, name, role, disabled, created_at, last_login_at
		FROM ` + s.t.Users + ` ORDER BY name`).Scan(&out).Error
	return out, err
}

// UserByName returns the account called name (case-insensitive).
func (s *Store) UserByName(ctx context.Context, name string) (User, error) {
	var out []User
	if err := s.db.Read.WithContext(ctx).Raw(`SELECT id, name, role, disabled, created_at, last_login_at
		FROM `+s.t.Users+` WHERE lower(name) = lower(?)`, name).Scan(&out).Error; err != nil {
		return User{}, err
	}
	if len(out) == 0 {
		return User{}, models.Errorf(models.ENOTFOUND, "没有账号 %q / no user %q", truncate(name, 40), truncate(name, 40))
	}
	return out[0], nil
}

// SetDisabled disables (or re-enables) an account; disabling ends its sessions.
func (s *Store) SetDisabled(ctx context.Context, name string, disabled bool) error {
	return s.updateUser(ctx, name, "disabled = ?", disabled)
}

// SetPassword sets a new password and ends the account's sessions.
func (s *Store) SetPassword(ctx context.Context, name, password string) error {
	if err := CheckPasswordRules(password); err != nil {
		return err
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return err
	}
	return s.updateUser(ctx, name, "password_hash = ?", hash)
}

// updateUser applies set to the named account and ends its sessions.
func (s *Store) updateUser(ctx context.Context, name, set string, value any) error {
	u, err := s.UserByName(ctx, name)
	if err != nil {
		return err
	}
	return s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`UPDATE `+s.t.Users+` SET `+set+` WHERE id = ?`, value, u.ID).Error; err != nil {
			return err
		}
		return tx.Exec(`DELETE FROM `+s.t.Sessions+` WHERE user_id = ?`, u.ID).Error
	})
}

// Login checks name and password from a client at ip. Too many recent
// attempts on the account from ip, or from ip at all, give ERATELIMIT
// before the password is looked at (throttle.go); a wrong name or
// password, or a disabled account, gives EUNAUTHORIZED with the same message.
func (s *Store) Login(ctx context.Context, name, password, ip string) (User, error) {
	u, err := s.checkPassword(ctx, name, password, ip)
	if err != nil {
		return User{}, err
	}
	now := s.nowMilli()
	u.LastLoginAt = &now
	err = s.db.Write.WithContext(ctx).Exec(`UPDATE `+s.t.Users+` SET last_login_at = ? WHERE id = ?`, now, u.ID).Error
	return u, err
}

// ChangePassword is an account holder changing their own password: the
// current one is checked as at login (same throttle), the new one must
// follow the rules and differ from it, and every session of the account
// ends (SetPassword); the caller starts a fresh one for this browser.
func (s *Store) ChangePassword(ctx context.Context, name, current, next, ip string) error {
	if err := CheckPasswordRules(next); err != nil {
		return err
	}
	if next == current {
		return models.Errorf(models.EINVALID, "新密码不能与当前密码相同 / the new password must differ from the current one")
	}
	if _, err := s.checkPassword(ctx, name, current, ip); err != nil {
		if models.ErrorCode(err) == models.EUNAUTHORIZED {
			return models.Errorf(models.EUNAUTHORIZED, "当前密码不对 / the current password is wrong")
		}
		return err
	}
	return s.SetPassword(ctx, name, next)
}

// checkPassword is the throttled credential check of Login and
// ChangePassword (throttle.go). A success forgets the failures of the
// account from this address.
func (s *Store) checkPassword(ctx context.Context, name, password, ip string) (User, error) {
	keys, now := keysOf(name, ip), s.cfg.Now()
	if err := s.beginAttempt(ctx, keys, now); err != nil {
		return User{}, err
	}
	var row struct {
		User
		PasswordHash string
	}
	err := s.db.Read.WithContext(ctx).Raw(`SELECT id, name, role, disabled, created_at, last_login_at, password_hash
		FROM `+s.t.Users+` WHERE lower(name) = lower(?)`, name).Scan(&row).Error
	if err != nil {
		return User{}, err
	}
	hash := row.PasswordHash
	if row.ID == 0 {
		hash = s.dummyHash
	}
	ok, err := s.verifyPassword(password, hash)
	if err != nil {
		return User{}, err
	}
	if !ok || row.ID == 0 || row.Disabled {
		if err := s.recordFailure(ctx, keys, now); err != nil {
			return User{}, err
		}
		return User{}, models.Errorf(models.EUNAUTHORIZED, "账号或密码不对 / wrong user name or password")
	}
	s.attempts.succeeded(keys, now)
	err = s.db.Write.WithContext(ctx).Exec(`DELETE FROM `+s.t.Failures+` WHERE key = ?`, keys.pair).Error
	return row.User, err
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
