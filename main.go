// Command harbor runs a Workers' Harbor outlet or branch server; see README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"harbor/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
	stop()
	os.Exit(code)
}
