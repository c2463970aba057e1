package catalogweb

import (
	"encoding/json"
	"net/http"

	"github.com/monoshop/monoshop/internal/platform/httpx"
)

const (
	// suggestLimit is what fits under a search box without scrolling.
	suggestLimit = 8
	// suggestScript is the enhancement that shows suggestions under the header search box;
	// pages list it in web.PageMeta.Scripts.
	suggestScript = "suggest.js"
	// listingScript applies the sort menu on change and keeps the filters open on wide
	// screens in browsers without ::details-content.
	listingScript = "listing.js"
	// suggestCacheControl lets the browser (and a CDN) answer the same prefix again for a
	// minute: shoppers type, delete and retype, and a minute-old suggestion is harmless.
	suggestCacheControl = "public, max-age=60"
)

// suggestion is one autocomplete entry as suggest.js reads it.
type suggestion struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
	URL   string `json:"url"`
}

// searchSuggest answers the search box's autocomplete with a JSON array, always an array
// (empty for a query of fewer than two characters) so the script never has to tell null
// from nothing. It is an enhancement: the search form works without it.
func (h *Handler) searchSuggest(w http.ResponseWriter, r *http.Request) {
	found, err := h.catalog.Suggest(r.Context(), r.URL.Query().Get("q"), suggestLimit)
	if err != nil {
		h.log.ErrorContext(r.Context(), "search suggestions failed", "err", err,
			"request_id", httpx.RequestIDFrom(r.Context()))
		writeSuggestions(w, http.StatusInternalServerError, "no-store", []suggestion{})
		return
	}
	out := make([]suggestion, len(found))
	for i, s := range found {
		out[i] = suggestion{Kind: s.Kind, Label: s.Label, URL: s.URL}
	}
	writeSuggestions(w, http.StatusOK, suggestCacheControl, out)
}

func writeSuggestions(w http.ResponseWriter, status int, cacheControl string, s []suggestion) {
	body, err := json.Marshal(s)
	if err != nil {
		// A slice of strings always marshals; this keeps the answer valid JSON regardless.
		body, status = []byte("[]"), http.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", cacheControl)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
