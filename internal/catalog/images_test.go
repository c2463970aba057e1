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
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/catalog/catalogtest"
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
		{"ErrDecompressionBomb", bytes.NewReader(bombPNG(t, 8000, 8000)), "This picture is 8000 × 8000 pixels; the largest we take is 20 megapixels."},
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

// withIHDR rewrites a PNG's size and interlace method, fixing the header's checksum.
func withIHDR(t *testing.T, b []byte, w, h uint32, interlaced bool) []byte {
	t.Helper()
	b = bytes.Clone(b)
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	b[28] = 0
	if interlaced {
		b[28] = 1
	}
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// jpegHeader is the start of a JPEG of w×h pixels with the given frame marker (0xC0
// baseline, 0xC2 progressive) and luma sampling (2, 2 for 4:2:0): enough for its header
// to be read, not for it to decode.
func jpegHeader(w, h int, sof byte, lumaH, lumaV byte) []byte {
	b := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, // APP0 JFIF
		0xFF, sof, 0, 17, 8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 3,
		1, lumaH<<4 | lumaV, 0, 2, 0x11, 1, 3, 0x11, 1}
	return append(b, 0xFF, 0xD9)
}

// useQueueWithoutWorkers attaches a job queue that only inserts: uploads queue their
// rendering and nothing renders unless the test does.
func useQueueWithoutWorkers(t *testing.T, tb *testBundle) {
	t.Helper()
	reg := jobs.NewRegistry()
	tb.svc.RegisterJobs(reg)
	queue, err := jobs.NewClient(tb.pool, reg, obs.Discard(), jobs.Options{})
	require.NoError(t, err)
	tb.svc.UseJobs(queue)
}

// TestImageDecodeBudget: a picture that would take too much memory to decode is refused
// from its header, before a single pixel is decoded, with a message that says how large
// it is and how large it may be. Encodings that cost more memory per pixel (16 bits per
// colour, interlaced PNG, progressive or CMYK JPEG) get fewer pixels.
func TestImageDecodeBudget(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	useQueueWithoutWorkers(t, tb)
	var decodes atomic.Int64
	tb.svc.OnDecode(func() { decodes.Add(1) })
	require.NoError(t, tb.svc.SeedDemo(tb.ctx, catalog.SeedOptions{Products: 1, Seed: 1}))
	products, err := tb.svc.ListStorefrontProducts(tb.ctx, 1)
	require.NoError(t, err)
	pid := products[0].ID

	// The fixture is a real picture: at a sensible size it is taken.
	_, err = tb.svc.AddProductImage(tb.ctx, pid, bytes.NewReader(catalogtest.OneColourPNG(640, 480)), "")
	require.NoError(t, err)
	require.EqualValues(t, 1, decodes.Load())
	bomb := catalogtest.OneColourPNG(6000, 6000)
	require.Less(t, len(bomb), 200<<10, "a huge canvas in a small file")

	deep := func() []byte {
		var b bytes.Buffer
		require.NoError(t, png.Encode(&b, image.NewNRGBA64(image.Rect(0, 0, 4, 4))))
		return b.Bytes()
	}()
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"ErrOneColourHugeCanvas", bomb,
			"This picture is 6000 × 6000 pixels; the largest we take is 20 megapixels. Please upload a smaller version."},
		{"ErrJustOver", withIHDR(t, testPNG(t, 4, 4, 255), 5000, 4001, false),
			"This picture is 5000 × 4001 pixels; the largest we take is 20 megapixels. Please upload a smaller version."},
		{"ErrSixteenBits", withIHDR(t, deep, 4000, 3000, false),
			"This picture is 4000 × 3000 pixels; the largest we take is 10 megapixels for a picture with 16 bits per colour (20 for other pictures). Please upload a smaller version."},
		{"ErrInterlaced", withIHDR(t, testPNG(t, 4, 4, 255), 5000, 4000, true),
			"This picture is 5000 × 4000 pixels; the largest we take is 13.3 megapixels for an interlaced PNG (20 for other pictures). Please upload a smaller version."},
		{"ErrProgressiveJPEG", jpegHeader(4000, 3000, 0xC2, 2, 2),
			"This picture is 4000 × 3000 pixels; the largest we take is 10.6 megapixels for a progressive JPEG (20 for other pictures). Please upload a smaller version."},
		{"ErrProgressiveFullColourJPEG", jpegHeader(3000, 3000, 0xC2, 1, 1),
			"This picture is 3000 × 3000 pixels; the largest we take is 5.3 megapixels for a progressive JPEG (20 for other pictures). Please upload a smaller version."},
		// Within the budget, so decoded: these headers have no picture behind them.
		{"OKBudgetBaselineJPEG", jpegHeader(4000, 3000, 0xC0, 2, 2), "The image is damaged and cannot be read."},
		{"OKBudgetPNG", withIHDR(t, testPNG(t, 4, 4, 255), 5000, 4000, false), "The image is damaged and cannot be read."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := decodes.Load()
			_, err := tb.svc.AddProductImage(tb.ctx, pid, bytes.NewReader(tc.data), "")
			require.True(t, apperr.Is(err, apperr.Invalid), "%v", err)
			require.Equal(t, tc.want, apperr.MessageOf(err))
			if strings.HasPrefix(tc.name, "Err") {
				require.Equal(t, before, decodes.Load(), "refused before decoding")
			} else {
				require.Equal(t, before+1, decodes.Load())
			}
		})
	}
	var stored int
	require.NoError(t, tb.pool.QueryRow(tb.ctx, `SELECT count(*) FROM catalog.images WHERE product_id = $1`, int64(pid)).Scan(&stored))
	require.Equal(t, 2, stored, "only the demo picture and the one taken")
}

// TestImageDecodesAtOnce races uploads and renderings of originals on one service: the
// decodes running at the same moment never outnumber its slots, and they do fill them.
func TestImageDecodesAtOnce(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	useQueueWithoutWorkers(t, tb)
	var running, most, total atomic.Int64
	tb.svc.OnDecode(func() {
		n := running.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		total.Add(1)
		// Long enough for every racer to reach the gate while this one holds a slot.
		time.Sleep(40 * time.Millisecond)
		running.Add(-1)
	})
	require.NoError(t, tb.svc.SeedDemo(tb.ctx, catalog.SeedOptions{Products: 1, Seed: 1}))
	products, err := tb.svc.ListStorefrontProducts(tb.ctx, 1)
	require.NoError(t, err)
	pid := products[0].ID

	// Originals waiting to be rendered, as uploads leave them.
	var hashes []string
	for i := range 3 {
		img, err := tb.svc.AddProductImage(tb.ctx, pid, bytes.NewReader(testPNG(t, 40+i, 30, 255)), "")
		require.NoError(t, err)
		hashes = append(hashes, img.Hash)
	}
	require.EqualValues(t, 1, most.Load())
	total.Store(0)

	const uploads = 6
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range uploads {
		wg.Go(func() {
			<-start
			_, err := tb.svc.AddProductImage(tb.ctx, pid, bytes.NewReader(testPNG(t, 50+i, 30, 255)), "")
			assert.NoError(t, err)
		})
	}
	for _, h := range hashes {
		wg.Go(func() {
			<-start
			assert.NoError(t, catalog.RenderImageFiles(tb.svc, tb.ctx, h))
		})
	}
	close(start)
	wg.Wait()
	require.EqualValues(t, uploads+len(hashes), total.Load(), "every decode passed the gate")
	require.EqualValues(t, tb.svc.DecodeSlots(), most.Load(), "at most one decode per slot, and the slots were used")
}
