// Package notify owns the messages the shop sends to people: today email, later SMS or
// push through the same transport interface (Postgres schema "notify").
//
// It imports no other module. Modules that announce something (orders, users) call
// QueueEmailTx inside their own transaction, usually from a hook cmd/shop wires up; staff
// pages read the outbox through ListMessages and FindMessage.
//
// # Transactional outbox
//
// QueueEmailTx stores the message in notify.messages and inserts the River job that
// delivers it, both in the caller's transaction: if the business change rolls back, no
// message exists and nothing is sent; if it commits, the message will be delivered even
// when the mail server is down at that moment. The job talks to the server outside any
// transaction, retries with exponential backoff while the server is unreachable, and marks
// the message "failed" after its last attempt or at once when the server refuses the
// recipient or the content for good (5xx). Without an SMTP server configured, messages are
// marked "held": kept for the back office, never delivered.
//
// # Delivery guarantee
//
// Delivery is at least once, with a stable Message-ID. Every message gets its Message-ID
// when it is queued, and every attempt sends that same ID. A message is sent once in every
// case but one: if the process crashes (or loses the database) in the instant after the
// mail server accepted the message and before the job recorded it as sent, River retries
// the job and the server receives the message again, with the same Message-ID, which lets
// mail servers and clients recognise the duplicate. Exactly-once delivery is impossible
// across two systems that share no transaction; a duplicate with the same Message-ID is
// the honest price of never losing a message. Duplicate jobs for one message are harmless:
// a job that finds the message already sent does nothing, and one that finds another job
// talking to the server waits for it.
package notify
