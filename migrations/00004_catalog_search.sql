-- +goose Up
-- Search document and vocabulary maintenance, in SQL so every writer (the back office,
-- CSV import, the demo seed) builds them the same way.

-- compounds lists the hyphenated words of a text with the hyphens removed ("T-Shirt" →
-- "tshirt"), so a shopper typing the word without its hyphen still finds it.
-- +goose StatementBegin
CREATE FUNCTION catalog.compounds(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN coalesce(array_to_string(ARRAY(
        SELECT replace(m[1], '-', '')
        FROM regexp_matches(catalog.fold(t), '([[:alnum:]]+(?:-[[:alnum:]]+)+)', 'g') AS m), ' '), '');
-- +goose StatementEnd

-- refresh_search rebuilds the weighted search document of the given products (all when
-- ids is NULL): A title, B brand and category names (with their ancestors), C description,
-- D option values and attributes. 'english' stems plurals ("shirts" finds "shirt").
-- +goose StatementBegin
CREATE FUNCTION catalog.refresh_search(ids bigint[]) RETURNS void
    LANGUAGE sql VOLATILE
BEGIN ATOMIC
    WITH RECURSIVE ancestry(product_id, category_id) AS (
        SELECT pc.product_id, pc.category_id
        FROM catalog.product_categories pc
        WHERE ids IS NULL OR pc.product_id = ANY (ids)
        UNION
        SELECT a.product_id, c.parent_id
        FROM ancestry a
        JOIN catalog.categories c ON c.id = a.category_id
        WHERE c.parent_id IS NOT NULL
    ),
    cats AS (
        SELECT a.product_id, string_agg(c.name, ' ') AS names
        FROM ancestry a JOIN catalog.categories c ON c.id = a.category_id
        GROUP BY a.product_id
    ),
    opts AS (
        SELECT o.product_id, string_agg(DISTINCT ov.value, ' ') AS vals
        FROM catalog.options o JOIN catalog.option_values ov ON ov.option_id = o.id
        WHERE ids IS NULL OR o.product_id = ANY (ids)
        GROUP BY o.product_id
    ),
    attrs AS (
        SELECT a.product_id, string_agg(a.value, ' ') AS vals
        FROM catalog.product_attributes a
        WHERE ids IS NULL OR a.product_id = ANY (ids)
        GROUP BY a.product_id
    )
    UPDATE catalog.products p SET search_vector =
        setweight(to_tsvector('english', catalog.fold(p.title) || ' ' || catalog.compounds(p.title)), 'A') ||
        setweight(to_tsvector('english', catalog.fold(p.brand || ' ' || coalesce(cats.names, ''))), 'B') ||
        setweight(to_tsvector('english', catalog.fold(p.description)), 'C') ||
        setweight(to_tsvector('english', catalog.fold(coalesce(opts.vals, '') || ' ' || coalesce(attrs.vals, ''))), 'D')
    FROM catalog.products p2
    LEFT JOIN cats ON cats.product_id = p2.id
    LEFT JOIN opts ON opts.product_id = p2.id
    LEFT JOIN attrs ON attrs.product_id = p2.id
    WHERE p.id = p2.id AND (ids IS NULL OR p2.id = ANY (ids));
END;
-- +goose StatementEnd

-- refresh_search_terms rebuilds the vocabulary from what the storefront shows: titles,
-- brands, category names, option values and attributes of active products.
-- +goose StatementBegin
CREATE FUNCTION catalog.refresh_search_terms() RETURNS void
    LANGUAGE sql VOLATILE
BEGIN ATOMIC
    DELETE FROM catalog.search_terms;
    INSERT INTO catalog.search_terms (term, frequency)
    SELECT w, count(*)
    FROM (
        SELECT regexp_split_to_table(catalog.fold(p.title || ' ' || p.brand) || ' ' || catalog.compounds(p.title), '[^[:alnum:]]+') AS w
        FROM catalog.products p WHERE p.status = 'active'
        UNION ALL
        SELECT regexp_split_to_table(catalog.fold(c.name), '[^[:alnum:]]+') FROM catalog.categories c
        UNION ALL
        SELECT regexp_split_to_table(catalog.fold(ov.value), '[^[:alnum:]]+')
        FROM catalog.option_values ov
        JOIN catalog.options o ON o.id = ov.option_id
        JOIN catalog.products p ON p.id = o.product_id AND p.status = 'active'
        UNION ALL
        SELECT regexp_split_to_table(catalog.fold(a.value), '[^[:alnum:]]+')
        FROM catalog.product_attributes a
        JOIN catalog.products p ON p.id = a.product_id AND p.status = 'active'
    ) words
    WHERE length(w) >= 2
    GROUP BY w;
END;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION catalog.refresh_search_terms();
DROP FUNCTION catalog.refresh_search(bigint[]);
DROP FUNCTION catalog.compounds(text);
