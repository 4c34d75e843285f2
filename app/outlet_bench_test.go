package app_test

import (
	"testing"

	"github.com/valyala/fasthttp"

	"harbor/app/apptest"
	"harbor/app/outlet"
)

// BenchmarkStationPage renders the station page (all amenities, inline CSS
// and icons) through the outlet's Fiber handler, without a network.
func BenchmarkStationPage(b *testing.B) {
	cfg := apptest.OutletConfig(b)
	o := apptest.NewOutlet(b, cfg)
	h := o.HTTP.Handler()
	uri := stationPath(o, "")
	var ctx fasthttp.RequestCtx
	b.ReportAllocs()
	for b.Loop() {
		ctx.Request.Reset()
		ctx.Response.Reset()
		ctx.Request.SetRequestURI(uri)
		h(&ctx)
		if ctx.Response.StatusCode() != 200 {
			b.Fatalf("station page: %d", ctx.Response.StatusCode())
		}
	}
	b.ReportMetric(float64(len(ctx.Response.Body())), "html-bytes")
	b.ReportMetric(float64(gzipSize(string(ctx.Response.Body()))), "gzip-bytes")
}

// BenchmarkCheckInAPI posts check-ins of new visitors through the whole
// Fiber stack (middleware, JSON, the group-commit writer) from 16
// goroutines per CPU, without a network.
func BenchmarkCheckInAPI(b *testing.B) {
	cfg := apptest.OutletConfig(b)
	cfg.RatePerMin = 100000
	o := apptest.NewOutlet(b, cfg)
	h := o.HTTP.Handler()
	body := []byte(`{"token":"` + o.Svc.PosterToken("") + `","amenities":["water","wifi"],"category":"courier"}`)
	b.SetParallelism(16)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var ctx fasthttp.RequestCtx
		for pb.Next() {
			ctx.Request.Reset()
			ctx.Response.Reset()
			ctx.Request.Header.SetMethod("POST")
			ctx.Request.SetRequestURI("/api/v1/checkins")
			ctx.Request.Header.SetContentType("application/json")
			ctx.Request.Header.SetCookie("hv", outlet.NewVisitorID())
			ctx.Request.SetBody(body)
			h(&ctx)
			if ctx.Response.StatusCode() != 201 {
				b.Errorf("check-in: %d %s", ctx.Response.StatusCode(), ctx.Response.Body())
				return
			}
		}
	})
}
