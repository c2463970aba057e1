package catalogweb

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/web"
)

// listingPerPage is how many cards a category or search page shows: six rows of four.
const listingPerPage = 24

// Bounds on what a listing URL may ask for. Anything past them is ignored rather than
// refused: a mangled or hostile URL still gets a normal page, but never makes the server
// match thousands of strings.
const (
	maxFilterValues  = 50
	maxFilterValueLn = 100
	maxFilterKeyLn   = 40
)

// Query parameters that are not facet filters. A facet whose key collides with one of
// these cannot be filtered on through the URL.
const (
	paramQuery = "q"
	paramSort  = "sort"
	paramPage  = "page"
)

// categoryHref is a category page's root-relative URL.
func categoryHref(slug string) string { return "/c/" + url.PathEscape(slug) }

// listingParams is what a category or search URL asks for, before the catalog has said
// which of the filters it knows.
type listingParams struct {
	Filters map[string][]string
	Sort    catalog.Sort
	Page    int
}

// parseListingParams reads filters, sort and page from a query string. It never fails:
// unknown sorts become relevance, unusable pages become 1 (or the last page, which the
// catalog clamps to, for an overlong number), values that are too long or too many are
// dropped, and invalid UTF-8 has its broken bytes replaced.
func parseListingParams(q url.Values) listingParams {
	p := listingParams{
		Filters: map[string][]string{},
		Sort:    catalog.ParseSort(q.Get(paramSort)),
		Page:    parsePage(q.Get(paramPage)),
	}
	// Keys in sorted order, so which values survive the cap does not depend on map order.
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	budget := maxFilterValues
	for _, k := range keys {
		if k == paramQuery || k == paramExact || k == paramSort || k == paramPage || len(k) > maxFilterKeyLn || k == "" {
			continue
		}
		vals := q[k]
		// Broken bytes become U+FFFD rather than vanish, so "Nik%ffe" cannot turn into
		// a real value the shopper never asked for.
		k = strings.ToValidUTF8(k, "\uFFFD")
		for _, v := range vals {
			if budget == 0 {
				break
			}
			v = strings.TrimSpace(strings.ToValidUTF8(v, "\uFFFD"))
			if v == "" || len(v) > maxFilterValueLn || slices.Contains(p.Filters[k], v) {
				continue
			}
			p.Filters[k] = append(p.Filters[k], v)
			budget--
		}
	}
	return p
}

// parsePage accepts a positive page number. A number too large for an int asks for "the
// end", so it becomes the largest page, which the catalog then clamps to the last one.
func parsePage(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	switch {
	case errors.Is(err, strconv.ErrRange) && n > 0:
		return math.MaxInt32
	case err != nil || n < 1:
		return 1
	case n > math.MaxInt32:
		return math.MaxInt32
	}
	return n
}

// listingURLs builds the links of one listing page. Every URL it makes is canonical: keys
// and values sorted, page 1 and the default sort left out, so one selection always has one
// URL that can be shared, cached and compared.
type listingURLs struct {
	path  string
	fixed url.Values // parameters every link keeps, such as the search text
	// filters are the selections the catalog recognised, values sorted.
	filters map[string][]string
	sort    catalog.Sort
}

// newListingURLs keeps only the filters the listing marks as selected: a value the catalog
// does not know never leaks into links, chips or the sort form.
func newListingURLs(path string, fixed url.Values, l catalog.Listing, sort catalog.Sort) listingURLs {
	u := listingURLs{path: path, fixed: fixed, filters: map[string][]string{}, sort: sort}
	for _, f := range l.Facets {
		for _, v := range f.Values {
			if v.Selected {
				u.filters[f.Key] = append(u.filters[f.Key], v.Value)
			}
		}
	}
	for k := range u.filters {
		slices.Sort(u.filters[k])
	}
	return u
}

// filtered reports whether any recognised filter is applied.
func (u listingURLs) filtered() bool { return len(u.filters) > 0 }

func (u listingURLs) build(filters map[string][]string, sort catalog.Sort, page int) string {
	return u.buildWith(filters, "", nil, sort, page)
}

// buildWith builds the URL of filters with key's values replaced by vals (when key is not
// empty). It writes the query by hand, in url.Values.Encode's order (keys sorted, values
// as given): a category page builds one URL per facet value, and maps and copies per URL
// were most of the page's cost.
func (u listingURLs) buildWith(filters map[string][]string, key string, vals []string, sort catalog.Sort, page int) string {
	type param struct {
		k  string
		vs []string
	}
	params := make([]param, 0, len(u.fixed)+len(filters)+3)
	for k, vs := range u.fixed {
		params = append(params, param{k, vs})
	}
	for k, vs := range filters {
		if k == key {
			continue
		}
		if len(vs) > 0 {
			params = append(params, param{k, sortedCopy(vs)})
		}
	}
	if key != "" && len(vals) > 0 {
		params = append(params, param{key, sortedCopy(vals)})
	}
	if sort != catalog.SortRelevance {
		params = append(params, param{paramSort, []string{string(sort)}})
	}
	if page > 1 {
		params = append(params, param{paramPage, []string{strconv.Itoa(page)}})
	}
	if len(params) == 0 {
		return u.path
	}
	slices.SortFunc(params, func(a, b param) int { return strings.Compare(a.k, b.k) })
	var b strings.Builder
	b.Grow(len(u.path) + 64)
	b.WriteString(u.path)
	sep := byte('?')
	for _, p := range params {
		ek := url.QueryEscape(p.k)
		for _, v := range p.vs {
			b.WriteByte(sep)
			sep = '&'
			b.WriteString(ek)
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String()
}

func sortedCopy(vs []string) []string {
	if slices.IsSorted(vs) {
		return vs
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	return s
}

// page is the URL of page n of the current selection.
func (u listingURLs) page(n int) string { return u.build(u.filters, u.sort, n) }

// toggle is the URL with value of facet key added when absent and removed when present,
// back on page 1 since the old page number means nothing for a different result set.
func (u listingURLs) toggle(key, value string) string {
	cur := u.filters[key]
	var next []string
	if i := slices.Index(cur, value); i >= 0 {
		next = slices.Delete(slices.Clone(cur), i, i+1)
	} else {
		next = append(slices.Clone(cur), value)
	}
	return u.buildWith(u.filters, key, next, u.sort, 1)
}

// clear is the URL without any filter, keeping the sort.
func (u listingURLs) clear() string { return u.build(nil, u.sort, 1) }

// hiddenField is a parameter a GET form resubmits unchanged.
type hiddenField struct{ Name, Value string }

// hidden lists what the sort form must resubmit to keep the current selection, in the
// same canonical order as the links.
func (u listingURLs) hidden() []hiddenField {
	var out []hiddenField
	keys := make([]string, 0, len(u.fixed)+len(u.filters))
	for k := range u.fixed {
		keys = append(keys, k)
	}
	for k := range u.filters {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		vals := u.fixed[k]
		if vals == nil {
			vals = u.filters[k]
		}
		for _, v := range vals {
			out = append(out, hiddenField{Name: k, Value: v})
		}
	}
	return out
}

// listingVM is the facet column, toolbar, grid and pagination shared by the category and
// search pages.
type listingVM struct {
	CountLabel string
	Facets     []facetVM
	// FacetsHTML, when set, is Facets already rendered: the listing cache renders them
	// once per remembered URL, because ~80 filter links were a quarter of a category
	// page's cost and are the same for everyone who asks for that URL.
	FacetsHTML string
	Active     []activeFilterVM
	ClearURL   templ.SafeURL
	Sort       sortVM
	Products   []web.ProductCardVM
	Pagination web.PaginationVM
}

type facetVM struct {
	Key, Label string
	// Shown are the first values; More the rest, behind "Show more", opened when one of
	// them is selected.
	Shown, More []facetValueVM
	MoreOpen    bool
}

// facetShown is how many values a facet lists before "Show more": enough for sizes and
// price ranges, short enough that a category's 30 brands do not push the other filters
// off the screen. A list just one or two longer is shown whole.
const facetShown = 8

type facetValueVM struct {
	Value    string
	Label    string
	Count    int
	Selected bool
	// URL is built by listingURLs from the listing's path and query-escaped values, so it
	// is a relative link that cannot carry a scheme: marked safe, templ skips re-parsing
	// it, which was a tenth of a category page's cost with ~80 facet links.
	URL templ.SafeURL
}

// activeFilterVM is a removable chip for one applied filter.
type activeFilterVM struct {
	Facet, Label string
	RemoveURL    templ.SafeURL
}

type sortVM struct {
	Action  string
	Current string
	Options []web.Option
	Hidden  []hiddenField
}

// newListingVM shapes a listing for the page. relevanceLabel names the default order,
// which means "featured" in a category and "best match" in search results.
func newListingVM(l catalog.Listing, u listingURLs, relevanceLabel string) listingVM {
	vm := listingVM{
		CountLabel: productCount(l.Total),
		Products:   productCards(l.Products),
		Pagination: web.NewPagination(l.Page, l.Pages, u.page),
		Sort: sortVM{
			Action:  u.path,
			Current: string(u.sort),
			Hidden:  u.hidden(),
		},
	}
	for _, s := range catalog.Sorts {
		label := s.Label
		if s.Sort == catalog.SortRelevance && relevanceLabel != "" {
			label = relevanceLabel
		}
		vm.Sort.Options = append(vm.Sort.Options, web.Option{Value: string(s.Sort), Label: label})
	}
	currency := listingCurrency(l)
	for _, f := range l.Facets {
		fv := facetVM{Key: f.Key, Label: f.Label}
		for _, v := range f.Values {
			label := v.Label
			if f.Key == "price" {
				label = priceLabel(v.Value, v.Label, currency)
			}
			fv.Shown = append(fv.Shown, facetValueVM{
				Value: v.Value, Label: label, Count: v.Count, Selected: v.Selected,
				URL: templ.SafeURL(u.toggle(f.Key, v.Value)),
			})
			if v.Selected {
				vm.Active = append(vm.Active, activeFilterVM{Facet: f.Label, Label: label, RemoveURL: templ.SafeURL(u.toggle(f.Key, v.Value))})
			}
		}
		if len(fv.Shown) > facetShown+2 {
			fv.More = fv.Shown[facetShown:]
			fv.Shown = fv.Shown[:facetShown:facetShown]
			fv.MoreOpen = slices.ContainsFunc(fv.More, func(v facetValueVM) bool { return v.Selected })
		}
		vm.Facets = append(vm.Facets, fv)
	}
	if u.filtered() {
		vm.ClearURL = templ.SafeURL(u.clear())
	}
	return vm
}

func productCount(n int) string {
	if n == 1 {
		return "1 product"
	}
	return strconv.Itoa(n) + " products"
}

// listingCurrency guesses the store currency from the products shown; the price facet's
// buckets are in its major units. Empty when the page has no product to tell.
func listingCurrency(l catalog.Listing) string {
	if len(l.Products) > 0 {
		return l.Products[0].Price.Currency
	}
	return ""
}

// priceLabel turns a price bucket ("25-50", "200-") into a label with the currency
// symbol ("$25 – $50"). Anything it does not understand keeps the catalog's label.
func priceLabel(value, fallback, currency string) string {
	if currency == "" {
		return fallback
	}
	lo, hi, ok := strings.Cut(value, "-")
	if !ok {
		return fallback
	}
	from, err := strconv.ParseInt(lo, 10, 32)
	if err != nil || from < 0 {
		return fallback
	}
	if hi == "" {
		return majorAmount(from, currency) + " and above"
	}
	to, err := strconv.ParseInt(hi, 10, 32)
	if err != nil || to <= from {
		return fallback
	}
	if from == 0 {
		return "Under " + majorAmount(to, currency)
	}
	return fmt.Sprintf("%s – %s", majorAmount(from, currency), majorAmount(to, currency))
}

// majorAmount formats a whole number of major units without the zero decimals: "$25".
func majorAmount(major int64, currency string) string {
	digits := money.Digits(currency)
	minor := major
	for range digits {
		minor *= 10
	}
	s := money.New(minor, currency).String()
	if digits > 0 {
		s = strings.Replace(s, "."+strings.Repeat("0", digits), "", 1)
	}
	return s
}
