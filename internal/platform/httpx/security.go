package httpx

import (
	"errors"
	"net/http"
	"strings"
)

// SecurityHeaders sets the baseline of DESIGN.md §6 on every response. The CSP allows no
// inline script at all: pages work without JavaScript, and enhancements are served as
// files from /static.
func SecurityHeaders(secure bool) func(http.Handler) http.Handler {
	csp := strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src 'self' data:",
		"font-src 'self'",
		"connect-src 'self'",
		"form-action 'self'",
		"base-uri 'self'",
		"object-src 'none'",
		"frame-ancestors 'none'",
	}, "; ")
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			if secure {
				h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
			}
			next.ServeHTTP(w, r)
		})
	}
}

// CrossOrigin refuses unsafe cross-origin browser requests (CSRF) with the standard
// library's check and hands the refusal to deny, which renders the 403 page.
func CrossOrigin(deny http.Handler, bypass ...string) func(http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	for _, p := range bypass {
		// Webhooks are signed by the provider and come without a browser's origin headers.
		cop.AddInsecureBypassPattern(p)
	}
	cop.SetDenyHandler(deny)
	return cop.Handler
}

// MaxBody caps request bodies at limit(r): forms are small, uploads are not, and the cap
// must be chosen before any handler reads. Declared lengths over the cap are refused at
// once with onTooLarge; bodies that lie about their length fail when read (see IsTooLarge).
func MaxBody(limitFor func(r *http.Request) int64, onTooLarge http.Handler) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			limit := limitFor(r)
			if r.ContentLength > limit {
				// Drain nothing: closing the connection is cheaper than reading an attack.
				w.Header().Set("Connection", "close")
				onTooLarge.ServeHTTP(w, r)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			next.ServeHTTP(w, r)
		})
	}
}

// IsTooLarge reports whether err came from reading a body past MaxBody's cap.
func IsTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}
