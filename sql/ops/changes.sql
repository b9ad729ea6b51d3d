-- one row per loaded partition whose rows can change already-computed as-of dates, until a
-- nightly run recomputes them: the as-of dates it reaches (null: open-ended) and why
create table if not exists ops.changes (
    load_id varchar not null,
    first_as_of_date date,
    last_as_of_date date,
    reason varchar not null
);
