package catalog

import (
	"fmt"
	"testing"
	"time"

	"github.com/monoshop/monoshop/internal/platform/money"
)

// BenchmarkApplyEdit measures what one edited product costs a replica's read model, at
// two catalog sizes: the cost must follow the change, not the catalog. The full build is
// measured alongside for scale. Pure memory work; reading from Postgres is not included.
//
//	go test -run '^$' -bench ApplyEdit -benchmem ./internal/catalog/
func BenchmarkApplyEdit(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		cats := benchCategories()
		loaded := benchProducts(n, cats)
		changed := make([]ProductID, n)
		for i := range loaded {
			changed[i] = loaded[i].id
		}
		b.Run(fmt.Sprintf("products=%d/full", n), func(b *testing.B) {
			for b.Loop() {
				emptySnapshot(cats, n).applyProducts(changed, benchProducts(n, cats), nil, newSearchCache(), 1)
			}
		})
		s := emptySnapshot(cats, n).applyProducts(changed, loaded, nil, newSearchCache(), 1)
		b.Run(fmt.Sprintf("products=%d/one-edit", n), func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				p := benchProducts(1, cats)[0]
				p.id, p.p.ID = ProductID(1+i%n), ProductID(1+i%n)
				p.slug, p.p.Slug = fmt.Sprintf("product-%d", 1+i%n), fmt.Sprintf("product-%d", 1+i%n)
				p.p.Title = fmt.Sprintf("Edited %d", i)
				for vi := range p.p.Variants {
					p.p.Variants[vi].ID = VariantID(int64(p.id)*100 + int64(vi))
				}
				for ci := range p.cats {
					p.cats[ci].product = p.id
				}
				s = s.applyProducts([]ProductID{p.id}, []loadedProduct{p}, nil, s.search, int64(i+1))
			}
		})
	}
}

func benchCategories() *categoryIndex {
	ci := &categoryIndex{
		categoryByID: map[CategoryID]*Category{}, categoryBySlug: map[string]*Category{},
		categoryRedirect: map[string]string{}, children: map[CategoryID][]*Category{}, depth: map[CategoryID]int{},
	}
	for i := 1; i <= 30; i++ {
		c := &Category{ID: CategoryID(i), Slug: fmt.Sprintf("c%d", i), Name: fmt.Sprintf("Category %d", i)}
		var parent CategoryID
		if i > 3 {
			parent = CategoryID(1 + i%3)
			c.ParentID = &parent
			ci.depth[c.ID] = 1
		}
		ci.categories = append(ci.categories, c)
		ci.categoryByID[c.ID], ci.categoryBySlug[c.Slug] = c, c
		ci.children[parent] = append(ci.children[parent], c)
	}
	return ci
}

// benchProducts makes n demo-like products: five sizes in three colours, a brand, two
// attributes, filed in a leaf category.
func benchProducts(n int, cats *categoryIndex) []loadedProduct {
	sizes := []string{"XS", "S", "M", "L", "XL"}
	colours := []string{"Black", "Navy", "Olive"}
	out := make([]loadedProduct, n)
	for i := range out {
		id := ProductID(i + 1)
		p := &Product{ID: id, Slug: fmt.Sprintf("product-%d", id), Title: fmt.Sprintf("Product %d", id),
			Brand: fmt.Sprintf("Brand %d", i%40), PublishedAt: time.Unix(int64(i), 0)}
		p.Options = []Option{{ID: int64(id) * 10, Name: "Size"}, {ID: int64(id)*10 + 1, Name: "Color"}}
		for si, sz := range sizes {
			p.Options[0].Values = append(p.Options[0].Values, OptionValue{ID: int64(id)*100 + int64(si), Value: sz})
		}
		for ci, c := range colours {
			p.Options[1].Values = append(p.Options[1].Values, OptionValue{ID: int64(id)*100 + 50 + int64(ci), Value: c})
		}
		for si := range sizes {
			for ci := range colours {
				vi := len(p.Variants)
				p.Variants = append(p.Variants, Variant{ID: VariantID(int64(id)*100 + int64(vi)), ProductID: id,
					SKU: fmt.Sprintf("SKU-%d-%d", id, vi), Title: sizes[si] + " / " + colours[ci],
					Price:          money.New(int64(1000+i%9000), "USD"),
					OptionValueIDs: []int64{int64(id)*100 + int64(si), int64(id)*100 + 50 + int64(ci)}})
			}
		}
		p.Attributes = []Attribute{{Name: "Fit", Value: "Regular"}, {Name: "Material", Value: fmt.Sprintf("Material %d", i%12)}}
		cat := CategoryID(4 + i%27)
		out[i] = loadedProduct{id: id, slug: p.Slug, active: true, p: p,
			cats: []directRef{{category: cat, position: int32(i), product: id}}}
	}
	_ = cats
	return out
}
