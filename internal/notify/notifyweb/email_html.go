package notifyweb

import (
	"io"
	"net/http"
	"strconv"
)

// emailHTMLPolicy confines a stored email's HTML: a sandbox with a unique origin (no
// scripts, forms, popups, or access to the back office's cookies and pages), nothing
// loaded from anywhere (no tracking pixels, no remote fonts), the inline styles emails are
// made of, and inline data: images. Only back-office pages may frame it.
const emailHTMLPolicy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"

// emailHTML serves the HTML part of one message as its own document under
// emailHTMLPolicy, for the frame on the message's page. The HTML was written by the
// shop's templates, but it embeds what shoppers typed (names, addresses), so it is
// treated as hostile.
func (h *Handler) emailHTML(w http.ResponseWriter, r *http.Request) {
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
	if m.HTML == "" || h.secret(m) {
		h.render.NotFound(w, r)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Security-Policy", emailHTMLPolicy)
	// Browsers that know frame-ancestors ignore this; older ones need it to allow the
	// back office's own frame while the site-wide DENY stays everywhere else.
	hdr.Set("X-Frame-Options", "SAMEORIGIN")
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Content-Length", strconv.Itoa(len(m.HTML)))
	// Emails hold personal data; no shared cache or back button may keep a copy.
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, m.HTML)
}
