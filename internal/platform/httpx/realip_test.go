package httpx_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/platform/httpx"
)

func TestRealIP(t *testing.T) {
	t.Parallel()
	lb := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	seen := func(trusted []netip.Prefix, remote string, xff ...string) string {
		var got netip.Addr
		h := httpx.RealIP(trusted)(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			got = httpx.ClientIP(r.Context())
		}))
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = remote
		for _, v := range xff {
			req.Header.Add("X-Forwarded-For", v)
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
		return got.String()
	}

	t.Run("OKDirectClient", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, "203.0.113.7", seen(lb, "203.0.113.7:5555"))
	})
	t.Run("OKForwardedByTrustedProxy", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, "198.51.100.9", seen(lb, "10.1.2.3:443", "198.51.100.9"))
		// Two load balancers in a row: the first untrusted hop from the right wins.
		require.Equal(t, "198.51.100.9", seen(lb, "10.1.2.3:443", "198.51.100.9, 10.9.9.9"))
	})
	t.Run("ErrSpoofedHeaderFromUntrustedPeer", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, "203.0.113.7", seen(lb, "203.0.113.7:5555", "1.2.3.4"),
			"a client that is not our proxy cannot choose its IP")
		require.Equal(t, "203.0.113.7", seen(nil, "203.0.113.7:5555", "1.2.3.4"))
	})
	t.Run("ErrSpoofedLeftPartBehindProxy", func(t *testing.T) {
		t.Parallel()
		// The client sent "1.2.3.4" itself; the proxy appended the real address.
		require.Equal(t, "198.51.100.9", seen(lb, "10.1.2.3:443", "1.2.3.4, 198.51.100.9"))
	})
	t.Run("OKGarbageHeaderFallsBackToPeer", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, "10.1.2.3", seen(lb, "10.1.2.3:443", "not-an-ip"))
	})
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	httpx.SecurityHeaders(true)(http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	h := rec.Header()
	require.Contains(t, h.Get("Content-Security-Policy"), "frame-ancestors 'none'")
	require.Contains(t, h.Get("Content-Security-Policy"), "script-src 'self'")
	require.NotContains(t, h.Get("Content-Security-Policy"), "unsafe-inline")
	require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"))
	require.NotEmpty(t, h.Get("Strict-Transport-Security"), "prod sets HSTS")

	rec = httptest.NewRecorder()
	httpx.SecurityHeaders(false)(http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	require.Empty(t, rec.Header().Get("Strict-Transport-Security"), "dev over plain http must not pin HTTPS")
}

func TestClientKey(t *testing.T) {
	for addr, want := range map[string]string{
		"203.0.113.7":                "203.0.113.7",
		"::ffff:203.0.113.7":         "203.0.113.7",
		"2001:db8:1:2::1":            "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff:0:9": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":            "2001:db8:1:3::/64",
	} {
		var got string
		h := httpx.RealIP(nil)(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = httpx.ClientKey(r.Context()) }))
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = netip.AddrPortFrom(netip.MustParseAddr(addr), 443).String()
		h.ServeHTTP(httptest.NewRecorder(), req)
		require.Equal(t, want, got, addr)
	}
}
