package catalog

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
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

// The CSV has one line per variant; product columns repeat on each line of the product.
// Lists inside a cell use "|": categories are slugs ("jeans|sale"), attributes are
// name=value pairs ("Material=Denim|Fit=Slim").
var csvColumns = []string{
	"product_slug", "title", "status", "brand", "featured", "categories", "description",
	"seo_title", "seo_description", "attributes",
	"option1_name", "option1_value", "option2_name", "option2_value", "option3_name", "option3_value",
	"sku", "price", "compare_at_price", "currency", "weight_grams", "barcode",
}

// MaxImportRows bounds one import file.
const MaxImportRows = 500_000

// ImportReport says what an import did, or would do in a dry run.
type ImportReport struct {
	DryRun    bool
	Applied   bool
	Rows      int
	Products  int
	Created   int // variants (or variant-less products) that would be or were created
	Updated   int
	Unchanged int
	Errors    []ImportError
}

// ImportError is one problem of one CSV line.
type ImportError struct {
	Line    int
	Column  string
	Message string
}

// maxReportedErrors keeps a report readable; the count says how many there were.
const maxReportedErrors = 500

// ExportCSV writes every product and its active variants as CSV, one line per variant, in
// the format ImportCSV reads: exporting and importing again changes nothing.
func (s *Service) ExportCSV(ctx context.Context, w io.Writer) error {
	rows, err := s.pool.Query(ctx, `
		SELECT p.slug, p.title, p.status, p.brand, p.featured,
		       coalesce((SELECT string_agg(c.slug, '|' ORDER BY c.slug) FROM catalog.product_categories pc
		                 JOIN catalog.categories c ON c.id = pc.category_id WHERE pc.product_id = p.id), ''),
		       p.description, p.seo_title, p.seo_description,
		       coalesce((SELECT string_agg(a.name || '=' || a.value, '|' ORDER BY a.name) FROM catalog.product_attributes a
		                 WHERE a.product_id = p.id), ''),
		       coalesce((SELECT array_agg(o.name ORDER BY o.position, o.id) FROM catalog.options o WHERE o.product_id = p.id), '{}'),
		       coalesce((SELECT array_agg(ov.value ORDER BY o.position, o.id) FROM catalog.variant_option_values vov
		                 JOIN catalog.option_values ov ON ov.id = vov.option_value_id
		                 JOIN catalog.options o ON o.id = ov.option_id WHERE vov.variant_id = v.id), '{}'),
		       coalesce(v.sku, ''), v.price_minor, v.compare_at_minor, coalesce(v.currency, ''), v.weight_grams, coalesce(v.barcode, '')
		FROM catalog.products p
		LEFT JOIN catalog.variants v ON v.product_id = p.id AND v.status = 'active'
		ORDER BY p.id, v.position, v.id`)
	if err != nil {
		return fmt.Errorf("catalog: export: %w", err)
	}
	defer rows.Close()
	cw := csv.NewWriter(w)
	if err := cw.Write(csvColumns); err != nil {
		return fmt.Errorf("catalog: export: %w", err)
	}
	for rows.Next() {
		var slug, title, status, brand, cats, desc, seoT, seoD, attrs, sku, currency, barcode string
		var featured bool
		var optNames, optValues []string
		var price, compare *int64
		var grams *int32
		if err := rows.Scan(&slug, &title, &status, &brand, &featured, &cats, &desc, &seoT, &seoD, &attrs,
			&optNames, &optValues, &sku, &price, &compare, &currency, &grams, &barcode); err != nil {
			return fmt.Errorf("catalog: export: %w", err)
		}
		rec := []string{slug, title, status, brand, strconv.FormatBool(featured), cats, desc, seoT, seoD, attrs, "", "", "", "", "", ""}
		for i := 0; i < 3 && i < len(optNames); i++ {
			rec[10+2*i] = optNames[i]
			if i < len(optValues) {
				rec[11+2*i] = optValues[i]
			}
		}
		var priceText, compareText, gramsText string
		if price != nil {
			priceText = money.New(*price, currency).Decimal()
		}
		if compare != nil {
			compareText = money.New(*compare, currency).Decimal()
		}
		if grams != nil {
			gramsText = strconv.Itoa(int(*grams))
		}
		rec = append(rec, sku, priceText, compareText, currency, gramsText, barcode)
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("catalog: export: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("catalog: export: %w", err)
	}
	cw.Flush()
	return cw.Error()
}

// importRow is one parsed line.
type importRow struct {
	line       int
	slug       string
	product    ProductInput
	optNames   []string
	optValues  []string
	sku        string
	price      int64
	compareAt  *int64
	currency   string
	grams      int32
	barcode    string
	hasVariant bool
}

// ImportCSV upserts products (by slug) and variants (by SKU) from CSV. Every line is
// checked first, against the file and then against the catalog; if any line has a
// problem, the report lists each with its line number and nothing is written. A dry run
// checks and counts without writing.
//
// The file is applied in batches of whole products, each in its own transaction that
// ends by telling every replica which products changed: a 100,000-line file neither holds
// locks nor a statement for minutes, nor makes the storefront swallow one enormous change.
// If the process dies (or the database refuses a batch) midway, the batches before stay
// applied and the rest do not; products match by slug and variants by SKU, so importing
// the same file again finds the applied products unchanged and completes the rest.
func (s *Service) ImportCSV(ctx context.Context, actor audit.Actor, r io.Reader, dryRun bool) (ImportReport, error) {
	rep := ImportReport{DryRun: dryRun}
	cats, err := s.AdminListCategories(ctx)
	if err != nil {
		return rep, err
	}
	catBySlug := map[string]CategoryID{}
	for _, c := range cats {
		catBySlug[c.Slug] = c.ID
	}
	rows, errs := parseImport(r, catBySlug)
	rep.Rows = len(rows)
	// The shop sells in one currency: a variant priced in another would make every cart
	// holding it unpriceable. Prices are never converted, so such a row is refused.
	shop, priced, err := s.PricedCurrency(ctx)
	if err != nil {
		return rep, err
	}
	if !priced {
		shop = s.emptyCatalogCurrency(ctx)
	}
	for _, row := range rows {
		if row.hasVariant && row.currency != "" && row.currency != shop && len(errs) < maxReportedErrors {
			errs = append(errs, ImportError{Line: row.line, Column: "currency", Message: fmt.Sprintf(
				"The shop sells in %s (Settings, Store details) and prices are never converted: write this price in %s.", shop, shop)})
		}
	}
	slices.SortStableFunc(errs, func(a, b ImportError) int { return a.Line - b.Line })
	rep.Errors = errs
	if len(errs) > 0 {
		return rep, nil
	}
	batches := importBatches(rows, importBatchRows)
	// The check pass: plan every batch against the catalog as it is, for the report and
	// for the problems only the catalog can show (a SKU another product owns).
	pending := make([]bool, len(batches))
	for i, batch := range batches {
		st, err := s.loadImportState(ctx, s.pool, batch, false)
		if err != nil {
			return rep, err
		}
		plan, perr := planImport(batch, st)
		rep.Errors = append(rep.Errors, perr...)
		rep.Products += plan.products
		rep.Created += plan.created
		rep.Updated += plan.updated
		rep.Unchanged += plan.unchanged
		pending[i] = plan.created > 0 || plan.updated > 0
	}
	slices.SortStableFunc(rep.Errors, func(a, b ImportError) int { return a.Line - b.Line })
	if len(rep.Errors) > maxReportedErrors {
		rep.Errors = rep.Errors[:maxReportedErrors]
	}
	if len(rep.Errors) > 0 || dryRun || (rep.Created == 0 && rep.Updated == 0) {
		return rep, nil
	}
	wrote, applied := false, 0 // applied counts the lines of batches done
	for i, batch := range batches {
		if !pending[i] {
			applied += len(batch)
			continue
		}
		var changed []ProductID
		err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			// Planned again under the batch's locks: staff may have edited since the check.
			st, err := s.loadImportState(ctx, tx, batch, true)
			if err != nil {
				return err
			}
			plan, perr := planImport(batch, st)
			if len(perr) > 0 {
				return apperr.New(apperr.Conflict, fmt.Sprintf("Line %d: %s", perr[0].Line, perr[0].Message))
			}
			if changed, err = s.applyImport(ctx, tx, plan); err != nil {
				return err
			}
			// One entry says what the whole file does, with the first batch that writes.
			if s.audit != nil && !wrote {
				if err := s.audit.RecordTx(ctx, tx, audit.Entry{Actor: actor, Action: "catalog.import", ObjectType: "catalog",
					Changes: map[string]audit.Change{"rows": {After: rep.Rows}, "created": {After: rep.Created}, "updated": {After: rep.Updated}}}); err != nil {
					return err
				}
			}
			return s.finishWrite(ctx, tx, changed...)
		})
		if err != nil {
			if !wrote {
				return rep, err
			}
			rep.Applied = true
			return rep, fmt.Errorf("catalog: import stopped after %d of %d lines (import the file again to finish): %w", applied, rep.Rows, err)
		}
		wrote = true
		applied += len(batch)
		s.changed(ctx, changed...)
	}
	rep.Applied = true
	return rep, nil
}

// importBatchRows is about how many lines one import transaction writes; a product's
// lines stay together, so a batch may hold more.
const importBatchRows = 2000

// importBatches groups the lines by product, in the order products first appear, and
// cuts the products into batches of about size lines.
func importBatches(rows []importRow, size int) [][]importRow {
	order := []string{}
	bySlug := map[string][]importRow{}
	for _, r := range rows {
		if _, ok := bySlug[r.slug]; !ok {
			order = append(order, r.slug)
		}
		bySlug[r.slug] = append(bySlug[r.slug], r)
	}
	var batches [][]importRow
	var cur []importRow
	for _, slug := range order {
		cur = append(cur, bySlug[slug]...)
		if len(cur) >= size {
			batches = append(batches, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		batches = append(batches, cur)
	}
	return batches
}

// parseImport reads and checks every line on its own and across lines of a product.
func parseImport(r io.Reader, catBySlug map[string]CategoryID) ([]importRow, []ImportError) {
	var errs []ImportError
	add := func(line int, col, msg string) {
		if len(errs) < maxReportedErrors {
			errs = append(errs, ImportError{Line: line, Column: col, Message: msg})
		}
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		add(1, "", "The file is empty or not CSV.")
		return nil, errs
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff") // spreadsheet byte-order mark
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.ToLower(h))] = i
	}
	for _, c := range csvColumns {
		if _, ok := col[c]; !ok {
			add(1, c, "This column is missing from the header line.")
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var rows []importRow
	first := map[string]importRow{}
	skus := map[string]int{}
	combos := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			add(line, "", "This line is not valid CSV: "+csvProblem(err))
			// After a broken quote the rest of the file cannot be read reliably.
			return rows, errs
		}
		line, _ := cr.FieldPos(0)
		if len(rows) >= MaxImportRows {
			add(line, "", fmt.Sprintf("A file may have at most %d lines.", MaxImportRows))
			return rows, errs
		}
		get := func(name string) string {
			if i := col[name]; i < len(rec) {
				return rec[i]
			}
			return ""
		}
		if len(rec) != len(header) {
			add(line, "", fmt.Sprintf("This line has %d columns; the header has %d.", len(rec), len(header)))
			continue
		}
		for i, v := range rec {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				add(line, header[i], "Use UTF-8 text without control characters.")
			}
		}
		row := importRow{line: line, slug: strings.TrimSpace(get("product_slug"))}
		row.product = ProductInput{
			Title: get("title"), Slug: row.slug, Description: get("description"), Brand: get("brand"),
			Status: Status(strings.TrimSpace(strings.ToLower(get("status")))), SEOTitle: get("seo_title"), SEODescription: get("seo_description"),
		}
		switch strings.TrimSpace(strings.ToLower(get("featured"))) {
		case "true", "yes", "1":
			row.product.Featured = true
		case "false", "no", "0", "":
		default:
			add(line, "featured", "Write true or false.")
		}
		for _, slug := range strings.Split(get("categories"), "|") {
			if slug = strings.TrimSpace(slug); slug == "" {
				continue
			}
			id, ok := catBySlug[slug]
			if !ok {
				add(line, "categories", fmt.Sprintf("There is no category %q.", slug))
				continue
			}
			row.product.Categories = append(row.product.Categories, id)
		}
		for _, pair := range strings.Split(get("attributes"), "|") {
			if strings.TrimSpace(pair) == "" {
				continue
			}
			name, value, ok := strings.Cut(pair, "=")
			if !ok {
				add(line, "attributes", fmt.Sprintf("Write %q as Name=Value.", pair))
				continue
			}
			row.product.Attributes = append(row.product.Attributes, Attribute{Name: name, Value: value})
		}
		row.product.normalize()
		if row.slug == "" {
			add(line, "product_slug", "Every line needs the product's slug.")
		}
		for field, msg := range row.product.validate() {
			add(line, field, msg)
		}
		for i := 1; i <= 3; i++ {
			name := strings.TrimSpace(get(fmt.Sprintf("option%d_name", i)))
			value := strings.TrimSpace(get(fmt.Sprintf("option%d_value", i)))
			if (name == "") != (value == "") {
				add(line, fmt.Sprintf("option%d_value", i), "An option needs both a name and a value.")
				continue
			}
			if name != "" {
				row.optNames = append(row.optNames, name)
				row.optValues = append(row.optValues, value)
			}
		}
		row.sku = strings.TrimSpace(get("sku"))
		row.currency = strings.ToUpper(strings.TrimSpace(get("currency")))
		row.hasVariant = row.sku != ""
		if row.hasVariant {
			if len(row.sku) > 64 || strings.ContainsAny(row.sku, " \t") {
				add(line, "sku", "Use at most 64 characters without spaces.")
			}
			if prev, dup := skus[strings.ToLower(row.sku)]; dup {
				add(line, "sku", fmt.Sprintf("This SKU is already on line %d.", prev))
			}
			skus[strings.ToLower(row.sku)] = line
			if len(row.currency) != 3 || strings.ContainsFunc(row.currency, func(r rune) bool { return r < 'A' || r > 'Z' }) {
				add(line, "currency", "Use a three-letter currency code like USD.")
			}
			price, err := money.ParseDecimal(get("price"), row.currency)
			if err != nil || price.Minor < 0 {
				add(line, "price", "Write the price like 19.99.")
			}
			row.price = price.Minor
			if c := strings.TrimSpace(get("compare_at_price")); c != "" {
				amt, err := money.ParseDecimal(c, row.currency)
				switch {
				case err != nil || amt.Minor < 0:
					add(line, "compare_at_price", "Write the price like 24.99, or leave it empty.")
				case amt.Minor <= price.Minor:
					add(line, "compare_at_price", "The compare-at price must be higher than the price.")
				default:
					row.compareAt = &amt.Minor
				}
			}
			if g := strings.TrimSpace(get("weight_grams")); g != "" {
				n, err := strconv.ParseInt(g, 10, 32)
				if err != nil || n < 0 || n > 1_000_000 {
					add(line, "weight_grams", "Write the weight in whole grams.")
				}
				row.grams = int32(n)
			}
			row.barcode = strings.TrimSpace(get("barcode"))
			if len(row.barcode) > 64 {
				add(line, "barcode", "Use at most 64 characters.")
			}
			key := row.slug + "\x00" + strings.ToLower(strings.Join(row.optValues, "\x00"))
			if prev, dup := combos[key]; dup {
				add(line, "option1_value", fmt.Sprintf("Line %d already has these option values for this product.", prev))
			}
			combos[key] = line
		}
		if f, seen := first[row.slug]; seen && row.slug != "" {
			if !sameProduct(f.product, row.product) {
				add(line, "title", fmt.Sprintf("The product columns differ from line %d of the same product.", f.line))
			}
			if !slices.Equal(f.optNames, row.optNames) {
				add(line, "option1_name", fmt.Sprintf("The option names differ from line %d of the same product.", f.line))
			}
			// Keep one copy of the product columns per product, and only the variant's own
			// fields of this line: a large file then costs about its variant data in memory.
			row.product, row.optNames = f.product, f.optNames
			row.sku, row.currency, row.barcode = strings.Clone(row.sku), strings.Clone(row.currency), strings.Clone(row.barcode)
			for i := range row.optValues {
				row.optValues[i] = strings.Clone(row.optValues[i])
			}
		} else if row.slug != "" {
			first[row.slug] = row
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 && len(errs) == 0 {
		add(2, "", "The file has a header but no products.")
	}
	return rows, errs
}

func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return "unreadable"
}

func sameProduct(a, b ProductInput) bool {
	return a.Title == b.Title && a.Description == b.Description && a.Brand == b.Brand && a.Status == b.Status &&
		a.Featured == b.Featured && a.SEOTitle == b.SEOTitle && a.SEODescription == b.SEODescription &&
		slices.Equal(a.Categories, b.Categories) && slices.Equal(a.Attributes, b.Attributes)
}

// importState is the catalog as an import compares against it.
type importState struct {
	products map[string]*stateProduct // by slug
	skuOwner map[string]string        // lower(sku) → product slug
}

type stateProduct struct {
	id       ProductID
	version  int
	input    ProductInput
	optNames []string
	variants map[string]stateVariant // by lower(sku)
}

type stateVariant struct {
	id        VariantID
	sku       string
	price     int64
	compareAt *int64
	currency  string
	grams     int32
	barcode   string
	values    []string
	archived  bool
}

// loadImportState reads the products a batch of lines names (by slug) and the owners of
// the SKUs it uses, in a fixed number of queries. lock holds the products until the
// transaction ends, so nobody edits them between the comparison and the write.
func (s *Service) loadImportState(ctx context.Context, q dbsqlc.DBTX, batch []importRow, lock bool) (importState, error) {
	st := importState{products: map[string]*stateProduct{}, skuOwner: map[string]string{}}
	var slugs, skus []string
	for _, r := range batch {
		if len(slugs) == 0 || slugs[len(slugs)-1] != r.slug {
			slugs = append(slugs, r.slug)
		}
		if r.hasVariant {
			skus = append(skus, strings.ToLower(r.sku))
		}
	}
	lockClause := ""
	if lock {
		lockClause = "ORDER BY p.id FOR NO KEY UPDATE OF p"
	}
	byID := map[ProductID]*stateProduct{}
	rows, err := q.Query(ctx, `
		SELECT p.id, p.slug, p.title, p.description, p.brand, p.status, p.featured, p.seo_title, p.seo_description, p.version,
		       coalesce((SELECT array_agg(pc.category_id ORDER BY pc.category_id) FROM catalog.product_categories pc WHERE pc.product_id = p.id), '{}'),
		       coalesce((SELECT array_agg(a.name ORDER BY a.name) FROM catalog.product_attributes a WHERE a.product_id = p.id), '{}'),
		       coalesce((SELECT array_agg(a.value ORDER BY a.name) FROM catalog.product_attributes a WHERE a.product_id = p.id), '{}'),
		       coalesce((SELECT array_agg(o.name ORDER BY o.position, o.id) FROM catalog.options o WHERE o.product_id = p.id), '{}')
		FROM catalog.products p WHERE p.slug = ANY ($1::text[]) `+lockClause, slugs)
	if err != nil {
		return st, fmt.Errorf("catalog: import: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var p stateProduct
		var status string
		var cats []int64
		var attrNames, attrValues []string
		if err := rows.Scan(&p.id, &p.input.Slug, &p.input.Title, &p.input.Description, &p.input.Brand, &status, &p.input.Featured,
			&p.input.SEOTitle, &p.input.SEODescription, &p.version, &cats, &attrNames, &attrValues, &p.optNames); err != nil {
			rows.Close()
			return st, fmt.Errorf("catalog: import: %w", err)
		}
		p.input.Status = Status(status)
		for _, c := range cats {
			p.input.Categories = append(p.input.Categories, CategoryID(c))
		}
		for i := range attrNames {
			p.input.Attributes = append(p.input.Attributes, Attribute{Name: attrNames[i], Value: attrValues[i]})
		}
		p.variants = map[string]stateVariant{}
		st.products[p.input.Slug] = &p
		byID[p.id] = &p
		ids = append(ids, int64(p.id))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("catalog: import: %w", err)
	}
	rows, err = q.Query(ctx, `
		SELECT v.id, v.product_id, v.sku, v.price_minor, v.compare_at_minor, v.currency, v.weight_grams, v.barcode, v.status,
		       coalesce((SELECT array_agg(ov.value ORDER BY o.position, o.id) FROM catalog.variant_option_values vov
		                 JOIN catalog.option_values ov ON ov.id = vov.option_value_id
		                 JOIN catalog.options o ON o.id = ov.option_id WHERE vov.variant_id = v.id), '{}')
		FROM catalog.variants v WHERE v.product_id = ANY ($1::bigint[])`, ids)
	if err != nil {
		return st, fmt.Errorf("catalog: import: %w", err)
	}
	for rows.Next() {
		var v stateVariant
		var pid ProductID
		var status string
		if err := rows.Scan(&v.id, &pid, &v.sku, &v.price, &v.compareAt, &v.currency, &v.grams, &v.barcode, &status, &v.values); err != nil {
			rows.Close()
			return st, fmt.Errorf("catalog: import: %w", err)
		}
		v.archived = status == "archived"
		if p := byID[pid]; p != nil {
			p.variants[strings.ToLower(v.sku)] = v
			st.skuOwner[strings.ToLower(v.sku)] = p.input.Slug
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("catalog: import: %w", err)
	}
	// SKUs of products outside the batch: the file may not take them over.
	rows, err = q.Query(ctx, `
		SELECT lower(v.sku), p.slug FROM catalog.variants v JOIN catalog.products p ON p.id = v.product_id
		WHERE lower(v.sku) = ANY ($1::text[])`, skus)
	if err != nil {
		return st, fmt.Errorf("catalog: import: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sku, slug string
		if err := rows.Scan(&sku, &slug); err != nil {
			return st, fmt.Errorf("catalog: import: %w", err)
		}
		st.skuOwner[sku] = slug
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("catalog: import: %w", err)
	}
	return st, nil
}

// importPlan is what applying the file would change.
type importPlan struct {
	products, created, updated, unchanged int
	// work lists, per product slug in file order, what to write.
	work []*productWork
}

type productWork struct {
	slug      string
	existing  *stateProduct
	input     ProductInput
	optNames  []string
	newOpts   bool // option names changed: rebuild options
	saveProd  bool
	variants  []importRow
	changedVs []bool
	values    map[string][]string // option name → values in first-seen order
}

func planImport(rows []importRow, st importState) (importPlan, []ImportError) {
	var plan importPlan
	var errs []ImportError
	bySlug := map[string]*productWork{}
	for _, r := range rows {
		w, ok := bySlug[r.slug]
		if !ok {
			w = &productWork{slug: r.slug, existing: st.products[r.slug], input: r.product, optNames: r.optNames, values: map[string][]string{}}
			bySlug[r.slug] = w
			plan.work = append(plan.work, w)
			if w.existing == nil {
				w.saveProd = true
				w.newOpts = true
			} else {
				w.saveProd = !sameProduct(w.existing.input, r.product)
				w.newOpts = !slices.Equal(w.existing.optNames, r.optNames)
			}
		}
		if owner, ok := st.skuOwner[strings.ToLower(r.sku)]; ok && r.hasVariant && owner != r.slug {
			errs = append(errs, ImportError{Line: r.line, Column: "sku", Message: fmt.Sprintf("This SKU belongs to product %q.", owner)})
			continue
		}
		for i, name := range r.optNames {
			if !slices.Contains(w.values[name], r.optValues[i]) {
				w.values[name] = append(w.values[name], r.optValues[i])
			}
		}
		changed := true
		if r.hasVariant && w.existing != nil {
			if v, ok := w.existing.variants[strings.ToLower(r.sku)]; ok {
				changed = w.newOpts || v.archived || v.sku != r.sku || v.price != r.price || !equalPtr(v.compareAt, r.compareAt) ||
					v.currency != r.currency || v.grams != r.grams || v.barcode != r.barcode || !slices.Equal(v.values, r.optValues)
			}
		} else if !r.hasVariant {
			changed = w.saveProd
		}
		w.variants = append(w.variants, r)
		w.changedVs = append(w.changedVs, changed)
	}
	for _, w := range plan.work {
		plan.products++
		for i, r := range w.variants {
			isNew := w.existing == nil || (r.hasVariant && !hasSKU(w.existing, r.sku))
			switch {
			case isNew:
				plan.created++
			case w.changedVs[i] || w.saveProd:
				plan.updated++
			default:
				plan.unchanged++
			}
		}
	}
	return plan, errs
}

func hasSKU(p *stateProduct, sku string) bool {
	_, ok := p.variants[strings.ToLower(sku)]
	return ok
}

func equalPtr(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// applyImport writes the plan; it returns the products it touched.
func (s *Service) applyImport(ctx context.Context, tx pgx.Tx, plan importPlan) ([]ProductID, error) {
	var touched []ProductID
	for _, w := range plan.work {
		anyChange := w.saveProd || w.newOpts || slices.Contains(w.changedVs, true) || w.existing == nil
		if !anyChange {
			continue
		}
		var id ProductID
		if w.existing == nil {
			var pid int64
			err := tx.QueryRow(ctx, `
				INSERT INTO catalog.products (slug, title, description, brand, status, featured, seo_title, seo_description, published_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $5 = 'active' THEN now() END) RETURNING id`,
				w.slug, w.input.Title, w.input.Description, w.input.Brand, string(w.input.Status), w.input.Featured,
				w.input.SEOTitle, w.input.SEODescription).Scan(&pid)
			if err != nil {
				return nil, slugConflict(err)
			}
			id = ProductID(pid)
		} else {
			id = w.existing.id
			if w.saveProd {
				if _, err := tx.Exec(ctx, `
					UPDATE catalog.products SET title = $2, description = $3, brand = $4, status = $5, featured = $6,
					    seo_title = $7, seo_description = $8, version = version + 1, updated_at = now(),
					    published_at = CASE WHEN $5 = 'active' AND published_at IS NULL THEN now() ELSE published_at END
					WHERE id = $1`, int64(id), w.input.Title, w.input.Description, w.input.Brand, string(w.input.Status),
					w.input.Featured, w.input.SEOTitle, w.input.SEODescription); err != nil {
					return nil, interpretError(err, "product")
				}
			} else if _, err := tx.Exec(ctx, `UPDATE catalog.products SET version = version + 1, updated_at = now() WHERE id = $1`, int64(id)); err != nil {
				return nil, interpretError(err, "product")
			}
		}
		touched = append(touched, id)
		if w.saveProd || w.existing == nil {
			if err := s.writeCategoriesAndAttributes(ctx, tx, id, w.input); err != nil {
				return nil, err
			}
		}
		valueIDs, err := s.syncImportOptions(ctx, tx, id, w)
		if err != nil {
			return nil, err
		}
		for i, r := range w.variants {
			if !r.hasVariant || (!w.changedVs[i] && !w.newOpts) {
				continue
			}
			title := "Default"
			if len(r.optValues) > 0 {
				title = strings.Join(r.optValues, " / ")
			}
			var vid int64
			if w.existing != nil && hasSKU(w.existing, r.sku) {
				vid = int64(w.existing.variants[strings.ToLower(r.sku)].id)
				if _, err := tx.Exec(ctx, `
					UPDATE catalog.variants SET sku = $2, title = $3, price_minor = $4, compare_at_minor = $5, currency = $6,
					    weight_grams = $7, barcode = $8, position = $9, status = 'active', updated_at = now()
					WHERE id = $1`, vid, r.sku, title, r.price, r.compareAt, r.currency, r.grams, r.barcode, i); err != nil {
					return nil, interpretError(err, "variant")
				}
				if _, err := tx.Exec(ctx, `DELETE FROM catalog.variant_option_values WHERE variant_id = $1`, vid); err != nil {
					return nil, interpretError(err, "variant")
				}
			} else {
				if err := tx.QueryRow(ctx, `
					INSERT INTO catalog.variants (product_id, sku, title, price_minor, compare_at_minor, currency, weight_grams, barcode, position)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
					int64(id), r.sku, title, r.price, r.compareAt, r.currency, r.grams, r.barcode, i).Scan(&vid); err != nil {
					return nil, interpretError(err, "variant")
				}
			}
			for oi, name := range r.optNames {
				if _, err := tx.Exec(ctx, `INSERT INTO catalog.variant_option_values (variant_id, option_value_id) VALUES ($1, $2)`,
					vid, valueIDs[[2]string{name, r.optValues[oi]}]); err != nil {
					return nil, interpretError(err, "variant")
				}
			}
		}
	}
	return touched, nil
}

// syncImportOptions makes the product's options hold every value the file uses: when the
// option names changed they are rebuilt (variants missing from the file lose their values
// and are archived), otherwise missing values are added.
func (s *Service) syncImportOptions(ctx context.Context, tx pgx.Tx, id ProductID, w *productWork) (map[[2]string]int64, error) {
	ids := map[[2]string]int64{}
	restoreImages := func() error { return nil }
	if w.newOpts {
		var err error
		if restoreImages, err = s.keepImageValues(ctx, tx, id); err != nil {
			return nil, err
		}
		if w.existing != nil {
			if _, err := tx.Exec(ctx, `
				UPDATE catalog.variants SET status = 'archived', updated_at = now()
				WHERE product_id = $1 AND NOT (lower(sku) = ANY($2::text[]))`, int64(id), importedSKUs(w)); err != nil {
				return nil, interpretError(err, "variants")
			}
		}
		if err := s.q.OptionsDelete(ctx, tx, int64(id)); err != nil {
			return nil, interpretError(err, "options")
		}
	}
	existing, err := tx.Query(ctx, `
		SELECT o.name, ov.value, ov.id FROM catalog.options o JOIN catalog.option_values ov ON ov.option_id = o.id
		WHERE o.product_id = $1`, int64(id))
	if err != nil {
		return nil, interpretError(err, "options")
	}
	for existing.Next() {
		var name, value string
		var vid int64
		if err := existing.Scan(&name, &value, &vid); err != nil {
			existing.Close()
			return nil, interpretError(err, "options")
		}
		ids[[2]string{name, value}] = vid
	}
	existing.Close()
	for pos, name := range w.optNames {
		var oid int64
		err := tx.QueryRow(ctx, `SELECT id FROM catalog.options WHERE product_id = $1 AND name = $2`, int64(id), name).Scan(&oid)
		if errors.Is(err, pgx.ErrNoRows) {
			err = tx.QueryRow(ctx, `INSERT INTO catalog.options (product_id, name, position) VALUES ($1, $2, $3) RETURNING id`, int64(id), name, pos).Scan(&oid)
		}
		if err != nil {
			return nil, interpretError(err, "option")
		}
		for vpos, value := range w.values[name] {
			if _, ok := ids[[2]string{name, value}]; ok {
				continue
			}
			var vid int64
			if err := tx.QueryRow(ctx, `
				INSERT INTO catalog.option_values (option_id, value, position)
				VALUES ($1, $2, (SELECT coalesce(max(position) + 1, $3) FROM catalog.option_values WHERE option_id = $1)) RETURNING id`,
				oid, value, vpos).Scan(&vid); err != nil {
				return nil, interpretError(err, "option value")
			}
			ids[[2]string{name, value}] = vid
		}
	}
	if err := restoreImages(); err != nil {
		return nil, err
	}
	return ids, nil
}

func importedSKUs(w *productWork) []string {
	var out []string
	for _, r := range w.variants {
		if r.hasVariant {
			out = append(out, strings.ToLower(r.sku))
		}
	}
	return out
}
