package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"harbor/app/fsperm"
	"harbor/app/outlet"
)

const outletBackupUsage = `harbor outlet backup — write a consistent copy of the outlet database while it serves.

Usage: harbor outlet backup FILE [--data-dir D]

FILE is a new SQLite file (VACUUM INTO: a consistent snapshot; serving goes
on), readable by its owner only: it holds the outlet's secrets. When the
outlet is enrolled, its key file is copied to FILE.branch.json (mode 0600):
keep both. To restore, stop the outlet and copy FILE to
DATA_DIR/outlet.db and FILE.branch.json to DATA_DIR/branch.json.`

func outletBackup(ctx context.Context, args []string, env Env) error {
	svc, pos, err := openOutletForCommand(ctx, "outlet backup", outletBackupUsage, args, env, []string{"FILE"}, nil)
	if err != nil {
		return err
	}
	defer svc.Close()
	dest := pos[0]
	if err := svc.Backup(ctx, dest); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(env.Stdout, "wrote %s\n", dest)
	key, err := os.ReadFile(filepath.Join(svc.Config().DataDir, outlet.LinkFile))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := fsperm.WriteFile(dest+".branch.json", key); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s.branch.json (the outlet's signing key: keep it private)\n", dest)
	return nil
}
