-- +goose Up
-- Invoices get their own unbroken series: order numbers have gaps (a refused checkout
-- still takes one) and an EU invoice series must not. Numbers are issued after payment,
-- in batches, by one transaction at a time holding the counter row (orders.IssueInvoices):
-- a payment never waits for the counter, and a batch that rolls back gives all its
-- numbers back.
CREATE TABLE orders.invoice_counter (
    only_row bool PRIMARY KEY DEFAULT true CHECK (only_row),
    last     bigint NOT NULL CHECK (last >= 0)
);

ALTER TABLE orders.orders
    ADD COLUMN invoice_number bigint UNIQUE,
    ADD COLUMN invoiced_at    timestamptz,
    ADD CONSTRAINT orders_invoice_dated CHECK ((invoice_number IS NULL) = (invoiced_at IS NULL));

-- Paid orders waiting for their number: a handful at any moment, so the index stays tiny.
CREATE INDEX orders_invoice_due ON orders.orders (paid_at, id)
    WHERE invoice_number IS NULL AND paid_at IS NOT NULL;

-- Orders paid before invoices had their own numbers get them in the order they were paid
-- (refunded ones too: they were invoiced), dated the day they were paid. Not those whose
-- money came after they were cancelled: they get a refund, not an invoice.
WITH numbered AS (
    SELECT id, paid_at, row_number() OVER (ORDER BY paid_at, id) AS n
    FROM orders.orders
    WHERE paid_at IS NOT NULL AND NOT (status = 'cancelled' AND cancelled_at <= paid_at)
)
UPDATE orders.orders o SET invoice_number = numbered.n, invoiced_at = numbered.paid_at
FROM numbered WHERE o.id = numbered.id;

INSERT INTO orders.invoice_counter (last)
SELECT coalesce(max(invoice_number), 0) FROM orders.orders;

-- +goose Down
ALTER TABLE orders.orders DROP COLUMN invoice_number, DROP COLUMN invoiced_at;
DROP TABLE orders.invoice_counter;
