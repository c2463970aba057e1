package users

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/users/internal/dbsqlc"
)

// Outbox queues an email inside the caller's transaction (the notify module satisfies
// it; DESIGN.md §2 rule 2): a rolled-back change sends nothing.
type Outbox interface {
	QueueEmailTx(ctx context.Context, tx pgx.Tx, kind, to, subject, html, text string) (int64, error)
}

// Options configures the service.
type Options struct {
	Outbox Outbox
	// BaseURL makes absolute links in emails.
	BaseURL string
	// StoreName names the store in emails, as the back office has it at the moment the
	// email is written (default "Monoshop").
	StoreName func(context.Context) string
	// LockoutThreshold failures within LockoutWindow lock an account for LockoutDuration.
	LockoutThreshold int
	LockoutWindow    time.Duration
	LockoutDuration  time.Duration
	// ResetTTL is how long a password-reset link works.
	ResetTTL time.Duration
}

// Service is the users module's public API.
type Service struct {
	pool    *pgxpool.Pool
	q       *dbsqlc.Queries
	log     *slog.Logger
	opts    Options
	now     func() time.Time
	privacy privacyHooks
}

// NewService returns the users service.
func NewService(pool *pgxpool.Pool, log *slog.Logger, opts Options) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.LockoutThreshold <= 0 {
		opts.LockoutThreshold = 10
	}
	if opts.LockoutWindow <= 0 {
		opts.LockoutWindow = 15 * time.Minute
	}
	if opts.LockoutDuration <= 0 {
		opts.LockoutDuration = 30 * time.Minute
	}
	if opts.ResetTTL <= 0 {
		opts.ResetTTL = time.Hour
	}
	if opts.StoreName == nil {
		opts.StoreName = func(context.Context) string { return "Monoshop" }
	}
	return &Service{pool: pool, q: dbsqlc.New(), log: log, opts: opts, now: time.Now}
}

func accountFromRow(r dbsqlc.UsersAccount) Account {
	a := Account{
		ID:             AccountID(r.ID),
		Email:          r.Email,
		Name:           r.Name,
		Disabled:       r.DisabledAt != nil,
		SessionVersion: int(r.SessionVersion),
		CreatedAt:      r.CreatedAt,
		UpdatedAt:      r.UpdatedAt,
	}
	if r.StaffRole != nil {
		a.Role = Role(*r.StaffRole)
	}
	return a
}

// interpretError maps storage errors to what callers act on.
func interpretError(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.Wrap(err, apperr.NotFound, what+" not found.")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return apperr.Wrap(err, apperr.Conflict, what+" already exists.")
	}
	return fmt.Errorf("users: %s: %w", what, err)
}

// RegisterInput is the registration form.
type RegisterInput struct {
	Email    string
	Name     string
	Password string
}

// Register creates a shopper account. Problems come back as per-field messages.
func (s *Service) Register(ctx context.Context, in RegisterInput) (Account, error) {
	in.Email = strings.TrimSpace(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	fields := map[string]string{}
	if msg := checkEmail(in.Email); msg != "" {
		fields["email"] = msg
	}
	if msg := checkName(in.Name); msg != "" {
		fields["name"] = msg
	}
	if msg := checkPassword(in.Password, in.Email); msg != "" {
		fields["password"] = msg
	}
	if len(fields) > 0 {
		return Account{}, apperr.InvalidFields("Please correct the highlighted fields.", fields)
	}
	hash, err := hashPassword(in.Password)
	if err != nil {
		return Account{}, err
	}
	row, err := s.q.AccountInsert(ctx, s.pool, dbsqlc.AccountInsertParams{Email: in.Email, Name: in.Name, PasswordHash: hash})
	if err != nil {
		if apperr.Is(interpretError(err, "account"), apperr.Conflict) {
			// Saying so reveals that the email has an account; it is the honest answer a
			// registering shopper needs, and registration is rate limited per IP.
			return Account{}, apperr.InvalidFields("Please correct the highlighted fields.",
				map[string]string{"email": "An account with this email already exists. Sign in, or reset your password."})
		}
		return Account{}, interpretError(err, "account")
	}
	return accountFromRow(row), nil
}

// errBadLogin is the one answer to every failed login: unknown email, wrong password,
// locked or disabled account all look the same to the caller.
var errBadLogin = apperr.New(apperr.Unauthorized, "The email or password is incorrect.")

// Authenticate checks an email and password. Failures are counted per account; past the
// threshold the account locks for a while and its owner is told by email (at most once a
// day). The answer and the time taken are the same whatever went wrong.
func (s *Service) Authenticate(ctx context.Context, email, password string) (Account, error) {
	return s.AuthenticateDevice(ctx, email, password, "")
}

// AuthenticateDevice is Authenticate from a browser that holds device, the token of a
// device cookie ("" when it has none). A locked account still admits the right password
// from a browser it has signed in from before (RememberDevice): the lock stops guessing
// from everywhere else, and cannot be used to keep the owner out of their account.
func (s *Service) AuthenticateDevice(ctx context.Context, email, password, device string) (Account, error) {
	if len(password) > MaxPasswordLength || !plausibleEmail(email) {
		_, _ = verifyPassword(dummyHash, "")
		return Account{}, errBadLogin
	}
	row, err := s.q.AccountGetByEmail(ctx, s.pool, strings.TrimSpace(email))
	if errors.Is(err, pgx.ErrNoRows) {
		_, _ = verifyPassword(dummyHash, password)
		// A wrong password for a real account writes a failure count; this write of the
		// same size keeps the two cases alike in time.
		_ = s.Allow(ctx, "login-unknown", Limit{Max: 1 << 30, Window: time.Minute})
		return Account{}, errBadLogin
	}
	if err != nil {
		return Account{}, interpretError(err, "account")
	}
	ok, err := verifyPassword(row.PasswordHash, password)
	if err != nil && !errors.Is(err, errBadHash) {
		return Account{}, err
	}
	locked := row.LockedUntil != nil && row.LockedUntil.After(s.now())
	if ok && locked && row.DisabledAt == nil {
		known, err := s.knownDevice(ctx, row.ID, device)
		if err != nil {
			return Account{}, err
		}
		if known {
			// The owner, from their own browser: in, and the lock stays for the others.
			return accountFromRow(row), nil
		}
	}
	if !ok || locked || row.DisabledAt != nil {
		// A locked or disabled account counts nothing more: otherwise anyone knowing the
		// email could keep it locked for ever and flood its owner with lock emails.
		if !ok && !locked && row.DisabledAt == nil {
			if err := s.recordFailure(ctx, row.ID); err != nil {
				return Account{}, err
			}
		}
		return Account{}, errBadLogin
	}
	if row.FailedLogins > 0 || row.LockedUntil != nil {
		if err := s.q.AccountClearFailures(ctx, s.pool, row.ID); err != nil {
			return Account{}, interpretError(err, "account")
		}
	}
	return accountFromRow(row), nil
}

// recordFailure counts a wrong password and locks the account when the count reaches
// the threshold, telling the owner in the same transaction.
func (s *Service) recordFailure(ctx context.Context, id int64) error {
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		n, err := s.q.AccountRecordFailure(ctx, tx, dbsqlc.AccountRecordFailureParams{
			ID: id, WindowLen: pgInterval(s.opts.LockoutWindow),
		})
		if err != nil {
			return interpretError(err, "account")
		}
		if int(n) < s.opts.LockoutThreshold {
			return nil
		}
		until := s.now().Add(s.opts.LockoutDuration)
		if err := s.q.AccountLock(ctx, tx, dbsqlc.AccountLockParams{ID: id, Until: until}); err != nil {
			return interpretError(err, "account")
		}
		row, err := s.q.AccountGet(ctx, tx, id)
		if err != nil {
			return interpretError(err, "account")
		}
		s.log.WarnContext(ctx, "account locked after repeated failed logins", "account_id", id)
		// One lock email a day: a guesser who locks the account every half hour must not
		// fill its owner's inbox.
		if _, err := s.q.AccountLockEmailDue(ctx, tx, id); errors.Is(err, pgx.ErrNoRows) {
			return nil
		} else if err != nil {
			return interpretError(err, "account")
		}
		return s.sendEmailTx(ctx, tx, "account_locked", row.Email, lockedEmail(lockedEmailData{
			Store: s.opts.StoreName(ctx), Name: accountFromRow(row).DisplayName(),
			Minutes: int(s.opts.LockoutDuration.Minutes()), ResetURL: s.opts.BaseURL + "/password/forgot",
		}))
	})
}

func pgInterval(d time.Duration) pgtype.Interval {
	return pgtype.Interval{Microseconds: d.Microseconds(), Valid: true}
}

// FindAccount returns a live account by id.
func (s *Service) FindAccount(ctx context.Context, id AccountID) (Account, error) {
	row, err := s.q.AccountGet(ctx, s.pool, int64(id))
	if err != nil {
		return Account{}, interpretError(err, "account")
	}
	return accountFromRow(row), nil
}

// plausibleEmail rejects what cannot be an email before it reaches the database, which
// refuses invalid UTF-8 and NUL bytes with an error rather than "no such row".
func plausibleEmail(email string) bool {
	return len(email) <= 254 && utf8.ValidString(email) && !strings.ContainsRune(email, 0)
}

// FindAccountByEmail returns a live account by email, case-insensitively.
func (s *Service) FindAccountByEmail(ctx context.Context, email string) (Account, error) {
	if !plausibleEmail(email) {
		return Account{}, apperr.New(apperr.NotFound, "account not found.")
	}
	row, err := s.q.AccountGetByEmail(ctx, s.pool, strings.TrimSpace(email))
	if err != nil {
		return Account{}, interpretError(err, "account")
	}
	return accountFromRow(row), nil
}

// reauthenticate checks the current password before a sensitive change.
func (s *Service) reauthenticate(ctx context.Context, id AccountID, password string) (dbsqlc.UsersAccount, error) {
	row, err := s.q.AccountGet(ctx, s.pool, int64(id))
	if err != nil {
		return row, interpretError(err, "account")
	}
	locked := row.LockedUntil != nil && row.LockedUntil.After(s.now())
	ok, _ := verifyPassword(row.PasswordHash, password)
	if !ok || locked {
		// Someone holding a stolen session must not get unlimited guesses either: these
		// failures count toward the same lockout as sign-in failures.
		if !ok && !locked {
			if err := s.recordFailure(ctx, row.ID); err != nil {
				return row, err
			}
		}
		return row, apperr.InvalidFields("Please correct the highlighted fields.",
			map[string]string{"current_password": "Your current password is not correct."})
	}
	return row, nil
}

// ChangePassword sets a new password after checking the current one; every other session
// of the account ends. It returns the new session version for the caller's session.
func (s *Service) ChangePassword(ctx context.Context, id AccountID, current, next string) (int, error) {
	row, err := s.reauthenticate(ctx, id, current)
	if err != nil {
		return 0, err
	}
	if msg := checkPassword(next, row.Email); msg != "" {
		return 0, apperr.InvalidFields("Please correct the highlighted fields.", map[string]string{"password": msg})
	}
	hash, err := hashPassword(next)
	if err != nil {
		return 0, err
	}
	v, err := s.q.AccountSetPassword(ctx, s.pool, dbsqlc.AccountSetPasswordParams{ID: int64(id), PasswordHash: hash})
	if err != nil {
		return 0, interpretError(err, "account")
	}
	return int(v), nil
}

// ChangeEmail sets a new email after checking the current password.
func (s *Service) ChangeEmail(ctx context.Context, id AccountID, password, email string) error {
	email = strings.TrimSpace(email)
	if msg := checkEmail(email); msg != "" {
		return apperr.InvalidFields("Please correct the highlighted fields.", map[string]string{"email": msg})
	}
	if _, err := s.reauthenticate(ctx, id, password); err != nil {
		return err
	}
	err := s.q.AccountSetEmail(ctx, s.pool, dbsqlc.AccountSetEmailParams{ID: int64(id), Email: email})
	if apperr.Is(interpretError(err, "account"), apperr.Conflict) {
		return apperr.InvalidFields("Please correct the highlighted fields.", map[string]string{"email": "Another account uses this email."})
	}
	return interpretError(err, "account")
}

// UpdateProfile changes what needs no password: the name.
func (s *Service) UpdateProfile(ctx context.Context, id AccountID, name string) error {
	name = strings.TrimSpace(name)
	if msg := checkName(name); msg != "" {
		return apperr.InvalidFields("Please correct the highlighted fields.", map[string]string{"name": msg})
	}
	return interpretError(s.q.AccountSetName(ctx, s.pool, dbsqlc.AccountSetNameParams{ID: int64(id), Name: name}), "account")
}

// checkEmail returns a message for the email field, or "".
func checkEmail(email string) string {
	switch {
	case email == "":
		return "Enter your email address."
	case !utf8.ValidString(email) || len(email) > 254:
		return "Enter a valid email address."
	case strings.ContainsAny(email, " \t\r\n<>\"(),;:"):
		return "Enter a valid email address, like name@example.com."
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") {
		return "Enter a valid email address, like name@example.com."
	}
	return ""
}

// checkName returns a message for a name field, or "".
func checkName(name string) string {
	switch {
	case !utf8.ValidString(name):
		return "Use only ordinary characters."
	case utf8.RuneCountInString(name) > 120:
		return "Keep it under 120 characters."
	case strings.ContainsFunc(name, func(r rune) bool { return unicode.IsControl(r) }):
		return "Use only ordinary characters."
	case strings.ContainsAny(name, "<>"):
		return "Names cannot contain < or >."
	}
	return ""
}
