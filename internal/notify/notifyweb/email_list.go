package notifyweb

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/monoshop/monoshop/internal/notify"
	"github.com/monoshop/monoshop/web"
)

// emailsPath is the outbox list; its links keep the filters.
const emailsPath = "/admin/emails"

// emailListView is one page of the outbox.
type emailListView struct {
	To         string
	Status     string
	Kind       string
	Statuses   []web.Option
	Filtered   bool
	Total      int
	Rows       []emailRow
	Pagination web.PaginationVM
}

// emailRow is one message in the list.
type emailRow struct {
	URL         string
	To          string
	Subject     string
	Kind        string
	StatusLabel string
	StatusTone  web.BadgeTone
	Attempts    int
	CreatedAt   time.Time
}

// emailList shows the outbox, newest first, filtered by recipient (substring), status
// and kind.
func (h *Handler) emailList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page := 1
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		page = n
	}
	f := notify.MessageFilter{
		To:      strings.TrimSpace(strings.ToValidUTF8(q.Get("to"), "")),
		Status:  q.Get("status"),
		Kind:    strings.TrimSpace(strings.ToValidUTF8(q.Get("kind"), "")),
		Page:    page,
		PerPage: notify.DefaultPerPage,
	}
	msgs, total, err := h.notify.ListMessages(r.Context(), f)
	if err != nil {
		// An unknown status is a hand-edited URL; the error page says so safely.
		h.render.Error(w, r, err)
		return
	}
	pages := (total + notify.DefaultPerPage - 1) / notify.DefaultPerPage
	v := emailListView{
		To: f.To, Status: f.Status, Kind: f.Kind, Total: total,
		Filtered: f.To != "" || f.Status != "" || f.Kind != "",
		Statuses: []web.Option{{Value: "", Label: "Any status"}},
		Rows:     make([]emailRow, len(msgs)),
		Pagination: web.NewPagination(page, pages, func(n int) string {
			return listURL(q, n)
		}),
	}
	for _, s := range []string{notify.StatusQueued, notify.StatusSent, notify.StatusHeld, notify.StatusFailed} {
		label, _ := statusBadge(s)
		v.Statuses = append(v.Statuses, web.Option{Value: s, Label: label})
	}
	for i, m := range msgs {
		label, tone := statusBadge(m.Status)
		v.Rows[i] = emailRow{URL: emailsPath + "/" + strconv.FormatInt(m.ID, 10), To: m.To, Subject: m.Subject,
			Kind: m.Kind, StatusLabel: label, StatusTone: tone, Attempts: m.Attempts, CreatedAt: m.CreatedAt}
	}
	h.render.Page(w, r, http.StatusOK, emailListPage(v))
}

// listURL is the list with the filters of q that are set and, past the first, the page.
func listURL(q url.Values, page int) string {
	out := url.Values{}
	for _, k := range []string{"to", "status", "kind"} {
		if v := q.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	if page > 1 {
		out.Set("page", strconv.Itoa(page))
	}
	if len(out) == 0 {
		return emailsPath
	}
	return emailsPath + "?" + out.Encode()
}
