// Package deploy embeds the systemd units and the example settings files
// of this folder, so that 'harbor service install' writes exactly the files
// that docs/DEPLOY.md describes and the release archives carry.
package deploy

import "embed"

// Files holds the units harbor-outlet.service, harbor-branch.service and
// harbor-gateway.service, and outlet.env, branch.env and gateway.env.
//
//go:embed *.service *.env
var Files embed.FS

// Unit returns the systemd unit of role ("outlet" or "branch").
func Unit(role string) ([]byte, error) { return Files.ReadFile("harbor-" + role + ".service") }

// Settings returns the example settings file of role.
func Settings(role string) ([]byte, error) { return Files.ReadFile(role + ".env") }
