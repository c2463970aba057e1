package inventoryweb

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/web"
)

// Back-office paths of inventory, mounted by cmd/shop under /admin/inventory.
const (
	stockPath     = "/admin/inventory"
	locationsPath = "/admin/inventory/locations"
	lowStockPath  = "/admin/inventory/low-stock"
	importPath    = "/admin/inventory/import"
)

// perPage is the length of the stock list: long enough to scan, short enough that one
// page's levels and labels stay a handful of queries.
const perPage = 50

// maxSearchResults bounds what a search of the stock list pages through.
const maxSearchResults = 500

// movementsShown is how much of a variant's history its page shows, newest first.
const movementsShown = 100

// uploadMemory is how much of a CSV upload is held in memory; a larger file spills to a
// temporary file for the length of the request.
const uploadMemory = 8 << 20

// msgCorrectFields heads a form whose fields carry messages of their own.
const msgCorrectFields = "Please correct the highlighted fields."

// msgStaleLevel is what an editor reads when the level changed after they opened the page.
// It is worded here rather than taken from inventory.ErrStaleLevel because the page pairs
// it with the quantity the level holds now.
const msgStaleLevel = "This stock level changed since you opened it (someone else or an order changed it). Nothing was saved."

// variantPath is a variant's stock page.
func variantPath(id int64) string {
	return stockPath + "/variants/" + strconv.FormatInt(id, 10)
}

// problem is what a form shows after a refused submission: a summary above it and a
// message beside each field that needs fixing.
type problem struct {
	Message string
	Fields  map[string]string
}

// problemOf turns a service error into what the form shows; its messages are safe by
// apperr's contract.
func problemOf(err error) problem {
	return problem{Message: apperr.MessageOf(err), Fields: apperr.FieldsOf(err)}
}

// fieldProblem is a failure of one field found before the service was asked.
func fieldProblem(field, msg string) problem {
	return problem{Message: msgCorrectFields, Fields: map[string]string{field: msg}}
}

// Field returns the message for one field, "" when it is fine.
func (p problem) Field(name string) string { return p.Fields[name] }

// actor is who the ledger and the audit log name for this request's change.
func (h *Handler) actor(r *http.Request) audit.Actor {
	if h.opts.Actor == nil {
		return audit.Actor{}
	}
	return h.opts.Actor(r)
}

// flash queues a message for the page the redirect leads to.
func (h *Handler) flash(r *http.Request, kind web.FlashKind, text string) {
	if h.opts.Flash != nil {
		h.opts.Flash(r, string(kind), text)
	}
}

// canEdit reports whether the pages should offer this staff member their forms.
func (h *Handler) canEdit(r *http.Request) bool {
	return h.opts.CanEdit == nil || h.opts.CanEdit(r)
}

// formInt reads a whole number a form sent; ok is false when it is missing or not one.
func formInt(r *http.Request, name string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
	return n, err == nil
}

// formID reads a positive id a form sent (a location picked from a list).
func formID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(name)), 10, 64)
	return id, err == nil && id > 0
}

// page reads ?page=; a missing, malformed or non-positive number is the first page.
func page(q url.Values) int {
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 1_000_000)
}

// kept is what a re-rendered form shows of a value the person typed: bytes that are not
// UTF-8 and control characters cannot be shown in an HTML attribute as typed, so each
// becomes U+FFFD and the person sees where the problem was.
func kept(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// variantName labels a variant the catalog knows, or says it does not know it any more
// (stock of a deleted variant stays in the ledger).
func variantName(l inventory.VariantLabel, known bool, id int64) string {
	if !known {
		return "Unknown variant #" + strconv.FormatInt(id, 10)
	}
	return l.Name()
}

// stockState is a variant's overall situation as a badge: the words carry the meaning,
// the colour repeats it.
type stockState struct {
	Label string
	Tone  web.BadgeTone
	Key   string // for tests: in-stock, low, out, backorder, untracked
}

func stateOf(s inventory.Stock) stockState {
	switch {
	case !s.Tracked:
		return stockState{"Not stocked", web.BadgeNeutral, "untracked"}
	case s.Available() > s.LowStockThreshold:
		return stockState{"In stock", web.BadgeSuccess, "in-stock"}
	case s.Available() > 0:
		return stockState{"Low", web.BadgeWarning, "low"}
	case s.AllowBackorder:
		return stockState{"Backorder", web.BadgeInfo, "backorder"}
	}
	return stockState{"Out of stock", web.BadgeError, "out"}
}
