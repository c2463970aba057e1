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
	h.render.Page(w, r, http.StatusOK, homePage(homeView{Products: h.withStock(r, productCards(products), products)}))
}

type homeView struct {
	Products []web.ProductCardVM
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

// withStock returns a copy of cards with each product's availability across its
// variants, asked for all cards at once (a listing may be shared from the listing cache,
// so the cards passed in are never changed). Without stock tracking, or when it fails,
// the cards are returned as they are.
func (h *Handler) withStock(r *http.Request, cards []web.ProductCardVM, ps []catalog.ProductSummary) []web.ProductCardVM {
	if h.opts.Stock == nil || len(cards) == 0 || len(cards) != len(ps) {
		return cards
	}
	var ids []catalog.VariantID
	for _, p := range ps {
		ids = append(ids, p.VariantIDs...)
	}
	levels, err := h.opts.Stock.StockLevels(r.Context(), ids)
	if err != nil {
		h.log.WarnContext(r.Context(), "stock levels unavailable; listing shown without them", "err", err)
		return cards
	}
	out := make([]web.ProductCardVM, len(cards))
	copy(out, cards)
	for i, p := range ps {
		var sum StockLevel
		for _, id := range p.VariantIDs {
			l := levels[id]
			sum.Available += l.Available
			sum.Backorder = sum.Backorder || l.Backorder
		}
		st := stockStatusOf(sum)
		out[i].Stock, out[i].StockKind = st.Label, st.Kind
	}
	return out
}
