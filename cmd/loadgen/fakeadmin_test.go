package main

import (
	"fmt"
	"html"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The fake shop's back office: a login, the product list and the product editor, with
// forms shaped like the shop's (a version field, fields loadgen does not know of that
// must come back as they were, a variant table), checked as strictly as the shop would.

const (
	fakeStaffEmail    = "editor@loadgen.example.com"
	fakeStaffPassword = "correct horse battery staple"
	fakeStaffCookie   = "staff-session"
	fakeAdminPerPage  = 50
)

// fakeEdits is what staff changed in the fake catalog.
type fakeEdits struct {
	version map[int]int
	// shown is the title the storefront shows; a saved title replaces it after editLag.
	pending map[int]fakePendingTitle
	shown   map[int]string
	prices  map[string]string // variant id -> price
	titles  int               // title saves
	priced  int               // variant saves
	refused int               // saves refused (stale version, missing fields)
}

type fakePendingTitle struct {
	title string
	at    time.Time
}

func (e *fakeEdits) init() {
	e.version, e.pending, e.shown, e.prices = map[int]int{}, map[int]fakePendingTitle{}, map[int]string{}, map[string]string{}
}

// title is the storefront title of product i; s.mu is held.
func (s *fakeShop) title(i int) string {
	if p, ok := s.edits.pending[i]; ok && !time.Now().Before(p.at) {
		s.edits.shown[i] = p.title
		delete(s.edits.pending, i)
	}
	if t, ok := s.edits.shown[i]; ok {
		return t
	}
	return s.products[i].title
}

// The fake's variants: two per product, with prices, one with a compare-at price.
func fakeVariantIDs(i int) [2]string {
	return [2]string{strconv.Itoa(variantOf(i)), strconv.Itoa(variantOf(i) + 10000)}
}

func (s *fakeShop) price(id string) string {
	if p, ok := s.edits.prices[id]; ok {
		return p
	}
	return "19.99"
}

func (s *fakeShop) routeAdmin(mux *http.ServeMux) {
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("GET /admin/catalog/products", s.staffOnly(s.adminList))
	mux.HandleFunc("GET /admin/catalog/products/{id}", s.staffOnly(s.adminEditor))
	mux.HandleFunc("POST /admin/catalog/products/{id}", s.staffOnly(s.adminSaveDetails))
	mux.HandleFunc("POST /admin/catalog/products/{id}/variants", s.staffOnly(s.adminSaveVariants))
}

func (s *fakeShop) login(w http.ResponseWriter, r *http.Request) {
	if r.PostFormValue("email") != fakeStaffEmail || r.PostFormValue("password") != fakeStaffPassword {
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `<p data-testid="form-error">Wrong email or password.</p>`)
		return
	}
	// Secure, as in production: loadgen must send it back over plain HTTP all the same.
	http.SetCookie(w, &http.Cookie{Name: fakeStaffCookie, Value: "s1", Path: "/", Secure: true, HttpOnly: true})
	http.Redirect(w, r, "/admin", http.StatusSeeOther)
}

func (s *fakeShop) staffOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(fakeStaffCookie); err != nil || c.Value != "s1" {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
			return
		}
		h(w, r)
	}
}

// product returns the index of the product {id} names (ids start at 1).
func (s *fakeShop) productID(r *http.Request) (int, bool) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil || id < 1 || id > len(s.products) {
		return 0, false
	}
	return id - 1, true
}

func (s *fakeShop) adminList(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("status") != "active" {
		http.Error(w, "loadgen lists active products", http.StatusBadRequest)
		return
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	pages := (len(s.products) + fakeAdminPerPage - 1) / fakeAdminPerPage
	fmt.Fprint(w, `<!DOCTYPE html><title>Products</title><table data-testid="product-table"><tbody>`)
	s.mu.Lock()
	for i := (page - 1) * fakeAdminPerPage; i < min(len(s.products), page*fakeAdminPerPage); i++ {
		fmt.Fprintf(w, `<tr data-testid="product-row" data-id="%[1]d"><th scope="row">
<a href="/admin/catalog/products/%[1]d" data-testid="product-edit-link">%[2]s</a></th>
<td><a class="admin-block" href="https://shop.example.com/p/%[3]s" data-testid="product-shop-link">View in shop<span class="visually-hidden">: %[2]s</span></a></td></tr>`,
			i+1, html.EscapeString(s.title(i)), s.products[i].slug)
	}
	s.mu.Unlock()
	fmt.Fprint(w, `</tbody></table><nav data-testid="pagination"><ul>`)
	for n := 1; n <= pages; n++ {
		q := "?status=active"
		if n > 1 {
			q += "&amp;page=" + strconv.Itoa(n)
		}
		fmt.Fprintf(w, `<li><a href="/admin/catalog/products%s">%d</a></li>`, q, n)
	}
	fmt.Fprint(w, `</ul></nav>`)
}

func (s *fakeShop) adminEditor(w http.ResponseWriter, r *http.Request) {
	i, ok := s.productID(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, v := s.products[i], s.edits.version[i]+1
	title := s.products[i].title
	if t, ok := s.edits.pending[i]; ok {
		title = t.title
	} else if t, ok := s.edits.shown[i]; ok {
		title = t
	}
	fmt.Fprintf(w, `<!DOCTYPE html><title>Edit</title><h1 data-testid="product-heading">%[1]s</h1>
<form class="admin-form" method="post" action="/admin/catalog/products/%[2]d" novalidate data-testid="product-form">
<fieldset class="admin-plain"><legend>Product details</legend>
<input type="hidden" name="version" value="%[3]d" data-testid="form-version"/>
<div class="field"><label for="title">Title</label><input id="title" name="title" value="%[1]s" required maxlength="200"/></div>
<input id="slug" name="slug" value="%[4]s"/>
<select id="status" name="status"><option value="draft">Draft</option><option value="active" selected>Active</option></select>
<input id="featured" name="featured" type="checkbox" value="on"/>
<textarea id="description" name="description" rows="8">Soft &amp; warm.

Machine wash &lt;30°C.</textarea>
<fieldset data-testid="field-categories"><input type="checkbox" name="categories" value="3" checked/><input type="checkbox" name="categories" value="4"/></fieldset>
<input name="attr_name" value="Material"/><input name="attr_value" value="Cotton"/><input name="attr_name" value=""/><input name="attr_value" value=""/>
<button class="button" type="submit" data-testid="product-submit">Save details</button>
</fieldset></form>
<form class="admin-form" method="post" action="/admin/catalog/products/%[2]d/options" data-testid="options-form">
<input type="hidden" name="version" value="%[3]d"/><input name="options.0.name" value="Size"/></form>
<form method="post" action="/admin/catalog/products/%[2]d/variants" novalidate data-testid="variants-form">
<fieldset class="admin-plain"><input type="hidden" name="version" value="%[3]d" data-testid="form-version"/><table data-testid="variant-table"><tbody>`,
		html.EscapeString(title), i+1, v, p.slug)
	for k, id := range fakeVariantIDs(i) {
		compare := ""
		if k == 1 {
			compare = "20.00"
		}
		fmt.Fprintf(w, `<tr data-testid="variant-row" data-id="%[1]s"><td><input type="hidden" name="variant" value="%[1]s"/>
<input name="variants.%[1]s.sku" value="SKU-%[1]s"/></td><td><input name="variants.%[1]s.price" value="%[2]s"/></td>
<td><input name="variants.%[1]s.compare_at" value="%[3]s"/></td><td><input name="variants.%[1]s.weight_grams" value="250"/></td>
<td><input name="variants.%[1]s.barcode" value=""/></td></tr>`, id, s.price(id), compare)
	}
	fmt.Fprint(w, `</tbody></table><button class="button" type="submit" data-testid="variants-submit">Save variants</button></fieldset></form>`)
}

// checkVersion refuses a save from an editor opened before the last save, as the shop
// does (409 and the editor again); s.mu is held.
func (s *fakeShop) checkVersion(w http.ResponseWriter, r *http.Request, i int) bool {
	if r.PostFormValue("version") != strconv.Itoa(s.edits.version[i]+1) {
		s.edits.refused++
		w.WriteHeader(http.StatusConflict)
		fmt.Fprint(w, `<p data-testid="form-error">Someone else saved this product since you opened it.</p>`)
		return false
	}
	return true
}

func (s *fakeShop) adminSaveDetails(w http.ResponseWriter, r *http.Request) {
	i, ok := s.productID(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f := r.PostForm
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.checkVersion(w, r, i) {
		return
	}
	// Everything the form held must come back as it was, or the save would change it.
	var problems []string
	want := map[string][]string{
		"slug": {s.products[i].slug}, "status": {"active"}, "description": {"Soft & warm.\n\nMachine wash <30°C."},
		"categories": {"3"}, "attr_name": {"Material", ""}, "attr_value": {"Cotton", ""},
	}
	for k, v := range want {
		if strings.Join(f[k], "|") != strings.Join(v, "|") {
			problems = append(problems, fmt.Sprintf("%s: %q, want %q", k, f[k], v))
		}
	}
	title := strings.TrimSpace(f.Get("title"))
	if title == "" || len(title) > 200 || f.Has("featured") || f.Has("options.0.name") {
		problems = append(problems, "title or fields of another form")
	}
	if len(problems) > 0 {
		s.edits.refused++
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprintf(w, `<p data-testid="form-error">%s</p>`, html.EscapeString(strings.Join(problems, "; ")))
		return
	}
	s.edits.version[i]++
	s.edits.titles++
	s.edits.pending[i] = fakePendingTitle{title: title, at: time.Now().Add(s.editLag)}
	http.Redirect(w, r, "/admin/catalog/products/"+r.PathValue("id")+"#details", http.StatusSeeOther)
}

func (s *fakeShop) adminSaveVariants(w http.ResponseWriter, r *http.Request) {
	i, ok := s.productID(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f := r.PostForm
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.checkVersion(w, r, i) {
		return
	}
	ids := fakeVariantIDs(i)
	if strings.Join(f["variant"], ",") != ids[0]+","+ids[1] || f.Has("title") {
		s.edits.refused++
		http.Error(w, "not this product's variant table", http.StatusUnprocessableEntity)
		return
	}
	changed, prices := 0, map[string]string{}
	for k, id := range ids {
		p := f.Get("variants." + id + ".price")
		a, ok := parseAmount(p)
		if !ok || a.minor <= 0 || a.decimals != 2 || (k == 1 && a.minor >= 2000) {
			s.edits.refused++
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprintf(w, `<p data-testid="field-error-variants.%s.price">The price %q is not right.</p>`, id, p)
			return
		}
		if p != s.price(id) {
			changed++
		}
		prices[id] = p
	}
	if changed != 1 {
		s.edits.refused++
		http.Error(w, fmt.Sprintf("%d prices changed, want 1", changed), http.StatusUnprocessableEntity)
		return
	}
	maps.Copy(s.edits.prices, prices)
	s.edits.version[i]++
	s.edits.priced++
	http.Redirect(w, r, "/admin/catalog/products/"+r.PathValue("id")+"#variants", http.StatusSeeOther)
}

// editCounts returns the saves of titles and prices, and the saves refused.
func (s *fakeShop) editCounts() (titles, prices, refused int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.edits.titles, s.edits.priced, s.edits.refused
}
