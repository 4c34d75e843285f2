package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"harbor/models"
)

// Errors a session lookup gives; both are EUNAUTHORIZED.
var (
	ErrNoSession = models.Errorf(models.EUNAUTHORIZED, "请先登录 / please log in")
	ErrExpired   = models.Errorf(models.EUNAUTHORIZED, "登录已超时，请重新登录 / your session expired: please log in again")
)

// Session is a logged-in browser's server-side session. (Before login a
// browser has no session: its login form carries a LoginToken.)
type Session struct {
	// Token is the cookie value. It is only known right after the session
	// was started: the database keeps its SHA-256.
	Token     string
	CSRF      string
	User      *User
	CreatedAt int64
	LastSeen  int64
}

// LoggedIn reports whether the session belongs to an account.
func (s Session) LoggedIn() bool { return s.User != nil }

// CheckCSRF reports whether token is this session's CSRF token.
func (s Session) CheckCSRF(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.CSRF)) == 1
}

// MaxSessionsPerUser bounds an account's live sessions: a login beyond it
// ends the account's oldest. Sessions are only made by logins, which are
// throttled, so the table stays as small as the accounts.
const MaxSessionsPerUser = 20

// StartSession starts a session for u with a fresh id and CSRF token, and
// ends the session it replaces, if any: the id changes on login.
func (s *Store) StartSession(ctx context.Context, u User, replaces string) (Session, error) {
	now := s.nowMilli()
	sess := Session{Token: randomSecret(32), CSRF: randomSecret(32), User: &u, CreatedAt: now, LastSeen: now}
	err := s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if replaces != "" {
			if err := tx.Exec(`DELETE FROM `+s.t.Sessions+` WHERE id_hash = ?`, digest(replaces)).Error; err != nil {
				return err
			}
		}
		// Forget sessions that can no longer be used (both columns indexed).
		if err := tx.Exec(`DELETE FROM `+s.t.Sessions+` WHERE last_seen < ? OR created_at < ?`,
			now-s.cfg.IdleTimeout.Milliseconds(), now-MaxSessionAge.Milliseconds()).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO `+s.t.Sessions+`(id_hash, user_id, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?)`,
			digest(sess.Token), u.ID, sess.CSRF, now, now).Error; err != nil {
			return err
		}
		return tx.Exec(`DELETE FROM `+s.t.Sessions+` WHERE user_id = ? AND id_hash NOT IN (
			SELECT id_hash FROM `+s.t.Sessions+` WHERE user_id = ? ORDER BY created_at DESC LIMIT ?)`,
			u.ID, u.ID, MaxSessionsPerUser).Error
	})
	return sess, err
}

// LoginFormAge is how long a login form's token stays good.
const LoginFormAge = MaxSessionAge

// LoginToken is the CSRF token of a login form shown to the browser whose
// login cookie holds nonce: "<unix seconds>.<HMAC>", keyed with a secret
// of this process, so that showing the form stores nothing. A token made
// for another browser's nonce (a forged cross-site login) does not check.
func (s *Store) LoginToken(nonce string) string {
	t := strconv.FormatInt(s.cfg.Now().Unix(), 10)
	return t + "." + s.loginMAC(nonce, t)
}

// CheckLoginToken reports whether token is a LoginToken for nonce made in
// the last LoginFormAge with the store's login key (Config.LoginKey).
func (s *Store) CheckLoginToken(nonce, token string) bool {
	t, mac, ok := strings.Cut(token, ".")
	made, err := strconv.ParseInt(t, 10, 64)
	if !ok || err != nil || nonce == "" || len(nonce) > 100 {
		return false
	}
	age := s.cfg.Now().Sub(time.Unix(made, 0))
	return age >= -time.Minute && age <= LoginFormAge &&
		hmac.Equal([]byte(mac), []byte(s.loginMAC(nonce, t)))
}

func (s *Store) loginMAC(nonce, t string) string {
	m := hmac.New(sha256.New, s.loginKey)
	m.Write([]byte("login\x00" + nonce + "\x00" + t))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// NewLoginNonce is a fresh value for a browser's login cookie.
func NewLoginNonce() string { return randomSecret(16) }

// Session returns the live session whose cookie value is token: ErrNoSession
// when there is none, ErrExpired (and the session is ended) when it was idle
// too long or is older than MaxSessionAge. touch records the use, so that
// the idle time starts again; a page refreshing itself does not touch.
func (s *Store) Session(ctx context.Context, token string, touch bool) (Session, error) {
	if token == "" || len(token) > 100 {
		return Session{}, ErrNoSession
	}
	var rows []struct {
		CSRF      string
		CreatedAt int64
		LastSeen  int64
		UserID    *int64
		Name      *string
		Role      *string
		Disabled  *bool
	}
	err := s.db.Read.WithContext(ctx).Raw(`SELECT s.csrf, s.created_at, s.last_seen, s.user_id, u.name, u.role, u.disabled
		FROM `+s.t.Sessions+` s LEFT JOIN `+s.t.Users+` u ON u.id = s.user_id WHERE s.id_hash = ?`, digest(token)).Scan(&rows).Error
	if err != nil {
		return Session{}, err
	}
	if len(rows) == 0 {
		return Session{}, ErrNoSession
	}
	r := rows[0]
	now := s.nowMilli()
	if now-r.LastSeen > s.cfg.IdleTimeout.Milliseconds() || now-r.CreatedAt > MaxSessionAge.Milliseconds() {
		if err := s.EndSession(ctx, token); err != nil {
			return Session{}, err
		}
		return Session{}, ErrExpired
	}
	if r.UserID == nil || r.Name == nil || *r.Disabled { // a pre-login row of an older version, or a gone account
		return Session{}, ErrNoSession
	}
	sess := Session{CSRF: r.CSRF, CreatedAt: r.CreatedAt, LastSeen: r.LastSeen,
		User: &User{ID: *r.UserID, Name: *r.Name, Role: *r.Role}}
	if touch && now-r.LastSeen >= touchEvery.Milliseconds() {
		sess.LastSeen = now
		err = s.db.Write.WithContext(ctx).Exec(`UPDATE `+s.t.Sessions+` SET last_seen = ? WHERE id_hash = ?`, now, digest(token)).Error
	}
	return sess, err
}

// EndSession ends the session whose cookie value is token (logout).
func (s *Store) EndSession(ctx context.Context, token string) error {
	return s.db.Write.WithContext(ctx).Exec(`DELETE FROM `+s.t.Sessions+` WHERE id_hash = ?`, digest(token)).Error
}
