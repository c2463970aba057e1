package users

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/users/internal/dbsqlc"
)

// MaxDeviceToken bounds a device cookie's value: anything longer was not made here.
const MaxDeviceToken = 64

// NewDeviceToken is a fresh random token for a browser's device cookie.
func NewDeviceToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// RememberDevice records that the browser holding token signed in to the account, so a
// lock does not keep it out later (AuthenticateDevice). Only the token's SHA-256 is
// stored: the database never holds what the cookie says. Browsers not seen for a year
// are forgotten.
func (s *Service) RememberDevice(ctx context.Context, id AccountID, token string) error {
	if token == "" || len(token) > MaxDeviceToken {
		return nil
	}
	sum := sha256.Sum256([]byte(token))
	if err := s.q.KnownDeviceAdd(ctx, s.pool, dbsqlc.KnownDeviceAddParams{AccountID: int64(id), TokenSha256: sum[:]}); err != nil {
		return interpretError(err, "device")
	}
	return interpretError(s.q.KnownDevicesDeleteStale(ctx, s.pool, int64(id)), "device")
}

// knownDevice reports whether token belongs to a browser the account signed in from.
func (s *Service) knownDevice(ctx context.Context, id int64, token string) (bool, error) {
	if token == "" || len(token) > MaxDeviceToken {
		return false, nil
	}
	sum := sha256.Sum256([]byte(token))
	_, err := s.q.KnownDeviceTouch(ctx, s.pool, dbsqlc.KnownDeviceTouchParams{AccountID: id, TokenSha256: sum[:]})
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, interpretError(err, "device")
	}
	return true, nil
}
