package handlers

import (
	"bytes"

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
