-- +goose Up
-- Each variant carries its option values as an array, kept by triggers on the link table.
-- The storefront reads every variant when a replica starts (1.5 million at 100,000
-- products); gathering each one's values from the link table took that read an index probe
-- per variant, about half of the database's work in it. The link table stays the source
-- of truth that constraints and the back office use; the array is a copy for reading.
ALTER TABLE catalog.variants ADD COLUMN option_value_ids bigint[] NOT NULL DEFAULT '{}';

UPDATE catalog.variants v SET option_value_ids = x.ids
FROM (SELECT variant_id, array_agg(option_value_id ORDER BY option_value_id) AS ids
      FROM catalog.variant_option_values GROUP BY variant_id) x
WHERE x.variant_id = v.id;

-- One statement (a COPY of thousands of rows from the seed or an import batch) refreshes
-- each variant it touched once.
-- +goose StatementBegin
CREATE FUNCTION catalog.refresh_variant_option_value_ids(variant_ids bigint[]) RETURNS void
    LANGUAGE sql VOLATILE
AS $$
    UPDATE catalog.variants v
    SET option_value_ids = coalesce((SELECT array_agg(vov.option_value_id ORDER BY vov.option_value_id)
                                     FROM catalog.variant_option_values vov
                                     WHERE vov.variant_id = v.id), '{}')
    WHERE v.id = ANY (variant_ids);
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION catalog.variant_option_values_touched() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM catalog.refresh_variant_option_value_ids(ARRAY(SELECT DISTINCT variant_id FROM touched));
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION catalog.variant_option_values_moved() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM catalog.refresh_variant_option_value_ids(
        ARRAY(SELECT variant_id FROM removed UNION SELECT variant_id FROM added));
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- Postgres allows one event per trigger with transition tables, hence three.
CREATE TRIGGER variant_option_values_added AFTER INSERT ON catalog.variant_option_values
    REFERENCING NEW TABLE AS touched FOR EACH STATEMENT EXECUTE FUNCTION catalog.variant_option_values_touched();
CREATE TRIGGER variant_option_values_removed AFTER DELETE ON catalog.variant_option_values
    REFERENCING OLD TABLE AS touched FOR EACH STATEMENT EXECUTE FUNCTION catalog.variant_option_values_touched();
CREATE TRIGGER variant_option_values_moved AFTER UPDATE ON catalog.variant_option_values
    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION catalog.variant_option_values_moved();

-- +goose Down
DROP TRIGGER variant_option_values_moved ON catalog.variant_option_values;
DROP TRIGGER variant_option_values_removed ON catalog.variant_option_values;
DROP TRIGGER variant_option_values_added ON catalog.variant_option_values;
DROP FUNCTION catalog.variant_option_values_moved();
DROP FUNCTION catalog.variant_option_values_touched();
DROP FUNCTION catalog.refresh_variant_option_value_ids(bigint[]);
ALTER TABLE catalog.variants DROP COLUMN option_value_ids;
