// Package payments owns the money side of an order: payments asked of a payment provider,
// what the provider reported about them, and refunds (Postgres schema "payments").
//
// It imports no other module (DESIGN.md §2). The orders module calls it: Create inside the
// order's transaction, Begin (outside any transaction) to send the shopper to the
// provider's hosted payment page, Capture, Void and Refund from the back office; and it
// subscribes to OnPaid, OnFailed and the other hooks, which run inside the transaction
// that changes the payment, so an order is marked paid atomically with its payment.
// Pages and the webhook endpoint live in paymentsweb.
//
// # Providers
//
// A Provider is shaped for hosted payment pages plus webhooks: Begin returns the URL of
// the provider's page, the shopper pays there and comes back to our return URL, and the
// outcome reaches us by a signed webhook (HandleWebhook) or by asking (Reconcile). Every
// call that changes something at the provider carries an idempotency key derived from
// our own rows, so a retry after a timeout or a crash repeats the same operation instead
// of starting a second one. Status is a read and needs none.
//
// Built in: "manual" (bank transfer, cash on delivery: no page, staff mark the payment
// paid) and "test", a gateway that plays an outside provider inside the app for
// development: a hosted card page (paymentsweb, /pay/test/{ref}) answering to public
// test card numbers, and webhooks signed with HMAC-SHA256 and delivered asynchronously by
// a River job, every one of them twice, so duplicate handling is exercised on every
// payment. It is the only place where a card number reaches the server, and it keeps
// only the outcome, never the number.
//
// # Guarantees
//
// A payment's state moves only forward along the state machine in payments.go; every
// change happens under the payment's row lock, in one transaction with the event that
// caused it and the hooks it fires. Hence:
//   - a webhook delivered twice is a no-op the second time (UNIQUE (provider,
//     provider_event_id) on payments.events);
//   - an event that arrives late changes nothing ("failed" after "paid" is recorded and
//     ignored), so hooks fire exactly once per transition whatever the order of arrival;
//   - a crash after the provider took the money and before our commit loses nothing: the
//     provider redelivers its webhook, and the recovery job (jobs.go) asks the provider
//     about payments left pending and applies the answer the same way;
//   - concurrent refunds never add up to more than was paid (the refund row is written
//     under the payment's lock before the provider is asked).
package payments
