package catalog

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"
)

// cutFits are the cuts some kinds are named after ("Slim Jeans") and the Fit they mean,
// so a product's Fit never contradicts its title.
var cutFits = map[string]string{"Slim": "Slim", "Straight": "Regular", "Relaxed": "Relaxed"}

// demoTitle names a product the way shops do: range, cut, material, then what it is
// ("Classic Slim Stretch Denim Jeans"). A material the noun already says is said once:
// "Recycled Fleece Jacket", not "Recycled Fleece Fleece Jacket".
func demoTitle(line, material, noun string, withMaterial bool) string {
	parts := []string{line}
	head := noun
	if withMaterial {
		if cut, rest, ok := strings.Cut(noun, " "); ok && cutFits[cut] != "" {
			parts = append(parts, cut)
			head = rest
		}
		parts = append(parts, material)
	}
	parts = append(parts, head)
	var words []string
	seen := map[string]bool{}
	for _, w := range strings.Fields(strings.Join(parts, " ")) {
		if k := strings.ToLower(w); !seen[k] {
			seen[k] = true
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

// lineFits reports whether a range name reads well on a kind from a brand: it repeats
// no word of the noun ("Trail Trail Running Shoes"), does not contradict a cut ("Slim
// Relaxed Jeans") and does not echo the brand ("Monoshop Essentials Essential Tee").
func lineFits(line, noun, brand string) bool {
	l := strings.ToLower(line)
	for _, w := range strings.FieldsFunc(strings.ToLower(noun), notLetter) {
		if w == l {
			return false
		}
	}
	if first, _, _ := strings.Cut(noun, " "); cutFits[first] != "" && cutFits[line] != "" {
		return false
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(fold(brand)), notLetter) {
		if strings.HasPrefix(w, fold(l)) {
			return false
		}
	}
	return true
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) }

// keepCase are words that stay capitalised inside a sentence: trade names and places.
var keepCase = map[string]string{"Gore-Tex": "Gore-Tex", "Oxford": "Oxford", "Chelsea": "Chelsea", "T-Shirt": "T-shirt"}

// inSentence writes a title-cased name as it reads inside a sentence ("T-shirt",
// "Gore-Tex", "merino wool").
func inSentence(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if k, ok := keepCase[w]; ok {
			words[i] = k
		} else {
			words[i] = strings.ToLower(w)
		}
	}
	return strings.Join(words, " ")
}

func capitalise(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

// isPlural tells "jeans", "boots" and "socks" from "a dress".
func isPlural(noun string) bool {
	words := strings.Fields(noun)
	last := words[len(words)-1]
	return strings.HasSuffix(last, "s") && last != "Dress"
}

// withArticle puts "a" or "an" before a singular noun phrase; plurals take none.
func withArticle(phrase string, plural bool) string {
	if plural {
		return phrase
	}
	if strings.ContainsRune("aeiouAEIOU", rune(phrase[0])) {
		return "an " + phrase
	}
	return "a " + phrase
}

// demoOpeners introduce a product: range, brand, what it is and its material. Each is a
// sentence no other pool holds.
var demoOpeners = []func(line, brand, noun, material string, plural bool) string{
	func(line, brand, noun, material string, plural bool) string {
		return fmt.Sprintf("The %s %s by %s, made from %s.", line, noun, brand, material)
	},
	func(line, brand, noun, material string, plural bool) string {
		return capitalise(fmt.Sprintf("%s in %s, from the %s range by %s.", withArticle(noun, plural), material, line, brand))
	},
	func(line, brand, noun, material string, plural bool) string {
		these := "this"
		if plural {
			these = "these"
		}
		return fmt.Sprintf("%s makes %s %s in %s for its %s range.", brand, these, noun, material, line)
	},
	func(line, brand, noun, material string, plural bool) string {
		return fmt.Sprintf("From the %s range by %s: %s in %s.", line, brand, withArticle(noun, plural), material)
	},
}

// demoMaterialNotes say something true about each material; a material without a note
// simply has no sentence about it.
var demoMaterialNotes = map[string][]string{
	"Cotton":             {"Cotton breathes, washes easily and softens with every wear.", "Pure cotton, soft against the skin and easy to wash."},
	"Organic Cotton":     {"The organic cotton is grown without synthetic pesticides or fertilisers."},
	"Recycled Cotton":    {"Recycled cotton gives offcuts from the cutting room a second life."},
	"Piqué Cotton":       {"Piqué cotton has a fine waffle texture that lets air through on warm days."},
	"Stretch Cotton":     {"A touch of elastane in the cotton lets it move with you."},
	"Cotton Twill":       {"Sturdy cotton twill, brushed for a soft hand."},
	"Cotton Ripstop":     {"The ripstop weave stops a small tear from spreading."},
	"Cotton Gabardine":   {"Tightly woven gabardine sheds a shower and keeps its crease."},
	"Merino Wool":        {"Merino wool keeps you warm without bulk and rarely needs washing.", "Fine merino wool regulates temperature and resists odours."},
	"Cashmere":           {"Cashmere is light, very warm and grows softer with time."},
	"Lambswool":          {"Lambswool from the first shearing is the softest a sheep gives."},
	"Wool":               {"Wool stays warm even when damp."},
	"Linen":              {"Linen keeps cool in the heat and creases in a way that looks lived in."},
	"Flannel":            {"Brushed flannel, warm and soft from the first wear."},
	"Denim":              {"The denim is rigid at first and moulds to you with wear."},
	"Stretch Denim":      {"Stretch denim holds its shape and gives where you bend."},
	"Selvedge Denim":     {"Selvedge denim woven on narrow shuttle looms, with a clean finished edge."},
	"Recycled Polyester": {"The recycled polyester is made from plastic bottles."},
	"Nylon":              {"Nylon is light, quick to dry and hard-wearing."},
	"Gore-Tex":           {"A Gore-Tex membrane keeps rain out and lets sweat escape."},
	"Softshell":          {"Softshell stretches, blocks the wind and shrugs off light rain."},
	"Fleece":             {"Fleece traps warm air and dries in no time."},
	"Recycled Fleece":    {"Recycled fleece, spun from bottles, traps warm air and dries fast."},
	"Viscose":            {"Viscose drapes beautifully and feels cool on the skin."},
	"Leather":            {"Full-grain leather that takes on a patina over the years.", "Vegetable-tanned leather that ages well."},
	"Suede":              {"Soft suede with a velvety nap; a protective spray keeps it looking new."},
	"Canvas":             {"Heavy cotton canvas that stands up to daily use."},
	"Mesh":               {"An engineered mesh upper keeps feet cool."},
	"Knit":               {"A sock-like knit upper hugs the foot."},
	"Cork":               {"The cork footbed shapes itself to your foot."},
	"Rubber":             {"Natural rubber, waterproof and comfortable straight out of the box."},
	"Acrylic":            {"Acrylic yarn keeps its colour and is easy to care for."},
}

// demoCategoryNotes describe what the products of each category have in common;
// demoKindNotes take their place where a category's kinds differ too much for that.
// Every kind has notes from one or the other.
var demoCategoryNotes = map[string][]string{
	"t-shirts":      {"A ribbed collar keeps its shape wash after wash.", "Side seams are taped so nothing twists.", "Easy to layer under a shirt or jacket.", "Cut for comfort and made to last; washes well and keeps its shape."},
	"shirts":        {"Mother-of-pearl buttons and a curved hem that works tucked or untucked.", "A button-down collar stays neat without a tie.", "Single-needle stitching on every seam."},
	"hoodies":       {"Ribbed cuffs and hem keep the warmth in.", "Brushed inside for extra softness.", "Heavyweight jersey that holds its shape."},
	"knitwear":      {"Fully fashioned, so the seams lie flat.", "Ribbed trims at the neck, cuffs and hem.", "Knitted to keep its shape after many washes."},
	"jeans":         {"Five pockets, a button fly and copper rivets.", "Washed before sale, so the fit stays the same after your first wash.", "A mid rise that sits at the waist."},
	"trousers":      {"An elasticated back waistband for easy comfort.", "Deep pockets that hold a phone securely.", "Tapered below the knee for a clean line."},
	"shorts":        {"An inside drawcord fine-tunes the fit.", "A zipped back pocket for keys.", "Cut to sit just above the knee."},
	"sneakers":      {"A cushioned insole and a grippy rubber outsole.", "Reinforced heel counter for support.", "A removable insole that can be washed."},
	"running-shoes": {"A responsive midsole returns energy with every stride.", "An 8 mm drop suits most runners.", "Reflective details for early and late runs."},
	"boots":         {"A stitched sole that a cobbler can replace.", "A lugged outsole grips on wet ground.", "A pull tab at the heel makes them easy to put on."},
	"hats":          {"One size fits most heads.", "Warm without being bulky.", "A clean look with a small woven label."},
	"socks":         {"Reinforced heel and toe where socks wear first.", "A cushioned sole and a seamless toe.", "A ribbed cuff that stays up all day."},
}

var demoKindNotes = map[string][]string{
	"Hoodie":        {"A lined hood and a roomy kangaroo pocket."},
	"Zip Hoodie":    {"A lined hood and two hand pockets."},
	"Rain Jacket":   {"Taped seams and a peaked hood that moves with your head.", "Packs into its own pocket."},
	"Down Jacket":   {"Responsibly sourced down, warm for its weight.", "Baffles keep the down where it is needed."},
	"Fleece Jacket": {"A full zip and a stand-up collar.", "Zipped hand pockets keep hands warm."},
	"Parka":         {"A two-way zip and storm flap keep the weather out.", "An adjustable hood fits over a cap."},
	"Bomber Jacket": {"Ribbed collar, cuffs and hem.", "A sleeve pocket, as on the originals."},
	"Trench Coat":   {"Double-breasted, with a belt and storm flaps.", "Lined for a smooth fit over a jacket."},
	"Wrap Dress":    {"Ties at the waist, so the fit is yours to set.", "A flattering wrap front and side pockets."},
	"Maxi Dress":    {"A full-length skirt that moves as you walk.", "Fully lined and easy to dress up or down."},
	"Midi Skirt":    {"Falls just below the knee.", "A concealed side zip and a smooth waistband."},
	"Sandals":       {"Adjustable straps for a secure fit.", "A contoured footbed supports the arch."},
	"Flip-Flops":    {"A soft toe post that does not rub.", "Light enough to pack for any trip."},
	"Backpack":      {"A padded laptop sleeve fits most 15-inch laptops.", "Padded straps and a breathable back panel."},
	"Tote Bag":      {"Long handles to carry on the shoulder.", "An inside pocket for keys and a phone."},
	"Duffel Bag":    {"Big enough for a weekend away.", "A detachable shoulder strap and sturdy zips."},
	"Crossbody Bag": {"An adjustable strap to wear across the body.", "Room for a phone, keys and a wallet."},
	"Leather Belt":  {"A solid brass buckle.", "Stitched edges that will not fray."},
	"Wallet":        {"Slim enough for a front pocket.", "Eight card slots and a note compartment."},
	"Scarf":         {"Generous length to wrap twice.", "Finished with a fringe at each end."},
	"Gloves":        {"Touchscreen-friendly fingertips.", "A snug cuff keeps the cold out."},
}

// demoFitNotes describe a garment's Fit; shoes say how they size.
var demoFitNotes = map[string]string{
	"Slim":    "A slim fit that follows the body; size up for more room.",
	"Regular": "A regular fit, true to size.",
	"Relaxed": "A relaxed fit with room to move.",
	"shoes":   "True to size; between sizes, take the larger.",
}

// demoBlurbs are sentences any product can carry.
var demoBlurbs = []string{
	"A wardrobe staple with clean lines and durable stitching.",
	"Designed for long days outdoors and easy evenings in town.",
	"Made in small batches from responsibly sourced materials.",
	"Soft to the touch, tough where it counts.",
	"Built to be worn hard and look better with age.",
	"Made in a factory audited for fair working conditions.",
	"Pairs easily with everything else in your wardrobe.",
	"Free repairs for the first two years.",
	"Designed to be worn for years, not seasons.",
	"Packed without plastic, in a recycled paper bag.",
	"A quiet design that does not shout about its logo.",
	"Tested for a whole season before going on sale.",
	"A favourite with customers year after year.",
	"Ships from our warehouse in France within two working days.",
	"Free returns within 30 days.",
	"Every piece is checked by hand before it leaves the workshop.",
}

// demoDescription writes a product's description: an opener, then a few sentences on its
// material, its kind, its fit and its making, each from its own pool so none repeats.
func demoDescription(rng *rand.Rand, line, brand, noun, material, category, fit string, shoes bool) string {
	notes := demoKindNotes[noun]
	if notes == nil {
		notes = demoCategoryNotes[category]
	}
	plural := isPlural(noun)
	sentences := []string{demoOpeners[rng.IntN(len(demoOpeners))](line, brand, inSentence(withoutWords(noun, material)), inSentence(material), plural)}
	if about := demoMaterialNotes[material]; len(about) > 0 && rng.IntN(4) > 0 {
		sentences = append(sentences, about[rng.IntN(len(about))])
	}
	sentences = append(sentences, notes[rng.IntN(len(notes))])
	switch {
	case fit != "":
		sentences = append(sentences, demoFitNotes[fit])
	case shoes:
		sentences = append(sentences, demoFitNotes["shoes"])
	}
	first := rng.IntN(len(demoBlurbs))
	sentences = append(sentences, demoBlurbs[first])
	if rng.IntN(2) == 0 {
		// Any blurb but the first.
		second := rng.IntN(len(demoBlurbs) - 1)
		if second >= first {
			second++
		}
		sentences = append(sentences, demoBlurbs[second])
	}
	return strings.Join(sentences, " ")
}

// withoutWords drops from noun the words the material says, so a sentence that names
// both reads "a belt in leather", not "a leather belt in leather".
func withoutWords(noun, material string) string {
	var kept []string
	for _, w := range strings.Fields(noun) {
		if !containsFold(strings.Fields(material), w) {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		return noun
	}
	return strings.Join(kept, " ")
}

func containsFold(words []string, w string) bool {
	for _, x := range words {
		if strings.EqualFold(x, w) {
			return true
		}
	}
	return false
}
