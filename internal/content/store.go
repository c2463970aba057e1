package content

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/monoshop/monoshop/internal/content/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
)

// interpretError turns storage errors into the codes callers act on: a missing row is
// NotFound, a unique violation is Conflict; anything else stays internal, with context.
func interpretError(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.Wrap(err, apperr.NotFound, what+" not found.")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return apperr.Wrap(err, apperr.Conflict, what+" already exists.")
	}
	return fmt.Errorf("content: %s: %w", what, err)
}

func pageOf(r dbsqlc.ContentPage) Page {
	return Page{ID: PageID(r.ID), Slug: r.Slug, Title: r.Title, Body: r.Body, Published: r.Published,
		Position: int(r.Position), Version: int(r.Version), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}
