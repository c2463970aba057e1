package catalog

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/monoshop/monoshop/internal/catalog/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// Status is a product's place in its life: drafts are invisible, archived ones retired.
type Status string

const (
	StatusDraft    Status = "draft"
	StatusActive   Status = "active"
	StatusArchived Status = "archived"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s == StatusDraft || s == StatusActive || s == StatusArchived }

// UseAudit attaches the audit log every back-office write records to.
func (s *Service) UseAudit(r audit.Recorder) { s.audit = r }

// ErrStale is what an editor gets when someone else saved the product after they opened it.
var ErrStale = apperr.New(apperr.Conflict, "Someone else changed this product since you opened it. Reload to see their changes, then make yours again.")

// AdminProductFilter narrows the back-office product list.
type AdminProductFilter struct {
	Search   string
	Status   Status
	Category CategoryID
	Page     int
	PerPage  int
}

// AdminProductRow is one line of the back-office product list.
type AdminProductRow struct {
	ID           ProductID
	Slug         string
	Title        string
	Brand        string
	Status       Status
	Featured     bool
	Version      int
	VariantCount int
	MinPrice     *money.Amount
	UpdatedAt    time.Time
}

// slugPattern is what a product or category web address may look like.
var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// AdminListProducts lists products in every status, most recently changed first.
func (s *Service) AdminListProducts(ctx context.Context, f AdminProductFilter) ([]AdminProductRow, int, error) {
	per := f.PerPage
	if per <= 0 || per > 200 {
		per = 50
	}
	page := max(f.Page, 1)
	search := likeEscaper.Replace(cleanQuery(f.Search))
	status := string(f.Status)
	if !f.Status.Valid() {
		status = ""
	}
	rows, err := s.q.AdminProductList(ctx, s.pool, dbsqlc.AdminProductListParams{
		Status: status, CategoryID: int64(f.Category), Search: search, MaxRows: int32(per), Skip: db.Offset(page, per),
	})
	if err != nil {
		return nil, 0, interpretError(err, "products")
	}
	total, err := s.q.AdminProductCount(ctx, s.pool, dbsqlc.AdminProductCountParams{Status: status, CategoryID: int64(f.Category), Search: search})
	if err != nil {
		return nil, 0, interpretError(err, "products")
	}
	out := make([]AdminProductRow, len(rows))
	for i, r := range rows {
		out[i] = AdminProductRow{ID: ProductID(r.ID), Slug: r.Slug, Title: r.Title, Brand: r.Brand, Status: Status(r.Status),
			Featured: r.Featured, Version: int(r.Version), VariantCount: int(r.VariantCount), UpdatedAt: r.UpdatedAt}
		if r.VariantCount > 0 {
			m := money.New(r.MinPrice, r.Currency)
			out[i].MinPrice = &m
		}
	}
	return out, int(total), nil
}

// AdminProduct is a product as the editor sees it, in any status, with every variant and
// image (also archived variants and images still rendering).
type AdminProduct struct {
	Product
	Status   Status
	Version  int
	Variants []AdminVariant
	AllImage []AdminImage
}

// AdminVariant is a variant with its status and option values by name.
type AdminVariant struct {
	Variant
	// Barcode (GTIN, EAN, UPC) is for staff and feeds; the storefront does not show it,
	// so its read model does not keep it.
	Barcode  string
	Archived bool
	// Values maps option name to value.
	Values map[string]string
}

// AdminImage is an image with whether its sizes are ready.
type AdminImage struct {
	Image
	Position int
	Rendered bool
}

// AdminGetProduct loads a product for editing.
func (s *Service) AdminGetProduct(ctx context.Context, id ProductID) (AdminProduct, error) {
	return s.adminProduct(ctx, s.pool, id)
}

func (s *Service) adminProduct(ctx context.Context, q dbsqlc.DBTX, id ProductID) (AdminProduct, error) {
	r, err := s.q.AdminProductGet(ctx, q, int64(id))
	if err != nil {
		return AdminProduct{}, interpretError(err, "Product")
	}
	p := AdminProduct{Status: Status(r.Status), Version: int(r.Version)}
	p.Product = Product{ID: id, Slug: r.Slug, Title: r.Title, Description: r.Description, Brand: r.Brand,
		Featured: r.Featured, SEOTitle: r.SeoTitle, SEODescription: r.SeoDescription, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.PublishedAt != nil {
		p.PublishedAt = *r.PublishedAt
	}
	cats, err := s.q.ProductCategoryList(ctx, q, int64(id))
	if err != nil {
		return p, interpretError(err, "categories")
	}
	for _, c := range cats {
		p.CategoryIDs = append(p.CategoryIDs, CategoryID(c))
	}
	attrs, err := s.q.ProductAttributeList(ctx, q, int64(id))
	if err != nil {
		return p, interpretError(err, "attributes")
	}
	for _, a := range attrs {
		p.Attributes = append(p.Attributes, Attribute{Name: a.Name, Value: a.Value})
	}
	opts, err := s.q.OptionList(ctx, q, int64(id))
	if err != nil {
		return p, interpretError(err, "options")
	}
	vals, err := s.q.OptionValueListForProduct(ctx, q, int64(id))
	if err != nil {
		return p, interpretError(err, "options")
	}
	valueName := map[int64][2]string{}
	for _, o := range opts {
		opt := Option{ID: o.ID, Name: o.Name}
		for _, v := range vals {
			if v.OptionID == o.ID {
				opt.Values = append(opt.Values, OptionValue{ID: v.ID, Value: v.Value})
				valueName[v.ID] = [2]string{o.Name, v.Value}
			}
		}
		p.Options = append(p.Options, opt)
	}
	links, err := s.q.VariantOptionValueListForProduct(ctx, q, int64(id))
	if err != nil {
		return p, interpretError(err, "variants")
	}
	byVariant := map[int64][]int64{}
	for _, l := range links {
		byVariant[l.VariantID] = append(byVariant[l.VariantID], l.OptionValueID)
	}
	vars, err := s.q.VariantListForProduct(ctx, q, int64(id))
	if err != nil {
		return p, interpretError(err, "variants")
	}
	for _, v := range vars {
		av := AdminVariant{Archived: v.Status == "archived", Values: map[string]string{}, Barcode: v.Barcode}
		av.Variant = Variant{ID: VariantID(v.ID), ProductID: id, SKU: v.Sku, Title: v.Title,
			Price: money.New(v.PriceMinor, v.Currency), WeightGrams: int(v.WeightGrams)}
		if v.CompareAtMinor != nil {
			c := money.New(*v.CompareAtMinor, v.Currency)
			av.CompareAt = &c
		}
		for _, ov := range byVariant[v.ID] {
			av.OptionValueIDs = append(av.OptionValueIDs, ov)
			nv := valueName[ov]
			av.Values[nv[0]] = nv[1]
		}
		p.Variants = append(p.Variants, av)
	}
	imgs, err := s.q.ImageListForProduct(ctx, q, int64(id))
	if err != nil {
		return p, interpretError(err, "images")
	}
	for _, im := range imgs {
		ai := AdminImage{Image: Image{ID: im.ID, Alt: im.Alt, Width: int(im.Width), Height: int(im.Height), Hash: im.Hash},
			Position: int(im.Position), Rendered: im.RenderedAt != nil}
		if im.OptionValueID != nil {
			ai.OptionValueID = *im.OptionValueID
		}
		p.AllImage = append(p.AllImage, ai)
	}
	return p, nil
}

// ProductInput is what the product editor's main form sets.
type ProductInput struct {
	Title          string
	Slug           string // empty: made from the title
	Description    string
	Brand          string
	Status         Status
	Featured       bool
	SEOTitle       string
	SEODescription string
	Categories     []CategoryID
	Attributes     []Attribute
}

func (in *ProductInput) normalize() {
	in.Title = strings.TrimSpace(in.Title)
	in.Slug = strings.TrimSpace(strings.ToLower(in.Slug))
	if in.Slug == "" {
		in.Slug = slugify(in.Title)
	}
	in.Brand = strings.TrimSpace(in.Brand)
	in.SEOTitle = strings.TrimSpace(in.SEOTitle)
	in.SEODescription = strings.TrimSpace(in.SEODescription)
	if in.Status == "" {
		in.Status = StatusDraft
	}
	for i := range in.Attributes {
		in.Attributes[i].Name = strings.TrimSpace(in.Attributes[i].Name)
		in.Attributes[i].Value = strings.TrimSpace(in.Attributes[i].Value)
	}
	in.Attributes = slices.DeleteFunc(in.Attributes, func(a Attribute) bool { return a.Name == "" && a.Value == "" })
	slices.Sort(in.Categories)
	in.Categories = slices.Compact(in.Categories)
}

// validate returns per-field messages.
func (in ProductInput) validate() map[string]string {
	f := map[string]string{}
	textField(f, "title", in.Title, true, 200, "a title")
	textField(f, "brand", in.Brand, false, 120, "")
	textField(f, "seo_title", in.SEOTitle, false, 200, "")
	textField(f, "seo_description", in.SEODescription, false, 400, "")
	if !utf8.ValidString(in.Description) || strings.ContainsRune(in.Description, 0) {
		f["description"] = "Use only ordinary characters."
	} else if len(in.Description) > 20000 {
		f["description"] = "Keep the description under 20,000 characters."
	}
	if !slugPattern.MatchString(in.Slug) || len(in.Slug) > 200 {
		f["slug"] = "Use lower-case letters, digits and single hyphens, like classic-tee."
	}
	if !in.Status.Valid() {
		f["status"] = "Choose draft, active or archived."
	}
	seen := map[string]bool{}
	for _, a := range in.Attributes {
		key := strings.ToLower(a.Name)
		switch {
		case a.Name == "" || a.Value == "":
			f["attributes"] = "Give every attribute a name and a value."
		case utf8.RuneCountInString(a.Name) > 60 || utf8.RuneCountInString(a.Value) > 120:
			f["attributes"] = "Attribute names are at most 60 characters, values 120."
		case seen[key]:
			f["attributes"] = "Each attribute name may appear once."
		}
		seen[key] = true
	}
	return f
}

// CreateProduct creates a product (a draft unless told otherwise) with no variants yet;
// the editor adds options and prices next.
func (s *Service) CreateProduct(ctx context.Context, actor audit.Actor, in ProductInput) (ProductID, error) {
	in.normalize()
	if f := in.validate(); len(f) > 0 {
		return 0, apperr.InvalidFields("Please correct the highlighted fields.", f)
	}
	var id ProductID
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var published *time.Time
		if in.Status == StatusActive {
			now := time.Now()
			published = &now
		}
		pid, err := s.q.ProductInsert(ctx, tx, dbsqlc.ProductInsertParams{Slug: in.Slug, Title: in.Title, Description: in.Description,
			Brand: in.Brand, Status: string(in.Status), Featured: in.Featured, PublishedAt: published})
		if err != nil {
			return slugConflict(err)
		}
		id = ProductID(pid)
		if _, err := tx.Exec(ctx, `UPDATE catalog.products SET seo_title = $2, seo_description = $3 WHERE id = $1`, pid, in.SEOTitle, in.SEODescription); err != nil {
			return interpretError(err, "product")
		}
		if err := s.q.SlugRedirectDelete(ctx, tx, in.Slug); err != nil {
			return interpretError(err, "product")
		}
		if err := s.writeCategoriesAndAttributes(ctx, tx, id, in); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, "product.create", id, map[string]audit.Change{
			"title": {After: in.Title}, "slug": {After: in.Slug}, "status": {After: string(in.Status)},
		}); err != nil {
			return err
		}
		return s.finishWrite(ctx, tx, id)
	})
	if err != nil {
		return 0, err
	}
	s.changed(ctx, id)
	return id, nil
}

// UpdateProduct saves the editor's main form. version is the version the editor opened;
// if the product changed since, nothing is written and ErrStale says so. A changed slug
// keeps answering at the old address with a redirect.
func (s *Service) UpdateProduct(ctx context.Context, actor audit.Actor, id ProductID, version int, in ProductInput) (int, error) {
	in.normalize()
	if f := in.validate(); len(f) > 0 {
		return 0, apperr.InvalidFields("Please correct the highlighted fields.", f)
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
		v, err := s.q.AdminProductUpdate(ctx, tx, dbsqlc.AdminProductUpdateParams{ID: int64(id), Slug: in.Slug, Title: in.Title,
			Description: in.Description, Brand: in.Brand, Status: string(in.Status), Featured: in.Featured,
			SeoTitle: in.SEOTitle, SeoDescription: in.SEODescription})
		if err != nil {
			return slugConflict(err)
		}
		newVersion = int(v)
		if cur.Slug != in.Slug {
			if err := s.q.SlugRedirectInsert(ctx, tx, dbsqlc.SlugRedirectInsertParams{OldSlug: cur.Slug, ProductID: int64(id)}); err != nil {
				return interpretError(err, "product")
			}
			if err := s.q.SlugRedirectDelete(ctx, tx, in.Slug); err != nil {
				return interpretError(err, "product")
			}
		}
		if err := s.writeCategoriesAndAttributes(ctx, tx, id, in); err != nil {
			return err
		}
		changes := audit.Diff(productFields(before.Product, before.Status), productFields(Product{
			Slug: in.Slug, Title: in.Title, Description: in.Description, Brand: in.Brand, Featured: in.Featured,
			SEOTitle: in.SEOTitle, SEODescription: in.SEODescription, CategoryIDs: in.Categories, Attributes: in.Attributes,
		}, in.Status))
		if err := s.record(ctx, tx, actor, "product.update", id, changes); err != nil {
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

func productFields(p Product, status Status) map[string]any {
	attrs := map[string]string{}
	for _, a := range p.Attributes {
		attrs[a.Name] = a.Value
	}
	cats := make([]int64, len(p.CategoryIDs))
	for i, c := range p.CategoryIDs {
		cats[i] = int64(c)
	}
	slices.Sort(cats)
	return map[string]any{
		"slug": p.Slug, "title": p.Title, "description": p.Description, "brand": p.Brand, "status": string(status),
		"featured": p.Featured, "seo_title": p.SEOTitle, "seo_description": p.SEODescription,
		"categories": fmt.Sprint(cats), "attributes": fmt.Sprint(attrs),
	}
}

// lockProduct takes the product's row lock and checks the editor's version.
func (s *Service) lockProduct(ctx context.Context, tx pgx.Tx, id ProductID, version int) (dbsqlc.CatalogProduct, error) {
	cur, err := s.q.AdminProductLock(ctx, tx, int64(id))
	if err != nil {
		return cur, interpretError(err, "Product")
	}
	if int(cur.Version) != version {
		return cur, ErrStale
	}
	return cur, nil
}

func (s *Service) writeCategoriesAndAttributes(ctx context.Context, tx pgx.Tx, id ProductID, in ProductInput) error {
	// A product keeps its place in the categories it stays in: position is the
	// category's merchandising order, and saving a description must not move the
	// product to the top of its category.
	keep := make([]int64, len(in.Categories))
	for i, c := range in.Categories {
		keep[i] = int64(c)
	}
	if err := s.q.ProductCategoriesKeep(ctx, tx, dbsqlc.ProductCategoriesKeepParams{ProductID: int64(id), Keep: keep}); err != nil {
		return interpretError(err, "categories")
	}
	for _, c := range in.Categories {
		if err := s.q.ProductCategoryAppend(ctx, tx, dbsqlc.ProductCategoryAppendParams{ProductID: int64(id), CategoryID: int64(c)}); err != nil {
			// A foreign key violation: the category was deleted while the form was open.
			if pgErr := (*pgconn.PgError)(nil); errors.As(err, &pgErr) && pgErr.Code == "23503" {
				return apperr.InvalidFields("Please correct the highlighted fields.", map[string]string{"categories": "One of the chosen categories no longer exists."})
			}
			return interpretError(err, "category")
		}
	}
	if err := s.q.ProductAttributesDelete(ctx, tx, int64(id)); err != nil {
		return interpretError(err, "attributes")
	}
	for _, a := range in.Attributes {
		if err := s.q.ProductAttributeInsert(ctx, tx, dbsqlc.ProductAttributeInsertParams{ProductID: int64(id), Name: a.Name, Value: a.Value}); err != nil {
			return interpretError(err, "attribute")
		}
	}
	return nil
}

// finishWrite refreshes the search document and vocabulary and tells every replica.
func (s *Service) finishWrite(ctx context.Context, tx pgx.Tx, ids ...ProductID) error {
	raw := make([]int64, len(ids))
	for i, id := range ids {
		raw[i] = int64(id)
	}
	if _, err := tx.Exec(ctx, `SELECT catalog.refresh_search($1::bigint[])`, raw); err != nil {
		return fmt.Errorf("catalog: refresh search: %w", err)
	}
	if err := refreshSearchTerms(ctx, tx, ids); err != nil {
		return err
	}
	return s.cache.notifyProducts(ctx, tx, ids...)
}

func (s *Service) record(ctx context.Context, tx pgx.Tx, actor audit.Actor, action string, id ProductID, changes map[string]audit.Change) error {
	if s.audit == nil || len(changes) == 0 {
		return nil
	}
	return s.audit.RecordTx(ctx, tx, audit.Entry{Actor: actor, Action: action, ObjectType: "product", ObjectID: fmt.Sprint(int64(id)), Changes: changes})
}

func slugConflict(err error) error {
	if apperr.Is(interpretError(err, "product"), apperr.Conflict) {
		return apperr.InvalidFields("Please correct the highlighted fields.", map[string]string{"slug": "Another product already uses this web address."})
	}
	return interpretError(err, "product")
}

// SetProductsStatus publishes, unpublishes (draft) or archives several products at once.
// It returns how many changed.
func (s *Service) SetProductsStatus(ctx context.Context, actor audit.Actor, ids []ProductID, status Status) (int, error) {
	if !status.Valid() {
		return 0, apperr.New(apperr.Invalid, "Choose draft, active or archived.")
	}
	if len(ids) == 0 {
		return 0, apperr.New(apperr.Invalid, "Select at least one product.")
	}
	if len(ids) > 1000 {
		return 0, apperr.New(apperr.Invalid, "Change at most 1,000 products at once.")
	}
	var n int64
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		raw := make([]int64, len(ids))
		for i, id := range ids {
			raw[i] = int64(id)
		}
		var err error
		if n, err = s.q.AdminProductSetStatus(ctx, tx, dbsqlc.AdminProductSetStatusParams{Status: string(status), Ids: raw}); err != nil {
			return interpretError(err, "products")
		}
		for _, id := range ids {
			if err := s.record(ctx, tx, actor, "product.status", id, map[string]audit.Change{"status": {After: string(status)}}); err != nil {
				return err
			}
		}
		return s.finishWrite(ctx, tx, ids...)
	})
	if err != nil {
		return 0, err
	}
	s.changed(ctx, ids...)
	return int(n), nil
}

// textField checks a one-line text field and records a message in f when it fails.
func textField(f map[string]string, field, value string, required bool, limit int, label string) {
	switch {
	case required && value == "":
		f[field] = "Enter " + label + "."
	case !utf8.ValidString(value) || strings.ContainsAny(value, "\x00\r\n"):
		f[field] = "Use only ordinary characters on one line."
	case utf8.RuneCountInString(value) > limit:
		f[field] = fmt.Sprintf("Keep it under %d characters.", limit)
	}
}
