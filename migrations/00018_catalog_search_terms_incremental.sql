-- +goose Up
-- The search vocabulary used to be recounted from the whole catalog on every product
-- save: at 100,000 products that is seconds of work per edit, and saves queued behind one
-- lock. Now each product and each category keeps the words it contributes, and a save
-- applies only the difference between its old and new words.

-- Filling the records of an existing catalog of 100,000 products reads every product's
-- words once, which may take longer than the statement timeout meant for pages; the
-- migration is an operator's one-off, in its own transaction.
SET LOCAL statement_timeout = 0;

-- One row per product the vocabulary counts (active ones); the words repeat as often as
-- they occur, since search_terms.frequency counts occurrences. No foreign key: when a
-- product disappears its words must still be there to be taken away.
CREATE TABLE catalog.product_search_words (
    product_id bigint PRIMARY KEY,
    words      text[] NOT NULL
);

-- Category names count once per category, whatever products they hold.
CREATE TABLE catalog.category_search_words (
    category_id bigint PRIMARY KEY,
    words       text[] NOT NULL
);

-- search_words splits folded text into the vocabulary's words: runs of letters and digits,
-- at least two characters.
-- +goose StatementBegin
CREATE FUNCTION catalog.search_words(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN ARRAY(SELECT w FROM regexp_split_to_table(t, '[^[:alnum:]]+') AS w WHERE length(w) >= 2);
-- +goose StatementEnd

-- product_words is what the vocabulary counts for each given product: title, brand and the
-- title's compounds, option values and attribute values, for active products only. Set
-- based, so a batch of a thousand products is a few index scans.
-- +goose StatementBegin
CREATE FUNCTION catalog.product_words(ids bigint[]) RETURNS TABLE (product_id bigint, words text[])
    LANGUAGE sql STABLE
BEGIN ATOMIC
    WITH texts AS (
        SELECT o.product_id, ov.value AS t
        FROM catalog.options o JOIN catalog.option_values ov ON ov.option_id = o.id
        WHERE o.product_id = ANY (ids)
        UNION ALL
        SELECT a.product_id, a.value FROM catalog.product_attributes a WHERE a.product_id = ANY (ids)
    ),
    extra AS (
        SELECT x.product_id, array_agg(w) AS words
        FROM texts x CROSS JOIN LATERAL unnest(catalog.search_words(catalog.fold(x.t))) AS w
        GROUP BY x.product_id
    )
    SELECT p.id,
        catalog.search_words(catalog.fold(p.title || ' ' || p.brand) || ' ' || catalog.compounds(p.title)) ||
        coalesce(extra.words, '{}')
    FROM catalog.products p LEFT JOIN extra ON extra.product_id = p.id
    WHERE p.id = ANY (ids) AND p.status = 'active';
END;
-- +goose StatementEnd

-- refresh_search keeps its meaning (NULL: every product) but no longer reads the whole
-- catalog for a few products: "ids IS NULL OR id = ANY (ids)" in one statement could not
-- use an index, so every save scanned every product, option and attribute. The whole
-- catalog is now refreshed in batches of the same indexed form.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION catalog.refresh_search(ids bigint[]) RETURNS void
    LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    batch bigint[];
BEGIN
    IF ids IS NULL THEN
        FOR batch IN
            SELECT array_agg(id) FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1) / 5000 AS n FROM catalog.products) b GROUP BY n
        LOOP
            PERFORM catalog.refresh_search(batch);
        END LOOP;
        RETURN;
    END IF;
    WITH RECURSIVE ancestry(product_id, category_id) AS (
        SELECT pc.product_id, pc.category_id
        FROM catalog.product_categories pc
        WHERE pc.product_id = ANY (ids)
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
        WHERE o.product_id = ANY (ids)
        GROUP BY o.product_id
    ),
    attrs AS (
        SELECT a.product_id, string_agg(a.value, ' ') AS vals
        FROM catalog.product_attributes a
        WHERE a.product_id = ANY (ids)
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
    WHERE p.id = p2.id AND p2.id = ANY (ids);
END;
$$;
-- +goose StatementEnd

-- add_search_terms applies the difference between two bags of words to the vocabulary.
-- Terms are written in sorted order, so two saves touching the same words lock them in the
-- same order and wait for each other instead of deadlocking; frequency = frequency + delta
-- means neither loses the other's counts.
-- +goose StatementBegin
CREATE FUNCTION catalog.add_search_terms(old_words text[], new_words text[]) RETURNS void
    LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    changed text[];
BEGIN
    WITH delta AS (
        SELECT w, sum(n) AS n
        FROM (SELECT unnest(old_words) AS w, -1 AS n UNION ALL SELECT unnest(new_words), 1) x
        GROUP BY w
        HAVING sum(n) <> 0
    ),
    upserted AS (
        INSERT INTO catalog.search_terms AS t (term, frequency)
        SELECT w, n FROM delta ORDER BY w
        ON CONFLICT (term) DO UPDATE SET frequency = t.frequency + excluded.frequency
        RETURNING t.term, t.frequency
    )
    SELECT array_agg(term) INTO changed FROM upserted WHERE frequency <= 0;
    IF changed IS NOT NULL THEN
        DELETE FROM catalog.search_terms WHERE term = ANY (changed) AND frequency <= 0;
    END IF;
END;
$$;
-- +goose StatementEnd

-- refresh_search_terms(ids) brings the vocabulary up to date with the given products
-- after they changed (or were deleted).
-- +goose StatementBegin
CREATE FUNCTION catalog.refresh_search_terms(ids bigint[]) RETURNS void
    LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    old_words text[];
    new_words text[];
BEGIN
    -- Hold the products (writers already do) and their word records, in id order, so two
    -- transactions saving one product take turns; each statement below then sees what the
    -- other committed. Saves of different products do not wait for each other here.
    PERFORM 1 FROM catalog.products WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
    PERFORM 1 FROM catalog.product_search_words WHERE product_id = ANY (ids) ORDER BY product_id FOR UPDATE;
    SELECT coalesce(array_agg(w), '{}') INTO old_words
    FROM catalog.product_search_words s CROSS JOIN LATERAL unnest(s.words) AS w
    WHERE s.product_id = ANY (ids);
    DELETE FROM catalog.product_search_words WHERE product_id = ANY (ids);
    INSERT INTO catalog.product_search_words (product_id, words)
    SELECT product_id, words FROM catalog.product_words(ids);
    SELECT coalesce(array_agg(w), '{}') INTO new_words
    FROM catalog.product_search_words s CROSS JOIN LATERAL unnest(s.words) AS w
    WHERE s.product_id = ANY (ids);
    PERFORM catalog.add_search_terms(old_words, new_words);
END;
$$;
-- +goose StatementEnd

-- refresh_category_search_terms recounts the category names (categories are few and
-- change rarely). Writers take turns: each compares against the records the previous one
-- left.
-- +goose StatementBegin
CREATE FUNCTION catalog.refresh_category_search_terms() RETURNS void
    LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    old_words text[];
    new_words text[];
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('catalog.category_search_words'));
    SELECT coalesce(array_agg(w), '{}') INTO old_words
    FROM catalog.category_search_words s CROSS JOIN LATERAL unnest(s.words) AS w;
    DELETE FROM catalog.category_search_words;
    INSERT INTO catalog.category_search_words (category_id, words)
    SELECT c.id, catalog.search_words(catalog.fold(c.name)) FROM catalog.categories c;
    SELECT coalesce(array_agg(w), '{}') INTO new_words
    FROM catalog.category_search_words s CROSS JOIN LATERAL unnest(s.words) AS w;
    PERFORM catalog.add_search_terms(old_words, new_words);
END;
$$;
-- +goose StatementEnd

-- count_search_terms is the vocabulary counted from scratch, the way the full rebuild
-- did: for checking the incremental counts and for repairing them.
-- +goose StatementBegin
CREATE FUNCTION catalog.count_search_terms() RETURNS TABLE (term text, frequency bigint)
    LANGUAGE sql STABLE
BEGIN ATOMIC
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

-- The full rebuild now also rewrites the records, so the increments start from a state
-- that agrees with the vocabulary. It is a repair tool; saves use the incremental form.
DROP FUNCTION catalog.refresh_search_terms();
-- +goose StatementBegin
CREATE FUNCTION catalog.refresh_search_terms() RETURNS void
    LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    batch bigint[];
BEGIN
    LOCK TABLE catalog.product_search_words, catalog.category_search_words IN EXCLUSIVE MODE;
    PERFORM pg_advisory_xact_lock(hashtext('catalog.category_search_words'));
    DELETE FROM catalog.product_search_words;
    FOR batch IN
        SELECT array_agg(id) FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1) / 5000 AS n
                                   FROM catalog.products WHERE status = 'active') b GROUP BY n
    LOOP
        INSERT INTO catalog.product_search_words (product_id, words)
        SELECT product_id, words FROM catalog.product_words(batch);
    END LOOP;
    DELETE FROM catalog.category_search_words;
    INSERT INTO catalog.category_search_words (category_id, words)
    SELECT c.id, catalog.search_words(catalog.fold(c.name)) FROM catalog.categories c;
    DELETE FROM catalog.search_terms;
    INSERT INTO catalog.search_terms (term, frequency)
    SELECT w, count(*) FROM (
        SELECT unnest(words) AS w FROM catalog.product_search_words
        UNION ALL
        SELECT unnest(words) FROM catalog.category_search_words) x
    GROUP BY w;
END;
$$;
-- +goose StatementEnd

SELECT catalog.refresh_search_terms();

-- +goose Down
DROP FUNCTION catalog.refresh_search_terms();
DROP FUNCTION catalog.count_search_terms();
DROP FUNCTION catalog.refresh_category_search_terms();
DROP FUNCTION catalog.refresh_search_terms(bigint[]);
DROP FUNCTION catalog.add_search_terms(text[], text[]);
DROP FUNCTION catalog.product_words(bigint[]);
DROP FUNCTION catalog.search_words(text);
DROP TABLE catalog.category_search_words, catalog.product_search_words;
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
DROP FUNCTION catalog.refresh_search(bigint[]);
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
