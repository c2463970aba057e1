package httpx

import (
	"context"
	"net/http"
	"time"
)

// Timeout bounds the work behind a request through its context: queries are cancelled
// when the shopper's page can no longer be useful. It does not cut a response already
// being written (http.Server.WriteTimeout does that).
func Timeout(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}
