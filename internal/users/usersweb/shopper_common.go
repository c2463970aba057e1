package usersweb

import (
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/httpx"
	"github.com/monoshop/monoshop/internal/platform/session"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// Rate-limit buckets of the shopper forms, one namespace each so that signing in does not
// use up the allowance for password resets.
const (
	bucketLogin    = "login:"
	bucketRegister = "register:"
	bucketReset    = "reset:"
	// bucketReauth is per account, not per IP: a stolen session must not be able to guess
	// the account's password through the forms that ask for it.
	bucketReauth = "reauth:"
)

// msgCorrectFields is the summary above a form whose fields carry messages of their own.
const msgCorrectFields = "Please correct the highlighted fields."

// formProblem is what a form shows after a failed submission: a summary above the form and
// a message beside each field that needs fixing.
type formProblem struct {
	Message string
	Fields  map[string]string
}

// problemOf turns a service error into what the form shows; its messages are safe by
// apperr's contract.
func problemOf(err error) formProblem {
	return formProblem{Message: apperr.MessageOf(err), Fields: apperr.FieldsOf(err)}
}

// fieldProblem is a failure of one field found before the service was asked.
func fieldProblem(field, msg string) formProblem {
	return formProblem{Message: msgCorrectFields, Fields: map[string]string{field: msg}}
}

// Field returns the message for one field, "" when it is fine.
func (p formProblem) Field(name string) string { return p.Fields[name] }

// onForm reports whether err is something the person can fix on the form (a refused
// field, a wrong password, going too fast); anything else goes to the error page.
func onForm(err error) bool {
	switch apperr.CodeOf(err) {
	case apperr.Invalid, apperr.Unauthorized, apperr.TooMany:
		return true
	}
	return false
}

// formStatus is the status of a form re-rendered after err: 429 when the person must wait,
// 422 for everything they can correct right away.
func formStatus(err error) int {
	if apperr.Is(err, apperr.TooMany) {
		return http.StatusTooManyRequests
	}
	return http.StatusUnprocessableEntity
}

// page renders a shopper page. Account pages show personal data and one-time messages,
// so no cache (a shared computer's back button, a proxy) may keep a copy.
func (h *Handler) page(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	w.Header().Set("Cache-Control", "no-store")
	h.render.Page(w, r, status, c)
}

// parseForm reads a POSTed form, answering the request itself when the body cannot be
// read: over the size cap (413) or malformed (400).
func (h *Handler) parseForm(w http.ResponseWriter, r *http.Request) bool {
	err := r.ParseForm()
	switch {
	case err == nil:
		return true
	case httpx.IsTooLarge(err):
		h.render.Status(w, r, http.StatusRequestEntityTooLarge)
	default:
		h.render.Status(w, r, http.StatusBadRequest)
	}
	return false
}

// flash queues a message for the page the redirect leads to.
func (h *Handler) flash(r *http.Request, kind web.FlashKind, text string) {
	session.AddFlash(r.Context(), h.auth.sessions, string(kind), text)
}

// seeOther ends a successful POST (POST-redirect-GET): reloading the next page does not
// submit the form again.
func seeOther(w http.ResponseWriter, r *http.Request, target string) {
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// clientBucket names the rate-limit bucket of the client's IP for one kind of attempt.
func clientBucket(r *http.Request, kind string) string {
	return kind + httpx.ClientKey(r.Context())
}

// kept is what a re-rendered form shows of a value the person typed. Bytes that are not
// UTF-8 and control characters (NUL, a line break in a one-line field) cannot be shown
// as typed in an HTML attribute; each becomes U+FFFD, so the page stays valid and the
// person sees where the problem was.
func kept(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, s)
}

// badEmailText tells whether an email typed into a sign-in or reset form is unusable
// before it reaches the database, which refuses bytes that are not UTF-8 and NUL with an
// error rather than "no such account". The message is about the text, never about
// whether an account exists.
func badEmailText(email string) string {
	switch {
	case strings.TrimSpace(email) == "":
		return "Enter your email address."
	case len(email) > 254 || !utf8.ValidString(email) ||
		strings.ContainsFunc(email, unicode.IsControl) || !strings.Contains(email, "@"):
		return "Enter a valid email address, like name@example.com."
	}
	return ""
}

// addressID reads the {id} of an address URL; anything but a positive number is a page
// that does not exist.
func addressID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	return id, err == nil && id > 0
}

// current returns the signed-in account. Every account route sits behind RequireSignIn,
// so there always is one; the zero account would only make the service answer NotFound.
func current(r *http.Request) users.Account {
	acc, _ := CurrentAccount(r.Context())
	return acc
}

// allowReauth limits the forms that check the current password, per account rather than
// per IP: the service does not count their failures towards the lockout, so without this
// a stolen session could guess the password there at full speed.
func (h *Handler) allowReauth(r *http.Request, id users.AccountID) error {
	return h.users.Allow(r.Context(), bucketReauth+strconv.FormatInt(int64(id), 10), users.LimitLogin)
}
