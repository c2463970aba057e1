package catalogweb

import (
	"net/http"
	"regexp"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/apperr"
)

// mediaName is /media/<content hash>-<width>.<webp|jpg>. The hash makes every URL name one
// immutable file, so browsers and CDNs may keep it forever.
var mediaName = regexp.MustCompile(`^([0-9a-f]{24})-([0-9]{2,4})\.(webp|jpg)$`)

func (h *Handler) media(w http.ResponseWriter, r *http.Request) {
	m := mediaName.FindStringSubmatch(chi.URLParam(r, "file"))
	if m == nil {
		h.render.NotFound(w, r)
		return
	}
	width, _ := strconv.Atoi(m[2])
	if !validWidth(width) {
		h.render.NotFound(w, r)
		return
	}
	etag := `"` + m[0] + `"`
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	format := m[3]
	if format == "jpg" {
		format = "jpeg"
	}
	file, err := h.catalog.FindMedia(r.Context(), m[1], width, format)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			h.render.NotFound(w, r)
			return
		}
		h.render.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", file.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(file.Data)))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("ETag", etag)
	if r.Method != http.MethodHead {
		_, _ = w.Write(file.Data)
	}
}

func validWidth(w int) bool {
	for _, ok := range catalog.ImageWidths {
		if w == ok {
			return true
		}
	}
	return false
}
