package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/a-h/templ"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/httpx"
	"github.com/monoshop/monoshop/web/webtest"
)

func TestRenderer(t *testing.T) {
	t.Parallel()

	type testBundle struct {
		rr   *Renderer
		logs *bytes.Buffer
	}

	setup := func(t *testing.T) *testBundle {
		t.Helper()
		assets, err := NewAssets()
		require.NoError(t, err)
		logs := &bytes.Buffer{}
		log := slog.New(slog.NewJSONHandler(logs, nil))
		return &testBundle{rr: NewRenderer(Site{Name: "Test Shop", Assets: assets}, log), logs: logs}
	}

	// serve runs h behind the request ID middleware, as the app does, and returns the
	// response with the ID the middleware assigned.
	serve := func(t *testing.T, h http.HandlerFunc) (*http.Response, doc, string) {
		t.Helper()
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/p/some-product?x=1", nil)
		req = req.WithContext(WithChrome(req.Context(), Chrome{CartCount: 2}))
		httpx.RequestID(h).ServeHTTP(rec, req)
		res := rec.Result()
		raw, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res, parseDoc(t, string(raw)), res.Header.Get(httpx.RequestIDHeader)
	}

	t.Run("PageOK", func(t *testing.T) {
		t.Parallel()
		bundle := setup(t)
		page := inLayout(PageMeta{Title: "Hello"}, templ.Raw(`<p data-testid="greeting">Hi</p>`))

		res, d, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
			bundle.rr.Page(w, r, http.StatusCreated, page)
		})

		require.Equal(t, http.StatusCreated, res.StatusCode)
		require.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
		require.Equal(t, fmt.Sprint(len(d.raw)), res.Header.Get("Content-Length"))
		require.Equal(t, "Hi", webtest.Text(d.one("greeting")))
		require.Equal(t, "Test Shop", webtest.Text(d.one("store-name")), "the renderer puts the site in the context")
		require.Equal(t, "2", webtest.Text(d.one("cart-count")), "the chrome comes from the request context")
		require.Regexp(t, `^/static/app\.[0-9a-f]{10}\.css$`, linkHref(d, "stylesheet"))
		require.Empty(t, bundle.logs.String())
	})

	t.Run("PageErrTemplateFailsCleanly", func(t *testing.T) {
		t.Parallel()
		bundle := setup(t)
		broken := templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
			_, _ = io.WriteString(w, `<p data-testid="half">half a page`)
			return errors.New("template exploded: secret detail")
		})

		res, d, id := serve(t, func(w http.ResponseWriter, r *http.Request) {
			bundle.rr.Page(w, r, http.StatusOK, broken)
		})

		require.Equal(t, http.StatusInternalServerError, res.StatusCode)
		require.False(t, d.has("half"), "nothing of the failed page is sent")
		require.NotContains(t, d.raw, "secret detail")
		require.True(t, d.has("site-header"))
		require.Equal(t, id, webtest.Text(d.one("request-id")))
		entry := logEntry(t, bundle.logs)
		require.Equal(t, id, entry["request_id"])
		require.Contains(t, entry["err"], "secret detail")
	})

	t.Run("ErrorMapsCodesToStatus", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			code   apperr.Code
			status int
		}{
			{apperr.NotFound, http.StatusNotFound},
			{apperr.Invalid, http.StatusUnprocessableEntity},
			{apperr.Conflict, http.StatusConflict},
			{apperr.Unauthorized, http.StatusUnauthorized},
			{apperr.Forbidden, http.StatusForbidden},
			{apperr.TooMany, http.StatusTooManyRequests},
			{apperr.TooLarge, http.StatusRequestEntityTooLarge},
			{apperr.Internal, http.StatusInternalServerError},
		}
		for _, tt := range tests {
			t.Run(string(tt.code), func(t *testing.T) {
				t.Parallel()
				bundle := setup(t)
				err := fmt.Errorf("handler: %w", apperr.Wrap(errors.New("pq: cause text"), tt.code, "A safe message."))

				res, d, _ := serve(t, func(w http.ResponseWriter, r *http.Request) { bundle.rr.Error(w, r, err) })

				require.Equal(t, tt.status, res.StatusCode)
				require.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
				require.Equal(t, "no-store", res.Header.Get("Cache-Control"))
				require.True(t, d.has("error-page"))
				require.True(t, isAncestor(d.one("main"), d.one("error-page")), "the error page is inside the layout")
				require.True(t, d.has("site-header"))
				require.NotEmpty(t, webtest.Text(d.one("error-title")))
				require.NotContains(t, d.raw, "cause text")
				require.Equal(t, "noindex", metaContent(d, "robots"))
				if tt.code == apperr.Internal {
					require.Equal(t, apperr.MessageOf(err), webtest.Text(d.one("error-message")))
					require.NotEmpty(t, bundle.logs.String())
				} else {
					require.Equal(t, "A safe message.", webtest.Text(d.one("error-message")))
					require.False(t, d.has("request-id"))
					require.Empty(t, bundle.logs.String(), "only internal errors are logged")
				}
			})
		}
	})

	t.Run("ErrorInternalHidesCauseShowsRequestID", func(t *testing.T) {
		t.Parallel()
		bundle := setup(t)
		cause := errors.New(`dial tcp 10.0.0.7:5432: password authentication failed for user "shop"`)

		res, d, id := serve(t, func(w http.ResponseWriter, r *http.Request) {
			bundle.rr.Error(w, r, fmt.Errorf("load product: %w", cause))
		})

		require.Equal(t, http.StatusInternalServerError, res.StatusCode)
		require.NotEmpty(t, id)
		require.NotContains(t, d.raw, "password authentication")
		require.NotContains(t, d.raw, "10.0.0.7")
		require.NotContains(t, d.raw, "load product")
		require.Equal(t, "Something went wrong", webtest.Text(d.one("error-title")))
		require.Equal(t, apperr.MessageOf(cause), webtest.Text(d.one("error-message")))
		require.Equal(t, id, webtest.Text(d.one("request-id")))

		entry := logEntry(t, bundle.logs)
		require.Equal(t, "ERROR", entry["level"])
		require.Equal(t, id, entry["request_id"])
		require.Equal(t, http.MethodGet, entry["method"])
		require.Equal(t, "/p/some-product", entry["path"])
		require.Contains(t, entry["err"], "password authentication failed", "the cause goes to the log")
	})

	t.Run("ErrorWithoutMessageUsesStatusWording", func(t *testing.T) {
		t.Parallel()
		bundle := setup(t)

		res, d, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
			bundle.rr.Error(w, r, &apperr.Error{Code: apperr.NotFound})
		})

		require.Equal(t, http.StatusNotFound, res.StatusCode)
		require.Equal(t, "Page not found", webtest.Text(d.one("error-title")))
		require.Contains(t, webtest.Text(d.one("error-message")), "couldn't find")
	})

	t.Run("ErrorUnauthorizedOffersSignIn", func(t *testing.T) {
		t.Parallel()
		bundle := setup(t)

		_, d, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
			bundle.rr.Error(w, r, apperr.New(apperr.Unauthorized, "Please sign in to see your orders."))
		})

		signIn := webtest.All(d.one("error-page"), func(n *html.Node) bool { return n.Data == "a" && webtest.Attr(n, "href") == "/login" })
		require.Len(t, signIn, 1)
	})

	t.Run("NotFound", func(t *testing.T) {
		t.Parallel()
		bundle := setup(t)

		res, d, _ := serve(t, bundle.rr.NotFound)

		require.Equal(t, http.StatusNotFound, res.StatusCode)
		require.Equal(t, "Page not found", webtest.Text(d.one("error-title")))
		require.Equal(t, "Page not found · Test Shop", webtest.Text(d.byTag("title")[0]))
		require.False(t, d.has("request-id"))
		require.Empty(t, bundle.logs.String())
	})

	t.Run("Status", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			status int
			title  string
		}{
			{http.StatusForbidden, "Request refused"},
			{http.StatusNotFound, "Page not found"},
			{http.StatusMethodNotAllowed, "Method not allowed"},
			{http.StatusRequestEntityTooLarge, "Request too large"},
			{http.StatusTooManyRequests, "Too many requests"},
			{http.StatusInternalServerError, "Something went wrong"},
			{http.StatusTeapot, "I'm a teapot"},
		}
		for _, tt := range tests {
			t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
				t.Parallel()
				bundle := setup(t)

				res, d, id := serve(t, func(w http.ResponseWriter, r *http.Request) { bundle.rr.Status(w, r, tt.status) })

				require.Equal(t, tt.status, res.StatusCode)
				require.Equal(t, tt.title, webtest.Text(d.one("error-title")))
				require.NotEmpty(t, webtest.Text(d.one("error-message")))
				require.True(t, d.has("site-header"))
				require.Equal(t, tt.status >= 500, d.has("request-id"))
				if tt.status >= 500 {
					require.Equal(t, id, webtest.Text(d.one("request-id")))
				}
				require.Empty(t, bundle.logs.String(), "Status leaves logging to the middleware that chose it")
			})
		}
	})
}

func logEntry(t *testing.T, logs *bytes.Buffer) map[string]any {
	t.Helper()
	lines := bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n"))
	require.Len(t, lines, 1, "exactly one log line: %s", logs.String())
	var entry map[string]any
	require.NoError(t, json.Unmarshal(lines[0], &entry))
	return entry
}
