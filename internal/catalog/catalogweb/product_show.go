package catalogweb

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/httpx"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/web"
)

const (
	// relatedProducts is one or two rows of cards under the product.
	relatedProducts = 8
	// lowStockThreshold is the level from which the page says "Only N left": a real
	// scarcity worth telling, not a sales trick shown on every page.
	lowStockThreshold = 5
	// maxQuantity bounds one add-to-cart; the cart validates again, this only guides.
	maxQuantity = 99
	// metaDescriptionLength is about what search engines show of a description.
	metaDescriptionLength = 155
)

// The widths the media pipeline renders every product image at.
const (
	imageSmall  = 320
	imageMedium = 640
	imageLarge  = 1280
)

// productShow renders a product with the variant picked by ?variant=. Every variant has
// its own URL and the picker is made of plain links, so choosing a size works without
// JavaScript, can be shared, and the back button undoes it.
func (h *Handler) productShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := h.catalog.FindProductBySlug(ctx, chi.URLParam(r, "slug"))
	var moved *catalog.RedirectError
	if errors.As(err, &moved) {
		// Variant ids survive a rename, so the query string stays meaningful.
		target := "/p/" + url.PathEscape(moved.Slug)
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}
	if err != nil {
		h.render.Error(w, r, err)
		return
	}

	trail, err := h.productTrail(r, p)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	related, err := h.catalog.ListRelatedProducts(ctx, p.ID, relatedProducts)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	selected := selectVariant(p, r.URL.Query().Get("variant"))
	levels := h.stockLevels(r, p)

	v := productView{
		Title:      p.Title,
		Brand:      p.Brand,
		Sellable:   selected != nil,
		Crumbs:     productCrumbs(trail, p),
		Images:     galleryImages(p, selected),
		Options:    optionPicker(p, selected, levels),
		Attributes: p.Attributes,
		Related:    h.withCardStock(r, productIDs(related), productCards(related)),
		Paragraphs: paragraphs(p.Description),
		CanBuy:     selected != nil,
		MaxQty:     maxQuantity,
	}
	if selected != nil {
		v.VariantID = selected.ID
		v.SKU = selected.SKU
		v.Price = selected.Price.String()
		if selected.OnSale() {
			v.CompareAt = selected.CompareAt.String()
		}
		if level, tracked := levels[selected.ID]; tracked {
			v.Stock = stockStatusOf(level)
			v.CanBuy = level.Available > 0 || level.Backorder
			if !level.Backorder && level.Available > 0 && level.Available < maxQuantity {
				v.MaxQty = level.Available
			}
		}
	}
	v.Meta = h.productMeta(p, selected, v)
	h.render.Page(w, r, http.StatusOK, productPage(v))
}

// productView is the product page's view model.
type productView struct {
	Title, Brand string
	Meta         web.PageMeta
	Crumbs       []web.Crumb
	Images       []galleryImage
	Paragraphs   []string
	Options      []optionVM
	Attributes   []catalog.Attribute
	Related      []web.ProductCardVM

	// Sellable is false for a product without any variant: no price, no form.
	Sellable bool
	// VariantID and SKU identify the selected variant.
	VariantID catalog.VariantID
	SKU       string
	Price     string
	CompareAt string
	// Stock is nil when stock is not tracked for the variant: saying nothing beats
	// guessing.
	Stock  *stockStatus
	CanBuy bool
	MaxQty int
}

// galleryImage is one picture with the files a browser picks from.
type galleryImage struct {
	Src, SrcSet, Alt string
	// Large is the biggest rendering, for link previews and rich results.
	Large         string
	Width, Height int
	Eager         bool
}

// optionVM is one dimension of the variant picker.
type optionVM struct {
	ID       string // element id of its label
	Name     string
	Selected string // the value currently chosen, to name it next to the option
	Values   []optionValueVM
}

// optionValueVM is one choice of an option. URL is empty when no variant has the value
// at all: it is shown, so the range is visible, but cannot be chosen. SoldOut marks a
// value whose variant (with the other current choices) cannot be bought now: it stays a
// link, as the shopper may want to see it or wait for it, but says so before the click.
type optionValueVM struct {
	Label    string
	URL      string
	Selected bool
	SoldOut  bool
}

// stockStatus is what the page says about a variant's stock.
type stockStatus struct {
	Label string
	// Kind styles the message: in-stock, low, backorder, held or out.
	Kind string
	// Schema is the schema.org availability for structured data.
	Schema string
}

func minutes(n int) string {
	if n == 1 {
		return "1 minute"
	}
	return strconv.Itoa(n) + " minutes"
}

func stockStatusOf(l StockLevel) *stockStatus {
	switch {
	case l.Available > lowStockThreshold:
		return &stockStatus{Label: "In stock", Kind: "in-stock", Schema: "https://schema.org/InStock"}
	case l.Available > 0:
		return &stockStatus{Label: "Only " + strconv.Itoa(l.Available) + " left", Kind: "low", Schema: "https://schema.org/LimitedAvailability"}
	case l.Backorder:
		return &stockStatus{Label: "Available on backorder", Kind: "backorder", Schema: "https://schema.org/BackOrder"}
	case l.HeldMinutes > 0:
		return &stockStatus{Label: "Reserved by other shoppers: check back in " + minutes(l.HeldMinutes), Kind: "held",
			Schema: "https://schema.org/OutOfStock"}
	default:
		return &stockStatus{Label: "Out of stock", Kind: "out", Schema: "https://schema.org/OutOfStock"}
	}
}

// stockLevels asks inventory about every variant at once (one call per page, never one
// per variant). A failure is logged and the page shows no stock: a product page without
// a stock line is still worth showing, and the cart checks stock again anyway.
func (h *Handler) stockLevels(r *http.Request, p catalog.Product) map[catalog.VariantID]StockLevel {
	if h.opts.Stock == nil || len(p.Variants) == 0 {
		return nil
	}
	ids := make([]catalog.VariantID, len(p.Variants))
	for i, v := range p.Variants {
		ids[i] = v.ID
	}
	levels, err := h.opts.Stock.StockLevels(r.Context(), ids)
	if err != nil {
		h.log.WarnContext(r.Context(), "stock levels unavailable; product page shown without them",
			"err", err, "product_id", p.ID, "request_id", httpx.RequestIDFrom(r.Context()))
		return nil
	}
	return levels
}

// selectVariant returns the variant ?variant= names, or the default one. Anything else in
// the parameter (garbage, a variant of another product, one since removed) falls back to
// the default: an old link should still show the product rather than an error.
//
// The default is the cheapest variant, the first in the merchant's order among equals:
// listings advertise a product at its lowest price, so the page it links to opens on a
// variant at that price.
func selectVariant(p catalog.Product, param string) *catalog.Variant {
	if len(p.Variants) == 0 {
		return nil
	}
	if id, err := strconv.ParseInt(param, 10, 64); err == nil {
		for i := range p.Variants {
			if p.Variants[i].ID == catalog.VariantID(id) {
				return &p.Variants[i]
			}
		}
	}
	best := &p.Variants[0]
	for i := range p.Variants {
		if p.Variants[i].Price.Minor < best.Price.Minor {
			best = &p.Variants[i]
		}
	}
	return best
}

// optionPicker builds one list of links per option. A value links to the variant that
// has it together with the values currently chosen for the other options, so changing
// the colour keeps the size; when that combination does not exist, to the first variant
// with the value.
func optionPicker(p catalog.Product, selected *catalog.Variant, levels map[catalog.VariantID]StockLevel) []optionVM {
	if len(p.Options) == 0 || selected == nil {
		return nil
	}
	// valueOf[vi][oi] is variant vi's value id for option oi (0 when it has none), worked
	// out from the value ids themselves so that a variant missing a value cannot shift
	// the others into the wrong option.
	optionOf := make(map[int64]int)
	for oi, o := range p.Options {
		for _, ov := range o.Values {
			optionOf[ov.ID] = oi
		}
	}
	values := func(v catalog.Variant) []int64 {
		out := make([]int64, len(p.Options))
		for _, id := range v.OptionValueIDs {
			if oi, ok := optionOf[id]; ok {
				out[oi] = id
			}
		}
		return out
	}
	valueOf := make([][]int64, len(p.Variants))
	for vi, v := range p.Variants {
		valueOf[vi] = values(v)
	}
	current := values(*selected)

	out := make([]optionVM, len(p.Options))
	for oi, o := range p.Options {
		vm := optionVM{ID: "option-" + strconv.Itoa(oi), Name: o.Name}
		for _, ov := range o.Values {
			val := optionValueVM{Label: ov.Value, Selected: ov.ID == current[oi]}
			if val.Selected {
				vm.Selected = ov.Value
			}
			best, bestScore := -1, -1
			for vi := range p.Variants {
				if valueOf[vi][oi] != ov.ID {
					continue
				}
				// The variant sharing most of the other current choices wins; the first
				// in the merchant's order among equals.
				score := 0
				for oj := range p.Options {
					if oj != oi && valueOf[vi][oj] == current[oj] {
						score++
					}
				}
				if score > bestScore {
					best, bestScore = vi, score
				}
			}
			if best >= 0 {
				target := p.Variants[best].ID
				val.URL = variantURL(p.Slug, target)
				if l, tracked := levels[target]; tracked && l.Available <= 0 && !l.Backorder {
					val.SoldOut = true
				}
			}
			vm.Values = append(vm.Values, val)
		}
		out[oi] = vm
	}
	return out
}

func productURL(slug string) string { return "/p/" + url.PathEscape(slug) }

func variantURL(slug string, id catalog.VariantID) string {
	return productURL(slug) + "?variant=" + strconv.FormatInt(int64(id), 10)
}

// galleryImages lists the pictures of the selected variant's colour (or other option
// value) first, then the general ones (catalog.Product.ImagesFor). The first is the one a
// link preview and search results show, so they follow the variant too.
func galleryImages(p catalog.Product, selected *catalog.Variant) []galleryImage {
	picked := p.ImagesFor(selected)
	out := make([]galleryImage, len(picked))
	for i, img := range picked {
		var srcset []string
		for _, wd := range []int{imageSmall, imageMedium, imageLarge} {
			srcset = append(srcset, mediaURL(img, wd)+" "+strconv.Itoa(wd)+"w")
		}
		alt := img.Alt
		if alt == "" {
			alt = p.Title
		}
		out[i] = galleryImage{
			Src:    mediaURL(img, imageMedium),
			SrcSet: strings.Join(srcset, ", "),
			Large:  mediaURL(img, imageLarge),
			Alt:    alt,
			Width:  img.Width,
			Height: img.Height,
			// Only the first picture is above the fold; the rest load as they scroll in.
			Eager: i == 0,
		}
	}
	return out
}

func mediaURL(img catalog.Image, width int) string {
	return "/media/" + url.PathEscape(img.Hash) + "-" + strconv.Itoa(width) + ".webp"
}

// productTrail is the category path of the product's primary (first) category.
func (h *Handler) productTrail(r *http.Request, p catalog.Product) ([]catalog.Category, error) {
	if len(p.CategoryIDs) == 0 {
		return nil, nil
	}
	return h.catalog.CategoryTrail(r.Context(), p.CategoryIDs[0])
}

func productCrumbs(trail []catalog.Category, p catalog.Product) []web.Crumb {
	crumbs := []web.Crumb{{Label: "Home", URL: "/"}}
	for _, c := range trail {
		crumbs = append(crumbs, web.Crumb{Label: c.Name, URL: "/c/" + url.PathEscape(c.Slug)})
	}
	return append(crumbs, web.Crumb{Label: p.Title, URL: productURL(p.Slug)})
}

// paragraphs splits a plain-text description at blank lines.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// summarize cuts text to about n characters at a word boundary, for meta descriptions.
func summarize(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := string([]rune(s)[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:-") + "…"
}

// publicURL makes a root-relative path absolute with the shop's public URL, which comes
// from configuration and never from the request's Host header (a forged Host must not
// end up in canonical links or sitemaps). Without a base URL the path stays relative.
func (h *Handler) publicURL(path string) string {
	return strings.TrimRight(h.opts.BaseURL, "/") + path
}

// productMeta describes the page to search engines and link previews. The canonical URL
// leaves out ?variant= so that all variants count as one page.
func (h *Handler) productMeta(p catalog.Product, selected *catalog.Variant, v productView) web.PageMeta {
	title := p.SEOTitle
	if title == "" {
		title = p.Title
	}
	desc := p.SEODescription
	if desc == "" {
		desc = summarize(p.Description, metaDescriptionLength)
	}
	canonical := h.publicURL(productURL(p.Slug))
	head := productHead{
		Title:       title,
		Description: desc,
		URL:         canonical,
	}
	var images []string
	for _, img := range v.Images {
		images = append(images, h.publicURL(img.Large))
	}
	if len(images) > 0 {
		head.Image = images[0]
	}
	head.Product = productLD{
		Context:     "https://schema.org",
		Type:        "Product",
		Name:        p.Title,
		Description: p.Description,
		Image:       images,
		URL:         canonical,
	}
	if p.Brand != "" {
		head.Product.Brand = &brandLD{Type: "Brand", Name: p.Brand}
	}
	if selected != nil {
		head.Price = &selected.Price
		head.Product.SKU = selected.SKU
		offer := &offerLD{
			Type:          "Offer",
			Price:         selected.Price.Decimal(),
			PriceCurrency: selected.Price.Currency,
			URL:           h.publicURL(variantURL(p.Slug, selected.ID)),
		}
		if v.Stock != nil {
			offer.Availability = v.Stock.Schema
		}
		head.Product.Offers = offer
	}
	head.Breadcrumbs = breadcrumbListLD{Context: "https://schema.org", Type: "BreadcrumbList"}
	for i, c := range v.Crumbs {
		head.Breadcrumbs.Items = append(head.Breadcrumbs.Items, listItemLD{
			Type: "ListItem", Position: i + 1, Name: c.Label, Item: h.publicURL(c.URL),
		})
	}
	// The last crumb is this page: its canonical URL, not the variant's.
	head.Breadcrumbs.Items[len(head.Breadcrumbs.Items)-1].Item = canonical

	return web.PageMeta{
		Title:       title,
		Description: desc,
		Canonical:   canonical,
		Head:        productHeadTags(head),
		Scripts:     []string{suggestScript},
	}
}

// productHead is what the product page adds to <head>: Open Graph and structured data.
type productHead struct {
	Title, Description, URL, Image string
	// Price is the selected variant's, nil for a product without variants.
	Price       *money.Amount
	Product     productLD
	Breadcrumbs breadcrumbListLD
}

// productLD is schema.org Product as JSON-LD, for rich results in search engines.
type productLD struct {
	Context     string   `json:"@context"`
	Type        string   `json:"@type"`
	Name        string   `json:"name"`
	SKU         string   `json:"sku,omitempty"`
	Brand       *brandLD `json:"brand,omitempty"`
	Description string   `json:"description,omitempty"`
	Image       []string `json:"image,omitempty"`
	URL         string   `json:"url"`
	Offers      *offerLD `json:"offers,omitempty"`
}

type brandLD struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

type offerLD struct {
	Type string `json:"@type"`
	// Price is a decimal string: JSON numbers are floats to most readers.
	Price         string `json:"price"`
	PriceCurrency string `json:"priceCurrency"`
	Availability  string `json:"availability,omitempty"`
	URL           string `json:"url"`
}

type breadcrumbListLD struct {
	Context string       `json:"@context"`
	Type    string       `json:"@type"`
	Items   []listItemLD `json:"itemListElement"`
}

type listItemLD struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	Item     string `json:"item"`
}
