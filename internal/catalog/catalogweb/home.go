package catalogweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/web"
)

// homeProducts is how many products the home page shows: a few rows of cards.
const homeProducts = 24

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	products, err := h.catalog.ListStorefrontProducts(r.Context(), homeProducts)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.render.Page(w, r, http.StatusOK, homePage(homeView{
		Products: productCards(products),
		// Absolute like every other page's: a relative canonical is resolved against
		// whatever host the page was fetched from (a proxy, a staging copy).
		Canonical: absoluteListingURL(h.opts.BaseURL, "/"),
	}))
}

type homeView struct {
	Products  []web.ProductCardVM
	Canonical string
}

func productCards(ps []catalog.ProductSummary) []web.ProductCardVM {
	cards := make([]web.ProductCardVM, len(ps))
	for i, p := range ps {
		cards[i] = web.ProductCardVM{
			URL:   "/p/" + p.Slug,
			Title: p.Title,
			Brand: p.Brand,
			Price: p.Price.String(),
		}
		if p.CompareAt != nil {
			cards[i].CompareAt = p.CompareAt.String()
		}
		if p.Image != nil {
			// Cards are at most a quarter of a wide screen: 320 px covers them, and 640 px
			// would double the bytes for little gain.
			cards[i].ImageURL = mediaURL(*p.Image, 320)
		}
	}
	return cards
}
