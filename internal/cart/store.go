package cart

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/monoshop/monoshop/internal/cart/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
)

// tokenBytes of randomness make a guest cart's token: 256 bits, beyond any guessing.
const tokenBytes = 32

// tokenLen is the length of a token as stored: base64url without padding.
var tokenLen = base64.RawURLEncoding.EncodedLen(tokenBytes)

func newToken() string {
	var b [tokenBytes]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// validToken filters what a session holds before it reaches a query: anything that is
// not a token this package made cannot name a cart.
func validToken(t string) bool { return len(t) == tokenLen }

// errLineNotFound answers every look-up of a line outside the caller's cart, so a line
// id from another cart reveals nothing about it.
func errLineNotFound(cause error) error {
	return apperr.Wrap(cause, apperr.NotFound, "That item is not in your cart.")
}

// errNoLongerAvailable answers an add of a variant the catalog does not sell (unknown,
// archived, or its product archived or unpublished).
func errNoLongerAvailable(cause error) error {
	return apperr.Wrap(cause, apperr.NotFound, "This product is no longer available.")
}

// errQuantity refuses a quantity outside 1..MaxLineQuantity; the message is the same for
// zero, a negative number, an absurd one and text, so the form says what to type.
func errQuantity() error {
	return apperr.InvalidFields(fmt.Sprintf("Please enter a quantity from 1 to %d.", MaxLineQuantity),
		map[string]string{"quantity": fmt.Sprintf("Enter a whole number from 1 to %d.", MaxLineQuantity)})
}

func interpretError(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.Wrap(err, apperr.NotFound, what+" not found.")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23514" {
		// The quantity constraint caught what validation should have: still the
		// shopper's input, not a fault of ours.
		return apperr.Wrap(err, apperr.Invalid, fmt.Sprintf("Please enter a quantity from 1 to %d.", MaxLineQuantity))
	}
	return fmt.Errorf("cart: %s: %w", what, err)
}

func lineQuantities(lines []dbsqlc.CartLine) map[int64]int {
	out := make(map[int64]int, len(lines))
	for _, l := range lines {
		out[l.VariantID] = int(l.Quantity)
	}
	return out
}
