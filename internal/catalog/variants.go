package catalog

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/catalog/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// Limits of the variant matrix: enough for any real product, small enough that an editor
// page stays usable.
const (
	MaxOptions        = 3
	MaxOptionValues   = 50
	MaxVariantsPerRow = 300
)

// OptionInput is one option of the editor: a name and its values in order.
type OptionInput struct {
	Name   string
	Values []string
}

// SetProductOptions replaces a product's options and regenerates its variant matrix: one
// variant per combination of values. A variant whose combination survives keeps its id,
// SKU, price and stock history; a combination that disappears archives its variant (old
// orders still point at it); a new combination gets a new variant priced like the first
// existing one, or at basePrice when the product has none yet.
func (s *Service) SetProductOptions(ctx context.Context, actor audit.Actor, id ProductID, version int, opts []OptionInput, basePrice string) (int, error) {
	opts, f := normalizeOptions(opts)
	if len(f) > 0 {
		return 0, apperr.InvalidFields("Please correct the options.", f)
	}
	combos := combinations(opts)
	if len(combos) > MaxVariantsPerRow {
		return 0, apperr.InvalidFields("Please correct the options.", map[string]string{
			"options": fmt.Sprintf("These options make %d variants; at most %d are allowed.", len(combos), MaxVariantsPerRow)})
	}
	var newVersion int
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		cur, err := s.lockProduct(ctx, tx, id, version)
		if err != nil {
			return err
		}
		before, err := s.adminProduct(ctx, tx, id)
		if err != nil {
			return err
		}
		currency, err := s.storeCurrency(ctx, tx, before)
		if err != nil {
			return err
		}
		var price int64
		var compareAt *int64
		var grams int32
		if len(before.Variants) > 0 {
			first := before.Variants[0]
			price, grams = first.Price.Minor, int32(first.WeightGrams)
			if first.CompareAt != nil {
				c := first.CompareAt.Minor
				compareAt = &c
			}
		} else {
			amt, err := money.ParseDecimal(basePrice, currency)
			if err != nil || amt.Minor < 0 {
				return apperr.InvalidFields("Please correct the options.", map[string]string{"base_price": "Enter the price of the new variants, like 19.99."})
			}
			price = amt.Minor
		}

		restoreImages, err := s.keepImageValues(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.q.OptionsDelete(ctx, tx, int64(id)); err != nil {
			return interpretError(err, "options")
		}
		valueIDs := map[[2]string]int64{}
		for oi, o := range opts {
			oid, err := s.q.OptionInsert(ctx, tx, dbsqlc.OptionInsertParams{ProductID: int64(id), Name: o.Name, Position: int32(oi)})
			if err != nil {
				return interpretError(err, "option")
			}
			for vi, v := range o.Values {
				vid, err := s.q.OptionValueInsert(ctx, tx, dbsqlc.OptionValueInsertParams{OptionID: oid, Value: v, Position: int32(vi)})
				if err != nil {
					return interpretError(err, "option value")
				}
				valueIDs[[2]string{o.Name, v}] = vid
			}
		}
		if err := restoreImages(); err != nil {
			return err
		}

		// Match surviving combinations to existing variants, active or archived.
		existing := map[string]AdminVariant{}
		for _, v := range before.Variants {
			existing[comboKey(v.Values)] = v
		}
		used := map[VariantID]bool{}
		for pos, combo := range combos {
			title := comboTitle(opts, combo)
			var vid int64
			if v, ok := existing[comboKey(combo)]; ok {
				vid = int64(v.ID)
				used[v.ID] = true
				if err := s.q.VariantUpdate(ctx, tx, dbsqlc.VariantUpdateParams{ID: vid, Sku: v.SKU, Title: title,
					PriceMinor: v.Price.Minor, CompareAtMinor: minorPtr(v.CompareAt), WeightGrams: int32(v.WeightGrams),
					Barcode: v.Barcode, Position: int32(pos), Status: "active"}); err != nil {
					return interpretError(err, "variant")
				}
			} else {
				sku, err := s.freeSKU(ctx, tx, cur.Slug, opts, combo)
				if err != nil {
					return err
				}
				if vid, err = s.q.VariantInsert(ctx, tx, dbsqlc.VariantInsertParams{ProductID: int64(id), Sku: sku, Title: title,
					PriceMinor: price, CompareAtMinor: compareAt, Currency: currency, WeightGrams: grams, Position: int32(pos)}); err != nil {
					return interpretError(err, "variant")
				}
			}
			for _, o := range opts {
				if err := s.q.VariantOptionValueInsert(ctx, tx, dbsqlc.VariantOptionValueInsertParams{
					VariantID: vid, OptionValueID: valueIDs[[2]string{o.Name, combo[o.Name]}]}); err != nil {
					return interpretError(err, "variant")
				}
			}
		}
		for _, v := range before.Variants {
			if !used[v.ID] && !v.Archived {
				if err := s.q.VariantUpdate(ctx, tx, dbsqlc.VariantUpdateParams{ID: int64(v.ID), Sku: v.SKU, Title: v.Title,
					PriceMinor: v.Price.Minor, CompareAtMinor: minorPtr(v.CompareAt), WeightGrams: int32(v.WeightGrams),
					Barcode: v.Barcode, Position: int32(len(combos)), Status: "archived"}); err != nil {
					return interpretError(err, "variant")
				}
			}
		}
		v, err := s.q.AdminProductBump(ctx, tx, int64(id))
		if err != nil {
			return interpretError(err, "product")
		}
		newVersion = int(v)
		if err := s.record(ctx, tx, actor, "product.options", id, map[string]audit.Change{
			"options": {Before: optionsText(before.Options), After: optionsText(inputOptions(opts))},
		}); err != nil {
			return err
		}
		return s.finishWrite(ctx, tx, id)
	})
	if err != nil {
		return 0, err
	}
	s.changed(ctx, id)
	return newVersion, nil
}

func normalizeOptions(in []OptionInput) ([]OptionInput, map[string]string) {
	f := map[string]string{}
	var out []OptionInput
	names := map[string]bool{}
	for i, o := range in {
		o.Name = strings.TrimSpace(o.Name)
		var vals []string
		seen := map[string]bool{}
		for _, v := range o.Values {
			v = strings.TrimSpace(v)
			if v == "" || seen[strings.ToLower(v)] {
				continue
			}
			seen[strings.ToLower(v)] = true
			vals = append(vals, v)
		}
		if o.Name == "" && len(vals) == 0 {
			continue
		}
		field := "options." + strconv.Itoa(i)
		switch {
		case o.Name == "":
			f[field] = "Name this option, like Size or Color."
		case len(vals) == 0:
			f[field] = "Give " + o.Name + " at least one value."
		case names[strings.ToLower(o.Name)]:
			f[field] = "Each option name may appear once."
		case len(vals) > MaxOptionValues:
			f[field] = fmt.Sprintf("At most %d values per option.", MaxOptionValues)
		case !utf8.ValidString(o.Name) || utf8.RuneCountInString(o.Name) > 60:
			f[field] = "Option names are at most 60 ordinary characters."
		}
		for _, v := range vals {
			if !utf8.ValidString(v) || utf8.RuneCountInString(v) > 60 || strings.ContainsAny(v, "\x00\r\n") {
				f[field] = "Values are at most 60 ordinary characters."
			}
		}
		names[strings.ToLower(o.Name)] = true
		out = append(out, OptionInput{Name: o.Name, Values: vals})
	}
	if len(out) > MaxOptions {
		f["options"] = fmt.Sprintf("A product has at most %d options.", MaxOptions)
	}
	return out, f
}

// combinations lists every choice of one value per option, first option slowest; no
// options gives the one empty combination (a product with a single variant).
func combinations(opts []OptionInput) []map[string]string {
	out := []map[string]string{{}}
	for _, o := range opts {
		var next []map[string]string
		for _, c := range out {
			for _, v := range o.Values {
				m := maps.Clone(c)
				m[o.Name] = v
				next = append(next, m)
			}
		}
		out = next
	}
	return out
}

func comboKey(values map[string]string) string {
	keys := slices.Sorted(maps.Keys(values))
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(strings.ToLower(k))
		b.WriteByte('=')
		b.WriteString(strings.ToLower(values[k]))
		b.WriteByte(';')
	}
	return b.String()
}

func comboTitle(opts []OptionInput, combo map[string]string) string {
	if len(opts) == 0 {
		return "Default"
	}
	parts := make([]string, len(opts))
	for i, o := range opts {
		parts[i] = combo[o.Name]
	}
	return strings.Join(parts, " / ")
}

// freeSKU makes an unused SKU for a new variant from the product slug and its values.
func (s *Service) freeSKU(ctx context.Context, tx pgx.Tx, slug string, opts []OptionInput, combo map[string]string) (string, error) {
	base := strings.ToUpper(slug)
	if len(base) > 40 {
		base = base[:40]
	}
	for _, o := range opts {
		base += "-" + strings.ToUpper(slugify(combo[o.Name]))
	}
	if len(base) > 60 {
		base = base[:60]
	}
	sku := base
	for n := 2; ; n++ {
		_, err := s.q.VariantSkuOwner(ctx, tx, dbsqlc.VariantSkuOwnerParams{Lower: sku, ID: 0})
		if err == pgx.ErrNoRows {
			return sku, nil
		}
		if err != nil {
			return "", interpretError(err, "variant")
		}
		sku = fmt.Sprintf("%s-%d", base, n)
	}
}

func (s *Service) storeCurrency(ctx context.Context, tx pgx.Tx, p AdminProduct) (string, error) {
	if len(p.Variants) > 0 {
		return p.Variants[0].Price.Currency, nil
	}
	var currency string
	err := tx.QueryRow(ctx, `SELECT currency FROM catalog.variants ORDER BY id LIMIT 1`).Scan(&currency)
	if err == pgx.ErrNoRows {
		return s.emptyCatalogCurrency(ctx), nil
	}
	if err != nil {
		return "", interpretError(err, "currency")
	}
	return currency, nil
}

func minorPtr(a *money.Amount) *int64 {
	if a == nil {
		return nil
	}
	m := a.Minor
	return &m
}

func inputOptions(in []OptionInput) []Option {
	out := make([]Option, len(in))
	for i, o := range in {
		out[i] = Option{Name: o.Name}
		for _, v := range o.Values {
			out[i].Values = append(out[i].Values, OptionValue{Value: v})
		}
	}
	return out
}

func optionsText(opts []Option) string {
	parts := make([]string, len(opts))
	for i, o := range opts {
		vals := make([]string, len(o.Values))
		for j, v := range o.Values {
			vals[j] = v.Value
		}
		parts[i] = o.Name + ": " + strings.Join(vals, ", ")
	}
	return strings.Join(parts, "; ")
}

// VariantInput is one row of the editor's variant table, as typed.
type VariantInput struct {
	ID          VariantID
	SKU         string
	Price       string
	CompareAt   string
	WeightGrams string
	Barcode     string
}

// UpdateVariants saves the variant table. Problems come back per row and field
// ("variants.<id>.price"); nothing is written unless every row is valid.
func (s *Service) UpdateVariants(ctx context.Context, actor audit.Actor, id ProductID, version int, rows []VariantInput) (int, error) {
	var newVersion int
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := s.lockProduct(ctx, tx, id, version); err != nil {
			return err
		}
		before, err := s.adminProduct(ctx, tx, id)
		if err != nil {
			return err
		}
		byID := map[VariantID]AdminVariant{}
		for _, v := range before.Variants {
			byID[v.ID] = v
		}
		f := map[string]string{}
		skus := map[string]VariantID{}
		type change struct {
			v        AdminVariant
			price    int64
			compare  *int64
			grams    int32
			sku, bar string
		}
		var changes []change
		for _, r := range rows {
			v, ok := byID[r.ID]
			if !ok {
				return apperr.New(apperr.Conflict, "The variants changed since you opened this page. Reload and try again.")
			}
			key := fmt.Sprintf("variants.%d.", r.ID)
			sku := strings.TrimSpace(r.SKU)
			switch {
			case sku == "":
				f[key+"sku"] = "Enter a SKU."
			case len(sku) > 64 || !utf8.ValidString(sku) || strings.ContainsAny(sku, " \t\r\n\x00"):
				f[key+"sku"] = "Use at most 64 characters without spaces."
			}
			if other, dup := skus[strings.ToLower(sku)]; dup && other != r.ID {
				f[key+"sku"] = "Two variants have this SKU."
			}
			skus[strings.ToLower(sku)] = r.ID
			price, err := money.ParseDecimal(r.Price, v.Price.Currency)
			if err != nil || price.Minor < 0 {
				f[key+"price"] = "Enter a price like 19.99."
			}
			var compare *int64
			if c := strings.TrimSpace(r.CompareAt); c != "" {
				amt, err := money.ParseDecimal(c, v.Price.Currency)
				switch {
				case err != nil || amt.Minor < 0:
					f[key+"compare_at"] = "Enter a price like 24.99, or leave it empty."
				case amt.Minor <= price.Minor:
					f[key+"compare_at"] = "The compare-at price must be higher than the price."
				default:
					compare = &amt.Minor
				}
			}
			grams := int64(0)
			if g := strings.TrimSpace(r.WeightGrams); g != "" {
				grams, err = strconv.ParseInt(g, 10, 32)
				if err != nil || grams < 0 || grams > 1_000_000 {
					f[key+"weight_grams"] = "Enter the weight in whole grams."
				}
			}
			bar := strings.TrimSpace(r.Barcode)
			if len(bar) > 64 || !utf8.ValidString(bar) || strings.ContainsAny(bar, "\r\n\x00") {
				f[key+"barcode"] = "Use at most 64 characters."
			}
			if f[key+"sku"] == "" && sku != "" {
				if _, err := s.q.VariantSkuOwner(ctx, tx, dbsqlc.VariantSkuOwnerParams{Lower: sku, ID: int64(r.ID)}); err == nil {
					f[key+"sku"] = "Another variant already uses this SKU."
				} else if err != pgx.ErrNoRows {
					return interpretError(err, "variant")
				}
			}
			changes = append(changes, change{v: v, price: price.Minor, compare: compare, grams: int32(grams), sku: sku, bar: bar})
		}
		if len(f) > 0 {
			return apperr.InvalidFields("Please correct the highlighted variants.", f)
		}
		auditChanges := map[string]audit.Change{}
		for i, c := range changes {
			if err := s.q.VariantUpdate(ctx, tx, dbsqlc.VariantUpdateParams{ID: int64(c.v.ID), Sku: c.sku, Title: c.v.Title,
				PriceMinor: c.price, CompareAtMinor: c.compare, WeightGrams: c.grams, Barcode: c.bar, Position: int32(i),
				Status: map[bool]string{true: "archived", false: "active"}[c.v.Archived]}); err != nil {
				return interpretError(err, "variant")
			}
			before := map[string]any{"sku": c.v.SKU, "price": c.v.Price.Minor, "compare_at": minorPtr(c.v.CompareAt), "weight_grams": c.v.WeightGrams, "barcode": c.v.Barcode}
			after := map[string]any{"sku": c.sku, "price": c.price, "compare_at": c.compare, "weight_grams": int(c.grams), "barcode": c.bar}
			for k, ch := range audit.Diff(before, after) {
				auditChanges[fmt.Sprintf("%s.%s", c.v.SKU, k)] = ch
			}
		}
		v, err := s.q.AdminProductBump(ctx, tx, int64(id))
		if err != nil {
			return interpretError(err, "product")
		}
		newVersion = int(v)
		if err := s.record(ctx, tx, actor, "product.variants", id, auditChanges); err != nil {
			return err
		}
		return s.finishWrite(ctx, tx, id)
	})
	if err != nil {
		return 0, err
	}
	s.changed(ctx, id)
	return newVersion, nil
}
