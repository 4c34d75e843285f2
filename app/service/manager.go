package service

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Manager installs, removes, starts, stops and reports on a service: the
// Windows service control manager or systemd (NewManager picks it).
type Manager interface {
	Install(s Settings) error
	Uninstall(s Settings) error
	Start(s Settings) error
	Stop(s Settings) error
	Status(s Settings) error
}

// writeSettingsFile writes s's settings file to path (s.ConfigFile, or
// under a scratch root) from the example unless one exists, which is then
// checked instead. It reports whether it wrote one.
func writeSettingsFile(s Settings, path string, out io.Writer) (bool, error) {
	if _, err := os.Stat(path); err == nil {
		return false, s.CheckSettingsFile(path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return false, err
	}
	b, err := s.NewSettingsFile()
	if err != nil {
		return false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, err
	}
	if err := os.WriteFile(path, b, 0o640); err != nil {
		return false, err
	}
	fmt.Fprintf(out, "wrote %s from the example: set this %s's settings in it (for an outlet its code, name and base URL), "+
		"then 'harbor service start --role %s'\n", s.ConfigFile, s.Role, s.Role)
	return true, nil
}
