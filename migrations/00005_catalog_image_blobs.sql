-- +goose Up
-- Image files are stored once per content: two products showing the same picture (or the
-- same upload twice) share the blobs. An image row names its content by hash.
DROP TABLE catalog.image_files;

ALTER TABLE catalog.images
    -- Set once every size is rendered; the storefront shows only rendered images.
    ADD COLUMN rendered_at timestamptz;

CREATE TABLE catalog.image_blobs (
    hash   text NOT NULL,
    -- 0 is the validated, re-encoded original; others are the rendered widths.
    width  integer NOT NULL CHECK (width >= 0),
    format text NOT NULL CHECK (format IN ('jpeg', 'png', 'webp')),
    data   bytea NOT NULL,
    PRIMARY KEY (hash, width, format)
);
CREATE INDEX images_hash_idx ON catalog.images (hash);

-- +goose Down
DROP TABLE catalog.image_blobs;
ALTER TABLE catalog.images DROP COLUMN rendered_at;
CREATE TABLE catalog.image_files (
    image_id bigint NOT NULL REFERENCES catalog.images (id) ON DELETE CASCADE,
    width    integer NOT NULL,
    format   text NOT NULL,
    mime     text NOT NULL,
    data     bytea NOT NULL,
    PRIMARY KEY (image_id, width, format)
);
