package httpx

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
)

// Recoverer turns a panic into one log line (with the request ID and stack) and the 500
// page served by onPanic, so one bad handler never takes the server down or shows a
// stack. onPanic must not log again. http.ErrAbortHandler is re-raised: it is net/http's
// way to abort a response on purpose.
func Recoverer(log *slog.Logger, onPanic http.Handler) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				rec := recover()
				if rec == nil {
					return
				}
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				log.ErrorContext(r.Context(), "panic serving request",
					"request_id", RequestIDFrom(r.Context()),
					"method", r.Method, "path", r.URL.Path,
					"panic", fmt.Sprint(rec), "stack", string(debug.Stack()))
				if sw, ok := w.(*statusWriter); ok && sw.wroteHeader {
					// Headers are gone; the best we can do is cut the response short.
					return
				}
				onPanic.ServeHTTP(w, r)
			}()
			next.ServeHTTP(w, r)
		})
	}
}
