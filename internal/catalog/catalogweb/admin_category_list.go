package catalogweb

import (
	"net/http"
	"strconv"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// adminCategoryListView is the category tree with a form per category and one for a new
// category.
type adminCategoryListView struct {
	Rows     []adminCategoryRow
	New      categoryForm
	ReadOnly bool
	// Problem is a refusal that belongs to no form's fields, such as deleting a category
	// that still has subcategories.
	Problem adminProblem
}

// adminCategoryRow is one category of the tree.
type adminCategoryRow struct {
	ID           string
	Name         string
	Slug         string
	Depth        int
	Position     int
	ShopURL      string
	DeleteAction string
	Form         categoryForm
}

// categoryForm is the form of one category (or of a new one), as stored or as typed.
type categoryForm struct {
	Action string
	// Prefix keeps element ids unique: the page holds one form per category.
	Prefix         string
	Open           bool
	Name           string
	Slug           string
	Parent         string
	Position       string
	Description    string
	SEOTitle       string
	SEODescription string
	Featured       bool
	Parents        []web.Option
	Problem        adminProblem
}

// adminCategoryList shows the category tree, indented, with the forms that edit it.
func (h *Handler) adminCategoryList(w http.ResponseWriter, r *http.Request) {
	h.renderCategories(w, r, http.StatusOK, nil)
}

// renderCategories renders the tree; a handler whose form was refused passes overlay to
// put that form back as typed and open.
func (h *Handler) renderCategories(w http.ResponseWriter, r *http.Request, status int, overlay func(v *adminCategoryListView)) {
	cats, err := h.catalog.AdminListCategories(r.Context())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	v := adminCategoryListView{ReadOnly: !h.canEdit(r)}
	v.New = categoryForm{Action: adminCategoriesPath, Prefix: "new-category", Position: "0", Parents: parentOptions(cats, -1)}
	for i, c := range cats {
		id := strconv.FormatInt(int64(c.ID), 10)
		f := categoryForm{Action: adminCategoriesPath + "/" + id, Prefix: "category-" + id, Name: c.Name, Slug: c.Slug,
			Position: strconv.Itoa(c.Position), Description: c.Description, SEOTitle: c.SEOTitle, SEODescription: c.SEODescription,
			Featured: c.Featured, Parents: parentOptions(cats, i)}
		if c.ParentID != nil {
			f.Parent = strconv.FormatInt(int64(*c.ParentID), 10)
		}
		v.Rows = append(v.Rows, adminCategoryRow{ID: id, Name: c.Name, Slug: c.Slug, Depth: c.Depth, Position: c.Position,
			ShopURL: categoryHref(c.Slug), DeleteAction: adminCategoriesPath + "/" + id + "/delete", Form: f})
	}
	if overlay != nil {
		overlay(&v)
	}
	h.render.Page(w, r, status, adminCategoryListPage(v))
}

// parentOptions lists where the category at index self of the tree may move: the top
// level or any category outside its own subtree (a category cannot sit inside itself).
// self is -1 for a new category, which may go anywhere.
func parentOptions(cats []catalog.AdminCategory, self int) []web.Option {
	out := []web.Option{{Value: "", Label: "(top level)"}}
	for i := 0; i < len(cats); i++ {
		if i == self {
			// The tree lists parents before children, so the subtree is the run of deeper
			// categories that follows.
			for i+1 < len(cats) && cats[i+1].Depth > cats[self].Depth {
				i++
			}
			continue
		}
		out = append(out, web.Option{Value: strconv.FormatInt(int64(cats[i].ID), 10), Label: indent(cats[i].Depth) + cats[i].Name})
	}
	return out
}

// categoryInputOf reads a category form: what the service is asked to save (ok false
// when a number could not be read) and the form as typed.
func categoryInputOf(r *http.Request, f categoryForm) (catalog.CategoryInput, categoryForm, bool) {
	pf := r.PostForm
	in := catalog.CategoryInput{Name: pf.Get("name"), Slug: pf.Get("slug"), Description: pf.Get("description"),
		SEOTitle: pf.Get("seo_title"), SEODescription: pf.Get("seo_description"), Featured: pf.Get("featured") != ""}
	f.Name, f.Slug, f.Description = keptLine(in.Name), keptLine(in.Slug), kept(in.Description)
	f.SEOTitle, f.SEODescription, f.Featured = keptLine(in.SEOTitle), keptLine(in.SEODescription), in.Featured
	f.Parent, f.Position, f.Open = keptLine(pf.Get("parent")), keptLine(pf.Get("position")), true
	ok := true
	if f.Parent != "" {
		p, err := strconv.ParseInt(f.Parent, 10, 64)
		if err != nil || p <= 0 {
			f.Problem = fieldProblem("parent", "Choose a parent from the list.")
			ok = false
		}
		in.Parent = catalog.CategoryID(p)
	}
	if f.Position != "" {
		n, err := strconv.Atoi(f.Position)
		if err != nil {
			f.Problem = fieldProblem("position", "Enter a whole number, like 10.")
			ok = false
		}
		in.Position = n
	}
	return in, f, ok
}
