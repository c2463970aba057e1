package catalog_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/jobs"
	"github.com/monoshop/monoshop/internal/platform/obs"
)

func testPNG(t *testing.T, w, h int, alpha uint8) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 120, alpha})
		}
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

// bombPNG is a valid tiny PNG whose header claims a w×h canvas.
func bombPNG(t *testing.T, w, h uint32) []byte {
	t.Helper()
	b := testPNG(t, 4, 4, 255)
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func TestAddProductImage(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	reg := jobs.NewRegistry()
	tb.svc.RegisterJobs(reg)
	queue, err := jobs.NewClient(tb.pool, reg, obs.Discard(), jobs.Options{Work: true, PollInterval: 100 * time.Millisecond})
	require.NoError(t, err)
	tb.svc.UseJobs(queue)
	require.NoError(t, queue.Start(t.Context()))
	t.Cleanup(func() { _ = queue.Stop(t.Context()) })

	require.NoError(t, tb.svc.SeedDemo(tb.ctx, catalog.SeedOptions{Products: 3, Seed: 1}))
	products, err := tb.svc.ListStorefrontProducts(tb.ctx, 10)
	require.NoError(t, err)
	require.NotEmpty(t, products)
	pid := products[0].ID

	t.Run("OKRenderedSizesAppearOnTheStorefront", func(t *testing.T) {
		var jpg bytes.Buffer
		require.NoError(t, jpeg.Encode(&jpg, image.NewRGBA(image.Rect(0, 0, 900, 600)), nil))
		img, err := tb.svc.AddProductImage(tb.ctx, pid, &jpg, "Front view")
		require.NoError(t, err)
		require.Equal(t, 900, img.Width)

		require.Eventually(t, func() bool {
			p, err := tb.svc.FindProductBySlug(tb.ctx, products[0].Slug)
			require.NoError(t, err)
			for _, i := range p.Images {
				if i.Hash == img.Hash {
					return true
				}
			}
			return false
		}, 30*time.Second, 100*time.Millisecond, "the image shows once its sizes are rendered")
		for _, w := range catalog.ImageWidths {
			for _, f := range []string{"webp", "jpeg"} {
				file, err := tb.svc.FindMedia(tb.ctx, img.Hash, w, f)
				require.NoError(t, err, "%d %s", w, f)
				cfg, format, err := image.DecodeConfig(bytes.NewReader(file.Data))
				require.NoError(t, err)
				require.Equal(t, f, format)
				require.Equal(t, min(w, 900), cfg.Width, "rendered at its width, never upscaled")
			}
		}
	})

	t.Run("OKTransparentPNGKeepsAlpha", func(t *testing.T) {
		img, err := tb.svc.AddProductImage(tb.ctx, pid, bytes.NewReader(testPNG(t, 64, 48, 128)), "")
		require.NoError(t, err)
		require.Equal(t, 64, img.Width)
		require.Equal(t, 48, img.Height)
	})

	refused := []struct {
		name string
		body io.Reader
		want string
	}{
		{"ErrNotAnImage", bytes.NewReader([]byte("<?php echo 'hi'; ?>")), "not an image"},
		{"ErrTooLarge", io.MultiReader(bytes.NewReader(testPNG(t, 8, 8, 255)), bytes.NewReader(make([]byte, catalog.MaxImageBytes))), "larger than 20 MB"},
		{"ErrSideTooLong", bytes.NewReader(bombPNG(t, 9000, 10)), "at most 8000"},
		{"ErrDecompressionBomb", bytes.NewReader(bombPNG(t, 8000, 8000)), "too many pixels"},
		{"ErrTruncated", bytes.NewReader(testPNG(t, 200, 200, 255)[:300]), "damaged"},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			var before int
			require.NoError(t, tb.pool.QueryRow(tb.ctx, `SELECT count(*) FROM catalog.images`).Scan(&before))
			_, err := tb.svc.AddProductImage(tb.ctx, pid, c.body, "")
			require.Error(t, err)
			require.True(t, apperr.Is(err, apperr.Invalid), "%v", err)
			require.Contains(t, apperr.MessageOf(err), c.want)
			var after int
			require.NoError(t, tb.pool.QueryRow(tb.ctx, `SELECT count(*) FROM catalog.images`).Scan(&after))
			require.Equal(t, before, after, "nothing stored")
		})
	}
}

// TestSeedRendersImages: `shop seed` renders the demo pictures itself, so a shop seeded
// without any job queue shows every product's picture, in every width and format, from
// its first page.
func TestSeedRendersImages(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	require.NoError(t, tb.svc.SeedDemo(tb.ctx, catalog.SeedOptions{Products: 12, Seed: 4, RenderImages: true}))

	products, err := tb.svc.ListStorefrontProducts(tb.ctx, 20)
	require.NoError(t, err)
	require.Len(t, products, 12)
	for _, listed := range products {
		p, err := tb.svc.FindProductBySlug(tb.ctx, listed.Slug)
		require.NoError(t, err)
		require.Len(t, p.Images, 1, "product %s shows its picture", p.Slug)
		for _, width := range catalog.ImageWidths {
			for _, format := range []string{"webp", "jpeg"} {
				f, err := tb.svc.FindMedia(tb.ctx, p.Images[0].Hash, width, format)
				require.NoError(t, err, "%s at %d as %s", p.Slug, width, format)
				cfg, gotFormat, err := image.DecodeConfig(bytes.NewReader(f.Data))
				require.NoError(t, err)
				require.Equal(t, format, gotFormat)
				require.Equal(t, min(width, p.Images[0].Width), cfg.Width)
			}
		}
	}
}
