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

// SeedDemo fills an empty catalog with a deterministic, realistic demo range: a category
// tree, well-known brands, products with size and colour variants, materials, prices with
// some on sale, and the search index. Rows go in with COPY in one transaction, so ten
// thousand products take seconds and a failed seed leaves nothing behind.
func (s *Service) SeedDemo(ctx context.Context, opts SeedOptions) error {
	if opts.Products <= 0 {
		return nil
	}
	if opts.Currency == "" {
		opts.Currency = "USD"
	}
	plan := planDemoCatalog(opts)
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := writeDemoCatalog(ctx, tx, s.q, plan, opts.Currency); err != nil {
			return err
		}
		if err := s.writeDemoImages(ctx, tx, plan); err != nil {
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
	// image names the demo picture: the category's silhouette in the first colour.
	image [2]string
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

type seedPlan struct {
	categories []seedCategory
	products   []seedProduct
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
			{"Chino Shorts", apparelSizes, 4000, 300, []string{"Cotton Twill"}, adults}, {"Running Shorts", apparelSizes, 3500, 150, tech, unisex},
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

	demoLines   = []string{"Classic", "Essential", "Heritage", "Everyday", "Lightweight", "Relaxed", "Slim", "Trail", "Weekend", "Studio", "Coastal", "Summit", "Urban", "Vintage", "Premium", "Performance", "Original", "Club", "Café", "Nordic", "Alpine", "Harbour", "Metro", "Sierra"}
	demoColours = []struct{ name, code string }{
		{"Black", "BLK"}, {"White", "WHT"}, {"Navy", "NVY"}, {"Grey", "GRY"}, {"Heather Grey", "HGR"}, {"Olive", "OLV"},
		{"Khaki", "KHK"}, {"Beige", "BGE"}, {"Burgundy", "BRG"}, {"Red", "RED"}, {"Blue", "BLU"}, {"Sky Blue", "SKY"},
		{"Forest Green", "FOR"}, {"Brown", "BRN"}, {"Camel", "CML"}, {"Pink", "PNK"}, {"Yellow", "YLW"}, {"Orange", "ORG"}, {"Crème", "CRM"},
	}
	demoFits   = []string{"Slim", "Regular", "Relaxed"}
	demoBlurbs = []string{
		"Cut for comfort and made to last, it washes well and keeps its shape.",
		"A wardrobe staple with clean lines and durable stitching.",
		"Designed for long days outdoors and easy evenings in town.",
		"Made in small batches from responsibly sourced materials.",
		"Soft to the touch, tough where it counts.",
		"Built to be worn hard and look better with age.",
		"Breathable, light and ready for travel.",
	}
)

// planDemoCatalog decides the whole catalog in memory first; the same options always give
// the same plan.
func planDemoCatalog(opts SeedOptions) seedPlan {
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	now := time.Now().UTC().Truncate(time.Minute)
	plan := seedPlan{categories: demoCategories}

	var leaves []seedCategory
	for _, c := range demoCategories {
		if len(c.kinds) > 0 {
			leaves = append(leaves, c)
		}
	}
	brandsFor := make(map[string][]int)
	for bi, b := range demoBrands {
		for _, slug := range b.makes {
			brandsFor[slug] = append(brandsFor[slug], bi)
		}
	}
	usedSlugs := make(map[string]bool, opts.Products)
	for n := range opts.Products {
		cat := leaves[n%len(leaves)]
		kind := cat.kinds[rng.IntN(len(cat.kinds))]
		brand := demoBrands[brandsFor[cat.slug][rng.IntN(len(brandsFor[cat.slug]))]]
		material := kind.material[rng.IntN(len(kind.material))]
		line := demoLines[rng.IntN(len(demoLines))]
		title := line + " " + kind.noun
		if rng.IntN(2) == 0 {
			title = line + " " + material + " " + kind.noun
		}
		slug := slugify(brand.name + " " + title)
		for k := 2; usedSlugs[slug]; k++ {
			slug = fmt.Sprintf("%s-%d", slugify(brand.name+" "+title), k)
		}
		usedSlugs[slug] = true

		p := seedProduct{
			slug:  slug,
			title: title,
			brand: brand.name,
			description: fmt.Sprintf("The %s %s from %s, in %s. %s %s",
				strings.ToLower(line), strings.ToLower(kind.noun), brand.name, strings.ToLower(material),
				demoBlurbs[rng.IntN(len(demoBlurbs))], demoBlurbs[rng.IntN(len(demoBlurbs))]),
			featured:   rng.IntN(12) == 0,
			published:  now.Add(-time.Duration(opts.Products-n) * 37 * time.Minute),
			categories: []string{cat.slug},
		}
		dept := kind.dept[rng.IntN(len(kind.dept))]
		p.attributes = [][2]string{{"Material", material}, {"Department", dept}}
		if len(kind.sizes) > 1 && kind.sizes[0] == "XS" {
			p.attributes = append(p.attributes, [2]string{"Fit", demoFits[rng.IntN(len(demoFits))]})
		}

		// A contiguous run of sizes and two to four colours.
		sizes := kind.sizes
		if len(sizes) > 4 {
			from := rng.IntN(2)
			to := len(sizes) - rng.IntN(2)
			sizes = sizes[from:to]
		}
		colourCount := 2 + rng.IntN(3)
		colourIdx := rng.Perm(len(demoColours))[:colourCount]
		var colours []string
		for _, ci := range colourIdx {
			colours = append(colours, demoColours[ci].name)
		}
		if len(sizes) > 1 || sizes[0] != "One Size" {
			p.options = append(p.options, seedOption{name: "Size", values: sizes})
		}
		p.options = append(p.options, seedOption{name: "Color", values: colours})
		p.image = [2]string{cat.slug, colours[0]}

		// Prices end in .00 or .95 and vary around the kind's base and the brand's level.
		base := kind.price * brand.factor / 100 * int64(85+rng.IntN(30)) / 100
		price := base/100*100 + []int64{0, 95}[rng.IntN(2)]
		var compareAt *int64
		if rng.IntN(7) == 0 {
			c := price * int64(125+rng.IntN(30)) / 100 / 100 * 100
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
		plan.products = append(plan.products, p)
	}
	return plan
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

// writeDemoCatalog inserts the plan with COPY. Identity columns cannot be set through
// COPY, so after each table the generated ids are read back by natural key.
func writeDemoCatalog(ctx context.Context, tx pgx.Tx, q *dbsqlc.Queries, plan seedPlan, currency string) error {
	catIDs := make(map[string]int64, len(plan.categories))
	for i, c := range plan.categories {
		var parent *int64
		if c.parent != "" {
			id := catIDs[c.parent]
			parent = &id
		}
		id, err := q.CategoryInsert(ctx, tx, dbsqlc.CategoryInsertParams{
			ParentID: parent, Slug: c.slug, Name: c.name, Description: c.description, Position: int32(i),
		})
		if err != nil {
			return interpretError(err, "category "+c.slug)
		}
		catIDs[c.slug] = id
	}

	copyRows := func(table string, cols []string, rows [][]any) error {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"catalog", table}, cols, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("catalog: seed %s: %w", table, err)
		}
		return nil
	}
	readIDs := func(sql string) (map[string]int64, error) {
		rows, err := tx.Query(ctx, sql)
		if err != nil {
			return nil, fmt.Errorf("catalog: seed read back: %w", err)
		}
		out := make(map[string]int64)
		for rows.Next() {
			var id int64
			var key string
			if err := rows.Scan(&id, &key); err != nil {
				return nil, err
			}
			out[key] = id
		}
		return out, rows.Err()
	}

	rows := make([][]any, 0, len(plan.products))
	for _, p := range plan.products {
		rows = append(rows, []any{p.slug, p.title, p.description, p.brand, "active", p.featured, p.published})
	}
	if err := copyRows("products", []string{"slug", "title", "description", "brand", "status", "featured", "published_at"}, rows); err != nil {
		return err
	}
	productIDs, err := readIDs(`SELECT id, slug FROM catalog.products`)
	if err != nil {
		return err
	}

	rows = rows[:0]
	for _, p := range plan.products {
		for _, c := range p.categories {
			rows = append(rows, []any{productIDs[p.slug], catIDs[c], int32(len(rows))})
		}
	}
	if err := copyRows("product_categories", []string{"product_id", "category_id", "position"}, rows); err != nil {
		return err
	}

	rows = rows[:0]
	for _, p := range plan.products {
		for i, o := range p.options {
			rows = append(rows, []any{productIDs[p.slug], o.name, int32(i)})
		}
	}
	if err := copyRows("options", []string{"product_id", "name", "position"}, rows); err != nil {
		return err
	}
	optionIDs, err := readIDs(`SELECT id, product_id || '/' || name FROM catalog.options`)
	if err != nil {
		return err
	}
	rows = rows[:0]
	for _, p := range plan.products {
		for _, o := range p.options {
			oid := optionIDs[fmt.Sprintf("%d/%s", productIDs[p.slug], o.name)]
			for i, v := range o.values {
				rows = append(rows, []any{oid, v, int32(i)})
			}
		}
	}
	if err := copyRows("option_values", []string{"option_id", "value", "position"}, rows); err != nil {
		return err
	}
	valueIDs, err := readIDs(`SELECT ov.id, o.product_id || '/' || o.name || '/' || ov.value
		FROM catalog.option_values ov JOIN catalog.options o ON o.id = ov.option_id`)
	if err != nil {
		return err
	}

	rows = rows[:0]
	for _, p := range plan.products {
		for i, v := range p.variants {
			rows = append(rows, []any{productIDs[p.slug], v.sku, v.title, v.price, v.compareAt, currency, int32(v.grams), v.barcode, int32(i)})
		}
	}
	if err := copyRows("variants", []string{"product_id", "sku", "title", "price_minor", "compare_at_minor", "currency", "weight_grams", "barcode", "position"}, rows); err != nil {
		return err
	}
	variantIDs, err := readIDs(`SELECT id, sku FROM catalog.variants`)
	if err != nil {
		return err
	}
	rows = rows[:0]
	for _, p := range plan.products {
		pid := productIDs[p.slug]
		for _, v := range p.variants {
			for oi, val := range v.values {
				rows = append(rows, []any{variantIDs[v.sku], valueIDs[fmt.Sprintf("%d/%s/%s", pid, p.options[oi].name, val)]})
			}
		}
	}
	if err := copyRows("variant_option_values", []string{"variant_id", "option_value_id"}, rows); err != nil {
		return err
	}

	rows = rows[:0]
	for _, p := range plan.products {
		for _, a := range p.attributes {
			rows = append(rows, []any{productIDs[p.slug], a[0], a[1]})
		}
	}
	if err := copyRows("product_attributes", []string{"product_id", "name", "value"}, rows); err != nil {
		return err
	}

	if _, err := tx.Exec(ctx, `SELECT catalog.refresh_search(NULL)`); err != nil {
		return fmt.Errorf("catalog: seed search index: %w", err)
	}
	if err := refreshSearchTerms(ctx, tx); err != nil {
		return err
	}
	// Fresh statistics, so the first queries after a bulk load get good plans instead of
	// waiting for autovacuum to notice the new rows.
	if _, err := tx.Exec(ctx, `ANALYZE catalog.products, catalog.variants, catalog.options, catalog.option_values,
		catalog.variant_option_values, catalog.product_categories, catalog.product_attributes, catalog.search_terms`); err != nil {
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

// writeDemoImages gives every demo product a generated picture and queues the rendering
// of each distinct picture once. Without a job queue (a bare service in tests) products
// simply have no images.
func (s *Service) writeDemoImages(ctx context.Context, tx pgx.Tx, plan seedPlan) error {
	if s.jobs == nil {
		return nil
	}
	masters := make(map[[2]string]preparedImage)
	stored := make(map[string]bool)
	var blobs, images [][]any
	for _, p := range plan.products {
		prep, ok := masters[p.image]
		if !ok {
			var err error
			if prep, err = encodeMaster(drawDemoImage(p.image[0], p.image[1])); err != nil {
				return err
			}
			masters[p.image] = prep
			// Two keys can draw the same picture (white and crème are close); store once.
			if !stored[prep.hash] {
				stored[prep.hash] = true
				blobs = append(blobs, []any{prep.hash, int32(0), prep.format, prep.data})
			}
		}
		images = append(images, []any{p.slug, fmt.Sprintf("%s %s in %s", p.brand, p.title, p.image[1]), int32(prep.width), int32(prep.height), prep.hash})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"catalog", "image_blobs"}, []string{"hash", "width", "format", "data"}, pgx.CopyFromRows(blobs)); err != nil {
		return fmt.Errorf("catalog: seed image files: %w", err)
	}
	// Images reference products by id; map slugs through a temporary table in one statement.
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE seed_images (slug text, alt text, width int, height int, hash text) ON COMMIT DROP`); err != nil {
		return fmt.Errorf("catalog: seed images: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"seed_images"}, []string{"slug", "alt", "width", "height", "hash"}, pgx.CopyFromRows(images)); err != nil {
		return fmt.Errorf("catalog: seed images: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO catalog.images (product_id, position, alt, width, height, hash)
		SELECT p.id, 0, si.alt, si.width, si.height, si.hash
		FROM seed_images si JOIN catalog.products p ON p.slug = si.slug`); err != nil {
		return fmt.Errorf("catalog: seed images: %w", err)
	}
	for hash := range stored {
		if _, err := s.jobs.InsertTx(ctx, tx, RenderImageArgs{Hash: hash}, nil); err != nil {
			return fmt.Errorf("catalog: queue demo image rendering: %w", err)
		}
	}
	return nil
}
