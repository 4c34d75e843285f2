// Package models holds what both roles share: the GORM models, the small
// domain types (local days, amenity codes and the standard catalog, worker
// categories, channels, staff roles), the report document the outlet
// pushes and the branch ingests, the public directory's types, and the one
// error type (Error with its codes) that handlers map to HTTP in one place.
package models
