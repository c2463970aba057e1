package catalog

import (
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/require"
)

// TestDemoGeneratorAtScale runs the demo generator over a large shop without a database:
// whatever the catalog's size, no title repeats a word, no description repeats a
// sentence, and the products share a bounded set of pictures, all of which can be drawn.
func TestDemoGeneratorAtScale(t *testing.T) {
	t.Parallel()
	const products = 100_000
	require.LessOrEqual(t, demoPictureCount(), 400, "a few hundred pictures at most")
	g := newDemoGenerator(SeedOptions{Products: products, Seed: 1})
	pictures := map[demoPicture]bool{}
	notWord := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	for g.n < products {
		p := g.next()
		words := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(p.title), notWord) {
			require.False(t, words[w], "%q says %q twice", p.title, w)
			words[w] = true
		}
		said := map[string]bool{}
		for _, s := range strings.SplitAfter(strings.ReplaceAll(p.description, "Dr. ", "Dr\u00a0"), ". ") {
			s = strings.TrimSpace(s)
			require.False(t, said[s], "%q says %q twice", p.description, s)
			said[s] = true
		}
		require.Contains(t, demoSilhouettes, p.image.silhouette)
		require.Contains(t, demoColourRGB, p.image.colour, "every colour has its swatch")
		require.Less(t, p.image.look, demoLooks)
		pictures[p.image] = true
	}
	require.LessOrEqual(t, len(pictures), demoPictureCount())
}

// TestDemoTitle: a material the noun already names is said once, a cut comes before the
// material, and a range never repeats the noun or contradicts its cut.
func TestDemoTitle(t *testing.T) {
	t.Parallel()
	require.Equal(t, "Classic Recycled Fleece Jacket", demoTitle("Classic", "Recycled Fleece", "Fleece Jacket", true))
	require.Equal(t, "Nordic Merino Wool Socks", demoTitle("Nordic", "Merino Wool", "Wool Socks", true))
	require.Equal(t, "Heritage Leather Belt", demoTitle("Heritage", "Leather", "Leather Belt", true))
	require.Equal(t, "Club Slim Stretch Denim Jeans", demoTitle("Club", "Stretch Denim", "Slim Jeans", true))
	require.Equal(t, "Club Slim Jeans", demoTitle("Club", "Stretch Denim", "Slim Jeans", false))
	require.False(t, lineFits("Trail", "Trail Running Shoes", "Salomon"))
	require.False(t, lineFits("Slim", "Relaxed Jeans", "Levi's"))
	require.False(t, lineFits("Essential", "T-Shirt", "Monoshop Essentials"))
	require.True(t, lineFits("Trail", "Running Shoes", "Salomon"))
}

// TestDemoNotesForEveryKind: every kind has something said about it, and every material
// a note, so no description is only an opener and a blurb.
func TestDemoNotesForEveryKind(t *testing.T) {
	t.Parallel()
	for _, c := range demoCategories {
		for _, k := range c.kinds {
			require.True(t, len(demoKindNotes[k.noun]) > 0 || len(demoCategoryNotes[c.slug]) > 0, "%s in %s", k.noun, c.slug)
			for _, m := range k.material {
				require.NotEmpty(t, demoMaterialNotes[m], "material %s", m)
			}
		}
	}
}
