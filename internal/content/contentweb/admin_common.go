package contentweb

import (
	"errors"
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/monoshop/monoshop/internal/content"
	"github.com/monoshop/monoshop/internal/platform/apperr"
)

// adminProblem is what a refused form shows: a summary above it and a message beside
// each field that needs fixing.
type adminProblem struct {
	Message string
	Fields  map[string]string
	// Stale says the save lost a race with someone else's; the page offers a reload.
	Stale bool
}

// problemOf turns a service refusal into what the form shows; apperr guarantees its
// messages are safe to show.
func problemOf(err error) adminProblem {
	return adminProblem{Message: apperr.MessageOf(err), Fields: apperr.FieldsOf(err), Stale: errors.Is(err, content.ErrStale)}
}

// Field is the message for one field, "" when it is fine.
func (p adminProblem) Field(name string) string { return p.Fields[name] }

// Unplaced are field messages the form has no field for: listed in the summary rather
// than lost.
func (p adminProblem) Unplaced() []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(p.Fields)) {
		if !slices.Contains(pageFormFields, k) {
			out = append(out, p.Fields[k])
		}
	}
	return out
}

// pageFormFields are the fields of the page form, by the names the service uses.
var pageFormFields = []string{"title", "slug", "body", "published", "position"}

// pageForm is the page editor's form, as stored or as typed.
type pageForm struct {
	Title, Slug, Body, Position string
	Published                   bool
	Version                     string
	Problem                     adminProblem
}

// pageFormOf is a stored page's form.
func pageFormOf(p content.Page) pageForm {
	return pageForm{Title: p.Title, Slug: p.Slug, Body: p.Body, Position: strconv.Itoa(p.Position),
		Published: p.Published, Version: strconv.Itoa(p.Version)}
}

// pageInputOf reads a submitted page form: what the service is asked to save, the
// version it was based on, and the form as typed. A position that is not a number is
// refused here with the service's own checks of the other fields, so every field that
// needs fixing is marked at once.
func pageInputOf(r *http.Request) (content.PageInput, int, pageForm, bool) {
	pf := r.PostForm
	in := content.PageInput{Title: pf.Get("title"), Slug: pf.Get("slug"), Body: pf.Get("body"), Published: pf.Get("published") != ""}
	form := pageForm{Title: keptLine(in.Title), Slug: keptLine(in.Slug), Body: kept(in.Body),
		Position: keptLine(strings.TrimSpace(pf.Get("position"))), Published: in.Published, Version: keptLine(pf.Get("version"))}
	version, err := strconv.Atoi(form.Version)
	if err != nil || version < 0 {
		// A missing or mangled version is 0, which no page has: the save is refused as
		// stale rather than written over changes the form never showed.
		version = 0
	}
	if form.Position != "" {
		n, err := strconv.Atoi(form.Position)
		if err != nil {
			fields := in.Check()
			fields["position"] = "Enter a whole number, like 10."
			form.Problem = adminProblem{Message: "Please correct the highlighted fields.", Fields: fields}
			return in, version, form, false
		}
		in.Position = n
	}
	return in, version, form, true
}

// adminPageFormView is the editor of one page, new or existing.
type adminPageFormView struct {
	Title  string
	Action string
	Submit string
	Form   pageForm
	// The rest is for an existing page only.
	ShopURL      string // its storefront address; empty for a draft
	Path         string
	Published    bool
	UpdatedAt    time.Time
	EditURL      string
	DeleteAction string
	// Preview is the body as shoppers will see it, from the form as shown.
	Preview template.HTML
}

// kept is what a re-rendered form shows of a value the person typed: bytes that are not
// UTF-8 and control characters (other than line breaks and tabs) become U+FFFD, so the
// page stays valid and the person sees where the problem was.
func kept(s string) string {
	bad := func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }
	if utf8.ValidString(s) && !strings.ContainsFunc(s, bad) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if bad(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
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
