package catalog

import (
	"context"
	"fmt"
	"sync/atomic"
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
	// Products with a variant this process just changed are worked out from the live
	// read; the rest once per stock copy and product edit (a product page's related
	// cards cost a tenth of its CPU when worked out every time).
	var live map[int32]bool
	for id := range view.Live {
		if pi, _, ok := snap.variant(id); ok {
			if live == nil {
				live = map[int32]bool{}
			}
			live[pi] = true
		}
	}
	memo := s.cardMemoFor(snap, view.Version)
	for i, id := range ids {
		pi, ok := snap.byID.get(id)
		if !ok {
			continue
		}
		e := snap.entry(pi)
		if memo == nil || live[pi] {
			out[i] = cardStockOf(&e.vars, view)
			continue
		}
		out[i] = memo.get(pi, e, func() CardStock { return cardStockOf(&e.vars, view) })
	}
	return out, nil
}

// cardStockMemo remembers the card stock of each product slot for one version of the
// stock copy, with the generation of the product entry it was worked out for: a word per
// slot, generation<<8 | code (0 unknown, 1 nothing to say, 2 sold out, 3+N only N left).
type cardStockMemo struct {
	version uint64
	state   []atomic.Uint64
}

func (s *Service) cardMemoFor(snap *snapshot, version uint64) *cardStockMemo {
	if version == 0 {
		return nil
	}
	if m := s.cardMemo.Load(); m != nil && m.version == version && len(m.state) >= snap.entries.len() {
		return m
	}
	m := &cardStockMemo{version: version, state: make([]atomic.Uint64, snap.entries.len()+snap.entries.len()/8)}
	s.cardMemo.Store(m)
	return m
}

func (m *cardStockMemo) get(pi int32, e *productEntry, compute func() CardStock) CardStock {
	if int(pi) >= len(m.state) {
		return compute()
	}
	w := &m.state[pi]
	if got := w.Load(); got&0xff != 0 && int64(got>>8) == e.generation {
		switch code := got & 0xff; {
		case code == 2:
			return CardStock{SoldOut: true}
		case code >= 3:
			return CardStock{Left: int(code - 3)}
		}
		return CardStock{}
	}
	st := compute()
	code := uint64(1)
	switch {
	case st.SoldOut:
		code = 2
	case st.Left > 0:
		code = 3 + uint64(st.Left)
	}
	w.Store(uint64(e.generation)<<8 | code)
	return st
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
