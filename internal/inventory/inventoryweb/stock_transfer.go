package inventoryweb

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/web"
)

// maxNoteLength is what the ledger keeps of a note.
const maxNoteLength = 500

// stockTransfer moves available stock of the variant from one location to another. Only
// what no order holds can move, so a transfer never strands a reservation.
func (h *Handler) stockTransfer(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := web.URLID(r, "id")
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	if !h.render.ParseForm(w, r) {
		return
	}
	exists, err := h.variantExists(ctx, id)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	if !exists {
		h.render.Error(w, r, errNoVariant)
		return
	}
	form := transferForm{From: kept(r.PostFormValue("from")), To: kept(r.PostFormValue("to")),
		Quantity: kept(r.PostFormValue("quantity")), Note: kept(r.PostFormValue("note"))}
	refuse := func(status int, p problem) {
		form.Problem = p
		h.renderVariant(w, r, id, status, submitted{transfer: &form})
	}
	fields := map[string]string{}
	from, okFrom := formID(r, "from")
	to, okTo := formID(r, "to")
	for _, f := range []struct {
		name string
		id   int64
		ok   bool
	}{{"from", from, okFrom}, {"to", to, okTo}} {
		if !f.ok {
			fields[f.name] = "Choose a location."
			continue
		}
		if _, found, err := h.location(ctx, f.id); err != nil {
			h.render.Error(w, r, err)
			return
		} else if !found {
			fields[f.name] = "Choose a location from the list."
		}
	}
	qty, ok := formInt(r, "quantity")
	if !ok {
		fields["quantity"] = "Enter a whole number of at least 1."
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	if utf8.RuneCountInString(note) > maxNoteLength || len(note) > maxNoteLength {
		fields["note"] = "Keep the note to " + strconv.Itoa(maxNoteLength) + " characters."
	}
	if len(fields) > 0 {
		refuse(http.StatusUnprocessableEntity, problem{Message: msgCorrectFields, Fields: fields})
		return
	}
	err = h.inv.Transfer(ctx, h.actor(r), id, from, to, qty, note)
	switch {
	case apperr.Is(err, apperr.NotFound):
		// The variant has no stock record at the source location at all.
		refuse(http.StatusUnprocessableEntity, fieldProblem("from", "There is no stock of this variant at that location."))
		return
	case err != nil && web.FormRefusal(err):
		refuse(web.FormStatus(err), problemOf(err))
		return
	case err != nil:
		h.render.Error(w, r, err)
		return
	}
	h.flash(r, web.FlashSuccess, "Moved "+plural(qty, "unit", "units")+".")
	web.SeeOther(w, r, variantPath(id))
}
