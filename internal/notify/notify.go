package notify

import (
	"context"
	"time"
)

// Config says how messages leave the shop.
type Config struct {
	// SMTPURL is smtp://user:pass@host:port (STARTTLS when the server offers it; port 587
	// by default) or smtps://user:pass@host:port (implicit TLS; port 465 by default).
	// Empty means no delivery: messages are kept for the back office with status "held".
	SMTPURL string
	// From is the sender of every email, e.g. "Monoshop <shop@example.com>". Required with
	// an SMTP server; without one it defaults to "Monoshop <shop@localhost>".
	From string
	// MessageIDDomain is the domain part of Message-IDs and the name given in EHLO,
	// normally the shop's host. Empty means the domain of From.
	MessageIDDomain string
	// RetryBase, when set, replaces River's backoff between delivery attempts with
	// RetryBase doubled at each attempt; it also bounds how long a duplicate job waits for
	// the one that is sending. Tests shorten it; 0 keeps River's default (about 4 hours
	// over all attempts).
	RetryBase time.Duration
}

// Message statuses.
const (
	StatusQueued = "queued" // waiting for (another) delivery attempt
	StatusSent   = "sent"   // accepted by the mail server
	StatusHeld   = "held"   // no SMTP server configured: kept, not delivered
	StatusFailed = "failed" // given up: refused by the server or out of attempts
)

// Message is one stored message and what became of it.
type Message struct {
	ID        int64
	Kind      string
	To        string
	Subject   string
	HTML      string
	Text      string
	MessageID string // the Message-ID header, angle brackets included
	Status    string
	Attempts  int
	LastError string // the last delivery error, for staff; empty once sent
	CreatedAt time.Time
	SentAt    *time.Time
	// Redacted is when the recipient deleted their account and the message lost its
	// recipient, subject and body (RedactRecipientsTx); nil otherwise.
	Redacted *time.Time
}

// MessageFilter narrows ListMessages. Zero fields match everything.
type MessageFilter struct {
	To      string // substring of the recipient, case-insensitive
	Status  string
	Kind    string
	Page    int // from 1
	PerPage int // DefaultPerPage when 0, at most MaxPerPage
}

// Page sizes of ListMessages.
const (
	DefaultPerPage = 50
	MaxPerPage     = 200
)

// envelope is one message handed to a transport. It carries content rather than an encoded
// email so that an SMS or push transport can take the same shape and use what it needs.
type envelope struct {
	MessageID string // "<random@domain>", stable across attempts
	To        string // validated with net/mail when queued
	Subject   string
	Text      string
	HTML      string
	Date      time.Time // when the message was queued, the same on every attempt
}

// transport delivers one message. Send returning nil means the far side accepted it.
type transport interface {
	Send(ctx context.Context, env envelope) error
}

// permanentError marks a refusal that retrying cannot fix (the server said 5xx to the
// recipient or the content), so the message is marked failed at once.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }
