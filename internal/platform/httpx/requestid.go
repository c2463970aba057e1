// Package httpx holds the HTTP middleware every route shares: request IDs, real client IP,
// panic recovery, access logs, timeouts, security headers, cross-origin protection and
// body caps. It renders nothing itself; pages come from package web.
package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
)

type requestIDKey struct{}

// RequestIDHeader carries the ID back to the client so a shopper quoting it on the error
// page can be matched with the log line.
const RequestIDHeader = "X-Request-Id"

// RequestID gives every request an ID, kept in the context and echoed in the response.
// An incoming X-Request-Id is deliberately ignored: clients could forge log correlation.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := newRequestID()
		w.Header().Set(RequestIDHeader, id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// RequestIDFrom returns the request's ID, or "" outside a request.
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
