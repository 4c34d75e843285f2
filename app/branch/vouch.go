package branch

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"harbor/app/fsperm"
	"harbor/app/pull"
	"harbor/app/signing"
	"harbor/models"
)

// The branch vouches for its outlets at the public gateway: it signs,
// with a key of its own, short-lived credentials naming each enrolled
// outlet's key (app/pull). The gateway is configured with the public half
// only, so it knows every outlet the branch enrolled without holding any
// branch secret, and a revocation here reaches it when the outlet's last
// credential expires. The key is a file beside the database (--gateway-key),
// not in it: a leaked database or pg_dump lets no one vouch.

// GatewayKey returns the branch's gateway signing key, made and written
// (mode 0600) on first use.
func (s *Service) GatewayKey() (ed25519.PrivateKey, error) {
	s.vouchOnce.Do(func() { s.vouchKey, s.vouchErr = LoadGatewayKey(s.cfg.GatewayKey) })
	return s.vouchKey, s.vouchErr
}

// DeriveKey is a key for purpose (e.g. "login forms") derived from the
// branch's gateway key, the one secret every server of the branch shares
// (the file is made on first use): the same across restarts and servers.
func (s *Service) DeriveKey(purpose string) ([]byte, error) {
	k, err := s.GatewayKey()
	if err != nil {
		return nil, err
	}
	return signing.DeriveKey(k.Seed(), purpose), nil
}

// GatewayPublicKey is the public half of GatewayKey, base64: what the
// gateway's --branch-key takes.
func (s *Service) GatewayPublicKey() (string, error) {
	k, err := s.GatewayKey()
	if err != nil {
		return "", err
	}
	return PublicKeyText(k), nil
}

// PublicKeyText writes the public half of k in base64.
func PublicKeyText(k ed25519.PrivateKey) string {
	return base64.StdEncoding.EncodeToString(k.Public().(ed25519.PublicKey))
}

type keyFile struct {
	PrivateKey ed25519.PrivateKey `json:"private_key"`
}

// LoadGatewayKey reads the gateway key file at path, making it first when
// there is none.
func LoadGatewayKey(path string) (ed25519.PrivateKey, error) {
	if path == "" {
		return nil, errors.New("no --gateway-key file")
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := makeKey(path); err != nil {
			return nil, err
		}
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	var k keyFile
	if err := json.Unmarshal(b, &k); err != nil || len(k.PrivateKey) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("%s is not a gateway key file: restore it from a backup, or remove it to make a new key (then give the gateways the new public key)", path)
	}
	return k.PrivateKey, nil
}

// makeKey writes a new key to path unless another process wrote one
// first: the file appears whole or not at all (a hard link of a complete
// temporary file), and a second branch server reads the first one's.
func makeKey(path string) error {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	b, _ := json.Marshal(keyFile{PrivateKey: priv})
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	if err := fsperm.WriteFile(tmp, b); err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return nil
}

// IssueCredential answers an outlet's signed request for a gateway
// credential: its push signature is checked as a report's, so that a
// revoked outlet, or a key replaced by a new enrollment, gets none.
func (s *Service) IssueCredential(ctx context.Context, code, signature string, body []byte) (string, error) {
	var req struct {
		Outlet string `json:"outlet"`
	}
	now := s.now()
	key, err := s.verify(ctx, code, signature, body, now)
	if err != nil {
		return "", err
	}
	if err := json.Unmarshal(body, &req); err != nil || req.Outlet != code {
		return "", models.Errorf(models.EINVALID, `want {"outlet": %q}`, truncate(code, 40))
	}
	var zone []*string
	if err := s.db.Read.WithContext(ctx).Raw(`SELECT timezone FROM outlets WHERE code = ?`, code).Scan(&zone).Error; err != nil {
		return "", err
	}
	priv, err := s.GatewayKey()
	if err != nil {
		return "", err
	}
	c := models.GatewayCredential{Outlet: code, PublicKey: base64.StdEncoding.EncodeToString(key),
		IssuedAt: now.UTC(), ExpiresAt: now.Add(pull.CredentialTTL).UTC()}
	if len(zone) > 0 && zone[0] != nil {
		c.TimeZone = strings.TrimSpace(*zone[0])
	}
	return pull.IssueCredential(priv, c)
}
