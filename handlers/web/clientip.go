package web

import (
	"bytes"
	"net/netip"

	"github.com/gofiber/fiber/v2"

	"harbor/config"
)

const localClientIP = "client.ip"

// ClientIP resolves, once per request, the address rate limits, login
// throttling and the access log count a request under. Behind a trusted
// proxy (--proxy-header, --trusted-proxies) that is the rightmost address
// of the header that is not itself a trusted proxy, as nginx's realip
// module finds it with real_ip_recursive on: each proxy appends the address
// it saw, so everything left of the last trusted hop was written by the
// client and proves nothing. Fiber's own ProxyHeader takes the leftmost
// address, which the client chooses, so the apps leave it unset and read
// the address through ClientAddr. Without a proxy header it is the TCP peer.
func ClientIP(header string, trusted []string) fiber.Handler {
	prefixes := config.Prefixes(trusted)
	if header == "" {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	key := []byte(header)
	return func(c *fiber.Ctx) error {
		peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
		var hops [][]byte
		c.Request().Header.VisitAll(func(k, v []byte) {
			if bytes.EqualFold(k, key) {
				hops = append(hops, bytes.Split(v, []byte(","))...)
			}
		})
		c.Locals(localClientIP, realIP(peer.Unmap(), hops, prefixes).String())
		return c.Next()
	}
}

// realIP walks hops from the right, starting at the peer, while the
// current address is a trusted proxy; an entry that is not an address
// stops the walk at the proxy that wrote it.
func realIP(peer netip.Addr, hops [][]byte, trusted []netip.Prefix) netip.Addr {
	addr := peer
	for i := len(hops) - 1; i >= 0 && isTrusted(addr, trusted); i-- {
		next, ok := parseHop(bytes.TrimSpace(hops[i]))
		if !ok {
			break
		}
		addr = next
	}
	return addr
}

// parseHop reads one entry of a forwarding header: an address, possibly
// with a port ("1.2.3.4:5678", "[::1]:80").
func parseHop(b []byte) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(string(b)); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(string(b)); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ClientAddr is the request's client address as ClientIP resolved it (the
// TCP peer when no proxy header is configured).
func ClientAddr(c *fiber.Ctx) string {
	if ip, ok := c.Locals(localClientIP).(string); ok {
		return ip
	}
	return c.IP()
}
