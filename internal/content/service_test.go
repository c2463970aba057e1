package content_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/content"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// auditLog keeps the entries the service records, in the order it records them. The
// users module stores them in production; content may not import it.
type auditLog struct {
	mu      sync.Mutex
	entries []audit.Entry
}

func (l *auditLog) RecordTx(_ context.Context, _ pgx.Tx, e audit.Entry) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, e)
	return nil
}

func (l *auditLog) actions() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, e := range l.entries {
		out = append(out, e.Action+" "+e.ObjectID+" "+e.Actor.Email)
	}
	return out
}

type testBundle struct {
	ctx   context.Context
	pool  *pgxpool.Pool
	svc   *content.Service
	audit *auditLog
}

var staff = audit.Actor{ID: 7, Email: "editor@shop.test", IP: "192.0.2.1"}

func setup(t *testing.T) *testBundle {
	t.Helper()
	pool := dbtest.DB(t)
	b := &testBundle{ctx: t.Context(), pool: pool, svc: content.NewService(pool, nil), audit: &auditLog{}}
	b.svc.UseAudit(b.audit)
	return b
}

func (b *testBundle) create(t *testing.T, in content.PageInput) content.Page {
	t.Helper()
	p, err := b.svc.CreatePage(b.ctx, staff, in)
	require.NoError(t, err)
	return p
}

func TestPages(t *testing.T) {
	t.Parallel()

	t.Run("OKCreatePublishFind", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		p := b.create(t, content.PageInput{Title: "  Shipping & returns ", Body: "## Shipping\n\nFast.", Published: true, Position: 20})
		require.Equal(t, "shipping-returns", p.Slug, "an empty address is made from the title")
		require.Equal(t, "Shipping & returns", p.Title)
		require.Equal(t, 1, p.Version)

		got, err := b.svc.FindPublishedPage(b.ctx, "shipping-returns")
		require.NoError(t, err)
		require.Equal(t, p.ID, got.ID)
		require.Equal(t, "## Shipping\n\nFast.", got.Body)
		require.Equal(t, []string{"page.create " + itoa(p.ID) + " editor@shop.test"}, b.audit.actions())
	})

	t.Run("OKFooterListsPublishedInOrder", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		links, err := b.svc.FooterPages(b.ctx)
		require.NoError(t, err)
		require.Empty(t, links)
		b.create(t, content.PageInput{Title: "Terms", Published: true, Position: 30})
		b.create(t, content.PageInput{Title: "About", Published: true, Position: 10})
		b.create(t, content.PageInput{Title: "Privacy", Published: true, Position: 30})
		draft := b.create(t, content.PageInput{Title: "Secret sale", Position: 0})
		links, err = b.svc.FooterPages(b.ctx)
		require.NoError(t, err)
		require.Equal(t, []content.PageLink{{Slug: "about", Title: "About"}, {Slug: "privacy", Title: "Privacy"}, {Slug: "terms", Title: "Terms"}}, links,
			"position first, then title; drafts are not listed")

		_, err = b.svc.UpdatePage(b.ctx, staff, draft.ID, draft.Version, content.PageInput{Title: "Secret sale", Slug: "secret-sale", Published: true})
		require.NoError(t, err)
		links, err = b.svc.FooterPages(b.ctx)
		require.NoError(t, err)
		require.Equal(t, "Secret sale", links[0].Title, "a published page joins the footer at once")
	})

	t.Run("ErrDraftNotFound", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.create(t, content.PageInput{Title: "Coming soon", Body: "Not yet."})
		_, err := b.svc.FindPublishedPage(b.ctx, "coming-soon")
		require.True(t, apperr.Is(err, apperr.NotFound), "%v", err)
		_, err = b.svc.FindPublishedPage(b.ctx, "Not A Slug")
		require.True(t, apperr.Is(err, apperr.NotFound), "%v", err)
	})

	t.Run("OKSlugChangeRedirects", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		p := b.create(t, content.PageInput{Title: "Delivery", Published: true})
		p, err := b.svc.UpdatePage(b.ctx, staff, p.ID, p.Version, content.PageInput{Title: "Shipping", Slug: "shipping", Published: true})
		require.NoError(t, err)
		p, err = b.svc.UpdatePage(b.ctx, staff, p.ID, p.Version, content.PageInput{Title: "Shipping", Slug: "shipping-returns", Published: true})
		require.NoError(t, err)
		for _, old := range []string{"delivery", "shipping"} {
			_, err = b.svc.FindPublishedPage(b.ctx, old)
			var moved *content.RedirectError
			require.ErrorAs(t, err, &moved, old)
			require.Equal(t, "shipping-returns", moved.Slug, "every former address leads to the current one")
		}

		// Unpublished, its former addresses lead nowhere either.
		p, err = b.svc.UpdatePage(b.ctx, staff, p.ID, p.Version, content.PageInput{Title: "Shipping", Slug: "shipping-returns"})
		require.NoError(t, err)
		_, err = b.svc.FindPublishedPage(b.ctx, "delivery")
		require.True(t, apperr.Is(err, apperr.NotFound), "%v", err)

		// A new page may take a former address; it is that page's now.
		other := b.create(t, content.PageInput{Title: "Delivery", Published: true})
		got, err := b.svc.FindPublishedPage(b.ctx, "delivery")
		require.NoError(t, err)
		require.Equal(t, other.ID, got.ID)
	})

	t.Run("ErrDuplicateSlug", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.create(t, content.PageInput{Title: "About"})
		_, err := b.svc.CreatePage(b.ctx, staff, content.PageInput{Title: "About us", Slug: "about"})
		require.True(t, apperr.Is(err, apperr.Invalid), "%v", err)
		require.Equal(t, "Another page already uses this web address. Choose another.", apperr.FieldsOf(err)["slug"])
		pages, err := b.svc.ListPages(b.ctx)
		require.NoError(t, err)
		require.Len(t, pages, 1)
	})

	t.Run("ErrFields", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		for _, tc := range []struct {
			in           content.PageInput
			field, words string
		}{
			{content.PageInput{Title: "   "}, "title", "Give the page a title."},
			{content.PageInput{Title: strings.Repeat("x", content.MaxTitle+1)}, "title", "Keep the title to 120 characters or fewer."},
			{content.PageInput{Title: "Tab\tin title"}, "title", "Remove the invisible control characters from the title."},
			{content.PageInput{Title: "About", Slug: "About Us!"}, "slug", "Use lower-case letters, digits and single hyphens, like shipping-returns."},
			{content.PageInput{Title: "About", Slug: "a--b"}, "slug", "Use lower-case letters, digits and single hyphens, like shipping-returns."},
			{content.PageInput{Title: "About", Slug: strings.Repeat("a", content.MaxSlug+1)}, "slug", "Keep the web address to 80 characters or fewer."},
			{content.PageInput{Title: "!!!"}, "slug", "Choose a web address: the title has no letters or digits to make one from."},
			{content.PageInput{Title: "About", Body: strings.Repeat("é", content.MaxBody+1)}, "body", "Keep the text to 50000 characters or fewer; it has 50001."},
			{content.PageInput{Title: "About", Body: "nul\x00byte"}, "body", "Remove the invisible control characters from the text."},
			{content.PageInput{Title: "About", Position: -1}, "position", "Use a position from 0 to 10000."},
		} {
			_, err := b.svc.CreatePage(b.ctx, staff, tc.in)
			require.True(t, apperr.Is(err, apperr.Invalid), "%+v: %v", tc.in, err)
			require.Equal(t, tc.words, apperr.FieldsOf(err)[tc.field], "%+v", tc.in)
		}
		pages, err := b.svc.ListPages(b.ctx)
		require.NoError(t, err)
		require.Empty(t, pages)
		require.Empty(t, b.audit.actions())
	})

	t.Run("ErrStale", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		p := b.create(t, content.PageInput{Title: "Terms", Body: "v1"})
		_, err := b.svc.UpdatePage(b.ctx, staff, p.ID, p.Version, content.PageInput{Title: "Terms", Slug: "terms", Body: "v2 by Ann"})
		require.NoError(t, err)
		_, err = b.svc.UpdatePage(b.ctx, staff, p.ID, p.Version, content.PageInput{Title: "Terms", Slug: "terms", Body: "v2 by Bob"})
		require.ErrorIs(t, err, content.ErrStale)
		got, err := b.svc.FindPage(b.ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, "v2 by Ann", got.Body, "the later save from an old form wrote nothing")
	})

	t.Run("OKUpdateAuditsWhatChanged", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		p := b.create(t, content.PageInput{Title: "Privacy", Body: "old"})
		_, err := b.svc.UpdatePage(b.ctx, staff, p.ID, p.Version, content.PageInput{Title: "Privacy", Slug: "privacy", Body: "new", Published: true})
		require.NoError(t, err)
		last := b.audit.entries[len(b.audit.entries)-1]
		require.Equal(t, "page.update", last.Action)
		require.Equal(t, map[string]audit.Change{"body": {Before: "old", After: "new"}, "published": {Before: false, After: true}}, last.Changes)
	})

	t.Run("OKDelete", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		p := b.create(t, content.PageInput{Title: "Old news", Published: true})
		moved, err := b.svc.UpdatePage(b.ctx, staff, p.ID, p.Version, content.PageInput{Title: "Old news", Slug: "news", Published: true})
		require.NoError(t, err)
		deleted, err := b.svc.DeletePage(b.ctx, staff, p.ID)
		require.NoError(t, err)
		require.Equal(t, moved.Slug, deleted.Slug)
		for _, slug := range []string{"news", "old-news"} {
			_, err = b.svc.FindPublishedPage(b.ctx, slug)
			require.True(t, apperr.Is(err, apperr.NotFound), "%s: %v", slug, err)
		}
		links, err := b.svc.FooterPages(b.ctx)
		require.NoError(t, err)
		require.Empty(t, links)
		require.Equal(t, "page.delete", b.audit.entries[len(b.audit.entries)-1].Action)
		_, err = b.svc.DeletePage(b.ctx, staff, p.ID)
		require.True(t, apperr.Is(err, apperr.NotFound), "%v", err)
	})
}

// TestFooterAcrossReplicas: a page published through one process appears in the footer
// of another that follows changes, without that one writing anything.
func TestFooterAcrossReplicas(t *testing.T) {
	t.Parallel()
	b := setup(t)
	replica := content.NewService(b.pool, nil)
	links, err := replica.FooterPages(b.ctx)
	require.NoError(t, err)
	require.Empty(t, links)
	ctx, cancel := context.WithCancel(b.ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		replica.FollowChanges(ctx)
	}()
	t.Cleanup(func() { cancel(); <-done })

	b.create(t, content.PageInput{Title: "About", Published: true})
	require.Eventually(t, func() bool {
		links, err := replica.FooterPages(b.ctx)
		return err == nil && len(links) == 1 && links[0].Title == "About"
	}, 10*time.Second, 10*time.Millisecond)
}

func TestSeedDemo(t *testing.T) {
	t.Parallel()
	b := setup(t)
	require.NoError(t, b.svc.SeedDemo(b.ctx, "Test Shop"))
	require.NoError(t, b.svc.SeedDemo(b.ctx, "Test Shop"), "a second seed changes nothing")
	links, err := b.svc.FooterPages(b.ctx)
	require.NoError(t, err)
	require.Equal(t, []content.PageLink{{Slug: "about", Title: "About us"}, {Slug: "shipping-returns", Title: "Shipping & returns"}, {Slug: "privacy", Title: "Privacy"}, {Slug: "terms", Title: "Terms of sale"}}, links)
	for _, l := range links {
		p, err := b.svc.FindPublishedPage(b.ctx, l.Slug)
		require.NoError(t, err)
		require.Contains(t, p.Body, "demonstration", "%s says it is a demo", l.Slug)
		require.NotContains(t, p.Body, "{{store}}")
		// Every link between the demo pages leads to a page that exists.
		for _, part := range strings.Split(string(content.RenderMarkdown(p.Body)), `href="/pages/`)[1:] {
			slug := part[:strings.IndexByte(part, '"')]
			_, err := b.svc.FindPublishedPage(b.ctx, slug)
			require.NoError(t, err, "%s links to /pages/%s", l.Slug, slug)
		}
	}
	privacy, err := b.svc.FindPublishedPage(b.ctx, "privacy")
	require.NoError(t, err)
	require.Contains(t, privacy.Body, "Test Shop")

	// Staff deleted one: a later start does not bring the demo back over their choice.
	_, err = b.svc.DeletePage(b.ctx, staff, privacy.ID)
	require.NoError(t, err)
	require.NoError(t, b.svc.SeedDemo(b.ctx, "Test Shop"))
	pages, err := b.svc.ListPages(b.ctx)
	require.NoError(t, err)
	require.Len(t, pages, 3)
}

func itoa(id content.PageID) string { return strconv.FormatInt(int64(id), 10) }
