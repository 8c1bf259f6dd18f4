//! RSS and Atom feeds, parsed with feed-rs: each item is a document — its content (or summary)
//! as text through the same HTML text extraction as pages, its title, publication date (the
//! UTC date; the update date when no publication date is given), link, author, and the feed's
//! title as outlet. Items are numbered from 1 in their origin, `path#N`.

use feed_rs::model::{Entry, Text};

use crate::{html, non_empty, titled_text, Document, Item};

/// Reads a feed file's bytes: one item per entry, or one failure when it is not a feed.
pub(crate) fn read(origin: &str, bytes: &[u8]) -> Vec<Item> {
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(feed) => feed,
        Err(e) => return vec![Item::failed(origin, format!("not a valid RSS/Atom feed: {e}"))],
    };
    let outlet = feed.title.as_ref().and_then(|t| non_empty(text_of(t)));
    let language = feed.language.and_then(non_empty);
    feed.entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| item(format!("{origin}#{}", i + 1), entry, &outlet, &language))
        .collect()
}

fn item(origin: String, entry: Entry, outlet: &Option<String>, language: &Option<String>) -> Item {
    let title = entry.title.as_ref().and_then(|t| non_empty(text_of(t)));
    let body = match (entry.content.and_then(|c| c.body), &entry.summary) {
        (Some(body), _) if !body.trim().is_empty() => html::fragment_text(&body),
        (_, Some(summary)) => text_of(summary),
        _ => String::new(),
    };
    if body.is_empty() && title.is_none() {
        return Item::failed(origin, "feed item without title or text");
    }
    let link = entry.links.iter().find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate")).or(entry.links.first());
    Item::Document(Document {
        origin,
        text: titled_text(title.as_deref(), &body),
        title,
        published: entry.published.or(entry.updated).map(|t| t.date_naive()),
        outlet: outlet.clone(),
        url: link.and_then(|l| non_empty(&l.href)),
        language: entry.language.and_then(non_empty).or_else(|| language.clone()),
        author: entry.authors.iter().find_map(|p| p.name.as_deref().and_then(non_empty)),
        warnings: Vec::new(),
    })
}

/// A feed text construct as plain text: HTML (the default for RSS) through the fragment
/// extraction, plain text tidied.
fn text_of(text: &Text) -> String {
    if text.content_type.subty() == "plain" {
        html::tidy(&text.content)
    } else {
        html::fragment_text(&text.content)
    }
}
