package orders

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/orders/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// Discount codes as the back office manages them: listed, created, edited and
// deactivated by staff, each write audited in its transaction. A code is never deleted:
// orders and redemptions point at it, so one that should stop working is deactivated.

// DiscountCodesPerPage is the length of a page of the back office's code list.
const DiscountCodesPerPage = 50

// maxDiscountUses bounds a usage limit: a billion uses is no limit worth typing.
const maxDiscountUses = 1_000_000_000

// DiscountCodeInput is a discount code's form as typed. Amounts are in Currency with a
// point for decimals. Dates are on the store's clock (Location), as the back office shows
// them, written the way a datetime-local input sends them ("2026-12-01T09:00"); a bare date means its midnight.
type DiscountCodeInput struct {
	// Code is what shoppers type: letters, digits, hyphens and underscores, stored
	// upper-case so that shoppers' input matches whatever its case.
	Code string
	Kind string // "percent", "fixed" or "free_shipping"
	// Percent is a percent code's share of the subtotal: 1 to 100, at most 2 decimals.
	Percent string
	// Amount is what a fixed code takes off the subtotal.
	Amount string
	// MinSubtotal is the subtotal the code needs; blank is none.
	MinSubtotal string
	// StartsAt and EndsAt bound when the code works; blank is from now and for ever. The
	// code stops working at EndsAt. They are read on the clock of Location (the store's
	// time zone; nil is UTC).
	StartsAt, EndsAt string
	Location         *time.Location
	// UsageLimit caps uses by everyone together, PerCustomerLimit uses by one customer;
	// blank is no limit.
	UsageLimit       string
	PerCustomerLimit string
	Active           bool
	// Currency is the shop's (the catalog's): amounts are always in it.
	Currency string
}

// ListDiscountCodes returns a page (from 1) of the codes, newest first, and how many
// codes there are in all.
func (s *Service) ListDiscountCodes(ctx context.Context, page int) ([]DiscountCode, int, error) {
	total, err := s.q.DiscountCodesCount(ctx, s.pool)
	if err != nil {
		return nil, 0, fmt.Errorf("orders: count discount codes: %w", err)
	}
	// Past the last page is an empty page, not an error; the bound keeps the offset an int32.
	page = min(max(page, 1), 1_000_000)
	rows, err := s.q.DiscountCodesPage(ctx, s.pool, dbsqlc.DiscountCodesPageParams{
		MaxRows: DiscountCodesPerPage, SkipRows: db.Offset(page, DiscountCodesPerPage)})
	if err != nil {
		return nil, 0, fmt.Errorf("orders: list discount codes: %w", err)
	}
	codes := make([]DiscountCode, len(rows))
	for i, r := range rows {
		codes[i] = discountCodeFromRow(r)
	}
	return codes, int(total), nil
}

// FindDiscountCode returns one code with how often it has been used.
func (s *Service) FindDiscountCode(ctx context.Context, id int64) (DiscountCode, error) {
	row, err := s.q.DiscountCodeGetByID(ctx, s.pool, id)
	if err != nil {
		return DiscountCode{}, discountReadError(err)
	}
	return discountCodeFromRow(row), nil
}

// CreateDiscountCodeAs is the back office's CreateDiscountCode: every field checked and
// refused field by field, and the new code recorded in the audit log under actor.
func (s *Service) CreateDiscountCodeAs(ctx context.Context, actor audit.Actor, in DiscountCodeInput) (DiscountCode, error) {
	return s.saveDiscountCode(ctx, actor, 0, in)
}

// UpdateDiscountCode changes a code. Its use so far stays counted, so a usage limit below
// it is refused.
func (s *Service) UpdateDiscountCode(ctx context.Context, actor audit.Actor, id int64, in DiscountCodeInput) (DiscountCode, error) {
	return s.saveDiscountCode(ctx, actor, id, in)
}

// DeactivateDiscountCode stops a code from applying to new orders; orders that used it
// keep their discount. Deactivating an inactive code changes nothing.
func (s *Service) DeactivateDiscountCode(ctx context.Context, actor audit.Actor, id int64) (DiscountCode, error) {
	var code DiscountCode
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		cur, err := s.q.DiscountCodeLockByID(ctx, tx, id)
		if err != nil {
			return discountReadError(err)
		}
		if !cur.Active {
			code = discountCodeFromRow(cur)
			return nil
		}
		row, err := s.q.DiscountCodeDeactivate(ctx, tx, id)
		if err != nil {
			return fmt.Errorf("orders: deactivate discount code: %w", err)
		}
		code = discountCodeFromRow(row)
		return s.recordSettingTx(ctx, tx, audit.Entry{Actor: actor, Action: "discount.deactivate", ObjectType: "discount_code",
			ObjectID: strconv.FormatInt(id, 10), Changes: map[string]audit.Change{"active": {Before: true, After: false}}})
	})
	if err != nil {
		return DiscountCode{}, err
	}
	return code, nil
}

func (s *Service) saveDiscountCode(ctx context.Context, actor audit.Actor, id int64, in DiscountCodeInput) (DiscountCode, error) {
	if !isCurrencyCode(in.Currency) {
		return DiscountCode{}, fmt.Errorf("orders: discount code priced in %q, which is not a currency code", in.Currency)
	}
	v, fields := in.parse()
	if len(fields) > 0 {
		return DiscountCode{}, apperr.InvalidFields(settingsFixFields, fields)
	}
	params := dbsqlc.DiscountCodeUpdateParams{
		ID: id, Code: v.code, Kind: string(v.kind), BasisPoints: int32(v.basisPoints), AmountMinor: v.amount,
		Currency: v.currency, MinSubtotalMinor: v.minSubtotal, StartsAt: v.startsAt, EndsAt: v.endsAt,
		UsageLimit: int32Ptr(v.usageLimit), PerCustomerLimit: int32Ptr(v.perCustomerLimit), Active: v.active,
	}
	var code DiscountCode
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var row dbsqlc.OrdersDiscountCode
		var before map[string]any
		var err error
		action := "discount.create"
		if id == 0 {
			row, err = s.q.DiscountCodeInsert(ctx, tx, dbsqlc.DiscountCodeInsertParams{
				Code: params.Code, Kind: params.Kind, BasisPoints: params.BasisPoints, AmountMinor: params.AmountMinor,
				Currency: params.Currency, MinSubtotalMinor: params.MinSubtotalMinor, StartsAt: params.StartsAt,
				EndsAt: params.EndsAt, UsageLimit: params.UsageLimit, PerCustomerLimit: params.PerCustomerLimit, Active: params.Active,
			})
		} else {
			action = "discount.update"
			cur, lockErr := s.q.DiscountCodeLockByID(ctx, tx, id)
			if lockErr != nil {
				return discountReadError(lockErr)
			}
			// The row is locked, so no checkout can count a use between this check and the
			// update.
			if v.usageLimit != nil && *v.usageLimit < int(cur.UsedCount) {
				return apperr.InvalidFields(settingsFixFields, map[string]string{"usage_limit": fmt.Sprintf(
					"This code has been used %d times already; enter a limit of at least %d, or leave it empty.", cur.UsedCount, cur.UsedCount)})
			}
			before = discountAuditFields(cur)
			row, err = s.q.DiscountCodeUpdate(ctx, tx, params)
		}
		if err != nil {
			if isSettingsDuplicate(err) {
				return &apperr.Error{Code: apperr.Invalid, Message: settingsFixFields, Cause: err,
					Fields: map[string]string{"code": "A code " + v.code + " exists already."}}
			}
			return fmt.Errorf("orders: save discount code: %w", err)
		}
		code = discountCodeFromRow(row)
		return s.recordSettingTx(ctx, tx, audit.Entry{Actor: actor, Action: action, ObjectType: "discount_code",
			ObjectID: strconv.FormatInt(row.ID, 10), Changes: audit.Diff(before, discountAuditFields(row))})
	})
	if err != nil {
		return DiscountCode{}, err
	}
	return code, nil
}

func discountReadError(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.Wrap(err, apperr.NotFound, "Discount code not found.")
	}
	return fmt.Errorf("orders: read discount code: %w", err)
}

// discountAuditFields are a stored code's fields as the audit log shows them: times as
// UTC text and absent limits as nil, so that an unchanged field never shows as changed.
func discountAuditFields(r dbsqlc.OrdersDiscountCode) map[string]any {
	when := func(t *time.Time) any {
		if t == nil {
			return nil
		}
		return t.UTC().Format(time.RFC3339)
	}
	limit := func(n *int32) any {
		if n == nil {
			return nil
		}
		return int(*n)
	}
	return map[string]any{
		"code": r.Code, "kind": r.Kind, "basis_points": int(r.BasisPoints), "amount_minor": r.AmountMinor,
		"currency": r.Currency, "min_subtotal_minor": r.MinSubtotalMinor, "starts_at": when(r.StartsAt),
		"ends_at": when(r.EndsAt), "usage_limit": limit(r.UsageLimit), "per_customer_limit": limit(r.PerCustomerLimit),
		"active": r.Active,
	}
}

// discountValues is a code's form once read and checked; amounts are minor units of
// currency.
type discountValues struct {
	code             string
	kind             DiscountKind
	basisPoints      int
	amount           int64
	minSubtotal      int64
	currency         string
	startsAt, endsAt *time.Time
	usageLimit       *int
	perCustomerLimit *int
	active           bool
}

func (in DiscountCodeInput) parse() (discountValues, map[string]string) {
	f := map[string]string{}
	v := discountValues{code: strings.ToUpper(strings.TrimSpace(in.Code)), kind: DiscountKind(in.Kind),
		currency: in.Currency, active: in.Active}
	switch {
	case v.code == "":
		f["code"] = "Enter a code, like SUMMER10."
	case len(v.code) > 40 || strings.Trim(v.code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "":
		f["code"] = "Use up to 40 letters, digits, hyphens or underscores, like SUMMER-10."
	}
	var msg string
	switch v.kind {
	case DiscountPercent:
		if v.basisPoints, msg = parsePercent(in.Percent, 100, 10000, "Enter a percentage from 1 to 100."); msg != "" {
			f["percent"] = msg
		}
	case DiscountFixed:
		if v.amount, msg = parseSettingsAmount(in.Amount, in.Currency, false); msg != "" {
			f["amount"] = msg
		}
	case DiscountFreeShipping:
	default:
		f["kind"] = "Choose what the code gives."
	}
	if strings.TrimSpace(in.MinSubtotal) != "" {
		if v.minSubtotal, msg = parseSettingsAmount(in.MinSubtotal, in.Currency, true); msg != "" {
			f["min_subtotal"] = msg
		}
	}
	if v.startsAt, msg = parseDiscountTime(in.StartsAt, in.Location); msg != "" {
		f["starts_at"] = msg
	}
	if v.endsAt, msg = parseDiscountTime(in.EndsAt, in.Location); msg != "" {
		f["ends_at"] = msg
	}
	if v.startsAt != nil && v.endsAt != nil && !v.endsAt.After(*v.startsAt) {
		f["ends_at"] = "The end must be after the start."
	}
	if v.usageLimit, msg = parseUseLimit(in.UsageLimit); msg != "" {
		f["usage_limit"] = msg
	}
	if v.perCustomerLimit, msg = parseUseLimit(in.PerCustomerLimit); msg != "" {
		f["per_customer_limit"] = msg
	}
	return v, f
}

// discountTimeLayouts are the ways a back-office date may be typed: what a datetime-local
// input sends (with or without seconds), the same with a space, and a bare date.
var discountTimeLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"}

// parseDiscountTime reads a date and time typed on loc's clock (nil is UTC); blank is
// none.
func parseDiscountTime(s string, loc *time.Location) (*time.Time, string) {
	if loc == nil {
		loc = time.UTC
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, ""
	}
	for _, layout := range discountTimeLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			if t.Year() < 2000 || t.Year() > 9999 {
				return nil, "Enter a date between the years 2000 and 9999."
			}
			return &t, ""
		}
	}
	return nil, "Enter a date and time like 2026-12-01 09:00 (" + loc.String() + ")."
}

// parseUseLimit reads a number of uses; blank is no limit.
func parseUseLimit(s string) (*int, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, ""
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxDiscountUses {
		return nil, "Enter a whole number of at least 1, or leave it empty for no limit."
	}
	return &n, ""
}
