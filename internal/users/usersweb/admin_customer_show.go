package usersweb

import (
	"net/http"
	"time"

	"github.com/a-h/templ"

	"github.com/monoshop/monoshop/internal/users"
)

// adminCustomerView is one shopper's profile and address book.
type adminCustomerView struct {
	Email     string
	Name      string
	Disabled  bool
	CreatedAt time.Time
	UpdatedAt time.Time
	Addresses []users.Address
	// Orders is the orders module's list of the customer's orders; nil when it is not
	// wired (tests of this module alone).
	Orders templ.Component
}

// adminCustomerShow shows one shopper. A staff account is not a customer here: support
// staff may read customers but not their colleagues' accounts, so it is not found.
func (h *Handler) adminCustomerShow(w http.ResponseWriter, r *http.Request) {
	id, ok := adminAccountID(r)
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	acc, err := h.users.FindAccount(r.Context(), id)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	if acc.Role != "" {
		h.render.NotFound(w, r)
		return
	}
	addresses, err := h.users.ListAddresses(r.Context(), id)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	v := adminCustomerView{Email: acc.Email, Name: acc.Name, Disabled: acc.Disabled,
		CreatedAt: acc.CreatedAt, UpdatedAt: acc.UpdatedAt, Addresses: addresses}
	if h.customerOrders != nil {
		v.Orders = h.customerOrders(r, int64(id))
	}
	h.render.Page(w, r, http.StatusOK, adminCustomerShowPage(v))
}
