package service

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"

	"harbor/deploy"
)

// homeLike are folders a harbor unit cannot reach: ProtectHome= hides the
// first three, PrivateTmp= gives the service its own /tmp and /var/tmp.
var homeLike = []string{"/home/", "/root/", "/run/user/", "/tmp/", "/var/tmp/"}

// RenderUnit is the role's systemd unit from deploy/ with this install's
// binary, settings file and data folder. A data folder under /var/lib is a
// StateDirectory= (systemd creates it, owned by the service user); anywhere
// else it is a ReadWritePaths= (ProtectSystem=strict makes the rest
// read-only) that the installer creates.
func (s Settings) RenderUnit() ([]byte, error) {
	for _, p := range []string{s.Exe, s.ConfigFile, s.DataDir} {
		if strings.ContainsAny(p, " \t\"'\\%$;") {
			return nil, fmt.Errorf("%q: a path in a systemd unit must not contain spaces, quotes, \\, %%, $ or ;", p)
		}
	}
	for _, dir := range homeLike {
		if strings.HasPrefix(s.Exe, dir) || strings.HasPrefix(s.DataDir+"/", dir) {
			return nil, fmt.Errorf("the service cannot reach %s: install the binary (e.g. /usr/local/bin/harbor) "+
				"and the data outside %s, /root, /tmp and /var/tmp", strings.TrimSuffix(dir, "/"), "/home")
		}
	}
	tmpl, err := deploy.Unit(s.Role)
	if err != nil {
		return nil, err
	}
	state, underVarLib := cutVarLib(s.DataDir)
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(tmpl))
	for sc.Scan() {
		line := sc.Text()
		key, _, _ := strings.Cut(line, "=")
		switch key {
		case "ExecStart":
			line = "ExecStart=" + strings.Join(append([]string{s.Exe}, s.RoleArgs()...), " ")
		case "StateDirectory":
			line = "StateDirectory=" + state
			if !underVarLib {
				line = "ReadWritePaths=" + s.DataDir
			}
		case "StateDirectoryMode":
			if !underVarLib {
				continue
			}
		}
		out.WriteString(line + "\n")
	}
	return out.Bytes(), sc.Err()
}

// cutVarLib returns dir relative to /var/lib, and whether it is under it.
func cutVarLib(dir string) (string, bool) { return strings.CutPrefix(dir, "/var/lib/") }
