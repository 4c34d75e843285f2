package cli

import (
	"context"
	"fmt"

	"harbor/config"
)

const branchBackupUsage = `harbor branch backup — write a consistent copy of the branch's SQLite
database while it serves.

Usage: harbor branch backup FILE [--data-dir D]

FILE is a new SQLite file (VACUUM INTO: a consistent snapshot; serving goes
on). To restore, stop the branch and copy FILE to DATA_DIR/branch.db.
A branch on PostgreSQL is backed up with PostgreSQL's own tools:
  pg_dump --format=custom --file=harbor.dump 'postgres://USER@HOST/DB'`

func branchBackup(ctx context.Context, args []string, env Env) error {
	cfg, pos, err := parseBranchCommand("branch backup", branchBackupUsage, args, env, []string{"FILE"}, nil)
	if err != nil {
		return err
	}
	if cfg.DBDriver == config.DriverPostgres {
		return fmt.Errorf("the branch database is PostgreSQL (%s): back it up with pg_dump, e.g. "+
			"pg_dump --format=custom --file=harbor.dump '%s' (and restore with pg_restore)", cfg.DBLabel(), cfg.DBLabel())
	}
	svc, err := openBranch(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer svc.Close()
	if err := svc.DB().Backup(ctx, pos[0]); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(env.Stdout, "wrote %s\n", pos[0])
	return nil
}
