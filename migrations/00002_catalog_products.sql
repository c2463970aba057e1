-- +goose Up
-- The first catalog tables: enough for the storefront to list products with their prices
-- and a category navigation. The catalog module grows from here.
CREATE TABLE catalog.categories (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id   bigint REFERENCES catalog.categories (id) ON DELETE RESTRICT,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    description text NOT NULL DEFAULT '',
    position    integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX categories_parent_idx ON catalog.categories (parent_id, position);

CREATE TABLE catalog.products (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug            text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description     text NOT NULL DEFAULT '',
    brand           text NOT NULL DEFAULT '',
    status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),
    featured        boolean NOT NULL DEFAULT false,
    seo_title       text NOT NULL DEFAULT '',
    seo_description text NOT NULL DEFAULT '',
    -- Optimistic concurrency for the back-office editor: an edit names the version it saw.
    version         integer NOT NULL DEFAULT 1,
    published_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_storefront_idx ON catalog.products (featured DESC, published_at DESC, id DESC)
    WHERE status = 'active';

CREATE TABLE catalog.variants (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id       bigint NOT NULL REFERENCES catalog.products (id) ON DELETE CASCADE,
    sku              text NOT NULL UNIQUE CHECK (length(sku) BETWEEN 1 AND 64),
    title            text NOT NULL DEFAULT '',
    price_minor      bigint NOT NULL CHECK (price_minor >= 0),
    compare_at_minor bigint CHECK (compare_at_minor IS NULL OR compare_at_minor >= 0),
    currency         char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    weight_grams     integer NOT NULL DEFAULT 0 CHECK (weight_grams >= 0),
    barcode          text NOT NULL DEFAULT '',
    position         integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX variants_product_idx ON catalog.variants (product_id, position);

CREATE TABLE catalog.product_categories (
    product_id  bigint NOT NULL REFERENCES catalog.products (id) ON DELETE CASCADE,
    category_id bigint NOT NULL REFERENCES catalog.categories (id) ON DELETE CASCADE,
    position    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, category_id)
);
CREATE INDEX product_categories_category_idx ON catalog.product_categories (category_id, position);

-- +goose Down
DROP TABLE catalog.product_categories, catalog.variants, catalog.products, catalog.categories;
