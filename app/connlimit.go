package app

import (
	"net"
	"net/netip"
	"sync"
)

// perAddressListener caps the open connections of each client address:
// one past the cap is closed as soon as it is accepted, before a byte is
// read, so that slow clients from one address (slowloris) cannot take the
// connections everyone else needs. The address is the TCP peer; trusted
// proxies are exempt, as every client behind one shares its address (the
// proxy must cap its clients itself, docs/DEPLOY.md).
type perAddressListener struct {
	net.Listener
	max    int
	exempt []netip.Prefix

	mu   sync.Mutex
	open map[netip.Addr]int
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
