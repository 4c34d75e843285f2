//go:build !windows

package service

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
)

// Systemd manages harbor's units with systemctl.
type Systemd struct {
	// Root prefixes every file written ("" for the machine itself; a
	// package build or a test names a scratch folder, like DESTDIR).
	Root string
	User string // the account the units run as: harbor
	// Run runs a command (systemctl), its output going to Out.
	Run func(name string, args ...string) error
	Out io.Writer
}

// NewManager returns systemd's manager, writing what it does to out.
func NewManager(out io.Writer) Manager {
	return Systemd{User: "harbor", Out: out,
		Run: func(name string, args ...string) error {
			cmd := exec.Command(name, args...)
			cmd.Stdout, cmd.Stderr = out, out
			return cmd.Run()
		}}
}

// Install writes the unit and enables it; it starts it too unless it also
// had to write the settings file (from the example, to be edited first).
func (m Systemd) Install(s Settings) error {
	u, err := user.Lookup(m.User)
	if err != nil {
		return fmt.Errorf("the service runs as user %q, which does not exist: "+
			"useradd --system --home /var/lib/harbor --shell /usr/sbin/nologin %s", m.User, m.User)
	}
	gid, _ := strconv.Atoi(u.Gid)
	unit, err := s.RenderUnit()
	if err != nil {
		return err
	}
	wrote, err := writeSettingsFile(s, m.Root+s.ConfigFile, m.Out)
	if err != nil {
		return err
	}
	if wrote {
		// Readable by the service's group only: a branch's file may hold
		// a database password.
		if err := os.Chown(m.Root+s.ConfigFile, -1, gid); err != nil {
			return err
		}
	}
	if _, underVarLib := cutVarLib(s.DataDir); !underVarLib {
		uid, _ := strconv.Atoi(u.Uid)
		if err := os.MkdirAll(m.Root+s.DataDir, 0o700); err != nil {
			return err
		}
		if err := os.Chown(m.Root+s.DataDir, uid, gid); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Dir(m.unitFile(s)), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(m.unitFile(s), unit, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(m.Out, "wrote %s\n", m.unitFile(s))
	if err := m.Run("systemctl", "daemon-reload"); err != nil {
		return err
	}
	if wrote { // the example's outlet code and base URL are not this outlet's
		return m.Run("systemctl", "enable", s.Name)
	}
	return m.Run("systemctl", "enable", "--now", s.Name)
}

// Uninstall stops and disables the unit and removes its file; the settings
// file and the data stay.
func (m Systemd) Uninstall(s Settings) error {
	if err := m.Run("systemctl", "disable", "--now", s.Name); err != nil {
		return err
	}
	if err := os.Remove(m.unitFile(s)); err != nil {
		return err
	}
	fmt.Fprintf(m.Out, "removed %s (kept %s and %s)\n", m.unitFile(s), s.ConfigFile, s.DataDir)
	return m.Run("systemctl", "daemon-reload")
}

// Start starts the unit.
func (m Systemd) Start(s Settings) error { return m.Run("systemctl", "start", s.Name) }

// Stop stops the unit: SIGTERM, which drains check-ins.
func (m Systemd) Stop(s Settings) error { return m.Run("systemctl", "stop", s.Name) }

// Status prints systemctl's status of the unit.
func (m Systemd) Status(s Settings) error {
	return m.Run("systemctl", "status", "--no-pager", "--lines=5", s.Name)
}

func (m Systemd) unitFile(s Settings) string {
	return m.Root + "/etc/systemd/system/" + s.Name + ".service"
}
