package web

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/require"
)

func TestAssets(t *testing.T) {
	t.Parallel()

	type testBundle struct {
		assets *Assets
		mux    *http.ServeMux
	}

	setup := func(t *testing.T) *testBundle {
		t.Helper()
		assets, err := NewAssets()
		require.NoError(t, err)
		mux := http.NewServeMux()
		mux.Handle("/static/", assets.Handler())
		return &testBundle{assets: assets, mux: mux}
	}

	do := func(t *testing.T, h http.Handler, method, target string, header http.Header) (*http.Response, string) {
		t.Helper()
		req := httptest.NewRequest(method, target, nil)
		for k, v := range header {
			req.Header[k] = v
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		res := rec.Result()
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res, string(body)
	}

	embeddedFile := func(t *testing.T, name string) string {
		t.Helper()
		b, err := fs.ReadFile(embedded, "static/"+name)
		require.NoError(t, err)
		return string(b)
	}

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		bundle := setup(t)
		url := bundle.assets.URL("app.css")
		require.Regexp(t, `^/static/app\.[0-9a-f]{10}\.css$`, url)

		res, body := do(t, bundle.mux, http.MethodGet, url, nil)

		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Equal(t, "text/css; charset=utf-8", res.Header.Get("Content-Type"))
		require.Equal(t, "public, max-age=31536000, immutable", res.Header.Get("Cache-Control"))
		require.NotEmpty(t, res.Header.Get("ETag"))
		require.Equal(t, embeddedFile(t, "app.css"), body)
	})

	t.Run("Favicon", func(t *testing.T) {
		t.Parallel()
		bundle := setup(t)

		res, body := do(t, bundle.mux, http.MethodGet, bundle.assets.URL("favicon.svg"), nil)

		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Equal(t, "image/svg+xml", res.Header.Get("Content-Type"))
		require.True(t, strings.HasPrefix(body, "<svg"))
	})

	t.Run("Head", func(t *testing.T) {
		t.Parallel()
		bundle := setup(t)

		res, body := do(t, bundle.mux, http.MethodHead, bundle.assets.URL("app.css"), nil)

		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Equal(t, "text/css; charset=utf-8", res.Header.Get("Content-Type"))
		require.Empty(t, body)
	})

	t.Run("ConditionalGetIsNotModified", func(t *testing.T) {
		t.Parallel()
		bundle := setup(t)
		url := bundle.assets.URL("app.css")
		first, _ := do(t, bundle.mux, http.MethodGet, url, nil)

		res, body := do(t, bundle.mux, http.MethodGet, url, http.Header{"If-None-Match": {first.Header.Get("ETag")}})

		require.Equal(t, http.StatusNotModified, res.StatusCode)
		require.Empty(t, body)
	})

	t.Run("ErrWrongHash", func(t *testing.T) {
		t.Parallel()
		bundle := setup(t)

		res, _ := do(t, bundle.mux, http.MethodGet, "/static/app.0123456789.css", nil)

		require.Equal(t, http.StatusNotFound, res.StatusCode)
		require.Empty(t, res.Header.Get("Cache-Control"), "a miss must not be cached for a year")
	})

	t.Run("OKPlainNameCachedBriefly", func(t *testing.T) {
		t.Parallel()
		bundle := setup(t)

		res, body := do(t, bundle.mux, http.MethodGet, "/static/app.css", nil)
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.NotEmpty(t, body)
		require.Equal(t, "public, max-age=300", res.Header.Get("Cache-Control"),
			"a plain name may change with the next release, so it is never immutable")
	})

	t.Run("ErrUnknownName", func(t *testing.T) {
		t.Parallel()
		bundle := setup(t)

		for _, target := range []string{"/static/nope.css", "/static/", bundle.assets.URL("nope.js")} {
			res, _ := do(t, bundle.mux, http.MethodGet, target, nil)
			require.Equal(t, http.StatusNotFound, res.StatusCode, target)
		}
		require.Equal(t, "/static/nope.js", bundle.assets.URL("nope.js"))
	})

	t.Run("ErrMethod", func(t *testing.T) {
		t.Parallel()
		bundle := setup(t)

		res, _ := do(t, bundle.mux, http.MethodPost, bundle.assets.URL("app.css"), nil)

		require.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
		require.Equal(t, "GET, HEAD", res.Header.Get("Allow"))
	})

	t.Run("HashFollowsContent", func(t *testing.T) {
		t.Parallel()
		v1, err := NewAssetsFS(fstest.MapFS{"css/site.css": {Data: []byte("a{}")}})
		require.NoError(t, err)
		v2, err := NewAssetsFS(fstest.MapFS{"css/site.css": {Data: []byte("a{color:red}")}})
		require.NoError(t, err)

		require.Regexp(t, `^/static/css/site\.[0-9a-f]{10}\.css$`, v1.URL("css/site.css"))
		require.NotEqual(t, v1.URL("css/site.css"), v2.URL("css/site.css"))
		res, body := do(t, v2.Handler(), http.MethodGet, v2.URL("css/site.css"), nil)
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Equal(t, "a{color:red}", body)
		res, _ = do(t, v2.Handler(), http.MethodGet, v1.URL("css/site.css"), nil)
		require.Equal(t, http.StatusNotFound, res.StatusCode, "yesterday's URL is not today's file")
	})

	t.Run("NilAssets", func(t *testing.T) {
		t.Parallel()
		var a *Assets

		require.Equal(t, "/static/app.css", a.URL("app.css"))
	})

	t.Run("OKPrecompressed", func(t *testing.T) {
		t.Parallel()
		bundle := setup(t)
		url := bundle.assets.URL("app.css")
		plain, original := do(t, bundle.mux, http.MethodGet, url, nil)
		require.Empty(t, plain.Header.Get("Content-Encoding"), "no Accept-Encoding, no encoding")
		require.Equal(t, embeddedFile(t, "app.css"), original)

		decode := map[string]func(io.Reader) ([]byte, error){
			"gzip": func(r io.Reader) ([]byte, error) {
				zr, err := gzip.NewReader(r)
				if err != nil {
					return nil, err
				}
				return io.ReadAll(zr)
			},
			"zstd": func(r io.Reader) ([]byte, error) {
				zr, err := zstd.NewReader(r)
				if err != nil {
					return nil, err
				}
				defer zr.Close()
				return io.ReadAll(zr)
			},
		}
		etags := map[string]string{"": plain.Header.Get("ETag")} // encoding -> ETag
		for _, tc := range []struct{ accept, want string }{
			{"gzip, deflate, br, zstd", "zstd"}, // Chrome
			{"gzip, deflate, br", "gzip"},       // Safari
			{"zstd;q=0, gzip;q=0.8", "gzip"},
			{"gzip;q=0", ""},
			{"br", ""},
		} {
			res, body := do(t, bundle.mux, http.MethodGet, url, http.Header{"Accept-Encoding": {tc.accept}})
			require.Equal(t, http.StatusOK, res.StatusCode)
			require.Equal(t, tc.want, res.Header.Get("Content-Encoding"), "Accept-Encoding: %s", tc.accept)
			require.Equal(t, []string{"Accept-Encoding"}, res.Header.Values("Vary"))
			if tc.want == "" {
				require.Equal(t, original, body)
				continue
			}
			require.Less(t, len(body), len(original)/3, "%s shrinks the stylesheet", tc.want)
			got, err := decode[tc.want](strings.NewReader(body))
			require.NoError(t, err)
			require.Equal(t, original, string(got))
			etag := res.Header.Get("ETag")
			for enc, other := range etags {
				if enc != tc.want {
					require.NotEqual(t, other, etag, "%s has an ETag of its own", tc.want)
				}
			}
			etags[tc.want] = etag

			again, _ := do(t, bundle.mux, http.MethodGet, url, http.Header{"Accept-Encoding": {tc.accept}, "If-None-Match": {etag}})
			require.Equal(t, http.StatusNotModified, again.StatusCode)
		}

		// An image is served as it is: compressing it again gains nothing.
		res, _ := do(t, bundle.mux, http.MethodGet, bundle.assets.URL("favicon.svg"), http.Header{"Accept-Encoding": {"gzip"}})
		require.Equal(t, http.StatusOK, res.StatusCode)
	})
}
