package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/httpx"
)

// FormRefusal reports whether err is a refusal to show beside the form that caused it (a
// field to fix, a change that came too late); anything else is for the error page.
func FormRefusal(err error) bool {
	switch apperr.CodeOf(err) {
	case apperr.Invalid, apperr.Conflict:
		return true
	}
	return false
}

// FormStatus is the status of a form re-rendered after err: 409 when it lost a race with
// another change, 422 when something typed must change.
func FormStatus(err error) int {
	if apperr.Is(err, apperr.Conflict) {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

// SeeOther ends a successful POST (POST-redirect-GET): reloading the next page does not
// submit the form again.
func SeeOther(w http.ResponseWriter, r *http.Request, target string) {
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// ParseForm reads a POSTed form, answering the request itself when the body cannot be
// read; it reports whether the handler may go on.
func (rr *Renderer) ParseForm(w http.ResponseWriter, r *http.Request) bool {
	return rr.BodyReadable(w, r, r.ParseForm())
}

// BodyReadable answers a request whose body could not be read (413 over the size cap,
// 400 malformed) and reports whether reading went well.
func (rr *Renderer) BodyReadable(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case err == nil:
		return true
	case httpx.IsTooLarge(err):
		rr.Status(w, r, http.StatusRequestEntityTooLarge)
	default:
		rr.Status(w, r, http.StatusBadRequest)
	}
	return false
}

// URLID reads a positive number from a URL parameter; anything else names a page that
// does not exist.
func URLID(r *http.Request, param string) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, param), 10, 64)
	return id, err == nil && id > 0
}
