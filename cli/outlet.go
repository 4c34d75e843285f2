package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"

	"harbor/app"
	"harbor/app/outlet"
	"harbor/config"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

const outletUsage = `harbor outlet — serve one outlet's Workers' Harbor.

Usage: harbor outlet [flags]

Starts with no configuration: creates the data folder and database, a demo
outlet profile with the standard amenity catalog enabled, and its secrets,
then prints the addresses to open.

The outlet code, time zone and base URL it serves with are recorded in the
database, and every 'harbor outlet' command uses the recorded ones. A
--outlet-code, --timezone or --base-url that differs from the recorded
value is refused; to change one on purpose, give the new value with
--change-settings.`

func runOutlet(ctx context.Context, args []string, env Env) error {
	if len(args) > 0 {
		switch args[0] {
		case "qr":
			return outletQR(ctx, args[1:], env)
		case "user":
			return outletUser(ctx, args[1:], env)
		case "report":
			return outletReport(ctx, args[1:], env)
		case "enroll":
			return outletEnroll(ctx, args[1:], env)
		case "push":
			return outletPush(ctx, args[1:], env)
		case "backup":
			return outletBackup(ctx, args[1:], env)
		case "check":
			return outletCheck(ctx, args[1:], env)
		case "serve":
			args = args[1:]
		}
	}
	var cfg config.Outlet
	fs := config.NewFlagSet("outlet", outletUsage, env.Stderr)
	config.OutletFlags(fs, &cfg)
	config.ChangeSettingsFlag(fs, &cfg)
	if _, err := parseFlags(fs, args, env); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	setupLogging(cfg.LogFormat, env.Stderr)
	ln, err := app.Listen(cfg.Addr, cfg.TLS, cfg.MaxConnsPerIP, cfg.TrustedProxies)
	if err != nil {
		return err
	}
	cfg.Addr = ln.Addr().String() // a derived base URL names the port opened
	o, err := app.NewOutlet(ctx, cfg, nil)
	if err != nil {
		ln.Close()
		return err
	}
	defer o.Close()
	cfg = o.Cfg // with the recorded settings
	key, err := o.Svc.DisplayKey(ctx)
	if err != nil {
		return err
	}
	app.WarnIfExposed(env.Stdout, cfg.DataDir)
	p := o.Svc.Profile()
	fmt.Fprintf(env.Stdout, "harbor outlet %s 「%s」 listening on %s\n", p.Code, p.Name, ln.Addr())
	fmt.Fprintf(env.Stdout, "  station page (print as QR):  %s\n", o.Svc.StationURL("", o.Svc.PosterToken("")))
	if cfg.PublicURL != "" {
		fmt.Fprintf(env.Stdout, "  on this outlet's Wi-Fi:      %s\n", o.Svc.LocalStationURL("", o.Svc.PosterToken("")))
		fmt.Fprintf(env.Stdout, "  pulls scans from:            %s\n", cfg.GatewayURL)
	}
	fmt.Fprintf(env.Stdout, "  lobby display (keep private): %s/display?key=%s\n", cfg.BaseURL, key)
	fmt.Fprintf(env.Stdout, "  outlet API:                  %s/api/v1/outlet\n", cfg.BaseURL)
	fmt.Fprintf(env.Stdout, "  health:                      %s/healthz\n", cfg.BaseURL)
	fmt.Fprintf(env.Stdout, "  time zone:                   %s\n", cfg.TimeZone)
	fmt.Fprintf(env.Stdout, "  data folder:                 %s\n", cfg.DataDir)
	slog.Info("outlet serving", "addr", ln.Addr().String(), "outlet", p.Code, "data_dir", cfg.DataDir)
	// Start-up (package init, migrations, building the app) leaves garbage
	// that an idle outlet would otherwise keep mapped until the runtime's
	// periodic GC and scavenger get to it: return it now, once (~1 ms).
	debug.FreeOSMemory()
	return o.Run(ctx, ln)
}

// openOutletForCommand parses the shared outlet flags plus extra ones,
// checks the positional arguments against want (see parseFlags) and opens
// the outlet's services with the settings the server recorded. The
// database must exist: the server's first start creates it and records
// the outlet's code, time zone and base URL.
func openOutletForCommand(ctx context.Context, name, synopsis string, args []string, env Env,
	want []string, extra func(*flag.FlagSet)) (*outlet.Service, []string, error) {
	var cfg config.Outlet
	fs := config.NewFlagSet(name, synopsis, env.Stderr)
	config.OutletFlags(fs, &cfg)
	if extra != nil {
		extra(fs)
	}
	pos, err := parseFlags(fs, args, env, want...)
	if err != nil {
		return nil, nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	setupLogging(cfg.LogFormat, env.Stderr)
	path := filepath.Join(cfg.DataDir, outlet.DBFile)
	if _, err := os.Stat(path); err != nil {
		return nil, nil, fmt.Errorf("no outlet database at %s (%w): start the server once ('harbor outlet --data-dir %s'), or pass the right --data-dir",
			path, errors.Unwrap(err), cfg.DataDir)
	}
	svc, err := outlet.Open(ctx, cfg, nil)
	return svc, pos, err
}

const qrUsage = `harbor outlet qr — print the signed URL of the station page or of one
amenity's sticker, and write it as a QR code PNG. With --public-url the URL
is the public gateway's, which phones on any network reach; --local prints
this server's (phones on the outlet's Wi-Fi only).

Usage: harbor outlet qr [--data-dir D] [--amenity CODE] [--local] [--png FILE] [--size PX]`

func outletQR(ctx context.Context, args []string, env Env) error {
	var amenity, png string
	var size int
	var local bool
	svc, _, err := openOutletForCommand(ctx, "outlet qr", qrUsage, args, env, nil, func(fs *flag.FlagSet) {
		fs.StringVar(&amenity, "amenity", "", "amenity code for a sticker (default: the whole station)")
		fs.StringVar(&png, "png", "", "write the QR code to this PNG file")
		fs.IntVar(&size, "size", 1024, "PNG width and height in pixels")
		fs.BoolVar(&local, "local", false, "this server's URL (--base-url) even with --public-url")
	})
	if err != nil {
		return err
	}
	defer svc.Close()
	if amenity != "" {
		if _, ok := svc.EnabledAmenity(amenity); !ok {
			return fmt.Errorf("amenity %q is not offered by this outlet (see GET /api/v1/outlet)", amenity)
		}
	}
	if size < 128 || size > 8192 {
		return fmt.Errorf("--size %d: must be between 128 and 8192", size)
	}
	u := svc.StationURL(amenity, svc.PosterToken(amenity))
	if local {
		u = svc.LocalStationURL(amenity, svc.PosterToken(amenity))
	}
	fmt.Fprintln(env.Stdout, u)
	if png == "" {
		return nil
	}
	b, err := kioskweb.QRPNG(u, size)
	if err != nil {
		return err
	}
	if err := os.WriteFile(png, b, 0o644); err != nil {
		return err
	}
	if err := svc.RecordPostersPrinted(ctx); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "wrote %s (%d×%d)\n", png, size, size)
	return nil
}

const reportUsage = `harbor outlet report — print the report document of one local day as JSON.
Printing records a new revision when the day's figures changed since the last one.

Usage: harbor outlet report [--data-dir D] [--day YYYY-MM-DD]`

func outletReport(ctx context.Context, args []string, env Env) error {
	var day string
	svc, _, err := openOutletForCommand(ctx, "outlet report", reportUsage, args, env, nil, func(fs *flag.FlagSet) {
		fs.StringVar(&day, "day", "", "local day, YYYY-MM-DD (default: today)")
	})
	if err != nil {
		return err
	}
	defer svc.Close()
	if day == "" {
		day, _ = models.LocalDay(svc.Now(), svc.Location())
	}
	r, err := svc.Snapshot(ctx, day)
	if err != nil {
		return err
	}
	return printJSON(env, r)
}
