package content

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// changeChannel is the Postgres channel on which a committed page change is announced.
const changeChannel = "content_changed"

// FooterPages returns the published pages in footer order. Every storefront page shows
// them, so they are kept in memory: read at the first call, read again after each page
// change this process makes and, while FollowChanges runs, after each change any replica
// announces.
func (s *Service) FooterPages(ctx context.Context) ([]PageLink, error) {
	if p := s.footer.Load(); p != nil {
		return *p, nil
	}
	return s.reloadFooter(ctx)
}

// reloadFooter reads the footer's pages. Reads take turns, so one that started before a
// commit cannot replace the copy read after it.
func (s *Service) reloadFooter(ctx context.Context) ([]PageLink, error) {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	rows, err := s.q.PageListPublishedLinks(ctx, s.pool)
	if err != nil {
		// The copy may be out of date: the next page asks again.
		s.footer.Store(nil)
		return nil, interpretError(err, "footer pages")
	}
	links := make([]PageLink, len(rows))
	for i, r := range rows {
		links[i] = PageLink{Slug: r.Slug, Title: r.Title}
	}
	s.footer.Store(&links)
	return links, nil
}

// changed brings this process's copy up to date after its own write has committed, so
// the staff member who published a page sees it in the footer on their next page.
func (s *Service) changed(ctx context.Context) {
	if _, err := s.reloadFooter(context.WithoutCancel(ctx)); err != nil {
		s.log.WarnContext(ctx, "content: footer pages not reread after a change; the next page will try", "err", err)
	}
}

// notifyChanged announces a page change inside the write's transaction: Postgres delivers
// it to every listening replica only if the transaction commits.
func notifyChanged(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, "SELECT pg_notify($1, '')", changeChannel); err != nil {
		return fmt.Errorf("content: notify change: %w", err)
	}
	return nil
}

// FollowChanges keeps the footer's pages in step with changes made by any replica until
// ctx ends, reconnecting after failures. Run it in its own goroutine for the life of a
// server; it holds one connection of its own.
func (s *Service) FollowChanges(ctx context.Context) {
	for ctx.Err() == nil {
		err := s.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		s.log.WarnContext(ctx, "content change listener lost its connection; retrying", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

func (s *Service) listenOnce(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire: %w", err)
	}
	// The connection stays in LISTEN mode, so it must never go back to the pool.
	raw := conn.Hijack()
	defer raw.Close(context.WithoutCancel(ctx))
	if _, err := raw.Exec(ctx, "LISTEN "+changeChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// A change committed before LISTEN took effect was not heard: read once more.
	if _, err := s.reloadFooter(ctx); err != nil {
		return err
	}
	for {
		if _, err := raw.WaitForNotification(ctx); err != nil {
			return err
		}
		if _, err := s.reloadFooter(ctx); err != nil {
			s.log.WarnContext(ctx, "content: footer pages not reread after a change; the next page will try", "err", err)
		}
	}
}
