package main

import (
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// productWords returns the words a shopper could type to find the product of a page: the
// words of every data-testid="product-title" and data-testid="product-brand" element,
// lower-cased, each once.
func productWords(doc *node) []string {
	var out []string
	seen := map[string]bool{}
	for _, el := range doc.findAll(func(n *node) bool {
		return n.hasTestID("product-title") || n.hasTestID("product-brand")
	}) {
		for _, w := range words(el.textContent()) {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

// words splits a phrase into lower-case words of at least two characters, keeping
// inner hyphens and apostrophes ("t-shirt", "levi's") as shoppers type them.
func words(phrase string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(phrase, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\''
	}) {
		w := strings.ToLower(strings.Trim(f, "-'"))
		if utf8.RuneCountInString(w) >= 2 {
			out = append(out, w)
		}
	}
	return out
}

// buildQueries makes up to want distinct search queries of one to three words, each
// taken from the words of one product, a tenth of them with a typo in one word (counted
// in typos). It returns fewer when the vocabulary cannot give that many.
func buildQueries(products [][]string, want int, rng *rand.Rand) (queries []string, typos int) {
	var usable [][]string
	for _, ws := range products {
		if len(ws) > 0 {
			usable = append(usable, ws)
		}
	}
	if len(usable) == 0 || want <= 0 {
		return nil, 0
	}
	seen := map[string]bool{}
	var out []string
	// Give up on a kind of query after this many draws in a row produced nothing new.
	const patience = 1000
	add := func(count int, withTypo bool) int {
		added, misses := 0, 0
		for added < count && misses < patience {
			ws := usable[rng.IntN(len(usable))]
			q := pickWords(ws, 1+rng.IntN(min(3, len(ws))), rng)
			if withTypo && !typoOneWord(q, rng) {
				misses++
				continue
			}
			s := strings.Join(q, " ")
			if seen[s] {
				misses++
				continue
			}
			seen[s] = true
			out = append(out, s)
			added, misses = added+1, 0
		}
		return added
	}
	add(want-want/10, false)
	typos = add(want/10, true)
	return out, typos
}

// pickWords returns n distinct words of ws in their original order, as a shopper who
// remembers part of a product name would type them.
func pickWords(ws []string, n int, rng *rand.Rand) []string {
	idx := rng.Perm(len(ws))[:n]
	slices.Sort(idx)
	out := make([]string, n)
	for i, k := range idx {
		out[i] = ws[k]
	}
	return out
}

// typoOneWord misspells one of the words of q that is long enough to misspell and
// reports whether there was one.
func typoOneWord(q []string, rng *rand.Rand) bool {
	var long []int
	for i, w := range q {
		if typoable(w) {
			long = append(long, i)
		}
	}
	if len(long) == 0 {
		return false
	}
	i := long[rng.IntN(len(long))]
	q[i] = typo(q[i], rng)
	return true
}

// typoable reports whether w is a word of at least five letters: shorter words misspelt
// become other words or noise that no search engine is expected to correct.
func typoable(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
		n++
	}
	return n >= 5
}

// typo misspells w the way fast typists do: two adjacent letters swapped, one dropped or
// one doubled. The result always differs from w.
func typo(w string, rng *rand.Rand) string {
	r := []rune(w)
	switch rng.IntN(3) {
	case 0:
		var at []int
		for i := 0; i+1 < len(r); i++ {
			if r[i] != r[i+1] {
				at = append(at, i)
			}
		}
		if len(at) > 0 {
			i := at[rng.IntN(len(at))]
			r[i], r[i+1] = r[i+1], r[i]
			return string(r)
		}
		// Every letter is the same ("aaaaa"): no swap changes it, so drop one instead.
		fallthrough
	case 1:
		i := rng.IntN(len(r))
		return string(r[:i]) + string(r[i+1:])
	default:
		i := rng.IntN(len(r))
		return string(r[:i+1]) + string(r[i:])
	}
}
