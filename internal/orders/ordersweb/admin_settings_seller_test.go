package ordersweb_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/orders"
)

func TestAdminSellerDetails(t *testing.T) {
	t.Parallel()

	t.Run("OKSavedAsTypedTidied", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		p := e.open(t, "/admin/settings")
		require.Empty(t, settingsValue(t, p, "seller-form", "seller_name"), "a new shop has no seller details")

		to, msg := e.followed(t, settingsSubmit(t, e, p, "seller-form", url.Values{
			"seller_name":    {"  Atelier Grace SAS "},
			"seller_address": {"3 place Bellecour\r\n\r\n69002 Lyon\r\nFrance\r\n"},
			"seller_tax_id":  {"FR 40 303265045"},
			"invoice_note":   {"RCS Lyon 303 265 045\r\nIBAN FR76 3000 6000 0112 3456 7890 189"},
		}))
		require.Equal(t, "/admin/settings#invoice-details", to)
		require.Equal(t, "Invoice details saved.", msg)

		p = e.open(t, "/admin/settings")
		require.Equal(t, "Atelier Grace SAS", settingsValue(t, p, "seller-form", "seller_name"))
		require.Equal(t, "3 place Bellecour\n69002 Lyon\nFrance", strings.TrimPrefix(settingsValue(t, p, "seller-form", "seller_address"), "\n"),
			"blank lines dropped, line breaks kept")
		require.Equal(t, "FR 40 303265045", settingsValue(t, p, "seller-form", "seller_tax_id"))
		seller, err := e.svc.Seller(e.ctx)
		require.NoError(t, err)
		require.Equal(t, orders.Seller{Name: "Atelier Grace SAS", Address: "3 place Bellecour\n69002 Lyon\nFrance",
			TaxID: "FR 40 303265045", InvoiceNote: "RCS Lyon 303 265 045\nIBAN FR76 3000 6000 0112 3456 7890 189"}, seller)
		require.Equal(t, 1, e.auditCount(t, "settings.seller"))

		// Saving the same again is no change: nothing more in the audit log.
		e.followed(t, settingsSubmit(t, e, e.open(t, "/admin/settings"), "seller-form", nil))
		require.Equal(t, 1, e.auditCount(t, "settings.seller"))
	})

	t.Run("ErrFieldsKeepWhatWasTyped", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		e.saved(t, "/admin/settings/seller", url.Values{"seller_name": {"Atelier Grace SAS"}})
		address := "1\n2\n3\n4\n5\n6\n7"
		p := e.refused(t, "/admin/settings/seller", url.Values{
			"seller_name":    {"Atelier Grace SAS, a much longer name now"},
			"seller_address": {address},
			"seller_tax_id":  {"<FR40303265045>"},
			"invoice_note":   {strings.Repeat("x", 601)},
		})
		require.Equal(t, "Please correct the highlighted fields.", p.text(t, "form-error"))
		require.Equal(t, "Use at most 6 lines.", settingsFieldError(t, p, "seller_address"))
		require.Equal(t, "Use letters, digits, spaces, dots, dashes and slashes only, like FR40303265045.", settingsFieldError(t, p, "seller_tax_id"))
		require.Equal(t, "Use at most 600 characters.", settingsFieldError(t, p, "invoice_note"))
		require.Empty(t, p.byTestID("field-error-seller_name"), "the name was fine")
		require.Equal(t, "Atelier Grace SAS, a much longer name now", settingsValue(t, p, "seller-form", "seller_name"), "what was typed is kept")
		require.Equal(t, address, strings.TrimPrefix(settingsValue(t, p, "seller-form", "seller_address"), "\n"))
		require.Equal(t, "<FR40303265045>", settingsValue(t, p, "seller-form", "seller_tax_id"))

		seller, err := e.svc.Seller(e.ctx)
		require.NoError(t, err)
		require.Equal(t, orders.Seller{Name: "Atelier Grace SAS"}, seller, "a refused form changes nothing")
		require.Equal(t, 1, e.auditCount(t, "settings.seller"))
	})

	t.Run("ErrLongLineOrControlCharacters", func(t *testing.T) {
		t.Parallel()
		e := settingsSetup(t, "EUR")
		p := e.refused(t, "/admin/settings/seller", url.Values{
			"seller_name":    {"Grace\x07 SAS"},
			"seller_address": {strings.Repeat("a", 101)},
		})
		require.Equal(t, "Enter the name on one line.", settingsFieldError(t, p, "seller_name"))
		require.Equal(t, "Keep each line to 100 characters.", settingsFieldError(t, p, "seller_address"))
	})
}
