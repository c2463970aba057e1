package catalogweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/platform/httpx"
)

// adminExport downloads every product and variant as CSV, the format the import reads
// back. It streams: a large catalog never sits in memory whole.
func (h *Handler) adminExport(w http.ResponseWriter, r *http.Request) {
	d := &csvDownload{w: w, filename: "products.csv"}
	if err := h.catalog.ExportCSV(r.Context(), d); err != nil {
		if !d.started {
			h.render.Error(w, r, err)
			return
		}
		// Part of the file is already sent. Cutting the connection makes the browser
		// report a failed download instead of saving a truncated file as if complete.
		h.log.ErrorContext(r.Context(), "catalog export failed midway", "err", err,
			"request_id", httpx.RequestIDFrom(r.Context()))
		panic(http.ErrAbortHandler)
	}
	d.start()
}

// csvDownload sends the download's headers with its first bytes, so an export that fails
// before writing anything can still answer with an error page.
type csvDownload struct {
	w        http.ResponseWriter
	filename string
	started  bool
}

func (d *csvDownload) start() {
	if d.started {
		return
	}
	d.started = true
	h := d.w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+d.filename+`"`)
	// The file lists unpublished products and costs; no shared cache may keep it.
	h.Set("Cache-Control", "no-store")
	d.w.WriteHeader(http.StatusOK)
}

func (d *csvDownload) Write(p []byte) (int, error) {
	d.start()
	return d.w.Write(p)
}
