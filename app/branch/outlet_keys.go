package branch

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"sync"
	"time"

	"harbor/app/signing"
	"harbor/models"
)

// keyCache holds the enrolled keys of active outlets that have pushed, so
// that checking a push's signature needs no query. It holds only outlets
// found active and enrolled, so forged outlet codes never grow it. Enroll
// and RevokeOutlet drop their outlet's entry; the ingest writer checks
// every push's key against the outlets row it updates, in the transaction
// that stores the report (touchOutlets), so a revocation or a new key made
// by another process (the CLI) also takes effect at once.
type keyCache struct {
	mu   sync.RWMutex
	keys map[string]ed25519.PublicKey
	gen  uint64 // counts forget calls: a lookup older than one is not kept
}

func (c *keyCache) get(code string) (ed25519.PublicKey, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	k, ok := c.keys[code]
	return k, ok
}

// generation is the state a lookup that starts now may fill in.
func (c *keyCache) generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

// put keeps key for code unless an entry was forgotten since gen.
func (c *keyCache) put(code string, key ed25519.PublicKey, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if c.keys == nil {
		c.keys = map[string]ed25519.PublicKey{}
	}
	c.keys[code] = key
}

// forget drops code's key: it changed, or the outlet was revoked.
func (c *keyCache) forget(code string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.keys, code)
	c.gen++
}

// verify checks a push's signature by outlet code and returns the key
// that verified it. Keys come from the cache; one that fails is read
// again, as the outlet may have enrolled a new key from another process.
func (s *Service) verify(ctx context.Context, code, signature string, body []byte, now time.Time) (ed25519.PublicKey, error) {
	if key, ok := s.keys.get(code); ok {
		err := signing.Verify(key, signature, body, now)
		if err == nil {
			return key, nil
		}
		if stored, lerr := s.loadKey(ctx, code); lerr == nil && stored.Equal(key) {
			return nil, err
		}
		s.keys.forget(code)
	}
	gen := s.keys.generation()
	key, err := s.loadKey(ctx, code)
	if err != nil {
		return nil, err
	}
	s.keys.put(code, key, gen)
	return key, signing.Verify(key, signature, body, now)
}

// loadKey reads outlet code's push key from the database.
func (s *Service) loadKey(ctx context.Context, code string) (ed25519.PublicKey, error) {
	if code == "" {
		return nil, models.Errorf(models.EUNKNOWNOUTLET, "missing X-Harbor-Outlet header")
	}
	var rows []struct {
		Status    string
		PublicKey *string
	}
	if err := s.db.Read.WithContext(ctx).Raw(`SELECT status, public_key FROM outlets WHERE code = ?`,
		code).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, models.Errorf(models.EUNKNOWNOUTLET, "no outlet %q is registered at this branch", truncate(code, 40))
	}
	return checkKey(code, rows[0].Status, rows[0].PublicKey)
}

// checkKey is the push key of outlet code, given its row's status and
// public_key.
func checkKey(code, status string, publicKey *string) (ed25519.PublicKey, error) {
	switch {
	case status == StatusRevoked:
		return nil, models.Errorf(models.EREVOKED, "outlet %s has been revoked: the branch no longer accepts its reports", code)
	case publicKey == nil:
		return nil, models.Errorf(models.ENOTENROLLED, "outlet %s has no enrolled key: run 'harbor outlet enroll' first", code)
	}
	key, err := base64.StdEncoding.DecodeString(*publicKey)
	if err != nil || len(key) != ed25519.PublicKeySize {
		return nil, models.Errorf(models.EINTERNAL, "stored key of outlet %s is damaged", code)
	}
	return key, nil
}

// keyChanged answers a push signed with a key its outlet no longer has:
// the branch's answer had it arrived after the change.
func keyChanged() error {
	return models.Errorf(models.EBADSIG, "signature does not match the outlet's key")
}
