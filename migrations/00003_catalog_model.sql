-- +goose Up
-- The full catalog model: options and variants, filterable attributes, images, slug
-- history, and the search document.

-- Both extensions are "trusted" since PostgreSQL 13, so the shop's own role may create them.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- fold is how every piece of text is compared in search: lower case, accents removed.
-- unaccent() itself is only STABLE (it reads a dictionary); naming the dictionary makes the
-- result depend on the input alone, which lets indexes use it.
-- +goose StatementBegin
CREATE FUNCTION catalog.fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, t));
-- +goose StatementEnd

ALTER TABLE catalog.products
    ADD CONSTRAINT products_description_len CHECK (length(description) <= 20000),
    ADD CONSTRAINT products_brand_len CHECK (length(brand) <= 120),
    -- Weighted search document: A title, B brand and categories, C description, D options
    -- and attributes. Kept up to date by the catalog service in the writing transaction.
    ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''::tsvector;
CREATE INDEX products_search_idx ON catalog.products USING gin (search_vector);
CREATE INDEX products_brand_idx ON catalog.products (brand);

-- A renamed product keeps answering its old URLs with a redirect.
CREATE TABLE catalog.product_slug_redirects (
    old_slug   text PRIMARY KEY,
    product_id bigint NOT NULL REFERENCES catalog.products (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX product_slug_redirects_product_idx ON catalog.product_slug_redirects (product_id);

CREATE TABLE catalog.category_slug_redirects (
    old_slug    text PRIMARY KEY,
    category_id bigint NOT NULL REFERENCES catalog.categories (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE catalog.categories
    ADD COLUMN seo_title text NOT NULL DEFAULT '',
    ADD COLUMN seo_description text NOT NULL DEFAULT '',
    ADD COLUMN featured boolean NOT NULL DEFAULT false;

-- Options (Size, Color) and their values; a variant picks one value per option.
CREATE TABLE catalog.options (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id bigint NOT NULL REFERENCES catalog.products (id) ON DELETE CASCADE,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    position   integer NOT NULL DEFAULT 0,
    UNIQUE (product_id, name)
);

CREATE TABLE catalog.option_values (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    option_id bigint NOT NULL REFERENCES catalog.options (id) ON DELETE CASCADE,
    value     text NOT NULL CHECK (length(value) BETWEEN 1 AND 60),
    position  integer NOT NULL DEFAULT 0,
    UNIQUE (option_id, value)
);

CREATE TABLE catalog.variant_option_values (
    variant_id      bigint NOT NULL REFERENCES catalog.variants (id) ON DELETE CASCADE,
    option_value_id bigint NOT NULL REFERENCES catalog.option_values (id) ON DELETE CASCADE,
    PRIMARY KEY (variant_id, option_value_id)
);
CREATE INDEX variant_option_values_value_idx ON catalog.variant_option_values (option_value_id);

ALTER TABLE catalog.variants
    ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    ADD CONSTRAINT variants_barcode_len CHECK (length(barcode) <= 64);
CREATE INDEX variants_sku_fold_idx ON catalog.variants (lower(sku));

-- Filterable attributes beyond brand and options (Material, Fit, ...).
CREATE TABLE catalog.product_attributes (
    product_id bigint NOT NULL REFERENCES catalog.products (id) ON DELETE CASCADE,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    value      text NOT NULL CHECK (length(value) BETWEEN 1 AND 120),
    PRIMARY KEY (product_id, name)
);

-- Images: the original (validated, re-encoded) and its rendered sizes live in Postgres so
-- replicas share them without a shared disk.
CREATE TABLE catalog.images (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id  bigint NOT NULL REFERENCES catalog.products (id) ON DELETE CASCADE,
    variant_id  bigint REFERENCES catalog.variants (id) ON DELETE SET NULL,
    position    integer NOT NULL DEFAULT 0,
    alt         text NOT NULL DEFAULT '' CHECK (length(alt) <= 300),
    width       integer NOT NULL CHECK (width > 0),
    height      integer NOT NULL CHECK (height > 0),
    -- Content hash of the original: part of every URL, so URLs are immutable.
    hash        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX images_product_idx ON catalog.images (product_id, position);

CREATE TABLE catalog.image_files (
    image_id bigint NOT NULL REFERENCES catalog.images (id) ON DELETE CASCADE,
    -- 0 is the original; others are the rendered widths.
    width    integer NOT NULL,
    format   text NOT NULL CHECK (format IN ('original', 'jpeg', 'webp', 'png', 'gif')),
    mime     text NOT NULL,
    data     bytea NOT NULL,
    PRIMARY KEY (image_id, width, format)
);

-- Search vocabulary: every word the catalog uses, for "did you mean" and typo correction
-- with trigram similarity.
CREATE TABLE catalog.search_terms (
    term      text PRIMARY KEY,
    frequency integer NOT NULL DEFAULT 1
);
CREATE INDEX search_terms_trgm_idx ON catalog.search_terms USING gin (term gin_trgm_ops);

-- +goose Down
DROP TABLE catalog.search_terms, catalog.image_files, catalog.images, catalog.product_attributes,
    catalog.variant_option_values, catalog.option_values, catalog.options,
    catalog.category_slug_redirects, catalog.product_slug_redirects;
ALTER TABLE catalog.variants DROP COLUMN status, DROP CONSTRAINT variants_barcode_len;
ALTER TABLE catalog.categories DROP COLUMN seo_title, DROP COLUMN seo_description, DROP COLUMN featured;
ALTER TABLE catalog.products DROP COLUMN search_vector, DROP CONSTRAINT products_description_len,
    DROP CONSTRAINT products_brand_len;
DROP FUNCTION catalog.fold(text);
