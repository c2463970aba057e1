-- +goose Up
-- A SKU typed into search is looked up in the database rather than in every replica's
-- memory (1.5 million SKUs at 100,000 products cost ~90 MB per replica). Shoppers type a
-- SKU or its start ("ADI-00042"); text_pattern_ops lets LIKE 'prefix%' use the index
-- whatever the database's collation.
CREATE INDEX variants_sku_prefix_idx ON catalog.variants (lower(sku) text_pattern_ops);

-- +goose Down
DROP INDEX catalog.variants_sku_prefix_idx;
