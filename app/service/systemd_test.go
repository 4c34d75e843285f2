//go:build !windows

package service

import (
	"bytes"
	"os"
	"os/exec"
	"os/user"
	"reflect"
	"strings"
	"testing"

	"harbor/app/apptest"
)

// TestSystemdInstall: install writes the settings file and the unit and
// enables the unit; uninstall disables it and removes only the unit. The
// systemctl commands are recorded, not run: this machine's systemd (if
// any) is not the test's to change.
func TestSystemdInstall(t *testing.T) {
	me, err := user.Current()
	if err != nil {
		t.Skip("no current user:", err)
	}
	root := t.TempDir()
	var ran []string
	var out bytes.Buffer
	m := Systemd{Root: root, User: me.Username, Out: &out, Run: func(name string, args ...string) error {
		ran = append(ran, name+" "+strings.Join(args, " "))
		return nil
	}}
	s, _ := Resolve("linux", "outlet", "", "/srv/harbor/outlet", "/usr/local/bin/harbor", "")
	if err := m.Install(s); err != nil {
		t.Fatal(err)
	}
	unitFile := root + "/etc/systemd/system/harbor-outlet.service"
	unit, _ := os.ReadFile(unitFile)
	want, _ := s.RenderUnit()
	if !bytes.Equal(unit, want) {
		t.Errorf("unit file:\n%s", unit)
	}
	if err := s.CheckSettingsFile(root + "/etc/harbor/outlet.env"); err != nil {
		t.Error(err)
	}
	if st, err := os.Stat(root + "/srv/harbor/outlet"); err != nil || !st.IsDir() {
		t.Errorf("data folder outside /var/lib not created: %v", err)
	}
	if err := m.Uninstall(s); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(unitFile); !os.IsNotExist(err) {
		t.Errorf("unit file still there: %v", err)
	}
	if _, err := os.Stat(root + "/etc/harbor/outlet.env"); err != nil {
		t.Errorf("uninstall removed the settings file: %v", err)
	}
	wantRan := []string{"systemctl daemon-reload", "systemctl enable harbor-outlet",
		"systemctl disable --now harbor-outlet", "systemctl daemon-reload"}
	if !reflect.DeepEqual(ran, wantRan) {
		t.Errorf("ran %q, want %q", ran, wantRan)
	}
	m.User = "no-such-user-here"
	if err := m.Install(s); err == nil || !strings.Contains(err.Error(), "useradd --system") {
		t.Errorf("missing service user: %v", err)
	}
}

// TestUnitsVerify: systemd itself accepts the rendered units, default and
// with a data folder outside /var/lib (systemd-analyze verify, which also
// wants the binary to exist: /bin/true stands in for it).
func TestUnitsVerify(t *testing.T) {
	analyze := apptest.Tool(t, "systemd-analyze", "systemd")
	dir := t.TempDir()
	for _, data := range []string{"", "/srv/harbor/outlet"} {
		for _, role := range Roles {
			s, _ := Resolve("linux", role, "", data, "/bin/true", "")
			unit, err := s.RenderUnit()
			if err != nil {
				t.Fatal(err)
			}
			file := dir + "/" + s.Name + ".service"
			os.WriteFile(file, unit, 0o644)
			out, err := exec.Command(analyze, "verify", file).CombinedOutput()
			if err != nil || len(out) > 0 {
				t.Errorf("%s (data %q): %v\n%s", s.Name, data, err, out)
			}
		}
	}
}
