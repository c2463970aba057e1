package catalogweb_test

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/catalog/catalogtest"
	"github.com/monoshop/monoshop/internal/catalog/catalogweb"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/internal/platform/jobs"
	"github.com/monoshop/monoshop/web"
	"github.com/monoshop/monoshop/web/webtest"
)

// adminActor is the staff member every back-office request of these tests acts as.
var adminActor = audit.Actor{ID: 42, Email: "catalog@shop.test", IP: "192.0.2.1"}

// adminEnv is the catalog back office on a seeded database of its own, served over real
// HTTP with the storefront routes beside it (for /media and the shop links).
type adminEnv struct {
	pool    *pgxpool.Pool
	svc     *catalog.Service
	reg     *jobs.Registry
	base    string
	client  *http.Client
	flashes *flashRecorder
}

// flashRecorder keeps the one-time messages the handlers queue.
type flashRecorder struct {
	mu   sync.Mutex
	msgs []string // "kind: text"
}

func (f *flashRecorder) add(_ *http.Request, kind, text string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.msgs = append(f.msgs, kind+": "+text)
}

func (f *flashRecorder) has(msg string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Contains(f.msgs, msg)
}

type adminEnvOptions struct {
	readOnly bool
}

func newAdminEnv(t *testing.T, opts adminEnvOptions) *adminEnv {
	t.Helper()
	pool := dbtest.DB(t)
	svc := catalog.NewService(pool, nil)
	require.NoError(t, svc.SeedDemo(t.Context(), catalog.SeedOptions{Products: 60, Seed: 1}))
	// Uploads queue their rendering; this client only inserts, so a test sees images
	// "processing" until it starts a worker of its own.
	reg := jobs.NewRegistry()
	svc.RegisterJobs(reg)
	log := slog.New(slog.DiscardHandler)
	queue, err := jobs.NewClient(pool, reg, log, jobs.Options{})
	require.NoError(t, err)
	svc.UseJobs(queue)

	assets, err := web.NewAssets()
	require.NoError(t, err)
	rr := web.NewRenderer(web.Site{Name: "Test Shop", Assets: assets, Env: "dev"}, log)
	env := &adminEnv{pool: pool, svc: svc, reg: reg, flashes: &flashRecorder{}}
	h := catalogweb.NewHandler(svc, rr, log, catalogweb.Options{
		BaseURL: shopBaseURL,
		Actor:   func(*http.Request) audit.Actor { return adminActor },
		Flash:   env.flashes.add,
		CanEdit: func(*http.Request) bool { return !opts.readOnly },
	})
	r := chi.NewRouter()
	h.Routes(r)
	r.Route("/admin/catalog", func(r chi.Router) {
		// What cmd/shop's admin chrome middleware provides: the back-office layout's nav.
		r.Use(func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				chrome := web.AdminChrome{UserName: "Cat", RoleLabel: "Catalog manager",
					Nav: []web.AdminNavLink{{Label: "Products", URL: "/admin/catalog/products"}}}
				next.ServeHTTP(w, r.WithContext(web.WithAdminChrome(r.Context(), chrome)))
			})
		})
		r.Group(h.AdminViewRoutes)
		r.Group(h.AdminEditRoutes)
	})
	r.NotFound(rr.NotFound)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	env.base = srv.URL
	env.client = &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return env
}

// startWorker renders queued images until the test ends.
func (e *adminEnv) startWorker(t *testing.T) {
	t.Helper()
	worker, err := jobs.NewClient(e.pool, e.reg, slog.New(slog.DiscardHandler), jobs.Options{Work: true, PollInterval: 100 * time.Millisecond})
	require.NoError(t, err)
	require.NoError(t, worker.Start(t.Context()))
	t.Cleanup(func() { _ = worker.Stop(t.Context()) })
}

type adminResponse struct {
	status int
	header http.Header
	body   string
}

func (res adminResponse) doc(t *testing.T) shopDoc {
	t.Helper()
	return parseShopDoc(t, res.body)
}

// location is where a 303 leads, without the fragment a browser keeps for itself.
func (res adminResponse) location(t *testing.T) string {
	t.Helper()
	require.Equal(t, http.StatusSeeOther, res.status, "expected a redirect, got: %s", res.body)
	loc, _, _ := strings.Cut(res.header.Get("Location"), "#")
	return loc
}

func (e *adminEnv) do(t *testing.T, method, path, contentType string, body io.Reader) adminResponse {
	t.Helper()
	// The fragment of a form's action stays in the browser.
	path, _, _ = strings.Cut(path, "#")
	req, err := http.NewRequestWithContext(t.Context(), method, e.base+path, body)
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := e.client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return adminResponse{status: res.StatusCode, header: res.Header, body: string(raw)}
}

func (e *adminEnv) get(t *testing.T, path string) adminResponse {
	t.Helper()
	return e.do(t, http.MethodGet, path, "", nil)
}

// page fetches a page that must answer 200.
func (e *adminEnv) page(t *testing.T, path string) shopDoc {
	t.Helper()
	res := e.get(t, path)
	require.Equal(t, http.StatusOK, res.status, "GET %s: %s", path, res.body)
	return res.doc(t)
}

func (e *adminEnv) post(t *testing.T, path string, form url.Values) adminResponse {
	t.Helper()
	return e.do(t, http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

// upload posts a multipart form with one file, as a browser does.
func (e *adminEnv) upload(t *testing.T, path string, form url.Values, fileField, filename string, data []byte) adminResponse {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range form {
		for _, v := range vs {
			require.NoError(t, mw.WriteField(k, v))
		}
	}
	if data != nil {
		fw, err := mw.CreateFormFile(fileField, filename)
		require.NoError(t, err)
		_, err = fw.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	return e.do(t, http.MethodPost, path, mw.FormDataContentType(), &b)
}

// htmlForm is a form as a browser would submit it untouched.
type htmlForm struct {
	node   *html.Node
	action string
	values url.Values
}

func (d shopDoc) has(testID string) bool { return len(d.find(testID)) > 0 }

// form reads the single form with testID under d.
func (d shopDoc) form(testID string) htmlForm {
	d.t.Helper()
	n := d.single(testID)
	require.Equal(d.t, "form", n.Data)
	return htmlForm{node: n, action: webtest.Attr(n, "action"), values: webtest.FormValues(d.t, n)}
}

// editorURL is a product's editor.
func editorURL(id catalog.ProductID) string {
	return "/admin/catalog/products/" + strconv.FormatInt(int64(id), 10)
}

// variantCells reads the editor's variant table: per row its option values and, for live
// rows, the names of its inputs.
type variantCells struct {
	id       string
	values   []string
	archived bool
	sku      string
}

func readVariantTable(d shopDoc) []variantCells {
	var out []variantCells
	for _, row := range d.find("variant-row") {
		rd := d.under(row)
		c := variantCells{id: webtest.Attr(row, "data-id"), archived: webtest.Attr(row, "data-archived") == "true"}
		for _, v := range rd.find("variant-value") {
			c.values = append(c.values, webtest.Text(v))
		}
		if c.archived {
			c.sku = webtest.Text(rd.single("variant-sku"))
		} else {
			c.sku = webtest.Attr(rd.single("variant-sku"), "value")
		}
		out = append(out, c)
	}
	return out
}

// testImage is a small opaque picture; seed varies its pixels so each upload is its own.
func testImage(t *testing.T, format string, seed uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), seed * 40, 255})
		}
	}
	var b bytes.Buffer
	if format == "png" {
		require.NoError(t, png.Encode(&b, img))
	} else {
		require.NoError(t, jpeg.Encode(&b, img, nil))
	}
	return b.Bytes()
}

// bombImage is a valid tiny PNG whose header claims a w×h canvas: decoding it would
// need gigabytes.
func bombImage(t *testing.T, w, h uint32) []byte {
	t.Helper()
	b := testImage(t, "png", 1)
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// createProduct makes a draft through the service, for tests about one page.
func (e *adminEnv) createProduct(t *testing.T, title string) catalog.ProductID {
	t.Helper()
	id, err := e.svc.CreateProduct(t.Context(), adminActor, catalog.ProductInput{Title: title})
	require.NoError(t, err)
	return id
}

func (e *adminEnv) imageBlobs(t *testing.T) int {
	t.Helper()
	var n int
	require.NoError(t, e.pool.QueryRow(t.Context(), `SELECT count(*) FROM catalog.image_blobs`).Scan(&n))
	return n
}

func searchSlugs(t *testing.T, svc *catalog.Service, text string) []string {
	t.Helper()
	res, err := svc.Search(t.Context(), catalog.SearchQuery{Text: text, PerPage: 100})
	require.NoError(t, err)
	var out []string
	for _, p := range res.Products {
		out = append(out, p.Slug)
	}
	return out
}

func TestAdminProductFlow(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t, adminEnvOptions{})
	ctx := t.Context()
	cats, err := e.svc.AdminListCategories(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, cats)

	// Create: the new-product form, filled in like a person would.
	d := e.page(t, "/admin/catalog/products/new")
	f := d.form("product-form")
	require.Equal(t, "/admin/catalog/products", f.action)
	require.Empty(t, f.values.Get("version"), "a new product has nothing to be stale against")
	f.values.Set("title", "Trailblazer Merino Tee")
	f.values.Set("brand", "Northwind")
	f.values.Set("description", "Soft merino.\n\nMade to run in.")
	f.values.Set("categories", strconv.FormatInt(int64(cats[0].ID), 10))
	f.values["attr_name"][0], f.values["attr_value"][0] = "Material", "Merino"
	res := e.post(t, f.action, f.values)
	editor := res.location(t)
	require.True(t, e.flashes.has("success: Product created. Add its options, prices and pictures below."))
	id, err := strconv.ParseInt(strings.TrimPrefix(editor, "/admin/catalog/products/"), 10, 64)
	require.NoError(t, err)
	pid := catalog.ProductID(id)
	p, err := e.svc.AdminGetProduct(ctx, pid)
	require.NoError(t, err)
	require.Equal(t, "trailblazer-merino-tee", p.Slug)
	require.Equal(t, catalog.StatusDraft, p.Status)
	require.Equal(t, []catalog.Attribute{{Name: "Material", Value: "Merino"}}, p.Attributes)
	require.Equal(t, []catalog.CategoryID{cats[0].ID}, p.CategoryIDs)

	// Options: two of them make six variants.
	d = e.page(t, editor)
	require.True(t, d.has("variants-empty"))
	require.False(t, d.has("product-shop-link"), "a draft is not in the shop")
	f = d.form("options-form")
	require.Equal(t, strconv.Itoa(p.Version), f.values.Get("version"))
	require.Contains(t, f.values, "base_price", "a product without variants is asked their price")
	f.values.Set("options.0.name", "Size")
	f.values.Set("options.0.values", "S, M, L")
	f.values.Set("options.1.name", "Color")
	f.values.Set("options.1.values", "Red,Blue")
	f.values.Set("base_price", "25.00")
	require.Equal(t, editor, e.post(t, f.action, f.values).location(t))

	d = e.page(t, editor)
	rows := readVariantTable(d)
	require.Len(t, rows, 6)
	var combos []string
	for _, r := range rows {
		require.False(t, r.archived)
		combos = append(combos, strings.Join(r.values, " "))
	}
	require.ElementsMatch(t, []string{"S Red", "S Blue", "M Red", "M Blue", "L Red", "L Blue"}, combos)
	f = d.form("options-form")
	require.NotContains(t, f.values, "base_price", "variants have prices of their own now")
	require.Equal(t, "S, M, L", f.values.Get("options.0.values"))

	// Prices: a mistake is refused cell by cell and nothing is saved.
	f = d.form("variants-form")
	for i, r := range rows {
		f.values.Set("variants."+r.id+".price", strconv.Itoa(20+i)+".50")
	}
	f.values.Set("variants."+rows[1].id+".price", "cheap")
	f.values.Set("variants."+rows[2].id+".compare_at", "1.00")
	res = e.post(t, f.action, f.values)
	require.Equal(t, http.StatusUnprocessableEntity, res.status)
	d = res.doc(t)
	vs := d.under(d.single("editor-variants"))
	require.Equal(t, "Please correct the highlighted variants.", webtest.Text(vs.single("form-error")))
	require.Equal(t, "Enter a price like 19.99.", webtest.Text(vs.single("field-error-variants."+rows[1].id+".price")))
	require.Equal(t, "The compare-at price must be higher than the price.", webtest.Text(vs.single("field-error-variants."+rows[2].id+".compare_at")))
	kept := d.form("variants-form").values
	require.Equal(t, "cheap", kept.Get("variants."+rows[1].id+".price"), "what was typed stays")
	require.Equal(t, "20.50", kept.Get("variants."+rows[0].id+".price"))
	p, err = e.svc.AdminGetProduct(ctx, pid)
	require.NoError(t, err)
	for _, v := range p.Variants {
		require.Equal(t, int64(2500), v.Price.Minor, "nothing was written")
	}

	kept.Set("variants."+rows[1].id+".price", "21.50")
	kept.Set("variants."+rows[2].id+".compare_at", "40")
	require.Equal(t, editor, e.post(t, f.action, kept).location(t))
	require.True(t, e.flashes.has("success: Variants saved."))
	p, err = e.svc.AdminGetProduct(ctx, pid)
	require.NoError(t, err)
	prices := map[string]int64{}
	for _, v := range p.Variants {
		prices[strconv.FormatInt(int64(v.ID), 10)] = v.Price.Minor
	}
	for i, r := range rows {
		require.Equal(t, int64((20+i)*100+50), prices[r.id])
	}

	// Images: three uploads, each from the form with the version the page carries.
	blobsBefore := e.imageBlobs(t)
	for i, format := range []string{"png", "jpeg", "png"} {
		d = e.page(t, editor)
		f = d.form("image-upload-form")
		require.Equal(t, "multipart/form-data", webtest.Attr(f.node, "enctype"))
		file := d.under(f.node).where(func(n *html.Node) bool { return n.Data == "input" && webtest.Attr(n, "type") == "file" })
		require.Len(t, file, 1)
		require.Equal(t, "image/*", webtest.Attr(file[0], "accept"))
		f.values.Set("alt", "Picture "+strconv.Itoa(i+1))
		res = e.upload(t, f.action, f.values, webtest.Attr(file[0], "name"), "tee."+format, testImage(t, format, uint8(i)))
		require.Equal(t, editor, res.location(t), res.body)
	}
	require.Equal(t, blobsBefore+3, e.imageBlobs(t))
	d = e.page(t, editor)
	images := d.find("image-row")
	require.Len(t, images, 3)
	for i, img := range images {
		row := d.under(img)
		require.Equal(t, "Processing…", webtest.Text(row.single("image-processing")), "sizes are not rendered yet")
		require.False(t, row.has("image-thumb"))
		require.Equal(t, "Picture "+strconv.Itoa(i+1), webtest.Attr(row.single("image-alt"), "value"))
	}
	require.False(t, d.under(images[0]).has("image-move-up"), "the first image cannot move up")
	require.False(t, d.under(images[2]).has("image-move-down"), "the last image cannot move down")

	// Every form of the editor names the version it was rendered with.
	p, err = e.svc.AdminGetProduct(ctx, pid)
	require.NoError(t, err)
	for _, n := range d.find("form-version") {
		require.Equal(t, strconv.Itoa(p.Version), webtest.Attr(n, "value"))
	}
	forms := d.where(func(n *html.Node) bool {
		return n.Data == "form" && webtest.Attr(n, "method") == "post" && strings.HasPrefix(webtest.Attr(n, "action"), editor)
	})
	require.Len(t, d.find("form-version"), len(forms), "each form carries the version")

	// Reorder and describe.
	lastID := webtest.Attr(images[2], "data-id")
	mv := d.under(images[2]).form("image-move-up-form")
	require.Equal(t, editor, e.post(t, mv.action, mv.values).location(t))
	d = e.page(t, editor)
	var order []string
	for _, img := range d.find("image-row") {
		order = append(order, webtest.Attr(img, "data-id"))
	}
	require.Equal(t, lastID, order[1], "moved up one place")
	alt := d.under(d.find("image-row")[0]).form("image-alt-form")
	alt.values.Set("alt", "Front view")
	require.Equal(t, editor, e.post(t, alt.action, alt.values).location(t))
	p, err = e.svc.AdminGetProduct(ctx, pid)
	require.NoError(t, err)
	var alts []string
	for _, img := range p.AllImage {
		alts = append(alts, img.Alt)
	}
	require.Contains(t, alts, "Front view")

	// Rendering: once the job has run, the editor shows thumbnails the shop serves.
	e.startWorker(t)
	require.Eventually(t, func() bool {
		return len(e.page(t, editor).find("image-thumb")) == 3
	}, 30*time.Second, 100*time.Millisecond, "thumbnails appear once rendered")
	d = e.page(t, editor)
	require.False(t, d.has("image-processing"))
	for _, thumb := range d.find("image-thumb") {
		src := webtest.Attr(thumb, "src")
		require.Regexp(t, `^/media/[0-9a-f]{24}-160\.webp$`, src)
		media := e.get(t, src)
		require.Equal(t, http.StatusOK, media.status)
		require.Equal(t, "image/webp", media.header.Get("Content-Type"))
	}

	// Publish through the list's bulk action, found by SKU prefix.
	require.NotContains(t, searchSlugs(t, e.svc, "Trailblazer"), "trailblazer-merino-tee")
	d = e.page(t, "/admin/catalog/products?q=TRAILBLAZER-MERINO-TEE-S")
	require.Equal(t, "1 product", webtest.Text(d.single("product-count")))
	require.Equal(t, strconv.FormatInt(id, 10), webtest.Attr(d.single("product-row"), "data-id"))
	bulk := d.form("product-bulk-form")
	bulk.values.Set("ids", strconv.FormatInt(id, 10))
	bulk.values.Set("status", "active")
	require.Equal(t, "/admin/catalog/products?q=TRAILBLAZER-MERINO-TEE-S", e.post(t, bulk.action, bulk.values).location(t),
		"back to the list as it was filtered")
	require.True(t, e.flashes.has("success: 1 product published."))
	require.Contains(t, searchSlugs(t, e.svc, "Trailblazer"), "trailblazer-merino-tee")
	d = e.page(t, editor)
	require.Equal(t, "Active", webtest.Text(d.single("product-status")))
	require.Equal(t, "/p/trailblazer-merino-tee", webtest.Attr(d.single("product-shop-link"), "href"))
	shop := e.get(t, "/p/trailblazer-merino-tee")
	require.Equal(t, http.StatusOK, shop.status)
	require.Len(t, shop.doc(t).find("product-image"), 3)
}

func TestAdminProductEditor(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t, adminEnvOptions{})
	ctx := t.Context()

	// The subtests that write run one at a time: see catalog's search-terms refresh, which
	// concurrent writers currently trip over.
	t.Run("ErrStaleEditChangesNothing", func(t *testing.T) {
		pid := e.createProduct(t, "Stale Jacket")
		edit := editorURL(pid)
		first := e.page(t, edit).form("product-form")
		second := e.page(t, edit).form("product-form")
		require.Equal(t, first.values.Get("version"), second.values.Get("version"))

		first.values.Set("title", "Storm Jacket")
		require.Equal(t, edit, e.post(t, first.action, first.values).location(t))

		second.values.Set("title", "Rain Jacket")
		second.values.Set("brand", "Late Brand")
		res := e.post(t, second.action, second.values)
		require.Equal(t, http.StatusConflict, res.status)
		d := res.doc(t)
		notice := d.under(d.single("editor-details")).single("stale-notice")
		require.Contains(t, webtest.Text(notice), "changed by someone else since you opened it")
		require.Equal(t, edit, webtest.Attr(d.single("stale-reload"), "href"))
		kept := d.form("product-form").values
		require.Equal(t, "Rain Jacket", kept.Get("title"), "what was typed stays, to copy over")
		require.Equal(t, second.values.Get("version"), kept.Get("version"), "resubmitting cannot overwrite either")
		require.Equal(t, "Storm Jacket", webtest.Text(d.single("product-heading")))

		p, err := e.svc.AdminGetProduct(ctx, pid)
		require.NoError(t, err)
		require.Equal(t, "Storm Jacket", p.Title, "nothing overwritten")
		require.Empty(t, p.Brand)

		// The other sections refuse an old version the same way.
		res = e.post(t, edit+"/options", url_(map[string]string{"version": second.values.Get("version"),
			"options.0.name": "Size", "options.0.values": "S", "base_price": "10"}))
		require.Equal(t, http.StatusConflict, res.status)
		require.True(t, res.doc(t).under(res.doc(t).single("editor-options")).has("stale-notice"))
		res = e.upload(t, edit+"/images", url_(map[string]string{"version": second.values.Get("version")}),
			"image", "a.png", testImage(t, "png", 9))
		require.Equal(t, http.StatusConflict, res.status)
		require.True(t, res.doc(t).under(res.doc(t).single("editor-images")).has("stale-notice"))
		p, err = e.svc.AdminGetProduct(ctx, pid)
		require.NoError(t, err)
		require.Empty(t, p.Variants)
		require.Empty(t, p.AllImage)
	})

	t.Run("ErrUploadRefused", func(t *testing.T) {
		pid := e.createProduct(t, "Upload Refusals")
		blobs := e.imageBlobs(t)
		tooLarge := append(testImage(t, "png", 3), make([]byte, catalog.MaxImageBytes)...)
		for _, tc := range []struct {
			name, filename string
			data           []byte
			want           string
		}{
			{"NotAnImage", "notes.png", []byte("just some text, not a picture"), "This file is not an image we can read. Upload a JPEG, PNG, GIF or WebP image."},
			{"OverTheCap", "huge.png", tooLarge, "The image is larger than 20 MB. Please upload a smaller file."},
			{"DecompressionBomb", "bomb.png", bombImage(t, 8000, 8000), "This picture is 8000 × 8000 pixels; the largest we take is 20 megapixels. Please upload a smaller version."},
			// 117 KB of one colour that would decode into 144 MB of pixels.
			{"HugeCanvasSmallFile", "poster.png", catalogtest.OneColourPNG(6000, 6000), "This picture is 6000 × 6000 pixels; the largest we take is 20 megapixels. Please upload a smaller version."},
			{"NoFile", "", nil, "Choose an image file to upload."},
		} {
			f := e.page(t, editorURL(pid)).form("image-upload-form")
			f.values.Set("alt", "typed "+tc.name)
			res := e.upload(t, f.action, f.values, "image", tc.filename, tc.data)
			require.Equal(t, http.StatusUnprocessableEntity, res.status, tc.name)
			d := res.doc(t)
			sec := d.under(d.single("editor-images"))
			require.Equal(t, tc.want, webtest.Text(sec.single("field-error-image")), tc.name)
			require.Equal(t, "typed "+tc.name, d.form("image-upload-form").values.Get("alt"), "the description stays")
			file := sec.where(func(n *html.Node) bool { return n.Data == "input" && webtest.Attr(n, "name") == "image" })
			require.Equal(t, "true", webtest.Attr(file[0], "aria-invalid"))
			hint := sec.where(func(n *html.Node) bool { return webtest.Attr(n, "id") == "upload-image-hint" })
			require.Equal(t, "JPEG, PNG, GIF or WebP, up to 20 MB, 20 megapixels and 8000 pixels a side. Sizes for the shop are made in the background.",
				webtest.Text(hint[0]), "the limits are said before an upload")
		}
		p, err := e.svc.AdminGetProduct(ctx, pid)
		require.NoError(t, err)
		require.Empty(t, p.AllImage, "nothing stored")
		require.Equal(t, blobs, e.imageBlobs(t), "no file kept either")
	})

	t.Run("ErrMainFormFields", func(t *testing.T) {
		pid := e.createProduct(t, "Field Checks")
		e.createProduct(t, "Taken Address")
		f := e.page(t, editorURL(pid)).form("product-form")
		f.values.Set("title", "")
		f.values.Set("slug", "taken-address")
		f.values["attr_name"][0] = "Fit"
		res := e.post(t, f.action, f.values)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		d := res.doc(t)
		require.Equal(t, "Enter a title.", webtest.Text(d.single("field-error-title")))
		require.Equal(t, "Give every attribute a name and a value.", webtest.Text(d.single("field-error-attributes")))
		require.Equal(t, "taken-address", d.form("product-form").values.Get("slug"))

		f.values.Set("title", "Field Checks")
		f.values["attr_name"][0] = ""
		res = e.post(t, f.action, f.values)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		require.Equal(t, "Another product already uses this web address.", webtest.Text(res.doc(t).single("field-error-slug")))
	})

	t.Run("ErrOptionsFields", func(t *testing.T) {
		pid := e.createProduct(t, "Option Checks")
		f := e.page(t, editorURL(pid)).form("options-form")
		f.values.Set("options.1.name", "")
		f.values.Set("options.1.values", "Red, Blue")
		f.values.Set("base_price", "free")
		res := e.post(t, f.action, f.values)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		d := res.doc(t)
		require.Equal(t, "Name this option, like Size or Color.", webtest.Text(d.single("field-error-options.1.values")))
		require.Equal(t, "Red, Blue", d.form("options-form").values.Get("options.1.values"))
	})

	t.Run("OKImageDelete", func(t *testing.T) {
		pid := e.createProduct(t, "Image Delete")
		p, err := e.svc.AdminGetProduct(ctx, pid)
		require.NoError(t, err)
		_, _, err = e.svc.UploadProductImage(ctx, adminActor, pid, p.Version, bytes.NewReader(testImage(t, "jpeg", 7)), "")
		require.NoError(t, err)
		d := e.page(t, editorURL(pid))
		del := d.under(d.single("image-row")).form("image-delete-form")
		require.Equal(t, editorURL(pid), e.post(t, del.action, del.values).location(t))
		require.True(t, e.page(t, editorURL(pid)).has("images-empty"))
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, http.StatusNotFound, e.get(t, "/admin/catalog/products/999999").status)
		require.Equal(t, http.StatusNotFound, e.get(t, "/admin/catalog/products/abc").status)
		res := e.post(t, "/admin/catalog/products/999999", url_(map[string]string{"title": "X", "version": "1"}))
		require.Equal(t, http.StatusNotFound, res.status)
	})
}

// url_ builds a form from single values.
func url_(m map[string]string) url.Values {
	v := url.Values{}
	for k, s := range m {
		v.Set(k, s)
	}
	return v
}

func TestAdminProductList(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t, adminEnvOptions{})
	ctx := t.Context()

	t.Run("OKSearchFilterPaginate", func(t *testing.T) {
		d := e.page(t, "/admin/catalog/products")
		require.Equal(t, "60 products", webtest.Text(d.single("product-count")))
		require.Len(t, d.find("product-row"), 50)
		require.Equal(t, "/admin/catalog/products?page=2", webtest.Attr(d.single("pagination-next"), "href"))
		require.Len(t, e.page(t, "/admin/catalog/products?page=2").find("product-row"), 10)

		all, _, err := e.svc.AdminListProducts(ctx, catalog.AdminProductFilter{PerPage: 200})
		require.NoError(t, err)
		target := all[7]
		d = e.page(t, "/admin/catalog/products?q="+url.QueryEscape(target.Title))
		var titles []string
		for _, n := range d.find("product-edit-link") {
			titles = append(titles, webtest.Text(n))
		}
		require.Contains(t, titles, target.Title)
		require.Equal(t, editorURL(target.ID), webtest.Attr(d.find("product-edit-link")[slices.Index(titles, target.Title)], "href"))

		d = e.page(t, "/admin/catalog/products?status=draft")
		for _, n := range d.find("product-status") {
			require.Equal(t, "Draft", webtest.Text(n))
		}
		cats, err := e.svc.AdminListCategories(ctx)
		require.NoError(t, err)
		d = e.page(t, "/admin/catalog/products?category="+strconv.FormatInt(int64(cats[0].ID), 10))
		_, want, err := e.svc.AdminListProducts(ctx, catalog.AdminProductFilter{Category: cats[0].ID})
		require.NoError(t, err)
		require.Len(t, d.find("product-row"), min(want, 50))
		require.Equal(t, strconv.FormatInt(int64(cats[0].ID), 10), d.form("product-filters").values.Get("category"))

		d = e.page(t, "/admin/catalog/products?q=no-such-thing-anywhere")
		require.Equal(t, "No product matches these filters.", webtest.Text(d.single("product-count")))
		require.False(t, d.has("product-bulk-form"))
	})

	t.Run("OKBulkArchiveLeavesTheShop", func(t *testing.T) {
		active, _, err := e.svc.AdminListProducts(ctx, catalog.AdminProductFilter{Status: catalog.StatusActive, PerPage: 200})
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(active), 4)
		victims := active[2:4]
		for _, v := range victims {
			_, err := e.svc.FindProductBySlug(ctx, v.Slug)
			require.NoError(t, err)
			require.Contains(t, searchSlugs(t, e.svc, v.Title), v.Slug)
		}
		d := e.page(t, "/admin/catalog/products?status=active")
		f := d.form("product-bulk-form")
		f.values.Del("ids")
		for _, v := range victims {
			f.values.Add("ids", strconv.FormatInt(int64(v.ID), 10))
		}
		f.values.Set("status", "archived")
		require.Equal(t, "/admin/catalog/products?status=active", e.post(t, f.action, f.values).location(t))
		require.True(t, e.flashes.has("success: 2 products archived."))
		for _, v := range victims {
			_, err := e.svc.FindProductBySlug(ctx, v.Slug)
			require.True(t, apperr.Is(err, apperr.NotFound), "archived products leave the shop: %v", err)
			require.NotContains(t, searchSlugs(t, e.svc, v.Title), v.Slug)
		}
	})

	t.Run("ErrBulkWithoutSelection", func(t *testing.T) {
		d := e.page(t, "/admin/catalog/products?status=active")
		f := d.form("product-bulk-form")
		f.values.Del("ids")
		f.values.Set("status", "draft")
		res := e.post(t, f.action, f.values)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		d = res.doc(t)
		require.Equal(t, "Select at least one product.", webtest.Text(d.single("form-error")))
		require.Equal(t, "active", d.form("product-filters").values.Get("status"), "the list keeps its filters")

		f.values.Set("return", "https://evil.example/admin/catalog/products")
		f.values.Set("ids", webtest.Attr(d.find("product-row")[0], "data-id"))
		f.values.Set("status", "active")
		require.Equal(t, "/admin/catalog/products", e.post(t, f.action, f.values).location(t), "never redirected elsewhere")
	})

	t.Run("OKListsNewProductWithoutVariants", func(t *testing.T) {
		// Every product is without variants between "Create product" and its options.
		e.createProduct(t, "Fresh Draft")
		d := e.page(t, "/admin/catalog/products?q=Fresh+Draft")
		require.Equal(t, "No price yet", webtest.Text(d.single("product-price")))
		require.Equal(t, "Draft", webtest.Text(d.single("product-status")))
	})
}

func TestAdminCategories(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t, adminEnvOptions{})
	ctx := t.Context()
	catID := func(t *testing.T, slug string) string {
		t.Helper()
		cats, err := e.svc.AdminListCategories(ctx)
		require.NoError(t, err)
		for _, c := range cats {
			if c.Slug == slug {
				return strconv.FormatInt(int64(c.ID), 10)
			}
		}
		t.Fatalf("no category %q", slug)
		return ""
	}
	rowOf := func(d shopDoc, id string) shopDoc {
		for _, n := range d.find("category-row") {
			if webtest.Attr(n, "data-id") == id {
				return d.under(n)
			}
		}
		t.Fatalf("no row for category %s", id)
		return d
	}

	// Create a root and a child through the new-category form.
	f := e.page(t, "/admin/catalog/categories").form("category-new-form")
	f.values.Set("name", "Trail Gear")
	require.Equal(t, "/admin/catalog/categories", e.post(t, f.action, f.values).location(t))
	trail := catID(t, "trail-gear")
	f = e.page(t, "/admin/catalog/categories").form("category-new-form")
	f.values.Set("name", "Trail Shoes")
	f.values.Set("parent", trail)
	f.values.Set("position", "3")
	require.Equal(t, "/admin/catalog/categories", e.post(t, f.action, f.values).location(t))
	shoes := catID(t, "trail-shoes")

	d := e.page(t, "/admin/catalog/categories")
	require.Equal(t, "1", webtest.Attr(rowOf(d, shoes).root, "data-depth"), "shown indented under its parent")
	// The parent choices of Trail Gear leave out itself and its subtree.
	parentSel := rowOf(d, trail).where(func(n *html.Node) bool { return n.Data == "select" && webtest.Attr(n, "name") == "parent" })
	require.Len(t, parentSel, 1)
	var offered []string
	for o := range parentSel[0].Descendants() {
		if o.Type == html.ElementNode && o.Data == "option" {
			offered = append(offered, webtest.Attr(o, "value"))
		}
	}
	require.NotContains(t, offered, trail)
	require.NotContains(t, offered, shoes)

	t.Run("ErrMoveUnderItself", func(t *testing.T) {
		for _, parent := range []string{trail, shoes} {
			f := rowOf(e.page(t, "/admin/catalog/categories"), trail).form("category-form")
			f.values.Set("parent", parent)
			f.values.Set("name", "Trail Gear Renamed")
			res := e.post(t, f.action, f.values)
			require.Equal(t, http.StatusUnprocessableEntity, res.status)
			row := rowOf(res.doc(t), trail)
			require.Equal(t, "A category cannot be placed inside itself or its subcategories.", webtest.Text(row.single("field-error-parent")))
			details := row.where(func(n *html.Node) bool { return n.Data == "details" })
			require.True(t, webtest.HasAttr(details[0], "open"), "the refused form stays open")
			require.Equal(t, "Trail Gear Renamed", row.form("category-form").values.Get("name"))
		}
		cats, err := e.svc.AdminListCategories(ctx)
		require.NoError(t, err)
		for _, c := range cats {
			if strconv.FormatInt(int64(c.ID), 10) == trail {
				require.Nil(t, c.ParentID, "not moved")
				require.Equal(t, "Trail Gear", c.Name, "nothing saved")
			}
		}
	})

	t.Run("OKEdit", func(t *testing.T) {
		f := rowOf(e.page(t, "/admin/catalog/categories"), shoes).form("category-form")
		f.values.Set("name", "Trail Running Shoes")
		f.values.Set("slug", "trail-running-shoes")
		f.values.Set("description", "Grippy.")
		require.Equal(t, "/admin/catalog/categories", e.post(t, f.action, f.values).location(t))
		require.True(t, e.flashes.has("success: Category “Trail Running Shoes” saved."))
		require.Equal(t, shoes, catID(t, "trail-running-shoes"))
		f = rowOf(e.page(t, "/admin/catalog/categories"), shoes).form("category-form")
		require.Equal(t, trail, f.values.Get("parent"), "the parent is kept")
		require.Equal(t, "3", f.values.Get("position"))

		f.values.Set("position", "third")
		res := e.post(t, f.action, f.values)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		require.Equal(t, "Enter a whole number, like 10.", webtest.Text(rowOf(res.doc(t), shoes).single("field-error-position")))
	})

	t.Run("ErrDeleteWithSubcategories", func(t *testing.T) {
		del := rowOf(e.page(t, "/admin/catalog/categories"), trail).form("category-delete-form")
		res := e.post(t, del.action, del.values)
		require.Equal(t, http.StatusConflict, res.status)
		require.Equal(t, "Move or delete the subcategories of Trail Gear first.", webtest.Text(res.doc(t).single("form-error")))

		del = rowOf(e.page(t, "/admin/catalog/categories"), shoes).form("category-delete-form")
		require.Equal(t, "/admin/catalog/categories", e.post(t, del.action, del.values).location(t))
		del = rowOf(e.page(t, "/admin/catalog/categories"), trail).form("category-delete-form")
		require.Equal(t, "/admin/catalog/categories", e.post(t, del.action, del.values).location(t))
		d := e.page(t, "/admin/catalog/categories")
		for _, n := range d.find("category-row") {
			require.NotContains(t, []string{trail, shoes}, webtest.Attr(n, "data-id"))
		}
	})
}

func TestAdminCSVPages(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t, adminEnvOptions{})
	ctx := t.Context()

	t.Run("OKImportForm", func(t *testing.T) {
		d := e.page(t, "/admin/catalog/import")
		f := d.form("import-form")
		require.Equal(t, "multipart/form-data", webtest.Attr(f.node, "enctype"))
		require.Equal(t, "on", f.values.Get("dry_run"), "a dry run unless told otherwise")
		require.False(t, d.has("import-report"))

		res := e.upload(t, f.action, f.values, "file", "", nil)
		require.Equal(t, http.StatusUnprocessableEntity, res.status)
		require.Equal(t, "Choose a CSV file to import.", webtest.Text(res.doc(t).single("field-error-file")))
	})

	// The CSV service is being built beside these pages: when it refuses, the pages must
	// show its refusal; when it works, they must show exactly what it reports.
	var want bytes.Buffer
	if err := e.svc.ExportCSV(ctx, &want); err != nil {
		t.Run("OKServiceRefusalShown", func(t *testing.T) {
			res := e.get(t, "/admin/catalog/export")
			require.Equal(t, http.StatusInternalServerError, res.status)
			require.True(t, res.doc(t).has("error-page"))
			require.Empty(t, res.header.Get("Content-Disposition"), "no half-made file")
			res = e.upload(t, "/admin/catalog/import", url_(map[string]string{"dry_run": "on"}), "file", "products.csv", []byte("sku\n"))
			require.NotEqual(t, http.StatusOK, res.status)
			require.True(t, res.doc(t).has("error-page") || res.doc(t).has("field-error-file"))
		})
		return
	}

	t.Run("OKExport", func(t *testing.T) {
		res := e.get(t, "/admin/catalog/export")
		require.Equal(t, http.StatusOK, res.status)
		require.Equal(t, "text/csv; charset=utf-8", res.header.Get("Content-Type"))
		require.Equal(t, `attachment; filename="products.csv"`, res.header.Get("Content-Disposition"))
		require.Equal(t, want.String(), res.body)
	})

	records, err := csv.NewReader(strings.NewReader(want.String())).ReadAll()
	require.NoError(t, err)
	require.Greater(t, len(records), 2)
	col := func(name string) int {
		i := slices.Index(records[0], name)
		require.GreaterOrEqual(t, i, 0, "the export has a %s column", name)
		return i
	}
	skuCol, priceCol := col("sku"), col("price")
	edited := func(price string) []byte {
		out := slices.Clone(records)
		out[1] = slices.Clone(records[1])
		out[1][priceCol] = price
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		require.NoError(t, w.WriteAll(out))
		return b.Bytes()
	}
	priceOf := func(t *testing.T, sku string) int64 {
		t.Helper()
		rows, _, err := e.svc.AdminListProducts(ctx, catalog.AdminProductFilter{Search: sku})
		require.NoError(t, err)
		require.Len(t, rows, 1)
		p, err := e.svc.AdminGetProduct(ctx, rows[0].ID)
		require.NoError(t, err)
		for _, v := range p.Variants {
			if v.SKU == sku {
				return v.Price.Minor
			}
		}
		t.Fatalf("no variant %s", sku)
		return 0
	}
	sku := records[1][skuCol]
	before := priceOf(t, sku)

	t.Run("OKDryRunOfTheExport", func(t *testing.T) {
		report, err := e.svc.ImportCSV(ctx, adminActor, strings.NewReader(want.String()), true)
		require.NoError(t, err)
		res := e.upload(t, "/admin/catalog/import", url_(map[string]string{"dry_run": "on"}), "file", "products.csv", want.Bytes())
		require.Equal(t, http.StatusOK, res.status, res.body)
		d := res.doc(t)
		require.True(t, d.has("import-dry-run-ok"))
		require.False(t, d.has("import-errors"))
		require.Equal(t, strconv.Itoa(report.Rows), webtest.Text(d.single("import-rows")))
		require.Equal(t, strconv.Itoa(report.Unchanged), webtest.Text(d.single("import-unchanged")))
		require.Equal(t, strconv.Itoa(report.Created), webtest.Text(d.single("import-created")))
		require.Equal(t, strconv.Itoa(report.Updated), webtest.Text(d.single("import-updated")))
		require.Equal(t, "on", d.form("import-form").values.Get("dry_run"))
	})

	t.Run("ErrLineProblemsWriteNothing", func(t *testing.T) {
		res := e.upload(t, "/admin/catalog/import", url.Values{}, "file", "products.csv", edited("abc"))
		require.Equal(t, http.StatusUnprocessableEntity, res.status, res.body)
		d := res.doc(t)
		require.Contains(t, webtest.Text(d.single("import-nothing-written")), "Nothing was written")
		var lines []string
		for _, row := range d.find("import-error") {
			lines = append(lines, webtest.Text(d.under(row).single("import-error-line")))
			require.NotEmpty(t, webtest.Text(d.under(row).single("import-error-message")))
		}
		require.Contains(t, lines, "2", "the header is line 1, the edited record line 2")
		require.Equal(t, before, priceOf(t, sku))
	})

	t.Run("OKApplied", func(t *testing.T) {
		res := e.upload(t, "/admin/catalog/import", url.Values{}, "file", "products.csv", edited("123.45"))
		require.Equal(t, http.StatusOK, res.status, res.body)
		d := res.doc(t)
		require.True(t, d.has("import-applied"))
		require.Equal(t, "1", webtest.Text(d.single("import-updated")))
		require.Equal(t, int64(12345), priceOf(t, sku))
	})
}

func TestAdminReadOnly(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t, adminEnvOptions{readOnly: true})
	d := e.page(t, "/admin/catalog/products")
	require.False(t, d.has("product-new-link"))
	require.False(t, d.has("product-select"), "no bulk actions for someone who may only look")
	row := d.find("product-row")[0]
	id, err := strconv.ParseInt(webtest.Attr(row, "data-id"), 10, 64)
	require.NoError(t, err)
	d = e.page(t, editorURL(catalog.ProductID(id)))
	for _, form := range []string{"product-form", "options-form", "variants-form", "image-upload-form"} {
		require.Empty(t, d.form(form).values, "%s is shown disabled", form)
	}
	require.False(t, e.page(t, "/admin/catalog/categories").has("category-new"))
}
