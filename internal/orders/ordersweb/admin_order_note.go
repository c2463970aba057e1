package ordersweb

import (
	"net/http"
	"strings"
)

// adminOrderNote adds a staff note to the order's timeline.
func (h *Handler) adminOrderNote(w http.ResponseWriter, r *http.Request) {
	number, ok := adminOrderNumber(r)
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	form := adminNoteForm{Note: adminKept(r.PostFormValue("note"))}
	text := strings.TrimSpace(r.PostFormValue("note"))
	if text == "" {
		form.Problem = adminFieldsProblem(map[string]string{"note": "Write the note first."})
		h.renderAdminOrder(w, r, number, http.StatusUnprocessableEntity, adminSubmitted{note: &form})
		return
	}
	if err := h.d.Orders.AddNote(r.Context(), h.d.Actor(r), number, text); err != nil {
		h.adminOrderRefused(w, r, number, err, func(p adminProblem) adminSubmitted {
			form.Problem = p
			return adminSubmitted{note: &form}
		})
		return
	}
	h.adminOrderDone(w, r, number, "Note added.")
}
