-- every Parquet file a publish wrote under the published folder, until it is removed: the mart
-- it holds, for which as-of date (null: the whole table), and when no published file named it
-- any more (null while one does)
create table if not exists ops.published_files (
    mart varchar not null,
    as_of_date date,
    path varchar not null,
    published_at timestamp not null,
    retired_at timestamp
);
-- as-of dates computed into the warehouse but not yet published (a publish clears them)
create table if not exists ops.unpublished_dates (
    as_of_date date primary key
);
