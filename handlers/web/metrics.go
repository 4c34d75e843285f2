package web

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are a role's Prometheus metrics, served at GET /metrics. Labels
// are codes and route patterns only: never tokens, visitor ids or names.
type Metrics struct {
	reg      *prometheus.Registry
	checkIns *prometheus.CounterVec
	rejected *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	reports  *prometheus.CounterVec

	observersMu sync.RWMutex
	observers   map[routeKey]prometheus.Observer // latency's children, found without hashing labels
}

// routeKey names one latency series.
type routeKey struct {
	method, route string
	class         int // status / 100
}

// NewMetrics registers the metrics of a role ("outlet" or "branch").
func NewMetrics(role string) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), observers: map[routeKey]prometheus.Observer{}}
	constLabels := prometheus.Labels{"role": role}
	m.checkIns = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "harbor_checkins_total",
		Help: "Check-ins recorded (people counted), by channel.", ConstLabels: constLabels}, []string{"channel"})
	m.rejected = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "harbor_rejected_requests_total",
		Help: "Requests answered with an error, by error code.", ConstLabels: constLabels}, []string{"reason"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "harbor_http_request_duration_seconds",
		Help: "HTTP request latency by route and status class.", ConstLabels: constLabels,
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}},
		[]string{"method", "route", "status"})
	m.reports = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "harbor_branch_reports_total",
		Help: "Report pushes answered by the branch, by outcome.", ConstLabels: constLabels}, []string{"outcome"})
	m.reg.MustRegister(m.checkIns, m.rejected, m.latency, collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if role == "branch" {
		m.reg.MustRegister(m.reports)
	}
	return m
}

// CheckIn counts n people checked in through channel.
func (m *Metrics) CheckIn(channel string, n int) {
	if m != nil {
		m.checkIns.WithLabelValues(channel).Add(float64(n))
	}
}

// Rejected counts an error answer with its code.
func (m *Metrics) Rejected(code string) {
	if m != nil {
		m.rejected.WithLabelValues(code).Inc()
	}
}

// Report counts a branch answer to a report push: accepted, stale.
func (m *Metrics) Report(outcome string) {
	if m != nil {
		m.reports.WithLabelValues(outcome).Inc()
	}
}

// Gauge is one gauge of Gauges: its name and help.
type Gauge struct{ Name, Help string }

// Gauges registers gauges whose values one call of read gives at scrape
// time, in the order of gauges, so that figures from one source are read
// once per scrape.
func (m *Metrics) Gauges(read func(context.Context) []float64, gauges ...Gauge) {
	c := &gaugeSet{read: read}
	for _, g := range gauges {
		c.descs = append(c.descs, prometheus.NewDesc(g.Name, g.Help, nil, nil))
	}
	m.reg.MustRegister(c)
}

type gaugeSet struct {
	descs []*prometheus.Desc
	read  func(context.Context) []float64
}

func (g *gaugeSet) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range g.descs {
		ch <- d
	}
}

func (g *gaugeSet) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for i, v := range g.read(ctx) {
		ch <- prometheus.MustNewConstMetric(g.descs[i], prometheus.GaugeValue, v)
	}
}

// Observe is middleware timing every request by its route pattern.
func (m *Metrics) Observe(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		code := AsError(c, err).Code
		status = StatusOf(code)
		m.Rejected(code)
	}
	route := c.Route().Path
	if status == fiber.StatusNotFound && route != c.Path() {
		route = "unmatched" // keep unknown paths out of the label set
	}
	m.observer(routeKey{c.Method(), route, status / 100}).Observe(time.Since(start).Seconds())
	return err
}

// observer returns the latency series of k, creating it on first use.
func (m *Metrics) observer(k routeKey) prometheus.Observer {
	m.observersMu.RLock()
	o := m.observers[k]
	m.observersMu.RUnlock()
	if o != nil {
		return o
	}
	// Kept beyond this request: copy the strings out of Fiber's reused buffers.
	k.method, k.route = strings.Clone(k.method), strings.Clone(k.route)
	o = m.latency.WithLabelValues(k.method, k.route, strconv.Itoa(k.class)+"xx")
	m.observersMu.Lock()
	m.observers[k] = o
	m.observersMu.Unlock()
	return o
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
}
