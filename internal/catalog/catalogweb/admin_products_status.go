package catalogweb

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// bulkDone says what a bulk action did, in the words of its button.
var bulkDone = map[catalog.Status]string{
	catalog.StatusActive:   "published",
	catalog.StatusDraft:    "unpublished (now drafts)",
	catalog.StatusArchived: "archived",
}

// adminProductsStatus publishes, unpublishes or archives the ticked products at once and
// goes back to the list as it was filtered. A refusal (nothing ticked, an unknown action)
// re-renders that list with the boxes still ticked.
func (h *Handler) adminProductsStatus(w http.ResponseWriter, r *http.Request) {
	if !h.render.ParseForm(w, r) {
		return
	}
	back := listReturn(r.PostFormValue("return"))
	status := catalog.Status(r.PostFormValue("status"))
	checked := map[string]bool{}
	var ids []catalog.ProductID
	for _, raw := range r.PostForm["ids"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 || checked[raw] {
			continue
		}
		checked[raw] = true
		ids = append(ids, catalog.ProductID(id))
	}
	n, err := h.catalog.SetProductsStatus(r.Context(), h.actor(r), ids, status)
	if err != nil {
		if !web.FormRefusal(err) {
			h.render.Error(w, r, err)
			return
		}
		u, _ := url.Parse(back)
		h.renderProductList(w, r, u.Query(), web.FormStatus(err), checked, problemOf(err))
		return
	}
	word := "products"
	if n == 1 {
		word = "product"
	}
	h.flash(r, web.FlashSuccess, strconv.Itoa(n)+" "+word+" "+bulkDone[status]+".")
	web.SeeOther(w, r, back)
}

// listReturn is where a bulk action goes back to: the product list with the filters the
// form was on. Only the list itself is accepted, so the field cannot redirect elsewhere.
func listReturn(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path != adminProductsPath || strings.HasPrefix(s, "//") {
		return adminProductsPath
	}
	if q := u.Query().Encode(); q != "" {
		return adminProductsPath + "?" + q
	}
	return adminProductsPath
}
