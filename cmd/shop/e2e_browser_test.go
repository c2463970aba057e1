package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// The browser tests drive Debian's Chromium over the DevTools protocol with chromedp, a
// pure-Go driver: no WebDriver server, Node or downloaded browser, only the chromium
// package. Steps wait for elements by data-testid, never for a length of time.

const (
	// browserStartTimeout bounds Chromium's start, which a broken install can hang.
	browserStartTimeout = 30 * time.Second
	// journeyTimeout bounds a whole journey; stepTimeout one step of it, so that a page
	// that never shows what a step waits for fails that step rather than the journey.
	journeyTimeout = 90 * time.Second
	stepTimeout    = 20 * time.Second
	// artifactTimeout bounds saving the screenshot and HTML of a failed step.
	artifactTimeout = 10 * time.Second
)

// chromiumPath returns Debian's Chromium: /usr/bin/chromium, or chromium on PATH. Without
// it the test is skipped, unless SHOP_E2E=1 (CI), where its absence is a failure.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if info, err := os.Stat("/usr/bin/chromium"); err == nil && !info.IsDir() {
		return "/usr/bin/chromium"
	}
	if path, err := exec.LookPath("chromium"); err == nil {
		return path
	}
	if os.Getenv("SHOP_E2E") == "1" {
		t.Fatal("SHOP_E2E=1 but Chromium is not installed (no /usr/bin/chromium, no chromium on PATH): " +
			"apt-get install chromium")
	}
	t.Skip("browser test skipped: Chromium is not installed (apt-get install chromium); " +
		"set SHOP_E2E=1 to make its absence a failure")
	return ""
}

// chrome is one headless Chromium with one tab, driven through a journey's steps in turn.
type chrome struct {
	t       *testing.T
	base    string          // the app: http://127.0.0.1:PORT
	tabCtx  context.Context // the tab; the browser lives as long as the test
	journey context.Context // the tab under the journey's deadline
	output  *syncBuffer     // Chromium's own output and chromedp's errors
	steps   int
	dir     string // where failures are saved, made at the first one
}

func startChrome(t *testing.T, exe, base string) *chrome {
	t.Helper()
	c := &chrome{t: t, base: base, output: &syncBuffer{}}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.DisableGPU,
		chromedp.WindowSize(1024, 768),
		chromedp.CombinedOutput(c.output),
	)
	if os.Geteuid() == 0 {
		// Chromium will not start its sandbox as root, which is how CI runs.
		opts = append(opts, chromedp.NoSandbox)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	t.Cleanup(cancelAlloc)
	tabCtx, cancelTab := chromedp.NewContext(alloc, chromedp.WithErrorf(func(format string, args ...any) {
		_, _ = fmt.Fprintf(c.output, "chromedp: "+format+"\n", args...)
	}))
	t.Cleanup(cancelTab)

	// The first run starts the browser and ties it to tabCtx, which has no deadline, so
	// that a step that timed out can still take its screenshot.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(tabCtx) }()
	select {
	case err := <-started:
		require.NoError(t, err, "start Chromium (%s); its output:\n%s", exe, c.output)
	case <-time.After(browserStartTimeout):
		cancelTab()
		t.Fatalf("Chromium (%s) did not start within %s; its output:\n%s", exe, browserStartTimeout, c.output)
	}
	c.tabCtx = tabCtx
	journey, cancel := context.WithTimeout(tabCtx, journeyTimeout)
	t.Cleanup(cancel)
	c.journey = journey
	return c
}

// step runs one named step of the journey as a subtest. A failed step saves a full-page
// screenshot and the HTML of the page the browser is on, and ends the journey: every later
// step builds on it.
func (c *chrome) step(name string, fn func(t *testing.T, b *tab)) {
	c.t.Helper()
	c.steps++
	label := fmt.Sprintf("%02d-%s", c.steps, name)
	ok := c.t.Run(name, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(c.journey, stepTimeout)
		defer cancel()
		passed := false
		defer func() {
			// Runs on a failed require too (runtime.Goexit runs deferred calls).
			if !passed {
				c.saveFailure(t, label)
			}
		}()
		fn(t, &tab{t: t, ctx: ctx, base: c.base})
		passed = true
	})
	if !ok {
		c.t.FailNow()
	}
}

// saveFailure writes the screenshot and HTML of the page a step failed on, and Chromium's
// output, and logs where they are.
func (c *chrome) saveFailure(t *testing.T, label string) {
	dir, err := c.artifactDir(t)
	if err != nil {
		t.Logf("could not save the failed page: %v", err)
		return
	}
	ctx, cancel := context.WithTimeout(c.tabCtx, artifactTimeout)
	defer cancel()
	if url, err := chromedp.Run(ctx, chromedp.Location()); err == nil {
		t.Logf("the browser was on %s", url)
	}
	var saved []string
	write := func(name string, data []byte) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Logf("save %s: %v", path, err)
			return
		}
		saved = append(saved, path)
	}
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err != nil { // 100: PNG
		t.Logf("screenshot: %v", err)
	} else {
		write(label+".png", png)
	}
	if html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`)); err != nil {
		t.Logf("page HTML: %v", err)
	} else {
		write(label+".html", []byte(html))
	}
	write(label+"-chromium.log", []byte(c.output.String()))
	t.Logf("step %s failed; saved:\n  %s", label, strings.Join(saved, "\n  "))
}

// artifactDir is where failures are saved: $SHOP_E2E_ARTIFACTS when set; the test's
// t.ArtifactDir() when go test runs with -artifacts (kept under -outputdir); otherwise a
// new os.TempDir()/monoshop-e2e-<timestamp>-*. Without -artifacts Go deletes
// t.ArtifactDir() when the test ends, which would lose the very files a failed run is
// read from.
func (c *chrome) artifactDir(t *testing.T) (string, error) {
	if dir := os.Getenv("SHOP_E2E_ARTIFACTS"); dir != "" {
		return dir, os.MkdirAll(dir, 0o755)
	}
	if f := flag.Lookup("test.artifacts"); f != nil && f.Value.String() == "true" {
		return t.ArtifactDir(), nil
	}
	if c.dir == "" {
		dir, err := os.MkdirTemp("", "monoshop-e2e-"+time.Now().Format("20060102-150405")+"-")
		if err != nil {
			return "", err
		}
		c.dir = dir
	}
	return c.dir, nil
}

// tab is the browser as one step sees it: its test and its deadline.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// open loads path as typed into the address bar, and waits until landing shows.
func (b *tab) open(path, landing string) {
	b.t.Helper()
	res, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+path))
	b.landed("open "+path, res, err, landing)
}

// follow runs trigger (a click, an Enter key) that loads a new page, waits for that page
// and then until landing shows on it. Redirects are followed as the browser does.
func (b *tab) follow(what string, trigger chromedp.Action[chromedp.Void], landing string) {
	b.t.Helper()
	res, err := chromedp.RunResponse(b.ctx, trigger)
	b.landed(what, res, err, landing)
}

// click clicks sel and follows the page it loads to landing.
func (b *tab) click(sel, landing string) {
	b.t.Helper()
	b.follow("click "+sel, chromedp.Click(css(sel)), landing)
}

func (b *tab) landed(what string, res *network.Response, err error, landing string) {
	b.t.Helper()
	require.NoError(b.t, err, what)
	require.NotNil(b.t, res, "%s: no page loaded", what)
	if res.Status != http.StatusOK {
		require.Failf(b.t, "the page failed", "%s: %s answered %d %s; the page says: %s",
			what, res.URL, res.Status, res.StatusText, b.problems())
	}
	b.wait(landing)
}

// problems is what an error page or a failed form says, to explain a failed step.
func (b *tab) problems() string {
	b.t.Helper()
	return strings.Join(b.texts(`[data-testid="error-title"], [data-testid="error-message"], `+
		`[data-testid="form-error"], [data-testid^="field-error-"], [data-testid="flash"]`), " | ")
}

// wait waits until an element matching sel is visible.
func (b *tab) wait(sel string) {
	b.t.Helper()
	require.NoError(b.t, chromedp.Do(b.ctx, chromedp.WaitVisible(css(sel))), "wait for %s", sel)
}

// do runs actions that return nothing.
func (b *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	require.NoError(b.t, chromedp.Do(b.ctx, actions...), what)
}

// fill replaces the text of the field sel by typing value into it.
func (b *tab) fill(sel, value string) {
	b.t.Helper()
	b.do("fill "+sel,
		chromedp.WaitVisible(css(sel)),
		// chromedp's SetValue cannot set "": empty the field directly.
		chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsString(sel)+`).value = ""`),
		chromedp.SendKeys(css(sel), value),
	)
	require.Equal(b.t, value, b.value(sel), "%s holds what was typed", sel)
}

// choose picks the option of the select sel whose value is value, telling the page's
// scripts (if any) as a real pick does.
func (b *tab) choose(sel, value string) {
	b.t.Helper()
	b.do("choose "+value+" in "+sel,
		chromedp.SetValue(css(sel), value),
		chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsString(sel)+`).dispatchEvent(new Event("change", {bubbles: true}))`),
	)
	require.Equal(b.t, value, b.value(sel), "%s offers %q", sel, value)
}

// text is the visible text of the first element matching sel, whitespace collapsed. It
// waits for the element to exist.
func (b *tab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(css(sel)))
	require.NoError(b.t, err, "text of %s", sel)
	return strings.Join(strings.Fields(s), " ")
}

// texts is the visible text of every element matching sel now, in document order.
func (b *tab) texts(sel string) []string {
	b.t.Helper()
	out, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll(`+jsString(sel)+`), e => e.innerText.split(/\s+/).filter(Boolean).join(" "))`))
	require.NoError(b.t, err, "texts of %s", sel)
	return out
}

// count is how many elements match sel now.
func (b *tab) count(sel string) int {
	b.t.Helper()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(sel)+`).length`))
	require.NoError(b.t, err, "count %s", sel)
	return n
}

// value is the current value of the form control sel.
func (b *tab) value(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Value(css(sel)))
	require.NoError(b.t, err, "value of %s", sel)
	return v
}

// checked reports whether the checkbox or radio button sel is checked.
func (b *tab) checked(sel string) bool {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.JavascriptAttribute[bool](css(sel), "checked"))
	require.NoError(b.t, err, "checked of %s", sel)
	return v
}

// location is the URL the browser shows, without the app's scheme and host.
func (b *tab) location() string {
	b.t.Helper()
	u, err := chromedp.Run(b.ctx, chromedp.Location())
	require.NoError(b.t, err)
	return strings.TrimPrefix(u, b.base)
}

// reloadUntil reloads the page, as an impatient shopper does, until ok holds for it. It
// is for outcomes that arrive in the background (a payment provider's webhook), and gives
// up with the step's deadline.
func (b *tab) reloadUntil(what string, landing string, ok func() bool) {
	b.t.Helper()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for !ok() {
		select {
		case <-b.ctx.Done():
			require.Failf(b.t, "gave up waiting", "%s: %v", what, b.ctx.Err())
		case <-tick.C:
		}
		b.do("reload", chromedp.Reload())
		b.wait(landing)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s) // a string always marshals
	return string(q)
}
