//! What a source lists: the articles a feed carries, the article links of an index page or a
//! sitemap, the new files of a folder; and an article page fetched from its link.

use chrono::NaiveDate;
use quick_xml::events::Event as Xml;
use rasd_ingest::{Document, Item};
use url::Url;

use crate::config::{Kind, Source, Undated};
use crate::fetch::{Body, FetchError, Fetched, Fetcher, Validators};

/// A feed item's text shorter than this (beyond its title) is a teaser: its page is fetched.
const TEASER_CHARS: usize = 400;
/// Child sitemaps of a sitemap index read per poll at most.
const MAX_CHILD_SITEMAPS: usize = 5;

/// One thing a source lists.
#[derive(Clone, Debug)]
pub enum Entry {
    /// A whole article (a feed item with its text).
    Document(Document),
    /// An article to fetch from its link, with what the listing says of it.
    Link {
        /// The page.
        url: Url,
        /// Its publication date, when the listing gives one.
        published: Option<NaiveDate>,
        /// Its title, when the listing gives one.
        title: Option<String>,
    },
}

impl Entry {
    /// The article's URL, when it has one: what the store recognises it by.
    pub fn url(&self) -> Option<&str> {
        match self {
            Entry::Document(d) => d.url.as_deref(),
            Entry::Link { url, .. } => Some(url.as_str()),
        }
    }
}

/// What one poll of a source's listing found.
#[derive(Clone, Debug, Default)]
pub struct Listing {
    /// Its articles (all of them: the caller skips those it already has).
    pub entries: Vec<Entry>,
    /// Items of the listing that could not be read, with the reason.
    pub failed: Vec<(String, String)>,
    /// The validators to send next time (`None`: unchanged since the last poll).
    pub validators: Option<Validators>,
}

/// Why a poll failed, and how long the server asked to wait.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct Failure {
    /// What went wrong, in words.
    pub reason: String,
    /// The server's `Retry-After`.
    pub retry_after: Option<std::time::Duration>,
    /// Trying again will not help (robots.txt disallows it, gone, too large, not an article).
    pub permanent: bool,
}

impl From<FetchError> for Failure {
    fn from(e: FetchError) -> Failure {
        let permanent = matches!(
            e,
            FetchError::Disallowed | FetchError::TooLarge(_) | FetchError::Status { status: 404 | 410, .. }
        );
        Failure { retry_after: e.retry_after(), reason: e.to_string(), permanent }
    }
}

impl Failure {
    fn new(reason: impl Into<String>) -> Failure {
        Failure { reason: reason.into(), retry_after: None, permanent: false }
    }

    fn permanent(reason: impl Into<String>) -> Failure {
        Failure { permanent: true, ..Failure::new(reason) }
    }
}

/// Polls an HTTP source's listing (a feed, an index page or a sitemap), sending the validators
/// of the last answer.
pub async fn list(fetcher: &Fetcher, source: &Source, validators: &Validators) -> Result<Listing, Failure> {
    let url = Url::parse(&source.url).map_err(|e| Failure::new(format!("bad URL: {e}")))?;
    let body = match fetcher.get(&url, Some(validators)).await? {
        Fetched::NotModified => return Ok(Listing::default()),
        Fetched::Body(body) => body,
    };
    let mut listing = Listing { validators: Some(body.validators.clone()), ..Listing::default() };
    match source.kind {
        Kind::Feed => feed(&body, &mut listing)?,
        Kind::Index => index(&body, source, fetcher.max_pages(), &mut listing)?,
        Kind::Sitemap => sitemap(fetcher, &body, &mut listing).await?,
        Kind::Folder => return Err(Failure::new("a folder is not listed over HTTP")),
    }
    Ok(listing)
}

/// A folder's articles that `stored` does not know (by origin: the file, `file#N`), read as
/// `rasd ingest` reads files.
pub fn folder(source: &Source, mut stored: impl FnMut(&str) -> bool) -> Result<Listing, Failure> {
    if !std::path::Path::new(&source.url).is_dir() {
        return Err(Failure::new(format!("{}: not a folder (or not readable)", source.url)));
    }
    let mut listing = Listing::default();
    for item in rasd_ingest::read(std::slice::from_ref(&source.url), &rasd_ingest::Options::default()) {
        match item {
            Item::Document(doc) if !stored(&doc.origin) => listing.entries.push(Entry::Document(doc)),
            Item::Document(_) => {}
            Item::Failed { origin, reason } => listing.failed.push((origin, reason)),
        }
    }
    Ok(listing)
}

/// A feed's items: whole articles, or links when an item carries only a teaser.
fn feed(body: &Body, listing: &mut Listing) -> Result<(), Failure> {
    let bytes = utf8(body)?;
    for item in rasd_ingest::read_bytes(body.url.as_str(), "feed.xml", bytes) {
        match item {
            Item::Document(doc) => {
                let teaser = doc.text.chars().count() - doc.title.as_deref().map_or(0, |t| t.chars().count());
                match doc.url.as_deref().and_then(|u| body.url.join(u).ok()) {
                    Some(url) if teaser < TEASER_CHARS => {
                        listing.entries.push(Entry::Link { url, published: doc.published, title: doc.title })
                    }
                    _ => listing.entries.push(Entry::Document(doc)),
                }
            }
            Item::Failed { origin, reason } => listing.failed.push((origin, reason)),
        }
    }
    // Nothing read at all: the feed itself is broken (binary, a bad encoding, not a feed).
    if listing.entries.is_empty() {
        if let Some((origin, reason)) = listing.failed.pop() {
            return Err(Failure::new(format!("{origin}: {reason}")));
        }
    }
    Ok(())
}

/// An index page's links that match the source's pattern, in page order, without repeats.
fn index(body: &Body, source: &Source, max: usize, listing: &mut Listing) -> Result<(), Failure> {
    let html = rasd_ingest::decode_text(&body.bytes, body.charset.as_deref()).map_err(Failure::new)?.text;
    let pattern = source.links.as_ref().ok_or_else(|| Failure::new("an index page needs `links`"))?;
    for href in rasd_ingest::links(&html) {
        let Ok(url) = body.url.join(&href) else { continue };
        if !matches!(url.scheme(), "http" | "https") || !pattern.is_match(url.as_str()) {
            continue;
        }
        let url = without_fragment(url);
        if listing.entries.iter().any(|e| e.url() == Some(url.as_str())) {
            continue;
        }
        listing.entries.push(Entry::Link { url, published: None, title: None });
        if listing.entries.len() >= max {
            break;
        }
    }
    Ok(())
}

/// A sitemap's pages, newest first (a sitemap index: its first child sitemaps).
async fn sitemap(fetcher: &Fetcher, body: &Body, listing: &mut Listing) -> Result<(), Failure> {
    let (mut pages, children) = read_sitemap(&body.bytes).map_err(|e| Failure::new(format!("not a sitemap: {e}")))?;
    for child in children.iter().take(MAX_CHILD_SITEMAPS) {
        let Ok(url) = body.url.join(child) else { continue };
        match fetcher.get(&url, None).await {
            Ok(Fetched::Body(b)) => match read_sitemap(&b.bytes) {
                Ok((more, _)) => pages.extend(more),
                Err(e) => listing.failed.push((url.to_string(), format!("not a sitemap: {e}"))),
            },
            Ok(Fetched::NotModified) => {}
            Err(e) => listing.failed.push((url.to_string(), e.to_string())),
        }
    }
    // Newest first; undated pages keep their order after the dated ones.
    pages.sort_by_key(|page| std::cmp::Reverse(page.1));
    for (loc, published) in pages.into_iter().take(fetcher.max_pages()) {
        if let Ok(url) = body.url.join(&loc) {
            listing.entries.push(Entry::Link { url, published, title: None });
        }
    }
    Ok(())
}

/// A page a sitemap lists, with its date.
pub type SitemapPage = (String, Option<NaiveDate>);

/// The `<loc>` of each `<url>` with its date (`news:publication_date`, else `lastmod`), and
/// the `<loc>` of each child `<sitemap>`; what is not a sitemap is an error saying why. The
/// bytes come from the network: any input gives an answer, never a panic (fuzzed).
pub fn read_sitemap(bytes: &[u8]) -> Result<(Vec<SitemapPage>, Vec<String>), String> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().trim_text(true);
    let (mut pages, mut children) = (Vec::new(), Vec::new());
    let mut path: Vec<String> = Vec::new();
    let mut current: Option<(String, Option<NaiveDate>)> = None;
    // The escaped text of the element being read (text and entity references arrive apart).
    let mut raw = String::new();
    let mut seen_root = false;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).map_err(|e| format!("at byte {}: {e}", reader.buffer_position()))? {
            Xml::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                if path.is_empty() {
                    if name != "urlset" && name != "sitemapindex" {
                        return Err(format!("the root element is <{name}>, not <urlset> or <sitemapindex>"));
                    }
                    seen_root = true;
                }
                if name == "url" {
                    current = Some((String::new(), None));
                }
                path.push(name);
                raw.clear();
            }
            Xml::Text(t) => raw.push_str(t.as_ref()),
            Xml::GeneralRef(r) => {
                raw.push('&');
                raw.push_str(&r.xml10_content());
                raw.push(';');
            }
            Xml::End(_) => {
                let text = quick_xml::escape::unescape(raw.trim()).map_err(|e| e.to_string())?.to_string();
                raw.clear();
                let leaf = path.pop();
                match (path.last().map(String::as_str), leaf.as_deref()) {
                    (Some("url"), Some("loc")) => {
                        if let Some(c) = &mut current {
                            c.0 = text
                        }
                    }
                    (Some("sitemap"), Some("loc")) => children.push(text),
                    (_, Some(field @ ("publication_date" | "lastmod"))) => {
                        let day = text.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
                        if let Some(c) = current.as_mut().filter(|c| c.1.is_none() || field == "publication_date") {
                            c.1 = day.or(c.1);
                        }
                    }
                    (_, Some("url")) => {
                        if let Some((loc, date)) = current.take().filter(|(loc, _)| !loc.is_empty()) {
                            pages.push((loc, date));
                        }
                    }
                    _ => {}
                }
            }
            Xml::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !seen_root {
        return Err("no <urlset> or <sitemapindex>".into());
    }
    Ok((pages, children))
}

/// Fetches an article page from its link: the page's text and metadata, what the listing
/// said where the page says nothing.
pub async fn page(
    fetcher: &Fetcher,
    url: &Url,
    published: Option<NaiveDate>,
    title: Option<String>,
) -> Result<Document, Failure> {
    let body = match fetcher.get(url, None).await? {
        Fetched::Body(body) => body,
        Fetched::NotModified => return Err(Failure::new("304 Not Modified to a request without validators")),
    };
    let bytes = utf8(&body)?;
    let origin = url.to_string();
    match rasd_ingest::read_bytes(&origin, "", bytes).next() {
        Some(Item::Document(mut doc)) => {
            doc.url = Some(url.to_string());
            doc.published = doc.published.or(published);
            doc.title = doc.title.or(title);
            Ok(doc)
        }
        Some(Item::Failed { reason, .. }) => Err(Failure::permanent(reason)),
        None => Err(Failure::permanent("the page holds no article")),
    }
}

/// A body as UTF-8 bytes: decoded with the charset the headers declare when it is not UTF-8
/// already (the page's own `<meta charset>` and detection otherwise, as for files).
fn utf8(body: &Body) -> Result<Vec<u8>, Failure> {
    match (&body.charset, std::str::from_utf8(&body.bytes)) {
        (Some(charset), Err(_)) => Ok(rasd_ingest::decode_text(&body.bytes, Some(charset))
            .map_err(|e| Failure::new(format!("declared {charset}, but {e}")))?
            .text
            .into_bytes()),
        _ => Ok(body.bytes.clone()),
    }
}

fn without_fragment(mut url: Url) -> Url {
    url.set_fragment(None);
    url
}

/// Fills in what a source says of its articles: the configured outlet and language, and the
/// fetch day for undated articles when the source asks for it.
pub fn finish(mut doc: Document, source: &Source, fetch_day: NaiveDate) -> Document {
    if let Some(outlet) = &source.outlet {
        doc.outlet = Some(outlet.clone());
    }
    if doc.language.is_none() {
        doc.language = source.language.clone();
    }
    if doc.published.is_none() && source.undated == Undated::FetchDay {
        doc.published = Some(fetch_day);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_news_sitemap_gives_pages_with_their_dates() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
 <url><loc>https://a.example/2026/12/03/one?x=1&amp;y=2</loc><lastmod>2026-12-04</lastmod>
  <news:news><news:publication_date>2026-12-03T10:00:00+03:00</news:publication_date></news:news></url>
 <url><loc>https://a.example/two</loc></url>
 <url><loc></loc></url>
</urlset>"#;
        let (pages, children) = read_sitemap(xml).unwrap();
        assert_eq!(
            pages,
            [
                ("https://a.example/2026/12/03/one?x=1&y=2".to_string(), NaiveDate::from_ymd_opt(2026, 12, 3)),
                ("https://a.example/two".to_string(), None)
            ]
        );
        assert!(children.is_empty());
    }

    #[test]
    fn a_sitemap_index_names_its_children() {
        let xml =
            b"<sitemapindex><sitemap><loc>/s1.xml</loc></sitemap><sitemap><loc>/s2.xml</loc></sitemap></sitemapindex>";
        assert_eq!(read_sitemap(xml).unwrap().1, ["/s1.xml", "/s2.xml"]);
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_give_pages_or_a_reason(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            if let Err(reason) = read_sitemap(&bytes) {
                proptest::prop_assert!(!reason.is_empty());
            }
        }

        #[test]
        fn sitemap_like_text_never_panics(text in "(<urlset>|<url>|<loc>|</loc>|</url>|</urlset>|&amp;|&#x26;|&bad;|2026-12-0[1-9]|<lastmod>|</lastmod>|x){0,30}") {
            let _ = read_sitemap(text.as_bytes());
        }
    }

    #[test]
    fn what_is_not_a_sitemap_says_so() {
        assert!(read_sitemap(b"<html><body>x</body></html>").unwrap_err().contains("root element is <html>"));
        assert!(read_sitemap(b"").unwrap_err().contains("no <urlset>"));
        assert!(read_sitemap(b"<urlset><url><loc>x</url>").is_err());
    }
}
