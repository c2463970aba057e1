package usersweb

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/monoshop/monoshop/internal/users"
)

// addressListView is the address book.
type addressListView struct {
	Addresses []addressCardView
}

// addressCardView is one address as the book shows it.
type addressCardView struct {
	ID    string
	Lines []string
	// Label tells the buttons of one card from those of the others for screen readers,
	// which list every "Delete" of the page out of context.
	Label                           string
	DefaultShipping, DefaultBilling bool
	EditURL, DeleteURL, DefaultURL  string
}

func addressCard(a users.Address) addressCardView {
	place := strings.TrimSpace(strings.Join(nonEmpty(a.PostalCode, a.City), " "))
	if a.Region != "" {
		place += ", " + a.Region
	}
	url := addressURL(a.ID)
	return addressCardView{
		ID:              strconv.FormatInt(a.ID, 10),
		Lines:           nonEmpty(a.Name, a.Company, a.Line1, a.Line2, place, countryName(a.Country), a.Phone),
		Label:           a.Name + ", " + a.Line1,
		DefaultShipping: a.IsDefaultShipping,
		DefaultBilling:  a.IsDefaultBilling,
		EditURL:         url + "/edit",
		DeleteURL:       url + "/delete",
		DefaultURL:      url + "/default",
	}
}

func nonEmpty(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// addressList shows the address book, defaults first.
func (h *Handler) addressList(w http.ResponseWriter, r *http.Request) {
	addrs, err := h.users.ListAddresses(r.Context(), current(r).ID)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	v := addressListView{}
	for _, a := range addrs {
		v.Addresses = append(v.Addresses, addressCard(a))
	}
	h.page(w, r, http.StatusOK, addressListPage(v))
}
