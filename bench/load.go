package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// loadClient posts check-ins over keep-alive connections. Each connection
// comes from its own loopback address (127.0.x.y), like one phone each, so
// the per-IP rate limit sees many clients.
type loadClient struct {
	http   *http.Client
	bodies [][]byte // JSON check-in bodies, a few amenity mixes
}

func newLoadClient(maxConns int, token string, amenities []string) *loadClient {
	return newLoadClientFor(maxConns, "", token, amenities)
}

// newLoadClientFor is newLoadClient whose bodies name outlet (the
// gateway serves many; "" leaves it out).
func newLoadClientFor(maxConns int, outlet, token string, amenities []string) *loadClient {
	var n atomic.Uint32
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		i := n.Add(1)
		src := net.IPv4(127, 0, byte(1+i/250%250), byte(1+i%250))
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: src}, Timeout: 5 * time.Second}
		return d.DialContext(ctx, network, addr)
	}
	tr := &http.Transport{
		DialContext:         dial,
		MaxIdleConns:        maxConns,
		MaxIdleConnsPerHost: maxConns,
		MaxConnsPerHost:     maxConns,
		IdleConnTimeout:     5 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &loadClient{http: &http.Client{Transport: tr, Timeout: 30 * time.Second},
		bodies: checkInBodies(outlet, token, amenities)}
}

// checkInBodies returns 64 request bodies with one to three amenities and
// a worker category each, naming outlet unless it is "".
func checkInBodies(outlet, token string, amenities []string) [][]byte {
	cats := []string{"", "sanitation", "courier", "delivery", "other"}
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([][]byte, 64)
	for i := range out {
		k := 1 + rng.IntN(3)
		var list bytes.Buffer
		for j := 0; j < k; j++ {
			if j > 0 {
				list.WriteByte(',')
			}
			list.WriteString(strconv.Quote(amenities[(i*7+j*3)%min(len(amenities), 20)]))
		}
		out[i] = fmt.Appendf(nil, `{"token":%q,"amenities":[%s],"category":%q}`, token, list.String(), cats[i%len(cats)])
		if outlet != "" {
			out[i] = fmt.Appendf(nil, `{"outlet":%q,%s`, outlet, out[i][1:])
		}
	}
	return out
}

// visitorCookie returns a fresh visitor id cookie, so that every check-in
// is a distinct visitor and dedupe never short-circuits.
func visitorCookie(rng *rand.Rand) string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := rng.Uint64()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return "hv=" + base64.RawURLEncoding.EncodeToString(b[:])
}

// post sends one check-in to url and returns the status and, on 201, the
// check-in id from the answer.
func (c *loadClient) post(url string, i int, rng *rand.Rand) (int, int64, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(c.bodies[i%len(c.bodies)]))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Cookie", visitorCookie(rng))
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, 0, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return resp.StatusCode, 0, err
	}
	var id int64
	if resp.StatusCode == http.StatusCreated {
		id = idOf(body)
	}
	return resp.StatusCode, id, nil
}

// idOf reads the "id" number out of a check-in answer.
func idOf(body []byte) int64 {
	i := bytes.Index(body, []byte(`"id":`))
	if i < 0 {
		return 0
	}
	var id int64
	for _, ch := range body[i+5:] {
		if ch < '0' || ch > '9' {
			break
		}
		id = id*10 + int64(ch-'0')
	}
	return id
}

// saturate runs clients closed-loop workers, each posting as soon as its
// previous answer arrived, for d.
func (c *loadClient) saturate(url string, clients int, d time.Duration, acks *ackLog) *phase {
	p := newPhase()
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), uint64(start.UnixNano())))
			for i := w; time.Now().Before(deadline); i += clients {
				t0 := time.Now()
				status, id, err := c.post(url, i, rng)
				p.add(time.Since(t0), status, err)
				acks.add(status, id)
			}
		}(w)
	}
	wg.Wait()
	p.finish(time.Since(start))
	return p
}

// openLoop sends rate requests per second for d on a fixed schedule,
// whatever the answers' latency (no coordinated omission): latency counts
// from when a request was due, not from when it was sent.
func (c *loadClient) openLoop(url string, rate int, d time.Duration, acks *ackLog) *phase {
	p := newPhase()
	n := int(d.Seconds() * float64(rate))
	interval := time.Second / time.Duration(rate)
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < n; i++ {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		wg.Add(1)
		go func(i int, due time.Time) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), uint64(due.UnixNano())))
			status, id, err := c.post(url, i, rng)
			p.add(time.Since(due), status, err)
			acks.add(status, id)
		}(i, due)
	}
	wg.Wait()
	p.finish(time.Since(start))
	return p
}

// healthy reports whether url answers 200, on a fresh connection.
func healthy(url string) bool {
	c := http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(url)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
