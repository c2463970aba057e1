package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// runLoadgen runs the command as `make bench` would and returns its exit status and
// output.
func runLoadgen(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string {
		if k == staffPasswordEnv {
			return fakeStaffPassword
		}
		return ""
	}
	code := run(context.Background(), args, getenv, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func readJSONReport(t *testing.T, dir string) report {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	txt := strings.TrimSuffix(files[0], ".json") + ".txt"
	require.FileExists(t, txt)
	data, err := os.ReadFile(files[0])
	require.NoError(t, err)
	var rep report
	require.NoError(t, json.Unmarshal(data, &rep))
	return rep
}

func TestRun(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, nil)
		out := t.TempDir()
		// The test process serves the fake shop, so its own PID stands in for the server's.
		code, stdout, stderr := runLoadgen(t, "-base", shop.URL, "-c", "4", "-d", "300ms", "-warmup", "50ms",
			"-runs", "2", "-seed", "7", "-out", out, "-pid", strconv.Itoa(os.Getpid()), "-staff-email", fakeStaffEmail)
		require.Equal(t, 0, code, "stderr:\n%s", stderr)

		for _, want := range []string{"scenario", "ceiling", "home", "product", "category", "search", "add-to-cart", "view-cart", "edit", "checkout", "targets", "saved "} {
			require.Contains(t, stdout, want)
		}
		rep := readJSONReport(t, out)
		require.Equal(t, []string{"ceiling", "home", "product", "category", "search", "add-to-cart", "view-cart", "edit", "checkout"}, rep.Params.Scenarios)
		require.NotNil(t, rep.Server)
		require.Positive(t, rep.Server.PeakRSS)
		require.Positive(t, rep.Machine.CPUs)
		require.Len(t, rep.Scenarios, 9)
		for _, s := range rep.Scenarios {
			require.Positive(t, s.ReqPerSec, s.Name)
			require.Zero(t, s.Errors, "%s: %v", s.Name, s.ErrorKinds)
			require.Len(t, s.Runs, 2, s.Name)
			require.NotNil(t, s.PctOfCeiling, s.Name)
			require.Positive(t, s.P50Ms, s.Name)
			require.LessOrEqual(t, s.P50Ms, s.P99Ms, s.Name)
			require.LessOrEqual(t, s.P99Ms, s.MaxMs, s.Name)
		}
		require.InDelta(t, 100, *rep.Scenarios[0].PctOfCeiling, 1e-9)
		require.Contains(t, rep.Scenarios[2].Discovered, "200 product pages")
		require.NotEmpty(t, rep.Targets)

		// Requests were spread over many URLs, not one cached answer per scenario.
		require.Greater(t, shop.distinct("p"), 100)
		require.Greater(t, shop.distinct("c"), 200)
		require.Greater(t, shop.distinct("search"), 200)
		// Every virtual shopper kept one session (its cookie sent back although Secure):
		// 4 shoppers per cart scenario and 32 at checkout (its own number, not -c), plus
		// the one each scenario tries during discovery.
		require.Equal(t, 2*(4+1)+checkoutShoppers+1, shop.sessions())
		require.Greater(t, shop.requestsTo("cart"), 100)
		// The pages the cart and checkout flows read came compressed, as browsers ask, and
		// were read all the same (no errors above).
		for _, section := range []string{"cart", "checkout", "orders"} {
			require.Positive(t, shop.tally(section, defaultAcceptEncoding).encoded["zstd"], section)
		}
	})

	t.Run("ErrServerErrors", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, func(s *fakeShop) { s.failEvery = 10 })
		out := t.TempDir()
		code, stdout, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "product", "-c", "2",
			"-d", "200ms", "-warmup", "0s", "-runs", "1", "-out", out, "-strict")
		require.Equal(t, 1, code, "a failed target fails the run with -strict")
		require.Contains(t, stderr, "targets failed")
		require.Contains(t, stdout, "status 500, want 200")
		require.Regexp(t, `FAIL\s+product\s+no errors`, stdout)

		rep := readJSONReport(t, out)
		require.Positive(t, rep.Scenarios[0].Errors)
		require.Positive(t, rep.Scenarios[0].ErrorKinds["status 500, want 200"])
	})

	t.Run("FailedTargetWithoutStrict", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, func(s *fakeShop) { s.failEvery = 10 })
		code, stdout, _ := runLoadgen(t, "-base", shop.URL, "-scenarios", "product", "-c", "2",
			"-d", "100ms", "-warmup", "0s", "-runs", "1", "-out", "")
		require.Equal(t, 0, code)
		require.NotContains(t, stdout, "saved ")
	})

	t.Run("ErrNoCeilingPage", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, func(s *fakeShop) { s.noCeiling = true })
		code, _, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "home,ceiling", "-out", "")
		require.Equal(t, 1, code)
		require.Contains(t, stderr, "ceiling: GET /static/ceiling.html: status 404")
		require.Contains(t, stderr, "static page of about 20 KB")
	})

	t.Run("ErrNoCart", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, func(s *fakeShop) { s.noCart = true })
		code, _, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "view-cart", "-out", "")
		require.Equal(t, 1, code)
		require.Contains(t, stderr, "view-cart: add to cart: status 404, want 303")
	})

	t.Run("List", func(t *testing.T) {
		t.Parallel()
		code, stdout, stderr := runLoadgen(t, "-list")
		require.Equal(t, 0, code, stderr)
		require.Equal(t, strings.Join(scenarioNames(), ",")+"\n", stdout)
	})

	t.Run("ErrServerDown", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, nil)
		shop.Close()
		code, _, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "home", "-out", "")
		require.Equal(t, 1, code)
		require.Contains(t, stderr, "home: GET /:")
	})

	t.Run("ErrUsage", func(t *testing.T) {
		t.Parallel()
		for _, args := range [][]string{
			{"-scenarios", "home,nope"},
			{"-scenarios", "home,home"},
			{"-scenarios", " , "},
			{"-base", "127.0.0.1:18080"},
			{"-base", "http://127.0.0.1:18080/shop"},
			{"-c", "0"},
			{"-d", "0s"},
			{"-runs", "0"},
			{"-accept-encoding", "gzip\r\nX-Injected: 1"},
			{"extra"},
		} {
			code, _, stderr := runLoadgen(t, args...)
			require.Equal(t, 2, code, "%v: %s", args, stderr)
		}
		code, _, stderr := runLoadgen(t, "-base", "http://127.0.0.1:1", "-pid", "999999999")
		require.Equal(t, 1, code)
		require.Contains(t, stderr, "-pid 999999999")
	})
}

// TestDiscovery checks the URL lists themselves against the fake shop's contract.
func TestDiscovery(t *testing.T) {
	t.Parallel()

	shop := newFakeShop(t, nil)
	base, err := url.Parse(shop.URL + "/")
	require.NoError(t, err)
	client := &http.Client{Transport: newTransport(4), CheckRedirect: noRedirects}
	s := &site{}
	prepare := func(name string) *pageScenario {
		sc, err := newScenario(name, 1, streamOf(name), s, editConfig{})
		require.NoError(t, err)
		require.NoError(t, sc.Prepare(context.Background(), client, base))
		return sc.(*pageScenario)
	}

	t.Run("Product", func(t *testing.T) {
		p := prepare("product")
		require.Len(t, p.urls, 200, "every product of the sitemap")
		require.True(t, strings.HasPrefix(p.urls[0], shop.URL+"/p/"), "sitemap locations are moved to the server under test")
	})

	t.Run("Category", func(t *testing.T) {
		p := prepare("category")
		require.GreaterOrEqual(t, len(p.urls), wantFacetURLs)
		groups := facetValues()
		seen := map[string]bool{}
		for _, raw := range p.urls {
			u, err := url.Parse(raw)
			require.NoError(t, err)
			f := filterParams(u)
			require.Len(t, f, 2, raw)
			for k := range f {
				require.Contains(t, groups, k, raw)
			}
			require.Contains(t, sortOrders(), u.Query().Get("sort"), raw)
			require.False(t, seen[filterKey(u)], "duplicate %s", raw)
			seen[filterKey(u)] = true
		}
		require.NotContains(t, p.Describe(), "ONLY")
	})

	t.Run("Cart", func(t *testing.T) {
		sc, err := newScenario("add-to-cart", 1, streamOf("add-to-cart"), s, editConfig{})
		require.NoError(t, err)
		require.NoError(t, sc.Prepare(context.Background(), client, base))
		c := sc.(*cartScenario)
		require.Equal(t, shop.URL+"/cart/items", c.add)
		require.NotEmpty(t, c.ids)
		for _, id := range c.ids {
			n, err := strconv.Atoi(id)
			require.NoError(t, err)
			i := n - variantOf(0)
			require.False(t, soldOut(i) || nearlyGone(i), "variant %s cannot be bought", id)
		}
		require.Contains(t, sc.Describe(), "in-stock variants")
	})

	t.Run("Checkout", func(t *testing.T) {
		sc, err := newScenario("checkout", 1, streamOf("checkout"), s, editConfig{})
		require.NoError(t, err)
		require.NoError(t, sc.Prepare(context.Background(), client, base))
		c := sc.(*checkoutScenario)
		require.Equal(t, shop.URL+"/cart/items", c.add)
		// The fake catalog is smaller than the thousand variants wanted: every product
		// page was read, and every variant one can buy was kept.
		buyable := 0
		for i := range shop.products {
			if !soldOut(i) && !nearlyGone(i) {
				buyable++
			}
		}
		require.Len(t, c.ids, buyable)
		require.Contains(t, sc.Describe(), "found on 200 product pages; ONLY")
		require.Equal(t, checkoutShoppers, c.Conns())
		require.Equal(t, checkoutSteps(), c.Steps())
		orders, shown, _, _ := shop.checkoutCounts()
		require.Equal(t, 1, orders, "discovery tries one shopper's order")
		require.Equal(t, 1, shown)
	})

	t.Run("Search", func(t *testing.T) {
		p := prepare("search")
		require.Len(t, p.urls, wantQueries)
		require.Contains(t, p.Describe(), "50 with a typo")
		seen := map[string]bool{}
		for _, raw := range p.urls {
			u, err := url.Parse(raw)
			require.NoError(t, err)
			require.Equal(t, "/search", u.Path)
			q := u.Query().Get("q")
			require.NotEmpty(t, q)
			require.False(t, seen[q])
			seen[q] = true
		}
		require.True(t, seen["cascade"] || seen["outfitters"] || seen["cascade outfitters"],
			"brands are part of the vocabulary")
	})
}
