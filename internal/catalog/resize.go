package catalog

import (
	"image"
	"image/color"
	"math"
)

// resize scales src to dw×dh with a Catmull-Rom filter, widened when shrinking so every
// source pixel counts. It streams: each source row is read once, filtered horizontally
// into a small ring of rows, and output rows are filtered vertically from that ring. The
// scratch space is a few rows of the output's width, where a two-pass scale over the
// whole image (golang.org/x/image/draw's) keeps dw×sh pixels of float64s: 28 MB for a
// 1024-pixel master at 640 wide, 105 MB for a 2560-pixel one at 1280, which set a server's
// peak memory while renders ran.
//
// The result is premultiplied RGBA, as image.RGBA is; sources of any image type are read
// row by row (YCbCr from JPEG and NRGBA from PNG without a full-size conversion first).
func resize(src image.Image, dw, dh int) *image.RGBA {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	if sw <= 0 || sh <= 0 || dw <= 0 || dh <= 0 {
		return dst
	}
	hw := newTaps(sw, dw)
	vw := newTaps(sh, dh)

	ring := make([][]float32, vw.most)
	for i := range ring {
		ring[i] = make([]float32, dw*4)
	}
	read := rowReader(src)
	row := make([]uint8, sw*4)
	next := 0 // the next source row to filter into the ring

	acc := make([]float32, dw*4)
	for dy := range dh {
		start, weights := vw.at(dy)
		for ; next < start+len(weights); next++ {
			hw.filterRow(ring[next%len(ring)], read(b.Min.Y+next, row))
		}
		clear(acc)
		for k, w := range weights {
			line := ring[(start+k)%len(ring)]
			for i, v := range line {
				acc[i] += w * v
			}
		}
		out := dst.Pix[dy*dst.Stride : dy*dst.Stride+dw*4]
		for i := 0; i < len(out); i += 4 {
			a := clamp8(acc[i+3])
			// Premultiplied: a colour channel can never exceed its alpha, which ringing
			// at a hard transparent edge would otherwise produce.
			out[i] = min(clamp8(acc[i]), a)
			out[i+1] = min(clamp8(acc[i+1]), a)
			out[i+2] = min(clamp8(acc[i+2]), a)
			out[i+3] = a
		}
	}
	return dst
}

func clamp8(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// taps holds, for each output position along one axis, the first source position it
// reads and the weights of the source positions from there on.
type taps struct {
	starts  []int32
	offsets []int32 // weights of output i are weights[offsets[i]:offsets[i+1]]
	weights []float32
	most    int // the most weights any output position has
}

func (t *taps) at(i int) (int, []float32) {
	return int(t.starts[i]), t.weights[t.offsets[i]:t.offsets[i+1]]
}

// newTaps computes the Catmull-Rom weights that map n source positions to m outputs.
// Sample centres line up as in x/image/draw: output i sits at source (i+0.5)·n/m − 0.5.
// Weights that would fall outside the source are dropped and the rest renormalised, so
// edges keep their colour.
func newTaps(n, m int) taps {
	scale := float64(n) / float64(m)
	support := 2.0
	if scale > 1 {
		support *= scale
	}
	t := taps{starts: make([]int32, m), offsets: make([]int32, m+1)}
	t.weights = make([]float32, 0, m*int(math.Ceil(2*support)+1))
	for i := range m {
		centre := (float64(i)+0.5)*scale - 0.5
		lo := max(0, int(math.Ceil(centre-support)))
		hi := min(n-1, int(math.Floor(centre+support)))
		from := len(t.weights)
		var sum float64
		for j := lo; j <= hi; j++ {
			x := (float64(j) - centre) / max(scale, 1)
			w := catmullRom(x)
			sum += w
			t.weights = append(t.weights, float32(w))
		}
		if sum != 0 {
			for k := from; k < len(t.weights); k++ {
				t.weights[k] = float32(float64(t.weights[k]) / sum)
			}
		}
		t.starts[i] = int32(lo)
		t.offsets[i+1] = int32(len(t.weights))
		t.most = max(t.most, hi-lo+1)
	}
	return t
}

func catmullRom(x float64) float64 {
	x = math.Abs(x)
	switch {
	case x < 1:
		return (1.5*x-2.5)*x*x + 1
	case x < 2:
		return ((-0.5*x+2.5)*x-4)*x + 2
	}
	return 0
}

// filterRow writes one horizontally filtered row (float RGBA) into out from a source
// row of 8-bit premultiplied RGBA.
func (t *taps) filterRow(out []float32, row []uint8) {
	for i := range t.starts {
		start, weights := t.at(i)
		var r, g, b, a float32
		px := row[start*4:]
		for k, w := range weights {
			p := px[k*4 : k*4+4 : k*4+4]
			r += w * float32(p[0])
			g += w * float32(p[1])
			b += w * float32(p[2])
			a += w * float32(p[3])
		}
		o := out[i*4 : i*4+4 : i*4+4]
		o[0], o[1], o[2], o[3] = r, g, b, a
	}
}

// rowReader returns a function that yields source row y as 8-bit premultiplied RGBA,
// using buf (4 bytes a pixel) when the source is not RGBA already.
func rowReader(src image.Image) func(y int, buf []uint8) []uint8 {
	b := src.Bounds()
	switch m := src.(type) {
	case *image.RGBA:
		return func(y int, _ []uint8) []uint8 {
			i := m.PixOffset(b.Min.X, y)
			return m.Pix[i : i+b.Dx()*4]
		}
	case *image.YCbCr:
		return func(y int, buf []uint8) []uint8 {
			for x := b.Min.X; x < b.Max.X; x++ {
				yi, ci := m.YOffset(x, y), m.COffset(x, y)
				r, g, bl := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				o := buf[(x-b.Min.X)*4:]
				o[0], o[1], o[2], o[3] = r, g, bl, 255
			}
			return buf
		}
	case *image.NRGBA:
		return func(y int, buf []uint8) []uint8 {
			row := m.Pix[m.PixOffset(b.Min.X, y):]
			for x := range b.Dx() {
				p, o := row[x*4:x*4+4], buf[x*4:x*4+4]
				a := uint32(p[3])
				o[0] = uint8((uint32(p[0])*a + 127) / 255)
				o[1] = uint8((uint32(p[1])*a + 127) / 255)
				o[2] = uint8((uint32(p[2])*a + 127) / 255)
				o[3] = p[3]
			}
			return buf
		}
	}
	return func(y int, buf []uint8) []uint8 {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := src.At(x, y).RGBA()
			o := buf[(x-b.Min.X)*4:]
			o[0], o[1], o[2], o[3] = uint8(r>>8), uint8(g>>8), uint8(bl>>8), uint8(a>>8)
		}
		return buf
	}
}
