package ordersweb

import (
	"net/http"
	"strconv"
	"time"
)

// adminPackingSlipView is what goes in the parcel: the items and where they go, no prices.
type adminPackingSlipView struct {
	Label          string
	BackURL        string
	PlacedAt       time.Time
	Shipping       []string
	ShippingMethod string
	Lines          []adminSlipLine
}

// adminSlipLine is one line of the packing slip.
type adminSlipLine struct {
	SKU       string
	Name      string
	Options   string
	Quantity  string
	Shipped   string
	Remaining string
}

// adminOrderPackingSlip is the printable packing slip of an order.
func (h *Handler) adminOrderPackingSlip(w http.ResponseWriter, r *http.Request) {
	o, lines, ok := h.adminOrderAndLines(w, r)
	if !ok {
		return
	}
	v := adminPackingSlipView{Label: adminOrderLabel(o.Number), BackURL: adminOrderPath(o.Number), PlacedAt: o.CreatedAt,
		Shipping: adminAddressLines(o.ShippingAddress), ShippingMethod: o.ShippingMethod}
	for _, l := range lines {
		v.Lines = append(v.Lines, adminSlipLine{SKU: l.SKU, Name: l.Name, Options: l.Options, Quantity: strconv.Itoa(l.Quantity),
			Shipped: strconv.Itoa(l.FulfilledQuantity), Remaining: strconv.Itoa(l.Remaining())})
	}
	h.d.Renderer.Page(w, r, http.StatusOK, adminPackingSlipPage(v))
}
