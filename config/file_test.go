package config

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"harbor/deploy"
)

func TestParseSettings(t *testing.T) {
	in := "\uFEFF# comment\r\n\r\nHARBOR_ADDR=:8080\r\n  HARBOR_DATA_DIR = C:\\ProgramData\\harbor\\outlet  \n" +
		"HARBOR_OUTLET_NAME=\"十堰 营业部\"\nHARBOR_BASE_URL='http://10.0.0.5:8080'\nHARBOR_LOG_FORMAT=\n"
	got, err := ParseSettings(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Setting{
		{"HARBOR_ADDR", ":8080", 3},
		{"HARBOR_DATA_DIR", `C:\ProgramData\harbor\outlet`, 4},
		{"HARBOR_OUTLET_NAME", "十堰 营业部", 5},
		{"HARBOR_BASE_URL", "http://10.0.0.5:8080", 6},
		{"HARBOR_LOG_FORMAT", "", 7},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	for in, msg := range map[string]string{
		"HARBOR_ADDR :8080\n":                 "line 1: want NAME=value",
		"=x\n":                                "line 1: want NAME=value",
		"#\nHARBOR NAME=1\n":                  "line 2: want NAME=value",
		"HARBOR_OUTLET_NAME=\xcd\xf8\xb5\xe3": "line 1 is not UTF-8", // 网点 in GBK, as old Notepad saves
	} {
		if _, err := ParseSettings(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: %v, want %q", in, err, msg)
		}
	}
}

// TestSettingsPrecedence: a flag wins over the environment, which wins over
// the file named by --config (or HARBOR_CONFIG).
func TestSettingsPrecedence(t *testing.T) {
	file := filepath.Join(t.TempDir(), "outlet.env")
	os.WriteFile(file, []byte("HARBOR_ADDR=:1111\nHARBOR_OUTLET_CODE=FILE01\nHARBOR_TIMEZONE=Asia/Urumqi\n"), 0o600)
	env := map[string]string{"HARBOR_OUTLET_CODE": "ENV01", "HARBOR_TIMEZONE": "Asia/Tokyo", "HARBOR_CONFIG": file}
	var c Outlet
	fs := flag.NewFlagSet("outlet", flag.ContinueOnError)
	OutletFlags(fs, &c)
	if _, err := Parse(fs, []string{"--timezone", "Europe/Berlin"}, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":1111" || c.Code != "ENV01" || c.TimeZone != "Europe/Berlin" {
		t.Fatalf("addr %q (want the file's), code %q (want the environment's), timezone %q (want the flag's)", c.Addr, c.Code, c.TimeZone)
	}
}

func TestSettingsFileRefusesUnknownNames(t *testing.T) {
	dir := t.TempDir()
	for content, msg := range map[string]string{
		"HARBOR_ADDR=:1\nHARBOR_DB=postgres://x\n": "line 2: HARBOR_DB is not a setting of 'harbor outlet'",
		"HARBOR_CONFIG=/etc/other.env\n":           "HARBOR_CONFIG is not a setting",
		"HARBOR_RATE_LIMIT=many\n":                 `line 1: HARBOR_RATE_LIMIT="many"`,
	} {
		file := filepath.Join(dir, "outlet.env")
		os.WriteFile(file, []byte(content), 0o600)
		fs := flag.NewFlagSet("outlet", flag.ContinueOnError)
		OutletFlags(fs, new(Outlet))
		if _, err := Parse(fs, []string{"--config", file}, nil); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: %v, want %q", content, err, msg)
		}
	}
	fs := flag.NewFlagSet("outlet", flag.ContinueOnError)
	OutletFlags(fs, new(Outlet))
	if _, err := Parse(fs, []string{"--config", filepath.Join(dir, "missing.env")}, nil); err == nil || !strings.Contains(err.Error(), "--config") {
		t.Errorf("missing file: %v", err)
	}
}

// TestExampleSettingsFiles: every line of deploy/outlet.env,
// deploy/branch.env and deploy/gateway.env, commented-out ones included,
// names a setting of its role, and the files configure a valid server.
func TestExampleSettingsFiles(t *testing.T) {
	for role, register := range map[string]func(*flag.FlagSet){
		"outlet":  func(fs *flag.FlagSet) { OutletFlags(fs, new(Outlet)) },
		"branch":  func(fs *flag.FlagSet) { BranchFlags(fs, new(Branch)) },
		"gateway": func(fs *flag.FlagSet) { GatewayFlags(fs, new(Gateway)) },
	} {
		b, err := deploy.Settings(role)
		if err != nil {
			t.Fatal(err)
		}
		uncommented := strings.ReplaceAll(string(b), "\n#HARBOR_", "\nHARBOR_")
		settings, err := ParseSettings(strings.NewReader(uncommented))
		if err != nil || len(settings) < 5 {
			t.Fatalf("%s.env: %d settings, %v", role, len(settings), err)
		}
		fs := flag.NewFlagSet(role, flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		register(fs)
		for _, s := range settings {
			if !strings.HasPrefix(s.Name, "HARBOR_") || fs.Lookup(strings.ToLower(strings.ReplaceAll(s.Name[7:], "_", "-"))) == nil {
				t.Errorf("%s.env line %d: %s is no flag of harbor %s", role, s.Line, s.Name, role)
			}
		}
	}
	var c Outlet
	fs := flag.NewFlagSet("outlet", flag.ContinueOnError)
	OutletFlags(fs, &c)
	file := filepath.Join(t.TempDir(), "outlet.env")
	b, _ := deploy.Settings("outlet")
	os.WriteFile(file, b, 0o600)
	if _, err := Parse(fs, []string{"--config", file}, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil || c.Code != "SY001" || c.BaseURL != "http://10.20.1.5:8080" {
		t.Fatalf("outlet.env: code %q base %q: %v", c.Code, c.BaseURL, err)
	}
}
