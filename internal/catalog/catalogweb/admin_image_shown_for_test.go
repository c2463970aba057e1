package catalogweb_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/web/webtest"
)

// auditLog keeps the entries the catalog writes, as the users module would store them.
type auditLog struct {
	mu      sync.Mutex
	entries []audit.Entry
}

func (l *auditLog) RecordTx(_ context.Context, _ pgx.Tx, e audit.Entry) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, e)
	return nil
}

func (l *auditLog) last(action string) (audit.Entry, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.entries) - 1; i >= 0; i-- {
		if l.entries[i].Action == action {
			return l.entries[i], true
		}
	}
	return audit.Entry{}, false
}

// TestAdminImageShownFor: staff tie a picture to a colour in the editor, and the shop
// shows it first on every variant of that colour and never on the others.
func TestAdminImageShownFor(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t, adminEnvOptions{})
	log := &auditLog{}
	e.svc.UseAudit(log)
	e.startWorker(t)
	ctx := t.Context()

	pid := e.createProduct(t, "Harbour Fleece")
	p, err := e.svc.AdminGetProduct(ctx, pid)
	require.NoError(t, err)
	_, err = e.svc.SetProductOptions(ctx, adminActor, pid, p.Version, []catalog.OptionInput{
		{Name: "Colour", Values: []string{"Orange", "Navy"}}, {Name: "Size", Values: []string{"M", "L"}}}, "59.00")
	require.NoError(t, err)
	_, err = e.svc.SetProductsStatus(ctx, adminActor, []catalog.ProductID{pid}, catalog.StatusActive)
	require.NoError(t, err)
	// The general picture first, the orange one second: choosing orange must bring it
	// forward, not merely keep it.
	hashes := make([]string, 2)
	for i, alt := range []string{"Fleece, both colours", "Fleece in orange"} {
		p, err = e.svc.AdminGetProduct(ctx, pid)
		require.NoError(t, err)
		img, _, err := e.svc.UploadProductImage(ctx, adminActor, pid, p.Version, bytes.NewReader(testImage(t, "png", uint8(10+i))), alt)
		require.NoError(t, err)
		hashes[i] = img.Hash
	}
	general, orange := "/media/"+hashes[0]+"-640.webp", "/media/"+hashes[1]+"-640.webp"
	p, err = e.svc.AdminGetProduct(ctx, pid)
	require.NoError(t, err)
	variant := func(colour, size string) catalog.VariantID {
		for _, v := range p.Variants {
			if v.Values["Colour"] == colour && v.Values["Size"] == size {
				return v.ID
			}
		}
		t.Fatalf("no variant %s / %s", colour, size)
		return 0
	}
	orangeL, orangeM, navyM := variant("Orange", "L"), variant("Orange", "M"), variant("Navy", "M")
	gallery := func(v catalog.VariantID) []string {
		t.Helper()
		d := e.page(t, fmt.Sprintf("/p/%s?variant=%d", p.Slug, v))
		var srcs []string
		for _, img := range d.main().find("product-image") {
			srcs = append(srcs, webtest.Attr(img, "src"))
		}
		return srcs
	}
	require.Eventually(t, func() bool { return len(gallery(orangeL)) == 2 }, 30*time.Second, 100*time.Millisecond,
		"both pictures are shown once rendered")
	require.Equal(t, []string{general, orange}, gallery(orangeL), "shown for all variants, in the merchant's order")

	editor := editorURL(pid)
	row := func(d shopDoc, alt string) shopDoc {
		t.Helper()
		for _, r := range d.find("image-row") {
			if webtest.Attr(d.under(r).single("image-alt"), "value") == alt {
				return d.under(r)
			}
		}
		t.Fatalf("no image row described %q", alt)
		return shopDoc{}
	}
	choices := func(sel *html.Node) (labels []string, byLabel map[string]string, chosen string) {
		byLabel = map[string]string{}
		for _, o := range webtest.All(sel, func(n *html.Node) bool { return n.Data == "option" }) {
			labels = append(labels, webtest.Text(o))
			byLabel[webtest.Text(o)] = webtest.Attr(o, "value")
			if webtest.HasAttr(o, "selected") {
				chosen = webtest.Text(o)
			}
		}
		return labels, byLabel, chosen
	}

	t.Run("OKChoicesInOptionOrder", func(t *testing.T) {
		r := row(e.page(t, editor), "Fleece in orange")
		sel := r.single("image-shown-for")
		require.Equal(t, "select", sel.Data)
		labels, _, chosen := choices(sel)
		require.Equal(t, []string{"All variants", "Colour: Orange", "Colour: Navy", "Size: M", "Size: L"}, labels)
		require.Equal(t, "All variants", chosen, "a new picture is shown for every variant")
		require.Equal(t, "Shown for", webtest.Text(r.where(func(n *html.Node) bool {
			return n.Data == "label" && webtest.Attr(n, "for") == webtest.Attr(sel, "id")
		})[0]))
	})

	t.Run("OKOrangeFirstOnEveryOrangeSizeNeverOnNavy", func(t *testing.T) {
		r := row(e.page(t, editor), "Fleece in orange")
		f := r.form("image-shown-for-form")
		_, byLabel, _ := choices(r.single("image-shown-for"))
		f.values.Set("shown_for", byLabel["Colour: Orange"])
		require.Equal(t, editor, e.post(t, f.action, f.values).location(t))
		require.True(t, e.flashes.has("success: Saved which variants the image is shown for."))
		_, _, chosen := choices(row(e.page(t, editor), "Fleece in orange").single("image-shown-for"))
		require.Equal(t, "Colour: Orange", chosen, "the editor shows the choice")

		require.Equal(t, []string{orange, general}, gallery(orangeL), "the colour's picture comes first")
		require.Equal(t, []string{orange, general}, gallery(orangeM), "for every size of the colour")
		require.Equal(t, []string{general}, gallery(navyM), "and is left out of the other colour")

		d := e.page(t, fmt.Sprintf("/p/%s?variant=%d", p.Slug, orangeM))
		first := d.main().find("product-image")[0]
		require.Equal(t, "eager", webtest.Attr(first, "loading"), "the colour's picture is the one loaded first")
		require.Equal(t, shopBaseURL+"/media/"+hashes[1]+"-1280.webp", d.meta("property", "og:image"), "link previews show the colour too")
		require.Equal(t, []any{shopBaseURL + "/media/" + hashes[1] + "-1280.webp", shopBaseURL + "/media/" + hashes[0] + "-1280.webp"},
			d.jsonLD()["Product"]["image"])
		navy := e.page(t, fmt.Sprintf("/p/%s?variant=%d", p.Slug, navyM))
		require.Equal(t, shopBaseURL+"/media/"+hashes[0]+"-1280.webp", navy.meta("property", "og:image"))

		entry, ok := log.last("product.image_shown_for")
		require.True(t, ok, "the change is in the audit log")
		require.Equal(t, adminActor.Email, entry.Actor.Email)
		require.Equal(t, strconv.FormatInt(int64(pid), 10), entry.ObjectID)
		require.Len(t, entry.Changes, 1)
		for _, c := range entry.Changes {
			require.Equal(t, audit.Change{Before: "All variants", After: "Colour: Orange"}, c)
		}
	})

	t.Run("OKChoiceOutlivesAnOptionsSave", func(t *testing.T) {
		// Saving options makes their values anew; the picture stays with its colour.
		f := e.page(t, editor).form("options-form")
		f.values.Set("options.1.values", "M, L, XL")
		require.Equal(t, editor, e.post(t, f.action, f.values).location(t))
		_, _, chosen := choices(row(e.page(t, editor), "Fleece in orange").single("image-shown-for"))
		require.Equal(t, "Colour: Orange", chosen)
		p, err = e.svc.AdminGetProduct(ctx, pid)
		require.NoError(t, err)
		require.Equal(t, []string{orange, general}, gallery(variant("Orange", "XL")), "a new size of the colour shows it too")
		require.Equal(t, []string{general}, gallery(variant("Navy", "XL")))
	})

	t.Run("ErrValueOfAnotherProduct", func(t *testing.T) {
		otherID := e.createProduct(t, "Other Fleece")
		other, err := e.svc.AdminGetProduct(ctx, otherID)
		require.NoError(t, err)
		_, err = e.svc.SetProductOptions(ctx, adminActor, otherID, other.Version, []catalog.OptionInput{{Name: "Colour", Values: []string{"Orange"}}}, "10")
		require.NoError(t, err)
		other, err = e.svc.AdminGetProduct(ctx, otherID)
		require.NoError(t, err)
		foreign := strconv.FormatInt(other.Options[0].Values[0].ID, 10)

		for _, value := range []string{foreign, "garbage", "-3"} {
			r := row(e.page(t, editor), "Fleece in orange")
			f := r.form("image-shown-for-form")
			f.values.Set("shown_for", value)
			res := e.post(t, f.action, f.values)
			require.Equal(t, http.StatusUnprocessableEntity, res.status, value)
			r = row(res.doc(t), "Fleece in orange")
			require.Equal(t, "Choose all variants or one of this product's option values.", webtest.Text(r.single("field-error-shown-for")), value)
			require.Equal(t, "true", webtest.Attr(r.single("image-shown-for"), "aria-invalid"))
			require.Equal(t, []string{orange, general}, gallery(orangeL), "nothing changed")
		}
	})

	t.Run("ErrStale", func(t *testing.T) {
		f := row(e.page(t, editor), "Fleece in orange").form("image-shown-for-form")
		alt := row(e.page(t, editor), "Fleece, both colours").form("image-alt-form")
		alt.values.Set("alt", "Fleece, front")
		require.Equal(t, editor, e.post(t, alt.action, alt.values).location(t))

		f.values.Set("shown_for", "")
		res := e.post(t, f.action, f.values)
		require.Equal(t, http.StatusConflict, res.status)
		d := res.doc(t)
		require.True(t, d.under(d.single("editor-images")).has("stale-notice"))
		require.Equal(t, []string{orange, general}, gallery(orangeL), "nothing changed")
	})

	t.Run("OKAllVariantsRestores", func(t *testing.T) {
		r := row(e.page(t, editor), "Fleece in orange")
		f := r.form("image-shown-for-form")
		f.values.Set("shown_for", "")
		require.Equal(t, editor, e.post(t, f.action, f.values).location(t))
		require.Equal(t, []string{general, orange}, gallery(orangeL))
		require.Equal(t, []string{general, orange}, gallery(navyM), "back on every variant")
		entry, ok := log.last("product.image_shown_for")
		require.True(t, ok)
		for _, c := range entry.Changes {
			require.Equal(t, audit.Change{Before: "Colour: Orange", After: "All variants"}, c)
		}
	})

	t.Run("OKValueRemovedShowsEverywhere", func(t *testing.T) {
		r := row(e.page(t, editor), "Fleece in orange")
		f := r.form("image-shown-for-form")
		_, byLabel, _ := choices(r.single("image-shown-for"))
		f.values.Set("shown_for", byLabel["Colour: Orange"])
		require.Equal(t, editor, e.post(t, f.action, f.values).location(t))

		opts := e.page(t, editor).form("options-form")
		opts.values.Set("options.0.values", "Navy, Teal")
		require.Equal(t, editor, e.post(t, opts.action, opts.values).location(t))
		labels, _, chosen := choices(row(e.page(t, editor), "Fleece in orange").single("image-shown-for"))
		require.Equal(t, "All variants", chosen, "a picture of a colour no longer sold is shown for all")
		require.NotContains(t, labels, "Colour: Orange")
		require.Contains(t, labels, "Colour: Teal")
	})
}

// TestAdminImageShownForReadOnly: staff who may only look see the choice but cannot send it.
func TestAdminImageShownForReadOnly(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t, adminEnvOptions{readOnly: true})
	pid := e.createProduct(t, "Look Only Fleece")
	ctx := t.Context()
	p, err := e.svc.AdminGetProduct(ctx, pid)
	require.NoError(t, err)
	_, err = e.svc.SetProductOptions(ctx, adminActor, pid, p.Version, []catalog.OptionInput{{Name: "Colour", Values: []string{"Orange", "Navy"}}}, "20")
	require.NoError(t, err)
	p, err = e.svc.AdminGetProduct(ctx, pid)
	require.NoError(t, err)
	_, _, err = e.svc.UploadProductImage(ctx, adminActor, pid, p.Version, bytes.NewReader(testImage(t, "png", 5)), "Fleece")
	require.NoError(t, err)

	d := e.page(t, editorURL(pid))
	f := d.form("image-shown-for-form")
	require.Empty(t, f.values, "the choice is shown disabled")
	var labels []string
	for _, o := range webtest.All(d.single("image-shown-for"), func(n *html.Node) bool { return n.Data == "option" }) {
		labels = append(labels, webtest.Text(o))
	}
	require.Equal(t, []string{"All variants", "Colour: Orange", "Colour: Navy"}, labels, "but it can be read")
}
