package catalog

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"runtime"
	"strconv"

	"github.com/monoshop/monoshop/internal/platform/apperr"
)

const (
	// MaxImagePixels is the most pixels an image may have: 20 megapixels, the limit
	// Shopify publishes for product images (with the same 20 MB per file), 5000 × 4000
	// or a 12 MP phone photo with room to spare. Pages show at most 1280 px and the
	// master keeps 2560, so more only costs: a 6000 × 6000 PNG of 117 KB decodes into
	// 144 MB of pixels.
	MaxImagePixels = 20_000_000
	// maxDecodeBytes bounds what one decode may hold: 20 MP at 4 bytes a pixel (8-bit
	// RGBA). Encodings that cost more a pixel get fewer pixels (see decodeCost), so one
	// decode stays near 100 MB whatever the file.
	maxDecodeBytes = 4 * MaxImagePixels
	// maxDecodeSlots is how many images a process decodes at once, at most: decoding is
	// CPU-bound, so more at once than cores finishes none sooner and holds more memory.
	// With two, decoding takes at most about 300 MB of a replica (one upload of a 20 MP
	// PNG peaked at 97 MB of heap, of a 10 MP 16-bit one at 149 MB).
	maxDecodeSlots = 2
)

// imageDecoder decodes images within a memory budget: each image's header is checked
// against MaxImagePixels and maxDecodeBytes before any pixel is decoded, and at most
// cap(slots) decodes run at once in the process. Uploads and the rendering job share it.
type imageDecoder struct {
	slots chan struct{}
	// decoding, when set, runs while a decode holds its slot (tests count the decodes
	// running at once). Set before the service is used.
	decoding func()
}

func newImageDecoder() *imageDecoder {
	return &imageDecoder{slots: make(chan struct{}, max(1, min(maxDecodeSlots, runtime.GOMAXPROCS(0))))}
}

// decode checks raw against the limits, decodes it holding a slot and returns
// shrink(decoded) with its format: the full-size picture never outlives its slot. Refusals
// are apperr.Invalid with a message for the person who sent the file.
func (d *imageDecoder) decode(ctx context.Context, raw []byte, shrink func(image.Image) image.Image) (image.Image, string, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		return nil, "", apperr.Wrap(err, apperr.Invalid, "This file is not an image we can read. Upload a JPEG, PNG, GIF or WebP image.")
	}
	switch format {
	case "jpeg", "png", "gif", "webp":
	default:
		return nil, "", apperr.New(apperr.Invalid, "Upload a JPEG, PNG, GIF or WebP image.")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxImageSide || cfg.Height > MaxImageSide {
		return nil, "", apperr.New(apperr.Invalid, fmt.Sprintf("The image is %d×%d pixels; each side must be at most %d.", cfg.Width, cfg.Height, MaxImageSide))
	}
	cost := decodeCost(raw, format, cfg.ColorModel)
	if limit := maxPixelsAt(cost.bytesPerPixel); cfg.Width*cfg.Height > limit {
		return nil, "", apperr.New(apperr.Invalid, tooManyPixels(cfg.Width, cfg.Height, limit, cost.kind))
	}

	select {
	case d.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, "", fmt.Errorf("catalog: wait to decode an image: %w", ctx.Err())
	}
	defer func() { <-d.slots }()
	if d.decoding != nil {
		d.decoding()
	}
	img, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return nil, "", apperr.Wrap(err, apperr.Invalid, "The image is damaged and cannot be read.")
	}
	return shrink(img), format, nil
}

// maxPixelsAt is the most pixels an image costing bytesPerPixel to decode may have.
func maxPixelsAt(bytesPerPixel float64) int {
	return min(MaxImagePixels, int(maxDecodeBytes/bytesPerPixel))
}

// tooManyPixels says how large the picture is and how large it may be; kind names what
// makes this one cost more than an ordinary picture ("" when nothing does).
func tooManyPixels(w, h, limit int, kind string) string {
	msg := fmt.Sprintf("This picture is %d × %d pixels; the largest we take is %s megapixels", w, h, megapixels(limit))
	if kind != "" && limit < MaxImagePixels {
		msg += fmt.Sprintf(" for %s (%s for other pictures)", kind, megapixels(MaxImagePixels))
	}
	return msg + ". Please upload a smaller version."
}

// megapixels writes n pixels as megapixels, rounded down to a tenth: "20", "6.6".
func megapixels(n int) string {
	return strconv.FormatFloat(float64(n/100_000)/10, 'f', -1, 64)
}

// imageCost is what decoding an image takes, per pixel.
type imageCost struct {
	bytesPerPixel float64
	// kind names an encoding that costs more than 4 bytes a pixel, for the message.
	kind string
}

// decodeCost estimates the bytes Go's decoders hold per pixel of the image, from its
// header: the decoded image (by its colour model) plus what some encodings keep beside
// it while decoding. A 16-bit PNG decodes to 8 bytes a pixel; an interlaced PNG keeps
// its passes until they are merged; a progressive JPEG keeps every DCT coefficient of
// every sample as an int32 until its last scan (4 bytes a sample); a CMYK JPEG is
// decoded in two steps.
func decodeCost(raw []byte, format string, model color.Model) imageCost {
	if format == "jpeg" {
		return jpegCost(raw, model)
	}
	c := imageCost{bytesPerPixel: modelBytes(model)}
	if c.bytesPerPixel > 4 {
		c.kind = "a picture with 16 bits per colour"
	}
	// The interlace method is the last byte of the IHDR chunk, the first after the
	// 8-byte signature.
	if format == "png" && len(raw) > 28 && raw[28] == 1 {
		c.bytesPerPixel *= 1.5
		if c.kind == "" {
			c.kind = "an interlaced PNG"
		}
	}
	return c
}

// modelBytes is the size of a decoded pixel in the image type Go decodes model into.
func modelBytes(model color.Model) float64 {
	switch model.(type) {
	case color.Palette:
		return 1
	}
	switch model {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3 // at worst, when the colour is not subsampled
	case color.NYCbCrAModel, color.RGBAModel, color.NRGBAModel, color.CMYKModel:
		return 4
	}
	return 8
}

// jpegCost reads the frame header of a JPEG for its sampling and whether it is
// progressive.
func jpegCost(raw []byte, model color.Model) imageCost {
	samples, components, progressive, ok := jpegFrame(raw)
	if !ok {
		// DecodeConfig read the header; assume the worst of what it may hold.
		samples, components, progressive = 4, 4, true
	}
	c := imageCost{bytesPerPixel: samples}
	var kinds []string
	if components == 4 || model == color.CMYKModel {
		c.bytesPerPixel += 4 // the colour planes, then the CMYK image built from them
		kinds = append(kinds, "CMYK")
	}
	if progressive {
		c.bytesPerPixel += 4 * samples
		kinds = append([]string{"progressive"}, kinds...)
	}
	if c.bytesPerPixel > 4 {
		c.kind = "a"
		for _, k := range kinds {
			c.kind += " " + k
		}
		c.kind += " JPEG"
	}
	return c
}

// jpegFrame finds a JPEG's frame header (SOF) and returns the samples it stores per
// pixel (1.5 for the usual 4:2:0 colour: full-size luma, quarter-size chroma), its
// number of components and whether it is progressive.
func jpegFrame(raw []byte) (samples float64, components int, progressive, ok bool) {
	i := 2 // after the start-of-image marker
	for i+4 <= len(raw) {
		if raw[i] != 0xFF {
			return 0, 0, false, false
		}
		marker := raw[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		length := int(binary.BigEndian.Uint16(raw[i+2:]))
		if length < 2 || i+2+length > len(raw) {
			return 0, 0, false, false
		}
		seg := raw[i+4 : i+2+length]
		switch marker {
		case 0xC0, 0xC1, 0xC2: // the frames Go decodes: baseline, extended, progressive
			// precision, height, width, component count, then 3 bytes a component
			// (id, horizontal<<4 | vertical sampling, quantisation table).
			if len(seg) < 6 || seg[5] == 0 || len(seg) < 6+3*int(seg[5]) {
				return 0, 0, false, false
			}
			n := int(seg[5])
			var sum, hmax, vmax int
			for c := range n {
				hv := seg[6+3*c+1]
				h, v := int(hv>>4), int(hv&0x0F)
				sum += h * v
				hmax, vmax = max(hmax, h), max(vmax, v)
			}
			if hmax == 0 || vmax == 0 {
				return 0, 0, false, false
			}
			return float64(sum) / float64(hmax*vmax), n, marker == 0xC2, true
		case 0xDA: // start of scan: no frame header before it
			return 0, 0, false, false
		}
		i += 2 + length
	}
	return 0, 0, false, false
}
