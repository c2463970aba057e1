package usersweb

import (
	"net/http"
	"strconv"
)

// exportFilename is what the browser saves the download as.
const exportFilename = "monoshop-data.json"

// exportData sends everything the shop holds about the shopper as a JSON download. It is
// a POST, like the forms that change things, so that another site cannot make a browser
// fetch it and no cache or history entry holds a URL to it.
func (h *Handler) exportData(w http.ResponseWriter, r *http.Request) {
	data, err := h.users.ExportData(r.Context(), current(r).ID)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/json; charset=utf-8")
	hd.Set("Content-Disposition", `attachment; filename="`+exportFilename+`"`)
	hd.Set("Content-Length", strconv.Itoa(len(data)))
	hd.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	// A write error means the browser went away; there is nobody left to tell.
	_, _ = w.Write(data)
}
