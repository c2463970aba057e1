package ordersweb

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/monoshop/monoshop/internal/orders"
	"github.com/monoshop/monoshop/internal/platform/money"
)

// adminInvoiceView is the order's invoice: the seller, the buyer's billing address, each
// line with its tax rate, and the totals with tax broken down per rate. The figures are
// the ones the order was placed with, so the lines add up to the totals to the cent.
type adminInvoiceView struct {
	Seller         orders.Seller
	Label          string
	Invoice        string
	BackURL        string
	PlacedAt       time.Time
	PaidAt         *time.Time
	InvoicedAt     *time.Time
	Email          string
	Billing        []string
	ShipTo         []string
	TaxIncluded    bool
	Lines          []adminInvoiceLine
	Subtotal       string
	Discount       string
	DiscountCode   string
	Shipping       string
	ShippingMethod string
	TaxRows        []adminInvoiceTax
	Tax            string
	Grand          string
	Refunded       string
}

// adminInvoiceLine is one line of the invoice.
type adminInvoiceLine struct {
	SKU      string
	Name     string
	Quantity string
	Unit     string
	Discount string
	Net      string
	TaxRate  string
	Tax      string
}

// adminInvoiceTax is the tax of one rate (or of shipping).
type adminInvoiceTax struct {
	Label  string
	Amount string
}

// adminOrderInvoice is the printable invoice of an order.
func (h *Handler) adminOrderInvoice(w http.ResponseWriter, r *http.Request) {
	o, lines, ok := h.adminOrderAndLines(w, r)
	if !ok {
		return
	}
	o, err := h.d.Orders.Invoice(r.Context(), o)
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	seller, err := h.d.Orders.Seller(r.Context())
	if err != nil {
		h.d.Renderer.Error(w, r, err)
		return
	}
	v := adminInvoiceFor(o, lines)
	v.Seller = seller
	h.d.Renderer.Page(w, r, http.StatusOK, adminInvoicePage(v))
}

func adminInvoiceFor(o orders.Order, lines []orders.OrderLine) adminInvoiceView {
	t := adminTotals(o)
	v := adminInvoiceView{
		Label: adminOrderLabel(o.Number), Invoice: orders.InvoiceLabel(o.InvoiceNumber), BackURL: adminOrderPath(o.Number), PlacedAt: o.CreatedAt, PaidAt: o.PaidAt, InvoicedAt: o.InvoicedAt,
		Email: o.Email, Billing: adminAddressLines(o.BillingAddress), ShipTo: adminAddressLines(o.ShippingAddress),
		TaxIncluded: o.TaxIncluded, Subtotal: t.Subtotal, Discount: t.Discount, DiscountCode: t.DiscountCode,
		Shipping: t.Shipping, ShippingMethod: t.ShippingMethod, Tax: t.Tax, Grand: t.Grand, Refunded: t.Refunded,
	}
	if len(v.Billing) == 0 {
		// Checkout leaves the billing address empty when it is the shipping address.
		v.Billing = v.ShipTo
	}
	if o.Anonymised() {
		// The customer deleted their account: the invoice shows the buyer kept for it, if
		// any, and no contact details.
		v.Email = ""
		v.Billing = adminAddressLines(o.InvoiceBuyer)
		if len(v.Billing) == 0 {
			v.Billing = []string{orders.DeletedCustomer}
		}
	}
	byRate := map[int]int64{}
	for _, l := range lines {
		net := money.Amount{Minor: l.Gross.Minor - l.Discount.Minor, Currency: l.Gross.Currency}
		il := adminInvoiceLine{SKU: l.SKU, Name: adminInvoiceItemName(l), Quantity: strconv.Itoa(l.Quantity),
			Unit: l.UnitPrice.String(), Net: net.String(), TaxRate: adminTaxRate(l.TaxRate), Tax: l.Tax.String()}
		if l.Discount.Minor > 0 {
			il.Discount = "−" + l.Discount.String()
		}
		v.Lines = append(v.Lines, il)
		byRate[l.TaxRate] += l.Tax.Minor
	}
	included := ""
	if o.TaxIncluded {
		included = " (included)"
	}
	cur := o.GrandTotal.Currency
	for _, rate := range slices.Sorted(maps.Keys(byRate)) {
		v.TaxRows = append(v.TaxRows, adminInvoiceTax{Label: "Tax at " + adminTaxRate(rate) + included,
			Amount: money.New(byRate[rate], cur).String()})
	}
	if o.ShippingTax.Minor > 0 {
		v.TaxRows = append(v.TaxRows, adminInvoiceTax{Label: "Tax on shipping" + included, Amount: o.ShippingTax.String()})
	}
	return v
}

func adminInvoiceItemName(l orders.OrderLine) string {
	if l.Options == "" {
		return l.Name
	}
	return l.Name + " (" + l.Options + ")"
}
