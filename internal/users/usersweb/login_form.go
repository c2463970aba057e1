package usersweb

import (
	"net/http"
	"net/url"
)

// loginView is the sign-in page.
type loginView struct {
	Problem formProblem
	Email   string
	// Next is where to go after signing in, already reduced to a path on this site; empty
	// means the account page.
	Next string
}

// loginForm shows the sign-in form. A visitor already signed in has nothing to do here
// and goes on to where they were heading.
func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if _, ok := CurrentAccount(r.Context()); ok {
		seeOther(w, r, localPath(next))
		return
	}
	h.page(w, r, http.StatusOK, loginPage(loginView{Next: nextField(next)}))
}

// nextField is the destination carried through a form, reduced to a local path so a
// crafted link cannot make our own page point elsewhere.
func nextField(next string) string {
	if next == "" {
		return ""
	}
	return localPath(next)
}

// withNext passes the destination on to another signed-out page (sign in ↔ register).
func withNext(path, next string) string {
	if next == "" {
		return path
	}
	return path + "?next=" + url.QueryEscape(next)
}
