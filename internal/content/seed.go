package content

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/content/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// SeedDemo gives a shop without pages the demo shop's four: About, Shipping & returns,
// Privacy and Terms, published. A shop that has any page is left alone, so running it
// again, or after staff wrote their own, changes nothing.
//
// The text describes what this software does and nothing more: the privacy page lists
// the data the shop really keeps and the two cookies it really sets, so a shop that starts
// from it promises nothing it does not do. It says it is a demonstration throughout.
func (s *Service) SeedDemo(ctx context.Context, storeName string) error {
	if storeName == "" {
		storeName = "Monoshop"
	}
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		// Two starts seeding at once: the second waits here, then finds the pages.
		if _, err := tx.Exec(ctx, "LOCK TABLE content.pages IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return interpretError(err, "pages")
		}
		n, err := s.q.PageCount(ctx, tx)
		if err != nil {
			return interpretError(err, "pages")
		}
		if n > 0 {
			return nil
		}
		for i, p := range demoPages {
			in := PageInput{Title: p.title, Slug: p.slug, Body: strings.ReplaceAll(p.body, "{{store}}", storeName),
				Published: true, Position: (i + 1) * 10}
			if f := in.normalize(); len(f) > 0 {
				return fmt.Errorf("content: demo page %s refused: %v", p.slug, f)
			}
			if _, err := s.q.PageInsert(ctx, tx, dbsqlc.PageInsertParams{Slug: in.Slug, Title: in.Title, Body: in.Body,
				Published: true, Position: int32(in.Position)}); err != nil {
				return interpretError(err, "demo page "+p.slug)
			}
		}
		return notifyChanged(ctx, tx)
	})
	if err != nil {
		return err
	}
	s.changed(ctx)
	return nil
}

var demoPages = []struct{ title, slug, body string }{
	{"About us", "about", `{{store}} is a demonstration shop. It shows what the software behind it can do: a storefront, a cart, a checkout and a back office, in one program and one database.

## What you can try

- Browse the categories, filter by size, colour or price, and search with a typo or two.
- Fill a cart, create an account and check out.
- Pay with the built-in test gateway's card numbers: no money changes hands.

## What this shop is not

Nothing here is for sale. The products, their pictures and the stock levels are made up, and no parcel will ever leave a warehouse.

If you run your own copy, edit this page in the back office under **Pages**.`},
	{"Shipping & returns", "shipping-returns", `This is a demonstration shop: orders are not shipped and no payment is taken. The text below shows how a shop would explain its terms.

## Shipping

Where we ship and what it costs are shown at checkout, before you pay: the price depends on the destination and, for some methods, on the parcel's weight. Orders to some destinations ship free above a minimum amount; the checkout says so when it applies.

When your order ships you receive an email with the carrier and, when there is one, the tracking number. Your order's page shows the same.

## Returns

Write to us within 30 days of delivery if you want to send something back. Once the returned items have arrived we refund them with the payment method you used, and we tell you by email when the refund is made.

## Cancelling an order

An order that has not shipped yet can be cancelled: get in touch and we will cancel it. An unpaid order is cancelled on its own after a while, and what it held goes back on sale.`},
	{"Privacy", "privacy", `This page says what {{store}} keeps about you, why, and how you can see or remove it. {{store}} is a demonstration shop: please do not enter real personal details.

## What we keep

- **Your account**, if you create one: your email address, your name and your password, stored only as a salted hash that cannot be turned back into the password.
- **Addresses** you save in your account.
- **Your orders**: the items, prices, the name, email and addresses given at checkout, and the emails we send about the order.
- **Emails we send you**, in a log our staff can read, so that they can see what you were told and whether it arrived.
- **Your cart**, so that it is still there when you come back.
- **Server logs**: for each request, the time, the page asked for and your IP address. They are used to keep the shop running and to stop abuse, such as repeated attempts to guess a password.

## Payments

With a payment provider such as Stripe, card details are entered on the provider's page: they never reach our server and we never see or keep your card number. This demonstration uses a built-in test gateway instead, which takes only published test card numbers, refuses any other and stores none: never type a real card number here.

## Cookies

We set two cookies. One keeps your cart and your sign-in; it lasts at most 30 days. The other is set when you sign in: it holds a random number that lets your account recognise this browser for a year, so that someone guessing your password can lock the account against everyone else but not against you. Neither is used for anything else. There are no advertising or analytics cookies and no tracking scripts on this site.

## Emails

We email you about your orders (confirmation, payment, shipping, cancellation, refund) and when you ask to reset your password. We send no newsletters or advertising.

## Your data, your choice

In your account, under **Privacy**, you can download a copy of what your account holds, your orders included, and delete your account. Deleting it removes your name, email address, password, saved addresses and cart, and:

- **Orders** placed from your account stay in our sales records (items, prices, totals, dates and the country they went to) without your name, email address, phone number or street address, and their links stop working. An order you had not paid is cancelled.
- **Invoices**: for an order you paid, tax law makes us keep the invoice for ten years after the end of the year of payment (ten years in Germany under § 147 AO and § 14b UStG; we keep every invoice that long, wherever its buyer lives), and an invoice must name its buyer. We keep your name and billing address on the invoice, and only there, for those ten years; then they are erased automatically.
- **Emails** we sent you stay in our log without your address, subject or content.
- While an order is paid but not yet shipped, the account cannot be deleted: we need your address to deliver it. Once it has shipped, you can.

Orders placed without an account (as a guest), even with the same email address, are not changed by deleting an account, nor are the emails we sent about them before your account existed: we never checked that the address is yours, so deleting an account must not erase someone else's orders.`},
	{"Terms of sale", "terms", `These are the terms of a demonstration shop: {{store}} sells nothing, and no order placed here is a contract. They show the kind of terms a shop would publish here.

## Prices

Prices are shown in the shop's currency. Whether tax is included or added, and how much shipping costs, is shown in your cart and at checkout before you pay.

## Orders

Your order is placed when you confirm it at checkout. We reserve the items when you place the order and hold them while you pay; an order left unpaid is cancelled and the items released.

## Payment

Payment is taken by our payment provider on its own page. If a payment fails, your order's page lets you try again while the items are held.

## Delivery and returns

See [Shipping & returns](/pages/shipping-returns).

## Your data

See [Privacy](/pages/privacy).`},
}
