-- +goose Up
-- The content module's pages: About, Shipping & returns, Privacy, Terms and whatever else
-- staff write. The body is kept as typed (a safe subset of Markdown) and rendered when a
-- page is shown, so a change to the renderer applies to every page at once.
CREATE SCHEMA IF NOT EXISTS content;

CREATE TABLE content.pages (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug       text NOT NULL UNIQUE
               CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    title      text NOT NULL CHECK (title <> '' AND length(title) <= 120),
    body       text NOT NULL DEFAULT '' CHECK (length(body) <= 50000),
    published  boolean NOT NULL DEFAULT false,
    -- Order in the storefront footer: lower first, then by title.
    position   integer NOT NULL DEFAULT 0 CHECK (position BETWEEN 0 AND 10000),
    -- Moves with every save, so an editor saving over a change they never saw is refused.
    version    integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- The footer lists the published pages on every storefront page (read into memory).
CREATE INDEX pages_published_position_idx ON content.pages (position, title) WHERE published;

-- A page's former web addresses: links and bookmarks to them answer 301 to the current
-- one. An address taken by another page (or the same page again) is removed from here.
CREATE TABLE content.page_redirects (
    old_slug   text PRIMARY KEY,
    page_id    bigint NOT NULL REFERENCES content.pages (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX page_redirects_page_idx ON content.page_redirects (page_id);

-- +goose Down
DROP SCHEMA content CASCADE;
