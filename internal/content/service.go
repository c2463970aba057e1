package content

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monoshop/monoshop/internal/content/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// Service is the content module's public API: pages for the storefront, their editor
// for the back office.
type Service struct {
	pool  *pgxpool.Pool
	q     *dbsqlc.Queries
	log   *slog.Logger
	audit audit.Recorder

	// footer is the published pages the storefront footer lists, read into memory so a
	// page costs no query for it (footer.go); nil until read.
	footer   atomic.Pointer[[]PageLink]
	reloadMu sync.Mutex
}

// NewService returns a content service reading and writing through pool.
func NewService(pool *pgxpool.Pool, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{pool: pool, q: dbsqlc.New(), log: log}
}

// UseAudit records every staff change to pages through r, in the change's transaction.
func (s *Service) UseAudit(r audit.Recorder) { s.audit = r }

// msgCorrectFields heads a refused form whose fields carry messages of their own.
const msgCorrectFields = "Please correct the highlighted fields."

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// FindPublishedPage returns the published page at slug, a *RedirectError when a published
// page used to live there, or NotFound (drafts included: shoppers cannot tell a draft
// from a page that does not exist).
func (s *Service) FindPublishedPage(ctx context.Context, slug string) (Page, error) {
	if !slugPattern.MatchString(slug) || len(slug) > MaxSlug {
		return Page{}, apperr.New(apperr.NotFound, "Page not found.")
	}
	row, err := s.q.PageGetPublishedBySlug(ctx, s.pool, slug)
	if err == nil {
		return pageOf(row), nil
	}
	if apperr.CodeOf(interpretError(err, "Page")) != apperr.NotFound {
		return Page{}, interpretError(err, "page")
	}
	moved, err := s.q.PageRedirectFindPublished(ctx, s.pool, slug)
	if err != nil {
		return Page{}, interpretError(err, "Page")
	}
	return Page{}, &RedirectError{Slug: moved}
}

// FindPage returns any page, draft or published, for the editor.
func (s *Service) FindPage(ctx context.Context, id PageID) (Page, error) {
	row, err := s.q.PageGet(ctx, s.pool, int64(id))
	if err != nil {
		return Page{}, interpretError(err, "Page")
	}
	return pageOf(row), nil
}

// ListPages returns every page in footer order, drafts included.
func (s *Service) ListPages(ctx context.Context) ([]PageSummary, error) {
	rows, err := s.q.PageListAll(ctx, s.pool)
	if err != nil {
		return nil, interpretError(err, "pages")
	}
	out := make([]PageSummary, len(rows))
	for i, r := range rows {
		out[i] = PageSummary{ID: PageID(r.ID), Slug: r.Slug, Title: r.Title, Published: r.Published,
			Position: int(r.Position), UpdatedAt: r.UpdatedAt}
	}
	return out, nil
}

// CreatePage adds a page. Its address may be one a page used to have: the old redirect
// gives way to the new page.
func (s *Service) CreatePage(ctx context.Context, actor audit.Actor, in PageInput) (Page, error) {
	if f := in.normalize(); len(f) > 0 {
		return Page{}, apperr.InvalidFields(msgCorrectFields, f)
	}
	var page Page
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		id, err := s.q.PageInsert(ctx, tx, dbsqlc.PageInsertParams{Slug: in.Slug, Title: in.Title, Body: in.Body,
			Published: in.Published, Position: int32(in.Position)})
		if err != nil {
			return slugConflict(err)
		}
		if err := s.q.PageRedirectDelete(ctx, tx, in.Slug); err != nil {
			return interpretError(err, "page address")
		}
		row, err := s.q.PageGet(ctx, tx, id)
		if err != nil {
			return interpretError(err, "page")
		}
		page = pageOf(row)
		changes := audit.Diff(map[string]any{}, auditFields(page))
		return s.finishWrite(ctx, tx, actor, "page.create", page.ID, changes)
	})
	if err != nil {
		return Page{}, err
	}
	s.changed(ctx)
	return page, nil
}

// UpdatePage saves a page over version, the one the editor started from; someone else's
// save since then is refused with ErrStale. A new address keeps the old one answering
// with a redirect while the page is published.
func (s *Service) UpdatePage(ctx context.Context, actor audit.Actor, id PageID, version int, in PageInput) (Page, error) {
	if f := in.normalize(); len(f) > 0 {
		return Page{}, apperr.InvalidFields(msgCorrectFields, f)
	}
	var page Page
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		cur, err := s.q.PageGet(ctx, tx, int64(id))
		if err != nil {
			return interpretError(err, "Page")
		}
		n, err := s.q.PageUpdate(ctx, tx, dbsqlc.PageUpdateParams{ID: int64(id), Version: int32(version), Slug: in.Slug,
			Title: in.Title, Body: in.Body, Published: in.Published, Position: int32(in.Position)})
		if err != nil {
			return slugConflict(err)
		}
		if n == 0 {
			return ErrStale
		}
		if cur.Slug != in.Slug {
			if err := s.q.PageRedirectUpsert(ctx, tx, dbsqlc.PageRedirectUpsertParams{OldSlug: cur.Slug, PageID: int64(id)}); err != nil {
				return interpretError(err, "page address")
			}
		}
		if err := s.q.PageRedirectDelete(ctx, tx, in.Slug); err != nil {
			return interpretError(err, "page address")
		}
		row, err := s.q.PageGet(ctx, tx, int64(id))
		if err != nil {
			return interpretError(err, "page")
		}
		page = pageOf(row)
		return s.finishWrite(ctx, tx, actor, "page.update", id, audit.Diff(auditFields(pageOf(cur)), auditFields(page)))
	})
	if err != nil {
		return Page{}, err
	}
	s.changed(ctx)
	return page, nil
}

// DeletePage removes a page and its old addresses; links to it answer 404 from now on.
func (s *Service) DeletePage(ctx context.Context, actor audit.Actor, id PageID) (Page, error) {
	var page Page
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		row, err := s.q.PageDelete(ctx, tx, int64(id))
		if err != nil {
			return interpretError(err, "Page")
		}
		page = pageOf(row)
		return s.finishWrite(ctx, tx, actor, "page.delete", id, audit.Diff(auditFields(page), map[string]any{}))
	})
	if err != nil {
		return Page{}, err
	}
	s.changed(ctx)
	return page, nil
}

// auditFields are what the audit log shows of a page, before and after a change. The
// body is there whole: who changed the terms of sale, and to what, is worth keeping.
func auditFields(p Page) map[string]any {
	return map[string]any{"title": p.Title, "slug": p.Slug, "body": p.Body, "published": p.Published, "position": p.Position}
}

// finishWrite audits the change and tells every replica that pages changed, both in the
// write's transaction: nothing is logged or announced that did not commit.
func (s *Service) finishWrite(ctx context.Context, tx pgx.Tx, actor audit.Actor, action string, id PageID, changes map[string]audit.Change) error {
	if s.audit != nil && len(changes) > 0 {
		if err := s.audit.RecordTx(ctx, tx, audit.Entry{Actor: actor, Action: action, ObjectType: "page",
			ObjectID: strconv.FormatInt(int64(id), 10), Changes: changes}); err != nil {
			return fmt.Errorf("content: audit %s: %w", action, err)
		}
	}
	return notifyChanged(ctx, tx)
}

func slugConflict(err error) error {
	if apperr.Is(interpretError(err, "page"), apperr.Conflict) {
		return apperr.InvalidFields(msgCorrectFields, map[string]string{"slug": "Another page already uses this web address. Choose another."})
	}
	return interpretError(err, "page")
}

// normalize tidies what was typed and returns a message per field that cannot be saved.
func (in *PageInput) normalize() map[string]string {
	f := map[string]string{}
	in.Title = strings.TrimSpace(in.Title)
	in.Slug = strings.ToLower(strings.TrimSpace(in.Slug))
	switch {
	case in.Title == "":
		f["title"] = "Give the page a title."
	case !utf8.ValidString(in.Title) || strings.ContainsFunc(in.Title, unicode.IsControl):
		f["title"] = "Remove the invisible control characters from the title."
	case utf8.RuneCountInString(in.Title) > MaxTitle:
		f["title"] = fmt.Sprintf("Keep the title to %d characters or fewer.", MaxTitle)
	}
	if in.Slug == "" {
		in.Slug = Slugify(in.Title)
		if in.Slug == "" && f["title"] == "" {
			f["slug"] = "Choose a web address: the title has no letters or digits to make one from."
		}
	} else if !slugPattern.MatchString(in.Slug) {
		f["slug"] = "Use lower-case letters, digits and single hyphens, like shipping-returns."
	} else if len(in.Slug) > MaxSlug {
		f["slug"] = fmt.Sprintf("Keep the web address to %d characters or fewer.", MaxSlug)
	}
	switch {
	case !utf8.ValidString(in.Body) || strings.ContainsFunc(in.Body, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
	}):
		f["body"] = "Remove the invisible control characters from the text."
	case utf8.RuneCountInString(in.Body) > MaxBody:
		f["body"] = fmt.Sprintf("Keep the text to %d characters or fewer; it has %d.", MaxBody, utf8.RuneCountInString(in.Body))
	}
	if in.Position < 0 || in.Position > MaxPosition {
		f["position"] = fmt.Sprintf("Use a position from 0 to %d.", MaxPosition)
	}
	return f
}

// Slugify makes a web address from a title: "Shipping & returns" → "shipping-returns".
// Accented Latin letters lose their accents; other characters separate words. The result
// is cut at a hyphen to fit MaxSlug.
func Slugify(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(title) {
		if a, ok := accentFold[r]; ok {
			b.WriteString(a)
			hyphen = false
			continue
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			hyphen = false
		case r == '\'' || r == '’':
			// "Who we're" → "who-were", not "who-we-re".
		case !hyphen && b.Len() > 0:
			b.WriteByte('-')
			hyphen = true
		}
	}
	slug := strings.TrimSuffix(b.String(), "-")
	if len(slug) > MaxSlug {
		slug = slug[:MaxSlug]
		if i := strings.LastIndexByte(slug, '-'); i > 0 {
			slug = slug[:i]
		}
		slug = strings.TrimSuffix(slug, "-")
	}
	return slug
}

var accentFold = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'æ': "ae", 'ç': "c",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i",
	'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'œ': "oe",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ý': "y", 'ÿ': "y", 'ß': "ss",
}

// Check returns a message per field of in that cannot be saved, as CreatePage and
// UpdatePage would, without saving anything.
func (in PageInput) Check() map[string]string { return in.normalize() }
