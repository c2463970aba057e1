package catalog

import "slices"

// ImagesFor lists the pictures to show with variant v chosen (nil for a product without
// variants): first those of v's option values ("Colour: Orange"), then those shown for
// every variant, each group in the merchant's order. Pictures of other values are left
// out, so an orange shirt is not shown in navy. When that leaves nothing (every picture
// is of another colour) all of them are shown: a picture of the product beats none.
//
// The result is a new slice; the images themselves are shared with the read model.
func (p Product) ImagesFor(v *Variant) []Image {
	var own, general []Image
	for _, img := range p.Images {
		switch {
		case img.OptionValueID == 0:
			general = append(general, img)
		case v != nil && slices.Contains(v.OptionValueIDs, img.OptionValueID):
			own = append(own, img)
		}
	}
	if len(own)+len(general) == 0 {
		return slices.Clone(p.Images)
	}
	return append(own, general...)
}
