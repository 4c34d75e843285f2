//go:build windows

package service

import (
	"context"
	"fmt"

	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/eventlog"
)

// Run runs serve as the Windows service name when the service control
// manager started this process: a stop or shutdown request cancels serve's
// context (the same graceful drain as SIGTERM) and the service reports
// stopped once serve returns. Start, stop and failures also go to the
// Windows event log. Started from a console, Run just calls serve (Ctrl+C
// stops it).
func Run(ctx context.Context, name string, serve func(context.Context) error) error {
	isService, err := svc.IsWindowsService()
	if err != nil || !isService {
		return serve(ctx)
	}
	h := &handler{ctx: ctx, name: name, serve: serve}
	if h.log, err = eventlog.Open(name); err == nil {
		defer h.log.Close()
	}
	if err := svc.Run(name, h); err != nil {
		return err
	}
	return h.err
}

type handler struct {
	ctx   context.Context
	name  string
	serve func(context.Context) error
	log   *eventlog.Log // nil when the event source is missing
	err   error
}

// Event ids in the event log.
const (
	eventStarted = 1
	eventStopped = 2
	eventFailed  = 3
)

func (h *handler) Execute(_ []string, requests <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	status <- svc.Status{State: svc.StartPending}
	ctx, cancel := context.WithCancel(h.ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- h.serve(ctx) }()
	status <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop | svc.AcceptShutdown}
	h.event(eventStarted, nil)
	for {
		select {
		case h.err = <-done: // stopped on its own: a failure the manager may restart
			h.event(eventFailed, h.err)
			return true, 1
		case r := <-requests:
			switch r.Cmd {
			case svc.Interrogate:
				status <- r.CurrentStatus
			case svc.Stop, svc.Shutdown:
				status <- svc.Status{State: svc.StopPending, WaitHint: uint32(stopWait.Milliseconds())}
				cancel()
				if h.err = <-done; h.err != nil {
					h.event(eventFailed, h.err)
					return true, 1
				}
				h.event(eventStopped, nil)
				return false, 0
			}
		}
	}
}

func (h *handler) event(id uint32, err error) {
	if h.log == nil {
		return
	}
	switch id {
	case eventStarted:
		h.log.Info(id, fmt.Sprintf("%s 已启动 started", h.name))
	case eventStopped:
		h.log.Info(id, fmt.Sprintf("%s 已停止 stopped (drained)", h.name))
	default:
		h.log.Error(id, fmt.Sprintf("%s 出错停止 stopped with an error: %v", h.name, err))
	}
}
