package kioskweb

import (
	"strings"
	"testing"
)

// Templates are parsed on first use; this parses every set so that a broken
// template fails here rather than on a page view.
func TestTemplatesParse(t *testing.T) {
	p, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.ParseAll(); err != nil {
		t.Fatal(err)
	}
}

func TestStaticTypes(t *testing.T) {
	p, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{"staff.css": "text/css", "staff.js": "text/javascript", "directory.js": "text/javascript"} {
		url := p.StaticURL(file)
		_, ctype, ok := p.Static(strings.TrimPrefix(url, "/static/"))
		if !ok || !strings.HasPrefix(ctype, want+";") {
			t.Errorf("%s (%s): ok=%v type %q, want %s", file, url, ok, ctype, want)
		}
	}
}

func TestWiFiJoin(t *testing.T) {
	for _, c := range []struct{ ssid, pw, want string }{
		{"港湾", "password1", "WIFI:T:WPA;S:港湾;P:password1;;"},
		{`a;b,c:d"e\f`, `p;w:"\`, `WIFI:T:WPA;S:a\;b\,c\:d\"e\\f;P:p\;w\:\"\\;;`},
		{"open", "", "WIFI:T:nopass;S:open;;"},
	} {
		if got := WiFiJoin(c.ssid, c.pw); got != c.want {
			t.Errorf("WiFiJoin(%q, %q) = %q, want %q", c.ssid, c.pw, got, c.want)
		}
	}
}
