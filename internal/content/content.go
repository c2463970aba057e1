package content

import (
	"time"

	"github.com/monoshop/monoshop/internal/platform/apperr"
)

// PageID identifies a page.
type PageID int64

// Page is one text page as staff wrote it.
type Page struct {
	ID    PageID
	Slug  string
	Title string
	// Body is the Markdown as typed; RenderMarkdown turns it into the page's HTML.
	Body      string
	Published bool
	// Position orders the footer's links: lower first, then by title.
	Position int
	// Version moves with every save; an update names the version it was based on.
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// PageSummary is a page in the back office's list.
type PageSummary struct {
	ID        PageID
	Slug      string
	Title     string
	Published bool
	Position  int
	UpdatedAt time.Time
}

// PageLink is a published page as the storefront footer lists it.
type PageLink struct {
	Slug  string
	Title string
}

// URL is the page's storefront address.
func (l PageLink) URL() string { return PagePath(l.Slug) }

// PagePath is the storefront address of the page with slug.
func PagePath(slug string) string { return "/pages/" + slug }

// PageInput is the page editor's form.
type PageInput struct {
	Title     string
	Slug      string // empty: made from the title
	Body      string
	Published bool
	Position  int
}

// Bounds of a page, the same as the schema's checks.
const (
	MaxTitle    = 120
	MaxSlug     = 80
	MaxBody     = 50_000
	MaxPosition = 10_000
)

// RedirectError says that a page moved: Slug is its current address. Only published
// pages redirect; an old address of a draft is not found, like the draft itself.
type RedirectError struct{ Slug string }

func (e *RedirectError) Error() string { return "moved to " + e.Slug }

// ErrStale refuses an update based on a version someone else has saved over since.
var ErrStale = apperr.New(apperr.Conflict,
	"Someone else saved this page since you opened it. Nothing was saved: reload it to see their changes, then make yours again.")
