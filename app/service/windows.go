//go:build windows

package service

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/eventlog"
	"golang.org/x/sys/windows/svc/mgr"

	"harbor/app/fsperm"
)

// stopWait bounds a stop: the HTTP drain (10 s) and closing the database.
const stopWait = 30 * time.Second

// Windows manages harbor's services with the service control manager.
type Windows struct{ Out io.Writer }

// NewManager returns the Windows service manager, writing what it does to out.
func NewManager(out io.Writer) Manager { return Windows{Out: out} }

// Install writes the settings file (unless there is one) and the data
// folder, both for SYSTEM, Administrators and the installing account only,
// registers the service to start at boot (delayed, after the
// network) as LocalSystem, restarting it when it fails, registers its event
// log source, and starts it, unless the settings file was just written from
// the example (to be edited first).
func (w Windows) Install(s Settings) error {
	wrote, err := writeSettingsFile(s, s.ConfigFile, w.Out)
	if err != nil {
		return err
	}
	// Under %ProgramData% every user may read what is not restricted: the
	// data holds the outlet's secrets, a branch's settings file may hold a
	// database password.
	if err := os.MkdirAll(s.DataDir, 0o700); err != nil {
		return err
	}
	if err := fsperm.Restrict(s.DataDir); err != nil {
		return err
	}
	if err := fsperm.Restrict(s.ConfigFile); err != nil {
		return err
	}
	m, err := mgr.Connect()
	if err != nil {
		return fmt.Errorf("connect to the service manager (run as Administrator): %w", err)
	}
	defer m.Disconnect()
	if old, err := m.OpenService(s.Name); err == nil {
		old.Close()
		return fmt.Errorf("service %s is already installed: 'harbor service uninstall --role %s' first", s.Name, s.Role)
	}
	sv, err := m.CreateService(s.Name, s.Exe, mgr.Config{
		DisplayName:      "harbor " + s.Role + " (劳动者港湾)",
		Description:      "Workers' Harbor " + s.Role + " server; settings " + s.ConfigFile + ", data " + s.DataDir + ", log " + s.LogFile,
		StartType:        mgr.StartAutomatic,
		DelayedAutoStart: true,
	}, s.Args()...)
	if err != nil {
		return fmt.Errorf("create service %s: %w", s.Name, err)
	}
	defer sv.Close()
	restart := []mgr.RecoveryAction{{Type: mgr.ServiceRestart, Delay: 5 * time.Second},
		{Type: mgr.ServiceRestart, Delay: 30 * time.Second}, {Type: mgr.ServiceRestart, Delay: time.Minute}}
	if err := sv.SetRecoveryActions(restart, 24*60*60); err != nil {
		return err
	}
	if err := sv.SetRecoveryActionsOnNonCrashFailures(true); err != nil {
		return err
	}
	eventlog.Remove(s.Name) // left by an earlier install, if any
	if err := eventlog.InstallAsEventCreate(s.Name, eventlog.Error|eventlog.Warning|eventlog.Info); err != nil {
		return fmt.Errorf("register the event log source: %w", err)
	}
	fmt.Fprintf(w.Out, "installed service %s: %s %v\n", s.Name, s.Exe, s.Args())
	if wrote { // the example's outlet code and base URL are not this outlet's
		return nil
	}
	return w.Start(s)
}

// Uninstall stops the service and removes it and its event log source; the
// settings file, data and log stay.
func (w Windows) Uninstall(s Settings) error {
	if err := w.Stop(s); err != nil {
		return err
	}
	return w.with(s, func(sv *mgr.Service) error {
		if err := sv.Delete(); err != nil {
			return err
		}
		eventlog.Remove(s.Name)
		fmt.Fprintf(w.Out, "removed service %s (kept %s and %s)\n", s.Name, s.ConfigFile, s.DataDir)
		return nil
	})
}

// Start starts the service and waits until it runs.
func (w Windows) Start(s Settings) error {
	return w.with(s, func(sv *mgr.Service) error {
		if err := sv.Start(); err != nil {
			return fmt.Errorf("start %s: %w", s.Name, err)
		}
		return w.await(sv, svc.Running)
	})
}

// Stop asks the service to stop, which drains check-ins as SIGTERM does,
// and waits until it has.
func (w Windows) Stop(s Settings) error {
	return w.with(s, func(sv *mgr.Service) error {
		st, err := sv.Query()
		if err != nil {
			return err
		}
		if st.State == svc.Stopped {
			fmt.Fprintf(w.Out, "%s is stopped\n", s.Name)
			return nil
		}
		if _, err := sv.Control(svc.Stop); err != nil {
			return fmt.Errorf("stop %s: %w", s.Name, err)
		}
		return w.await(sv, svc.Stopped)
	})
}

// Status prints the service's state.
func (w Windows) Status(s Settings) error {
	return w.with(s, func(sv *mgr.Service) error {
		st, err := sv.Query()
		if err != nil {
			return err
		}
		fmt.Fprintf(w.Out, "%s: %s", s.Name, stateNames[st.State])
		if st.ProcessId != 0 {
			fmt.Fprintf(w.Out, " (pid %d)", st.ProcessId)
		}
		fmt.Fprintf(w.Out, "\n  settings %s\n  data     %s\n  log      %s\n", s.ConfigFile, s.DataDir, s.LogFile)
		if st.State != svc.Running {
			return fmt.Errorf("%s is not running", s.Name)
		}
		return nil
	})
}

var stateNames = map[svc.State]string{svc.Stopped: "stopped", svc.StartPending: "starting", svc.StopPending: "stopping",
	svc.Running: "running", svc.ContinuePending: "resuming", svc.PausePending: "pausing", svc.Paused: "paused"}

// with opens the installed service s for fn.
func (w Windows) with(s Settings, fn func(*mgr.Service) error) error {
	m, err := mgr.Connect()
	if err != nil {
		return fmt.Errorf("connect to the service manager (run as Administrator): %w", err)
	}
	defer m.Disconnect()
	sv, err := m.OpenService(s.Name)
	if err != nil {
		return fmt.Errorf("service %s is not installed ('harbor service install --role %s'): %w", s.Name, s.Role, err)
	}
	defer sv.Close()
	return fn(sv)
}

// await waits up to stopWait for the service to reach state.
func (w Windows) await(sv *mgr.Service, state svc.State) error {
	deadline := time.Now().Add(stopWait)
	for {
		st, err := sv.Query()
		if err != nil {
			return err
		}
		if st.State == state {
			fmt.Fprintf(w.Out, "%s is %s\n", sv.Name, stateNames[state])
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s is still %s after %s; see its log", sv.Name, stateNames[st.State], stopWait)
		}
		time.Sleep(300 * time.Millisecond)
	}
}
