package catalog

import (
	"image"
	"image/color"
	"math"
)

// demoImageSide is the size of generated demo pictures: enough for every rendered width
// up to 640 and a sharp 1024 for the largest.
const demoImageSide = 1024

// demoPicture names one generated picture. Products share pictures, so a catalog of any
// size holds at most demoPictureCount of them, each rendered once.
type demoPicture struct {
	silhouette string // a key of demoSilhouettes
	colour     string // a key of demoColourRGB
	look       int    // below demoLooks
}

// demoLooks is how many ways each silhouette is shown in each colour: plain on a tint of
// its colour, striped on stone, and with contrast trims on grey. A row of black T-shirts
// then does not show one picture over and over.
const demoLooks = 3

// demoPictureCount bounds the distinct demo pictures, whatever the catalog's size.
func demoPictureCount() int { return len(demoSilhouettes) * len(demoColourRGB) * demoLooks }

// demoColourRGB gives each demo colour its swatch.
var demoColourRGB = map[string]color.RGBA{
	"Black": {40, 40, 44, 255}, "White": {236, 236, 232, 255}, "Navy": {32, 48, 94, 255},
	"Grey": {128, 130, 134, 255}, "Heather Grey": {170, 170, 168, 255}, "Olive": {112, 120, 60, 255},
	"Khaki": {176, 160, 112, 255}, "Beige": {216, 200, 170, 255}, "Burgundy": {120, 30, 50, 255},
	"Red": {196, 48, 48, 255}, "Blue": {48, 96, 196, 255}, "Sky Blue": {120, 176, 230, 255},
	"Forest Green": {40, 96, 60, 255}, "Brown": {110, 74, 48, 255}, "Camel": {190, 146, 96, 255},
	"Pink": {232, 150, 170, 255}, "Yellow": {240, 200, 60, 255}, "Orange": {236, 128, 48, 255},
	"Crème": {244, 234, 210, 255},
}

// demoSilhouette is an outline (unit square, y down) that suggests what a category sells,
// the trims drawn in a contrasting colour (collar, cuffs, hem, sole, band) and where its
// stripes run.
type demoSilhouette struct {
	outline [][2]float64
	trims   [][][2]float64
	stripe  func(x, y float64) bool
}

// acrossStripes are Breton stripes.
func acrossStripes(_, y float64) bool { return int(y/0.045)%2 == 1 }

var demoSilhouettes = map[string]demoSilhouette{
	"tee": {
		outline: [][2]float64{{.30, .18}, {.42, .14}, {.58, .14}, {.70, .18}, {.88, .34}, {.78, .44}, {.70, .38}, {.70, .86}, {.30, .86}, {.30, .38}, {.22, .44}, {.12, .34}},
		trims: [][][2]float64{
			{{.42, .14}, {.58, .14}, {.56, .185}, {.50, .205}, {.44, .185}},
			{{.849, .313}, {.88, .34}, {.78, .44}, {.766, .43}},
			{{.151, .313}, {.12, .34}, {.22, .44}, {.234, .43}},
			{{.30, .81}, {.70, .81}, {.70, .86}, {.30, .86}},
		},
		stripe: acrossStripes,
	},
	"longsleeve": {
		outline: [][2]float64{{.30, .18}, {.42, .14}, {.58, .14}, {.70, .18}, {.80, .30}, {.88, .78}, {.78, .80}, {.70, .42}, {.70, .86}, {.30, .86}, {.30, .42}, {.22, .80}, {.12, .78}, {.20, .30}},
		trims: [][][2]float64{
			{{.42, .14}, {.58, .14}, {.56, .185}, {.50, .205}, {.44, .185}},
			{{.495, .205}, {.505, .205}, {.505, .86}, {.495, .86}},
			{{.872, .732}, {.88, .78}, {.78, .80}, {.77, .754}},
			{{.128, .732}, {.12, .78}, {.22, .80}, {.23, .754}},
			{{.30, .81}, {.70, .81}, {.70, .86}, {.30, .86}},
		},
		stripe: acrossStripes,
	},
	"bottom": {
		outline: [][2]float64{{.30, .12}, {.70, .12}, {.74, .88}, {.56, .88}, {.50, .36}, {.44, .88}, {.26, .88}},
		trims: [][][2]float64{
			{{.30, .12}, {.70, .12}, {.703, .17}, {.297, .17}},
			{{.262, .84}, {.445, .84}, {.44, .88}, {.26, .88}},
			{{.738, .84}, {.555, .84}, {.56, .88}, {.74, .88}},
		},
		// Pinstripes, as on suit trousers, rather than Breton bands.
		stripe: func(x, _ float64) bool { return math.Mod(x, 0.04) < 0.008 },
	},
	"dress": {
		outline: [][2]float64{{.38, .12}, {.44, .12}, {.50, .18}, {.56, .12}, {.62, .12}, {.64, .30}, {.60, .42}, {.78, .86}, {.22, .86}, {.40, .42}, {.36, .30}},
		trims: [][][2]float64{
			{{.39, .39}, {.61, .39}, {.61, .44}, {.39, .44}},
			{{.237, .82}, {.763, .82}, {.78, .86}, {.22, .86}},
		},
		stripe: acrossStripes,
	},
	"shoe": {
		outline: [][2]float64{{.12, .56}, {.20, .40}, {.34, .38}, {.46, .50}, {.70, .56}, {.88, .62}, {.88, .72}, {.12, .72}},
		trims: [][][2]float64{
			{{.12, .665}, {.88, .665}, {.88, .72}, {.12, .72}},
			{{.74, .57}, {.88, .62}, {.88, .665}, {.74, .665}},
		},
		// Three slanted bands on the side, above the sole.
		stripe: func(x, y float64) bool {
			u := x + 0.6*y
			return y < .655 && x > .30 && x < .66 && (u > .74 && u < .77 || u > .80 && u < .83 || u > .86 && u < .89)
		},
	},
	"bag": {
		outline: [][2]float64{{.24, .30}, {.38, .30}, {.38, .20}, {.62, .20}, {.62, .30}, {.76, .30}, {.80, .84}, {.20, .84}},
		trims: [][][2]float64{
			{{.24, .30}, {.76, .30}, {.767, .40}, {.233, .40}},
			{{.38, .55}, {.62, .55}, {.62, .72}, {.38, .72}},
		},
		stripe: func(x, _ float64) bool { return int(x/0.06)%2 == 1 },
	},
	"round": {
		outline: [][2]float64{{.50, .16}, {.74, .26}, {.84, .50}, {.74, .74}, {.50, .84}, {.26, .74}, {.16, .50}, {.26, .26}},
		trims: [][][2]float64{
			{{.21, .62}, {.79, .62}, {.748, .72}, {.252, .72}},
		},
		stripe: acrossStripes,
	},
}

func silhouetteFor(categorySlug string) string {
	switch categorySlug {
	case "t-shirts":
		return "tee"
	case "shirts", "hoodies", "knitwear", "jackets":
		return "longsleeve"
	case "jeans", "trousers", "shorts":
		return "bottom"
	case "dresses":
		return "dress"
	case "sneakers", "running-shoes", "boots", "sandals":
		return "shoe"
	case "bags", "belts-wallets":
		return "bag"
	}
	return "round"
}

// luma is a colour's perceived lightness, 0 to 255,000.
func luma(c color.RGBA) int { return 299*int(c.R) + 587*int(c.G) + 114*int(c.B) }

// contrastWith is the colour stripes and trims take on a garment: navy on light colours,
// off-white on dark ones.
func contrastWith(c color.RGBA) color.RGBA {
	if luma(c) > 150_000 {
		return color.RGBA{36, 48, 88, 255}
	}
	return color.RGBA{238, 234, 224, 255}
}

// drawDemoImage paints a product picture: a backdrop, a shadow and the silhouette in the
// colour, plain, striped or trimmed as the look says.
func drawDemoImage(p demoPicture) *image.RGBA {
	c, ok := demoColourRGB[p.colour]
	if !ok {
		c = color.RGBA{128, 128, 128, 255}
	}
	shape, ok := demoSilhouettes[p.silhouette]
	if !ok {
		shape = demoSilhouettes["round"]
	}
	const n = demoImageSide
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	for y := range n {
		var bg color.RGBA
		switch p.look {
		case 1: // warm stone
			bg = color.RGBA{232, 226, 216, 255}
		case 2: // cool grey, lighter at the top like a studio sweep
			t := float64(y) / n
			bg = color.RGBA{uint8(226 - 26*t), uint8(231 - 23*t), uint8(236 - 20*t), 255}
		default: // a tint of the colour; a shade of it for whites, which would vanish on a tint
			tint := func(v uint8) uint8 { return uint8(235 + (int(v)-128)/12) }
			if luma(c) > 200_000 {
				tint = func(v uint8) uint8 { return uint8(int(v) * 86 / 100) }
			}
			bg = color.RGBA{tint(c.R), tint(c.G), tint(c.B), 255}
		}
		row := img.Pix[y*img.Stride : y*img.Stride+4*n]
		for i := 0; i < len(row); i += 4 {
			row[i], row[i+1], row[i+2], row[i+3] = bg.R, bg.G, bg.B, 255
		}
	}
	shadow := color.RGBA{0, 0, 0, 40}
	fillPolygon(img, shape.outline, 0.02, func(float64, float64) color.RGBA { return shadow })
	contrast := contrastWith(c)
	paint := func(float64, float64) color.RGBA { return c }
	if p.look == 1 {
		paint = func(x, y float64) color.RGBA {
			if shape.stripe(x, y) {
				return contrast
			}
			return c
		}
	}
	fillPolygon(img, shape.outline, 0, paint)
	if p.look == 2 {
		for _, t := range shape.trims {
			fillPolygon(img, t, 0, func(float64, float64) color.RGBA { return contrast })
		}
	}
	return img
}

// fillPolygon fills a polygon given in unit coordinates (offset by shift, for a shadow)
// with even-odd scanlines, in the colour paint gives each point (in unit coordinates),
// blended by its alpha.
func fillPolygon(img *image.RGBA, pts [][2]float64, shift float64, paint func(x, y float64) color.RGBA) {
	n := float64(img.Bounds().Dx())
	xs := make([]float64, 0, 16)
	for y := 0; y < img.Bounds().Dy(); y++ {
		fy := (float64(y) + 0.5) / n
		xs = xs[:0]
		for i := range pts {
			a, b := pts[i], pts[(i+1)%len(pts)]
			ay, by := a[1]+shift, b[1]+shift
			if (ay <= fy) != (by <= fy) {
				xs = append(xs, (a[0]+shift)+(fy-ay)/(by-ay)*(b[0]-a[0]))
			}
		}
		for i := 1; i < len(xs); i++ {
			for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
				xs[j], xs[j-1] = xs[j-1], xs[j]
			}
		}
		for i := 0; i+1 < len(xs); i += 2 {
			x0, x1 := int(math.Round(xs[i]*n)), int(math.Round(xs[i+1]*n))
			for x := max(x0, 0); x < min(x1, int(n)); x++ {
				c := paint((float64(x)+0.5)/n, fy)
				o := img.PixOffset(x, y)
				a := uint32(c.A)
				img.Pix[o] = uint8((uint32(c.R)*a + uint32(img.Pix[o])*(255-a)) / 255)
				img.Pix[o+1] = uint8((uint32(c.G)*a + uint32(img.Pix[o+1])*(255-a)) / 255)
				img.Pix[o+2] = uint8((uint32(c.B)*a + uint32(img.Pix[o+2])*(255-a)) / 255)
			}
		}
	}
}
