package catalogweb

import (
	"net/http"
	"strconv"

	"github.com/monoshop/monoshop/internal/catalog"
)

// Hints of the main form, long enough to read better here than inside the markup.
const (
	hintProductSlug    = "The end of the product's address, like classic-tee. Leave empty to make one from the title. Old addresses keep working after a change."
	hintSEODescription = "About 155 characters shown under the title in search results. Leave empty to use the start of the description."
)

// blankAttributeRows is how many empty name/value rows the form offers for new
// attributes: enough for a typical product without JavaScript to add rows.
const blankAttributeRows = 3

// productForm is the product's main form (the new-product page and the editor's first
// section), as stored or as typed.
type productForm struct {
	Action         string
	Version        int // 0 on the new-product page, which has nothing to be stale against
	Title          string
	Slug           string
	Brand          string
	Status         string
	Featured       bool
	Description    string
	SEOTitle       string
	SEODescription string
	Categories     []categoryChoice
	Attributes     []catalog.Attribute
	Problem        adminProblem
	ReadOnly       bool
}

// productFormOf is the main form filled from the stored product.
func productFormOf(p catalog.AdminProduct, cats []catalog.AdminCategory) productForm {
	chosen := map[string]bool{}
	for _, c := range p.CategoryIDs {
		chosen[strconv.FormatInt(int64(c), 10)] = true
	}
	f := productForm{
		Action: productEditURL(p.ID), Version: p.Version, Title: p.Title, Slug: p.Slug, Brand: p.Brand,
		Status: string(p.Status), Featured: p.Featured, Description: p.Description,
		SEOTitle: p.SEOTitle, SEODescription: p.SEODescription,
		Categories: categoryChoices(cats, chosen),
		Attributes: append([]catalog.Attribute(nil), p.Attributes...),
	}
	f.padAttributes()
	return f
}

// padAttributes adds the empty rows new attributes are typed into.
func (f *productForm) padAttributes() {
	for range blankAttributeRows {
		f.Attributes = append(f.Attributes, catalog.Attribute{})
	}
}

// productInputOf reads the main form: what the service is asked to save, and the form
// as typed for a re-render.
func productInputOf(r *http.Request, cats []catalog.AdminCategory) (catalog.ProductInput, productForm) {
	pf := r.PostForm
	in := catalog.ProductInput{
		Title: pf.Get("title"), Slug: pf.Get("slug"), Brand: pf.Get("brand"),
		Status: catalog.Status(pf.Get("status")), Featured: pf.Get("featured") != "",
		Description: pf.Get("description"), SEOTitle: pf.Get("seo_title"), SEODescription: pf.Get("seo_description"),
	}
	chosen := map[string]bool{}
	for _, raw := range pf["categories"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			continue
		}
		chosen[raw] = true
		in.Categories = append(in.Categories, catalog.CategoryID(id))
	}
	names, values := pf["attr_name"], pf["attr_value"]
	for i := range max(len(names), len(values)) {
		var a catalog.Attribute
		if i < len(names) {
			a.Name = names[i]
		}
		if i < len(values) {
			a.Value = values[i]
		}
		in.Attributes = append(in.Attributes, a)
	}
	f := productForm{
		Version: formVersion(r), Title: keptLine(in.Title), Slug: keptLine(in.Slug), Brand: keptLine(in.Brand),
		Status: keptLine(string(in.Status)), Featured: in.Featured, Description: kept(in.Description),
		SEOTitle: keptLine(in.SEOTitle), SEODescription: keptLine(in.SEODescription),
		Categories: categoryChoices(cats, chosen),
	}
	for _, a := range in.Attributes {
		f.Attributes = append(f.Attributes, catalog.Attribute{Name: keptLine(a.Name), Value: keptLine(a.Value)})
	}
	if len(f.Attributes) == 0 {
		f.padAttributes()
	}
	return in, f
}
