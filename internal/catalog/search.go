package catalog

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/catalog/internal/dbsqlc"
)

// MaxQueryLength bounds what a search box may send; longer queries are cut, not refused.
const MaxQueryLength = 200

// SearchQuery is what a shopper typed plus the listing controls of the results page.
type SearchQuery struct {
	Text string
	// Exact searches the text as typed, without spelling correction.
	Exact   bool
	Filters map[string][]string
	Sort    Sort
	Page    int
	PerPage int
}

// SearchResult is a page of results with what the search understood.
type SearchResult struct {
	Listing
	// Query is the cleaned text that was searched.
	Query string
	// Corrected is set when the text as typed found nothing and a spelling correction was
	// searched instead ("Showing results for ...").
	Corrected string
	// DidYouMean is a better spelling worth offering while showing the typed query's
	// results.
	DidYouMean string
}

// Search finds storefront products for the text with Postgres full-text search (weighted
// title > brand and categories > description > options), accent-insensitive, stemmed
// (plurals), with prefix matching for a word being typed, SKU look-up, and pg_trgm-based
// typo correction; then filters, sorts and pages in memory.
//
// The text is searched as typed first. When it finds nothing and a corrected spelling
// does, the correction's results are shown (Corrected). When it finds something but a
// word looked misspelt and the correction finds something too, the correction is offered
// (DidYouMean). Exact turns correction off ("search instead for ...").
func (s *Service) Search(ctx context.Context, q SearchQuery) (SearchResult, error) {
	text := cleanQuery(q.Text)
	res := SearchResult{Query: text}
	if text == "" {
		return res, nil
	}
	snap, err := s.cache.get(ctx)
	if err != nil {
		return res, err
	}
	ids, err := s.skuMatches(ctx, text)
	if err != nil {
		return res, err
	}
	if ids == nil {
		words := searchWords(text)
		if ids, err = s.searchIDs(ctx, snap, snap.tsquery(words)); err != nil {
			return res, err
		}
		if !q.Exact {
			if fixed, changed := s.correctWords(ctx, snap, words); changed {
				better, err := s.searchIDs(ctx, snap, snap.tsquery(fixed))
				if err != nil {
					return res, err
				}
				switch {
				case len(ids) == 0 && len(better) > 0:
					ids, res.Corrected = better, strings.Join(fixed, " ")
				case len(ids) > 0 && len(better) > 0:
					res.DidYouMean = strings.Join(fixed, " ")
				}
			}
		}
	}
	if ids == nil {
		ids = []ProductID{}
	}
	res.Listing, err = s.listWithStock(ctx, snap, ListingQuery{Ranked: ids, Filters: q.Filters, Sort: q.Sort, Page: q.Page, PerPage: q.PerPage})
	return res, err
}

// skuMatches returns the product of a SKU (or the products of a SKU prefix such as
// "ADI-00042") when the text looks like one, else nil. SKUs are looked up in the
// database: kept in memory they would cost every replica ~60 bytes a variant for a
// search shoppers rarely make.
func (s *Service) skuMatches(ctx context.Context, text string) ([]ProductID, error) {
	t := strings.ToLower(strings.TrimSpace(text))
	if strings.ContainsRune(t, ' ') || !strings.ContainsAny(t, "0123456789") || !strings.ContainsRune(t, '-') {
		return nil, nil
	}
	like := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(t) + "%"
	ids, err := s.q.SearchSKU(ctx, s.pool, dbsqlc.SearchSKUParams{Sku: t, Prefix: like})
	if err != nil {
		return nil, fmt.Errorf("catalog: search by SKU: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	out := make([]ProductID, len(ids))
	for i, id := range ids {
		out[i] = ProductID(id)
	}
	return out, nil
}

// searchWords folds the text and keeps only runs of letters and digits, so nothing the
// shopper types can inject tsquery syntax.
func searchWords(text string) []string {
	words := strings.FieldsFunc(fold(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) > 12 {
		words = words[:12]
	}
	return words
}

// correctWords replaces each word the catalog does not know by its nearest catalog word.
// The last word is left alone while it is the start of a known word (still being typed).
func (s *Service) correctWords(ctx context.Context, snap *snapshot, words []string) ([]string, bool) {
	out := slices.Clone(words)
	changed := false
	for i, w := range out {
		if snap.knows(w) || len(w) < 3 || (i == len(out)-1 && snap.hasPrefix(w)) {
			continue
		}
		if i+1 < len(out) && snap.knows(w+out[i+1]) {
			continue
		}
		c, ok := snap.search.correction(w)
		if !ok {
			c = s.nearestTerm(ctx, w)
			snap.search.putCorrection(w, c)
		}
		if c != "" && c != w {
			out[i] = c
			changed = true
		}
	}
	return out, changed
}

// tsquery builds the to_tsquery text: words combine with AND (stemming handles plurals),
// the last word also matches as a prefix while it is being typed, and two words the
// catalog writes as one ("t shirt", from "T-Shirt") match that compound.
func (s *snapshot) tsquery(words []string) string {
	var groups []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if i+1 < len(words) && s.knows(w+words[i+1]) {
			// The compound alone: "t" is a stop word, so "t & shirt" would match every shirt.
			groups = append(groups, w+words[i+1])
			i++
			continue
		}
		if i == len(words)-1 && len(w) >= 3 && !s.knows(w) && s.hasPrefix(w) {
			w += ":*"
		}
		groups = append(groups, w)
	}
	return strings.Join(groups, " & ")
}

// knows reports whether the catalog uses the word, allowing a plural ending.
func (s *snapshot) knows(w string) bool {
	if _, ok := s.vocabulary[w]; ok {
		return true
	}
	for _, suffix := range []string{"s", "es"} {
		if stem, ok := strings.CutSuffix(w, suffix); ok && len(stem) >= 2 {
			if _, ok := s.vocabulary[stem]; ok {
				return true
			}
		}
	}
	return false
}

// hasPrefix reports whether some catalog word starts with w ("hood" → hoodie).
func (s *snapshot) hasPrefix(w string) bool {
	i, _ := slices.BinarySearch(s.terms, w)
	return i < len(s.terms) && strings.HasPrefix(s.terms[i], w)
}

// searchIDs returns the products matching a tsquery, best first, remembered for the life
// of the snapshot.
func (s *Service) searchIDs(ctx context.Context, snap *snapshot, tsquery string) ([]ProductID, error) {
	if tsquery == "" {
		return nil, nil
	}
	if ids, ok := snap.search.result(tsquery); ok {
		return ids, nil
	}
	r, err := s.queryIDs(ctx, tsquery)
	if err != nil {
		return nil, err
	}
	snap.search.putResult(tsquery, r)
	return r.ids, nil
}

func (s *Service) queryIDs(ctx context.Context, tsquery string) (searchResult, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, ts_rank_cd(search_vector, query) AS rank FROM catalog.products, to_tsquery('english', $1) query
		WHERE status = 'active' AND search_vector @@ query
		ORDER BY rank DESC, id
		LIMIT $2`, tsquery, searchLimit)
	if err != nil {
		return searchResult{}, fmt.Errorf("catalog: search: %w", err)
	}
	defer rows.Close()
	r := searchResult{ids: []ProductID{}, ranks: []float32{}}
	for rows.Next() {
		var id int64
		var rank float32
		if err := rows.Scan(&id, &rank); err != nil {
			return searchResult{}, fmt.Errorf("catalog: search: %w", err)
		}
		r.ids, r.ranks = append(r.ids, ProductID(id)), append(r.ranks, rank)
	}
	if err := rows.Err(); err != nil {
		return searchResult{}, fmt.Errorf("catalog: search: %w", err)
	}
	return r, nil
}

// nearestTerm finds the catalog word closest to a misspelt one: trigram similarity picks
// candidates, then the fewest edits (a swapped pair of letters counts as one) decides, so
// "tshrit" becomes "tshirt" and "addidas" becomes "adidas".
func (s *Service) nearestTerm(ctx context.Context, w string) string {
	rows, err := s.pool.Query(ctx, `
		SELECT term FROM catalog.search_terms
		WHERE similarity(term, $1) >= 0.2
		ORDER BY similarity(term, $1) DESC
		LIMIT 8`, w)
	if err != nil {
		s.log.WarnContext(ctx, "search: spelling candidates", "err", err)
		return ""
	}
	cands, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (string, error) {
		var term string
		err := row.Scan(&term)
		return term, err
	})
	if err != nil {
		s.log.WarnContext(ctx, "search: spelling candidates", "err", err)
		return ""
	}
	best, bestDist := "", 1<<30
	for _, c := range cands {
		d := editDistance(w, c)
		// Ties keep the earlier, more similar candidate; a far edit is no correction.
		if d < bestDist && d <= max(2, len(w)/3) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance: insertions, deletions,
// substitutions and transpositions of neighbours each cost one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// cleanQuery makes any input safe to search: valid UTF-8, no control characters, single
// spaces, bounded length.
func cleanQuery(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > MaxQueryLength {
		s = s[:MaxQueryLength]
		s = strings.ToValidUTF8(s, "")
	}
	return s
}

// Suggestion is one autocomplete entry.
type Suggestion struct {
	Kind  string // "product", "category" or "brand"
	Label string
	URL   string
}

// Suggest offers up to n completions for a partly typed query: categories and brands
// whose name starts with it, then products whose title contains it. Answered from memory.
func (s *Service) Suggest(ctx context.Context, prefix string, n int) ([]Suggestion, error) {
	p := fold(cleanQuery(prefix))
	if len([]rune(p)) < 2 || n <= 0 {
		return nil, nil
	}
	snap, err := s.cache.get(ctx)
	if err != nil {
		return nil, err
	}
	var out []Suggestion
	for _, c := range snap.categories {
		if len(out) >= n {
			return out, nil
		}
		if strings.HasPrefix(fold(c.Name), p) {
			out = append(out, Suggestion{Kind: "category", Label: c.Name, URL: "/c/" + c.Slug})
		}
	}
	if bi, ok := snap.facets.byKey["brand"]; ok {
		brands := snap.facets.defs[bi]
		for _, vi := range brands.display {
			v := brands.values[vi]
			if len(out) >= n {
				return out, nil
			}
			if strings.HasPrefix(fold(v.Value), p) {
				out = append(out, Suggestion{Kind: "brand", Label: v.Value, URL: "/search?q=" + urlQueryEscape(v.Value)})
			}
		}
	}
	for _, pi := range snap.all {
		if len(out) >= n {
			break
		}
		if e := snap.entry(pi); strings.Contains(e.nameKey, p) {
			out = append(out, Suggestion{Kind: "product", Label: e.p.Title, URL: "/p/" + e.p.Slug})
		}
	}
	return out, nil
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
