package ordersweb

import (
	"context"
	"fmt"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/web"
)

// adminStoreForm is the store details section: the saved values (blank where the
// server's default applies), or the values as submitted when they were refused.
type adminStoreForm struct {
	Name         string
	ContactEmail string
	Currency     string
	DefaultName  string
	ContactHint  string
	CurrencyHint string
	Currencies   []web.Option
	Logo         *orders.StoreLogo
	Problem      adminProblem
	LogoProblem  adminProblem
}

// adminStoreFormFor fills the store details section from what is saved, or from refused
// when a submission was refused. shopCurrency is the currency the shop sells in now (the
// catalog's, when it has prices), which the currency list shows selected.
func (h *Handler) adminStoreFormFor(ctx context.Context, refused *adminStoreForm, shopCurrency string) (adminStoreForm, error) {
	saved, err := h.d.Orders.StoreDetailsForEdit(ctx)
	if err != nil {
		return adminStoreForm{}, fmt.Errorf("ordersweb: store details: %w", err)
	}
	f := adminStoreForm{Name: saved.Saved.Name, ContactEmail: saved.Saved.ContactEmail, Currency: shopCurrency}
	if refused != nil {
		f = *refused
	}
	f.Logo = saved.Saved.Logo
	f.DefaultName = saved.Defaults.Name
	f.ContactHint = "Shown in the footer and order emails. Blank: none."
	if saved.Defaults.ContactEmail != "" {
		f.ContactHint = "Shown in the footer and order emails. Blank: " + saved.Defaults.ContactEmail + " (SHOP_CONTACT_EMAIL)."
	}
	f.CurrencyHint = "What the catalog, shipping prices and discounts are priced in. It can change only while nothing is priced in another currency: prices are never converted."
	for _, c := range money.KnownCurrencies() {
		f.Currencies = append(f.Currencies, web.Option{Value: c, Label: c + " (" + money.New(100, c).String() + ")"})
	}
	return f, nil
}
