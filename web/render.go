package web

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/a-h/templ"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/httpx"
)

// maxPooledBuffer keeps one unusually large page (a huge admin export, say) from pinning
// its buffer in the pool for the life of the process.
const maxPooledBuffer = 1 << 20

// Renderer writes pages and error pages. One is created per process and shared by all
// modules' handlers.
type Renderer struct {
	site  Site
	brand func(context.Context) Brand
	log   *slog.Logger
	bufs  sync.Pool
}

// NewRenderer returns a Renderer that renders every page with site in its context. A nil
// log discards.
func NewRenderer(site Site, log *slog.Logger) *Renderer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Renderer{
		site: site,
		log:  log,
		bufs: sync.Pool{New: func() any { return new(bytes.Buffer) }},
	}
}

// UseBrand makes every page show the store's name, logo and contact address as f gives
// them at the time (staff change them in the back office); without it pages show
// Site.Name. f is called once per page, so it must answer from memory.
func (rr *Renderer) UseBrand(f func(context.Context) Brand) { rr.brand = f }

// siteFor is the Site a page in ctx renders with: the fixed one, branded as the store
// is at the moment.
func (rr *Renderer) siteFor(ctx context.Context) Site {
	site := rr.site
	if rr.brand != nil {
		b := rr.brand(ctx)
		if b.Name != "" {
			site.Name = b.Name
		}
		site.Logo, site.ContactEmail = b.Logo, b.ContactEmail
	}
	return site
}

// Zone is the store's time zone, for handlers reading a typed date.
func (rr *Renderer) Zone() *time.Location { return rr.site.Zone() }

// Page renders c with status. The page is rendered into a buffer before anything is
// written, so a failing template becomes a complete 500 page instead of half a page
// under a 200 status.
func (rr *Renderer) Page(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	buf := rr.getBuffer()
	defer rr.putBuffer(buf)
	if err := c.Render(WithSite(r.Context(), rr.siteFor(r.Context())), buf); err != nil {
		rr.logInternal(r, err)
		rr.errorPage(w, r, http.StatusInternalServerError, apperr.MessageOf(err))
		return
	}
	writeHTML(w, status, buf)
}

// Error answers with the status that err's apperr code calls for and an error page
// showing only the error's safe message. Only internal errors are logged: the others are
// the shopper's doing (a typo in a URL, an invalid form) and would drown real faults.
func (rr *Renderer) Error(w http.ResponseWriter, r *http.Request, err error) {
	code := apperr.CodeOf(err)
	status := statusOf(code)
	if code == apperr.Internal {
		rr.logInternal(r, err)
	}
	rr.errorPage(w, r, status, messageOf(err, status))
}

// NotFound answers 404 with the error page.
func (rr *Renderer) NotFound(w http.ResponseWriter, r *http.Request) {
	rr.Status(w, r, http.StatusNotFound)
}

// Status answers with the error page for a bare status, for failures that happen before
// any module has an error to report: an unrouted path (404), a wrong method (405), a
// cross-origin form refused (403), a body over the cap (413), a rate limit (429), a
// recovered panic (500). It logs nothing; the middleware that chose the status knows why.
func (rr *Renderer) Status(w http.ResponseWriter, r *http.Request, status int) {
	rr.errorPage(w, r, status, statusText(status).message)
}

func (rr *Renderer) errorPage(w http.ResponseWriter, r *http.Request, status int, message string) {
	vm := ErrorPageVM{
		Status:  status,
		Title:   statusText(status).title,
		Message: message,
	}
	if status >= http.StatusInternalServerError {
		vm.RequestID = httpx.RequestIDFrom(r.Context())
	}
	// A proxy or CDN must not keep serving an error after its cause is gone.
	w.Header().Set("Cache-Control", "no-store")

	buf := rr.getBuffer()
	defer rr.putBuffer(buf)
	if err := ErrorPage(vm).Render(WithSite(r.Context(), rr.siteFor(r.Context())), buf); err != nil {
		// The error page itself is broken; plain text is all that is left that cannot fail.
		rr.logInternal(r, err)
		w.Header().Del("Content-Length")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(vm.Title + "\n"))
		return
	}
	writeHTML(w, status, buf)
}

func (rr *Renderer) logInternal(r *http.Request, err error) {
	rr.log.ErrorContext(r.Context(), "request failed",
		"request_id", httpx.RequestIDFrom(r.Context()),
		"method", r.Method,
		"path", r.URL.Path,
		"err", err,
	)
}

func (rr *Renderer) getBuffer() *bytes.Buffer {
	buf := rr.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	return buf
}

func (rr *Renderer) putBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= maxPooledBuffer {
		rr.bufs.Put(buf)
	}
}

func writeHTML(w http.ResponseWriter, status int, buf *bytes.Buffer) {
	if status == 0 {
		// net/http panics on WriteHeader(0); an unset status means the usual one.
		status = http.StatusOK
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	// A write error means the client went away; there is nobody left to tell.
	_, _ = w.Write(buf.Bytes())
}

func statusOf(code apperr.Code) int {
	switch code {
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.TooMany:
		return http.StatusTooManyRequests
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	default:
		return http.StatusInternalServerError
	}
}

// messageOf is apperr.MessageOf, except that a classified error without a message gets
// the status's own wording: MessageOf's fallback blames "our side", which would be wrong
// for a missing product.
func messageOf(err error, status int) string {
	var e *apperr.Error
	if status < http.StatusInternalServerError && (!errors.As(err, &e) || e.Message == "") {
		return statusText(status).message
	}
	return apperr.MessageOf(err)
}

type statusCopy struct{ title, message string }

func statusText(status int) statusCopy {
	switch status {
	case http.StatusBadRequest:
		return statusCopy{"Bad request", "We couldn't understand that request. Please go back and try again."}
	case http.StatusUnauthorized:
		return statusCopy{"Please sign in", "You need to sign in to see this page."}
	case http.StatusForbidden:
		return statusCopy{"Request refused", "This request was refused. If you were sending a form, go back, reload the page and try again."}
	case http.StatusNotFound:
		return statusCopy{"Page not found", "We couldn't find the page you were looking for. It may have moved or no longer exist."}
	case http.StatusMethodNotAllowed:
		return statusCopy{"Method not allowed", "This address doesn't accept that kind of request."}
	case http.StatusConflict:
		return statusCopy{"Something changed", "This was changed in the meantime. Please reload the page and try again."}
	case http.StatusRequestEntityTooLarge:
		return statusCopy{"Request too large", "What you sent is too large. Please try a smaller file or a shorter text."}
	case http.StatusUnprocessableEntity:
		return statusCopy{"Please check your input", "Some of what you entered isn't valid. Please go back and correct it."}
	case http.StatusTooManyRequests:
		return statusCopy{"Too many requests", "You're going a bit fast. Please wait a moment and try again."}
	case http.StatusServiceUnavailable:
		return statusCopy{"Temporarily unavailable", "The shop is briefly unavailable. Please try again in a moment."}
	}
	if status >= http.StatusInternalServerError {
		return statusCopy{"Something went wrong", apperr.MessageOf(nil)}
	}
	if t := http.StatusText(status); t != "" {
		return statusCopy{t, "Your request couldn't be completed. Please go back and try again."}
	}
	return statusCopy{"Error", "Your request couldn't be completed. Please go back and try again."}
}
