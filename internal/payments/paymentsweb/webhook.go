package paymentsweb

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/httpx"
)

// webhook receives a provider's event. 200 tells the provider to stop sending it (also
// for a duplicate, which is a success: the event is recorded); 400 says the request
// itself is wrong (bad signature, unknown provider or payment), which is logged, since it
// is either a misconfigured secret or someone forging events; 500 makes the provider
// deliver it again later. Answers are plain text: a provider's dashboard shows them.
func (h *Handler) webhook(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	provider := chi.URLParam(r, "provider")
	err := h.svc.HandleWebhook(ctx, provider, r)
	switch {
	case err == nil:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("ok\n"))
	case httpx.IsTooLarge(err):
		h.log.WarnContext(ctx, "payment webhook refused: body too large", "provider", provider,
			"request_id", httpx.RequestIDFrom(ctx))
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
	case apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.NotFound):
		h.log.WarnContext(ctx, "payment webhook refused", "provider", provider,
			"request_id", httpx.RequestIDFrom(ctx), "client_ip", httpx.ClientIP(ctx).String(), "err", err)
		http.Error(w, apperr.MessageOf(err), http.StatusBadRequest)
	default:
		h.log.ErrorContext(ctx, "payment webhook failed", "provider", provider,
			"request_id", httpx.RequestIDFrom(ctx), "err", err)
		http.Error(w, "internal error; please deliver again later", http.StatusInternalServerError)
	}
}
