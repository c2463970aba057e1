package ordersweb_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/web/webtest"
)

func TestAdminStoreDetails(t *testing.T) {
	t.Parallel()

	t.Run("OKSavedAndShownOnEveryPage", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		p := e.open(t, "/admin/settings")
		require.Empty(t, settingsValue(t, p, "store-form", "store_name"), "a new shop follows its environment")
		require.Contains(t, p.text(t, "field-store_name"), "Blank: Test Shop (SHOP_STORE_NAME).")
		require.Equal(t, "EUR", selectedOption(t, p, "store-form", "currency"), "the catalog's currency is shown chosen")
		require.Contains(t, webtest.TextContent(titleOf(t, p)), "Test Shop")

		to, msg := e.followed(t, settingsSubmit(t, e, p, "store-form", url.Values{
			"store_name": {"  Atelier Grace "}, "contact_email": {" hello@grace.example "},
		}))
		require.Equal(t, "/admin/settings#store-details", to)
		require.Equal(t, "Store details saved.", msg)

		p = e.open(t, "/admin/settings")
		require.Equal(t, "Atelier Grace", settingsValue(t, p, "store-form", "store_name"))
		require.Equal(t, "hello@grace.example", settingsValue(t, p, "store-form", "contact_email"))
		require.Equal(t, "Settings · Atelier Grace admin", webtest.TextContent(titleOf(t, p)), "the page is titled with the new name at once")
		d := e.svc.StoreDetails(e.ctx)
		require.Equal(t, orders.StoreDetails{Name: "Atelier Grace", ContactEmail: "hello@grace.example", Currency: "EUR"}, d)
		require.Equal(t, 1, e.auditCount(t, "settings.store"))

		// Blanking a field goes back to the environment's value.
		e.followed(t, settingsSubmit(t, e, p, "store-form", url.Values{"store_name": {""}, "contact_email": {""}}))
		d = e.svc.StoreDetails(e.ctx)
		require.Equal(t, "Test Shop", d.Name)
		require.Equal(t, "env@shop.test", d.ContactEmail)
	})

	t.Run("OKAnotherReplicaFollowsWithinASecondOrTwo", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		other := orders.NewService(e.pool, nil, nil, nil, orders.Config{Store: orders.StoreDefaults{Name: "Test Shop"}})
		require.Equal(t, "Test Shop", other.StoreDetails(e.ctx).Name, "read once, so it holds a copy")
		e.saved(t, "/admin/settings/store", url.Values{"store_name": {"Atelier Grace"}, "currency": {"EUR"}})
		require.Eventually(t, func() bool { return other.StoreDetails(e.ctx).Name == "Atelier Grace" },
			5*time.Second, 50*time.Millisecond, "the other replica shows the new name once its copy is a second old")
	})

	t.Run("ErrFieldsKeepWhatWasTyped", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		p := e.refused(t, "/admin/settings/store", url.Values{
			"store_name": {strings.Repeat("n", 81)}, "contact_email": {"hello at grace"}, "currency": {"XYZ"},
		})
		require.Equal(t, "Please correct the highlighted fields.", p.text(t, "form-error"))
		require.Equal(t, "Use at most 80 characters.", settingsFieldError(t, p, "store_name"))
		require.Equal(t, "Enter an email address like help@example.com.", settingsFieldError(t, p, "contact_email"))
		require.Equal(t, "Choose one of the listed currencies.", settingsFieldError(t, p, "currency"))
		require.Equal(t, strings.Repeat("n", 81), settingsValue(t, p, "store-form", "store_name"), "what was typed is kept")
		require.Equal(t, "hello at grace", settingsValue(t, p, "store-form", "contact_email"))
		require.Equal(t, "Test Shop", e.svc.StoreDetails(e.ctx).Name, "a refused form changes nothing")
		require.Equal(t, 0, e.auditCount(t, "settings.store"))
	})

	t.Run("ErrCurrencyOtherThanTheCatalogs", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		p := e.refused(t, "/admin/settings/store", url.Values{"store_name": {"Atelier Grace"}, "currency": {"USD"}})
		require.Equal(t, "Your products are priced in EUR. A shop sells in one currency: keep EUR, or change the products' prices first.",
			settingsFieldError(t, p, "currency"))
		require.Equal(t, "Atelier Grace", settingsValue(t, p, "store-form", "store_name"), "the name typed beside it is kept")
		require.Equal(t, "Test Shop", e.svc.StoreDetails(e.ctx).Name, "nothing was saved")
	})

	t.Run("ErrCurrencyOtherThanShippingPrices", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		e.saved(t, "/admin/settings/zones", url.Values{"name": {"France"}, "countries": {"FR"}, "position": {"1"}})
		e.saved(t, "/admin/settings/zones/"+strconv.FormatInt(e.zoneID(t, "France"), 10)+"/methods", url.Values{
			"name": {"Colissimo"}, "kind": {"flat"}, "price": {"4.90"}, "active": {"on"}, "position": {"1"}})
		// An empty catalog would allow any currency; the shipping price in euros does not.
		err := e.svc.SetStoreDetails(e.ctx, audit.Actor{}, orders.StoreDetails{Currency: "GBP"}, nil)
		require.Error(t, err)
		require.Equal(t, "Shipping prices or discount amounts are in EUR. Keep EUR, or change them first.", apperr.FieldsOf(err)["currency"])
	})

	t.Run("OKLogoUploadedServedAndRemoved", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		require.True(t, e.open(t, "/admin/settings").has("store-logo-none"))
		logo := pngOf(t, 240, 60)
		res := e.upload(t, "/admin/settings/logo", "logo", "logo.png", logo)
		to, msg := e.followed(t, res)
		require.Equal(t, "/admin/settings#store-details", to)
		require.Equal(t, "Logo saved: every page shows it now.", msg)

		sum := sha256.Sum256(logo)
		logoURL := "/store/logo/" + hex.EncodeToString(sum[:])
		p := e.open(t, "/admin/settings")
		img := byTag(p.one(t, "store-logo-preview"), "img")
		require.Len(t, img, 1)
		require.Equal(t, logoURL, webtest.Attr(img[0], "src"))
		require.Equal(t, "240", webtest.Attr(img[0], "width"))
		require.Equal(t, "60", webtest.Attr(img[0], "height"))

		got := e.get(t, logoURL)
		require.Equal(t, http.StatusOK, got.status)
		require.Equal(t, "image/png", got.header.Get("Content-Type"))
		require.Equal(t, "public, max-age=31536000, immutable", got.header.Get("Cache-Control"))
		require.Equal(t, string(logo), got.body)

		// A new logo replaces the old one, whose address then answers 404.
		e.followed(t, e.upload(t, "/admin/settings/logo", "logo", "wide.png", pngOf(t, 300, 50)))
		require.Equal(t, http.StatusNotFound, e.get(t, logoURL).status)

		e.saved(t, "/admin/settings/logo/delete", nil)
		require.True(t, e.open(t, "/admin/settings").has("store-logo-none"))
		require.Nil(t, e.svc.StoreDetails(e.ctx).Logo)
		require.Equal(t, 3, e.auditCount(t, "settings.logo"))
	})

	t.Run("ErrLogoNotAPicture", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		for name, body := range map[string][]byte{
			"logo.svg": []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
			"logo.png": []byte("not a png at all"),
		} {
			res := e.upload(t, "/admin/settings/logo", "logo", name, body)
			require.Equal(t, http.StatusUnprocessableEntity, res.status, name)
			p := parse(t, res.body)
			require.Equal(t, "Use a PNG, JPEG, GIF or WebP picture.", settingsFieldError(t, p, "logo"), name)
			require.True(t, p.has("store-logo-none"), "nothing was saved")
		}
		res := e.upload(t, "/admin/settings/logo", "logo", "huge.png", pngOf(t, 5000, 10))
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		require.Equal(t, "Use a picture of at most 4096 pixels a side.", settingsFieldError(t, parse(t, res.body), "logo"))
		require.Nil(t, e.svc.StoreDetails(e.ctx).Logo)
	})
}

// upload posts one file as field in a multipart form, as a browser's file input does.
func (e *settingsEnv) upload(t *testing.T, path, field, name string, data []byte) response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile(field, name)
	require.NoError(t, err)
	_, err = fw.Write(data)
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, e.base+path, &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return e.do(t, req)
}

// pngOf is a w×h PNG in one colour.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = []byte{0x1f, 0x6f, 0xeb, 0xff}[i%4]
	}
	img.Set(0, 0, color.Black)
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// selectedOption is the value of the chosen option of the select named name in the form.
func selectedOption(t *testing.T, p page, id, name string) string {
	t.Helper()
	for _, o := range byTag(webtest.Control(t, p.one(t, id), name), "option") {
		if webtest.HasAttr(o, "selected") {
			return webtest.Attr(o, "value")
		}
	}
	return ""
}

// titleOf is the page's <title>.
func titleOf(t *testing.T, p page) *html.Node {
	t.Helper()
	titles := byTag(p.root, "title")
	require.Len(t, titles, 1)
	return titles[0]
}

// byTag is every element called tag inside n.
func byTag(n *html.Node, tag string) []*html.Node {
	return webtest.All(n, func(c *html.Node) bool { return c.Type == html.ElementNode && c.Data == tag })
}
