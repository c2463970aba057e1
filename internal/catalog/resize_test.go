package catalog

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	xdraw "golang.org/x/image/draw"
)

// photoLike paints something with smooth gradients, fine stripes and hard edges, so a
// filter that shifts, blurs or rings differently from Catmull-Rom shows up.
func photoLike(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			r := uint8(255 * x / w)
			g := uint8(255 * y / h)
			b := uint8(128 + 127*math.Sin(float64(x+y)/7))
			if (x/40+y/40)%2 == 0 && x > w/3 && x < 2*w/3 {
				r, g, b = 20, 20, 20
			}
			img.SetRGBA(x, y, color.RGBA{r, g, b, 255})
		}
	}
	return img
}

// withAlpha gives the picture a transparent frame and a half-transparent band.
func withAlpha(src *image.RGBA) *image.NRGBA {
	b := src.Bounds()
	out := image.NewNRGBA(b)
	for y := range b.Dy() {
		for x := range b.Dx() {
			c := src.RGBAAt(x, y)
			a := uint8(255)
			switch {
			case x < b.Dx()/8 || y < b.Dy()/8:
				a = 0
			case y > b.Dy()/2 && y < b.Dy()*3/4:
				a = 128
			}
			out.SetNRGBA(x, y, color.NRGBA{c.R, c.G, c.B, a})
		}
	}
	return out
}

func asYCbCr(src *image.RGBA) *image.YCbCr {
	b := src.Bounds()
	out := image.NewYCbCr(b, image.YCbCrSubsampleRatio420)
	for y := range b.Dy() {
		for x := range b.Dx() {
			c := src.RGBAAt(x, y)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			out.Y[out.YOffset(x, y)] = yy
			if x%2 == 0 && y%2 == 0 {
				out.Cb[out.COffset(x, y)], out.Cr[out.COffset(x, y)] = cb, cr
			}
		}
	}
	return out
}

// TestResizeMatchesCatmullRom holds the streaming scaler to the result of x/image/draw's
// Catmull-Rom for every kind of source a render or an upload meets: the pictures must
// look the same, only the memory differs.
func TestResizeMatchesCatmullRom(t *testing.T) {
	base := photoLike(1024, 768)
	sources := map[string]image.Image{
		"rgba":  base,
		"ycbcr": asYCbCr(base),
		"nrgba": withAlpha(base),
		"gray": func() image.Image {
			g := image.NewGray(base.Bounds())
			draw.Draw(g, g.Bounds(), base, image.Point{}, draw.Src)
			return g
		}(),
	}
	sizes := [][2]int{{640, 480}, {160, 120}, {1000, 750}, {333, 500}, {1, 1}}
	for name, src := range sources {
		for _, size := range sizes {
			t.Run(fmt.Sprintf("%s/%dx%d", name, size[0], size[1]), func(t *testing.T) {
				got := resize(src, size[0], size[1])
				want := image.NewRGBA(image.Rect(0, 0, size[0], size[1]))
				xdraw.CatmullRom.Scale(want, want.Bounds(), src, src.Bounds(), xdraw.Src, nil)

				require.Equal(t, want.Bounds(), got.Bounds())
				var sum float64
				worstInside := 0
				for y := range size[1] {
					for x := range size[0] {
						for c := range 4 {
							i := got.PixOffset(x, y) + c
							d := int(got.Pix[i]) - int(want.Pix[i])
							if d < 0 {
								d = -d
							}
							sum += float64(d)
							// At the border the two treat the missing neighbours
							// differently (renormalised here, clamped there).
							if x > 2 && y > 2 && x < size[0]-3 && y < size[1]-3 {
								worstInside = max(worstInside, d)
							}
						}
					}
				}
				mean := sum / float64(len(got.Pix))
				require.Less(t, mean, 1.0, "mean difference per channel")
				require.LessOrEqual(t, worstInside, 8, "largest difference away from the border")
				for i := 0; i < len(got.Pix); i += 4 {
					a := got.Pix[i+3]
					require.True(t, got.Pix[i] <= a && got.Pix[i+1] <= a && got.Pix[i+2] <= a, "premultiplied colour above its alpha at byte %d", i)
				}
			})
		}
	}
}

// BenchmarkScaleMaster scales the largest master the shop keeps to the widest rendition,
// the step that set a server's peak memory: compare B/op of the two.
func BenchmarkScaleMaster(b *testing.B) {
	src := asYCbCr(photoLike(masterSide, masterSide))
	b.Run("stream", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			resize(src, 1280, 1280)
		}
	})
	b.Run("x-image-draw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rgba := image.NewRGBA(src.Bounds())
			draw.Draw(rgba, rgba.Bounds(), src, image.Point{}, draw.Src)
			dst := image.NewRGBA(image.Rect(0, 0, 1280, 1280))
			xdraw.CatmullRom.Scale(dst, dst.Bounds(), rgba, rgba.Bounds(), xdraw.Src, nil)
		}
	})
}
