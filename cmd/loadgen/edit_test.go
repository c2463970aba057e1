package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// runLoadgenEnv runs the command with the environment given instead of the fake staff
// member's password.
func runLoadgenEnv(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return env[k] }, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestEdit(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, func(s *fakeShop) { s.editLag = 30 * time.Millisecond })
		out := t.TempDir()
		code, stdout, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "product,edit", "-c", "2",
			"-d", "500ms", "-warmup", "50ms", "-runs", "2", "-out", out, "-pid", strconv.Itoa(os.Getpid()),
			"-staff-email", fakeStaffEmail, "-edit-rate", "40")
		require.Equal(t, 0, code, "stderr:\n%s", stderr)
		require.Contains(t, stdout, "edits (a catalog manager in the back office while the pages were measured)")
		require.Regexp(t, `edit\s+pages\s+\d+ req/s, p99 [\d.]+ms = [\d.]+% of product without edits`, stdout)
		require.Regexp(t, `edit\s+visible\s+\d+ titles checked on their product page: shown after p50`, stdout)
		require.Regexp(t, `(PASS|FAIL)\s+edit\s+req/s >= 80% of the same pages without edits`, stdout)
		require.Regexp(t, `PASS\s+edit\s+no edit errors`, stdout)
		require.Regexp(t, `SKIP\s+edit\s+server RSS growth in the soak's second half <= 10%\s+no soak`, stdout)

		rep := readJSONReport(t, out)
		require.Len(t, rep.Scenarios, 2)
		e := rep.Scenarios[1].Edits
		require.NotNil(t, e)
		require.Equal(t, "product", e.Base)
		require.NotNil(t, e.PctOfBase)
		require.InDelta(t, rep.Scenarios[0].ReqPerSec, e.BaseReqPerSec, 1e-9)
		require.Zero(t, e.Errors, "%v", e.ErrorKinds)
		require.Zero(t, rep.Scenarios[1].Errors, "%v", rep.Scenarios[1].ErrorKinds)
		require.Positive(t, e.Titles)
		require.Positive(t, e.Prices)
		require.InDelta(t, 40, e.Asked, 1e-9)
		require.Greater(t, e.PerSec, 20.0, "the writer keeps its rate")
		require.Positive(t, e.ReadP50Ms)
		require.Positive(t, e.SaveP50Ms)
		require.LessOrEqual(t, e.PerSec, 60.0, "edits are counted in the run they started in")
		require.Equal(t, e.Titles, e.Checked, "every title is checked on its page")
		require.Zero(t, e.NotVisible)
		require.GreaterOrEqual(t, e.VisibleP50Ms, 30.0, "a title shows once the shop shows it, not before")
		require.Positive(t, e.RSSStart)
		require.Positive(t, e.RSSEnd)
		require.GreaterOrEqual(t, e.RSSMax, e.RSSEnd)
		require.False(t, e.Soak)
		require.Nil(t, e.GrowthPct)
		for _, r := range rep.Scenarios[1].Runs {
			require.NotNil(t, r.Edits)
		}

		// The shop saw every edit through its forms, none refused (no stale version, no
		// field lost), plus the two tried during discovery and those of the warm-up.
		titles, prices, refused := shop.editCounts()
		require.Zero(t, refused)
		require.GreaterOrEqual(t, titles, e.Titles+1)
		require.GreaterOrEqual(t, prices, e.Prices+1)
		require.LessOrEqual(t, titles+prices, e.Made+2+5, "50ms of warm-up at 40 edits/s")
		// The pages measured are the product scenario's.
		require.Contains(t, rep.Scenarios[1].Discovered, "200 product pages from the sitemap; meanwhile 40 edits/s")
	})

	t.Run("OKManyEditsFewProducts", func(t *testing.T) {
		t.Parallel()
		// A fast writer and a slow shop: edits queue on the same products, and none may
		// meet another's version.
		shop := newFakeShop(t, func(s *fakeShop) {
			s.products = s.products[:4]
			s.editLag = 200 * time.Millisecond
		})
		code, stdout, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "edit", "-c", "1",
			"-d", "400ms", "-warmup", "0s", "-runs", "1", "-out", "", "-staff-email", fakeStaffEmail, "-edit-rate", "200")
		require.Equal(t, 0, code, "stderr:\n%s", stderr)
		_, _, refused := shop.editCounts()
		require.Zero(t, refused)
		require.Regexp(t, `edit\s+edits\s+[\d.]+/s of 200 asked .* 0 errors, [1-9]\d* missed`, stdout,
			"ticks that find every product busy are missed, not queued")
		require.Regexp(t, `SKIP\s+edit\s+req/s >= 80% of the same pages without edits\s+product not measured`, stdout)
	})

	t.Run("OKSoak", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, nil)
		out := t.TempDir()
		code, stdout, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "edit", "-c", "1",
			"-d", "150ms", "-warmup", "0s", "-runs", "1", "-out", out, "-pid", strconv.Itoa(os.Getpid()),
			"-staff-email", fakeStaffEmail, "-edit-rate", "100", "-edits", "40")
		require.Equal(t, 0, code, "stderr:\n%s", stderr)
		require.Contains(t, stderr, " edits)")
		require.Contains(t, stderr, "edit     run 1/? (")
		rep := readJSONReport(t, out)
		e := rep.Scenarios[0].Edits
		require.True(t, e.Soak)
		require.GreaterOrEqual(t, e.Started, 40)
		require.Greater(t, len(rep.Scenarios[0].Runs), 1, "runs go on until the edits are made")
		require.NotNil(t, e.GrowthPct)
		require.Regexp(t, `edit\s+server RSS\s+after warm-up .* in the soak's second half`, stdout)
		require.Regexp(t, `(PASS|FAIL)\s+edit\s+server RSS growth in the soak's second half <= 10%`, stdout)
	})

	t.Run("OKCategoryAndSearch", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, nil)
		out := t.TempDir()
		code, _, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "category,edit-category,edit-search", "-c", "2",
			"-d", "200ms", "-warmup", "0s", "-runs", "1", "-out", out, "-staff-email", fakeStaffEmail)
		require.Equal(t, 0, code, "stderr:\n%s", stderr)
		rep := readJSONReport(t, out)
		require.Equal(t, "category", rep.Scenarios[1].Edits.Base)
		require.NotNil(t, rep.Scenarios[1].Edits.PctOfBase)
		require.Equal(t, "search", rep.Scenarios[2].Edits.Base)
		require.Nil(t, rep.Scenarios[2].Edits.PctOfBase, "search was not measured without edits")
		require.Contains(t, rep.Scenarios[1].Discovered, "two-facet listings")
		require.Contains(t, rep.Scenarios[2].Discovered, "queries")
	})

	t.Run("ErrNotVisible", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, func(s *fakeShop) { s.editLag = time.Hour })
		code, _, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "edit", "-out", "",
			"-staff-email", fakeStaffEmail, "-visible-timeout", "100ms")
		require.Equal(t, 1, code)
		require.Contains(t, stderr, "did not show on")
	})

	t.Run("ErrWrongPassword", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, nil)
		code, _, stderr := runLoadgenEnv(t, map[string]string{staffPasswordEnv: "wrong"}, "-base", shop.URL,
			"-scenarios", "edit", "-out", "", "-staff-email", fakeStaffEmail)
		require.Equal(t, 1, code)
		require.Contains(t, stderr, "sign in as "+fakeStaffEmail+": status 422, want 303 (the page says: Wrong email or password.)")
	})

	t.Run("ErrNoStaff", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, nil)
		code, _, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "edit", "-out", "")
		require.Equal(t, 1, code)
		require.Contains(t, stderr, "give -staff-email and the password in "+staffPasswordEnv)
	})

	t.Run("ErrNoBackOffice", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, func(s *fakeShop) { s.noAdmin = true })
		code, _, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "edit", "-out", "", "-staff-email", fakeStaffEmail)
		require.Equal(t, 1, code)
		require.Contains(t, stderr, "sign in as "+fakeStaffEmail)
	})

	t.Run("ErrUsage", func(t *testing.T) {
		t.Parallel()
		for _, args := range [][]string{
			{"-edit-rate", "0"},
			{"-edits", "-1"},
			{"-visible-timeout", "0s"},
			{"-first-product-after", "-1s"},
			{"-scenarios", "edit-nope"},
		} {
			code, _, stderr := runLoadgen(t, args...)
			require.Equal(t, 2, code, "%v: %s", args, stderr)
		}
	})

	t.Run("OptionalNotDefault", func(t *testing.T) {
		t.Parallel()
		for _, name := range optionalScenarios() {
			require.NotContains(t, scenarioNames(), name)
			require.True(t, knownScenario(name))
		}
		for name := range editBases() {
			require.True(t, knownScenario(name), name)
		}
	})
}

func TestStartupReport(t *testing.T) {
	t.Parallel()
	shop := newFakeShop(t, nil)
	out := t.TempDir()
	code, stdout, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "home", "-d", "100ms", "-warmup", "0s",
		"-runs", "1", "-out", out, "-ready-after", "1.25s", "-first-product-after", "6.5s")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stdout, "start     ready after 1.2s, first product page after 6.5s")
	require.Regexp(t, `FAIL\s+startup\s+first product page < 5s after start\s+6.5s`, stdout)
	rep := readJSONReport(t, out)
	require.Equal(t, 6500*time.Millisecond, rep.Startup.FirstProduct)
}

func TestReadForm(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		page := parseHTML(`<form action="/save" data-testid="f"><fieldset>
<input type="hidden" name="version" value="7"/><input name="title" value="Tee &amp; co"/>
<input type="checkbox" name="featured"/><input type="checkbox" name="cat" value="3" checked/><input type="checkbox" name="cat" value="4" checked>
<input type="radio" name="r" value="a"/><input type="radio" name="r" value="b" checked/>
<select name="status"><option value="draft">Draft</option><option value="active" selected>Active</option></select>
<select name="first"><option>One</option><option>Two</option></select>
<textarea name="description">
Line one &lt;b&gt;

Line two</textarea>
<input type="submit" name="go" value="Go"/><input type="file" name="image"/><input name="off" value="x" disabled/>
<input name="attr" value="a"/><input name="attr" value=""/>
<button type="submit" name="action" value="save">Save</button></fieldset></form>`)
		u, _ := url.Parse("http://shop.test/admin/catalog/products/3")
		f, err := formByTestID(page, u, "f")
		require.NoError(t, err)
		require.Equal(t, "http://shop.test/save", f.action)
		require.False(t, f.readOnly)
		require.Equal(t, url.Values{
			"version": {"7"}, "title": {"Tee & co"}, "cat": {"3", "4"}, "r": {"b"}, "status": {"active"},
			"first": {"One"}, "description": {"Line one <b>\n\nLine two"}, "attr": {"a", ""},
		}, f.values)
	})

	t.Run("ReadOnly", func(t *testing.T) {
		t.Parallel()
		page := parseHTML(`<form data-testid="f"><fieldset disabled><input name="title" value="x"/></fieldset><input name="v" value="1"/></form>`)
		u, _ := url.Parse("http://shop.test/admin/p/3")
		f, err := formByTestID(page, u, "f")
		require.NoError(t, err)
		require.True(t, f.readOnly)
		require.Equal(t, "http://shop.test/admin/p/3", f.action, "no action: the page itself")
		require.Equal(t, url.Values{"v": {"1"}}, f.values)
	})

	t.Run("ErrNoForm", func(t *testing.T) {
		t.Parallel()
		u, _ := url.Parse("http://shop.test/admin/p/3")
		_, err := formByTestID(parseHTML(`<form data-testid="other"></form>`), u, "f")
		require.ErrorContains(t, err, `no form data-testid="f" on /admin/p/3`)
	})
}

func TestChangePrice(t *testing.T) {
	t.Parallel()
	first := func(int) int { return 0 }
	for _, tc := range []struct {
		price, compare, want string
	}{
		{"19.99", "", "19.98"},
		{"19.98", "", "19.99"},
		{"19.98", "19.99", "19.97"},
		{"0.01", "", "0.02"},
		{"1999", "", "1998"},
		{"12,50", "", "12,51"},
		{"0.10", "", "0.11"},
	} {
		v := url.Values{"variant": {"7"}, "variants.7.price": {tc.price}, "variants.7.compare_at": {tc.compare}}
		require.True(t, changePrice(v, first), tc.price)
		require.Equal(t, tc.want, v.Get("variants.7.price"), "%s (compare-at %q)", tc.price, tc.compare)
	}
	require.False(t, changePrice(url.Values{"variant": {"7"}, "variants.7.price": {"n/a"}}, first))
	require.False(t, changePrice(url.Values{}, first))
	for _, bad := range []string{"", "-1.00", "1.2.3", "abc", ".50"} {
		_, ok := parseAmount(bad)
		require.False(t, ok, bad)
	}
}

func TestEditHelpers(t *testing.T) {
	t.Parallel()
	require.Equal(t, "Relaxed Tee", baseTitle("Relaxed Tee (edit 12)"))
	require.Equal(t, "Relaxed Tee", baseTitle("Relaxed Tee"))
	require.Len(t, []rune(baseTitle(strings.Repeat("é", 300))), 150)

	require.Equal(t, 1, lastPage(parseHTML(`<p>no pages</p>`)))
	require.Equal(t, 2000, lastPage(parseHTML(`<nav data-testid="pagination"><a href="?status=active">1</a>
<a href="/admin/catalog/products?page=2&amp;status=active">2</a><span>…</span><a href="?page=2000&amp;status=active">2000</a></nav>`)))

	require.Equal(t, "Tee & co", shownTitle([]byte(`<html><h1 class="x" data-testid="product-title">Tee &amp; co</h1>
<aside><a data-testid="product-title">Other</a></aside>`)))
	require.Empty(t, shownTitle([]byte(`<h1>no mark</h1>`)))
}
