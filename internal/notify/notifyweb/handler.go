// Package notifyweb serves the back-office pages of the outbox: the list of emails the
// shop has queued, sent, held or given up on, and each one's content and delivery record,
// so staff can answer "did the customer get my email?".
//
// It checks no permission itself: notify imports no other module, so cmd/shop mounts these
// routes behind the users module's guard (users.PermEmailsView).
package notifyweb

import (
	"log/slog"
	"slices"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/notify"
	"github.com/monoshop/monoshop/web"
)

// Options configures the handler.
type Options struct {
	// SecretKinds are the kinds of message whose content carries a one-time secret (a
	// password-reset link). Staff see that such a message exists and what became of it,
	// never what it says: otherwise anyone who may read the outbox could request a reset
	// for an owner's address and sign in as that owner.
	SecretKinds []string
}

// Handler serves the outbox pages.
type Handler struct {
	notify *notify.Service
	render *web.Renderer
	log    *slog.Logger
	opts   Options
}

// NewHandler returns the notify module's back-office handler.
func NewHandler(svc *notify.Service, render *web.Renderer, log *slog.Logger, opts Options) *Handler {
	return &Handler{notify: svc, render: render, log: log, opts: opts}
}

// AdminRoutes mounts the outbox pages; the caller mounts them under /admin behind the
// permission to read emails.
func (h *Handler) AdminRoutes(r chi.Router) {
	r.Get("/emails", h.emailList)
	r.Get("/emails/{id}", h.emailShow)
	r.Get("/emails/{id}/html", h.emailHTML)
}

// secret reports whether m's content must not be shown.
func (h *Handler) secret(m notify.Message) bool { return slices.Contains(h.opts.SecretKinds, m.Kind) }

// statusBadge is how a message's status reads and looks in the lists and on its page.
func statusBadge(status string) (string, web.BadgeTone) {
	switch status {
	case notify.StatusQueued:
		return "Queued", web.BadgeInfo
	case notify.StatusSent:
		return "Sent", web.BadgeSuccess
	case notify.StatusHeld:
		return "Held", web.BadgeWarning
	case notify.StatusFailed:
		return "Failed", web.BadgeError
	}
	return status, web.BadgeNeutral
}
