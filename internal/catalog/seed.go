package catalog

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/catalog/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// SeedOptions shapes the demo catalog.
type SeedOptions struct {
	Products int
	Currency string
	// Seed makes the catalog reproducible: the same seed gives the same shop.
	Seed uint64
}

// demoCategory is a root category with the product kinds filed under it, each kind with
// the sizes its variants come in and a base price in minor units.
type demoCategory struct {
	slug, name, description string
	kinds                   []demoKind
}

type demoKind struct {
	noun  string
	sizes []string
	price int64
	grams int32
}

var (
	apparelSizes = []string{"XS", "S", "M", "L", "XL"}
	shoeSizes    = []string{"38", "39", "40", "41", "42", "43", "44", "45"}
	oneSize      = []string{"One size"}

	demoCategories = []demoCategory{
		{"tops", "Tops", "T-shirts, shirts and knitwear for every day.", []demoKind{
			{"T-Shirt", apparelSizes, 1900, 180}, {"Long Sleeve Tee", apparelSizes, 2900, 220},
			{"Hoodie", apparelSizes, 5900, 600}, {"Oxford Shirt", apparelSizes, 4900, 300},
			{"Sweater", apparelSizes, 6900, 450},
		}},
		{"bottoms", "Bottoms", "Jeans, chinos, shorts and joggers.", []demoKind{
			{"Jeans", apparelSizes, 7900, 650}, {"Chinos", apparelSizes, 5900, 500},
			{"Shorts", apparelSizes, 3500, 300}, {"Joggers", apparelSizes, 4500, 420},
		}},
		{"outerwear", "Outerwear", "Jackets and coats for wind, rain and cold.", []demoKind{
			{"Rain Jacket", apparelSizes, 12900, 450}, {"Down Jacket", apparelSizes, 19900, 700},
			{"Fleece", apparelSizes, 6900, 400}, {"Parka", apparelSizes, 24900, 1200},
		}},
		{"footwear", "Footwear", "Sneakers, boots and sandals.", []demoKind{
			{"Sneakers", shoeSizes, 8900, 800}, {"Hiking Boots", shoeSizes, 15900, 1300},
			{"Sandals", shoeSizes, 4500, 500}, {"Running Shoes", shoeSizes, 11900, 600},
		}},
		{"accessories", "Accessories", "Bags, caps, socks and the small things.", []demoKind{
			{"Backpack", oneSize, 8900, 900}, {"Beanie", oneSize, 1900, 90},
			{"Cap", oneSize, 2200, 100}, {"Socks", oneSize, 1200, 60}, {"Tote Bag", oneSize, 2500, 200},
		}},
	}

	demoBrands    = []string{"Northwind", "Alpine & Co", "Fjordline", "Urban Thread", "Kestrel", "Moss & Stone", "Lumen", "Harbor"}
	demoMaterials = []string{"Cotton", "Organic Cotton", "Merino", "Linen", "Recycled", "Canvas", "Denim", "Fleece-Lined", "Waxed", "Technical"}
	demoAdjective = []string{"Classic", "Essential", "Everyday", "Heritage", "Lightweight", "Relaxed", "Slim", "Trail", "Weekend", "Studio", "Coastal", "Summit"}
	demoColours   = []string{"Black", "White", "Navy", "Olive", "Sand", "Rust", "Grey", "Forest", "Sky"}
)

// SeedDemo fills an empty catalog with a deterministic, realistic-looking demo range:
// categories, brands, products with size variants and prices, some on sale and featured.
// It writes everything in one transaction, so a failed seed leaves nothing behind.
func (s *Service) SeedDemo(ctx context.Context, opts SeedOptions) error {
	if opts.Products <= 0 {
		return nil
	}
	if opts.Currency == "" {
		opts.Currency = "USD"
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	now := time.Now().UTC().Truncate(time.Second)

	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		categoryIDs := make([]int64, len(demoCategories))
		for i, c := range demoCategories {
			id, err := s.q.CategoryInsert(ctx, tx, dbsqlc.CategoryInsertParams{
				Slug: c.slug, Name: c.name, Description: c.description, Position: int32(i),
			})
			if err != nil {
				return interpretError(err, "category "+c.slug)
			}
			categoryIDs[i] = id
		}
		usedSlugs := make(map[string]int, opts.Products)
		for n := 0; n < opts.Products; n++ {
			ci := n % len(demoCategories)
			cat := demoCategories[ci]
			kind := cat.kinds[rng.IntN(len(cat.kinds))]
			brand := demoBrands[rng.IntN(len(demoBrands))]
			colour := demoColours[rng.IntN(len(demoColours))]
			title := fmt.Sprintf("%s %s %s", demoAdjective[rng.IntN(len(demoAdjective))],
				demoMaterials[rng.IntN(len(demoMaterials))], kind.noun)
			slug := slugify(title + " " + colour)
			if k := usedSlugs[slug]; k > 0 {
				usedSlugs[slug] = k + 1
				slug = fmt.Sprintf("%s-%d", slug, k+1)
			} else {
				usedSlugs[slug] = 1
			}
			// Prices vary around the kind's base and end in .00 or .95 like real price lists.
			price := kind.price*int64(80+rng.IntN(50))/100/100*100 + []int64{0, 95}[rng.IntN(2)]
			var compareAt *int64
			if rng.IntN(6) == 0 {
				c := price * 130 / 100 / 100 * 100
				compareAt = &c
			}
			published := now.Add(-time.Duration(opts.Products-n) * time.Hour)
			pid, err := s.q.ProductInsert(ctx, tx, dbsqlc.ProductInsertParams{
				Slug:  slug,
				Title: title + " — " + colour,
				Description: fmt.Sprintf("The %s in %s by %s. %s",
					strings.ToLower(title), strings.ToLower(colour), brand, demoBlurb[rng.IntN(len(demoBlurb))]),
				Brand:       brand,
				Status:      "active",
				Featured:    rng.IntN(8) == 0,
				PublishedAt: &published,
			})
			if err != nil {
				return interpretError(err, "product "+slug)
			}
			if err := s.q.ProductCategoryInsert(ctx, tx, dbsqlc.ProductCategoryInsertParams{
				ProductID: pid, CategoryID: categoryIDs[ci], Position: int32(n),
			}); err != nil {
				return interpretError(err, "product category")
			}
			for vi, size := range kind.sizes {
				if _, err := s.q.VariantInsert(ctx, tx, dbsqlc.VariantInsertParams{
					ProductID:      pid,
					Sku:            fmt.Sprintf("MS-%05d-%s", n+1, strings.ToUpper(strings.ReplaceAll(size, " ", ""))),
					Title:          size,
					PriceMinor:     price,
					CompareAtMinor: compareAt,
					Currency:       opts.Currency,
					WeightGrams:    kind.grams,
					Position:       int32(vi),
				}); err != nil {
					return interpretError(err, "variant")
				}
			}
		}
		return nil
	})
}

var demoBlurb = []string{
	"Cut for comfort and made to last, it washes well and keeps its shape.",
	"A wardrobe staple with clean lines and durable stitching.",
	"Designed for long days outdoors and easy evenings in town.",
	"Made in small batches from responsibly sourced materials.",
	"Soft to the touch, tough where it counts.",
}

// slugify makes a URL slug of ASCII letters, digits and single hyphens.
func slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			hyphen = false
		case !hyphen && b.Len() > 0:
			b.WriteByte('-')
			hyphen = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
