package catalog

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/catalog/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// DemoCurrency is what the demo catalog prices in unless told otherwise: the demo shop is
// a French company that ships from France, quotes prices with VAT included and invoices
// in euros, as a real shop there would.
const DemoCurrency = "EUR"

// SeedOptions shapes the demo catalog.
type SeedOptions struct {
	Products int
	// Currency defaults to DemoCurrency.
	Currency string
	// Seed makes the catalog reproducible: the same seed gives the same shop.
	Seed uint64
	// RenderImages renders the demo pictures during the seed, on every core, instead of
	// queueing them for a server's image worker: `shop seed` then leaves a shop whose
	// pictures show from its first page, and a server that starts on it has no backlog of
	// renders competing with its first shoppers (a few hundred pictures at most, whatever
	// the catalog's size, as products share them).
	RenderImages bool
}

// SeedDemo fills an empty catalog with a deterministic, realistic demo range: a category
// tree, well-known brands, products with size and colour variants, materials, prices with
// some on sale, and the search index. Products are generated and written with COPY a chunk
// at a time, so memory and the length of each statement stay the same whatever the size of
// the catalog (100,000 products are 1.5 million variants), and the default statement
// timeout applies as everywhere else. It is still one transaction: a failed or interrupted
// seed leaves nothing behind, and replicas reload once, at the end.
func (s *Service) SeedDemo(ctx context.Context, opts SeedOptions) error {
	if opts.Products <= 0 {
		return nil
	}
	if opts.Currency == "" {
		opts.Currency = DemoCurrency
	}
	gen := newDemoGenerator(opts)
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		w, err := newSeedWriter(ctx, tx, s.q, opts.Currency)
		if err != nil {
			return err
		}
		images := s.newSeedImages(ctx, tx, opts.RenderImages)
		// A failed seed still waits for its renders, so none outlives the call.
		defer images.renders.Wait()
		chunk := make([]seedProduct, 0, seedChunk)
		for gen.n < opts.Products {
			chunk = chunk[:0]
			for len(chunk) < seedChunk && gen.n < opts.Products {
				chunk = append(chunk, gen.next())
			}
			ids, err := w.write(ctx, chunk)
			if err != nil {
				return err
			}
			if err := images.write(ctx, chunk, ids); err != nil {
				return err
			}
		}
		if err := images.finish(ctx); err != nil {
			return err
		}
		if err := w.finish(ctx); err != nil {
			return err
		}
		return notifyEverything(ctx, tx)
	})
	if err != nil {
		return err
	}
	s.Invalidate()
	return nil
}

// seedChunk is how many products the seed generates and writes at a time: about 15,000
// variants, so each COPY and each search refresh takes well under a second.
const seedChunk = 1000

type seedCategory struct {
	slug, name, description string
	parent                  string
	kinds                   []seedKind
}

type seedKind struct {
	noun     string
	sizes    []string
	price    int64 // base price in minor units
	grams    int
	material []string
	dept     []string
}

type seedProduct struct {
	slug, title, description, brand string
	featured                        bool
	published                       time.Time
	categories                      []string
	options                         []seedOption
	variants                        []seedVariant
	attributes                      [][2]string
	// image names the demo picture: the category's silhouette in the first colour, in
	// one of its looks.
	image demoPicture
}

type seedOption struct {
	name   string
	values []string
}

type seedVariant struct {
	sku, title, barcode string
	price               int64
	compareAt           *int64
	grams               int
	values              []string // one per option
}

var (
	apparelSizes = []string{"XS", "S", "M", "L", "XL", "XXL"}
	shoeSizes    = []string{"36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46"}
	oneSize      = []string{"One Size"}

	cotton  = []string{"Cotton", "Organic Cotton", "Recycled Cotton"}
	knit    = []string{"Merino Wool", "Cashmere", "Cotton", "Lambswool"}
	woven   = []string{"Cotton", "Linen", "Flannel", "Denim"}
	tech    = []string{"Recycled Polyester", "Nylon", "Gore-Tex", "Softshell"}
	leather = []string{"Leather", "Suede", "Canvas", "Mesh"}
	unisex  = []string{"Men", "Women", "Unisex"}
	adults  = []string{"Men", "Women"}

	demoCategories = []seedCategory{
		{slug: "clothing", name: "Clothing", description: "Everyday clothing, from basics to outerwear."},
		{slug: "footwear", name: "Footwear", description: "Sneakers, running shoes, boots and sandals."},
		{slug: "accessories", name: "Accessories", description: "Bags, hats, socks and the small things."},
		{slug: "t-shirts", name: "T-Shirts & Polos", parent: "clothing", description: "Tees and polos in every cut.", kinds: []seedKind{
			{"T-Shirt", apparelSizes, 2500, 180, cotton, unisex}, {"Polo Shirt", apparelSizes, 4500, 240, []string{"Piqué Cotton", "Cotton"}, adults},
			{"Long Sleeve Tee", apparelSizes, 3200, 220, cotton, unisex}, {"Tank Top", apparelSizes, 2000, 140, cotton, unisex}}},
		{slug: "shirts", name: "Shirts", parent: "clothing", description: "Oxford, flannel, linen and denim shirts.", kinds: []seedKind{
			{"Oxford Shirt", apparelSizes, 5500, 300, []string{"Cotton"}, adults}, {"Flannel Shirt", apparelSizes, 5000, 350, []string{"Flannel"}, unisex},
			{"Linen Shirt", apparelSizes, 6000, 250, []string{"Linen"}, adults}, {"Denim Shirt", apparelSizes, 6500, 400, []string{"Denim"}, unisex}}},
		{slug: "hoodies", name: "Hoodies & Sweatshirts", parent: "clothing", description: "Soft layers for cool days.", kinds: []seedKind{
			{"Hoodie", apparelSizes, 6000, 600, cotton, unisex}, {"Zip Hoodie", apparelSizes, 7000, 650, cotton, unisex},
			{"Crewneck Sweatshirt", apparelSizes, 5500, 550, cotton, unisex}}},
		{slug: "knitwear", name: "Knitwear", parent: "clothing", description: "Sweaters and cardigans in fine yarns.", kinds: []seedKind{
			{"Sweater", apparelSizes, 8000, 450, knit, adults}, {"Cardigan", apparelSizes, 8500, 480, knit, adults},
			{"Turtleneck", apparelSizes, 7500, 420, knit, adults}}},
		{slug: "jeans", name: "Jeans", parent: "clothing", description: "Denim in slim, straight and relaxed fits.", kinds: []seedKind{
			{"Slim Jeans", apparelSizes, 8900, 650, []string{"Denim", "Stretch Denim"}, adults}, {"Straight Jeans", apparelSizes, 8900, 680, []string{"Denim", "Selvedge Denim"}, adults},
			{"Relaxed Jeans", apparelSizes, 8500, 700, []string{"Denim"}, unisex}}},
		{slug: "trousers", name: "Trousers", parent: "clothing", description: "Chinos, cargos and joggers.", kinds: []seedKind{
			{"Chinos", apparelSizes, 6500, 500, []string{"Cotton Twill", "Stretch Cotton"}, adults}, {"Cargo Pants", apparelSizes, 7000, 550, []string{"Cotton Ripstop", "Nylon"}, unisex},
			{"Joggers", apparelSizes, 5000, 420, cotton, unisex}}},
		{slug: "shorts", name: "Shorts", parent: "clothing", description: "For summer, sport and swimming.", kinds: []seedKind{
			{"Chino Shorts", apparelSizes, 4000, 300, []string{"Cotton Twill"}, adults}, {"Running Shorts", apparelSizes, 3500, 150, []string{"Recycled Polyester", "Nylon"}, unisex},
			{"Swim Shorts", apparelSizes, 4000, 200, []string{"Recycled Polyester"}, adults}}},
		{slug: "jackets", name: "Jackets & Coats", parent: "clothing", description: "Protection from wind, rain and cold.", kinds: []seedKind{
			{"Rain Jacket", apparelSizes, 13000, 450, tech, unisex}, {"Down Jacket", apparelSizes, 22000, 700, []string{"Nylon", "Recycled Polyester"}, unisex},
			{"Fleece Jacket", apparelSizes, 9000, 400, []string{"Fleece", "Recycled Fleece"}, unisex}, {"Parka", apparelSizes, 26000, 1200, tech, adults},
			{"Bomber Jacket", apparelSizes, 15000, 800, []string{"Nylon", "Leather", "Suede"}, adults}, {"Trench Coat", apparelSizes, 24000, 1100, []string{"Cotton Gabardine"}, adults}}},
		{slug: "dresses", name: "Dresses & Skirts", parent: "clothing", description: "Easy dresses and skirts.", kinds: []seedKind{
			{"Wrap Dress", apparelSizes, 8000, 350, []string{"Viscose", "Linen", "Cotton"}, []string{"Women"}}, {"Maxi Dress", apparelSizes, 9000, 400, []string{"Viscose", "Linen"}, []string{"Women"}},
			{"Midi Skirt", apparelSizes, 6000, 300, []string{"Viscose", "Denim", "Linen"}, []string{"Women"}}}},
		{slug: "sneakers", name: "Sneakers", parent: "footwear", description: "Everyday and iconic sneakers.", kinds: []seedKind{
			{"Sneakers", shoeSizes, 9000, 800, leather, unisex}, {"High-Top Sneakers", shoeSizes, 9500, 900, leather, unisex},
			{"Slip-On Sneakers", shoeSizes, 7000, 700, []string{"Canvas"}, unisex}}},
		{slug: "running-shoes", name: "Running Shoes", parent: "footwear", description: "Road and trail running shoes.", kinds: []seedKind{
			{"Running Shoes", shoeSizes, 12000, 600, []string{"Mesh", "Knit"}, adults}, {"Trail Running Shoes", shoeSizes, 14000, 700, []string{"Mesh", "Gore-Tex"}, adults}}},
		{slug: "boots", name: "Boots", parent: "footwear", description: "Chelsea, hiking and winter boots.", kinds: []seedKind{
			{"Chelsea Boots", shoeSizes, 16000, 1200, []string{"Leather", "Suede"}, adults}, {"Hiking Boots", shoeSizes, 17000, 1300, []string{"Leather", "Gore-Tex"}, adults},
			{"Winter Boots", shoeSizes, 15000, 1400, []string{"Leather", "Nylon"}, unisex}}},
		{slug: "sandals", name: "Sandals", parent: "footwear", description: "Sandals and flip-flops.", kinds: []seedKind{
			{"Sandals", shoeSizes, 6000, 500, []string{"Leather", "Cork"}, unisex}, {"Flip-Flops", shoeSizes, 2500, 200, []string{"Rubber"}, unisex}}},
		{slug: "bags", name: "Bags & Backpacks", parent: "accessories", description: "Backpacks, totes and travel bags.", kinds: []seedKind{
			{"Backpack", oneSize, 9000, 900, []string{"Recycled Polyester", "Canvas", "Nylon"}, unisex}, {"Tote Bag", oneSize, 3000, 250, []string{"Canvas", "Leather"}, unisex},
			{"Duffel Bag", oneSize, 11000, 1200, []string{"Nylon", "Canvas"}, unisex}, {"Crossbody Bag", oneSize, 6000, 400, []string{"Leather", "Nylon"}, unisex}}},
		{slug: "hats", name: "Hats & Caps", parent: "accessories", description: "Beanies, caps and bucket hats.", kinds: []seedKind{
			{"Beanie", oneSize, 2500, 90, []string{"Merino Wool", "Acrylic", "Cashmere"}, unisex}, {"Baseball Cap", oneSize, 2800, 100, []string{"Cotton", "Wool"}, unisex},
			{"Bucket Hat", oneSize, 3000, 110, []string{"Cotton", "Nylon"}, unisex}}},
		{slug: "socks", name: "Socks", parent: "accessories", description: "Crew, ankle and wool socks.", kinds: []seedKind{
			{"Crew Socks", oneSize, 1200, 60, []string{"Cotton", "Organic Cotton"}, unisex}, {"Ankle Socks", oneSize, 1000, 50, []string{"Cotton"}, unisex},
			{"Wool Socks", oneSize, 1800, 80, []string{"Merino Wool"}, unisex}}},
		{slug: "belts-wallets", name: "Belts & Wallets", parent: "accessories", description: "Leather goods made to last.", kinds: []seedKind{
			{"Leather Belt", oneSize, 4500, 200, []string{"Leather"}, adults}, {"Wallet", oneSize, 5000, 120, []string{"Leather", "Canvas"}, unisex}}},
		{slug: "scarves-gloves", name: "Scarves & Gloves", parent: "accessories", description: "Warm hands and necks.", kinds: []seedKind{
			{"Scarf", oneSize, 4000, 180, []string{"Merino Wool", "Cashmere", "Lambswool"}, unisex}, {"Gloves", oneSize, 3500, 120, []string{"Leather", "Merino Wool", "Fleece"}, unisex}}},
		{slug: "sale", name: "Sale", description: "Reduced prices while stocks last."},
	}

	// demoBrands pairs each brand with the categories it makes and a price factor (percent).
	demoBrands = []struct {
		name, code string
		factor     int64
		makes      []string
	}{
		{"Adidas", "ADI", 105, []string{"t-shirts", "hoodies", "shorts", "trousers", "sneakers", "running-shoes", "bags", "hats", "socks"}},
		{"Nike", "NIK", 110, []string{"t-shirts", "hoodies", "shorts", "trousers", "sneakers", "running-shoes", "bags", "hats", "socks"}},
		{"Puma", "PUM", 95, []string{"t-shirts", "hoodies", "shorts", "sneakers", "running-shoes", "bags", "socks"}},
		{"New Balance", "NBL", 105, []string{"t-shirts", "hoodies", "sneakers", "running-shoes", "socks"}},
		{"Asics", "ASI", 105, []string{"running-shoes", "shorts", "t-shirts", "socks"}},
		{"Hoka", "HOK", 120, []string{"running-shoes"}},
		{"Salomon", "SAL", 115, []string{"running-shoes", "boots", "jackets", "bags"}},
		{"Converse", "CON", 90, []string{"sneakers", "t-shirts", "hats"}},
		{"Vans", "VAN", 90, []string{"sneakers", "t-shirts", "hoodies", "hats", "bags", "socks"}},
		{"Levi's", "LEV", 100, []string{"jeans", "shirts", "t-shirts", "jackets", "shorts", "belts-wallets"}},
		{"Patagonia", "PAT", 125, []string{"jackets", "hoodies", "t-shirts", "shorts", "bags", "hats", "knitwear"}},
		{"The North Face", "TNF", 120, []string{"jackets", "hoodies", "t-shirts", "bags", "hats", "boots", "scarves-gloves"}},
		{"Columbia", "COL", 100, []string{"jackets", "shirts", "boots", "hats", "trousers"}},
		{"Carhartt", "CAR", 105, []string{"trousers", "jackets", "t-shirts", "hoodies", "hats", "shirts", "belts-wallets"}},
		{"Fjällräven", "FJA", 130, []string{"bags", "jackets", "trousers", "hats", "knitwear", "scarves-gloves"}},
		{"Björn Borg", "BJB", 90, []string{"t-shirts", "shorts", "socks", "hoodies"}},
		{"Lacoste", "LAC", 130, []string{"t-shirts", "shirts", "sneakers", "knitwear", "belts-wallets"}},
		{"Tommy Hilfiger", "TOM", 120, []string{"t-shirts", "shirts", "knitwear", "jeans", "jackets", "dresses"}},
		{"Ralph Lauren", "RAL", 140, []string{"t-shirts", "shirts", "knitwear", "trousers", "jackets", "dresses", "belts-wallets", "scarves-gloves"}},
		{"Uniqlo", "UNI", 70, []string{"t-shirts", "shirts", "knitwear", "jeans", "trousers", "jackets", "dresses", "socks", "hoodies"}},
		{"Timberland", "TIM", 115, []string{"boots", "jackets", "t-shirts"}},
		{"Dr. Martens", "DRM", 120, []string{"boots", "sandals"}},
		{"Birkenstock", "BIR", 110, []string{"sandals"}},
		{"Champion", "CHA", 85, []string{"hoodies", "t-shirts", "shorts", "socks"}},
		{"Herschel", "HER", 95, []string{"bags", "hats", "belts-wallets"}},
		{"Eastpak", "EAS", 80, []string{"bags"}},
		{"Monoshop Essentials", "MSE", 75, []string{"t-shirts", "shirts", "hoodies", "knitwear", "jeans", "trousers", "shorts", "dresses", "socks", "hats", "scarves-gloves", "bags"}},
	}

	// demoSignatures are the pieces each brand is known for.
	demoSignatures = map[string][]string{
		"Adidas": {"Sneakers", "Joggers"}, "Nike": {"Running Shoes", "Hoodie"}, "Puma": {"Sneakers"},
		"New Balance": {"Running Shoes", "Sneakers"}, "Asics": {"Running Shoes"}, "Hoka": {"Running Shoes", "Trail Running Shoes"},
		"Salomon": {"Trail Running Shoes", "Hiking Boots", "Rain Jacket"}, "Converse": {"High-Top Sneakers"}, "Vans": {"Slip-On Sneakers"},
		"Levi's": {"Straight Jeans", "Slim Jeans", "Denim Shirt"}, "Patagonia": {"Fleece Jacket", "Down Jacket"},
		"The North Face": {"Down Jacket", "Parka", "Rain Jacket"}, "Columbia": {"Rain Jacket", "Fleece Jacket"},
		"Carhartt": {"Cargo Pants", "Beanie"}, "Fjällräven": {"Backpack", "Cargo Pants"}, "Lacoste": {"Polo Shirt"},
		"Tommy Hilfiger": {"Oxford Shirt", "Polo Shirt"}, "Ralph Lauren": {"Polo Shirt", "Oxford Shirt"},
		"Timberland": {"Hiking Boots", "Winter Boots"}, "Dr. Martens": {"Chelsea Boots"}, "Birkenstock": {"Sandals"},
		"Champion": {"Hoodie", "Crewneck Sweatshirt"}, "Herschel": {"Backpack"}, "Eastpak": {"Backpack"},
	}

	demoLines   = []string{"Classic", "Essential", "Heritage", "Everyday", "Lightweight", "Relaxed", "Slim", "Trail", "Weekend", "Studio", "Coastal", "Summit", "Urban", "Vintage", "Premium", "Performance", "Original", "Club", "Café", "Nordic", "Alpine", "Harbour", "Metro", "Sierra"}
	demoColours = []struct{ name, code string }{
		{"Black", "BLK"}, {"White", "WHT"}, {"Navy", "NVY"}, {"Grey", "GRY"}, {"Heather Grey", "HGR"}, {"Olive", "OLV"},
		{"Khaki", "KHK"}, {"Beige", "BGE"}, {"Burgundy", "BRG"}, {"Red", "RED"}, {"Blue", "BLU"}, {"Sky Blue", "SKY"},
		{"Forest Green", "FOR"}, {"Brown", "BRN"}, {"Camel", "CML"}, {"Pink", "PNK"}, {"Yellow", "YLW"}, {"Orange", "ORG"}, {"Crème", "CRM"},
	}
	demoFits = []string{"Slim", "Regular", "Relaxed"}
)

// demoGenerator makes the demo products one at a time; the same options always give the
// same sequence.
type demoGenerator struct {
	opts      SeedOptions
	rng       *rand.Rand
	now       time.Time
	leaves    []seedCategory
	brandsFor map[string][]int
	slugs     map[string]int      // products so far per base slug
	lines     map[string][]string // ranges that suit a noun and brand, by "noun/brand"
	looks     map[[2]string]int   // products so far per category and first colour
	n         int                 // products generated so far
}

func newDemoGenerator(opts SeedOptions) *demoGenerator {
	g := &demoGenerator{
		opts:      opts,
		rng:       rand.New(rand.NewPCG(opts.Seed, 0x5eed)),
		now:       time.Now().UTC().Truncate(time.Minute),
		brandsFor: make(map[string][]int),
		slugs:     make(map[string]int),
		lines:     make(map[string][]string),
		looks:     make(map[[2]string]int),
	}
	for _, c := range demoCategories {
		if len(c.kinds) > 0 {
			g.leaves = append(g.leaves, c)
		}
	}
	for bi, b := range demoBrands {
		for _, slug := range b.makes {
			g.brandsFor[slug] = append(g.brandsFor[slug], bi)
		}
	}
	return g
}

// line picks the range a product belongs to, among those that read well with its noun
// and brand (see lineFits).
func (g *demoGenerator) line(noun, brand string) string {
	key := noun + "/" + brand
	lines, ok := g.lines[key]
	if !ok {
		for _, l := range demoLines {
			if lineFits(l, noun, brand) {
				lines = append(lines, l)
			}
		}
		g.lines[key] = lines
	}
	return lines[g.rng.IntN(len(lines))]
}

// next returns the next product.
func (g *demoGenerator) next() seedProduct {
	n := g.n
	g.n++
	cat := g.leaves[n%len(g.leaves)]
	brand := demoBrands[g.brandsFor[cat.slug][g.rng.IntN(len(g.brandsFor[cat.slug]))]]
	kind := cat.kinds[g.rng.IntN(len(cat.kinds))]
	// Half of what a brand sells in a category it is known for is its signature piece.
	var signature []seedKind
	for _, k := range cat.kinds {
		if slices.Contains(demoSignatures[brand.name], k.noun) {
			signature = append(signature, k)
		}
	}
	if len(signature) > 0 && g.rng.IntN(2) == 0 {
		kind = signature[g.rng.IntN(len(signature))]
	}
	material := kind.material[g.rng.IntN(len(kind.material))]
	line := g.line(kind.noun, brand.name)
	title := demoTitle(line, material, kind.noun, g.rng.IntN(2) == 0)
	// Base slugs hold no digits, so "base-2" never meets another product's base:
	// counting each base is enough to keep slugs unique.
	slug := slugify(brand.name + " " + title)
	g.slugs[slug]++
	if k := g.slugs[slug]; k > 1 {
		slug = fmt.Sprintf("%s-%d", slug, k)
	}

	dept := kind.dept[g.rng.IntN(len(kind.dept))]
	attributes := [][2]string{{"Material", material}, {"Department", dept}}
	var fit string
	if len(kind.sizes) > 1 && kind.sizes[0] == "XS" {
		fit = demoFits[g.rng.IntN(len(demoFits))]
		// A cut in the title ("Slim Jeans", the "Relaxed" range) is the product's fit.
		for _, w := range strings.Fields(title) {
			if f := cutFits[w]; f != "" {
				fit = f
			}
		}
		attributes = append(attributes, [2]string{"Fit", fit})
	}
	p := seedProduct{
		slug:        slug,
		title:       title,
		brand:       brand.name,
		description: demoDescription(g.rng, line, brand.name, kind.noun, material, cat.slug, fit, len(kind.sizes) > 1 && kind.sizes[0] != "XS"),
		featured:    g.rng.IntN(12) == 0,
		published:   g.now.Add(-time.Duration(g.opts.Products-n) * 37 * time.Minute),
		categories:  []string{cat.slug},
		attributes:  attributes,
	}

	// A contiguous run of sizes and two to four colours.
	sizes := kind.sizes
	if len(sizes) > 4 {
		from := g.rng.IntN(2)
		to := len(sizes) - g.rng.IntN(2)
		sizes = sizes[from:to]
	}
	colourCount := 2 + g.rng.IntN(3)
	colourIdx := g.rng.Perm(len(demoColours))[:colourCount]
	var colours []string
	for _, ci := range colourIdx {
		colours = append(colours, demoColours[ci].name)
	}
	if len(sizes) > 1 || sizes[0] != "One Size" {
		p.options = append(p.options, seedOption{name: "Size", values: sizes})
	}
	p.options = append(p.options, seedOption{name: "Color", values: colours})
	// Products of one category and colour take the looks in turn, so a page of black
	// T-shirts shows them all.
	look := [2]string{cat.slug, colours[0]}
	p.image = demoPicture{silhouette: silhouetteFor(cat.slug), colour: colours[0], look: g.looks[look] % demoLooks}
	g.looks[look]++

	// Prices end in .00 or .95 and vary around the kind's base and the brand's level.
	base := kind.price * brand.factor / 100 * int64(85+g.rng.IntN(30)) / 100
	price := base/100*100 + []int64{0, 95}[g.rng.IntN(2)]
	var compareAt *int64
	if g.rng.IntN(7) == 0 {
		c := price * int64(125+g.rng.IntN(30)) / 100 / 100 * 100
		compareAt = &c
		p.categories = append(p.categories, "sale")
	}
	for ci, colour := range colours {
		code := demoColours[colourIdx[ci]].code
		for _, size := range sizes {
			v := seedVariant{
				price: price, compareAt: compareAt, grams: kind.grams,
				sku:     fmt.Sprintf("%s-%05d-%s-%s", brand.code, n+1, code, strings.ToUpper(strings.ReplaceAll(size, " ", ""))),
				barcode: ean13(uint64(n+1)*1000 + uint64(len(p.variants))),
			}
			if size == "One Size" {
				v.title = colour
				v.values = []string{colour}
			} else {
				v.title = size + " / " + colour
				v.values = []string{size, colour}
			}
			p.variants = append(p.variants, v)
		}
	}
	return p
}

// ean13 makes a valid EAN-13 barcode (in the 200-299 range reserved for in-store use)
// from n, check digit included.
func ean13(n uint64) string {
	body := fmt.Sprintf("2%011d", n%100_000_000_000)
	sum := 0
	for i, r := range body {
		d := int(r - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return body + fmt.Sprint((10-sum%10)%10)
}

// seedWriter inserts demo products with COPY, a chunk at a time. Identity columns cannot
// be set through COPY, so after each table the chunk's generated ids are read back by
// natural key: only the chunk's, so memory does not grow with the catalog.
type seedWriter struct {
	tx       pgx.Tx
	currency string
	catIDs   map[string]int64
	// position numbers product_categories rows across the whole seed, as one COPY did.
	position int32
	chunks   int // written so far
}

func newSeedWriter(ctx context.Context, tx pgx.Tx, q *dbsqlc.Queries, currency string) (*seedWriter, error) {
	w := &seedWriter{tx: tx, currency: currency, catIDs: make(map[string]int64, len(demoCategories))}
	for i, c := range demoCategories {
		var parent *int64
		if c.parent != "" {
			id := w.catIDs[c.parent]
			parent = &id
		}
		id, err := q.CategoryInsert(ctx, tx, dbsqlc.CategoryInsertParams{
			ParentID: parent, Slug: c.slug, Name: c.name, Description: c.description, Position: int32(i),
		})
		if err != nil {
			return nil, interpretError(err, "category "+c.slug)
		}
		w.catIDs[c.slug] = id
	}
	if _, err := tx.Exec(ctx, `SELECT catalog.refresh_category_search_terms()`); err != nil {
		return nil, fmt.Errorf("catalog: seed category search terms: %w", err)
	}
	return w, nil
}

func (w *seedWriter) copyRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	if _, err := w.tx.CopyFrom(ctx, pgx.Identifier{"catalog", table}, cols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("catalog: seed %s: %w", table, err)
	}
	return nil
}

func (w *seedWriter) readIDs(ctx context.Context, what, sql string, args ...any) (map[string]int64, error) {
	rows, err := w.tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("catalog: seed read back %s: %w", what, err)
	}
	defer rows.Close()
	out := make(map[string]int64)
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return nil, fmt.Errorf("catalog: seed read back %s: %w", what, err)
		}
		out[key] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: seed read back %s: %w", what, err)
	}
	return out, nil
}

// write inserts one chunk of products with everything they own and indexes them for
// search; it returns the products' ids in chunk order.
func (w *seedWriter) write(ctx context.Context, chunk []seedProduct) ([]int64, error) {
	rows := make([][]any, 0, len(chunk))
	slugs := make([]string, 0, len(chunk))
	for _, p := range chunk {
		rows = append(rows, []any{p.slug, p.title, p.description, p.brand, "active", p.featured, p.published})
		slugs = append(slugs, p.slug)
	}
	if err := w.copyRows(ctx, "products", []string{"slug", "title", "description", "brand", "status", "featured", "published_at"}, rows); err != nil {
		return nil, err
	}
	bySlug, err := w.readIDs(ctx, "products", `SELECT id, slug FROM catalog.products WHERE slug = ANY($1::text[])`, slugs)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(chunk))
	for i, p := range chunk {
		ids[i] = bySlug[p.slug]
	}

	rows = rows[:0]
	for i, p := range chunk {
		for _, c := range p.categories {
			rows = append(rows, []any{ids[i], w.catIDs[c], w.position})
			w.position++
		}
	}
	if err := w.copyRows(ctx, "product_categories", []string{"product_id", "category_id", "position"}, rows); err != nil {
		return nil, err
	}

	rows = rows[:0]
	for i, p := range chunk {
		for oi, o := range p.options {
			rows = append(rows, []any{ids[i], o.name, int32(oi)})
		}
	}
	if err := w.copyRows(ctx, "options", []string{"product_id", "name", "position"}, rows); err != nil {
		return nil, err
	}
	optionIDs, err := w.readIDs(ctx, "options", `SELECT id, product_id || '/' || name FROM catalog.options WHERE product_id = ANY($1::bigint[])`, ids)
	if err != nil {
		return nil, err
	}
	rows = rows[:0]
	for i, p := range chunk {
		for _, o := range p.options {
			oid := optionIDs[fmt.Sprintf("%d/%s", ids[i], o.name)]
			for vi, v := range o.values {
				rows = append(rows, []any{oid, v, int32(vi)})
			}
		}
	}
	if err := w.copyRows(ctx, "option_values", []string{"option_id", "value", "position"}, rows); err != nil {
		return nil, err
	}
	valueIDs, err := w.readIDs(ctx, "option values", `SELECT ov.id, o.product_id || '/' || o.name || '/' || ov.value
		FROM catalog.option_values ov JOIN catalog.options o ON o.id = ov.option_id WHERE o.product_id = ANY($1::bigint[])`, ids)
	if err != nil {
		return nil, err
	}

	rows = rows[:0]
	for i, p := range chunk {
		for vi, v := range p.variants {
			rows = append(rows, []any{ids[i], v.sku, v.title, v.price, v.compareAt, w.currency, int32(v.grams), v.barcode, int32(vi)})
		}
	}
	if err := w.copyRows(ctx, "variants", []string{"product_id", "sku", "title", "price_minor", "compare_at_minor", "currency", "weight_grams", "barcode", "position"}, rows); err != nil {
		return nil, err
	}
	variantIDs, err := w.readIDs(ctx, "variants", `SELECT id, sku FROM catalog.variants WHERE product_id = ANY($1::bigint[])`, ids)
	if err != nil {
		return nil, err
	}
	rows = rows[:0]
	for i, p := range chunk {
		for _, v := range p.variants {
			for oi, val := range v.values {
				rows = append(rows, []any{variantIDs[v.sku], valueIDs[fmt.Sprintf("%d/%s/%s", ids[i], p.options[oi].name, val)]})
			}
		}
	}
	if err := w.copyRows(ctx, "variant_option_values", []string{"variant_id", "option_value_id"}, rows); err != nil {
		return nil, err
	}

	rows = rows[:0]
	for i, p := range chunk {
		for _, a := range p.attributes {
			rows = append(rows, []any{ids[i], a[0], a[1]})
		}
	}
	if err := w.copyRows(ctx, "product_attributes", []string{"product_id", "name", "value"}, rows); err != nil {
		return nil, err
	}

	// The tables grow within one transaction, out of autovacuum's sight: without fresh
	// statistics the planner takes them for empty and scans instead of using indexes.
	// Analysing as the size doubles keeps the cost of that logarithmic.
	if w.chunks++; w.chunks&(w.chunks-1) == 0 {
		if err := w.analyze(ctx); err != nil {
			return nil, err
		}
	}
	if _, err := w.tx.Exec(ctx, `SELECT catalog.refresh_search($1::bigint[])`, ids); err != nil {
		return nil, fmt.Errorf("catalog: seed search index: %w", err)
	}
	if _, err := w.tx.Exec(ctx, `SELECT catalog.refresh_search_terms($1::bigint[])`, ids); err != nil {
		return nil, fmt.Errorf("catalog: seed search terms: %w", err)
	}
	return ids, nil
}

// finish gives the planner fresh statistics, so the first queries after a bulk load get
// good plans instead of waiting for autovacuum to notice the new rows.
func (w *seedWriter) finish(ctx context.Context) error {
	return w.analyze(ctx)
}

func (w *seedWriter) analyze(ctx context.Context) error {
	if _, err := w.tx.Exec(ctx, `ANALYZE catalog.products, catalog.variants, catalog.options, catalog.option_values,
		catalog.variant_option_values, catalog.product_categories, catalog.product_attributes, catalog.search_terms,
		catalog.product_search_words`); err != nil {
		return fmt.Errorf("catalog: seed statistics: %w", err)
	}
	return nil
}

// slugify makes a URL slug of ASCII letters, digits and single hyphens; accented letters
// lose their accents ("Björn" → "bjorn").
func slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range fold(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			hyphen = false
		case r == '\'':
			// "Levi's" → "levis", not "levi-s".
		case !hyphen && b.Len() > 0:
			b.WriteByte('-')
			hyphen = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// seedImages gives every demo product a generated picture. Each distinct picture is
// rendered once: right away on spare cores when the seed renders, else by a queued job.
// Without a job queue (a bare service in tests) products simply have no images.
type seedImages struct {
	s       *Service
	tx      pgx.Tx
	masters map[demoPicture]preparedImage // a few hundred at most: see demoPictureCount
	stored  map[string]bool               // hashes already in image_blobs

	render  bool
	renders sync.WaitGroup
	slots   chan struct{} // bounds concurrent renders to the cores
	ctx     context.Context
	mu      sync.Mutex
	done    map[string][]rendition
	failed  error
}

func (s *Service) newSeedImages(ctx context.Context, tx pgx.Tx, render bool) *seedImages {
	return &seedImages{
		s: s, tx: tx, masters: make(map[demoPicture]preparedImage), stored: make(map[string]bool),
		render: render, slots: make(chan struct{}, runtime.GOMAXPROCS(0)), ctx: ctx, done: make(map[string][]rendition),
	}
}

func (si *seedImages) write(ctx context.Context, chunk []seedProduct, ids []int64) error {
	if si.s.jobs == nil && !si.render {
		return nil
	}
	var blobs, images [][]any
	var rendered any // NULL until rendered: a queued picture is not shown before its files exist
	if si.render {
		rendered = time.Now()
	}
	fresh, err := si.prepare(chunk)
	if err != nil {
		return err
	}
	for _, pic := range fresh {
		prep := si.masters[pic]
		// Two keys can draw the same picture; store it once.
		if !si.stored[prep.hash] {
			si.stored[prep.hash] = true
			blobs = append(blobs, []any{prep.hash, int32(0), prep.format, prep.data})
			if si.render {
				si.startRender(prep.hash, pic)
			}
		}
	}
	for i, p := range chunk {
		prep := si.masters[p.image]
		images = append(images, []any{ids[i], int32(0), fmt.Sprintf("%s %s in %s", p.brand, p.title, p.image.colour), int32(prep.width), int32(prep.height), prep.hash, rendered})
	}
	if len(blobs) > 0 {
		if _, err := si.tx.CopyFrom(ctx, pgx.Identifier{"catalog", "image_blobs"}, []string{"hash", "width", "format", "data"}, pgx.CopyFromRows(blobs)); err != nil {
			return fmt.Errorf("catalog: seed image files: %w", err)
		}
	}
	if _, err := si.tx.CopyFrom(ctx, pgx.Identifier{"catalog", "images"}, []string{"product_id", "position", "alt", "width", "height", "hash", "rendered_at"}, pgx.CopyFromRows(images)); err != nil {
		return fmt.Errorf("catalog: seed images: %w", err)
	}
	return nil
}

// prepare draws and encodes the pictures a chunk shows for the first time, on every core:
// the first chunks meet most of the few hundred pictures, and drawing them one after the
// other would hold up the seed for seconds. It returns them in the order the chunk met
// them, so the seed stays the same from run to run.
func (si *seedImages) prepare(chunk []seedProduct) ([]demoPicture, error) {
	var fresh []demoPicture
	met := map[demoPicture]bool{}
	for _, p := range chunk {
		if _, ok := si.masters[p.image]; !ok && !met[p.image] {
			met[p.image] = true
			fresh = append(fresh, p.image)
		}
	}
	prepared := make([]preparedImage, len(fresh))
	errs := make([]error, len(fresh))
	var wg sync.WaitGroup
	// Not si.slots: renders hold those for long, and the seed waits for these.
	cores := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, pic := range fresh {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cores <- struct{}{}
			defer func() { <-cores }()
			prepared[i], errs[i] = encodeMaster(drawDemoImage(pic))
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for i, pic := range fresh {
		si.masters[pic] = prepared[i]
	}
	return fresh, nil
}

// startRender renders a picture in the background while the seed writes products. The
// picture is drawn again once a core is free rather than held while it waits: a chunk can
// meet hundreds of new pictures, at 4 MB each.
func (si *seedImages) startRender(hash string, picture demoPicture) {
	si.renders.Add(1)
	go func() {
		defer si.renders.Done()
		si.slots <- struct{}{}
		defer func() { <-si.slots }()
		files, err := renderRenditions(si.ctx, drawDemoImage(picture))
		si.mu.Lock()
		defer si.mu.Unlock()
		if err != nil {
			si.failed = cmp.Or(si.failed, fmt.Errorf("catalog: render demo image: %w", err))
			return
		}
		si.done[hash] = files
	}()
}

// finish stores the rendered files, or queues the rendering of every stored picture.
func (si *seedImages) finish(ctx context.Context) error {
	if si.render {
		si.renders.Wait()
		if si.failed != nil {
			return si.failed
		}
		var blobs [][]any
		for hash, files := range si.done {
			for _, f := range files {
				blobs = append(blobs, []any{hash, int32(f.width), f.format, f.data})
			}
		}
		if _, err := si.tx.CopyFrom(ctx, pgx.Identifier{"catalog", "image_blobs"}, []string{"hash", "width", "format", "data"}, pgx.CopyFromRows(blobs)); err != nil {
			return fmt.Errorf("catalog: seed rendered images: %w", err)
		}
		return nil
	}
	if si.s.jobs == nil {
		return nil
	}
	for hash := range si.stored {
		if _, err := si.s.jobs.InsertTx(ctx, si.tx, RenderImageArgs{Hash: hash}, nil); err != nil {
			return fmt.Errorf("catalog: queue demo image rendering: %w", err)
		}
	}
	return nil
}
