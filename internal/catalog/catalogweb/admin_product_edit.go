package catalogweb

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// thumbWidth is the rendering the editor lists images with: the smallest one made.
const thumbWidth = 160

// Anchors of the editor's sections. Each form posts to a URL ending in its anchor, so the
// browser shows the same section after the redirect, or after a refusal re-renders it.
const (
	anchorDetails  = "details"
	anchorOptions  = "options"
	anchorVariants = "variants"
	anchorImages   = "images"
)

// productEditView is the product editor: one page, one form per section, each carrying
// the product version it was rendered with.
type productEditView struct {
	URL         string
	Title       string
	StatusLabel string
	StatusTone  web.BadgeTone
	ShopURL     string
	ReadOnly    bool
	// Stale names the section whose save lost to someone else's; it shows the notice.
	Stale    string
	Main     productForm
	Options  optionsForm
	Variants variantsForm
	Images   imagesView
}

// optionsForm is the editor's option section: up to catalog.MaxOptions names, each with
// its comma-separated values.
type optionsForm struct {
	Action    string
	Version   int
	Rows      []optionRow
	BasePrice string
	// AskPrice is set while the product has no variants: the first ones need a price.
	AskPrice bool
	Currency string
	Problem  adminProblem
}

// optionRow is one option as stored or typed.
type optionRow struct {
	Index  string
	Name   string
	Values string
}

// variantsForm is the editor's variant table.
type variantsForm struct {
	Action      string
	Version     int
	OptionNames []string
	Rows        []variantRow
	Currency    string
	Problem     adminProblem
}

// variantRow is one variant; archived ones are shown for reference, not edited.
type variantRow struct {
	ID        string
	Title     string
	Values    []string
	SKU       string
	Price     string
	CompareAt string
	Weight    string
	Barcode   string
	Archived  bool
}

// imagesView is the editor's image section: the upload form and the pictures in order.
type imagesView struct {
	UploadAction string
	Version      int
	Alt          string
	Problem      adminProblem
	Rows         []imageRow
	MaxMB        int
	// ShownFor are the choices of what a picture is shown for: all variants, then each
	// option value. Empty when the product has no options, as there is nothing to choose.
	ShownFor []shownForChoice
}

// shownForChoice is one entry of an image's "Shown for" select.
type shownForChoice struct {
	Value, Label string
}

// imageRow is one picture with its forms.
type imageRow struct {
	ID       string
	Thumb    string // set once its sizes are rendered
	Alt      string
	Width    int
	Height   int
	Version  int
	Action   string // prefix of its forms' URLs
	CanUp    bool
	CanDown  bool
	Problem  adminProblem
	Rendered bool
	// ShownFor is the chosen shownForChoice's Value.
	ShownFor string
}

// adminProductEdit shows the product editor.
func (h *Handler) adminProductEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := web.URLID(r, "id")
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	h.renderEditor(w, r, catalog.ProductID(id), http.StatusOK, nil)
}

// renderEditor loads the product and renders its editor. A handler whose form was refused
// passes overlay to put that form back as typed, with its messages, over the stored data.
func (h *Handler) renderEditor(w http.ResponseWriter, r *http.Request, id catalog.ProductID, status int, overlay func(v *productEditView)) {
	ctx := r.Context()
	p, err := h.catalog.AdminGetProduct(ctx, id)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	cats, err := h.catalog.AdminListCategories(ctx)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	v := editorViewOf(p, cats, !h.canEdit(r))
	if overlay != nil {
		overlay(&v)
	}
	h.render.Page(w, r, status, adminProductEditPage(v))
}

// editorViewOf fills every section from the stored product.
func editorViewOf(p catalog.AdminProduct, cats []catalog.AdminCategory, readOnly bool) productEditView {
	base := productEditURL(p.ID)
	label, tone := statusBadge(p.Status)
	v := productEditView{URL: base, Title: p.Title, StatusLabel: label, StatusTone: tone, ReadOnly: readOnly}
	if p.Status == catalog.StatusActive {
		v.ShopURL = productURL(p.Slug)
	}
	v.Main = productFormOf(p, cats)
	v.Main.Action = base + "#" + anchorDetails
	v.Main.ReadOnly = readOnly

	currency := ""
	if len(p.Variants) > 0 {
		currency = p.Variants[0].Price.Currency
	}
	v.Options = optionsForm{Action: base + "/options#" + anchorOptions, Version: p.Version, AskPrice: len(p.Variants) == 0, Currency: currency}
	for i := range catalog.MaxOptions {
		row := optionRow{Index: strconv.Itoa(i)}
		if i < len(p.Options) {
			row.Name = p.Options[i].Name
			vals := make([]string, len(p.Options[i].Values))
			for j, val := range p.Options[i].Values {
				vals[j] = val.Value
			}
			row.Values = strings.Join(vals, ", ")
		}
		v.Options.Rows = append(v.Options.Rows, row)
	}

	v.Variants = variantsForm{Action: base + "/variants#" + anchorVariants, Version: p.Version, Currency: currency}
	for _, o := range p.Options {
		v.Variants.OptionNames = append(v.Variants.OptionNames, o.Name)
	}
	// Archived variants go last: they are history, kept for old orders.
	variants := slices.Clone(p.Variants)
	slices.SortStableFunc(variants, func(a, b catalog.AdminVariant) int {
		switch {
		case a.Archived == b.Archived:
			return 0
		case a.Archived:
			return 1
		}
		return -1
	})
	for _, pv := range variants {
		row := variantRow{ID: strconv.FormatInt(int64(pv.ID), 10), Title: pv.Title, SKU: pv.SKU, Price: pv.Price.Decimal(),
			Weight: strconv.Itoa(pv.WeightGrams), Barcode: pv.Barcode, Archived: pv.Archived}
		if pv.CompareAt != nil {
			row.CompareAt = pv.CompareAt.Decimal()
		}
		for _, name := range v.Variants.OptionNames {
			row.Values = append(row.Values, pv.Values[name])
		}
		v.Variants.Rows = append(v.Variants.Rows, row)
	}

	v.Images = imagesView{UploadAction: base + "/images#" + anchorImages, Version: p.Version, MaxMB: catalog.MaxImageBytes >> 20}
	if len(p.Options) > 0 {
		v.Images.ShownFor = []shownForChoice{{Value: shownForAll, Label: catalog.ShownForAll}}
		for _, o := range p.Options {
			for _, ov := range o.Values {
				v.Images.ShownFor = append(v.Images.ShownFor, shownForChoice{Value: strconv.FormatInt(ov.ID, 10), Label: catalog.OptionValueLabel(o, ov)})
			}
		}
	}
	images := sortedImages(p)
	for i, img := range images {
		id := strconv.FormatInt(img.ID, 10)
		row := imageRow{ID: id, Alt: img.Alt, Width: img.Width, Height: img.Height, Version: p.Version,
			Action: base + "/images/" + id, CanUp: i > 0, CanDown: i < len(images)-1, Rendered: img.Rendered,
			ShownFor: shownForValue(img.OptionValueID)}
		if img.Rendered {
			row.Thumb = mediaURL(img.Image, thumbWidth)
		}
		v.Images.Rows = append(v.Images.Rows, row)
	}
	return v
}

// sortedImages is the product's pictures in display order, the first being the one
// listings show.
func sortedImages(p catalog.AdminProduct) []catalog.AdminImage {
	images := slices.Clone(p.AllImage)
	slices.SortStableFunc(images, func(a, b catalog.AdminImage) int { return a.Position - b.Position })
	return images
}

// optionNumber counts options from one, as people do.
func optionNumber(index string) string {
	n, _ := strconv.Atoi(index)
	return strconv.Itoa(n + 1)
}

// currencySuffix names the currency prices are typed in, once there is one.
func currencySuffix(currency string) string {
	if currency == "" {
		return ""
	}
	return " (" + currency + ")"
}

// thumbShownWidth and thumbHeight are the size of the thumbnail rendering, so the page
// does not jump as it loads; renderings keep the aspect ratio and never upscale.
func thumbShownWidth(img imageRow) int {
	if img.Width <= 0 {
		return thumbWidth
	}
	return min(img.Width, thumbWidth)
}

func thumbHeight(img imageRow) int {
	if img.Width <= 0 || img.Height <= 0 {
		return thumbWidth
	}
	if img.Width <= thumbWidth {
		return img.Height
	}
	return max(1, img.Height*thumbWidth/img.Width)
}

// overlayImageRow applies fn to the listed image with id, if it is still listed.
func overlayImageRow(v *productEditView, id int64, fn func(row *imageRow)) {
	want := strconv.FormatInt(id, 10)
	for i := range v.Images.Rows {
		if v.Images.Rows[i].ID == want {
			fn(&v.Images.Rows[i])
		}
	}
}

// uploadHint states the limits the service enforces, so a refusal is no surprise.
func uploadHint(maxMB int) string {
	return "JPEG, PNG, GIF or WebP, up to " + strconv.Itoa(maxMB) + " MB, " + strconv.Itoa(catalog.MaxImagePixels/1_000_000) +
		" megapixels and " + strconv.Itoa(catalog.MaxImageSide) + " pixels a side. Sizes for the shop are made in the background."
}
