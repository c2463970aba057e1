package catalogweb_test

import (
	"encoding/xml"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// sitemapDoc reads both kinds of sitemap file; XMLName says which one it was.
type sitemapDoc struct {
	XMLName xml.Name
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"sitemap"`
}

// getSitemap fetches and parses a sitemap file, checking what every file must be.
func getSitemap(t *testing.T, c *shopClient, path string) sitemapDoc {
	t.Helper()
	res := c.get(t, path)
	require.Equal(t, http.StatusOK, res.status, path)
	mt, params, err := mime.ParseMediaType(res.header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "application/xml", mt)
	require.Equal(t, "utf-8", params["charset"])
	require.True(t, strings.HasPrefix(res.body, `<?xml version="1.0" encoding="UTF-8"?>`))
	var doc sitemapDoc
	require.NoError(t, xml.Unmarshal([]byte(res.body), &doc), "%s is well-formed XML", path)
	require.Equal(t, sitemapNS, doc.XMLName.Space)
	return doc
}

// sitemapLocs is what a sitemap must list for the env's catalog: home, every category,
// every product, with the products' dates.
func sitemapLocs(t *testing.T, env *shopEnv) map[string]string {
	t.Helper()
	want := map[string]string{shopBaseURL + "/": ""}
	cats, err := env.svc.ListCategories(t.Context())
	require.NoError(t, err)
	for _, c := range cats {
		want[shopBaseURL+"/c/"+c.Slug] = ""
	}
	products, err := env.svc.ListSitemapProducts(t.Context())
	require.NoError(t, err)
	for _, p := range products {
		want[shopBaseURL+"/p/"+p.Slug] = p.UpdatedAt.UTC().Format("2006-01-02")
	}
	return want
}

func TestSitemap(t *testing.T) {
	t.Parallel()
	env := newShopEnv(t, shopEnvOptions{products: 200})
	shop := env.serve(t, serveOptions{})
	want := sitemapLocs(t, env)
	require.Greater(t, len(want), 200)

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		doc := getSitemap(t, shop, "/sitemap.xml")

		require.Equal(t, "urlset", doc.XMLName.Local)
		got := map[string]string{}
		for _, u := range doc.URLs {
			_, dup := got[u.Loc]
			require.False(t, dup, "%s listed twice", u.Loc)
			got[u.Loc] = u.LastMod
		}
		require.Equal(t, want, got)
		require.Regexp(t, regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`), doc.URLs[len(doc.URLs)-1].LastMod)
	})

	t.Run("OKIndexBeyondLimit", func(t *testing.T) {
		t.Parallel()
		const perFile = 50
		indexed := env.serve(t, serveOptions{sitemapPerFile: perFile})

		index := getSitemap(t, indexed, "/sitemap.xml")

		require.Equal(t, "sitemapindex", index.XMLName.Local)
		require.Empty(t, index.URLs)
		files := (len(want) + perFile - 1) / perFile
		require.Len(t, index.Sitemaps, files)
		got := map[string]string{}
		for i, s := range index.Sitemaps {
			path := "/sitemap-products-" + strconv.Itoa(i+1) + ".xml"
			require.Equal(t, shopBaseURL+path, s.Loc)
			part := getSitemap(t, indexed, path)
			require.Equal(t, "urlset", part.XMLName.Local)
			require.NotEmpty(t, part.URLs)
			require.LessOrEqual(t, len(part.URLs), perFile)
			latest := ""
			for _, u := range part.URLs {
				_, dup := got[u.Loc]
				require.False(t, dup, "%s listed twice", u.Loc)
				got[u.Loc] = u.LastMod
				latest = max(latest, u.LastMod)
			}
			require.Equal(t, latest, s.LastMod, "a file's lastmod is its newest URL's")
		}
		require.Equal(t, want, got, "the files together list every URL once")

		for _, n := range []string{"0", strconv.Itoa(files + 1), "01", "+1", "-1", "abc", "1.5"} {
			res := indexed.get(t, "/sitemap-products-"+n+".xml")
			require.Equal(t, http.StatusNotFound, res.status, "file %q", n)
		}
	})

	t.Run("ErrNoPartsWithoutIndex", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, http.StatusNotFound, shop.get(t, "/sitemap-products-1.xml").status,
			"while everything fits in /sitemap.xml, no second URL lists the same pages")
	})

	t.Run("OKRobots", func(t *testing.T) {
		t.Parallel()
		res := shop.get(t, "/robots.txt")

		require.Equal(t, http.StatusOK, res.status)
		require.Equal(t, "text/plain; charset=utf-8", res.header.Get("Content-Type"))
		var disallowed []string
		var sitemaps []string
		for line := range strings.Lines(res.body) {
			line = strings.TrimSpace(line)
			if v, ok := strings.CutPrefix(line, "Disallow: "); ok {
				disallowed = append(disallowed, v)
			}
			if v, ok := strings.CutPrefix(line, "Sitemap: "); ok {
				sitemaps = append(sitemaps, v)
			}
		}
		require.True(t, strings.HasPrefix(res.body, "User-agent: *\n"))
		require.ElementsMatch(t, []string{"/cart", "/checkout", "/account", "/admin", "/search", "/orders"}, disallowed)
		require.Equal(t, []string{shopBaseURL + "/sitemap.xml"}, sitemaps)
		require.NotContains(t, disallowed, "/", "everything else may be crawled")
	})
}
