package paymentsweb_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/payments/paymentsweb"
	"github.com/monoshop/monoshop/web"
)

// TestRoutesWithoutTestGateway: with a real provider configured (here manual only), no
// route on the site takes a card number, and the test gateway's webhooks are refused.
// The hosted page itself is tested in package payments, through paymentstest.
func TestRoutesWithoutTestGateway(t *testing.T) {
	t.Parallel()
	// No request below reaches the database: the routes are not there, and an unknown
	// provider is refused before any query.
	svc, err := payments.NewService(nil, nil, payments.Config{})
	require.NoError(t, err)
	require.Nil(t, svc.TestGateway())
	assets, err := web.NewAssets()
	require.NoError(t, err)
	rr := web.NewRenderer(web.Site{Name: "Test Shop", Assets: assets}, nil)
	r := chi.NewRouter()
	paymentsweb.NewHandler(svc, rr, nil).Routes(r)
	r.NotFound(rr.NotFound)

	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/pay/test/tgs_0123456789abcdef0123456789abcdef", http.StatusNotFound},
		{http.MethodPost, "/pay/test/tgs_0123456789abcdef0123456789abcdef", http.StatusNotFound},
		{http.MethodPost, "/webhooks/payments/test", http.StatusBadRequest},
		{http.MethodPost, "/webhooks/payments/manual", http.StatusBadRequest},
	} {
		rec := httptest.NewRecorder()
		body := strings.NewReader("card_number=4242424242424242")
		req := httptest.NewRequest(tc.method, tc.path, body)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.ServeHTTP(rec, req)
		require.Equal(t, tc.status, rec.Code, "%s %s", tc.method, tc.path)
	}
}
