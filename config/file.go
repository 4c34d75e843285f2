package config

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// ConfigFlag names the flag every server command takes for a settings file.
const ConfigFlag = "config"

// ConfigFileFlag registers --config: a settings file in the format of
// deploy/*.env, read after the flags and the environment (see Parse).
func ConfigFileFlag(fs *flag.FlagSet) {
	fs.String(ConfigFlag, "", "settings file of HARBOR_NAME=value lines (deploy/outlet.env, deploy/branch.env); flags and HARBOR_* variables win over it")
}

// Setting is one NAME=value line of a settings file.
type Setting struct {
	Name, Value string
	Line        int
}

// ParseSettings reads the settings-file format every OS uses: the env-file
// format of deploy/*.env and systemd's EnvironmentFile. Each line is
// NAME=value (spaces around the = are allowed); blank lines and lines
// starting with # are skipped; a value wrapped in matching single or double
// quotes loses them; nothing else is unescaped, so Windows paths stay as
// written. A UTF-8 byte-order mark and CRLF line ends (Notepad) are fine;
// other encodings are refused rather than misread.
func ParseSettings(r io.Reader) ([]Setting, error) {
	var out []Setting
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		raw := sc.Bytes()
		if n == 1 {
			raw = bytes.TrimPrefix(raw, []byte("\uFEFF"))
		}
		if !utf8.Valid(raw) {
			return nil, fmt.Errorf("line %d is not UTF-8: save the file as UTF-8", n)
		}
		line := strings.TrimSpace(string(raw))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return nil, fmt.Errorf("line %d: want NAME=value, e.g. HARBOR_ADDR=:8080", n)
		}
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
			value = value[1 : len(value)-1]
		}
		out = append(out, Setting{Name: name, Value: value, Line: n})
	}
	return out, sc.Err()
}

// ReadSettingsFile parses the settings file at path.
func ReadSettingsFile(path string) ([]Setting, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := ParseSettings(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// applySettingsFile sets, from the file named by --config, every flag of fs
// that neither the command line nor the environment set. A name that is no
// flag of this command is refused, so that a typo does not pass unnoticed.
func applySettingsFile(fs *flag.FlagSet, path string) error {
	settings, err := ReadSettingsFile(path)
	if err != nil {
		return fmt.Errorf("--config: %w", err)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	byEnv := map[string]string{}
	fs.VisitAll(func(f *flag.Flag) { byEnv[EnvName(f.Name)] = f.Name })
	for _, s := range settings {
		name, ok := byEnv[s.Name]
		if !ok || name == ConfigFlag {
			return fmt.Errorf("%s line %d: %s is not a setting of 'harbor %s'", path, s.Line, s.Name, fs.Name())
		}
		if set[name] {
			continue
		}
		if err := fs.Set(name, s.Value); err != nil {
			return fmt.Errorf("%s line %d: %s=%q: %v", path, s.Line, s.Name, s.Value, err)
		}
	}
	return nil
}
