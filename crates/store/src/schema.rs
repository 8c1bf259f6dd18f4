//! The database schema, as numbered migrations, one list per engine. SQLite's `PRAGMA
//! user_version` (PostgreSQL: the table `rasd_schema`) records how many have run; opening a
//! store runs the rest in one transaction, under the write lock. Never edit a released
//! migration: add the next one.
//!
//! The PostgreSQL schema starts where SQLite's fifth migration ends; its text columns compare
//! byte by byte (`COLLATE "C"`, as SQLite does), so both engines sort and match alike.

use crate::engine::{params, Dialect, Engine};
use crate::{current_versions, StoreError};

/// The statement that writes the summary row of every cluster (its first report `e`), given how the engine spells `$sources`, the JSON array of
/// the cluster's outlets in the order they first reported it. The migrations that create the
/// `clusters` table fill it with this statement, and each batch refreshes the clusters it
/// touched with it, so both summarise alike.
macro_rules! summarize_clusters {
    ($sources:expr) => {
        concat!(
            "INSERT INTO clusters (id, event_type, sub_event_type, status, date_start, date_end, precision, location, \
             location_ar, admin1, country, lat, lon, geo_precision, actor1, actor2, article_id, evidence, confidence, \
             fatalities, reports, sources) \
             SELECT e.id, e.event_type, e.sub_event_type, e.status, e.date_start, e.date_end, e.precision, e.location, \
             e.location_ar, e.admin1, e.country, e.lat, e.lon, e.geo_precision, e.actor1, e.actor2, e.article_id, \
             e.evidence, e.confidence, \
             (SELECT min(r.fatalities) FROM events r WHERE r.cluster_id = e.id), \
             (SELECT count(*) FROM events r WHERE r.cluster_id = e.id), \
             (SELECT ",
            $sources,
            " FROM (SELECT r.outlet, min(r.id) AS first FROM events r \
             WHERE r.cluster_id = e.id AND r.outlet IS NOT NULL GROUP BY r.outlet) o) \
             FROM events e WHERE e.id = e.cluster_id"
        )
    };
}

/// SQLite's spelling of the outlets' array in [`summarize_clusters`].
macro_rules! sqlite_sources {
    () => {
        "json_group_array(o.outlet ORDER BY o.first)"
    };
}

/// PostgreSQL's spelling of the outlets' array in [`summarize_clusters`].
macro_rules! postgres_sources {
    () => {
        "coalesce(json_agg(o.outlet ORDER BY o.first), '[]')::text"
    };
}

/// Rewrites the summary rows and search words of the clusters whose ids are the list parameter
/// `?1` (a cluster that no longer exists, merged or emptied, loses its rows).
pub(crate) fn refresh_clusters(db: &mut dyn Engine, ids: Vec<i64>) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    let dialect = db.dialect();
    let ids = [crate::engine::Value::Ints(ids)];
    db.execute(&format!("DELETE FROM clusters WHERE {}", dialect.in_ids("id", "?1")), &ids)?;
    let summarize = match dialect {
        Dialect::Sqlite => summarize_clusters!(sqlite_sources!()),
        Dialect::Postgres => summarize_clusters!(postgres_sources!()),
    };
    db.execute(&format!("{summarize} AND {}", dialect.in_ids("e.id", "?1")), &ids)?;
    db.execute(&format!("DELETE FROM clusters_fts WHERE {}", dialect.in_ids("rowid", "?1")), &ids)?;
    // PostgreSQL's rows keep the cluster's first day beside its words (clusters_fts_by_date).
    let words = match dialect {
        Dialect::Sqlite => {
            "(rowid, words) SELECT e.cluster_id, group_concat(f.words, ' ') \
             FROM events e JOIN events_fts f ON f.rowid = e.id"
        }
        Dialect::Postgres => {
            "(rowid, date_start, words) SELECT e.cluster_id, min(c.date_start), \
             array_to_tsvector(array_agg(DISTINCT w.lexeme)) FROM events e JOIN clusters c ON c.id = e.cluster_id \
             JOIN events_fts f ON f.rowid = e.id CROSS JOIN LATERAL unnest(f.words) AS w"
        }
    };
    db.execute(
        &format!(
            "INSERT INTO clusters_fts {words} WHERE {} GROUP BY e.cluster_id",
            dialect.in_ids("e.cluster_id", "?1")
        ),
        &ids,
    )?;
    Ok(())
}

/// The SQLite migrations, in order. Migration `i` brings `user_version` from `i` to `i + 1`.
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
    // 2: the event's JSON moves out of `events` into `event_docs`, so that `events` rows are
    // small and a filter no index serves scans a few MB, not every event's record; partial
    // indexes over each cluster's first report (the row queries filter, count, group and page
    // by), collated as the queries compare, with both ends of the date window and the cluster
    // id so that filtering and counting read the index alone.
    r#"
    CREATE TABLE event_docs (
        event_id      INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
        event         TEXT NOT NULL              -- the event as in the record, JSON
    );
    INSERT INTO event_docs (event_id, event) SELECT id, event FROM events;
    ALTER TABLE events DROP COLUMN event;
    ALTER TABLE events ADD COLUMN published TEXT;  -- the article's, so reading a cluster needs no article
    UPDATE events SET published = (SELECT a.published FROM articles a WHERE a.id = events.article_id);
    CREATE INDEX heads_by_date ON events(date_start, event_type COLLATE NOCASE, date_end, status COLLATE NOCASE, cluster_id)
        WHERE id = cluster_id;
    CREATE INDEX heads_by_type ON events(event_type COLLATE NOCASE, date_start, date_end, cluster_id) WHERE id = cluster_id;
    CREATE INDEX heads_by_sub_type ON events(sub_event_type COLLATE NOCASE, date_start, date_end, cluster_id)
        WHERE id = cluster_id;
    CREATE INDEX heads_by_admin1 ON events(admin1 COLLATE NOCASE, date_start, date_end, cluster_id) WHERE id = cluster_id;
    CREATE INDEX heads_by_status ON events(status COLLATE NOCASE, date_start, date_end, cluster_id) WHERE id = cluster_id;
    CREATE INDEX articles_copies ON articles(copy_of) WHERE copy_of IS NOT NULL;
    "#,
    // 3: the event's confidence as a column, for `--min-confidence` / `?min_confidence=`.
    r#"
    ALTER TABLE events ADD COLUMN confidence REAL;
    UPDATE events SET confidence = (SELECT json_extract(d.event, '$.confidence') FROM event_docs d WHERE d.event_id = events.id);
    "#,
    // 4: the versions of the text folding and the record format the stored data was made with
    // (keys, search words and signatures derive from folded text; records have a format). A
    // store made before this migration was made with version 1 of both. A new store records
    // the versions of the rasd that creates it (`Store::setup`).
    r#"
    CREATE TABLE rasd_versions (
        name          TEXT PRIMARY KEY,          -- folding, format
        version       INTEGER NOT NULL
    );
    INSERT INTO rasd_versions (name, version) VALUES ('folding', 1), ('format', 1);
    "#,
    // 5: `rasd watch`: the state of each watched source (validators, failures, when it is due),
    // the items it brought in per day, the alert rules, and the alerts queued and delivered (one
    // row per rule, cluster, toll and destination). Origins are indexed: a folder source skips files it stored.
    r#"
    CREATE TABLE sources (
        name          TEXT PRIMARY KEY,
        url           TEXT NOT NULL,
        kind          TEXT NOT NULL,             -- feed, index, sitemap, folder
        etag          TEXT,
        last_modified TEXT,
        last_poll     TEXT,                      -- RFC 3339, UTC
        last_success  TEXT,
        last_error    TEXT,
        failures      INTEGER NOT NULL DEFAULT 0, -- consecutive
        next_due      TEXT,
        items         INTEGER NOT NULL DEFAULT 0  -- articles stored from it, in all
    );
    CREATE TABLE source_days (
        source        TEXT NOT NULL,
        day           TEXT NOT NULL,
        items         INTEGER NOT NULL,
        PRIMARY KEY (source, day)
    );
    CREATE TABLE alerts (
        id            INTEGER PRIMARY KEY,
        rule          TEXT NOT NULL,
        destination   TEXT NOT NULL,             -- stdout, file:PATH, webhook:URL
        cluster_id    INTEGER NOT NULL,
        fingerprint   TEXT NOT NULL,             -- sub-event type, place and first day: the same event
        fatalities    INTEGER,                   --   when reports of it did not cluster together
        reason        TEXT NOT NULL,             -- new, toll
        payload       TEXT NOT NULL,             -- the alert, JSON
        created       TEXT NOT NULL,
        status        TEXT NOT NULL,             -- pending, sent, failed
        attempts      INTEGER NOT NULL DEFAULT 0,
        next_try      TEXT,
        last_error    TEXT,
        sent          TEXT
    );
    CREATE TABLE alert_rules (                   -- the rules of the last `rasd watch`, for `rasd serve`
        name          TEXT PRIMARY KEY,
        rule          TEXT NOT NULL              -- the rule as configured, JSON
    );
    CREATE INDEX alerts_by_rule ON alerts(rule, cluster_id);
    CREATE INDEX alerts_by_fingerprint ON alerts(rule, fingerprint);
    CREATE INDEX alerts_open ON alerts(status, next_try) WHERE status = 'pending';
    CREATE INDEX articles_by_origin ON articles(origin);
    "#,
    // 6: the evidence sentence and the Arabic place name as columns, so that a cluster's summary
    // (the API's lists and the map's markers) is read from its rows without parsing any event's
    // JSON; indexes for the actor filter.
    r#"
    ALTER TABLE events ADD COLUMN evidence TEXT;
    ALTER TABLE events ADD COLUMN location_ar TEXT;
    UPDATE events SET
        evidence = (SELECT json_extract(d.event, '$.evidence.text') FROM event_docs d WHERE d.event_id = events.id),
        location_ar = (SELECT json_extract(d.event, '$.location.name_ar') FROM event_docs d WHERE d.event_id = events.id);
    -- The actor filter (`--actor`, `?actor=` resolved to canonical names) by index, not by scan.
    CREATE INDEX heads_by_actor1 ON events(lower(actor1)) WHERE id = cluster_id;
    CREATE INDEX heads_by_actor2 ON events(lower(actor2)) WHERE id = cluster_id;
    "#,
    // 7: one summary row per cluster (its first report's reading, the lowest toll, the number of
    // reports and the outlets), written with each batch: lists, counts, stats and the map read
    // one small row per cluster with indexes made for them, instead of finding each cluster's
    // first report among all events. The partial indexes over first reports go.
    concat!(
        r#"
    CREATE TABLE clusters (
        id            INTEGER PRIMARY KEY,       -- the first report's event id (events.cluster_id)
        event_type    TEXT NOT NULL,
        sub_event_type TEXT NOT NULL,
        status        TEXT NOT NULL,
        date_start    TEXT NOT NULL,
        date_end      TEXT NOT NULL,
        precision     INTEGER NOT NULL,
        location      TEXT,
        location_ar   TEXT,
        admin1        TEXT,
        country       TEXT,
        lat           REAL,
        lon           REAL,
        geo_precision INTEGER,
        actor1        TEXT,
        actor2        TEXT,
        article_id    INTEGER NOT NULL,
        evidence      TEXT,
        confidence    REAL,
        fatalities    INTEGER,                   -- the lowest toll any report gives
        reports       INTEGER NOT NULL,
        sources       TEXT NOT NULL              -- JSON array of outlets, in the order they reported it
    );
    "#,
        summarize_clusters!(sqlite_sources!()),
        r#";
    CREATE INDEX clusters_by_date ON clusters(date_start, id);
    CREATE INDEX clusters_by_type ON clusters(event_type COLLATE NOCASE, date_start, id);
    CREATE INDEX clusters_by_sub_type ON clusters(sub_event_type COLLATE NOCASE, date_start, id);
    CREATE INDEX clusters_by_admin1 ON clusters(admin1 COLLATE NOCASE, date_start, id);
    CREATE INDEX clusters_by_status ON clusters(status COLLATE NOCASE, date_start, id);
    CREATE INDEX clusters_by_actor1 ON clusters(lower(actor1));
    CREATE INDEX clusters_by_actor2 ON clusters(lower(actor2));
    CREATE INDEX clusters_by_place ON clusters(lat, lon);
    -- Stats read this alone, in the order they group by.
    CREATE INDEX clusters_for_stats ON clusters(date_start, event_type COLLATE NOCASE, admin1 COLLATE NOCASE,
        status COLLATE NOCASE, date_end);
    -- Full-text hits (event ids) to their clusters without reading the events' wide rows.
    CREATE INDEX events_cluster_of ON events(id, cluster_id);
    DROP INDEX heads_by_date;
    DROP INDEX heads_by_type;
    DROP INDEX heads_by_sub_type;
    DROP INDEX heads_by_admin1;
    DROP INDEX heads_by_status;
    DROP INDEX heads_by_actor1;
    DROP INDEX heads_by_actor2;
    ANALYZE;
    "#
    ),
    // 8: the map's markers read from one index alone: the date order with every column a marker
    // shows (5,000 markers of a million clusters: a few ms, not one row lookup each).
    r#"
    CREATE INDEX clusters_for_markers ON clusters(date_start, id, event_type, sub_event_type, status, date_end,
        location, location_ar, admin1, fatalities, lon, lat);
    DROP INDEX clusters_by_date;
    "#,
    // 9: the search words of each cluster (its reports' together), so that a text filter finds
    // clusters, not events it must then map to their clusters.
    r#"
    CREATE VIRTUAL TABLE clusters_fts USING fts5(words, tokenize = 'unicode61 remove_diacritics 2');
    INSERT INTO clusters_fts (rowid, words)
        SELECT e.cluster_id, group_concat(f.words, ' ') FROM events e JOIN events_fts f ON f.rowid = e.id
        GROUP BY e.cluster_id;
    DROP INDEX events_cluster_of;
    "#,
];

/// The PostgreSQL migrations, in order.
pub(crate) const POSTGRES_MIGRATIONS: &[&str] = &[
    // 1: everything of SQLite's migrations 1-5, plus the change counter behind `data_version`,
    // the distance function of `near` queries, and indexes for the actor filter.
    r#"
    CREATE TABLE rasd_schema (version BIGINT NOT NULL);
    CREATE TABLE rasd_versions (name TEXT COLLATE "C" PRIMARY KEY, version BIGINT NOT NULL);
    INSERT INTO rasd_versions (name, version) VALUES ('folding', 1), ('format', 1);
    CREATE TABLE rasd_changes (n BIGINT NOT NULL);
    INSERT INTO rasd_changes (n) VALUES (0);

    CREATE TABLE articles (
        id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        key           TEXT COLLATE "C" NOT NULL UNIQUE,
        url           TEXT COLLATE "C",
        origin        TEXT COLLATE "C" NOT NULL,
        title         TEXT COLLATE "C",
        published     TEXT COLLATE "C",
        outlet        TEXT COLLATE "C",
        language      TEXT COLLATE "C" NOT NULL,
        section       TEXT COLLATE "C",
        author        TEXT COLLATE "C",
        text          TEXT NOT NULL,
        copy_of       BIGINT REFERENCES articles(id),
        record        TEXT NOT NULL
    );
    CREATE UNIQUE INDEX articles_by_url ON articles(url) WHERE url IS NOT NULL;
    CREATE INDEX articles_copies ON articles(copy_of) WHERE copy_of IS NOT NULL;
    CREATE INDEX articles_by_origin ON articles(origin);
    CREATE INDEX articles_by_published ON articles(published DESC NULLS LAST, id DESC);

    CREATE TABLE article_bands (
        band          BIGINT NOT NULL,
        hash          BIGINT NOT NULL,
        article_id    BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
    );
    CREATE INDEX article_bands_by_hash ON article_bands(band, hash);
    CREATE INDEX article_bands_by_article ON article_bands(article_id);
    CREATE TABLE article_signatures (
        article_id    BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        signature     BYTEA NOT NULL
    );

    CREATE TABLE events (
        id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        article_id    BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        local_id      TEXT COLLATE "C" NOT NULL,
        cluster_id    BIGINT NOT NULL,
        event_type    TEXT COLLATE "C" NOT NULL,
        sub_event_type TEXT COLLATE "C" NOT NULL,
        status        TEXT COLLATE "C" NOT NULL,
        date_start    TEXT COLLATE "C" NOT NULL,
        date_end      TEXT COLLATE "C" NOT NULL,
        precision     BIGINT NOT NULL,
        location      TEXT COLLATE "C",
        admin1        TEXT COLLATE "C",
        admin2        TEXT COLLATE "C",
        country       TEXT COLLATE "C",
        iso3          TEXT COLLATE "C",
        lat           DOUBLE PRECISION,
        lon           DOUBLE PRECISION,
        geo_precision BIGINT,
        actor1        TEXT COLLATE "C",
        actor2        TEXT COLLATE "C",
        fatalities    BIGINT,
        injured       BIGINT,
        outlet        TEXT COLLATE "C",
        published     TEXT COLLATE "C",
        confidence    DOUBLE PRECISION
    );
    CREATE INDEX events_by_cluster ON events(cluster_id);
    CREATE INDEX events_by_type_date ON events(sub_event_type, date_start, date_end);
    CREATE INDEX events_by_article ON events(article_id);
    CREATE INDEX heads_by_date ON events(date_start, id) WHERE id = cluster_id;
    CREATE INDEX heads_by_type ON events(lower(event_type), date_start) WHERE id = cluster_id;
    CREATE INDEX heads_by_sub_type ON events(lower(sub_event_type), date_start) WHERE id = cluster_id;
    CREATE INDEX heads_by_admin1 ON events(lower(admin1), date_start) WHERE id = cluster_id;
    CREATE INDEX heads_by_status ON events(lower(status), date_start) WHERE id = cluster_id;
    CREATE INDEX heads_by_actor1 ON events(lower(actor1)) WHERE id = cluster_id;
    CREATE INDEX heads_by_actor2 ON events(lower(actor2)) WHERE id = cluster_id;
    CREATE INDEX heads_by_place ON events(lat, lon) WHERE id = cluster_id;

    CREATE TABLE event_docs (
        event_id      BIGINT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
        event         TEXT NOT NULL
    );
    CREATE TABLE events_fts (
        rowid         BIGINT PRIMARY KEY,        -- the event's id
        words         TSVECTOR NOT NULL          -- its folded search words ('simple': no stemming)
    );
    CREATE INDEX events_fts_words ON events_fts USING gin(words);

    CREATE FUNCTION rasd_km(lat1 DOUBLE PRECISION, lon1 DOUBLE PRECISION, lat2 DOUBLE PRECISION, lon2 DOUBLE PRECISION)
    RETURNS DOUBLE PRECISION LANGUAGE sql IMMUTABLE AS $$
        SELECT 2 * 6371.0 * asin(least(1.0, sqrt(power(sin(radians(lat2 - lat1) / 2), 2)
            + cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2))))
    $$;

    CREATE TABLE sources (
        name          TEXT COLLATE "C" PRIMARY KEY,
        url           TEXT NOT NULL,
        kind          TEXT NOT NULL,
        etag          TEXT,
        last_modified TEXT,
        last_poll     TEXT,
        last_success  TEXT,
        last_error    TEXT,
        failures      BIGINT NOT NULL DEFAULT 0,
        next_due      TEXT,
        items         BIGINT NOT NULL DEFAULT 0
    );
    CREATE TABLE source_days (
        source        TEXT COLLATE "C" NOT NULL,
        day           TEXT COLLATE "C" NOT NULL,
        items         BIGINT NOT NULL,
        PRIMARY KEY (source, day)
    );
    CREATE TABLE alerts (
        id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        rule          TEXT COLLATE "C" NOT NULL,
        destination   TEXT NOT NULL,
        cluster_id    BIGINT NOT NULL,
        fingerprint   TEXT COLLATE "C" NOT NULL,
        fatalities    BIGINT,
        reason        TEXT NOT NULL,
        payload       TEXT NOT NULL,
        created       TEXT NOT NULL,
        status        TEXT COLLATE "C" NOT NULL,
        attempts      BIGINT NOT NULL DEFAULT 0,
        next_try      TEXT COLLATE "C",
        last_error    TEXT,
        sent          TEXT
    );
    CREATE TABLE alert_rules (
        name          TEXT COLLATE "C" PRIMARY KEY,
        rule          TEXT NOT NULL
    );
    CREATE INDEX alerts_by_rule ON alerts(rule, cluster_id);
    CREATE INDEX alerts_by_fingerprint ON alerts(rule, fingerprint);
    CREATE INDEX alerts_open ON alerts(status, next_try) WHERE status = 'pending';
    "#,
    // 2: as SQLite's 6: the evidence sentence and the Arabic place name as columns.
    r#"
    ALTER TABLE events ADD COLUMN evidence TEXT, ADD COLUMN location_ar TEXT COLLATE "C";
    UPDATE events e SET evidence = d.event::jsonb -> 'evidence' ->> 'text',
        location_ar = d.event::jsonb -> 'location' ->> 'name_ar'
        FROM event_docs d WHERE d.event_id = e.id;
    "#,
    // 3: as SQLite's 7: one summary row per cluster, and its indexes.
    concat!(
        r#"
    CREATE TABLE clusters (
        id            BIGINT PRIMARY KEY,
        event_type    TEXT COLLATE "C" NOT NULL,
        sub_event_type TEXT COLLATE "C" NOT NULL,
        status        TEXT COLLATE "C" NOT NULL,
        date_start    TEXT COLLATE "C" NOT NULL,
        date_end      TEXT COLLATE "C" NOT NULL,
        precision     BIGINT NOT NULL,
        location      TEXT COLLATE "C",
        location_ar   TEXT COLLATE "C",
        admin1        TEXT COLLATE "C",
        country       TEXT COLLATE "C",
        lat           DOUBLE PRECISION,
        lon           DOUBLE PRECISION,
        geo_precision BIGINT,
        actor1        TEXT COLLATE "C",
        actor2        TEXT COLLATE "C",
        article_id    BIGINT NOT NULL,
        evidence      TEXT,
        confidence    DOUBLE PRECISION,
        fatalities    BIGINT,
        reports       BIGINT NOT NULL,
        sources       TEXT NOT NULL
    );
    "#,
        summarize_clusters!(postgres_sources!()),
        r#";
    CREATE INDEX clusters_by_date ON clusters(date_start, id);
    CREATE INDEX clusters_by_type ON clusters(lower(event_type), date_start, id);
    CREATE INDEX clusters_by_sub_type ON clusters(lower(sub_event_type), date_start, id);
    CREATE INDEX clusters_by_admin1 ON clusters(lower(admin1), date_start, id);
    CREATE INDEX clusters_by_status ON clusters(lower(status), date_start, id);
    CREATE INDEX clusters_by_actor1 ON clusters(lower(actor1));
    CREATE INDEX clusters_by_actor2 ON clusters(lower(actor2));
    CREATE INDEX clusters_by_place ON clusters(lat, lon);
    CREATE INDEX clusters_for_stats ON clusters(date_start, lower(event_type), lower(admin1), lower(status), date_end);
    CREATE INDEX events_cluster_of ON events(id) INCLUDE (cluster_id);
    DROP INDEX heads_by_date, heads_by_type, heads_by_sub_type, heads_by_admin1, heads_by_status,
        heads_by_actor1, heads_by_actor2, heads_by_place;
    ANALYZE clusters;
    "#
    ),
    // 4: as SQLite's 8: the map's markers read from one index alone (an index-only scan).
    r#"
    CREATE INDEX clusters_for_markers ON clusters(date_start, id) INCLUDE (event_type, sub_event_type, status,
        date_end, location, location_ar, admin1, fatalities, lon, lat);
    DROP INDEX clusters_by_date;
    "#,
    // 5: as SQLite's 9: the search words of each cluster, its reports' lexemes together.
    r#"
    CREATE TABLE clusters_fts (
        rowid         BIGINT PRIMARY KEY,        -- the cluster's id
        words         TSVECTOR NOT NULL
    );
    INSERT INTO clusters_fts (rowid, words)
        SELECT e.cluster_id, array_to_tsvector(array_agg(DISTINCT w.lexeme))
        FROM events e JOIN events_fts f ON f.rowid = e.id CROSS JOIN LATERAL unnest(f.words) AS w
        GROUP BY e.cluster_id;
    CREATE INDEX clusters_fts_words ON clusters_fts USING gin(words);
    DROP INDEX events_cluster_of;
    ANALYZE clusters_fts;
    "#,
    // 6: a page of text-search hits sorted by date from an index alone (an index-only probe
    // per hit, not a read of its summary row).
    r#"
    CREATE INDEX clusters_date_of ON clusters(id) INCLUDE (date_start);
    "#,
    // 7: each cluster's search words keep its first day: a frequent word's hits are walked in
    // date order from an index and checked (no probe of the words per cluster walked), a rare
    // word's are sorted without reading a cluster. Index cleanup on every vacuum of `clusters`
    // keeps its visibility map whole, so that its covering indexes answer without the rows.
    r#"
    ALTER TABLE clusters_fts ADD COLUMN date_start TEXT COLLATE "C";
    UPDATE clusters_fts f SET date_start = c.date_start FROM clusters c WHERE c.id = f.rowid;
    DELETE FROM clusters_fts WHERE date_start IS NULL;
    ALTER TABLE clusters_fts ALTER COLUMN date_start SET NOT NULL;
    CREATE INDEX clusters_fts_by_date ON clusters_fts(date_start, rowid);
    DROP INDEX clusters_date_of;
    ALTER TABLE clusters SET (vacuum_index_cleanup = on);
    ANALYZE clusters_fts;
    "#,
    // 8: a frequent word's hits, remembered once for every connection (`rasd_hits`, see
    // `Engine::remembered_hit_table`): a cache, so unlogged (emptied after a crash, not
    // replicated).
    r#"
    CREATE UNLOGGED TABLE rasd_hit_sets (
        key           TEXT NOT NULL,
        version       BIGINT NOT NULL,
        set_id        BIGINT NOT NULL UNIQUE,
        used          TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (key, version)
    );
    CREATE UNLOGGED TABLE rasd_hits (
        set_id        BIGINT NOT NULL,
        date_start    TEXT COLLATE "C" NOT NULL,
        id            BIGINT NOT NULL,
        PRIMARY KEY (set_id, date_start, id)
    );
    CREATE SEQUENCE rasd_hit_set_ids;
    "#,
];

fn migrations(dialect: Dialect) -> &'static [&'static str] {
    match dialect {
        Dialect::Sqlite => MIGRATIONS,
        Dialect::Postgres => POSTGRES_MIGRATIONS,
    }
}

/// How many migrations the database has had (0: a new database).
fn version(db: &mut dyn Engine) -> Result<i64, StoreError> {
    match db.dialect() {
        Dialect::Sqlite => db.query_one("PRAGMA user_version", &[])?.int(0),
        Dialect::Postgres => {
            if db.query_one("SELECT to_regclass('rasd_schema') IS NOT NULL", &[])?.int(0)? == 0 {
                return Ok(0);
            }
            db.query_one("SELECT coalesce(max(version), 0) FROM rasd_schema", &[])?.int(0)
        }
    }
}

fn set_version(db: &mut dyn Engine, version: i64) -> Result<(), StoreError> {
    db.batch(&match db.dialect() {
        Dialect::Sqlite => format!("PRAGMA user_version = {version}"),
        Dialect::Postgres => format!("DELETE FROM rasd_schema; INSERT INTO rasd_schema (version) VALUES ({version})"),
    })
}

/// Runs the migrations a database lacks, once, under the write lock (the version is read again
/// inside it, as another process may have migrated in the meantime). A new database records the
/// folding and format versions of this rasd.
pub(crate) fn migrate(db: &mut dyn Engine) -> Result<(), StoreError> {
    let all = migrations(db.dialect());
    let known = all.len() as i64;
    let found = version(db)?;
    if found > known {
        return Err(StoreError::NewerSchema { found, known });
    }
    if found == known {
        return Ok(());
    }
    let (lock, unlock) = db.dialect().migration_lock();
    for statement in &lock {
        db.batch(statement)?;
    }
    let migrated = (|| {
        let version = version(db)?;
        for (i, migration) in all.iter().enumerate().skip(version as usize) {
            db.batch(migration)?;
            set_version(db, i as i64 + 1)?;
        }
        if version == 0 {
            for (name, current) in current_versions() {
                db.execute("UPDATE rasd_versions SET version = ?2 WHERE name = ?1", &params![name, current])?;
            }
        }
        db.batch("COMMIT")
    })();
    if migrated.is_err() {
        let _ = db.batch("ROLLBACK");
    }
    db.batch(unlock)?;
    migrated
}

/// Refuses a database whose schema is not this rasd's, or whose data was made with another
/// folding or record format.
pub(crate) fn check_current(db: &mut dyn Engine) -> Result<(), StoreError> {
    let known = migrations(db.dialect()).len() as i64;
    let found = version(db)?;
    if found > known {
        return Err(StoreError::NewerSchema { found, known });
    }
    if found < known {
        return Err(StoreError::NeedsMigration { found, known });
    }
    for (what, known) in current_versions() {
        let found = db.query_one("SELECT version FROM rasd_versions WHERE name = ?1", &params![what])?.int(0)?;
        if found != known {
            return Err(StoreError::OtherVersion { what, found, known });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use crate::{EventQuery, Store};

    /// A store written by the first release (schema 1) opens with its events intact.
    #[test]
    fn a_first_release_store_is_migrated() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(super::MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        let record: rasd_record::Record = serde_json::from_str(include_str!("../tests/data/record.json")).unwrap();
        let e = &record.events[0];
        conn.execute(
            "INSERT INTO articles (id, key, origin, published, outlet, language, text, record) \
             VALUES (7, 'k', 'a.txt', '2025-10-26', 'Enab Baladi', 'ar', 'text', '{}')",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO events (id, article_id, local_id, cluster_id, event_type, sub_event_type, status, date_start, \
             date_end, precision, event) VALUES (3, 7, 'e1', 3, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            rusqlite::params![
                e.event_type,
                e.sub_event_type,
                e.status,
                e.date.start,
                e.date.end,
                e.date.precision,
                serde_json::to_string(e).unwrap()
            ],
        )
        .unwrap();
        let store = Store::setup_sqlite(conn).unwrap();
        let clusters = store.events(&EventQuery::default()).unwrap();
        assert_eq!(clusters.len(), 1);
        assert_eq!(&clusters[0].reports[0].event, e);
        assert_eq!(clusters[0].reports[0].published.as_deref(), Some("2025-10-26"));
        // Migration 6 filled the summary's columns from the stored JSON, and migration 7 the
        // cluster's summary row from them.
        let summaries = store.summaries(&EventQuery::default()).unwrap();
        assert_eq!((summaries[0].reports, summaries[0].marker.fatalities), (1, None));
        assert_eq!(summaries[0].evidence, e.evidence.text);
        assert_eq!(summaries[0].marker.location_ar, e.location.as_ref().and_then(|l| l.name_ar.clone()));
        assert_eq!(
            store.count_events(&EventQuery { event_type: Some(e.event_type.clone()), ..Default::default() }).unwrap(),
            1
        );
    }
}
