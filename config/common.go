package config

import (
	"flag"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// What both roles' configurations check the same way.

// LoadTimeZone is --timezone as a location. It must be an IANA name:
// reports carry it, and "" or "Local" would mean different days on
// different machines.
func LoadTimeZone(name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		return nil, fmt.Errorf("--timezone %q: give an IANA time zone such as Asia/Shanghai", name)
	}
	return loc, nil
}

func checkLogFormat(f string) error {
	switch f {
	case "auto", "json", "text":
		return nil
	}
	return fmt.Errorf("--log-format %q: use json, text or auto", f)
}

// resolveBaseURL defaults *base to the URL of addr, checks it and trims
// its trailing slash.
func resolveBaseURL(base *string, addr string) error {
	if *base == "" {
		*base = DeriveBaseURL(addr)
	}
	return checkBaseURL(base)
}

// checkBaseURL checks *base and trims its trailing slash.
func checkBaseURL(base *string) error {
	if err := checkURL("--base-url", *base); err != nil {
		return err
	}
	*base = strings.TrimRight(*base, "/")
	return nil
}

// checkURL requires an absolute http(s) URL without query or fragment; its
// path, if any, is a prefix the server's routes live under.
func checkURL(flag, v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" ||
		strings.ContainsAny(u.Path, "?#%\\") || strings.Contains(u.Path, "//") {
		return fmt.Errorf("%s %q: want an absolute http(s) URL, optionally with a path such as /o/SY001", flag, v)
	}
	return nil
}

// PathPrefix is the path of a validated base URL: "" at the root, else
// like "/o/SY001". Every route of the server lives under it, and every
// link, redirect and cookie path it writes starts with it.
func PathPrefix(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return strings.TrimRight(u.Path, "/")
}

// DefaultMaxConnsPerIP is --max-conns-per-ip: a browser opens about six
// connections, a whole outlet behind one NAT address a few dozen.
const DefaultMaxConnsPerIP = 32

// MaxConnsFlag registers --max-conns-per-ip, shared by both roles.
func MaxConnsFlag(fs *flag.FlagSet, p *int) {
	fs.IntVar(p, "max-conns-per-ip", DefaultMaxConnsPerIP, "open connections allowed per client address; more are closed at once "+
		"(trusted proxies are exempt: behind one, the proxy must limit its clients)")
}

func checkMaxConns(n int) error {
	if n < 1 || n > 100000 {
		return fmt.Errorf("--max-conns-per-ip %d: must be between 1 and 100000", n)
	}
	return nil
}

// checkTLSAndProxies validates the TLS and proxy settings shared by both roles.
func checkTLSAndProxies(t TLS, header string, trusted *[]string) error {
	if (t.CertFile == "") != (t.KeyFile == "") {
		return fmt.Errorf("--tls-cert and --tls-key go together")
	}
	if header != "" && len(*trusted) == 0 {
		*trusted = []string{"127.0.0.1", "::1"}
	}
	return nil
}

// DeriveBaseURL guesses the URL phones on the local network can reach: the
// host in addr, or this machine's first non-loopback IPv4 address.
func DeriveBaseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://localhost" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
		if addrs, err := net.InterfaceAddrs(); err == nil {
			for _, a := range addrs {
				if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
					host = ipn.IP.String()
					break
				}
			}
		}
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Prefixes turns validated --trusted-proxies entries (IPs or CIDRs) into
// prefixes; a single IP is a prefix of its full length.
func Prefixes(list []string) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return out
}
