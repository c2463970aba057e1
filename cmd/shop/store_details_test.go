package main

import (
	"bytes"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/web/webtest"
)

// TestStoreDetails sets the store's name, contact address and logo in the back office
// and checks what a shopper then sees on the storefront of the same process.
func TestStoreDetails(t *testing.T) {
	t.Parallel()
	f := adminSetup(t)
	a := f.a
	owner := a.signIn(t, "owner@shop.test")

	res := owner.send(t, http.MethodPost, "/admin/settings/store", url.Values{
		"store_name": {"Atelier Grace"}, "contact_email": {"hello@grace.example"},
	})
	require.Equal(t, http.StatusSeeOther, res.status, res.body)

	var logo bytes.Buffer
	require.NoError(t, png.Encode(&logo, image.NewGray(image.Rect(0, 0, 320, 80))))
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("logo", "logo.png")
	require.NoError(t, err)
	_, err = fw.Write(logo.Bytes())
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, a.base+"/admin/settings/logo", &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	up, err := owner.client.Do(req)
	require.NoError(t, err)
	up.Body.Close()
	require.Equal(t, http.StatusSeeOther, up.StatusCode)

	shopper := a.browser(t)
	res = shopper.send(t, http.MethodGet, "/", nil)
	require.Equal(t, http.StatusOK, res.status)
	p := parsePage(t, res.body)
	img := p.one("store-logo")
	require.Equal(t, "Atelier Grace", webtest.Attr(img, "alt"), "the logo's text is the store's name, for screen readers and when it does not load")
	require.Equal(t, "320", webtest.Attr(img, "width"))
	require.Equal(t, "80", webtest.Attr(img, "height"))
	contact := p.one("contact-email")
	require.Equal(t, "hello@grace.example", webtest.Text(contact))
	require.Equal(t, "mailto:hello@grace.example", webtest.Attr(contact, "href"))
	titles := p.all(func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "title" })
	require.Len(t, titles, 1)
	require.Contains(t, webtest.Text(titles[0]), "Atelier Grace")

	// The logo is served without a session, cached for good.
	got := shopper.send(t, http.MethodGet, webtest.Attr(img, "src"), nil)
	require.Equal(t, http.StatusOK, got.status)
	require.Equal(t, "image/png", got.header.Get("Content-Type"))
	require.Equal(t, logo.String(), got.body)
	require.Empty(t, got.header.Values("Set-Cookie"))

	// Staff who may not change settings cannot change the store's details either.
	manager := a.signIn(t, "catalog_manager@shop.test")
	res = manager.send(t, http.MethodPost, "/admin/settings/store", url.Values{"store_name": {"Mine now"}})
	require.Equal(t, http.StatusForbidden, res.status)
	require.Equal(t, "Atelier Grace", a.m.orders.StoreDetails(t.Context()).Name)
}
