package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// HeaderTimeout is how long a client has to send a request's line and
// headers: fasthttp applies Fiber's ReadTimeout from a new connection (or
// a kept-alive one's first byte) until the headers are in, so both roles
// set ReadTimeout to it. A slow client (slowloris) holds a connection at
// most this long; the per-address cap (app.Listen) bounds how many.
const HeaderTimeout = 10 * time.Second

// AllowBodyTime gives every request, once its headers are in, body to
// send its body: a phone on a slow network needs longer for a form than
// for its headers.
func AllowBodyTime(app *fiber.App, body time.Duration) {
	app.Server().HeaderReceived = func(*fasthttp.RequestHeader) fasthttp.RequestConfig {
		return fasthttp.RequestConfig{ReadTimeout: body}
	}
}
