-- +goose Up
-- Who holds stock in unpaid orders, to cap it: one client (an address, an IPv6 /64) may
-- not tie up a shop's stock with unpaid orders. hold_client is the SHA-256 of the client
-- key (not the address itself); held_units the order's units, summed without its lines.
ALTER TABLE orders.orders
    ADD COLUMN hold_client bytea CHECK (length(hold_client) = 32),
    ADD COLUMN held_units  integer NOT NULL DEFAULT 0 CHECK (held_units >= 0);

CREATE INDEX orders_unpaid_by_client ON orders.orders (hold_client)
    WHERE hold_client IS NOT NULL AND status = 'open' AND payment_status IN ('pending', 'failed');

-- "Reserved by other shoppers, back in N minutes" asks which unpaid orders hold a variant.
CREATE INDEX order_lines_variant_idx ON orders.order_lines (variant_id);

-- +goose Down
DROP INDEX orders.order_lines_variant_idx;
ALTER TABLE orders.orders DROP COLUMN hold_client, DROP COLUMN held_units;
