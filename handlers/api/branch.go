package api

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"strings"

	"github.com/gofiber/fiber/v2"

	"harbor/app/branch"
	"harbor/app/signing"
	"harbor/handlers/web"
	"harbor/models"
)

// Branch serves the branch's JSON API to outlets.
type Branch struct {
	Svc *branch.Service
	// Metrics counts the answers to report pushes.
	Metrics *web.Metrics
}

// Health answers GET /healthz: 200 when the database answers.
func (a *Branch) Health(c *fiber.Ctx) error {
	if err := a.Svc.Ping(c.UserContext()); err != nil {
		return web.JSONError(c, models.Errorf(models.EUNAVAILABLE, "database not answering"))
	}
	return c.JSON(fiber.Map{"status": "ok", "role": "branch",
		"time": a.Svc.Now().UTC().Format("2006-01-02T15:04:05Z")})
}

// enrollBody is POST /api/v1/enroll: the one-time code, the outlet's
// Ed25519 public key in standard base64 and its IANA time zone, which
// its reports must then be in (older outlets send none).
type enrollBody struct {
	Code      string `json:"code"`
	PublicKey string `json:"public_key"`
	TimeZone  string `json:"timezone"`
}

// Enroll answers POST /api/v1/enroll: 200 {"outlet", "name"} once the key
// is bound to the outlet the code was issued for.
func (a *Branch) Enroll(c *fiber.Ctx) error {
	var body enrollBody
	if err := web.DecodeJSON(c, &body); err != nil {
		return err
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(body.PublicKey))
	if err != nil || len(key) != ed25519.PublicKeySize {
		return models.Errorf(models.EINVALID, "public_key: want a %d-byte Ed25519 key in standard base64", ed25519.PublicKeySize)
	}
	res, err := a.Svc.Enroll(c.UserContext(), body.Code, ed25519.PublicKey(key), body.TimeZone)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// Report answers POST /api/v1/reports, a signed report document: 200
// {"status": "accepted"|"stale", "outlet", "day", "revision",
// "current_revision"}, or an error with a specific code.
func (a *Branch) Report(c *fiber.Ctx) error {
	if ct := strings.ToLower(c.Get(fiber.HeaderContentType)); !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return models.Errorf(models.EMEDIATYPE, "send the report as application/json")
	}
	// The raw body as sent (web.IdentityBodies refused any encoding; the
	// signature covers these bytes), copied: Fiber reuses it.
	body := bytes.Clone(c.Request().Body())
	outlet := strings.Clone(c.Get(signing.OutletHeader))
	sig := strings.Clone(c.Get(signing.SignatureHeader))
	res, err := a.Svc.Ingest(c.UserContext(), outlet, sig, body)
	if err != nil {
		return err // counted by web.Metrics.Observe under its code
	}
	a.Metrics.Report(res.Status)
	return c.JSON(res)
}

// GatewayCredential answers POST /api/v1/gateway-credential, signed like a
// report push with {"outlet": CODE}: 200 {"credential"}, the branch's word
// for the outlet's key at the public gateway (app/pull).
func (a *Branch) GatewayCredential(c *fiber.Ctx) error {
	if ct := strings.ToLower(c.Get(fiber.HeaderContentType)); !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return models.Errorf(models.EMEDIATYPE, "send the request as application/json")
	}
	cred, err := a.Svc.IssueCredential(c.UserContext(), strings.Clone(c.Get(signing.OutletHeader)),
		strings.Clone(c.Get(signing.SignatureHeader)), bytes.Clone(c.Request().Body()))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"credential": cred})
}
