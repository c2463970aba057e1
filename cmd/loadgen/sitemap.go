package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// sitemapDoc matches both documents of the sitemap protocol: a <urlset> of pages and a
// <sitemapindex> of child sitemaps. Field tags carry no namespace so that the standard
// namespace (and its absence) both match.
type sitemapDoc struct {
	XMLName  xml.Name
	URLs     []sitemapLoc `xml:"url"`
	Sitemaps []sitemapLoc `xml:"sitemap"`
}

type sitemapLoc struct {
	Loc string `xml:"loc"`
}

// parseSitemap returns the page locations of a <urlset>, or the child sitemap locations
// of a <sitemapindex>. Gzipped documents (children named *.xml.gz) are accepted as well.
func parseSitemap(data []byte) (pages, children []string, err error) {
	if len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, nil, fmt.Errorf("gzipped sitemap: %w", err)
		}
		if data, err = io.ReadAll(io.LimitReader(zr, maxBody)); err != nil {
			return nil, nil, fmt.Errorf("gzipped sitemap: %w", err)
		}
	}
	var doc sitemapDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("not a sitemap: %w", err)
	}
	switch doc.XMLName.Local {
	case "urlset":
		return locs(doc.URLs), nil, nil
	case "sitemapindex":
		return nil, locs(doc.Sitemaps), nil
	default:
		return nil, nil, fmt.Errorf("not a sitemap: root element is <%s>, want <urlset> or <sitemapindex>", doc.XMLName.Local)
	}
}

func locs(ls []sitemapLoc) []string {
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		if s := strings.TrimSpace(l.Loc); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// rebase points loc at base. Sitemaps carry absolute URLs built from the shop's public
// address (SHOP_BASE_URL), which need not be where the server under test listens; the
// load must go to base, so only the path and query of loc are kept.
func rebase(base *url.URL, loc string) (*url.URL, error) {
	u, err := url.Parse(loc)
	if err != nil {
		return nil, fmt.Errorf("sitemap location %q: %w", loc, err)
	}
	return base.ResolveReference(&url.URL{Path: u.Path, RawPath: u.RawPath, RawQuery: u.RawQuery}), nil
}

// crawlSitemap fetches the sitemap at path and, when it is an index, its children (the
// protocol allows one level of nesting; deeper indexes are refused rather than followed
// forever). It returns the page URLs rebased onto base, without duplicates, in order.
func crawlSitemap(ctx context.Context, get getFunc, base *url.URL, path string) ([]*url.URL, error) {
	pages, _, err := crawlSitemapSample(ctx, get, base, path, 0)
	return pages, err
}

// sitemapFiles says how much of a sitemap index was read.
type sitemapFiles struct {
	read, total int
}

// maxSitemapFiles bounds the child sitemaps read from an index: a million-product shop
// lists 20 files of 50,000 URLs, about 100 MB of XML, and a load generator needs neither
// all of it nor the memory it takes. Four files are 200,000 pages, far more than any
// cache of a few answers could hold.
const maxSitemapFiles = 4

// crawlSitemapSample is crawlSitemap reading at most maxChildren (0: all) children of an
// index, spread evenly over it from the first (which holds the home page and the
// categories in the shop's), and says how many it read of how many.
func crawlSitemapSample(ctx context.Context, get getFunc, base *url.URL, path string, maxChildren int) ([]*url.URL, sitemapFiles, error) {
	var files sitemapFiles
	root, err := rebase(base, path)
	if err != nil {
		return nil, files, err
	}
	var (
		pages []*url.URL
		seen  = map[string]bool{}
	)
	var visit func(u *url.URL, depth int) error
	visit = func(u *url.URL, depth int) error {
		data, err := get(ctx, u)
		if err != nil {
			return err
		}
		locs, children, err := parseSitemap(data)
		if err != nil {
			return fmt.Errorf("%s: %w", u.Path, err)
		}
		for _, loc := range locs {
			p, err := rebase(base, loc)
			if err != nil {
				return err
			}
			if s := p.String(); !seen[s] {
				seen[s] = true
				pages = append(pages, p)
			}
		}
		if len(children) > 0 && depth > 0 {
			return fmt.Errorf("%s: a sitemap index inside a sitemap index is not allowed by the sitemap protocol", u.Path)
		}
		files.total += len(children)
		if maxChildren > 0 && len(children) > maxChildren {
			picked := make([]string, maxChildren)
			for i := range picked {
				picked[i] = children[i*len(children)/maxChildren]
			}
			children = picked
		}
		files.read += len(children)
		for _, c := range children {
			cu, err := rebase(base, c)
			if err != nil {
				return err
			}
			if err := visit(cu, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := visit(root, 0); err != nil {
		return nil, files, err
	}
	return pages, files, nil
}

// pagesUnder returns the pages whose path starts with prefix ("/p/", "/c/").
func pagesUnder(pages []*url.URL, prefix string) []*url.URL {
	var out []*url.URL
	for _, p := range pages {
		if strings.HasPrefix(p.Path, prefix) && len(p.Path) > len(prefix) {
			out = append(out, p)
		}
	}
	return out
}
