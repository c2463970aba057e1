-- +goose Up
-- A picture is shown for every variant of its product (option_value_id NULL) or for the
-- variants with one option value, "Colour: Orange": shops photograph a colour once, not
-- each size of it. This replaces images.variant_id (a picture of a single variant), which
-- no screen, import or seed ever set: a picture of Orange / M was missing from Orange / L.
ALTER TABLE catalog.images
    ADD COLUMN option_value_id bigint REFERENCES catalog.option_values (id) ON DELETE SET NULL;

-- A picture tied to one variant by hand becomes a picture of that variant's colour when
-- its product has a colour option, else of its value of the product's first option.
UPDATE catalog.images i
SET option_value_id = (
    SELECT vov.option_value_id
    FROM catalog.variant_option_values vov
    JOIN catalog.option_values ov ON ov.id = vov.option_value_id
    JOIN catalog.options o ON o.id = ov.option_id
    WHERE vov.variant_id = i.variant_id
    ORDER BY lower(o.name) IN ('colour', 'color') DESC, o.position, o.id
    LIMIT 1)
WHERE i.variant_id IS NOT NULL;

ALTER TABLE catalog.images DROP COLUMN variant_id;

-- Saving a product's options deletes its values; the foreign key then finds their pictures
-- through this index instead of reading every picture of the shop.
CREATE INDEX images_option_value_idx ON catalog.images (option_value_id) WHERE option_value_id IS NOT NULL;

-- +goose Down
ALTER TABLE catalog.images ADD COLUMN variant_id bigint REFERENCES catalog.variants (id) ON DELETE SET NULL;
DROP INDEX catalog.images_option_value_idx;
ALTER TABLE catalog.images DROP COLUMN option_value_id;
