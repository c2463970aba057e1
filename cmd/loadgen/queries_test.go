package main

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func TestWords(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"red", "cotton", "t-shirt", "levi's", "501"},
		words("Red  Cotton T-Shirt, (Levi's) 501 & -"))
	require.Empty(t, words(" a & b "))
}

func TestProductWords(t *testing.T) {
	t.Parallel()
	doc := parseHTML(`<h1 data-testid="product-title">Red Cotton Hoodie</h1>
		<p data-testid="product-brand">Acme</p>
		<p data-testid="product-description">Soft and warm</p>
		<article><a data-testid="product-title">Blue Cotton Tee</a></article>`)
	require.Equal(t, []string{"red", "cotton", "hoodie", "acme", "blue", "tee"}, productWords(doc))
}

func TestTypo(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		rng := rand.New(rand.NewPCG(1, 1))
		kinds := map[string]int{}
		for range 300 {
			w := "sneakers"
			got := typo(w, rng)
			require.NotEqual(t, w, got)
			switch utf8.RuneCountInString(got) - utf8.RuneCountInString(w) {
			case 0:
				kinds["swap"]++
				require.ElementsMatch(t, []rune(w), []rune(got), "a swap keeps the letters")
				require.Equal(t, 2, differingPositions(w, got), "a swap moves two adjacent letters")
			case -1:
				kinds["drop"]++
				require.True(t, isSubsequence(got, w))
			case 1:
				kinds["double"]++
				require.True(t, isSubsequence(w, got))
			default:
				t.Fatalf("typo(%q) = %q changes the length by more than one", w, got)
			}
		}
		require.Len(t, kinds, 3, "swaps, drops and doubles all occur: %v", kinds)
	})

	t.Run("SameLetters", func(t *testing.T) {
		t.Parallel()
		rng := rand.New(rand.NewPCG(1, 1))
		for range 50 {
			require.NotEqual(t, "aaaaa", typo("aaaaa", rng))
		}
	})

	t.Run("NonASCII", func(t *testing.T) {
		t.Parallel()
		rng := rand.New(rand.NewPCG(1, 1))
		for range 50 {
			got := typo("größe", rng)
			require.True(t, utf8.ValidString(got))
			require.NotEqual(t, "größe", got)
		}
	})

	t.Run("Typoable", func(t *testing.T) {
		t.Parallel()
		require.True(t, typoable("boots"))
		require.True(t, typoable("größe"))
		require.False(t, typoable("tees"), "fewer than five letters")
		require.False(t, typoable("t-shirt"), "not only letters")
		require.False(t, typoable("12345"))
	})
}

func differingPositions(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	n := 0
	for i := range ra {
		if ra[i] != rb[i] {
			n++
		}
	}
	return n
}

// isSubsequence reports whether short is long with exactly one rune removed.
func isSubsequence(short, long string) bool {
	rs, rl := []rune(short), []rune(long)
	for i := range rl {
		if string(rl[:i])+string(rl[i+1:]) == string(rs) {
			return true
		}
	}
	return false
}

func TestBuildQueries(t *testing.T) {
	t.Parallel()

	colors := []string{"red", "navy", "olive", "black", "white", "sand", "forest"}
	materials := []string{"cotton", "linen", "merino", "denim", "canvas"}
	nouns := []string{"hoodie", "jacket", "sneakers", "chinos", "sweater", "parka"}
	brands := []string{"acme", "borealis", "cascade", "dune"}
	var vocab [][]string
	for i := range 120 {
		vocab = append(vocab, []string{colors[i%7], materials[i/7%5], nouns[i%6], brands[i/3%4]})
	}
	known := map[string]bool{}
	for _, ws := range vocab {
		for _, w := range ws {
			known[w] = true
		}
	}

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		qs, typos := buildQueries(vocab, 500, rand.New(rand.NewPCG(3, 4)))
		require.Len(t, qs, 500)
		require.Equal(t, 50, typos)
		seen := map[string]bool{}
		misspelt := 0
		for _, q := range qs {
			require.False(t, seen[q], "duplicate query %q", q)
			seen[q] = true
			ws := strings.Fields(q)
			require.True(t, len(ws) >= 1 && len(ws) <= 3, "%q has 1 to 3 words", q)
			unknown := 0
			for _, w := range ws {
				if !known[w] {
					unknown++
					require.GreaterOrEqual(t, utf8.RuneCountInString(w), 4, "only words of five letters or more get a typo")
				}
			}
			require.LessOrEqual(t, unknown, 1, "%q: at most one misspelt word", q)
			misspelt += unknown
		}
		require.Equal(t, 50, misspelt, "a tenth of the queries have a typo")

		again, _ := buildQueries(vocab, 500, rand.New(rand.NewPCG(3, 4)))
		require.Equal(t, qs, again, "the same seed gives the same queries")
	})

	t.Run("SmallVocabulary", func(t *testing.T) {
		t.Parallel()
		qs, typos := buildQueries([][]string{{"red", "tee"}}, 500, rand.New(rand.NewPCG(3, 4)))
		require.ElementsMatch(t, []string{"red", "tee", "red tee"}, qs, "every query there is, in title order")
		require.Zero(t, typos, "no word has five letters")
	})

	t.Run("Empty", func(t *testing.T) {
		t.Parallel()
		qs, _ := buildQueries([][]string{nil, {}}, 500, rand.New(rand.NewPCG(3, 4)))
		require.Empty(t, qs)
	})
}

func TestPickWords(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	ws := []string{"a1", "b2", "c3", "d4", "e5"}
	for range 100 {
		got := pickWords(ws, 3, rng)
		require.Len(t, got, 3)
		require.True(t, slices.IsSortedFunc(got, func(a, b string) int {
			return slices.Index(ws, a) - slices.Index(ws, b)
		}), "%v keeps the title's order", got)
	}
}
