package gateway

import (
	"context"
	"crypto/ed25519"
	"testing"
	"time"

	"harbor/app/outlet"
	"harbor/app/pull"
	"harbor/config"
	"harbor/models"
)

// testStation opens a gateway on a temporary folder serving one outlet,
// SY001, whose sheet names the poster code tok.
func testStation(tb testing.TB, tok string) *Service {
	tb.Helper()
	cfg := config.GatewayDefaults()
	cfg.DataDir = tb.TempDir()
	cfg.BranchKeys = []ed25519.PublicKey{make([]byte, ed25519.PublicKeySize)}
	if err := cfg.Validate(); err != nil {
		tb.Fatal(err)
	}
	s, err := Open(context.Background(), cfg, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	sh := &models.StationSheet{Schema: models.SheetSchema, Outlet: "SY001", Name: "网点", TimeZone: "Asia/Shanghai",
		DedupeSeconds: 600, PosterVersion: 1, Top: []string{"water"},
		Posters: []models.PosterDigests{{Version: 1, Digests: map[string]string{"": pull.TokenDigest(tok)}}}}
	for _, a := range models.Catalog[:10] {
		sh.Amenities = append(sh.Amenities, models.SheetAmenity{Code: a.Code, ZH: a.ZH, EN: a.EN, Group: a.Group, Icon: a.Code})
	}
	v, err := newView("SY001", sh, 0)
	if err != nil {
		tb.Fatal(err)
	}
	o := s.stations.getOrAdd("SY001")
	o.view.Store(v)
	o.servesUntil.Store(time.Now().Add(time.Hour).UnixMilli())
	return s
}

// BenchmarkRecordCheckIn is one scan through the gateway's station: the
// code checked against the sheet's digests, the pseudonyms made, the item
// stored (one at a time, each its own commit).
func BenchmarkRecordCheckIn(b *testing.B) {
	tok := "p1.AAAAAAAAAAAAAAAA"
	s := testStation(b, tok)
	st, err := s.Station("SY001")
	if err != nil {
		b.Fatal(err)
	}
	req := outlet.CheckInRequest{Outlet: "SY001", Token: tok, Amenities: []string{models.Catalog[0].Code, models.Catalog[1].Code},
		Client: outlet.Client{Addr: "100.64.0.1", UserAgent: "bench"}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req.VisitorID = outlet.NewVisitorID()
		if _, err := st.RecordCheckIn(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}
