package catalog

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/gif" // registers the GIF decoder for uploads
	"image/jpeg"
	"image/png"
	"io"

	"github.com/gen2brain/webp"
	"github.com/jackc/pgx/v5"
	_ "golang.org/x/image/webp" // registers the WebP decoder for uploads

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
)

const (
	// MaxImageBytes bounds an upload.
	MaxImageBytes = 20 << 20
	// MaxImageSide bounds either side of an uploaded image.
	MaxImageSide = 8000
	// masterSide is the longest side kept of an original: more than any page shows, far
	// less than a camera takes.
	masterSide = 2560
)

// ImageWidths are the widths every image is rendered at, in WebP and JPEG.
var ImageWidths = []int{160, 320, 640, 1280}

// preparedImage is an upload that passed validation, re-encoded.
type preparedImage struct {
	data          []byte
	format        string // jpeg or png
	width, height int
	hash          string
}

// prepareImage checks that r holds a real JPEG, PNG, GIF or WebP image within the limits
// (imagedecode.go: a picture too large to decode safely is refused from its header) and
// re-encodes it, so what we store and serve is never the bytes a stranger sent (no
// smuggled scripts, no metadata with the photographer's location).
func (d *imageDecoder) prepareImage(ctx context.Context, r io.Reader) (preparedImage, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxImageBytes+1))
	if err != nil {
		return preparedImage{}, fmt.Errorf("catalog: read image: %w", err)
	}
	if len(raw) > MaxImageBytes {
		return preparedImage{}, apperr.New(apperr.Invalid, "The image is larger than 20 MB. Please upload a smaller file.")
	}
	img, _, err := d.decode(ctx, raw, func(img image.Image) image.Image { return fitWithin(img, masterSide) })
	if err != nil {
		return preparedImage{}, err
	}
	return encodeMaster(img)
}

// encodeMaster stores opaque images as JPEG and images with transparency as PNG.
func encodeMaster(img image.Image) (preparedImage, error) {
	var buf bytes.Buffer
	format := "jpeg"
	if hasAlpha(img) {
		format = "png"
		if err := png.Encode(&buf, img); err != nil {
			return preparedImage{}, fmt.Errorf("catalog: encode image: %w", err)
		}
	} else if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		return preparedImage{}, fmt.Errorf("catalog: encode image: %w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	b := img.Bounds()
	return preparedImage{data: buf.Bytes(), format: format, width: b.Dx(), height: b.Dy(), hash: hex.EncodeToString(sum[:12])}, nil
}

func hasAlpha(img image.Image) bool {
	switch m := img.(type) {
	case *image.YCbCr, *image.Gray, *image.CMYK:
		return false
	case interface{ Opaque() bool }:
		return !m.Opaque()
	}
	return true
}

// fitWithin scales img down so its longest side is at most side; smaller images are kept.
func fitWithin(img image.Image, side int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= side && h <= side {
		return img
	}
	if w >= h {
		h, w = max(1, h*side/w), side
	} else {
		w, h = max(1, w*side/h), side
	}
	return resize(img, w, h)
}

// scaleToWidth scales img down to width, keeping its proportions; a narrower image is
// kept as it is (never upscaled).
func scaleToWidth(img image.Image, width int) image.Image {
	b := img.Bounds()
	if b.Dx() <= width {
		return img
	}
	return resize(img, width, max(1, b.Dy()*width/b.Dx()))
}

// encodeImage encodes one rendition. JPEG has no transparency, so transparent images are
// laid on white first.
func encodeImage(img image.Image, format string) ([]byte, error) {
	var buf bytes.Buffer
	switch format {
	case "webp":
		if err := webp.Encode(&buf, img, webp.Options{Quality: 80, Method: 4}); err != nil {
			return nil, fmt.Errorf("encode webp: %w", err)
		}
	case "jpeg":
		if hasAlpha(img) {
			flat := image.NewRGBA(img.Bounds())
			draw.Draw(flat, flat.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
			draw.Draw(flat, flat.Bounds(), img, img.Bounds().Min, draw.Over)
			img = flat
		}
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 82}); err != nil {
			return nil, fmt.Errorf("encode jpeg: %w", err)
		}
	default:
		return nil, fmt.Errorf("unknown format %q", format)
	}
	return buf.Bytes(), nil
}

// AddProductImage validates and stores an uploaded image for a product and queues the
// rendering of its sizes, all in one transaction. The storefront shows it once rendered.
func (s *Service) AddProductImage(ctx context.Context, product ProductID, r io.Reader, alt string) (Image, error) {
	prep, err := s.prepareUpload(ctx, r, alt)
	if err != nil {
		return Image{}, err
	}
	var img Image
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if img, err = s.addImageTx(ctx, tx, product, prep, alt); err != nil {
			return err
		}
		return s.cache.notifyProducts(ctx, tx, product)
	})
	if err != nil {
		return Image{}, err
	}
	s.changed(ctx, product)
	return img, nil
}

// prepareUpload validates and re-encodes outside any transaction: decoding a large image
// takes a while and must not hold row locks.
func (s *Service) prepareUpload(ctx context.Context, r io.Reader, alt string) (preparedImage, error) {
	if len(alt) > 300 {
		return preparedImage{}, apperr.InvalidFields("Please check the image details.", map[string]string{"alt": "Keep the description under 300 characters."})
	}
	if s.jobs == nil {
		return preparedImage{}, errors.New("catalog: add image: no job queue attached")
	}
	return s.images.prepareImage(ctx, r)
}

// addImageTx stores the original, adds the image to the product and queues its rendering.
func (s *Service) addImageTx(ctx context.Context, tx pgx.Tx, product ProductID, prep preparedImage, alt string) (Image, error) {
	if err := storeMaster(ctx, tx, prep); err != nil {
		return Image{}, err
	}
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO catalog.images (product_id, position, alt, width, height, hash)
		VALUES ($1, (SELECT coalesce(max(position) + 1, 0) FROM catalog.images WHERE product_id = $1), $2, $3, $4, $5)
		RETURNING id`, int64(product), alt, prep.width, prep.height, prep.hash).Scan(&id)
	if err != nil {
		return Image{}, interpretError(err, "product")
	}
	if _, err := s.jobs.InsertTx(ctx, tx, RenderImageArgs{Hash: prep.hash}, nil); err != nil {
		return Image{}, fmt.Errorf("catalog: queue image rendering: %w", err)
	}
	return Image{ID: id, Alt: alt, Width: prep.width, Height: prep.height, Hash: prep.hash}, nil
}

func storeMaster(ctx context.Context, tx pgx.Tx, prep preparedImage) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO catalog.image_blobs (hash, width, format, data) VALUES ($1, 0, $2, $3)
		ON CONFLICT DO NOTHING`, prep.hash, prep.format, prep.data)
	if err != nil {
		return fmt.Errorf("catalog: store image: %w", err)
	}
	return nil
}

// MediaFile is one stored image file ready to serve.
type MediaFile struct {
	Data        []byte
	ContentType string
}

// FindMedia returns a rendered image file by its hash, width and format (webp or jpeg).
func (s *Service) FindMedia(ctx context.Context, hash string, width int, format string) (MediaFile, error) {
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM catalog.image_blobs WHERE hash = $1 AND width = $2 AND format = $3`,
		hash, width, format).Scan(&data)
	if err != nil {
		return MediaFile{}, interpretError(err, "image")
	}
	return MediaFile{Data: data, ContentType: "image/" + format}, nil
}
