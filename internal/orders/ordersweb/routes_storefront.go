package ordersweb

import "github.com/go-chi/chi/v5"

// Routes mounts the shopper's pages: checkout, order pages, account order history.
func (h *Handler) Routes(r chi.Router) {
}
