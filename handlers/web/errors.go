// Package web is what the handlers of every audience share: the one
// place errors map to HTTP, the middleware every app runs (client address,
// access log, security headers, identity bodies, metrics), rate limits and
// timeouts, and the pieces both consoles use (logins and sessions, forms
// shown again, the accounts page).
package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"harbor/models"
)

// StatusOf maps an error code to its HTTP status: the one place that does.
func StatusOf(code string) int {
	switch code {
	case models.EINVALID, models.ETOKEN, models.EFUTUREDAY, models.ESCHEMA:
		return http.StatusBadRequest
	case models.EUNAUTHORIZED, models.EBADSIG, models.ESKEW,
		models.EUNKNOWNOUTLET, models.ENOTENROLLED, models.ECREDENTIAL, models.ECREDEXPIRE, models.EREPLAY:
		return http.StatusUnauthorized
	case models.EFORBIDDEN, models.EREVOKED, models.EMISMATCH:
		return http.StatusForbidden
	case models.ENOTFOUND:
		return http.StatusNotFound
	case models.EMETHOD:
		return http.StatusMethodNotAllowed
	case models.ETIMEOUT:
		return http.StatusRequestTimeout
	case models.ECONFLICT, models.ETZMISMATCH:
		return http.StatusConflict
	case models.EREPLACED, models.EEXPIRED, models.EENROLLUSED, models.EENROLLEXPIRED:
		return http.StatusGone
	case models.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case models.EMEDIATYPE:
		return http.StatusUnsupportedMediaType
	case models.ERATELIMIT:
		return http.StatusTooManyRequests
	case models.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// AsError turns any error into an *models.Error; unknown errors become
// EINTERNAL with a generic message and are logged.
func AsError(c *fiber.Ctx, err error) *models.Error {
	var e *models.Error
	if errors.As(err, &e) {
		return e
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		switch fe.Code {
		case fiber.StatusNotFound:
			return models.Errorf(models.ENOTFOUND, "没有这个页面 / no such page: %s", Truncate(c.Path(), 80))
		case fiber.StatusMethodNotAllowed:
			return models.Errorf(models.EMETHOD, "此页面不接受 %s 请求 / method %s not allowed here", c.Method(), c.Method())
		case fiber.StatusRequestEntityTooLarge:
			return models.Errorf(models.ETOOLARGE, "提交的内容太大 / request body too large")
		case fiber.StatusRequestHeaderFieldsTooLarge:
			return models.Errorf(models.ETOOLARGE, "请求头太大 / request headers too large")
		case fiber.StatusRequestTimeout:
			return models.Errorf(models.ETIMEOUT, "请求超时 / the request did not arrive in time")
		case fiber.StatusBadRequest:
			return models.Errorf(models.EINVALID, "请求格式有误 / malformed request")
		}
	}
	return models.Errorf(models.EINTERNAL, "系统内部错误，请稍后再试 / internal error")
}

// WantsJSON tells API clients, who get JSON errors, from people with a
// browser; p is the request's path without the routes' prefix.
func WantsJSON(c *fiber.Ctx, p string) bool {
	return strings.HasPrefix(p, "/api/") || p == "/healthz" || p == "/metrics" ||
		strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON)
}

// JSONError writes the one error shape: {"error": {"code", "message"}}.
func JSONError(c *fiber.Ctx, e *models.Error) error {
	if e.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(e.RetryAfter))
	}
	return c.Status(StatusOf(e.Code)).JSON(fiber.Map{"error": fiber.Map{"code": e.Code, "message": e.Message}})
}

// Truncate cuts s to n bytes for a message, saying so with "…".
func Truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func requestID(c *fiber.Ctx) string {
	if v, ok := c.Locals("requestid").(string); ok {
		return v
	}
	return ""
}
