package catalogweb

import (
	"net/http"
	"slices"
	"strconv"

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
		Products: h.withCardStock(r, productIDs(products), productCards(products)),
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
			cards[i].Badge, cards[i].BadgeKind = "On sale", "sale"
		}
		if p.Image != nil {
			// Cards are at most a quarter of a wide screen: 320 px covers them, and 640 px
			// would double the bytes for little gain.
			cards[i].ImageURL = mediaURL(*p.Image, 320)
		}
	}
	return cards
}

func productIDs(ps []catalog.ProductSummary) []catalog.ProductID {
	ids := make([]catalog.ProductID, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return ids
}

// withCardStock returns the cards with what each says about stock ("Sold out" before
// "On sale", which is no use then; "Only 2 left" before it too), from the stock copy: no
// query per card. cards may be shared (the listing cache's), so they are copied first. A
// failure is logged and the cards say nothing about stock: a listing is worth more than
// its badges.
func (h *Handler) withCardStock(r *http.Request, ids []catalog.ProductID, cards []web.ProductCardVM) []web.ProductCardVM {
	if len(cards) == 0 || len(ids) != len(cards) {
		return cards
	}
	stock, err := h.catalog.CardStock(r.Context(), ids)
	if err != nil {
		h.log.WarnContext(r.Context(), "card stock unavailable; cards shown without it", "err", err)
		return cards
	}
	out := slices.Clone(cards)
	for i, st := range stock {
		switch {
		case st.SoldOut:
			out[i].Badge, out[i].BadgeKind = "Sold out", "sold-out"
		case st.Left > 0:
			out[i].Badge, out[i].BadgeKind = "Only "+strconv.Itoa(st.Left)+" left", "low"
		}
	}
	return out
}
