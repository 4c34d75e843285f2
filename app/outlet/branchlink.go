package outlet

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"harbor/app/fsperm"
	"harbor/app/signing"
	"harbor/models"
)

// LinkFile holds the outlet's enrollment with its branch, mode 0600.
const LinkFile = "branch.json"

// BranchLink is this outlet's enrollment: where to push and with which key.
type BranchLink struct {
	BranchURL  string             `json:"branch_url"`
	Outlet     string             `json:"outlet"`
	EnrolledAt time.Time          `json:"enrolled_at"`
	PrivateKey ed25519.PrivateKey `json:"private_key"`
}

// Link returns the stored enrollment, or nil when the outlet is not enrolled.
func (s *Service) Link() (*BranchLink, error) {
	b, err := os.ReadFile(filepath.Join(s.cfg.DataDir, LinkFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var l BranchLink
	if err := json.Unmarshal(b, &l); err != nil || len(l.PrivateKey) != ed25519.PrivateKeySize || l.BranchURL == "" {
		return nil, fmt.Errorf("%s is damaged: enroll again", filepath.Join(s.cfg.DataDir, LinkFile))
	}
	return &l, nil
}

// Enroll generates a key pair, registers its public half with the branch
// using the one-time code, and stores the link. The outlet takes the code
// the branch registered it under.
func (s *Service) Enroll(ctx context.Context, branchURL, code string, client *http.Client) (*BranchLink, error) {
	u, err := url.Parse(strings.TrimRight(branchURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, models.Errorf(models.EINVALID, "--branch %q: want the branch's http(s) URL", branchURL)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	body, _ := json.Marshal(map[string]string{"code": code, "public_key": base64.StdEncoding.EncodeToString(pub),
		"timezone": s.cfg.TimeZone}) // the branch pins it: reports in another zone are refused
	var answer struct{ Outlet, Name string }
	if _, err := postJSON(ctx, client, u.String()+"/api/v1/enroll", body, nil, &answer); err != nil {
		return nil, err
	}
	if !isOutletCode(answer.Outlet) {
		return nil, fmt.Errorf("the branch answered an invalid outlet code %q", answer.Outlet)
	}
	link := &BranchLink{BranchURL: u.String(), Outlet: answer.Outlet, EnrolledAt: s.now().UTC(), PrivateKey: priv}
	if err := s.saveLink(link); err != nil {
		return nil, err
	}
	if err := s.setOutletCode(ctx, answer.Outlet); err != nil {
		return nil, err
	}
	return link, nil
}

func (s *Service) saveLink(l *BranchLink) error {
	b, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(s.cfg.DataDir, LinkFile)
	tmp := path + ".tmp"
	if err := fsperm.WriteFile(tmp, b); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func (s *Service) setOutletCode(ctx context.Context, code string) error {
	if err := setSetting(s.db.Write.WithContext(ctx), "outlet_code", code); err != nil {
		return err
	}
	return s.reloadProfile(ctx)
}

func isOutletCode(c string) bool {
	if c == "" || len(c) > 32 {
		return false
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// maxAnswer bounds what is read of a branch's answer.
const maxAnswer = 64 << 10

// postJSON posts body and decodes a 2xx answer into out. Any other answer
// becomes a *models.Error carrying the server's code and message; a network
// failure is returned as is. It also returns the server's clock as its
// answer's Date header says (zero without an answer or the header).
func postJSON(ctx context.Context, client *http.Client, target string, body []byte, header http.Header, out any) (time.Time, error) {
	return postJSONUpTo(ctx, client, target, body, header, out, maxAnswer)
}

// postJSONUpTo is postJSON reading at most limit bytes of the answer.
func postJSONUpTo(ctx context.Context, client *http.Client, target string, body []byte, header http.Header, out any, limit int64) (time.Time, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return time.Time{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		return time.Time{}, err
	}
	defer resp.Body.Close()
	date := answerDate(resp)
	raw, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		return date, fmt.Errorf("reading the answer of %s: %w", req.URL.Host, err)
	}
	if resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(raw, out); err != nil {
			return date, fmt.Errorf("the answer of %s is not valid JSON (HTTP %d)", req.URL.Host, resp.StatusCode)
		}
		return date, nil
	}
	var e struct {
		Error struct{ Code, Message string }
	}
	if json.Unmarshal(raw, &e) == nil && e.Error.Code != "" {
		return date, &models.Error{Code: e.Error.Code, Message: e.Error.Message}
	}
	return date, fmt.Errorf("%s answered HTTP %d", req.URL.Host, resp.StatusCode)
}

// answerDate is the time an HTTP answer's Date header gives, or zero. The
// header has whole seconds: half a second is added, the middle of the
// second it names.
func answerDate(resp *http.Response) time.Time {
	t, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return time.Time{}
	}
	return t.Add(500 * time.Millisecond)
}

// FetchCredential asks the branch, over the signed channel reports use,
// for the credential that vouches for this outlet's key at the public
// gateway (app/pull).
func (s *Service) FetchCredential(ctx context.Context, link *BranchLink, client *http.Client) (string, error) {
	body, _ := json.Marshal(map[string]string{"outlet": link.Outlet})
	h := http.Header{}
	h.Set(signing.OutletHeader, link.Outlet)
	h.Set(signing.SignatureHeader, signing.Sign(link.PrivateKey, s.now(), body))
	var answer struct {
		Credential string `json:"credential"`
	}
	if _, err := postJSON(ctx, client, link.BranchURL+CredentialPath, body, h, &answer); err != nil {
		return "", err
	}
	if answer.Credential == "" {
		return "", errors.New("the branch answered no credential")
	}
	return answer.Credential, nil
}

// CredentialPath is where the branch issues gateway credentials.
const CredentialPath = "/api/v1/gateway-credential"
