package ordersweb

import (
	"net/http"
	"strings"

	"github.com/monoshop/monoshop/internal/orders"
)

// adminOrderFulfil ships some or all of the units still to ship, with the carrier's
// tracking. The service checks each quantity against what is left of its line under the
// order's lock and ships nothing if one is over; its message goes on that line's input.
func (h *Handler) adminOrderFulfil(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	number, ok := adminOrderNumber(r)
	if !ok {
		h.d.Renderer.NotFound(w, r)
		return
	}
	if !h.d.Renderer.ParseForm(w, r) {
		return
	}
	o, err := h.d.Orders.Order(ctx, number)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	lines, err := h.d.Orders.Lines(ctx, o)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	form := adminFulfilForm{
		Values:         map[string]string{},
		Carrier:        adminKept(r.PostFormValue("carrier")),
		TrackingNumber: adminKept(r.PostFormValue("tracking_number")),
		TrackingURL:    adminKept(r.PostFormValue("tracking_url")),
	}
	refuse := func(status int) {
		h.renderAdminOrder(w, r, number, status, adminSubmitted{fulfil: &form})
	}

	problems := map[string]string{}
	quantities := map[int64]int{}
	units := 0
	for _, l := range lines {
		if l.Remaining() <= 0 {
			continue
		}
		field := adminQtyField(l.ID)
		raw := r.PostFormValue(field)
		form.Values[field] = adminKept(raw)
		n, ok := adminWholeNumber(raw)
		switch {
		case !ok:
			problems[field] = "Enter a whole number of units, 0 or more."
		case n > 0:
			quantities[l.ID] = n
			units += n
		}
	}
	if len(problems) > 0 {
		form.Problem = adminFieldsProblem(problems)
		refuse(http.StatusUnprocessableEntity)
		return
	}
	if len(quantities) == 0 {
		// The service reads no quantities as "ship everything": a form of zeros must not.
		form.Problem = adminProblem{Message: "Enter how many units to ship of at least one item."}
		refuse(http.StatusUnprocessableEntity)
		return
	}

	_, err = h.d.Orders.Fulfil(ctx, h.d.Actor(r), number, orders.FulfilInput{
		Quantities:     quantities,
		Carrier:        strings.TrimSpace(r.PostFormValue("carrier")),
		TrackingNumber: strings.TrimSpace(r.PostFormValue("tracking_number")),
		TrackingURL:    strings.TrimSpace(r.PostFormValue("tracking_url")),
		IdempotencyKey: strings.TrimSpace(r.PostFormValue("idempotency_key")),
	})
	if err != nil {
		h.adminOrderRefused(w, r, number, err, func(p adminProblem) adminSubmitted {
			form.Problem = adminQtyProblem(p, lines)
			return adminSubmitted{fulfil: &form}
		})
		return
	}
	h.adminOrderDone(w, r, number, "Shipped "+adminUnits(units)+" of order "+adminOrderLabel(number)+".")
}

// adminQtyProblem moves the service's messages about a line's quantity
// (orders.QuantityField) onto that line's input of this form.
func adminQtyProblem(p adminProblem, lines []orders.OrderLine) adminProblem {
	for _, l := range lines {
		if msg, ok := p.Fields[orders.QuantityField(l.ID)]; ok {
			delete(p.Fields, orders.QuantityField(l.ID))
			p.Fields[adminQtyField(l.ID)] = msg
		}
	}
	return p
}
