package catalogweb

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"

	"github.com/monoshop/monoshop/internal/catalog"
)

const (
	// sitemapMaxURLs is the sitemap protocol's limit of URLs in one file. Up to it,
	// /sitemap.xml lists every URL; beyond it, /sitemap.xml is an index of
	// /sitemap-products-1.xml, -2.xml ... holding the same list cut into files of this size
	// (home and categories lead the first file).
	sitemapMaxURLs = 50_000
	sitemapXMLNS   = "http://www.sitemaps.org/schemas/sitemap/0.9"
	// sitemapCacheControl spares the catalog snapshot a crawler hammering the sitemap; an
	// hour-old sitemap misses nothing a crawler would not find on its next visit.
	sitemapCacheControl = "public, max-age=3600"
)

type sitemapURLSet struct {
	XMLName xml.Name     `xml:"urlset"`
	XMLNS   string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	XMLNS    string       `xml:"xmlns,attr"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

// sitemap serves /sitemap.xml.
func (h *Handler) sitemap(w http.ResponseWriter, r *http.Request) {
	h.serveSitemap(w, r, sitemapMaxURLs)
}

// serveSitemap takes the per-file limit as an argument so that a test can prove the index
// without seeding 50,000 products.
func (h *Handler) serveSitemap(w http.ResponseWriter, r *http.Request, perFile int) {
	urls, err := h.sitemapURLs(r.Context())
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	if len(urls) <= perFile {
		writeXML(w, sitemapURLSet{XMLNS: sitemapXMLNS, URLs: urls})
		return
	}
	index := sitemapIndex{XMLNS: sitemapXMLNS}
	for n := 1; (n-1)*perFile < len(urls); n++ {
		index.Sitemaps = append(index.Sitemaps, sitemapURL{
			Loc:     h.publicURL("/sitemap-products-" + strconv.Itoa(n) + ".xml"),
			LastMod: latestLastMod(sitemapPart(urls, n, perFile)),
		})
	}
	writeXML(w, index)
}

// sitemapURLs lists every storefront page worth indexing: home, each category, each
// product with the date it last changed. Search engines get absolute URLs.
func (h *Handler) sitemapURLs(ctx context.Context) ([]sitemapURL, error) {
	cats, err := h.catalog.ListCategories(ctx)
	if err != nil {
		return nil, err
	}
	products, err := h.catalog.ListSitemapProducts(ctx)
	if err != nil {
		return nil, err
	}
	var others []string
	if h.opts.OtherPages != nil {
		if others, err = h.opts.OtherPages(ctx); err != nil {
			return nil, err
		}
	}
	urls := make([]sitemapURL, 0, 1+len(cats)+len(others)+len(products))
	urls = append(urls, sitemapURL{Loc: h.publicURL("/")})
	for _, c := range cats {
		urls = append(urls, sitemapURL{Loc: h.publicURL("/c/" + url.PathEscape(c.Slug))})
	}
	for _, p := range others {
		urls = append(urls, sitemapURL{Loc: h.publicURL(p)})
	}
	for _, p := range products {
		urls = append(urls, sitemapURL{Loc: h.publicURL(productURL(p.Slug)), LastMod: sitemapDate(p)})
	}
	return urls, nil
}

func sitemapDate(p catalog.SitemapEntry) string {
	if p.UpdatedAt.IsZero() {
		return ""
	}
	return p.UpdatedAt.UTC().Format("2006-01-02")
}

// sitemapPart returns file n (from 1) of urls cut into files of perFile, or nil when
// there is no such file.
func sitemapPart(urls []sitemapURL, n, perFile int) []sitemapURL {
	if perFile < 1 || n < 1 || n > (len(urls)+perFile-1)/perFile {
		return nil
	}
	from := (n - 1) * perFile
	return urls[from:min(from+perFile, len(urls))]
}

// latestLastMod is the newest date of a file's URLs; dates in ISO form sort as strings.
func latestLastMod(urls []sitemapURL) string {
	var latest string
	for _, u := range urls {
		latest = max(latest, u.LastMod)
	}
	return latest
}

// writeXML encodes the whole document before writing, so an encoding failure is a clean
// 500 rather than half a sitemap under a 200.
func writeXML(w http.ResponseWriter, doc any) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(doc); err != nil {
		http.Error(w, "sitemap unavailable", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/xml; charset=utf-8")
	hd.Set("Cache-Control", sitemapCacheControl)
	hd.Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}
