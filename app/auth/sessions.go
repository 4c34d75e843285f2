package auth

import (
	"context"
	"crypto/subtle"

	"gorm.io/gorm"

	"harbor/models"
)

// Errors a session lookup gives; both are EUNAUTHORIZED.
var (
	ErrNoSession = models.Errorf(models.EUNAUTHORIZED, "请先登录 / please log in")
	ErrExpired   = models.Errorf(models.EUNAUTHORIZED, "登录已超时，请重新登录 / your session expired: please log in again")
)

// Session is a browser's server-side session. Before login it only carries
// the login form's CSRF token; User is nil.
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

// StartAnonymous starts a session for a browser on the login form.
func (s *Store) StartAnonymous(ctx context.Context) (Session, error) {
	return s.start(ctx, nil, "")
}

// StartSession starts a session for u with a fresh id and CSRF token, and
// ends the session it replaces (the login form's): the id changes on login.
func (s *Store) StartSession(ctx context.Context, u User, replaces string) (Session, error) {
	return s.start(ctx, &u, replaces)
}

func (s *Store) start(ctx context.Context, u *User, replaces string) (Session, error) {
	now := s.nowMilli()
	sess := Session{Token: randomSecret(32), CSRF: randomSecret(32), User: u, CreatedAt: now, LastSeen: now}
	var userID *int64
	if u != nil {
		userID = &u.ID
	}
	err := s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if replaces != "" {
			if err := tx.Exec(`DELETE FROM `+s.t.Sessions+` WHERE id_hash = ?`, digest(replaces)).Error; err != nil {
				return err
			}
		}
		// Forget sessions that can no longer be used.
		if err := tx.Exec(`DELETE FROM `+s.t.Sessions+` WHERE last_seen < ? OR created_at < ?`,
			now-s.cfg.IdleTimeout.Milliseconds(), now-MaxSessionAge.Milliseconds()).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO `+s.t.Sessions+`(id_hash, user_id, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?)`,
			digest(sess.Token), userID, sess.CSRF, now, now).Error
	})
	return sess, err
}

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
	sess := Session{CSRF: r.CSRF, CreatedAt: r.CreatedAt, LastSeen: r.LastSeen}
	if r.UserID != nil {
		if r.Name == nil || *r.Disabled {
			return Session{}, ErrNoSession
		}
		sess.User = &User{ID: *r.UserID, Name: *r.Name, Role: *r.Role}
	}
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
