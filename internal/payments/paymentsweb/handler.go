// Package paymentsweb serves the payments module over HTTP: the webhook endpoint every
// provider posts to (/webhooks/payments/{provider}) and, when the test gateway is
// enabled, its hosted payment page (/pay/test/{ref}). Handlers only translate HTTP to
// payments.Service calls and view models.
package paymentsweb

import (
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/httpx"
	"github.com/monoshop/monoshop/web"
)

// Handler holds what the payment pages and the webhook endpoint need.
type Handler struct {
	svc    *payments.Service
	render *web.Renderer
	log    *slog.Logger
}

// NewHandler returns the payments HTTP handler.
func NewHandler(svc *payments.Service, rr *web.Renderer, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{svc: svc, render: rr, log: log}
}

// Routes mounts the webhook endpoint and, only when the test gateway is enabled, its
// hosted page: with another provider no route on this site takes a card number.
func (h *Handler) Routes(r chi.Router) {
	r.Post("/webhooks/payments/{provider}", h.webhook)
	if h.svc.TestGateway() != nil {
		r.Get("/pay/test/{ref}", h.testPayShow)
		r.Post("/pay/test/{ref}", h.testPaySubmit)
		r.Post("/pay/test/{ref}/confirm", h.testPayConfirm)
	}
}

// parseForm reads a POSTed form, answering the request itself when the body cannot be
// read: over the size cap (413) or malformed (400).
func (h *Handler) parseForm(w http.ResponseWriter, r *http.Request) bool {
	err := r.ParseForm()
	switch {
	case err == nil:
		return true
	case httpx.IsTooLarge(err):
		h.render.Status(w, r, http.StatusRequestEntityTooLarge)
	default:
		h.render.Status(w, r, http.StatusBadRequest)
	}
	return false
}
