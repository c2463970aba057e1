package payments_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/payments/paymentstest"
	"github.com/monoshop/monoshop/web/webtest"
)

// TestTestGatewayCards pays with every test card through the hosted page and checks the
// final state once the asynchronous (and duplicated) webhook deliveries have run.
func TestTestGatewayCards(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		card     string
		complete bool
		state    payments.State
		reason   string
		hook     string
	}{
		{"Succeeds", paymentstest.CardSucceeds, false, payments.StatePaid, "", paymentstest.HookPaid},
		{"Declined", paymentstest.CardDeclined, false, payments.StateFailed, payments.TestFailureDeclined, paymentstest.HookFailed},
		{"InsufficientFunds", paymentstest.CardInsufficientFunds, false, payments.StateFailed, payments.TestFailureInsufficientFunds, paymentstest.HookFailed},
		{"ConfirmationCompleted", paymentstest.CardRequiresAction, true, payments.StatePaid, "", paymentstest.HookPaid},
		{"ConfirmationFailed", paymentstest.CardRequiresAction, false, payments.StateFailed, payments.TestFailureAuthentication, paymentstest.HookFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, paymentstest.Options{})
			p := e.Create(t, payments.ProviderTest, eur(1250))

			res := e.PayWithCard(t, p.ID, tc.card, tc.complete)
			require.Equal(t, paymentstest.ReturnURL, res.Location(), "the shopper goes back to the shop")

			p = e.WaitState(t, p.ID, tc.state)
			require.Equal(t, tc.reason, p.FailureReason)
			jobs := e.WaitWebhooks(t)
			require.Equal(t, []string{"completed", "completed"}, jobs, "every event is delivered twice")

			p, err := e.Service.FindPayment(e.Ctx, p.ID)
			require.NoError(t, err)
			require.Equal(t, tc.state, p.State, "the duplicate delivery changed nothing")
			require.Equal(t, map[string]int{tc.hook: 1}, e.AllHookCalls(t, p.ID), "hooks fire exactly once")
			events, err := e.Service.Events(e.Ctx, p.ID)
			require.NoError(t, err)
			require.Len(t, events, 1, "the second delivery of the same event is not recorded again")
			require.True(t, events[0].Applied)
			require.Equal(t, tc.state, events[0].ReportedState)
		})
	}
}

func TestHostedPage(t *testing.T) {
	t.Parallel()

	t.Run("OKCardForm", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		p := e.Create(t, payments.ProviderTest, eur(1250))
		page := e.Begin(t, p.ID)
		res := e.Get(t, page)
		require.Equal(t, http.StatusOK, res.Status)
		require.Equal(t, "no-store", res.Header.Get("Cache-Control"))
		doc := res.Doc(t)
		one := func(id string) string {
			nodes := webtest.ByTestID(doc, id)
			require.Len(t, nodes, 1, id)
			return webtest.TextContent(nodes[0])
		}
		one("test-payment")
		require.Contains(t, one("test-mode"), "no real money")
		require.Equal(t, "€12.50", one("test-payment-amount"))
		require.Equal(t, p.OrderRef, one("test-payment-reference"))
		require.Equal(t, "Order "+p.OrderRef, one("test-payment-description"))
		form := webtest.ByTestID(doc, "test-payment-form")[0]
		require.Equal(t, page, webtest.Attr(form, "action"))
		require.Equal(t, "post", webtest.Attr(form, "method"))
		input := webtest.ByTestID(doc, "card-number")[0]
		require.Equal(t, "card_number", webtest.Attr(input, "name"))
		require.Equal(t, "cc-number", webtest.Attr(input, "autocomplete"))
		require.Contains(t, one("pay-button"), "€12.50")
		cancel := webtest.ByTestID(doc, "cancel-link")[0]
		require.Equal(t, paymentstest.ReturnURL+"?cancelled=1", webtest.Attr(cancel, "href"))
		var numbers []string
		for _, n := range webtest.ByTestID(doc, "test-card-number") {
			numbers = append(numbers, strings.ReplaceAll(webtest.TextContent(n), " ", ""))
		}
		require.Equal(t, []string{paymentstest.CardSucceeds, paymentstest.CardDeclined,
			paymentstest.CardInsufficientFunds, paymentstest.CardRequiresAction}, numbers)
	})

	t.Run("OKConfirmationStep", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		p := e.Create(t, payments.ProviderTest, eur(800))
		page := e.Begin(t, p.ID)
		res := e.PostForm(t, page, url.Values{"card_number": {"4000 0025 0000 3155"}})
		require.Equal(t, http.StatusSeeOther, res.Status)
		require.Equal(t, page, res.Location())
		doc := e.Get(t, page).Doc(t)
		require.Len(t, webtest.ByTestID(doc, "test-payment-confirm"), 1)
		require.Len(t, webtest.ByTestID(doc, "confirm-complete"), 1)
		require.Len(t, webtest.ByTestID(doc, "confirm-fail"), 1)
		require.Empty(t, webtest.ByTestID(doc, "card-number"))

		require.Equal(t, http.StatusBadRequest, e.PostForm(t, page+"/confirm", url.Values{"action": {"maybe"}}).Status)
		p2, err := e.Service.FindPayment(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StatePending, p2.State, "nothing is decided before the shopper confirms")
	})

	t.Run("OKDecidedOnce", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		p := e.Create(t, payments.ProviderTest, eur(800))
		page := e.Begin(t, p.ID)
		e.PayWithCard(t, p.ID, paymentstest.CardSucceeds, false)
		// Back button, second tab: a declined card after the payment went through
		// changes nothing and leads back to the shop.
		res := e.PostForm(t, page, url.Values{"card_number": {paymentstest.CardDeclined}})
		require.Equal(t, http.StatusSeeOther, res.Status)
		require.Equal(t, paymentstest.ReturnURL, res.Location())
		outcome := webtest.ByTestID(e.Get(t, page).Doc(t), "test-payment-outcome")
		require.Len(t, outcome, 1)
		require.Equal(t, "paid", webtest.Attr(outcome[0], "data-state"))
		e.WaitState(t, p.ID, payments.StatePaid)
		e.WaitWebhooks(t)
		require.Equal(t, map[string]int{paymentstest.HookPaid: 1}, e.AllHookCalls(t, p.ID))
	})

	t.Run("ErrNotATestCard", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		p := e.Create(t, payments.ProviderTest, eur(800))
		page := e.Begin(t, p.ID)
		for _, number := range []string{"4111111111111111", "4242424242424241", "12", ""} {
			res := e.PostForm(t, page, url.Values{"card_number": {number}})
			require.Equal(t, http.StatusUnprocessableEntity, res.Status, number)
			doc := res.Doc(t)
			require.Len(t, webtest.ByTestID(doc, "field-error-card_number"), 1, number)
			require.Len(t, webtest.ByTestID(doc, "form-error"), 1, number)
			if len(number) > 8 {
				require.NotContains(t, res.Body, number, "the number typed is never echoed back")
			}
		}
		p, err := e.Service.FindPayment(e.Ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, payments.StatePending, p.State)
	})

	t.Run("ErrUnknownPage", func(t *testing.T) {
		t.Parallel()
		e := setup(t, paymentstest.Options{})
		require.Equal(t, http.StatusNotFound, e.Get(t, "/pay/test/tgs_doesnotexistdoesnotexistdoesnot").Status)
		res := e.PostForm(t, "/pay/test/tgs_doesnotexistdoesnotexistdoesnot", url.Values{"card_number": {paymentstest.CardSucceeds}})
		require.Equal(t, http.StatusNotFound, res.Status)
	})
}

// TestNoCardNumberStored pays with every test card, then searches every row of every
// table (payments, the gateway's books, River's jobs, everything) for the numbers.
func TestNoCardNumberStored(t *testing.T) {
	t.Parallel()
	e := setup(t, paymentstest.Options{})
	for _, card := range []string{paymentstest.CardSucceeds, paymentstest.CardDeclined, paymentstest.CardInsufficientFunds} {
		p := e.Create(t, payments.ProviderTest, eur(1000))
		e.PayWithCard(t, p.ID, card, false)
	}
	p := e.Create(t, payments.ProviderTest, eur(1000))
	e.PayWithCard(t, p.ID, "4000-0025-0000-3155", true)
	p = e.Create(t, payments.ProviderTest, eur(1000))
	page := e.Begin(t, p.ID)
	e.PostForm(t, page, url.Values{"card_number": {"4111 1111 1111 1111"}})
	e.WaitWebhooks(t)

	rows, err := e.Pool.Query(e.Ctx, `SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
		WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`)
	require.NoError(t, err)
	var tables []string
	for rows.Next() {
		var name string
		require.NoError(t, rows.Scan(&name))
		tables = append(tables, name)
	}
	require.NoError(t, rows.Err())
	require.Contains(t, tables, "payments.test_gateway_sessions")
	require.Contains(t, tables, "river.river_job")

	numbers := []string{paymentstest.CardSucceeds, paymentstest.CardDeclined, paymentstest.CardInsufficientFunds,
		paymentstest.CardRequiresAction, "4111111111111111", "4111 1111 1111 1111", "4000-0025-0000-3155"}
	for _, table := range tables {
		for _, n := range numbers {
			var hits int
			require.NoError(t, e.Pool.QueryRow(e.Ctx, fmt.Sprintf(`SELECT count(*) FROM %s t WHERE strpos(t::text, $1) > 0`, table), n).Scan(&hits))
			require.Zero(t, hits, "%s holds %q", table, n)
		}
	}
}
