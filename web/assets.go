package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

//go:embed static
var embedded embed.FS

// assetPrefix is the URL path the asset handler answers under.
const assetPrefix = "/static/"

// assetCacheControl lets browsers and CDNs keep a file forever: its URL changes whenever
// its content does.
const assetCacheControl = "public, max-age=31536000, immutable"

// stableCacheControl is for a file asked for by its plain name (from an email, another
// site, or a load test): it may change with the next release, so it is kept briefly.
const stableCacheControl = "public, max-age=300"

// Assets serves the embedded static files under content-hashed URLs.
type Assets struct {
	byName   map[string]*asset // "app.css"
	byHashed map[string]*asset // "app.3f2a9c01de.css"
}

type asset struct {
	hashed      string
	body        []byte
	etag        string
	contentType string
	// encodings are the file compressed once at start (zstd, gzip), kept only where
	// that saves at least a tenth; served to clients that accept them.
	encodings []encodedAsset
}

type encodedAsset struct {
	name string // the Content-Encoding: "zstd", "gzip"
	body []byte
	etag string
}

// NewAssets hashes every file embedded under web/static.
func NewAssets() (*Assets, error) {
	sub, err := fs.Sub(embedded, "static")
	if err != nil {
		return nil, fmt.Errorf("web: static assets: %w", err)
	}
	return NewAssetsFS(sub)
}

// NewAssetsFS hashes every file of fsys. It exists so that dev mode can serve the
// stylesheet from disk (os.DirFS("web/static")) and see edits after a restart without a
// rebuild; production uses NewAssets.
func NewAssetsFS(fsys fs.FS) (*Assets, error) {
	a := &Assets{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		full := hex.EncodeToString(sum[:])
		f := &asset{
			hashed:      hashedName(name, full[:10]),
			body:        body,
			etag:        `"` + full[:32] + `"`,
			contentType: contentTypeOf(name, body),
		}
		if f.encodings, err = precompress(body, full[:32]); err != nil {
			return fmt.Errorf("compress %s: %w", name, err)
		}
		a.byName[name] = f
		a.byHashed[f.hashed] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static assets: %w", err)
	}
	return a, nil
}

// hashedName puts the hash before the extension ("css/app.css" -> "css/app.<hash>.css") so
// that the extension, which servers and browsers use to guess types, stays last.
func hashedName(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// URL returns the cache-busting URL of the named file, e.g. "/static/app.3f2a9c01de.css".
// An unknown name (or a nil *Assets) yields "/static/"+name, which the handler answers with
// 404: a broken link is easier to notice than a silently uncached file.
func (a *Assets) URL(name string) string {
	if a != nil {
		if f, ok := a.byName[name]; ok {
			return assetPrefix + f.hashed
		}
	}
	return assetPrefix + name
}

// Handler serves GET and HEAD for hashed asset names. It expects the full request path
// ("/static/app.3f2a9c01de.css"), so mount it without http.StripPrefix:
//
//	mux.Handle("GET /static/", assets.Handler())   // net/http
//	r.Handle("/static/*", assets.Handler())        // chi
func (a *Assets) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name, ok := strings.CutPrefix(r.URL.Path, assetPrefix)
		if !ok {
			http.NotFound(w, r)
			return
		}
		var f *asset
		cacheControl := assetCacheControl
		if a != nil {
			f = a.byHashed[name]
			if f == nil {
				if f = a.byName[name]; f != nil {
					cacheControl = stableCacheControl
				}
			}
		}
		if f == nil {
			// A stale hash means a page cached from an older release; failing loudly beats
			// caching today's file for a year under yesterday's URL.
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", f.contentType)
		h.Set("Cache-Control", cacheControl)
		h.Set("X-Content-Type-Options", "nosniff")
		// The compression middleware may have said so already.
		if !slices.Contains(h.Values("Vary"), "Accept-Encoding") {
			h.Add("Vary", "Accept-Encoding")
		}
		body, etag := f.body, f.etag
		if e := f.encoding(r.Header.Values("Accept-Encoding")); e != nil {
			// Each encoding is its own representation, with its own ETag, so a cache or
			// a Range request never mixes the bytes of one with the other.
			body, etag = e.body, e.etag
			h.Set("Content-Encoding", e.name)
		}
		h.Set("ETag", etag)
		// ServeContent answers If-None-Match against the ETag set above, Range and HEAD.
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
	})
}

// contentTypeOf prefers a fixed table over mime.TypeByExtension for the types the shop
// ships, because the latter can be overridden by the host's /etc/mime.types and the
// stylesheet must be text/css with a charset on every machine.
func contentTypeOf(name string, body []byte) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".webp":
		return "image/webp"
	case ".ico":
		return "image/x-icon"
	case ".woff2":
		return "font/woff2"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return http.DetectContentType(body)
}

// precompress compresses a text file at the highest levels, once: what every later
// answer saves is worth a slow start measured in milliseconds.
func precompress(body []byte, etag string) ([]encodedAsset, error) {
	if len(body) < 1024 {
		return nil, nil
	}
	var out []encodedAsset
	var zbuf bytes.Buffer
	zw, err := zstd.NewWriter(&zbuf, zstd.WithEncoderLevel(zstd.SpeedBestCompression))
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	var gbuf bytes.Buffer
	gw, err := gzip.NewWriterLevel(&gbuf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := gw.Write(body); err != nil {
		return nil, err
	}
	if err := gw.Close(); err != nil {
		return nil, err
	}
	for _, e := range []encodedAsset{
		{name: "zstd", body: zbuf.Bytes(), etag: `"` + etag + `-zstd"`},
		{name: "gzip", body: gbuf.Bytes(), etag: `"` + etag + `-gzip"`},
	} {
		// Images and fonts are compressed already; only text gains.
		if len(e.body) <= len(body)*9/10 {
			out = append(out, e)
		}
	}
	return out, nil
}

// encoding picks the smallest encoding the client accepts (zstd before gzip), nil for
// the file as it is.
func (f *asset) encoding(acceptEncoding []string) *encodedAsset {
	for i := range f.encodings {
		if accepts(acceptEncoding, f.encodings[i].name) {
			return &f.encodings[i]
		}
	}
	return nil
}

// accepts reports whether the Accept-Encoding field lines list coding with a q-value
// above zero ("gzip", "gzip;q=0.5"; "gzip;q=0" refuses it).
func accepts(lines []string, coding string) bool {
	for _, line := range lines {
		for item := range strings.SplitSeq(line, ",") {
			name, params, _ := strings.Cut(item, ";")
			if !strings.EqualFold(strings.TrimSpace(name), coding) {
				continue
			}
			q := 1.0
			for p := range strings.SplitSeq(params, ";") {
				k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					if n, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
						q = n
					}
				}
			}
			return q > 0
		}
	}
	return false
}
