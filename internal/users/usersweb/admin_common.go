package usersweb

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// adminPerPage is the length of the back office's lists: long enough to scan, short
// enough that a page with every row's forms stays light.
const adminPerPage = 50

// adminAccountID reads the {id} of a back-office URL; anything but a positive number is a
// page that does not exist.
func adminAccountID(r *http.Request) (users.AccountID, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	return users.AccountID(id), err == nil && id > 0
}

// adminPage reads ?page=; a missing, malformed or non-positive number is the first page.
func adminPage(q url.Values) int {
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// adminListURL is path with the filters of q that are set and, past the first, the page,
// so every page and filter link is shareable and bookmarkable.
func adminListURL(path string, q url.Values, page int) string {
	out := url.Values{}
	for k, vs := range q {
		if k != "page" && len(vs) > 0 && vs[0] != "" {
			out.Set(k, vs[0])
		}
	}
	if page > 1 {
		out.Set("page", strconv.Itoa(page))
	}
	if len(out) == 0 {
		return path
	}
	return path + "?" + out.Encode()
}

// adminStatus is the status of a back-office form re-rendered after a refusal the staff
// member can read about on the page.
func adminStatus(err error) int {
	switch apperr.CodeOf(err) {
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.NotFound:
		return http.StatusNotFound
	}
	return http.StatusUnprocessableEntity
}

// adminRefusal reports whether err is a rule of the service (not allowed, would leave the
// shop without an owner, no such account) that the staff member should read about on the
// page; anything else is a fault for the error page.
func adminRefusal(err error) bool {
	switch apperr.CodeOf(err) {
	case apperr.Invalid, apperr.Forbidden, apperr.Conflict, apperr.NotFound:
		return true
	}
	return false
}

// grantableRoles are the roles the actor may hand out: only an owner makes owners, so an
// administrator is not offered a choice the service would refuse.
func grantableRoles(actor users.Role) []web.Option {
	var out []web.Option
	for _, r := range users.Roles {
		if r == users.RoleOwner && actor != users.RoleOwner {
			continue
		}
		out = append(out, web.Option{Value: string(r), Label: r.Label()})
	}
	return out
}

// auditValue shows one side of an audited change. Values come back from JSON, so they
// are strings, booleans, numbers, nil or nested data.
func auditValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "(none)"
	case string:
		if x == "" {
			return "(empty)"
		}
		return x
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "(unreadable)"
	}
	return string(b)
}
