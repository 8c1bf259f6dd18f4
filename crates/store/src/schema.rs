//! The database schema, as numbered migrations. `PRAGMA user_version` records how many have
//! run; opening a store runs the rest in one transaction. Never edit a released migration:
//! add the next one.

/// The migrations, in order. Migration `i` brings `user_version` from `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: articles, events, de-duplication tables, full-text index.
    r#"
    CREATE TABLE articles (
        id            INTEGER PRIMARY KEY,
        key           TEXT NOT NULL UNIQUE,      -- article.id: hash of the folded body text
        url           TEXT,
        origin        TEXT NOT NULL,             -- file, file:line, feed#item …
        title         TEXT,
        published     TEXT,
        outlet        TEXT,
        language      TEXT NOT NULL,
        section       TEXT,
        author        TEXT,
        text          TEXT NOT NULL,
        copy_of       INTEGER REFERENCES articles(id),
        record        TEXT NOT NULL              -- the whole rasd record, JSON
    );
    CREATE UNIQUE INDEX articles_by_url ON articles(url) WHERE url IS NOT NULL;

    CREATE TABLE article_bands (                 -- MinHash LSH bands, for near-duplicate lookup
        band          INTEGER NOT NULL,
        hash          INTEGER NOT NULL,
        article_id    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
    );
    CREATE INDEX article_bands_by_hash ON article_bands(band, hash);
    CREATE TABLE article_signatures (
        article_id    INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        signature     BLOB NOT NULL
    );

    CREATE TABLE events (
        id            INTEGER PRIMARY KEY,
        article_id    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        local_id      TEXT NOT NULL,             -- e1, e2 … within the article
        cluster_id    INTEGER NOT NULL,          -- the id of the cluster's first event
        event_type    TEXT NOT NULL,
        sub_event_type TEXT NOT NULL,
        status        TEXT NOT NULL,
        date_start    TEXT NOT NULL,
        date_end      TEXT NOT NULL,
        precision     INTEGER NOT NULL,
        location      TEXT,
        admin1        TEXT,
        admin2        TEXT,
        country       TEXT,
        iso3          TEXT,
        lat           REAL,
        lon           REAL,
        geo_precision INTEGER,
        actor1        TEXT,
        actor2        TEXT,
        fatalities    INTEGER,
        injured       INTEGER,
        outlet        TEXT,
        event         TEXT NOT NULL              -- the event as in the record, JSON
    );
    CREATE INDEX events_by_cluster ON events(cluster_id);
    CREATE INDEX events_by_type_date ON events(sub_event_type, date_start, date_end);
    CREATE INDEX events_by_article ON events(article_id);

    CREATE VIRTUAL TABLE events_fts USING fts5(words, tokenize = 'unicode61 remove_diacritics 2');
    "#,
    // 2: partial indexes over each cluster's first report (the row queries filter and page
    // by), so counting and paging stay index-only on large stores.
    r#"
    CREATE INDEX heads_by_date ON events(date_start, event_type) WHERE id = cluster_id;
    CREATE INDEX heads_by_type ON events(event_type COLLATE NOCASE, date_start) WHERE id = cluster_id;
    CREATE INDEX heads_by_admin1 ON events(admin1 COLLATE NOCASE, date_start) WHERE id = cluster_id;
    "#,
];
