package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestDemoOnce(t *testing.T) {
	var out, errOut bytes.Buffer
	code := Main(context.Background(), []string{"demo", "--once", "--port", "0", "--dir", t.TempDir()},
		Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	text := out.String()
	for _, want := range []string{"outlet SY001", "outlet SY002", "outlet SY003", "station page (gateway): http", "station page (Wi-Fi):   http", "gateway http", "reports: 0 pending", "branch figures for"} {
		if !strings.Contains(text, want) {
			t.Fatalf("demo output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, " 0 check-ins") {
		t.Fatalf("the simulated day reached the branch empty:\n%s", text)
	}
}
