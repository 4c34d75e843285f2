package web

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"harbor/models"
)

// IdentityBodies refuses with 415 (EMEDIATYPE) every request whose body is
// sent with a Content-Encoding other than identity. Fiber's c.Body() and
// fasthttp's multipart reader inflate gzip, deflate and brotli without any
// bound (BodyLimit counts only the bytes on the wire), so a 2 KB
// "gzip, gzip" body could become a gigabyte in memory. Both roles register
// this once for the whole app, so a route added later cannot forget it.
// Every Content-Encoding header line is read, as Fiber decodes by the last.
func IdentityBodies(c *fiber.Ctx) error {
	if len(c.Request().Body()) == 0 {
		return c.Next()
	}
	encoded := false
	c.Request().Header.VisitAll(func(key, value []byte) {
		if bytes.EqualFold(key, []byte(fiber.HeaderContentEncoding)) && !identityOnly(value) {
			encoded = true
		}
	})
	if encoded {
		return models.Errorf(models.EMEDIATYPE, "send the body uncompressed (no Content-Encoding): "+
			"compressed request bodies are refused")
	}
	return c.Next()
}

// identityOnly reports whether a Content-Encoding value lists nothing but
// identity (or nothing at all).
func identityOnly(value []byte) bool {
	for _, enc := range bytes.Split(value, []byte(",")) {
		if enc = bytes.TrimSpace(enc); len(enc) > 0 && !bytes.EqualFold(enc, []byte("identity")) {
			return false
		}
	}
	return true
}

// DecodeJSON strictly decodes a JSON request body into v: the content type
// must be JSON, unknown fields and trailing data are errors.
func DecodeJSON(c *fiber.Ctx, v any) error {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return models.Errorf(models.EMEDIATYPE, "send the body as application/json")
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return models.Errorf(models.EINVALID, "malformed JSON body: %s", models.JSONProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return models.Errorf(models.EINVALID, "malformed JSON body: unexpected data after the object")
	}
	return nil
}
