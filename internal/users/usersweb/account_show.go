package usersweb

import (
	"net/http"

	"github.com/a-h/templ"

	"github.com/monoshop/monoshop/internal/users"
)

// accountView is the account page: three forms, each of which can come back with its
// own problems while the others show the saved values.
type accountView struct {
	Email     string // the address the account uses now
	Profile   profileFormView
	EmailForm emailFormView
	Password  formProblem
	// OrderHistory fills the "Order history" section; nil shows the empty state.
	OrderHistory templ.Component
}

type profileFormView struct {
	Name    string
	Problem formProblem
}

type emailFormView struct {
	Email   string
	Problem formProblem
}

func (h *Handler) newAccountView(r *http.Request, acc users.Account) accountView {
	v := accountView{
		Email:     acc.Email,
		Profile:   profileFormView{Name: acc.Name},
		EmailForm: emailFormView{Email: acc.Email},
	}
	if h.orderHistory != nil {
		v.OrderHistory = h.orderHistory(r)
	}
	return v
}

// accountShow is the account page.
func (h *Handler) accountShow(w http.ResponseWriter, r *http.Request) {
	v := h.newAccountView(r, current(r))
	h.page(w, r, http.StatusOK, accountPage(v))
}
