package catalogweb_test

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/web/webtest"
)

func TestSearchSuggest(t *testing.T) {
	t.Parallel()
	env := newShopEnv(t, shopEnvOptions{products: 200})
	shop := env.serve(t, serveOptions{})

	type suggestion struct {
		Kind, Label, URL string
	}
	suggest := func(t *testing.T, q string) (shopResponse, []suggestion) {
		t.Helper()
		res := shop.get(t, "/search/suggest?q="+url.QueryEscape(q))
		require.Equal(t, http.StatusOK, res.status)
		mt, _, err := mime.ParseMediaType(res.header.Get("Content-Type"))
		require.NoError(t, err)
		require.Equal(t, "application/json", mt)
		require.Contains(t, res.header.Get("Cache-Control"), "max-age=60")
		var out []suggestion
		require.NoError(t, json.Unmarshal([]byte(res.body), &out))
		return res, out
	}

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		_, got := suggest(t, "hood")

		require.NotEmpty(t, got)
		require.LessOrEqual(t, len(got), 8)
		var products int
		for _, s := range got {
			require.Contains(t, []string{"product", "category", "brand"}, s.Kind)
			require.NotEmpty(t, s.Label)
			require.True(t, strings.HasPrefix(s.URL, "/"), s.URL)
			if s.Kind == "product" {
				products++
				require.Contains(t, strings.ToLower(s.Label), "hood")
				require.True(t, strings.HasPrefix(s.URL, "/p/"))
				require.Equal(t, s.Label, webtest.Text(shop.page(t, s.URL).main().single("product-title")),
					"a suggestion leads to its product")
			}
		}
		require.Positive(t, products, "a product whose title matches")
	})

	t.Run("OKTooShortIsEmptyArray", func(t *testing.T) {
		t.Parallel()
		for _, q := range []string{"h", "", " h ", "é"} {
			res, got := suggest(t, q)
			require.Equal(t, "[]", res.body, "q=%q: an empty array, never null", q)
			require.Empty(t, got)
		}
	})

	t.Run("OKNothingMatches", func(t *testing.T) {
		t.Parallel()
		res, _ := suggest(t, "zzqx</script>")
		require.Equal(t, "[]", res.body)
	})
}
