package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	urlsetXML = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://shop.example.com/</loc><changefreq>daily</changefreq></url>
  <url><loc>
    https://shop.example.com/p/red-tee
  </loc><lastmod>2025-01-01</lastmod></url>
  <url><loc>https://shop.example.com/c/tops?page=2</loc></url>
</urlset>`
	indexXML = `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://shop.example.com/sitemap-products-1.xml</loc></sitemap>
  <sitemap><loc>https://shop.example.com/sitemap-categories.xml</loc></sitemap>
</sitemapindex>`
)

func TestParseSitemap(t *testing.T) {
	t.Parallel()

	t.Run("URLSet", func(t *testing.T) {
		t.Parallel()
		pages, children, err := parseSitemap([]byte(urlsetXML))
		require.NoError(t, err)
		require.Equal(t, []string{"https://shop.example.com/", "https://shop.example.com/p/red-tee", "https://shop.example.com/c/tops?page=2"}, pages)
		require.Empty(t, children)
	})

	t.Run("Index", func(t *testing.T) {
		t.Parallel()
		pages, children, err := parseSitemap([]byte(indexXML))
		require.NoError(t, err)
		require.Empty(t, pages)
		require.Equal(t, []string{"https://shop.example.com/sitemap-products-1.xml", "https://shop.example.com/sitemap-categories.xml"}, children)
	})

	t.Run("WithoutNamespace", func(t *testing.T) {
		t.Parallel()
		pages, _, err := parseSitemap([]byte(`<urlset><url><loc>/p/a</loc></url></urlset>`))
		require.NoError(t, err)
		require.Equal(t, []string{"/p/a"}, pages)
	})

	t.Run("Gzipped", func(t *testing.T) {
		t.Parallel()
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, err := zw.Write([]byte(urlsetXML))
		require.NoError(t, err)
		require.NoError(t, zw.Close())
		pages, _, err := parseSitemap(b.Bytes())
		require.NoError(t, err)
		require.Len(t, pages, 3)
	})

	t.Run("ErrNotASitemap", func(t *testing.T) {
		t.Parallel()
		_, _, err := parseSitemap([]byte(`<html><body>Not found</body></html>`))
		require.ErrorContains(t, err, "root element is <html>")
		_, _, err = parseSitemap([]byte(`not xml at all`))
		require.Error(t, err)
	})
}

// memSite serves bodies from a map, counting requests; a missing path is a 404.
type memSite map[string]string

func (m memSite) get(_ context.Context, u *url.URL) ([]byte, error) {
	body, ok := m[u.RequestURI()]
	if !ok {
		return nil, &statusError{URL: u.RequestURI(), Status: 404}
	}
	return []byte(body), nil
}

func TestCrawlSitemap(t *testing.T) {
	t.Parallel()

	base, err := url.Parse("http://127.0.0.1:18080/")
	require.NoError(t, err)

	t.Run("FollowsIndexAndRebases", func(t *testing.T) {
		t.Parallel()
		site := memSite{
			"/sitemap.xml": indexXML,
			"/sitemap-products-1.xml": `<urlset><url><loc>https://shop.example.com/p/a</loc></url>
				<url><loc>https://shop.example.com/p/b</loc></url></urlset>`,
			"/sitemap-categories.xml": `<urlset><url><loc>https://shop.example.com/c/tops</loc></url>
				<url><loc>https://shop.example.com/p/a</loc></url></urlset>`,
		}
		pages, err := crawlSitemap(context.Background(), site.get, base, "/sitemap.xml")
		require.NoError(t, err)
		var got []string
		for _, p := range pages {
			got = append(got, p.String())
		}
		require.Equal(t, []string{
			"http://127.0.0.1:18080/p/a", "http://127.0.0.1:18080/p/b", "http://127.0.0.1:18080/c/tops",
		}, got, "locations are moved to the server under test, and duplicates dropped")
		require.Len(t, pagesUnder(pages, "/p/"), 2)
		require.Len(t, pagesUnder(pages, "/c/"), 1)
	})

	t.Run("KeepsQuery", func(t *testing.T) {
		t.Parallel()
		pages, err := crawlSitemap(context.Background(), memSite{"/sitemap.xml": urlsetXML}.get, base, "/sitemap.xml")
		require.NoError(t, err)
		require.Equal(t, "http://127.0.0.1:18080/c/tops?page=2", pages[2].String())
	})

	t.Run("ErrNestedIndex", func(t *testing.T) {
		t.Parallel()
		site := memSite{
			"/sitemap.xml":            indexXML,
			"/sitemap-products-1.xml": indexXML,
		}
		_, err := crawlSitemap(context.Background(), site.get, base, "/sitemap.xml")
		require.ErrorContains(t, err, "index inside a sitemap index")
	})

	t.Run("ErrMissingChild", func(t *testing.T) {
		t.Parallel()
		_, err := crawlSitemap(context.Background(), memSite{"/sitemap.xml": indexXML}.get, base, "/sitemap.xml")
		require.ErrorContains(t, err, "/sitemap-products-1.xml: status 404")
	})
}

func TestPagesUnder(t *testing.T) {
	t.Parallel()
	var pages []*url.URL
	for _, p := range []string{"/p/a", "/p/", "/products/x", "/c/tops", "/"} {
		pages = append(pages, &url.URL{Path: p})
	}
	got := pagesUnder(pages, "/p/")
	require.Equal(t, []*url.URL{{Path: "/p/a"}}, got, "only /p/<slug>")
}

func TestCrawlSitemapSample(t *testing.T) {
	t.Parallel()
	base, err := url.Parse("http://127.0.0.1:18080/")
	require.NoError(t, err)
	site := memSite{}
	var index strings.Builder
	index.WriteString(`<sitemapindex>`)
	for n := 1; n <= 20; n++ {
		fmt.Fprintf(&index, `<sitemap><loc>https://shop.example.com/sitemap-products-%d.xml</loc></sitemap>`, n)
		site[fmt.Sprintf("/sitemap-products-%d.xml", n)] = fmt.Sprintf(`<urlset><url><loc>https://shop.example.com/p/%d</loc></url></urlset>`, n)
	}
	index.WriteString(`</sitemapindex>`)
	site["/sitemap.xml"] = index.String()

	pages, files, err := crawlSitemapSample(context.Background(), site.get, base, "/sitemap.xml", 4)
	require.NoError(t, err)
	require.Equal(t, sitemapFiles{read: 4, total: 20}, files)
	var got []string
	for _, p := range pages {
		got = append(got, p.Path)
	}
	require.Equal(t, []string{"/p/1", "/p/6", "/p/11", "/p/16"}, got, "the first file and others spread evenly")

	pages, files, err = crawlSitemapSample(context.Background(), site.get, base, "/sitemap.xml", 0)
	require.NoError(t, err)
	require.Equal(t, sitemapFiles{read: 20, total: 20}, files)
	require.Len(t, pages, 20)
}
