package catalog

import (
	"math/bits"
	"slices"
)

// A category listing filters its members by the selected facet values and counts every
// value for the filter column. Read product by product that is every member's facet
// values on every request: at 100,000 products a top-level category holds 33,000
// members and ~330,000 values, and each edit empties the category's cached listings, so
// under edits most requests paid that. Instead each category's members are indexed once
// per member list, as a bitset per facet value (bit i: the i-th member has it); a listing
// is then a few ORs and ANDs and a population count per value, over words of 64 members.

// memberBits indexes a category's members by facet value.
type memberBits struct {
	n     int          // members
	byRef [][][]uint64 // [facet][value]: the members with it; nil when none
}

// bitsets returns the index of m, made at the first listing that needs it. m never
// changes once made (a change to the category makes a new memberRefs), so neither does
// its index.
func (m *memberRefs) bitsets() *memberBits {
	if b := m.index.Load(); b != nil {
		return b
	}
	b := newMemberBits(m)
	// Two listings may make it at once; either result is the same.
	m.index.Store(b)
	return b
}

// stockBits is which members of a list are in stock in one version of the stock copy.
type stockBits struct {
	version uint64
	bits    []uint64
}

// inStockBits returns the members (the list m was made of) that q's "In stock only"
// keeps. The stock copy's answer is remembered per member list and version, so under
// many listings it is worked out once per stock change; the few products with a variant
// read live are then set from q.inStock.
func (m *memberRefs) inStockBits(members []int32, q ListingQuery) []uint64 {
	sb := m.stock.Load()
	if sb == nil || sb.version != q.stockVersion {
		sb = &stockBits{version: q.stockVersion, bits: make([]uint64, (len(members)+63)/64)}
		for i, pi := range members {
			if q.inStockCopy(pi) {
				sb.bits[i/64] |= 1 << (i % 64)
			}
		}
		m.stock.Store(sb)
	}
	if len(q.liveSlots) == 0 {
		return sb.bits
	}
	out := slices.Clone(sb.bits)
	for pi := range q.liveSlots {
		if i := slices.Index(members, pi); i >= 0 {
			if q.inStock(pi) {
				out[i/64] |= 1 << (i % 64)
			} else {
				out[i/64] &^= 1 << (i % 64)
			}
		}
	}
	return out
}

func newMemberBits(m *memberRefs) *memberBits {
	n := len(m.offs) - 1
	words := (n + 63) / 64
	b := &memberBits{n: n}
	for i := range n {
		for _, r := range m.refs[m.offs[i]:m.offs[i+1]] {
			for int(r.f) >= len(b.byRef) {
				b.byRef = append(b.byRef, nil)
			}
			vs := b.byRef[r.f]
			for int(r.v) >= len(vs) {
				vs = append(vs, nil)
			}
			if vs[r.v] == nil {
				vs[r.v] = make([]uint64, words)
			}
			vs[r.v][i/64] |= 1 << (i % 64)
			b.byRef[r.f] = vs
		}
	}
	return b
}

// filter returns the members (members being the list m was made of) that have a
// selected value of every active facet, and adds to counts, for each facet value, the
// members that have it and pass every other facet's selection: the same as countRefs.
// allowed, when not nil, leaves out the members it has no bit for before anything is
// counted (as "In stock only" does).
func (b *memberBits) filter(members []int32, allowed []uint64, active []int32, selected [][]bool, counts [][]int) []int32 {
	words := (b.n + 63) / 64
	all := allowed
	if all == nil {
		all = make([]uint64, words)
		for i := range all {
			all[i] = ^uint64(0)
		}
		if r := b.n % 64; r != 0 {
			all[words-1] = 1<<r - 1
		}
	}
	// passing[k]: the members with a selected value of active facet k.
	passing := make([][]uint64, len(active))
	for k, f := range active {
		p := make([]uint64, words)
		if int(f) < len(b.byRef) {
			for v, set := range b.byRef[f] {
				if set != nil && int(v) < len(selected[f]) && selected[f][v] {
					for w := range p {
						p[w] |= set[w]
					}
				}
			}
		}
		passing[k] = p
	}
	// except(skip) is the members passing every active facet but the skip-th (-1: none).
	except := func(skip int) []uint64 {
		out := make([]uint64, words)
		copy(out, all)
		for k, p := range passing {
			if k != skip {
				for w := range out {
					out[w] &= p[w]
				}
			}
		}
		return out
	}
	matching := except(-1)
	activeAt := make(map[int32]int, len(active))
	for k, f := range active {
		activeAt[f] = k
	}
	for f, vs := range b.byRef {
		mask := matching
		if k, ok := activeAt[int32(f)]; ok {
			mask = except(k)
		}
		for v, set := range vs {
			if set == nil {
				continue
			}
			c := 0
			for w, x := range set {
				c += bits.OnesCount64(x & mask[w])
			}
			counts[f][v] += c
		}
	}
	n := 0
	for _, x := range matching {
		n += bits.OnesCount64(x)
	}
	// Sized by count, not by members: a filtered top-level category keeps a few thousand
	// of tens of thousands, and this runs on every listing that is not cached.
	out := make([]int32, 0, n)
	for w, x := range matching {
		for x != 0 {
			i := w*64 + bits.TrailingZeros64(x)
			out = append(out, members[i])
			x &= x - 1
		}
	}
	return out
}
