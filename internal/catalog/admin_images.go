package catalog

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/catalog/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// UploadProductImage is the editor's upload: the image, the version check, the version
// bump and the audit entry in one transaction.
func (s *Service) UploadProductImage(ctx context.Context, actor audit.Actor, id ProductID, version int, r io.Reader, alt string) (Image, int, error) {
	alt = strings.TrimSpace(alt)
	prep, err := s.prepareUpload(ctx, r, alt)
	if err != nil {
		return Image{}, 0, err
	}
	var img Image
	v, err := s.imageWrite(ctx, actor, id, version, "product.image_add", func(tx pgx.Tx) error {
		var err error
		img, err = s.addImageTx(ctx, tx, id, prep, alt)
		return err
	})
	if err != nil {
		return Image{}, 0, err
	}
	return img, v, nil
}

// ReorderImages puts the product's images in the given order (ids of its images).
func (s *Service) ReorderImages(ctx context.Context, actor audit.Actor, id ProductID, version int, order []int64) (int, error) {
	return s.imageWrite(ctx, actor, id, version, "product.image_order", func(tx pgx.Tx) error {
		for pos, imageID := range order {
			n, err := s.q.ImageSetPosition(ctx, tx, dbsqlc.ImageSetPositionParams{ID: imageID, ProductID: int64(id), Position: int32(pos)})
			if err != nil {
				return interpretError(err, "image")
			}
			if n == 0 {
				return apperr.New(apperr.NotFound, "That image is not one of this product's.")
			}
		}
		return nil
	})
}

// SetImageAlt sets an image's description for screen readers and search engines.
func (s *Service) SetImageAlt(ctx context.Context, actor audit.Actor, id ProductID, version int, imageID int64, alt string) (int, error) {
	alt = strings.TrimSpace(alt)
	if len(alt) > 300 || strings.ContainsAny(alt, "\x00\r\n") {
		return 0, apperr.InvalidFields("Please check the image description.", map[string]string{"alt": "Use at most 300 characters on one line."})
	}
	return s.imageWrite(ctx, actor, id, version, "product.image_alt", func(tx pgx.Tx) error {
		n, err := s.q.ImageSetAlt(ctx, tx, dbsqlc.ImageSetAltParams{ID: imageID, ProductID: int64(id), Alt: alt})
		if err == nil && n == 0 {
			return apperr.New(apperr.NotFound, "That image is not one of this product's.")
		}
		return interpretError(err, "image")
	})
}

// DeleteImage removes an image from a product (its files stay while other products use
// the same picture).
func (s *Service) DeleteImage(ctx context.Context, actor audit.Actor, id ProductID, version int, imageID int64) (int, error) {
	return s.imageWrite(ctx, actor, id, version, "product.image_delete", func(tx pgx.Tx) error {
		n, err := s.q.ImageDelete(ctx, tx, dbsqlc.ImageDeleteParams{ID: imageID, ProductID: int64(id)})
		if err == nil && n == 0 {
			return apperr.New(apperr.NotFound, "That image is not one of this product's.")
		}
		return interpretError(err, "image")
	})
}

// SetImageShownFor shows an image for the variants with one of the product's option
// values (valueID, "Colour: Orange"), or for every variant when valueID is 0.
func (s *Service) SetImageShownFor(ctx context.Context, actor audit.Actor, id ProductID, version int, imageID, valueID int64) (int, error) {
	return s.imageWriteAudited(ctx, actor, id, version, "product.image_shown_for", func(tx pgx.Tx) (map[string]audit.Change, error) {
		labels, err := s.optionValueLabels(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if _, ok := labels[valueID]; !ok && valueID != 0 {
			return nil, apperr.InvalidFields("Please choose what the image is shown for.",
				map[string]string{"shown_for": "Choose all variants or one of this product's option values."})
		}
		imgs, err := s.q.ImageListForProduct(ctx, tx, int64(id))
		if err != nil {
			return nil, interpretError(err, "images")
		}
		i := slices.IndexFunc(imgs, func(im dbsqlc.CatalogImage) bool { return im.ID == imageID })
		if i < 0 {
			return nil, apperr.New(apperr.NotFound, "That image is not one of this product's.")
		}
		var before int64
		if imgs[i].OptionValueID != nil {
			before = *imgs[i].OptionValueID
		}
		var value *int64
		if valueID != 0 {
			value = &valueID
		}
		if _, err := s.q.ImageSetOptionValue(ctx, tx, dbsqlc.ImageSetOptionValueParams{ID: imageID, ProductID: int64(id), OptionValueID: value}); err != nil {
			return nil, interpretError(err, "image")
		}
		return map[string]audit.Change{
			fmt.Sprintf("image %d shown for", imageID): {Before: shownForLabel(labels, before), After: shownForLabel(labels, valueID)},
		}, nil
	})
}

// ShownForAll names the choice of showing an image for every variant.
const ShownForAll = "All variants"

// shownForLabel is how staff read an image's choice: "Colour: Orange" or "All variants".
func shownForLabel(labels map[int64]string, valueID int64) string {
	if l, ok := labels[valueID]; ok {
		return l
	}
	return ShownForAll
}

// OptionValueLabel is how staff name an option value on its own: "Colour: Orange".
func OptionValueLabel(o Option, v OptionValue) string { return o.Name + ": " + v.Value }

// optionValueLabels names each of the product's option values, by id.
func (s *Service) optionValueLabels(ctx context.Context, tx pgx.Tx, id ProductID) (map[int64]string, error) {
	opts, err := s.q.OptionList(ctx, tx, int64(id))
	if err != nil {
		return nil, interpretError(err, "options")
	}
	vals, err := s.q.OptionValueListForProduct(ctx, tx, int64(id))
	if err != nil {
		return nil, interpretError(err, "options")
	}
	names := make(map[int64]string, len(opts))
	for _, o := range opts {
		names[o.ID] = o.Name
	}
	out := make(map[int64]string, len(vals))
	for _, v := range vals {
		out[v.ID] = OptionValueLabel(Option{Name: names[v.OptionID]}, OptionValue{Value: v.Value})
	}
	return out, nil
}

// keepImageValues remembers, by option name and value, what each of the product's images
// is shown for. Saving options deletes the values and makes them anew, and the foreign key
// then shows every image for all variants; restore, once the new values exist, puts back
// each choice whose option and value are still there (in any letter case), so that adding
// a size keeps the orange pictures orange.
func (s *Service) keepImageValues(ctx context.Context, tx pgx.Tx, id ProductID) (restore func() error, err error) {
	rows, err := s.q.ImageOptionValueNames(ctx, tx, int64(id))
	if err != nil {
		return nil, interpretError(err, "images")
	}
	return func() error {
		for _, r := range rows {
			if err := s.q.ImageRelinkOptionValue(ctx, tx, dbsqlc.ImageRelinkOptionValueParams{
				ProductID: int64(id), ImageID: r.ID, Name: r.Name, Value: r.Value}); err != nil {
				return interpretError(err, "image")
			}
		}
		return nil
	}, nil
}

func (s *Service) imageWrite(ctx context.Context, actor audit.Actor, id ProductID, version int, action string, fn func(tx pgx.Tx) error) (int, error) {
	return s.imageWriteAudited(ctx, actor, id, version, action, func(tx pgx.Tx) (map[string]audit.Change, error) {
		return map[string]audit.Change{"images": {After: action}}, fn(tx)
	})
}

// imageWriteAudited is imageWrite for a change that tells the audit log what it changed.
func (s *Service) imageWriteAudited(ctx context.Context, actor audit.Actor, id ProductID, version int, action string, fn func(tx pgx.Tx) (map[string]audit.Change, error)) (int, error) {
	var v int32
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := s.lockProduct(ctx, tx, id, version); err != nil {
			return err
		}
		changes, err := fn(tx)
		if err != nil {
			return err
		}
		if v, err = s.q.AdminProductBump(ctx, tx, int64(id)); err != nil {
			return interpretError(err, "product")
		}
		if err := s.record(ctx, tx, actor, action, id, changes); err != nil {
			return err
		}
		return s.cache.notifyProducts(ctx, tx, id)
	})
	if err != nil {
		return 0, err
	}
	s.changed(ctx, id)
	return int(v), nil
}
