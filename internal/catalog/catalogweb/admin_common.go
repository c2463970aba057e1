package catalogweb

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/web"
)

// Back-office paths of the catalog, mounted by cmd/shop under /admin/catalog.
const (
	adminProductsPath   = "/admin/catalog/products"
	adminCategoriesPath = "/admin/catalog/categories"
	adminImportPath     = "/admin/catalog/import"
	adminExportPath     = "/admin/catalog/export"
)

// adminProductsPerPage is the length of the back-office product list: long enough to
// scan, short enough that a page with a checkbox per row stays light.
const adminProductsPerPage = 50

// msgCorrectFields heads a form whose fields carry messages of their own.
const msgCorrectFields = "Please correct the highlighted fields."

// msgStale is what an editor reads when someone saved the product after they opened it.
// It is worded here rather than taken from catalog.ErrStale because the page pairs it with
// its own reload link.
const msgStale = "This product was changed by someone else since you opened it. Nothing was saved: reload it to see their changes, then make yours again."

// adminProblem is what a back-office form shows after a refused submission: a summary
// above the form and a message beside each field that needs fixing.
type adminProblem struct {
	Message string
	Fields  map[string]string
}

// problemOf turns a service error into what the form shows; its messages are safe by
// apperr's contract.
func problemOf(err error) adminProblem {
	return adminProblem{Message: apperr.MessageOf(err), Fields: apperr.FieldsOf(err)}
}

// fieldProblem is a failure of one field found before the service was asked.
func fieldProblem(field, msg string) adminProblem {
	return adminProblem{Message: msgCorrectFields, Fields: map[string]string{field: msg}}
}

// Field returns the message for one field, "" when it is fine.
func (p adminProblem) Field(name string) string { return p.Fields[name] }

// Failed reports whether there is anything to show.
func (p adminProblem) Failed() bool { return p.Message != "" || len(p.Fields) > 0 }

// isStale reports whether err is the product's optimistic-lock refusal.
func isStale(err error) bool { return errors.Is(err, catalog.ErrStale) }

// actor is who the audit log names for this request's change.
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

// formVersion is the product version a form was rendered with. A missing or mangled one
// is 0, which no product has, so the service refuses it as stale rather than saving over
// changes the form never showed.
func formVersion(r *http.Request) int {
	v, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil || v < 0 {
		return 0
	}
	return v
}

// productEditURL is a product's editor.
func productEditURL(id catalog.ProductID) string {
	return adminProductsPath + "/" + strconv.FormatInt(int64(id), 10)
}

// adminPage reads ?page=; a missing, malformed or non-positive number is the first page.
func adminPage(q url.Values) int {
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// kept is what a re-rendered form shows of a value the person typed. Bytes that are not
// UTF-8 and control characters cannot be shown as typed in an HTML attribute; each becomes
// U+FFFD, so the page stays valid and the person sees where the problem was. Line breaks
// and tabs survive for text areas.
func kept(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, badControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if badControl(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

func badControl(r rune) bool {
	return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
}

// keptLine is kept for one-line inputs, where a line break cannot be shown either.
func keptLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, kept(s))
}

// indent shows a category's depth in a drop-down, where markup cannot: no-break spaces are
// not collapsed the way ordinary ones are.
func indent(depth int) string { return strings.Repeat("\u00a0\u00a0\u00a0", depth) }

// statusLabels names product statuses the way staff speak of them.
var statusLabels = map[catalog.Status]string{
	catalog.StatusDraft:    "Draft",
	catalog.StatusActive:   "Active",
	catalog.StatusArchived: "Archived",
}

// statusOptions is the status drop-down of the editor.
func statusOptions() []web.Option {
	return []web.Option{
		{Value: string(catalog.StatusDraft), Label: "Draft (hidden from the shop)"},
		{Value: string(catalog.StatusActive), Label: "Active (in the shop)"},
		{Value: string(catalog.StatusArchived), Label: "Archived (retired)"},
	}
}

// statusBadge is the label and tone of a product status.
func statusBadge(s catalog.Status) (string, web.BadgeTone) {
	switch s {
	case catalog.StatusActive:
		return statusLabels[s], web.BadgeSuccess
	case catalog.StatusArchived:
		return statusLabels[s], web.BadgeNeutral
	}
	return statusLabels[catalog.StatusDraft], web.BadgeWarning
}

// categoryChoice is one category offered to file a product in or to filter by.
type categoryChoice struct {
	ID      string
	Name    string
	Depth   int
	Checked bool
}

// categoryChoices lists the tree in display order with the chosen ones checked.
func categoryChoices(cats []catalog.AdminCategory, chosen map[string]bool) []categoryChoice {
	out := make([]categoryChoice, len(cats))
	for i, c := range cats {
		id := strconv.FormatInt(int64(c.ID), 10)
		out[i] = categoryChoice{ID: id, Name: c.Name, Depth: c.Depth, Checked: chosen[id]}
	}
	return out
}

// depthClass indents a row of the category tree. The CSP allows no inline styles, so the
// depth is a class; deeper levels than the stylesheet knows share its deepest indent.
func depthClass(depth int) string {
	return "admin-depth-" + strconv.Itoa(min(max(depth, 0), 6))
}
