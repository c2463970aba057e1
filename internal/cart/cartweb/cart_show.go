package cartweb

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/monoshop/monoshop/internal/cart"
	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// lineImageWidth is the rendering a cart line shows (twice its CSS size, for sharp
// pictures on dense screens); catalog.ImageWidths lists what exists.
const lineImageWidth = 160

// cartShow renders the cart with live names, prices and stock. Viewing may lower a
// quantity to what is left (the line says so), so the header counts the cart as shown
// rather than as it was before.
func (h *Handler) cartShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := h.cart.View(ctx, h.ref(ctx))
	if err != nil {
		h.renderError(w, r, err)
		return
	}
	chrome := web.ChromeFrom(ctx)
	chrome.CartCount, chrome.CountCart = c.Count, nil
	r = r.WithContext(web.WithChrome(ctx, chrome))
	// The page shows one person's cart and one-time messages: no shared cache or back
	// button may keep a copy.
	w.Header().Set("Cache-Control", "no-store")
	h.render.Page(w, r, http.StatusOK, cartPage(newCartView(c)))
}

// cartView is the cart page's view model.
type cartView struct {
	Lines []lineView
	// Subtotal is empty when nothing in the cart can be bought.
	Subtotal string
	// Excluded is true when some lines are left out of the subtotal.
	Excluded bool
	// ItemsLabel counts the units the subtotal is for ("3 items").
	ItemsLabel string
}

// lineView is one line of the cart page.
type lineView struct {
	ID        string
	VariantID string
	Status    string
	// Title links to URL, the product page on this variant; URL is empty for a line the
	// catalog no longer sells.
	Title string
	URL   string
	// Name tells lines of one product apart for screen readers ("Remove Tee (M / Navy)"),
	// where the table's row does not.
	Name      string
	Options   []cart.OptionValue
	SKU       string
	UnitPrice string
	LineTotal string
	Quantity  string
	Max       string
	// Less and More are the quantities the stepper's buttons set; More is empty at the
	// most a shopper may buy.
	Less, More string
	// Editable lines have a quantity form; one no longer sold or out of stock can only be
	// removed.
	Editable bool
	Notice   string
	// NoticeClass styles the notice with the storefront's stock colours.
	NoticeClass string
	Image       *lineImage
}

type lineImage struct {
	Src, SrcSet, Alt string
}

func newCartView(c cart.Cart) cartView {
	var v cartView
	units := 0
	for _, l := range c.Lines {
		lv := lineView{
			ID:        strconv.FormatInt(l.ID, 10),
			VariantID: strconv.FormatInt(int64(l.VariantID), 10),
			Status:    string(l.Status),
			Quantity:  strconv.Itoa(l.Quantity),
			Max:       strconv.Itoa(l.MaxQuantity),
			Less:      strconv.Itoa(max(0, l.Quantity-1)),
			Notice:    l.Notice,
			Editable:  l.Status.Purchasable(),
			Options:   l.Options,
			SKU:       l.SKU,
		}
		switch l.Status {
		case cart.LineUnavailable:
			lv.Title = "An item that is no longer sold"
		default:
			lv.Title = l.ProductTitle
			lv.URL = productURL(l.ProductSlug, int64(l.VariantID))
			lv.UnitPrice = l.UnitPrice.String()
		}
		lv.Name = lv.Title
		if l.VariantTitle != "" {
			lv.Name += " (" + l.VariantTitle + ")"
		}
		switch l.Status {
		case cart.LineLowered, cart.LineBackorder:
			lv.NoticeClass = "stock stock--low"
		case cart.LineOutOfStock, cart.LineUnavailable:
			lv.NoticeClass = "stock stock--out"
		}
		if l.Quantity < l.MaxQuantity {
			lv.More = strconv.Itoa(l.Quantity + 1)
		}
		if l.Status.Purchasable() {
			units += l.Quantity
			lv.LineTotal = l.LineTotal.String()
		} else {
			v.Excluded = true
		}
		if img := l.Image; img != nil {
			alt := img.Alt
			if alt == "" {
				alt = l.ProductTitle
			}
			lv.Image = &lineImage{
				Src:    mediaURL(*img, lineImageWidth),
				SrcSet: mediaURL(*img, lineImageWidth) + " 1x, " + mediaURL(*img, 2*lineImageWidth) + " 2x",
				Alt:    alt,
			}
		}
		v.Lines = append(v.Lines, lv)
	}
	if c.Purchasable > 0 {
		v.Subtotal = c.Subtotal.String()
		v.ItemsLabel = strconv.Itoa(units) + " items"
		if units == 1 {
			v.ItemsLabel = "1 item"
		}
	}
	return v
}

// mediaURL is a product image file as the catalog serves it under /media/ (a stable part
// of the URL map, DESIGN.md §4).
func mediaURL(img catalog.Image, width int) string {
	return "/media/" + url.PathEscape(img.Hash) + "-" + strconv.Itoa(width) + ".webp"
}
