package app_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"harbor/app/apptest"
)

// TestBrowserReachingOnlyTheGateway: a phone's browser on mobile data
// reaches the gateway and nothing else. It opens the poster's public URL,
// ticks two amenities and sees the success page; the outlet, pulling
// (long-poll), counts one check-in and two uses within 5 s. No connection
// reaches the outlet's own listener.
func TestBrowserReachingOnlyTheGateway(t *testing.T) {
	g := newGatewayNet(t)
	o := g.addOutlet("SY001")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	outletConns := &countingListener{Listener: ln}
	go o.HTTP.Listener(outletConns)
	t.Cleanup(func() { o.HTTP.ShutdownWithTimeout(5 * time.Second) })

	ctx, stop := context.WithCancel(context.Background())
	var pulling sync.WaitGroup
	pulling.Go(func() { o.Puller.Run(ctx) })
	t.Cleanup(func() { stop(); pulling.Wait() })

	gateway := apptest.ServeHTTP(t, g.gw.Public)
	public := o.Svc.StationURL("", o.Svc.PosterToken(""))
	if !strings.HasPrefix(public, "https://gateway.test/k/SY001?t=") {
		t.Fatalf("the poster's URL %s is not the gateway's", public)
	}
	b := apptest.Browser(t, 360, 740)
	if err := chromedp.Do(b,
		chromedp.Navigate(gateway+strings.TrimPrefix(public, "https://gateway.test")),
		chromedp.Click(chromedp.CSS(`input[value="water"] + span`)),
		chromedp.Click(chromedp.CSS(`input[value="phone_charging"] + span`)),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.got`)),
	); err != nil {
		t.Fatal(err)
	}
	shown := time.Now()
	text, err := chromedp.Run(b, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil || !strings.Contains(text, "饮用水") || !strings.Contains(text, "手机充电") {
		t.Fatalf("success page says %q (%v)", text, err)
	}
	origins, err := chromedp.Run(b, chromedp.Evaluate[string](`location.origin`))
	if err != nil || origins != gateway {
		t.Fatalf("the browser ended at %s, not the gateway %s", origins, gateway)
	}

	for {
		r := report(t, o, "2026-11-25")
		if r.Totals.CheckIns == 1 && len(r.Amenities) == 2 {
			t.Logf("counted at the outlet %s after the success page", time.Since(shown).Round(time.Millisecond))
			break
		}
		if time.Since(shown) > 5*time.Second {
			t.Fatalf("5 s after the success page the outlet counts %+v %+v", r.Totals, r.Amenities)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := outletConns.accepted.Load(); n != 0 {
		t.Fatalf("%d connections reached the outlet's own listener", n)
	}
}

// countingListener counts the connections it accepts.
type countingListener struct {
	net.Listener
	accepted atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.accepted.Add(1)
	}
	return c, err
}
