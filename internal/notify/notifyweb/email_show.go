package notifyweb

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/web"
)

// emailView is one message and its delivery record.
type emailView struct {
	ID          string
	To          string
	Subject     string
	Kind        string
	MessageID   string
	StatusLabel string
	StatusTone  web.BadgeTone
	Attempts    int
	LastError   string
	CreatedAt   time.Time
	SentAt      *time.Time
	// Redacted is when the recipient deleted their account and the content was removed.
	Redacted *time.Time
	// Secret hides Text and HTML: see Options.SecretKinds.
	Secret  bool
	Text    string
	HasHTML bool
	HTMLURL string
}

// emailShow shows one message: who it went to, what became of it and what it said. The
// HTML part is shown from its own URL in a sandboxed frame, never inlined into this page.
func (h *Handler) emailShow(w http.ResponseWriter, r *http.Request) {
	id, ok := messageID(r)
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	m, err := h.notify.FindMessage(r.Context(), id)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	label, tone := statusBadge(m.Status)
	v := emailView{
		ID: strconv.FormatInt(m.ID, 10), To: m.To, Subject: m.Subject, Kind: m.Kind, MessageID: m.MessageID,
		StatusLabel: label, StatusTone: tone, Attempts: m.Attempts, LastError: m.LastError,
		CreatedAt: m.CreatedAt, SentAt: m.SentAt, Secret: h.secret(m), Redacted: m.Redacted,
	}
	if !v.Secret && v.Redacted == nil {
		v.Text = m.Text
		v.HasHTML = m.HTML != ""
		v.HTMLURL = emailsPath + "/" + v.ID + "/html"
	}
	h.render.Page(w, r, http.StatusOK, emailShowPage(v))
}

// messageID reads the {id} of a message URL; anything but a positive number is a page
// that does not exist.
func messageID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	return id, err == nil && id > 0
}
