package orders

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/orders/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// Seller is who the invoices say sold the goods. An invoice in the EU must carry the
// seller's legal name, address and VAT number; the store's display name (SHOP_STORE_NAME)
// is often not the legal name, so staff set these in the back office.
type Seller struct {
	// Name is the legal name ("Monoshop SAS"); blank prints the store's name.
	Name string
	// Address is the postal address, one line per line.
	Address string
	// TaxID is the VAT or sales-tax registration number.
	TaxID string
	// InvoiceNote is printed at the foot of every invoice: company registration, bank
	// details, payment terms.
	InvoiceNote string
}

// AddressLines is the address split into its lines.
func (s Seller) AddressLines() []string {
	if s.Address == "" {
		return nil
	}
	return strings.Split(s.Address, "\n")
}

// demoSeller is the demo shop's seller (shop dev, shop seed), so its invoices look like
// a real shop's.
var demoSeller = Seller{
	Name:        "Monoshop Demo SAS",
	Address:     "12 rue de la Paix\n75002 Paris\nFrance",
	TaxID:       "FR00123456789",
	InvoiceNote: "A demonstration shop: nothing here is sold.\nRCS Paris 123 456 789.",
}

// Bounds of the seller's details: a name and an address as they go on a letter, and a
// tax number as any country writes one.
const (
	maxSellerName        = 200
	maxSellerAddressLine = 100
	maxSellerAddressRows = 6
	maxSellerTaxID       = 40
	maxInvoiceNote       = 600
)

// Seller returns the seller's details as saved; all blank until staff fill them in.
func (s *Service) Seller(ctx context.Context) (Seller, error) {
	row, err := s.q.StoreSettingsGet(ctx, s.pool)
	if err != nil {
		return Seller{}, fmt.Errorf("orders: read seller details: %w", err)
	}
	return Seller{Name: row.SellerName, Address: row.SellerAddress, TaxID: row.SellerTaxID, InvoiceNote: row.InvoiceNote}, nil
}

// SetSeller saves the seller's details, as typed: every field is checked, and a refusal
// names each field to fix (seller_name, seller_address, seller_tax_id, invoice_note).
// Invoices printed from then on carry them, old orders' included: an invoice is the
// order as sold, and who sold it is the shop.
func (s *Service) SetSeller(ctx context.Context, actor audit.Actor, in Seller) (Seller, error) {
	v, fields := in.parse()
	if len(fields) > 0 {
		return in, apperr.InvalidFields(settingsFixFields, fields)
	}
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := s.q.StoreSettingsLock(ctx, tx)
		if err != nil {
			return fmt.Errorf("orders: lock store settings: %w", err)
		}
		was := Seller{Name: before.SellerName, Address: before.SellerAddress, TaxID: before.SellerTaxID, InvoiceNote: before.InvoiceNote}
		changes := audit.Diff(was.auditFields(), v.auditFields())
		if len(changes) == 0 {
			return nil
		}
		if _, err := s.q.StoreSettingsSetSeller(ctx, tx, v.params()); err != nil {
			return fmt.Errorf("orders: save seller details: %w", err)
		}
		return s.recordSettingTx(ctx, tx, audit.Entry{Actor: actor, Action: "settings.seller", ObjectType: "store_settings",
			ObjectID: "seller", Changes: changes})
	})
	if err != nil {
		return in, err
	}
	return v, nil
}

// params is the statement that stores the seller's details.
func (in Seller) params() dbsqlc.StoreSettingsSetSellerParams {
	return dbsqlc.StoreSettingsSetSellerParams{SellerName: in.Name, SellerAddress: in.Address, SellerTaxID: in.TaxID, InvoiceNote: in.InvoiceNote}
}

// auditFields are the details as the audit log names them (the form's field names).
func (in Seller) auditFields() map[string]any {
	return map[string]any{"seller_name": in.Name, "seller_address": in.Address, "seller_tax_id": in.TaxID, "invoice_note": in.InvoiceNote}
}

// plainLines reports whether s is text a letter could hold: valid UTF-8 with no control
// characters but line breaks.
func plainLines(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return r != '\n' && unicode.IsControl(r) })
}

// parse tidies the fields (spaces trimmed, an address's blank lines dropped, line breaks
// made "\n") and checks them.
func (in Seller) parse() (Seller, map[string]string) {
	fields := map[string]string{}
	v := Seller{
		Name:        strings.TrimSpace(in.Name),
		TaxID:       strings.TrimSpace(in.TaxID),
		InvoiceNote: strings.TrimSpace(strings.ReplaceAll(in.InvoiceNote, "\r\n", "\n")),
	}
	switch {
	case !utf8.ValidString(v.Name) || strings.ContainsFunc(v.Name, unicode.IsControl):
		fields["seller_name"] = "Enter the name on one line."
	case utf8.RuneCountInString(v.Name) > maxSellerName:
		fields["seller_name"] = fmt.Sprintf("Use at most %d characters.", maxSellerName)
	}

	var lines []string
	for line := range strings.Lines(strings.ReplaceAll(in.Address, "\r\n", "\n")) {
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	v.Address = strings.Join(lines, "\n")
	switch {
	case !plainLines(v.Address):
		fields["seller_address"] = "Enter the address as plain text, one line per line."
	case len(lines) > maxSellerAddressRows:
		fields["seller_address"] = fmt.Sprintf("Use at most %d lines.", maxSellerAddressRows)
	default:
		for _, line := range lines {
			if utf8.RuneCountInString(line) > maxSellerAddressLine {
				fields["seller_address"] = fmt.Sprintf("Keep each line to %d characters.", maxSellerAddressLine)
				break
			}
		}
	}

	switch {
	case utf8.RuneCountInString(v.TaxID) > maxSellerTaxID:
		fields["seller_tax_id"] = fmt.Sprintf("Use at most %d characters.", maxSellerTaxID)
	case strings.ContainsFunc(v.TaxID, func(r rune) bool {
		return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '-' || r == '.' || r == '/'))
	}):
		fields["seller_tax_id"] = "Use letters, digits, spaces, dots, dashes and slashes only, like FR40303265045."
	}

	switch {
	case !plainLines(v.InvoiceNote):
		fields["invoice_note"] = "Enter the note as plain text."
	case utf8.RuneCountInString(v.InvoiceNote) > maxInvoiceNote:
		fields["invoice_note"] = fmt.Sprintf("Use at most %d characters.", maxInvoiceNote)
	}
	return v, fields
}
