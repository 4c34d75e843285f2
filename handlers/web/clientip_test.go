package web

import (
	"bytes"
	"net/netip"
	"testing"

	"harbor/config"
)

// TestRealIP: the rightmost address that is not a trusted proxy, as
// nginx's realip module with real_ip_recursive on.
func TestRealIP(t *testing.T) {
	trusted := config.Prefixes([]string{"127.0.0.1", "10.0.0.0/8", "::1"})
	for _, tc := range []struct{ peer, header, want string }{
		{"203.0.113.9", "1.2.3.4", "203.0.113.9"},                        // not from a proxy: the header is ignored
		{"127.0.0.1", "", "127.0.0.1"},                                   // a proxy that said nothing
		{"127.0.0.1", "198.51.100.7", "198.51.100.7"},                    // the proxy's own entry
		{"127.0.0.1", "6.6.6.6, 198.51.100.7", "198.51.100.7"},           // client-written entry on the left
		{"127.0.0.1", "6.6.6.6, 198.51.100.7, 10.1.2.3", "198.51.100.7"}, // two proxies
		{"127.0.0.1", "10.9.9.9, 10.1.2.3", "10.9.9.9"},                  // all trusted: the leftmost
		{"127.0.0.1", "6.6.6.6, nonsense", "127.0.0.1"},                  // garbage stops at the proxy
		{"127.0.0.1", "6.6.6.6, 198.51.100.7:4711", "198.51.100.7"},      // with a port
		{"::1", "6.6.6.6, [2001:db8::1]:80", "2001:db8::1"},              // IPv6
		{"::ffff:127.0.0.1", "6.6.6.6,198.51.100.7", "198.51.100.7"},     // IPv4 in IPv6
	} {
		peer := netip.MustParseAddr(tc.peer).Unmap()
		var hops [][]byte
		if tc.header != "" {
			hops = bytes.Split([]byte(tc.header), []byte(","))
		}
		if got := realIP(peer, hops, trusted).String(); got != tc.want {
			t.Errorf("peer %s, header %q: %s, want %s", tc.peer, tc.header, got, tc.want)
		}
	}
}
