package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monoshop/monoshop/internal/notify/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// Service is the notify module's public API: it queues messages in the caller's
// transaction, delivers them from a River job, and lists them for staff.
type Service struct {
	pool      *pgxpool.Pool
	q         *dbsqlc.Queries
	log       *slog.Logger
	cfg       Config
	idDomain  string
	transport transport // nil: no SMTP server, messages are held
	jobs      JobInserter
}

const (
	defaultFrom    = "Monoshop <shop@localhost>"
	maxSubjectLen  = 255 // characters; a subject longer than this is a bug in a template
	maxKindLen     = 64
	maxAddressLen  = 254 // RFC 5321's limit on a forward path
	maxStoredError = 2000
)

// NewService validates cfg and returns a notify service on pool. Configuration errors
// never repeat the SMTP password.
func NewService(pool *pgxpool.Pool, log *slog.Logger, cfg Config) (*Service, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.From == "" {
		if cfg.SMTPURL != "" {
			return nil, errors.New("notify: a sender address (From) is required to send email")
		}
		cfg.From = defaultFrom
	}
	if strings.ContainsAny(cfg.From, "\r\n") {
		return nil, errors.New("notify: the sender address (From) must be on one line")
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("notify: sender address (From) %q: %w", cfg.From, err)
	}
	domain := cfg.MessageIDDomain
	if domain == "" {
		domain = from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	}
	if !validDomain(domain) {
		return nil, fmt.Errorf("notify: %q is not a host name usable in Message-IDs (MessageIDDomain)", domain)
	}
	if cfg.RetryBase < 0 {
		return nil, errors.New("notify: RetryBase must not be negative")
	}
	s := &Service{pool: pool, q: dbsqlc.New(), log: log, cfg: cfg, idDomain: domain}
	if cfg.SMTPURL != "" {
		t, err := newSMTPTransport(cfg.SMTPURL, from, domain)
		if err != nil {
			return nil, err
		}
		s.transport = t
	}
	return s, nil
}

// QueueEmailTx stores an email in the outbox and queues its delivery inside the caller's
// transaction: if it rolls back, nothing is sent. kind is a short label for staff
// ("password_reset", "order_confirmation"). It returns the message's id.
func (s *Service) QueueEmailTx(ctx context.Context, tx pgx.Tx, kind, to, subject, html, text string) (int64, error) {
	if s.jobs == nil {
		return 0, errors.New("notify: queue email: no job queue attached (UseJobs was not called)")
	}
	to = strings.TrimSpace(to)
	if err := validateEmail(kind, to, subject, html, text); err != nil {
		return 0, err
	}
	id, err := s.q.MessageInsert(ctx, tx, dbsqlc.MessageInsertParams{
		Kind:      kind,
		Recipient: to,
		Subject:   subject,
		Html:      html,
		Text:      text,
		MessageID: s.newMessageID(),
	})
	if err != nil {
		return 0, fmt.Errorf("notify: store %s email: %w", kind, err)
	}
	if _, err := s.jobs.InsertTx(ctx, tx, sendEmailArgs{MessageID: id}, nil); err != nil {
		return 0, fmt.Errorf("notify: queue delivery of message %d: %w", id, err)
	}
	return id, nil
}

// ListMessages returns one page of messages matching f, newest first, and how many match
// in all.
func (s *Service) ListMessages(ctx context.Context, f MessageFilter) ([]Message, int, error) {
	switch f.Status {
	case "", StatusQueued, StatusSent, StatusHeld, StatusFailed:
	default:
		return nil, 0, apperr.New(apperr.Invalid, fmt.Sprintf("Unknown message status %q.", f.Status))
	}
	perPage := f.PerPage
	if perPage <= 0 {
		perPage = DefaultPerPage
	}
	perPage = min(perPage, MaxPerPage)
	page := max(f.Page, 1)
	match := dbsqlc.MessageCountParams{Recipient: strings.TrimSpace(f.To), Status: f.Status, Kind: f.Kind}
	total, err := s.q.MessageCount(ctx, s.pool, match)
	if err != nil {
		return nil, 0, fmt.Errorf("notify: count messages: %w", err)
	}
	offset := db.Offset(page, perPage)
	if int64(offset) >= total {
		return []Message{}, int(total), nil
	}
	rows, err := s.q.MessageList(ctx, s.pool, dbsqlc.MessageListParams{
		Recipient: match.Recipient, Status: match.Status, Kind: match.Kind,
		Lim: int32(perPage), Off: offset,
	})
	if err != nil {
		return nil, 0, fmt.Errorf("notify: list messages: %w", err)
	}
	out := make([]Message, len(rows))
	for i, r := range rows {
		out[i] = messageFromRow(r)
	}
	return out, int(total), nil
}

// FindMessage returns one message, or NotFound.
func (s *Service) FindMessage(ctx context.Context, id int64) (Message, error) {
	r, err := s.q.MessageGet(ctx, s.pool, id)
	if err != nil {
		return Message{}, interpretError(err, "Message")
	}
	return messageFromRow(r), nil
}

// newMessageID returns a globally unique Message-ID. 128 random bits need no coordination
// between replicas and reveal nothing about the order or the shop's volume.
func (s *Service) newMessageID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return "<" + hex.EncodeToString(b[:]) + "@" + s.idDomain + ">"
}

// validateEmail refuses what could not be sent or could smuggle headers: a line break in
// the recipient or subject would let the text after it become a header of its own
// ("Bcc: ..."), so it is refused rather than cleaned.
func validateEmail(kind, to, subject, html, text string) error {
	if kind == "" || len(kind) > maxKindLen || strings.IndexFunc(kind, func(r rune) bool {
		return !(r == '_' || r == '-' || r == '.' || r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	}) >= 0 {
		return apperr.New(apperr.Invalid, fmt.Sprintf("The message kind %q must be a short label of letters, digits and underscores.", kind))
	}
	if to == "" {
		return apperr.New(apperr.Invalid, "An email address is required.")
	}
	if strings.ContainsAny(to, "\r\n") {
		return apperr.New(apperr.Invalid, "The email address must be on one line.")
	}
	addr, err := mail.ParseAddress(to)
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, "Enter one valid email address, like name@example.com.")
	}
	if len(addr.Address) > maxAddressLen {
		return apperr.New(apperr.Invalid, "The email address is too long.")
	}
	if strings.TrimSpace(subject) == "" {
		return apperr.New(apperr.Invalid, "The email needs a subject.")
	}
	if strings.ContainsAny(subject, "\r\n") {
		return apperr.New(apperr.Invalid, "The email subject must be on one line.")
	}
	if strings.IndexFunc(subject, func(r rune) bool { return r != '\t' && unicode.IsControl(r) }) >= 0 {
		return apperr.New(apperr.Invalid, "The email subject contains control characters.")
	}
	if utf8.RuneCountInString(subject) > maxSubjectLen {
		return apperr.New(apperr.Invalid, fmt.Sprintf("The email subject is longer than %d characters.", maxSubjectLen))
	}
	if !utf8.ValidString(subject) || !utf8.ValidString(html) || !utf8.ValidString(text) {
		return apperr.New(apperr.Invalid, "The email is not valid UTF-8 text.")
	}
	if strings.TrimSpace(html) == "" && strings.TrimSpace(text) == "" {
		return apperr.New(apperr.Invalid, "The email has no content.")
	}
	return nil
}

// validDomain accepts host names (and "localhost"): letters, digits, hyphens and dots,
// which keeps Message-IDs and EHLO free of anything a header or command could choke on.
func validDomain(d string) bool {
	if d == "" || len(d) > 253 || strings.HasPrefix(d, ".") || strings.HasSuffix(d, ".") || strings.Contains(d, "..") {
		return false
	}
	for _, r := range d {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}
