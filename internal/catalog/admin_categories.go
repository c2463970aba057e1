package catalog

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/catalog/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// CategoryInput is the category editor's form.
type CategoryInput struct {
	Name           string
	Slug           string // empty: made from the name
	Parent         CategoryID
	Description    string
	Position       int
	SEOTitle       string
	SEODescription string
	Featured       bool
}

// AdminCategory is a category with its place in the tree for the editor.
type AdminCategory struct {
	Category
	Position int
	Depth    int
}

// AdminListCategories returns the whole tree in display order, parents before children,
// with each category's depth for indentation.
func (s *Service) AdminListCategories(ctx context.Context) ([]AdminCategory, error) {
	rows, err := s.q.CategoryListAll(ctx, s.pool)
	if err != nil {
		return nil, interpretError(err, "categories")
	}
	children := map[int64][]dbsqlc.CatalogCategory{}
	for _, r := range rows {
		var parent int64
		if r.ParentID != nil {
			parent = *r.ParentID
		}
		children[parent] = append(children[parent], r)
	}
	var out []AdminCategory
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, r := range children[parent] {
			c := AdminCategory{Category: Category{ID: CategoryID(r.ID), Slug: r.Slug, Name: r.Name, Description: r.Description,
				SEOTitle: r.SeoTitle, SEODescription: r.SeoDescription, Featured: r.Featured}, Position: int(r.Position), Depth: depth}
			if r.ParentID != nil {
				p := CategoryID(*r.ParentID)
				c.ParentID = &p
			}
			out = append(out, c)
			if depth < 32 {
				walk(r.ID, depth+1)
			}
		}
	}
	walk(0, 0)
	return out, nil
}

func (in *CategoryInput) normalize() map[string]string {
	in.Name = strings.TrimSpace(in.Name)
	in.Slug = strings.TrimSpace(strings.ToLower(in.Slug))
	if in.Slug == "" {
		in.Slug = slugify(in.Name)
	}
	in.SEOTitle, in.SEODescription = strings.TrimSpace(in.SEOTitle), strings.TrimSpace(in.SEODescription)
	f := map[string]string{}
	textField(f, "name", in.Name, true, 120, "a name")
	textField(f, "seo_title", in.SEOTitle, false, 200, "")
	textField(f, "seo_description", in.SEODescription, false, 400, "")
	if len(in.Description) > 5000 {
		f["description"] = "Keep the description under 5,000 characters."
	}
	if !slugPattern.MatchString(in.Slug) || len(in.Slug) > 120 {
		f["slug"] = "Use lower-case letters, digits and single hyphens, like rain-jackets."
	}
	if in.Position < 0 || in.Position > 100000 {
		f["position"] = "Use a position between 0 and 100000."
	}
	return f
}

// SaveCategory creates (id 0) or updates a category. Moving a category under itself or
// one of its descendants is refused; a changed slug keeps answering with a redirect.
func (s *Service) SaveCategory(ctx context.Context, actor audit.Actor, id CategoryID, in CategoryInput) (CategoryID, error) {
	if f := in.normalize(); len(f) > 0 {
		return 0, apperr.InvalidFields("Please correct the highlighted fields.", f)
	}
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var parent *int64
		if in.Parent != 0 {
			p := int64(in.Parent)
			parent = &p
			if _, err := s.q.CategoryGet(ctx, tx, p); err != nil {
				return apperr.InvalidFields("Please correct the highlighted fields.", map[string]string{"parent": "Choose an existing parent category."})
			}
			if id != 0 {
				if cyc, err := s.isDescendant(ctx, tx, in.Parent, id); err != nil {
					return err
				} else if cyc {
					return apperr.InvalidFields("Please correct the highlighted fields.", map[string]string{"parent": "A category cannot be placed inside itself or its subcategories."})
				}
			}
		}
		action := "category.create"
		changes := map[string]audit.Change{"name": {After: in.Name}, "slug": {After: in.Slug}}
		if id == 0 {
			nid, err := s.q.CategoryInsert(ctx, tx, dbsqlc.CategoryInsertParams{ParentID: parent, Slug: in.Slug, Name: in.Name, Description: in.Description, Position: int32(in.Position)})
			if err != nil {
				return categorySlugConflict(err)
			}
			id = CategoryID(nid)
		} else {
			action = "category.update"
			cur, err := s.q.CategoryGet(ctx, tx, int64(id))
			if err != nil {
				return interpretError(err, "Category")
			}
			changes = audit.Diff(
				map[string]any{"name": cur.Name, "slug": cur.Slug, "parent": cur.ParentID, "position": int(cur.Position), "description": cur.Description},
				map[string]any{"name": in.Name, "slug": in.Slug, "parent": parent, "position": in.Position, "description": in.Description})
			if cur.Slug != in.Slug {
				if err := s.q.CategoryRedirectInsert(ctx, tx, dbsqlc.CategoryRedirectInsertParams{OldSlug: cur.Slug, CategoryID: int64(id)}); err != nil {
					return interpretError(err, "category")
				}
			}
		}
		if err := s.q.CategoryRedirectDelete(ctx, tx, in.Slug); err != nil {
			return interpretError(err, "category")
		}
		if err := s.q.CategoryUpdate(ctx, tx, dbsqlc.CategoryUpdateParams{ID: int64(id), ParentID: parent, Slug: in.Slug, Name: in.Name,
			Description: in.Description, Position: int32(in.Position), SeoTitle: in.SEOTitle, SeoDescription: in.SEODescription, Featured: in.Featured}); err != nil {
			return categorySlugConflict(err)
		}
		if s.audit != nil {
			if err := s.audit.RecordTx(ctx, tx, audit.Entry{Actor: actor, Action: action, ObjectType: "category", ObjectID: fmt.Sprint(int64(id)), Changes: changes}); err != nil {
				return err
			}
		}
		// A category's name is in the search documents of the products filed in it or
		// below it; only a rename or a move changes them.
		var affected []ProductID
		_, renamed := changes["name"]
		_, moved := changes["parent"]
		if action == "category.update" && (renamed || moved) {
			var err error
			if affected, err = categorySubtreeProducts(ctx, tx, id); err != nil {
				return err
			}
		}
		return s.finishCategoryWrite(ctx, tx, affected)
	})
	if err != nil {
		return 0, err
	}
	s.categoriesChanged(ctx)
	return id, nil
}

func (s *Service) isDescendant(ctx context.Context, tx pgx.Tx, candidate, root CategoryID) (bool, error) {
	var found bool
	err := tx.QueryRow(ctx, `
		WITH RECURSIVE sub(id) AS (SELECT $1::bigint UNION SELECT c.id FROM catalog.categories c JOIN sub ON c.parent_id = sub.id)
		SELECT EXISTS (SELECT 1 FROM sub WHERE id = $2)`, int64(root), int64(candidate)).Scan(&found)
	if err != nil {
		return false, interpretError(err, "categories")
	}
	return found, nil
}

func categorySlugConflict(err error) error {
	if apperr.Is(interpretError(err, "category"), apperr.Conflict) {
		return apperr.InvalidFields("Please correct the highlighted fields.", map[string]string{"slug": "Another category already uses this web address."})
	}
	return interpretError(err, "category")
}

// DeleteCategory removes an empty category (no subcategories); its products simply leave it.
func (s *Service) DeleteCategory(ctx context.Context, actor audit.Actor, id CategoryID) error {
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		cur, err := s.q.CategoryGet(ctx, tx, int64(id))
		if err != nil {
			return interpretError(err, "Category")
		}
		n, err := s.q.CategoryChildCount(ctx, tx, &cur.ID)
		if err != nil {
			return interpretError(err, "category")
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "Move or delete the subcategories of "+cur.Name+" first.")
		}
		// Its products leave it with the delete: find them first.
		affected, err := categorySubtreeProducts(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := s.q.CategoryDelete(ctx, tx, int64(id)); err != nil {
			return interpretError(err, "category")
		}
		if s.audit != nil {
			if err := s.audit.RecordTx(ctx, tx, audit.Entry{Actor: actor, Action: "category.delete", ObjectType: "category",
				ObjectID: fmt.Sprint(int64(id)), Changes: map[string]audit.Change{"name": {Before: cur.Name}}}); err != nil {
				return err
			}
		}
		return s.finishCategoryWrite(ctx, tx, affected)
	})
	if err != nil {
		return err
	}
	s.categoriesChanged(ctx)
	return nil
}

// finishCategoryWrite refreshes the vocabulary (category names are words shoppers search
// for) and the search documents of the affected products, and tells every replica that
// the tree changed.
func (s *Service) finishCategoryWrite(ctx context.Context, tx pgx.Tx, affected []ProductID) error {
	if err := refreshCategorySearch(ctx, tx, affected); err != nil {
		return err
	}
	return s.cache.notifyCategories(ctx, tx)
}
