package app

import (
	"fmt"
	"io"
	"log/slog"

	"harbor/app/fsperm"
)

// WarnIfExposed says, in the log and as a line on out, when others than
// its owner can read the data folder dir: the databases in it hold the
// role's secrets (the QR secret, the display key, password hashes) and an
// outlet's signing key. Harbor creates the folder and its files for the
// owner only, but a folder made by hand or by an older version may be open.
func WarnIfExposed(out io.Writer, dir string) {
	if exposed, err := fsperm.Exposed(dir); err != nil || !exposed {
		return
	}
	msg := fmt.Sprintf("the data folder %s can be read by other users of this machine, and it holds the secrets "+
		"(QR secret, password hashes, keys): make it the service account's alone, e.g. chmod 700 %s", dir, dir)
	slog.Warn(msg)
	fmt.Fprintf(out, "WARNING: %s\n", msg)
}
