package users

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/users/internal/dbsqlc"
)

func newToken() (token string, hash []byte, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("users: token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// maxResetsPerHour bounds the reset emails one account receives in an hour, whoever asks.
const maxResetsPerHour = 3

// RequestPasswordReset emails a single-use reset link (the only one that works: older
// links stop working; at most maxResetsPerHour an hour) when the email has an account and
// does nothing otherwise; the caller shows the same answer either way, so the form does
// not reveal who has an account.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	email = strings.TrimSpace(email)
	if checkEmail(email) != "" {
		return nil
	}
	if !plausibleEmail(email) {
		return nil
	}
	row, err := s.q.AccountGetByEmail(ctx, s.pool, email)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && (row.DisabledAt != nil || row.PasswordHash == "")) {
		// Spend about what the real path spends (a token and a write in a transaction), so
		// timing does not tell whether the email has an account either.
		_, hash, _ := newToken()
		return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			_, err := s.q.RateLimitHit(ctx, tx, dbsqlc.RateLimitHitParams{Bucket: "reset-unknown:" + hex.EncodeToString(hash[:2]), WindowStart: s.now().Truncate(time.Hour)})
			return interpretError(err, "password reset")
		})
	}
	if err != nil {
		return interpretError(err, "account")
	}
	token, hash, err := newToken()
	if err != nil {
		return err
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		// One request at a time per account, so the count below is exact.
		if _, err := s.q.AccountLockForLogin(ctx, tx, row.ID); err != nil {
			return interpretError(err, "account")
		}
		recent, err := s.q.PasswordResetCountRecent(ctx, tx, row.ID)
		if err != nil {
			return interpretError(err, "password reset")
		}
		if recent >= maxResetsPerHour {
			// The owner has links in their inbox already; more would only flood it. The
			// caller answers as always, so this says nothing about the account either.
			return nil
		}
		// A new link is the only one that works: an older one, perhaps forwarded or left
		// in a shared inbox, stops working.
		if err := s.q.PasswordResetInvalidateAll(ctx, tx, row.ID); err != nil {
			return interpretError(err, "password reset")
		}
		if err := s.q.PasswordResetInsert(ctx, tx, dbsqlc.PasswordResetInsertParams{
			TokenHash: hash, AccountID: row.ID, ExpiresAt: s.now().Add(s.opts.ResetTTL),
		}); err != nil {
			return interpretError(err, "password reset")
		}
		return s.sendEmailTx(ctx, tx, "password_reset", row.Email, resetEmail(resetEmailData{
			Store: s.opts.StoreName(ctx), Name: accountFromRow(row).DisplayName(),
			URL: s.opts.BaseURL + "/password/reset/" + token, Minutes: int(s.opts.ResetTTL.Minutes()),
		}))
	})
}

// errBadResetLink is the answer for any unusable link: unknown, used or expired.
var errBadResetLink = apperr.New(apperr.NotFound, "This password reset link is invalid or has expired. Request a new one.")

// CheckResetToken reports whether a reset link can still be used, without using it.
func (s *Service) CheckResetToken(ctx context.Context, token string) error {
	if _, err := s.q.PasswordResetPeek(ctx, s.pool, hashToken(token)); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return errBadResetLink
		}
		return interpretError(err, "password reset")
	}
	return nil
}

// ResetPassword uses a reset link once: it sets the new password, ends every session of
// the account, and invalidates its other reset links.
func (s *Service) ResetPassword(ctx context.Context, token, password string) (Account, error) {
	var acc Account
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		id, err := s.q.PasswordResetPeek(ctx, tx, hashToken(token))
		if errors.Is(err, pgx.ErrNoRows) {
			return errBadResetLink
		} else if err != nil {
			return interpretError(err, "password reset")
		}
		row, err := s.q.AccountGet(ctx, tx, id)
		if err != nil {
			return errBadResetLink
		}
		if msg := checkPassword(password, row.Email); msg != "" {
			return apperr.InvalidFields("Please choose another password.", map[string]string{"password": msg})
		}
		if _, err := s.q.PasswordResetConsume(ctx, tx, hashToken(token)); err != nil {
			// Someone used the link in the meantime.
			return errBadResetLink
		}
		hash, err := hashPassword(password)
		if err != nil {
			return err
		}
		if _, err := s.q.AccountSetPassword(ctx, tx, dbsqlc.AccountSetPasswordParams{ID: id, PasswordHash: hash}); err != nil {
			return interpretError(err, "account")
		}
		if err := s.q.PasswordResetInvalidateAll(ctx, tx, id); err != nil {
			return interpretError(err, "password reset")
		}
		row, err = s.q.AccountGet(ctx, tx, id)
		if err != nil {
			return interpretError(err, "account")
		}
		acc = accountFromRow(row)
		return nil
	})
	return acc, err
}
