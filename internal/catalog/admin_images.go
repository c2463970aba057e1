package catalog

import (
	"context"
	"fmt"
	"io"
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
	prep, err := s.prepareUpload(r, alt)
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

func (s *Service) imageWrite(ctx context.Context, actor audit.Actor, id ProductID, version int, action string, fn func(tx pgx.Tx) error) (int, error) {
	var v int32
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := s.lockProduct(ctx, tx, id, version); err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			return err
		}
		var err error
		if v, err = s.q.AdminProductBump(ctx, tx, int64(id)); err != nil {
			return interpretError(err, "product")
		}
		if err := s.record(ctx, tx, actor, action, id, map[string]audit.Change{"images": {After: fmt.Sprint(action)}}); err != nil {
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
