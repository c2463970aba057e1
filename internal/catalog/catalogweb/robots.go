package catalogweb

import (
	"net/http"
)

// robotsRules keeps crawlers out of paths with nothing for a search engine: personal
// pages, the checkout flow, the back office, and search results (endless near-duplicate
// pages that would spend the crawl budget the product and category pages need).
// Everything else may be crawled.
const robotsRules = `User-agent: *
Disallow: /cart
Disallow: /checkout
Disallow: /account
Disallow: /admin
Disallow: /search
Disallow: /orders
Allow: /
`

// robots serves /robots.txt, which also tells crawlers where the sitemap is.
func (h *Handler) robots(w http.ResponseWriter, r *http.Request) {
	body := robotsRules
	// The Sitemap line must be an absolute URL; without a configured base URL there is
	// nothing correct to write.
	if h.opts.BaseURL != "" {
		body += "\nSitemap: " + h.publicURL("/sitemap.xml") + "\n"
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/plain; charset=utf-8")
	hd.Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write([]byte(body))
}
