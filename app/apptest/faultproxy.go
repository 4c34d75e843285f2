package apptest

import (
	"bytes"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Fault is one way FaultProxy mistreats a request.
type Fault int

// The faults, chosen at random per request by FaultProxy.
const (
	Pass        Fault = iota // forward untouched
	Drop                     // close the connection before forwarding
	Delay                    // forward after a pause
	Error500                 // answer 500 without forwarding
	CutResponse              // forward, then send only half of the answer and close
)

// FaultProxy sits between an outlet and a branch on loopback and injects
// faults: the upstream may or may not have processed a cut or dropped request.
type FaultProxy struct {
	URL      string
	Upstream *url.URL
	Counts   [5]atomic.Int64
	InFlight atomic.Int64 // requests being handled now
	mu       sync.Mutex
	weights  [5]int
	rnd      *rand.Rand
}

// NewFaultProxy proxies to upstream with the given weights for Pass, Drop,
// Delay, Error500 and CutResponse.
func NewFaultProxy(tb testing.TB, upstream string, weights [5]int) *FaultProxy {
	u, err := url.Parse(upstream)
	if err != nil {
		tb.Fatal(err)
	}
	p := &FaultProxy{Upstream: u, weights: weights, rnd: rand.New(rand.NewPCG(1, 2))}
	srv := httptest.NewServer(http.HandlerFunc(p.serve))
	tb.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// SetWeights changes the fault mix, e.g. to all Pass to let delivery finish.
func (p *FaultProxy) SetWeights(w [5]int) { p.mu.Lock(); p.weights = w; p.mu.Unlock() }

func (p *FaultProxy) pick() Fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	total := 0
	for _, w := range p.weights {
		total += w
	}
	n := p.rnd.IntN(total)
	for f, w := range p.weights {
		if n < w {
			return Fault(f)
		}
		n -= w
	}
	return Pass
}

func (p *FaultProxy) serve(w http.ResponseWriter, r *http.Request) {
	p.InFlight.Add(1)
	defer p.InFlight.Add(-1)
	f := p.pick()
	p.Counts[f].Add(1)
	switch f {
	case Drop:
		hijackClose(w)
		return
	case Error500:
		http.Error(w, "injected failure", http.StatusInternalServerError)
		return
	case Delay:
		p.mu.Lock()
		pause := time.Duration(50+p.rnd.IntN(200)) * time.Millisecond
		p.mu.Unlock()
		time.Sleep(pause)
	}
	rec := httptest.NewRecorder()
	httputil.NewSingleHostReverseProxy(p.Upstream).ServeHTTP(rec, r)
	if f == CutResponse {
		conn := hijackConn(w)
		if conn == nil {
			return
		}
		var buf bytes.Buffer
		rec.Result().Write(&buf)
		conn.Write(buf.Bytes()[:buf.Len()/2])
		conn.Close()
		return
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	io.Copy(w, rec.Body)
}

func hijackConn(w http.ResponseWriter) net.Conn {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return nil
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return nil
	}
	return conn
}

func hijackClose(w http.ResponseWriter) {
	if c := hijackConn(w); c != nil {
		c.Close()
	}
}
