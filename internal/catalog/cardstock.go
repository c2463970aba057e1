package catalog

import (
	"context"
	"fmt"
)

// CardStock is what a product card says about stock: nothing, "Sold out", or "Only N
// left". Cards of listings show it, so it must cost no query per card: it is worked out
// from the stock copy InStock answers from (an array read per variant) and the snapshot's
// variants of each product.
type CardStock struct {
	// SoldOut: every variant's stock is tracked and none can be bought or backordered.
	SoldOut bool
	// Left is how many units are left when few are (1 to LowStockLeft) across the
	// product's variants and none can be backordered; 0 otherwise.
	Left int
}

// LowStockLeft is the most units a card calls "only N left": a shopper hurries for 3,
// not for 30.
const LowStockLeft = 3

// CardStock tells, for each product, what its card says about stock. Without InStock
// (stock not tracked), or for a product not on the storefront, it says nothing.
func (s *Service) CardStock(ctx context.Context, ids []ProductID) ([]CardStock, error) {
	out := make([]CardStock, len(ids))
	if s.inStock == nil || len(ids) == 0 {
		return out, nil
	}
	view, err := s.inStock.InStockNow(ctx)
	if err != nil {
		return nil, fmt.Errorf("catalog: card stock: %w", err)
	}
	snap, err := s.cache.get(ctx)
	if err != nil {
		return nil, err
	}
	for i, id := range ids {
		pi, ok := snap.byID.get(id)
		if !ok {
			continue
		}
		out[i] = cardStockOf(&snap.entry(pi).vars, view)
	}
	return out, nil
}

func cardStockOf(vars *packedVariants, view StockView) CardStock {
	if len(vars.recs) == 0 {
		return CardStock{}
	}
	units := 0
	sellable := false
	counted := true // every sellable unit is counted: no backorder, no unknown count
	for k := range vars.recs {
		id := vars.id(k)
		if view.Units == nil {
			// Only whether it can be bought, with what this process changed read live.
			in, ok := view.Live[id]
			if !ok {
				in = view.InStock(id)
			}
			if in {
				sellable, counted = true, false
			}
			continue
		}
		n, tracked, backorder := view.Units(id)
		switch {
		case !tracked:
			// Stock is not kept for it: the card cannot say sold out or how many.
			return CardStock{}
		case backorder:
			sellable, counted = true, false
		case n > 0:
			sellable = true
			units += n
		}
	}
	switch {
	case !sellable:
		return CardStock{SoldOut: true}
	case counted && units <= LowStockLeft:
		return CardStock{Left: units}
	}
	return CardStock{}
}
