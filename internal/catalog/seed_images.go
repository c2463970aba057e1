package catalog

import (
	"image"
	"image/color"
	"math"
)

// demoImageSide is the size of generated demo pictures: enough for every rendered width
// up to 640 and a sharp 1024 for the largest.
const demoImageSide = 1024

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

// demoSilhouettes are outlines (unit square, y down) that suggest what a category sells.
var demoSilhouettes = map[string][][2]float64{
	"top":    {{.30, .18}, {.42, .14}, {.58, .14}, {.70, .18}, {.88, .34}, {.78, .44}, {.70, .38}, {.70, .86}, {.30, .86}, {.30, .38}, {.22, .44}, {.12, .34}},
	"bottom": {{.30, .12}, {.70, .12}, {.74, .88}, {.56, .88}, {.50, .36}, {.44, .88}, {.26, .88}},
	"shoe":   {{.12, .56}, {.20, .40}, {.34, .38}, {.46, .50}, {.70, .56}, {.88, .62}, {.88, .72}, {.12, .72}},
	"bag":    {{.24, .30}, {.38, .30}, {.38, .20}, {.62, .20}, {.62, .30}, {.76, .30}, {.80, .84}, {.20, .84}},
	"round":  {{.50, .16}, {.74, .26}, {.84, .50}, {.74, .74}, {.50, .84}, {.26, .74}, {.16, .50}, {.26, .26}},
}

func silhouetteFor(categorySlug string) string {
	switch categorySlug {
	case "jeans", "trousers", "shorts", "dresses":
		return "bottom"
	case "sneakers", "running-shoes", "boots", "sandals":
		return "shoe"
	case "bags", "belts-wallets":
		return "bag"
	case "hats", "socks", "scarves-gloves":
		return "round"
	}
	return "top"
}

// drawDemoImage paints a product picture: a soft backdrop in a tint of the colour, a
// shadow and the category's silhouette in the colour itself.
func drawDemoImage(categorySlug, colour string) *image.RGBA {
	c, ok := demoColourRGB[colour]
	if !ok {
		c = color.RGBA{128, 128, 128, 255}
	}
	const n = demoImageSide
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	tint := func(v uint8) uint8 { return uint8(235 + (int(v)-128)/12) }
	bg := color.RGBA{tint(c.R), tint(c.G), tint(c.B), 255}
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = bg.R, bg.G, bg.B, 255
	}
	shape := demoSilhouettes[silhouetteFor(categorySlug)]
	fillPolygon(img, shape, 0.02, color.RGBA{0, 0, 0, 40})
	fillPolygon(img, shape, 0, c)
	return img
}

// fillPolygon fills a polygon given in unit coordinates (offset by shift, for a shadow)
// with even-odd scanlines, blending by the colour's alpha.
func fillPolygon(img *image.RGBA, pts [][2]float64, shift float64, c color.RGBA) {
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
				o := img.PixOffset(x, y)
				a := uint32(c.A)
				img.Pix[o] = uint8((uint32(c.R)*a + uint32(img.Pix[o])*(255-a)) / 255)
				img.Pix[o+1] = uint8((uint32(c.G)*a + uint32(img.Pix[o+1])*(255-a)) / 255)
				img.Pix[o+2] = uint8((uint32(c.B)*a + uint32(img.Pix[o+2])*(255-a)) / 255)
			}
		}
	}
}
