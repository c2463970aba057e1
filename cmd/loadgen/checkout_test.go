package main

import (
	"context"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// checkoutPage is a checkout form as the shop renders it, with room for the parts a test
// varies: the country options and the shipping methods.
func checkoutPage(countries, methods string) string {
	return `<!DOCTYPE html><form action="/search" data-testid="search-form"><input type="hidden" name="from" value="header"/></form>
<form class="form" method="post" action="/checkout" data-testid="checkout-form">
<input type="hidden" name="idempotency_key" value="k-1"/>
<input type="hidden" name="cart_fingerprint" value="fp&amp;1"/>
<input type="hidden" name="something_new" value="x"/>
<input type="email" name="email" value=""/><input name="ship_name"/>
<select name="ship_country">` + countries + `</select>` + methods + `
<input type="checkbox" name="billing_same" checked/>
<button type="submit" name="action" value="place" data-testid="place-order">Place order</button></form>`
}

// flowHarness drives one checkout worker with answers written by the test, as the
// engine would with a server's.
type flowHarness struct {
	t    *testing.T
	w    *checkoutWorker
	rng  *rand.Rand
	base *url.URL
	req  *http.Request
}

func newFlowHarness(t *testing.T) *flowHarness {
	t.Helper()
	base, err := url.Parse("http://127.0.0.1:18080/")
	require.NoError(t, err)
	sc := &checkoutScenario{base: base, add: "http://127.0.0.1:18080/cart/items", ids: []string{"11", "12"}, shoppers: 1}
	return &flowHarness{t: t, w: sc.newWorker(), rng: rand.New(rand.NewPCG(1, 2)), base: base}
}

// next asks the worker for its request and checks which step and URL it is.
func (h *flowHarness) next(step, method, path string) *http.Request {
	h.t.Helper()
	req, err := h.w.Next(context.Background(), h.rng)
	require.NoError(h.t, err)
	require.Equal(h.t, step, h.w.Step())
	require.Equal(h.t, method, req.Method)
	require.Equal(h.t, "127.0.0.1:18080", req.URL.Host, "every step goes to the server under test")
	require.Equal(h.t, path, req.URL.Path)
	h.req = req
	return req
}

// answer gives the worker the answer to its request; location "" sends none.
func (h *flowHarness) answer(status int, location, body string) error {
	h.t.Helper()
	resp := &http.Response{StatusCode: status, Header: http.Header{}, Request: h.req}
	if location != "" {
		resp.Header.Set("Location", location)
	}
	return h.w.Check(resp, []byte(body))
}

// form reads the body of the request in flight.
func (h *flowHarness) form() url.Values {
	h.t.Helper()
	data, err := io.ReadAll(h.req.Body)
	require.NoError(h.t, err)
	v, err := url.ParseQuery(string(data))
	require.NoError(h.t, err)
	return v
}

// setSession gives the shopper a session cookie, as the shop's first answer would.
func (h *flowHarness) setSession(value string) {
	h.w.Jar().SetCookies(h.base, []*http.Cookie{{Name: "sess", Value: value, Path: "/", Secure: true}})
}

func (h *flowHarness) session() string {
	for _, c := range h.w.Jar().Cookies(h.base) {
		if c.Name == "sess" {
			return c.Value
		}
	}
	return ""
}

// toPlace walks the worker to the step that places the order.
func (h *flowHarness) toPlace() {
	h.t.Helper()
	h.next(stepAdd, http.MethodPost, "/cart/items")
	h.setSession("s1")
	require.NoError(h.t, h.answer(http.StatusSeeOther, "/p/shirt?variant=11&added=1", ""))
	h.next(stepForm, http.MethodGet, "/checkout")
	methods := `<input type="radio" name="shipping_method" value="7"/><input type="radio" name="shipping_method" value="8" checked/>`
	require.NoError(h.t, h.answer(http.StatusOK, "", checkoutPage(`<option value="BE">Belgium</option><option value="FR" selected>France</option><option value="US">US</option>`, methods)))
}

func TestCheckoutWorker(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		h := newFlowHarness(t)
		addrs := map[string]bool{}
		for order := 1; order <= 2; order++ {
			add := h.form
			h.next(stepAdd, http.MethodPost, "/cart/items")
			addr := h.req.Header.Get("X-Forwarded-For")
			require.NotEmpty(t, addr)
			require.False(t, addrs[addr], "every order is a visit from an address of its own")
			addrs[addr] = true
			v := add()
			require.Contains(t, []string{"11", "12"}, v.Get("variant_id"))
			require.Equal(t, "1", v.Get("quantity"))
			if order == 1 {
				h.setSession("s1")
			}
			require.NoError(t, h.answer(http.StatusSeeOther, "/p/shirt?variant=11&added=1", ""))
			require.Empty(t, h.w.Outcome())

			h.next(stepForm, http.MethodGet, "/checkout")
			methods := `<input type="radio" name="shipping_method" value="7"/><input type="radio" name="shipping_method" value="8" checked/>`
			require.NoError(t, h.answer(http.StatusOK, "", checkoutPage(`<option value="BE">Belgium</option><option value="FR" selected>France</option><option value="US">US</option>`, methods)))

			h.next(stepPlace, http.MethodPost, "/checkout")
			require.Equal(t, "application/x-www-form-urlencoded", h.req.Header.Get("Content-Type"))
			require.True(t, addrs[h.req.Header.Get("X-Forwarded-For")], "one address for the whole visit")
			v = h.form()
			require.Equal(t, url.Values{
				"idempotency_key":  {"k-1"},
				"cart_fingerprint": {"fp&1"},
				"something_new":    {"x"},
				"action":           {"place"},
				"email":            {"shopper1.order" + string(rune('0'+order)) + "@loadgen.example.com"},
				"ship_name":        {"Shopper 1"},
				"ship_line1":       {"12 rue de Rivoli"},
				"ship_city":        {"Paris"},
				"ship_postal_code": {"75001"},
				"ship_country":     {"FR"},
				"billing_same":     {"on"},
				"shipping_method":  {"8"},
			}, v, "hidden fields as they were, a French address, the method checked; nothing of the search form")
			require.NoError(t, h.answer(http.StatusSeeOther, "/pay/test/pay_1", ""))

			h.next(stepPay, http.MethodPost, "/pay/test/pay_1")
			require.Equal(t, testCardNumber, h.form().Get("card_number"))
			// The gateway returns the shopper to the shop's public address.
			require.NoError(t, h.answer(http.StatusSeeOther, "https://shop.example.com/checkout/return/tok", ""))

			h.next(stepReturn, http.MethodGet, "/checkout/return/tok")
			require.NoError(t, h.answer(http.StatusSeeOther, "/orders/tok", ""))

			h.next(stepConfirm, http.MethodGet, "/orders/tok")
			require.NoError(t, h.answer(http.StatusOK, "", `<section data-testid="order-confirmation"><b data-testid="order-number">#1001</b></section>`))
			require.Equal(t, outcomeOrder, h.w.Outcome())
			require.Equal(t, "s1", h.session(), "the shopper buys again in the same session")
		}
	})

	t.Run("SoldOutAtAdd", func(t *testing.T) {
		t.Parallel()
		h := newFlowHarness(t)
		h.next(stepAdd, http.MethodPost, "/cart/items")
		h.setSession("s1")
		require.NoError(t, h.answer(http.StatusSeeOther, "/cart", ""), "a refused add is an answer, not an error")
		require.Equal(t, outcomeSoldOut, h.w.Outcome())
		h.next(stepAdd, http.MethodPost, "/cart/items")
		require.Empty(t, h.w.Outcome())
		require.Equal(t, "s1", h.session(), "the cart is unchanged: another item is tried in it")
	})

	t.Run("SoldOutAtCheckoutForm", func(t *testing.T) {
		t.Parallel()
		h := newFlowHarness(t)
		h.next(stepAdd, http.MethodPost, "/cart/items")
		h.setSession("s1")
		require.NoError(t, h.answer(http.StatusSeeOther, "/p/shirt?variant=11&added=1", ""))
		h.next(stepForm, http.MethodGet, "/checkout")
		require.NoError(t, h.answer(http.StatusSeeOther, "/cart", ""), "the item ran out since the add: an answer, not an error")
		require.Equal(t, outcomeSoldOut, h.w.Outcome())
		require.Empty(t, h.session(), "a new shopper, whose cart does not hold the sold-out item")
		h.next(stepAdd, http.MethodPost, "/cart/items")
	})

	t.Run("SoldOutAtPlace", func(t *testing.T) {
		t.Parallel()
		h := newFlowHarness(t)
		h.toPlace()
		h.next(stepPlace, http.MethodPost, "/checkout")
		require.NoError(t, h.answer(http.StatusSeeOther, "/cart", ""))
		require.Equal(t, outcomeSoldOut, h.w.Outcome())
		require.Empty(t, h.session(), "a new shopper, whose cart does not hold the sold-out item")
		h.next(stepAdd, http.MethodPost, "/cart/items")
	})

	t.Run("ErrPlaceRefused", func(t *testing.T) {
		t.Parallel()
		h := newFlowHarness(t)
		h.toPlace()
		h.next(stepPlace, http.MethodPost, "/checkout")
		err := h.answer(http.StatusUnprocessableEntity, "",
			`<p data-testid="form-error">Please correct the highlighted fields.</p><p data-testid="field-error-ship_postal_code">Not a French postal code.</p>`)
		require.EqualError(t, err, "status 422, want 303 (the page says: Please correct the highlighted fields.; ship_postal_code: Not a French postal code.)")
		require.Empty(t, h.w.Outcome())
		require.Empty(t, h.session(), "after an error a new shopper starts")
		h.next(stepAdd, http.MethodPost, "/cart/items")
	})

	t.Run("ErrWrongRedirects", func(t *testing.T) {
		t.Parallel()
		h := newFlowHarness(t)
		h.toPlace()
		h.next(stepPlace, http.MethodPost, "/checkout")
		require.EqualError(t, h.answer(http.StatusSeeOther, "/checkout", ""),
			"303 to /checkout, want /pay/test/{ref} (the test gateway) or /cart (sold out)")

		h.toPlace()
		h.next(stepPlace, http.MethodPost, "/checkout")
		require.NoError(t, h.answer(http.StatusSeeOther, "/pay/test/p", ""))
		h.next(stepPay, http.MethodPost, "/pay/test/p")
		require.ErrorContains(t, h.answer(http.StatusSeeOther, "/pay/test/p", ""), "was not paid at once")

		h.toPlace()
		h.next(stepPlace, http.MethodPost, "/checkout")
		require.NoError(t, h.answer(http.StatusSeeOther, "/pay/test/p", ""))
		h.next(stepPay, http.MethodPost, "/pay/test/p")
		require.NoError(t, h.answer(http.StatusSeeOther, "/checkout/return/t", ""))
		h.next(stepReturn, http.MethodGet, "/checkout/return/t")
		require.EqualError(t, h.answer(http.StatusFound, "/orders/t", ""), "status 302, want 303")
		h.next(stepAdd, http.MethodPost, "/cart/items")
	})

	t.Run("ErrNoForm", func(t *testing.T) {
		t.Parallel()
		h := newFlowHarness(t)
		h.next(stepAdd, http.MethodPost, "/cart/items")
		require.NoError(t, h.answer(http.StatusSeeOther, "/p/shirt?added=1", ""))
		h.next(stepForm, http.MethodGet, "/checkout")
		require.EqualError(t, h.answer(http.StatusOK, "", `<form data-testid="search-form"></form>`),
			`no form data-testid="checkout-form" on the checkout page`)
	})

	t.Run("ErrConfirmationWithoutMarkers", func(t *testing.T) {
		t.Parallel()
		h := newFlowHarness(t)
		h.toPlace()
		h.next(stepPlace, http.MethodPost, "/checkout")
		require.NoError(t, h.answer(http.StatusSeeOther, "/pay/test/p", ""))
		h.next(stepPay, http.MethodPost, "/pay/test/p")
		require.NoError(t, h.answer(http.StatusSeeOther, "/checkout/return/t", ""))
		h.next(stepReturn, http.MethodGet, "/checkout/return/t")
		require.NoError(t, h.answer(http.StatusSeeOther, "/orders/t", ""))
		h.next(stepConfirm, http.MethodGet, "/orders/t")
		require.EqualError(t, h.answer(http.StatusOK, "", `<section data-testid="order-confirmation">Thanks</section>`),
			`no data-testid="order-number" on the order page`)
		require.Empty(t, h.w.Outcome(), "no order is counted without its confirmation")
	})

	t.Run("NoAnswerStartsOver", func(t *testing.T) {
		t.Parallel()
		h := newFlowHarness(t)
		h.toPlace()
		h.next(stepPlace, http.MethodPost, "/checkout")
		// The engine asks again without a Check: the request failed in transport.
		h.next(stepAdd, http.MethodPost, "/cart/items")
		require.Empty(t, h.session())
	})
}

// TestVisitorAddresses checks that every visit of every shopper comes from an address of
// its own in the benchmarking range, so the shop's limit of orders per address never
// sees loadgen as one client.
func TestVisitorAddresses(t *testing.T) {
	t.Parallel()
	_, bench, err := net.ParseCIDR("198.18.0.0/15")
	require.NoError(t, err)
	seen := map[string]bool{}
	for shopper := 1; shopper <= checkoutShoppers+1; shopper++ {
		w := &checkoutWorker{shopper: shopper, jar: newSessionJar()}
		for range 100 {
			addr := w.visitor()
			require.True(t, bench.Contains(net.ParseIP(addr)), addr)
			require.False(t, seen[addr], "%s used twice", addr)
			seen[addr] = true
			w.restart()
		}
	}
}

func TestParseCheckoutForm(t *testing.T) {
	t.Parallel()

	t.Run("FirstMethodWhenNoneChecked", func(t *testing.T) {
		t.Parallel()
		f, err := parseCheckoutForm(parseHTML(checkoutPage(`<option value="">Choose</option><option value="BE">Belgium</option><option value="FR">France</option>`,
			`<input type="radio" name="shipping_method" value="3"/><input type="radio" name="shipping_method" value="4"/>`)))
		require.NoError(t, err)
		require.Equal(t, "3", f.method)
		require.Equal(t, "FR", f.country, "France when no country is selected")
		require.Equal(t, "/checkout", f.action)
	})

	t.Run("SelectedCountryWins", func(t *testing.T) {
		t.Parallel()
		f, err := parseCheckoutForm(parseHTML(checkoutPage(`<option value="FR">France</option><option value="DE" selected>DE</option>`, "")))
		require.NoError(t, err)
		require.Equal(t, "DE", f.country, "the methods on the page are priced for the selected country")
		v := f.placeValues(3, 1)
		require.Equal(t, "DE", v.Get("ship_country"))
		require.NotEqual(t, "75001", v.Get("ship_postal_code"))
		require.False(t, v.Has("shipping_method"), "no method offered yet: the shop picks its first")
	})
}

func TestCheckoutRun(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, nil)
		out := t.TempDir()
		code, stdout, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "checkout", "-c", "4",
			"-d", "300ms", "-warmup", "50ms", "-runs", "2", "-out", out)
		require.Equal(t, 0, code, "stderr:\n%s", stderr)

		rep := readJSONReport(t, out)
		require.Len(t, rep.Scenarios, 1)
		r := rep.Scenarios[0]
		require.Zero(t, r.Errors, "%v", r.ErrorKinds)
		require.Equal(t, checkoutShoppers, r.Conns, "its own shoppers, whatever -c says")
		require.Contains(t, stdout, "4 connections (checkout: 32)")

		var names []string
		for _, st := range r.Steps {
			names = append(names, st.Step)
			require.Positive(t, st.Requests, st.Step)
			require.Positive(t, st.P50Ms, st.Step)
			require.LessOrEqual(t, st.P50Ms, st.P99Ms, st.Step)
		}
		require.Equal(t, checkoutSteps(), names)
		require.Len(t, r.Runs[0].Steps, len(checkoutSteps()))

		require.Len(t, r.Outcomes, 1, "orders only: nothing was sold out")
		require.Equal(t, outcomeOrder, r.Outcomes[0].Outcome)
		require.Positive(t, r.Outcomes[0].PerSec)
		orders, shown, soldOut, _ := shop.checkoutCounts()
		require.Zero(t, soldOut)
		// Every order measured was confirmed on a page the shop served; the shop also
		// served the warm-up's, discovery's, and those in flight at a run's end.
		require.GreaterOrEqual(t, shown, r.Outcomes[0].Total)
		require.GreaterOrEqual(t, orders, r.Outcomes[0].Total)
		// Every step of every order was a request, whichever step a run started at.
		steps := 0
		for _, st := range r.Steps {
			steps += st.Requests
		}
		require.Equal(t, steps, r.Runs[0].Requests+r.Runs[1].Requests)

		for _, want := range []string{"steps (one request each", "checkout place", "completed orders", "p99 of step confirmation < 100ms", "completed orders/s >= 100"} {
			require.Contains(t, stdout, want)
		}
		require.NotContains(t, stdout, "FAIL  checkout  no errors")
	})

	t.Run("SoldOut", func(t *testing.T) {
		t.Parallel()
		// One unit of every variant: shoppers soon race for the last units and then find
		// everything sold out, which the shop answers correctly and loadgen must not
		// count as errors.
		shop := newFakeShop(t, func(s *fakeShop) { s.stock = 1 })
		out := t.TempDir()
		code, stdout, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "checkout",
			"-d", "300ms", "-warmup", "0s", "-runs", "1", "-out", out)
		require.Equal(t, 0, code, "stderr:\n%s", stderr)

		r := readJSONReport(t, out).Scenarios[0]
		require.Zero(t, r.Errors, "%v", r.ErrorKinds)
		got := map[string]int{}
		for _, o := range r.Outcomes {
			got[o.Outcome] = o.Total
		}
		require.Positive(t, got[outcomeSoldOut])
		orders, _, soldOut, maxSold := shop.checkoutCounts()
		require.Equal(t, 1, maxSold, "the fake shop never oversells")
		require.GreaterOrEqual(t, soldOut, got[outcomeSoldOut])
		require.LessOrEqual(t, got[outcomeOrder], orders)
		require.Contains(t, stdout, "sold out")
	})

	t.Run("ErrNoCheckout", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, func(s *fakeShop) { s.noCheckout = true })
		code, _, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "checkout", "-out", "")
		require.Equal(t, 1, code)
		require.Contains(t, stderr, "checkout: checkout-form: GET /checkout: status 404, want 200")
	})
}

func TestFlowStats(t *testing.T) {
	t.Parallel()

	ms := func(xs ...int) []time.Duration {
		out := make([]time.Duration, len(xs))
		for i, x := range xs {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}

	t.Run("RunResult", func(t *testing.T) {
		t.Parallel()
		r := newRunResult(runSample{
			elapsed: 2 * time.Second,
			latency: ms(1, 2, 3, 10, 20),
			steps:   []stepSample{{name: "add", latency: ms(1, 2, 3)}, {name: "pay", latency: ms(10, 20)}, {name: "return"}},
			outcomes: map[string]int{
				outcomeOrder: 9, outcomeSoldOut: 1,
			},
		})
		require.Equal(t, []stepResult{
			{Step: "add", Requests: 3, P50Ms: 2, P90Ms: 3, P99Ms: 3, MaxMs: 3},
			{Step: "pay", Requests: 2, P50Ms: 10, P90Ms: 20, P99Ms: 20, MaxMs: 20},
			{Step: "return"},
		}, r.Steps)
		require.Equal(t, 4.5, r.perSec(outcomeOrder))
	})

	t.Run("Summarize", func(t *testing.T) {
		t.Parallel()
		run := func(secs float64, orders, p99 int) runResult {
			return runResult{Seconds: secs, Outcomes: map[string]int{outcomeOrder: orders},
				Steps: []stepResult{{Step: "add", Requests: 10, P50Ms: 1, P99Ms: float64(p99)}, {Step: "pay", Requests: 5, P99Ms: 7}}}
		}
		r := summarize("checkout", "", []runResult{run(1, 90, 30), run(1, 120, 10), run(2, 220, 20)}, nil)
		require.Equal(t, []stepResult{
			{Step: "add", Requests: 30, P50Ms: 1, P99Ms: 20},
			{Step: "pay", Requests: 15, P99Ms: 7},
		}, r.Steps, "medians per step, requests totalled")
		require.Equal(t, []outcomeResult{{Outcome: outcomeOrder, Total: 430, PerSec: 110}}, r.Outcomes)
		require.Equal(t, 110.0, r.outcomePerSec(outcomeOrder))
		require.Zero(t, r.outcomePerSec(outcomeSoldOut))
	})

	t.Run("NotAFlow", func(t *testing.T) {
		t.Parallel()
		r := summarize("product", "", []runResult{{Requests: 3, Seconds: 1}}, nil)
		require.Nil(t, r.Steps)
		require.Nil(t, r.Outcomes)
	})
}

func TestEvaluateFlow(t *testing.T) {
	t.Parallel()
	ts := []target{
		{"checkout", ordersPerSec, atLeast, 100},
		{"checkout", stepP99Millis, below, 100},
	}

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		got := evaluate(ts, []scenarioResult{{
			Name:     "checkout",
			Outcomes: []outcomeResult{{Outcome: outcomeOrder, Total: 3000, PerSec: 100}},
			Steps:    []stepResult{{Step: "add", Requests: 5, P99Ms: 99.9}, {Step: "pay", Requests: 5, P99Ms: 12}},
		}}, nil)
		require.Equal(t, []targetResult{
			{Status: pass, Scenario: "checkout", Goal: "completed orders/s >= 100", Value: 100, Measured: "100.0 orders/s"},
			{Status: pass, Scenario: "checkout", Goal: "p99 of step add < 100ms", Value: 99.9, Measured: "99.9ms"},
			{Status: pass, Scenario: "checkout", Goal: "p99 of step pay < 100ms", Value: 12, Measured: "12.0ms"},
		}, got)
	})

	t.Run("ErrFailures", func(t *testing.T) {
		t.Parallel()
		got := evaluate(ts, []scenarioResult{{
			Name:     "checkout",
			Outcomes: []outcomeResult{{Outcome: outcomeSoldOut, Total: 5, PerSec: 150}},
			Steps:    []stepResult{{Step: "add", Requests: 5, P99Ms: 100}, {Step: "pay"}},
		}}, nil)
		require.Len(t, got, 3)
		require.Equal(t, fail, got[0].Status, "sold-out answers are not orders")
		require.Equal(t, "0.0 orders/s", got[0].Measured)
		require.Equal(t, fail, got[1].Status)
		require.Equal(t, targetResult{Status: fail, Scenario: "checkout", Goal: "p99 of step pay < 100ms", Measured: "no answers"}, got[2])
	})

	t.Run("ErrNoSteps", func(t *testing.T) {
		t.Parallel()
		got := evaluate(ts[1:], []scenarioResult{{Name: "checkout"}}, nil)
		require.Equal(t, []targetResult{{Status: fail, Scenario: "checkout", Goal: "p99 of every step < 100ms", Measured: "no steps measured"}}, got)
	})

	t.Run("SkipWhenNotMeasured", func(t *testing.T) {
		t.Parallel()
		got := evaluate(ts, []scenarioResult{{Name: "product"}}, nil)
		require.Equal(t, skip, got[0].Status)
		require.Equal(t, skip, got[1].Status)
		require.Equal(t, "p99 of every step < 100ms", got[1].Goal)
	})

	t.Run("TableHasCheckoutTargets", func(t *testing.T) {
		t.Parallel()
		var goals []string
		for _, tg := range targets() {
			if tg.scenario == "checkout" {
				goals = append(goals, tg.goal())
			}
		}
		require.Equal(t, []string{"completed orders/s >= 100", "p99 of every step < 100ms"}, goals)
	})
}

func TestReportFlows(t *testing.T) {
	t.Parallel()
	rep := &report{
		Params: params{Conns: 64, Runs: 2},
		Scenarios: []scenarioResult{
			{Name: "product", ReqPerSec: 5000},
			{Name: "checkout", Conns: 32, ReqPerSec: 600,
				Steps:    []stepResult{{Step: "add", Requests: 1200, P50Ms: 3, P90Ms: 6, P99Ms: 12.5, MaxMs: 40}},
				Outcomes: []outcomeResult{{Outcome: outcomeOrder, Total: 2000, PerSec: 100}, {Outcome: outcomeSoldOut, Total: 3, PerSec: 0.1}},
				Runs: []runResult{
					{Seconds: 10, Outcomes: map[string]int{outcomeOrder: 990, outcomeSoldOut: 1}},
					{Seconds: 10, Outcomes: map[string]int{outcomeOrder: 1010, outcomeSoldOut: 2}},
				}},
		},
	}
	var b strings.Builder
	require.NoError(t, rep.writeText(&b))
	text := b.String()
	require.Contains(t, text, "64 connections (checkout: 32), closed loop")
	require.Regexp(t, `checkout add\s+1200\s+3\.00ms\s+6\.00ms\s+12\.5ms\s+40\.0ms`, text)
	require.Regexp(t, `checkout\s+completed orders\s+100\.0/s\s+2000 in all\s+/s per run: 99\.0  101\.0`, text)
	require.Regexp(t, `checkout\s+sold out\s+0\.1/s\s+3 in all`, text)

	// A report without flows prints neither section, as before.
	b.Reset()
	rep.Scenarios = rep.Scenarios[:1]
	require.NoError(t, rep.writeText(&b))
	require.NotContains(t, b.String(), "steps (")
	require.NotContains(t, b.String(), "outcomes")
	require.Contains(t, b.String(), "64 connections, closed loop")
}
