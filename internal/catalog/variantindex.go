package catalog

import (
	"cmp"
	"slices"
)

// variantIndex finds the slot of the product a variant belongs to (the cart and checkout
// look variants up by id). A map of every variant cost about 40 MB at 1.5 million
// variants; but variant ids come from a sequence and a product's variants are mostly
// created together, so they fall into runs of consecutive ids of one product: about one
// run per product. The index keeps each run's first id and slot in two sorted arrays, and
// the variants added since the arrays were laid out in a small map beside them.
//
// An answer is only a candidate: the caller checks that the slot's product has the
// variant. So a run that reaches over the ids of archived or deleted variants, and a map
// entry left behind by a product that left the storefront, never answer wrongly.
type variantIndex struct {
	starts []VariantID
	slots  []int32
	// added holds variants the runs do not place on the right slot.
	added *shardedMap[VariantID, int32]
	// count is the number of variants placed.
	count int
	// slack is variantIndexSlack, smaller in tests.
	slack int
}

// variantIndexSlack is how many variants may live in added before the runs are laid out
// again: enough for a day of editing, small next to the catalog.
const variantIndexSlack = 1 << 16

func newVariantIndex(slack int) *variantIndex {
	return &variantIndex{added: newShardedMap[VariantID, int32](hashID[VariantID], 0), slack: slack}
}

// slot returns the candidate slot of id.
func (x *variantIndex) slot(id VariantID) (int32, bool) {
	if pi, ok := x.added.get(id); ok {
		return pi, true
	}
	return x.slotInRuns(id)
}

func (x *variantIndex) slotInRuns(id VariantID) (int32, bool) {
	i, found := slices.BinarySearch(x.starts, id)
	if !found {
		if i == 0 {
			return 0, false
		}
		i--
	}
	return x.slots[i], true
}

// variantIndexEdit is one change to an index.
type variantIndexEdit struct {
	x     *variantIndex
	added *mapEdit[VariantID, int32]
	count int
	// relayout skips placing variants one by one: done lays every run out afresh.
	relayout bool
}

// edit starts a change that will place about variants variants. A change that large (the
// start-up read, a big import) lays the runs out again instead of filling the map.
func (x *variantIndex) edit(variants int) *variantIndexEdit {
	return &variantIndexEdit{x: x, added: x.added.edit(), count: x.count, relayout: x.added.len()+variants > x.slack}
}

// place records that product slot pi has the variants recs.
func (e *variantIndexEdit) place(pi int32, vars *packedVariants) {
	if e.relayout {
		return
	}
	e.count += vars.len()
	for i := range vars.recs {
		id := vars.id(i)
		if cur, ok := e.added.m.get(id); ok {
			if cur != pi {
				e.added.set(id, pi)
			}
			continue
		}
		if cur, ok := e.x.slotInRuns(id); !ok || cur != pi {
			e.added.set(id, pi)
		}
	}
}

// forget drops the variants of a product that left slot pi from added (the runs keep
// answering for them, and the caller's check turns those answers down).
func (e *variantIndexEdit) forget(pi int32, vars *packedVariants) {
	if e.relayout {
		return
	}
	e.count -= vars.len()
	for i := range vars.recs {
		id := vars.id(i)
		if cur, ok := e.added.m.get(id); ok && cur == pi {
			e.added.delete(id)
		}
	}
}

// done returns the new index, laid out again from entries when the change was large or
// added has grown past variantIndexSlack.
func (e *variantIndexEdit) done(entries *chunkedSlice[*productEntry]) *variantIndex {
	if e.relayout || e.added.m.len() > e.x.slack {
		return layOutVariants(entries, e.x.slack)
	}
	return &variantIndex{starts: e.x.starts, slots: e.x.slots, added: e.added.done(), count: e.count, slack: e.x.slack}
}

// layOutVariants makes the runs of every product's variants in entries.
func layOutVariants(entries *chunkedSlice[*productEntry], slack int) *variantIndex {
	type placed struct {
		id VariantID
		pi int32
	}
	n := 0
	for pi := range int32(entries.len()) {
		if e := entries.get(pi); e != nil {
			n += len(e.vars.recs)
		}
	}
	all := make([]placed, 0, n)
	for pi := range int32(entries.len()) {
		if e := entries.get(pi); e != nil {
			for i := range e.vars.recs {
				all = append(all, placed{e.vars.id(i), pi})
			}
		}
	}
	slices.SortFunc(all, func(a, b placed) int { return cmp.Compare(a.id, b.id) })
	x := newVariantIndex(slack)
	x.count = n
	for i, p := range all {
		if i == 0 || p.pi != all[i-1].pi {
			x.starts = append(x.starts, p.id)
			x.slots = append(x.slots, p.pi)
		}
	}
	x.starts, x.slots = slices.Clip(x.starts), slices.Clip(x.slots)
	return x
}

// variant returns the slot of the storefront product that has variant id, and the
// variant's place among its records.
func (s *snapshot) variant(id VariantID) (pi int32, index int, ok bool) {
	pi, ok = s.variants.slot(id)
	if !ok || int(pi) >= s.entries.len() {
		return 0, 0, false
	}
	e := s.entries.get(pi)
	if e == nil {
		return 0, 0, false
	}
	for i := range e.vars.recs {
		if e.vars.id(i) == id {
			return pi, i, true
		}
	}
	return 0, 0, false
}
