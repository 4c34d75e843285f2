package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"
)

// cpuProfiled runs run under the CPU profiler writing to path, and says
// what the profile holds; with path "" it just runs run. It returns run's
// error.
func cpuProfiled(path, what string, run func() error) error {
	return recorded(path, "CPU profile of "+what, pprof.StartCPUProfile, pprof.StopCPUProfile, run)
}

// traced runs run under the execution tracer writing to path (read it with
// go tool trace -pprof=sched|sync|syscall).
func traced(path, what string, run func() error) error {
	return recorded(path, "execution trace of "+what, trace.Start, trace.Stop, run)
}

func recorded(path, what string, start func(io.Writer) error, stop func(), run func() error) error {
	if path == "" {
		return run()
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := start(f); err != nil {
		return err
	}
	err = run()
	stop()
	fmt.Printf("%s: %s\n", what, path)
	return err
}
