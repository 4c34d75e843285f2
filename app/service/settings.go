// Package service runs harbor as the operating system's service: a Windows
// service (service control manager, event log, a rotating log file) or a
// systemd unit. What decides paths, arguments and the unit's text is plain
// code here, tested on Linux; the calls into Windows sit in *_windows.go.
package service

import (
	"fmt"
	"strings"

	"harbor/config"
	"harbor/deploy"
)

// Roles a service can run.
var Roles = []string{"outlet", "branch"}

// Settings is one installed service: which role, which binary, and where its
// settings file, data and log are.
type Settings struct {
	GOOS       string // the OS it is for: "windows", or a systemd Linux
	Role       string // outlet or branch
	Name       string // harbor-outlet, harbor-branch: service and unit name
	Exe        string // the binary the service starts
	ConfigFile string // settings file (deploy/*.env format)
	DataDir    string
	LogFile    string // the rotating log of 'harbor service run'
}

// Resolve fills the defaults of goos around what the installer gave: on
// Windows the settings file %ProgramData%\harbor\ROLE.env next to the data
// folder %ProgramData%\harbor\ROLE; on Linux /etc/harbor/ROLE.env and
// /var/lib/harbor/ROLE, as in deploy/. programData is %ProgramData%
// (empty: C:\ProgramData). Paths must be absolute: a service does not start
// in the folder the installer stood in.
func Resolve(goos, role, configFile, dataDir, exe, programData string) (Settings, error) {
	s := Settings{GOOS: goos, Role: role, Name: "harbor-" + role, Exe: exe, ConfigFile: configFile, DataDir: dataDir}
	if !validRole(role) {
		return s, fmt.Errorf("--role %q: use outlet or branch", role)
	}
	if goos == "windows" {
		base := strings.TrimRight(programData, `\`)
		if base == "" {
			base = `C:\ProgramData`
		}
		base += `\harbor`
		s.ConfigFile = or(s.ConfigFile, base+`\`+role+".env")
		s.DataDir = strings.TrimRight(or(s.DataDir, base+`\`+role), `\`)
		s.LogFile = s.DataDir + `\logs\` + s.Name + ".log"
	} else {
		s.ConfigFile = or(s.ConfigFile, "/etc/harbor/"+role+".env")
		s.DataDir = strings.TrimRight(or(s.DataDir, "/var/lib/harbor/"+role), "/")
		s.LogFile = s.DataDir + "/logs/" + s.Name + ".log"
	}
	for flag, p := range map[string]string{"--config": s.ConfigFile, "--data-dir": s.DataDir, "the binary": s.Exe} {
		if !isAbs(goos, p) {
			return s, fmt.Errorf("%s %q: give a full path (a service does not start in this folder)", flag, p)
		}
	}
	return s, nil
}

// Args are the arguments the service manager starts Exe with.
func (s Settings) Args() []string {
	return []string{"service", "run", "--role", s.Role, "--config", s.ConfigFile, "--data-dir", s.DataDir}
}

// RoleArgs is the command line of the role that 'harbor service run' runs.
func (s Settings) RoleArgs() []string {
	return []string{s.Role, "--config", s.ConfigFile, "--data-dir", s.DataDir}
}

// NewSettingsFile is the settings file an install writes when there is
// none yet: the role's example from deploy/ with the data folder added, so
// that 'harbor ROLE ... --config FILE' finds the service's data.
func (s Settings) NewSettingsFile() ([]byte, error) {
	b, err := deploy.Settings(s.Role)
	if err != nil {
		return nil, err
	}
	nl := "\n"
	if s.GOOS == "windows" {
		nl = "\r\n" // for Notepad before Windows 10 1809
		b = []byte(strings.ReplaceAll(string(b), "\n", nl))
	}
	return append(b, []byte("# The data folder, as given to 'harbor service install':"+nl+
		config.EnvName("data-dir")+"="+s.DataDir+nl)...), nil
}

// CheckSettingsFile checks an existing settings file at path (s.ConfigFile)
// against the install: its data folder, if it names one, must be the
// service's.
func (s Settings) CheckSettingsFile(path string) error {
	settings, err := config.ReadSettingsFile(path)
	if err != nil {
		return err
	}
	for _, st := range settings {
		if st.Name == config.EnvName("data-dir") && strings.TrimRight(st.Value, `\/`) != s.DataDir {
			return fmt.Errorf("%s line %d names the data folder %s, but the service would use %s: "+
				"give --data-dir %s, or change that line", s.ConfigFile, st.Line, st.Value, s.DataDir, st.Value)
		}
	}
	return nil
}

func validRole(role string) bool { return role == Roles[0] || role == Roles[1] }

func isAbs(goos, p string) bool {
	if goos == "windows" {
		return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') || strings.HasPrefix(p, `\\`)
	}
	return strings.HasPrefix(p, "/")
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
