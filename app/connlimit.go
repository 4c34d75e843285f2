package app

import (
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"
)

// perAddressListener caps the open connections of each client address:
// one past the cap is closed as soon as it is accepted, before a byte is
// read, so that slow clients from one address (slowloris) cannot take the
// connections everyone else needs. The address is the TCP peer; trusted
// proxies are exempt, as every client behind one shares its address (the
// proxy must cap its clients itself, docs/DEPLOY.md). A refused
// connection gets no answer (the listener sits under TLS, so it could not
// be an HTTP one); the log says so, at most once a minute.
type perAddressListener struct {
	net.Listener
	max    int
	exempt []netip.Prefix

	mu      sync.Mutex
	open    map[netip.Addr]int
	refused int       // since the last warning
	warned  time.Time // when the log last said so
}

// limitPerAddress wraps ln; it sits under TLS, so a refused connection
// costs no handshake.
func limitPerAddress(ln net.Listener, max int, exempt []netip.Prefix) net.Listener {
	return &perAddressListener{Listener: ln, max: max, exempt: exempt, open: map[netip.Addr]int{}}
}

func (l *perAddressListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		addr := peerOf(c)
		if !addr.IsValid() || l.exempted(addr) {
			return c, nil
		}
		if l.take(addr) {
			return &countedConn{Conn: c, release: func() { l.release(addr) }}, nil
		}
		c.Close()
		l.warn(addr)
	}
}

func (l *perAddressListener) exempted(a netip.Addr) bool {
	for _, p := range l.exempt {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// take counts a new connection from a, unless a has max open.
func (l *perAddressListener) take(a netip.Addr) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[a] >= l.max {
		return false
	}
	l.open[a]++
	return true
}

// warn counts a refused connection and logs the count at most once a
// minute, naming the address that met its cap last.
func (l *perAddressListener) warn(a netip.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refused++
	if now := time.Now(); now.Sub(l.warned) >= time.Minute {
		slog.Warn("connections refused: a client address reached its cap of open connections",
			"address", a.String(), "cap", l.max, "refused", l.refused)
		l.refused, l.warned = 0, now
	}
}

func (l *perAddressListener) release(a netip.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[a]--; l.open[a] <= 0 {
		delete(l.open, a)
	}
}

func peerOf(c net.Conn) netip.Addr {
	if tcp, ok := c.RemoteAddr().(*net.TCPAddr); ok {
		a, _ := netip.AddrFromSlice(tcp.IP)
		return a.Unmap()
	}
	return netip.Addr{}
}

// countedConn gives its address's place back once, when closed.
type countedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
