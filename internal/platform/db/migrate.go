package db

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// RiverSchema is where River keeps its tables (DESIGN.md §3).
const RiverSchema = "river"

// migrateLockKey is the advisory lock every replica takes before migrating, so replicas
// starting together never race: one migrates, the others wait and then find nothing to do.
// The number is arbitrary but fixed forever ("monoshop" in ASCII, truncated to int64).
const migrateLockKey int64 = 0x6d6f6e6f73686f70

// MigrationStatus says where the database stands against the embedded migrations.
type MigrationStatus struct {
	Current, Target int64 // goose versions
	RiverCurrent    int
	RiverTarget     int
}

// Pending reports whether any migration still has to run.
func (s MigrationStatus) Pending() bool {
	return s.Current < s.Target || s.RiverCurrent < s.RiverTarget
}

// Migrate applies the app's goose migrations from fsys, then River's, holding the advisory
// lock for the whole run. It returns the number of migrations applied (0 when current).
func Migrate(ctx context.Context, pool *pgxpool.Pool, fsys fs.FS, log *slog.Logger) (int, error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate: acquire lock connection: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrateLockKey); err != nil {
		return 0, fmt.Errorf("migrate: take advisory lock: %w", err)
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLockKey)
	}()

	provider, closeProvider, err := newGoose(pool, fsys)
	if err != nil {
		return 0, err
	}
	defer closeProvider()
	results, err := provider.Up(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate: apply: %w", err)
	}
	for _, r := range results {
		log.Info("migration applied", "file", r.Source.Path, "duration", r.Duration)
	}

	migrator, err := newRiverMigrator(pool)
	if err != nil {
		return 0, err
	}
	rres, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return 0, fmt.Errorf("migrate: river: %w", err)
	}
	for _, v := range rres.Versions {
		log.Info("river migration applied", "version", v.Version, "duration", v.Duration)
	}
	return len(results) + len(rres.Versions), nil
}

// Status compares the database with the embedded migrations without changing anything.
func Status(ctx context.Context, pool *pgxpool.Pool, fsys fs.FS) (MigrationStatus, error) {
	var st MigrationStatus
	provider, closeProvider, err := newGoose(pool, fsys)
	if err != nil {
		return st, err
	}
	defer closeProvider()
	st.Current, st.Target, err = provider.GetVersions(ctx)
	if err != nil {
		return st, fmt.Errorf("migration status: %w", err)
	}
	migrator, err := newRiverMigrator(pool)
	if err != nil {
		return st, err
	}
	all := migrator.AllVersions()
	if len(all) > 0 {
		st.RiverTarget = all[len(all)-1].Version
	}
	// Before the first migration River's table does not exist; that simply means version 0.
	var exists bool
	if err := pool.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", RiverSchema+".river_migration").Scan(&exists); err != nil {
		return st, fmt.Errorf("migration status: %w", err)
	}
	if exists {
		existing, err := migrator.ExistingVersions(ctx)
		if err != nil {
			return st, fmt.Errorf("migration status: river: %w", err)
		}
		if len(existing) > 0 {
			st.RiverCurrent = existing[len(existing)-1].Version
		}
	}
	return st, nil
}

func newGoose(pool *pgxpool.Pool, fsys fs.FS) (*goose.Provider, func(), error) {
	sqlDB := stdlib.OpenDBFromPool(pool)
	provider, err := goose.NewProvider(goose.DialectPostgres, sqlDB, fsys,
		goose.WithDisableGlobalRegistry(true))
	if err != nil {
		_ = sqlDB.Close()
		return nil, nil, fmt.Errorf("migrate: load migrations: %w", err)
	}
	return provider, func() { _ = sqlDB.Close() }, nil
}

func newRiverMigrator(pool *pgxpool.Pool) (*rivermigrate.Migrator[pgx.Tx], error) {
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Schema: RiverSchema})
	if err != nil {
		return nil, fmt.Errorf("migrate: river migrator: %w", err)
	}
	return m, nil
}
