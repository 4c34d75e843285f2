package branch_test

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/app/branch/branchseed"
	"harbor/config"
)

// bulletinNetwork is the network the bulletin benchmarks score: 1,000
// outlets reporting every day from July to October 2026.
var bulletinNetwork = branchseed.Network{Outlets: 1000, From: "2026-07-01", To: "2026-10-31", ChildFrom: "2026-10-01"}

// BenchmarkBulletin builds October's bulletin and the third quarter's
// (from its three months) of bulletinNetwork: the assessment, every
// outlet-day's row of the period (days on time, hours, feedback), the
// scores and the fund shared.
func BenchmarkBulletin(b *testing.B) {
	eachBackend(b, func(b *testing.B, cfg config.Branch) {
		br := apptest.NewBranch(b, cfg) // 2026-11-25
		seed, err := bulletinNetwork.Statements(br.Svc.DB().Dialect())
		if err != nil {
			b.Fatal(err)
		}
		if err := br.Svc.DB().Write.Transaction(func(tx *gorm.DB) error {
			for _, q := range seed {
				if err := tx.Exec(q).Error; err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		month, _ := branch.MonthPeriod("2026-10")
		quarter, _ := branch.QuarterPeriod("2026Q3")
		for _, p := range []branch.Period{month, quarter} {
			b.Run(p.Kind, func(b *testing.B) {
				for b.Loop() {
					bl, err := br.Svc.Bulletin(context.Background(), p)
					if err != nil || len(bl.Outlets) != bulletinNetwork.Outlets {
						b.Fatalf("%d outlets scored (%v)", len(bl.Outlets), err)
					}
				}
			})
		}
	})
}
