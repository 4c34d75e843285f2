package service

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"harbor/config"
	"harbor/deploy"
)

func TestResolveDefaults(t *testing.T) {
	for _, c := range []struct {
		goos, role, programData string
		want                    Settings
	}{
		{"windows", "outlet", `D:\ProgramData\`, Settings{GOOS: "windows", Role: "outlet", Name: "harbor-outlet",
			Exe: `C:\Program Files\harbor\harbor.exe`, ConfigFile: `D:\ProgramData\harbor\outlet.env`,
			DataDir: `D:\ProgramData\harbor\outlet`, LogFile: `D:\ProgramData\harbor\outlet\logs\harbor-outlet.log`}},
		{"windows", "branch", "", Settings{GOOS: "windows", Role: "branch", Name: "harbor-branch",
			Exe: `C:\Program Files\harbor\harbor.exe`, ConfigFile: `C:\ProgramData\harbor\branch.env`,
			DataDir: `C:\ProgramData\harbor\branch`, LogFile: `C:\ProgramData\harbor\branch\logs\harbor-branch.log`}},
		{"linux", "outlet", "", Settings{GOOS: "linux", Role: "outlet", Name: "harbor-outlet",
			Exe: "/usr/local/bin/harbor", ConfigFile: "/etc/harbor/outlet.env",
			DataDir: "/var/lib/harbor/outlet", LogFile: "/var/lib/harbor/outlet/logs/harbor-outlet.log"}},
	} {
		exe := c.want.Exe
		got, err := Resolve(c.goos, c.role, "", "", exe, c.programData)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %s:\n got %+v, %v\nwant %+v", c.goos, c.role, got, err, c.want)
		}
	}
	s, _ := Resolve("windows", "outlet", `E:\harbor\outlet.env`, `E:\harbor\data\`, `E:\harbor\harbor.exe`, "")
	want := []string{"service", "run", "--role", "outlet", "--config", `E:\harbor\outlet.env`, "--data-dir", `E:\harbor\data`}
	if !reflect.DeepEqual(s.Args(), want) {
		t.Errorf("service arguments %q, want %q", s.Args(), want)
	}
}

func TestResolveRefuses(t *testing.T) {
	for _, c := range []struct{ goos, role, config, data, exe, msg string }{
		{"linux", "gateway", "", "", "/usr/local/bin/harbor", `--role "gateway"`},
		{"linux", "outlet", "outlet.env", "", "/usr/local/bin/harbor", `--config "outlet.env": give a full path`},
		{"windows", "outlet", "", `data`, `C:\harbor\harbor.exe`, `--data-dir "data": give a full path`},
		{"windows", "outlet", "", "", `harbor.exe`, `the binary "harbor.exe"`},
	} {
		if _, err := Resolve(c.goos, c.role, c.config, c.data, c.exe, ""); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%+v: %v", c, err)
		}
	}
}

// TestUnitDefaultIsDeployFile: with the default paths the rendered unit is
// deploy/'s file, byte for byte, so the unit a manual install copies and
// the one 'harbor service install' writes are the same.
func TestUnitDefaultIsDeployFile(t *testing.T) {
	for _, role := range Roles {
		s, err := Resolve("linux", role, "", "", "/usr/local/bin/harbor", "")
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.RenderUnit()
		want, _ := deploy.Unit(role)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %v\n%s", role, err, got)
		}
	}
}

func TestUnitCustomPaths(t *testing.T) {
	s, _ := Resolve("linux", "outlet", "/opt/harbor/outlet.env", "/srv/harbor/outlet", "/opt/harbor/bin/harbor", "")
	unit, err := s.RenderUnit()
	if err != nil {
		t.Fatal(err)
	}
	text := string(unit)
	for _, want := range []string{
		"\nExecStart=/opt/harbor/bin/harbor outlet --config /opt/harbor/outlet.env --data-dir /srv/harbor/outlet\n",
		"\nReadWritePaths=/srv/harbor/outlet\n", "\nUser=harbor\n", "\nKillSignal=SIGTERM\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("unit lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "StateDirectory") {
		t.Errorf("a data folder outside /var/lib is no StateDirectory:\n%s", text)
	}
	for _, c := range []struct{ data, exe, msg string }{
		{"/srv/harbor data", "/usr/local/bin/harbor", "must not contain spaces"},
		{"/var/lib/harbor/outlet", "/home/it/Downloads/harbor", "cannot reach /home"},
		{"/tmp/harbor", "/usr/local/bin/harbor", "cannot reach /tmp"},
	} {
		s, _ := Resolve("linux", "outlet", "", c.data, c.exe, "")
		if _, err := s.RenderUnit(); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%+v: %v", c, err)
		}
	}
}

// TestNewSettingsFile: the file an install writes is the example plus the
// data folder, in the format every command reads; on Windows with CRLF.
func TestNewSettingsFile(t *testing.T) {
	s, _ := Resolve("windows", "outlet", "", "", `C:\harbor\harbor.exe`, "")
	b, err := s.NewSettingsFile()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Count(b, []byte("\n")) != bytes.Count(b, []byte("\r\n")) {
		t.Error("a Windows settings file has bare LF line ends")
	}
	settings, err := config.ParseSettings(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	last := settings[len(settings)-1]
	if last.Name != "HARBOR_DATA_DIR" || last.Value != `C:\ProgramData\harbor\outlet` {
		t.Errorf("last setting %+v, want the data folder", last)
	}
}

func TestCheckSettingsFile(t *testing.T) {
	dir := t.TempDir()
	s, _ := Resolve("linux", "outlet", filepath.Join(dir, "outlet.env"), filepath.Join(dir, "data"), "/usr/local/bin/harbor", "")
	os.WriteFile(s.ConfigFile, []byte("HARBOR_ADDR=:8080\nHARBOR_DATA_DIR="+dir+"/data/\n"), 0o640)
	if err := s.CheckSettingsFile(s.ConfigFile); err != nil {
		t.Errorf("same folder: %v", err)
	}
	os.WriteFile(s.ConfigFile, []byte("HARBOR_DATA_DIR=/srv/elsewhere\n"), 0o640)
	if err := s.CheckSettingsFile(s.ConfigFile); err == nil || !strings.Contains(err.Error(), "line 1 names the data folder /srv/elsewhere") {
		t.Errorf("other folder: %v", err)
	}
}
