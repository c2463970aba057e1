package usersweb

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/monoshop/monoshop/internal/users"
	"github.com/monoshop/monoshop/web"
)

// adminAuditPath is the audit log; its links keep the filters.
const adminAuditPath = "/admin/audit"

// adminAuditView is one page of the audit log.
type adminAuditView struct {
	Actor      string
	ObjectType string
	Action     string
	Events     []adminAuditEvent
	Filtered   bool
	Pagination web.PaginationVM
}

// adminAuditEvent is one staff write as the log shows it.
type adminAuditEvent struct {
	When    time.Time
	Actor   string
	IP      string
	Action  string
	Object  string
	Changes []adminAuditChange
}

// adminAuditChange is one field's value before and after.
type adminAuditChange struct {
	Field  string
	Before string
	After  string
}

// adminAudit shows staff writes, newest first, filtered by who (email substring), what
// kind of object and which action (a prefix such as "staff.").
func (h *Handler) adminAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page := adminPage(q)
	f := users.AuditFilter{
		Actor:      strings.TrimSpace(kept(q.Get("actor"))),
		ObjectType: strings.TrimSpace(kept(q.Get("object_type"))),
		Action:     strings.TrimSpace(kept(q.Get("action"))),
		Page:       page,
		PerPage:    adminPerPage,
	}
	events, err := h.users.ListAudit(r.Context(), f)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	// The log has no total count; one row past this page says whether a next page exists.
	probe := f
	probe.Page, probe.PerPage = page*adminPerPage+1, 1
	after, err := h.users.ListAudit(r.Context(), probe)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	v := adminAuditView{
		Actor: f.Actor, ObjectType: f.ObjectType, Action: f.Action,
		Filtered:   f.Actor != "" || f.ObjectType != "" || f.Action != "",
		Events:     make([]adminAuditEvent, len(events)),
		Pagination: web.PaginationVM{Page: page, Pages: page},
	}
	link := func(n int) string { return adminListURL(adminAuditPath, q, n) }
	if page > 1 {
		v.Pagination.PrevURL = link(page - 1)
	}
	if len(after) > 0 {
		v.Pagination.Pages = page + 1
		v.Pagination.NextURL = link(page + 1)
	}
	for i, e := range events {
		v.Events[i] = adminAuditEventOf(e)
	}
	h.render.Page(w, r, http.StatusOK, adminAuditPage(v))
}

func adminAuditEventOf(e users.AuditEvent) adminAuditEvent {
	out := adminAuditEvent{When: e.CreatedAt, Actor: e.ActorEmail, IP: e.IP, Action: e.Action, Object: e.ObjectType}
	if e.ObjectID != "" {
		out.Object += " #" + e.ObjectID
	}
	fields := make([]string, 0, len(e.Changes))
	for k := range e.Changes {
		fields = append(fields, k)
	}
	slices.Sort(fields)
	for _, k := range fields {
		c := e.Changes[k]
		out.Changes = append(out.Changes, adminAuditChange{Field: k, Before: auditValue(c.Before), After: auditValue(c.After)})
	}
	return out
}
