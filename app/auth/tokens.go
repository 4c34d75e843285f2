package auth

import (
	"context"
	"strings"
	"unicode/utf8"

	"harbor/models"
)

// APITokenPrefix starts every API token, so that a leaked one is easy to
// recognise in logs and scanners.
const APITokenPrefix = "hbt_"

// APIToken is a read-only API token as listed; the secret itself is only
// shown once, when created.
type APIToken struct {
	ID         int64
	Name       string
	CreatedBy  string
	CreatedAt  int64
	LastUsedAt *int64
	RevokedAt  *int64
}

// CreateAPIToken makes a token called name and returns its secret, which
// is not stored: only its SHA-256 is.
func (s *Store) CreateAPIToken(ctx context.Context, name, createdBy string) (string, error) {
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n < 1 || n > 60 {
		return "", models.Errorf(models.EINVALID, "令牌名称需 1-60 个字符 / a token name has 1-60 characters")
	}
	secret := APITokenPrefix + randomSecret(24)
	err := s.db.Write.WithContext(ctx).Exec(`INSERT INTO `+s.t.Tokens+`(name, hash, created_by, created_at)
		VALUES (?, ?, ?, ?)`, name, digest(secret), createdBy, s.nowMilli()).Error
	return secret, err
}

// APITokens lists every token, newest first.
func (s *Store) APITokens(ctx context.Context) ([]APIToken, error) {
	var out []APIToken
	err := s.db.Read.WithContext(ctx).Raw(`SELECT id, name, created_by, created_at, last_used_at, revoked_at
		FROM ` + s.t.Tokens + ` ORDER BY id DESC`).Scan(&out).Error
	return out, err
}

// RevokeAPIToken stops the token with id from working.
func (s *Store) RevokeAPIToken(ctx context.Context, id int64) error {
	res := s.db.Write.WithContext(ctx).Exec(`UPDATE `+s.t.Tokens+` SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, s.nowMilli(), id)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return models.Errorf(models.ENOTFOUND, "没有这个有效令牌 / no such active token")
	}
	return nil
}

// CheckAPIToken returns the live token whose secret is given, or EUNAUTHORIZED.
func (s *Store) CheckAPIToken(ctx context.Context, secret string) (APIToken, error) {
	bad := models.Errorf(models.EUNAUTHORIZED, "unknown or revoked API token")
	if !strings.HasPrefix(secret, APITokenPrefix) || len(secret) > 100 {
		return APIToken{}, bad
	}
	var rows []APIToken
	if err := s.db.Read.WithContext(ctx).Raw(`SELECT id, name, created_by, created_at, last_used_at, revoked_at
		FROM `+s.t.Tokens+` WHERE hash = ?`, digest(secret)).Scan(&rows).Error; err != nil {
		return APIToken{}, err
	}
	if len(rows) == 0 || rows[0].RevokedAt != nil {
		return APIToken{}, bad
	}
	t := rows[0]
	now := s.nowMilli()
	if t.LastUsedAt == nil || now-*t.LastUsedAt >= touchEvery.Milliseconds() {
		t.LastUsedAt = &now
		if err := s.db.Write.WithContext(ctx).Exec(`UPDATE `+s.t.Tokens+` SET last_used_at = ? WHERE id = ?`, now, t.ID).Error; err != nil {
			return APIToken{}, err
		}
	}
	return t, nil
}
