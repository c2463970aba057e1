package usersweb

import (
	"net/http"

	"github.com/monoshop/monoshop/internal/users"
)

// accountView is the account page: three forms, each of which can come back with its
// own problems while the others show the saved values.
type accountView struct {
	Email     string // the address the account uses now
	Profile   profileFormView
	EmailForm emailFormView
	Password  formProblem
}

type profileFormView struct {
	Name    string
	Problem formProblem
}

type emailFormView struct {
	Email   string
	Problem formProblem
}

func newAccountView(acc users.Account) accountView {
	return accountView{
		Email:     acc.Email,
		Profile:   profileFormView{Name: acc.Name},
		EmailForm: emailFormView{Email: acc.Email},
	}
}

// accountShow is the account page.
func (h *Handler) accountShow(w http.ResponseWriter, r *http.Request) {
	v := newAccountView(current(r))
	h.page(w, r, http.StatusOK, accountPage(v))
}
