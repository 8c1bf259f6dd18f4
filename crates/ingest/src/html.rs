//! HTML pages: parsed with html5ever (through dom_query), main text extracted with dom_smoothie
//! (a port of Mozilla's Readability), which drops navigation, sidebars, comments, related-links
//! blocks, share bars and footers — on right-to-left Arabic pages as on English ones.
//!
//! Metadata comes from JSON-LD (`NewsArticle`: headline, datePublished, publisher.name, url),
//! OpenGraph and `article:*` meta tags (`og:title`, `og:site_name`, `article:published_time`),
//! then from the page itself: `<time datetime>`, `<link rel=canonical>`, `<html lang>`.

use dom_query::Document as Dom;
use dom_smoothie::{Config, Readability, TextMode};

use crate::{date, decode, non_empty, titled_text, Document, Item};

/// Elements that are never article text, removed before extraction.
const FURNITURE: &str = "nav, aside, footer, form, iframe, svg, template, body > header, \
    [role=navigation], [role=complementary], [role=contentinfo], [role=banner]";

/// What one page yields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Page {
    pub title: Option<String>,
    pub body: String,
    pub published: Option<chrono::NaiveDate>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub author: Option<String>,
}

/// Reads an HTML file's bytes as one document.
pub(crate) fn read(origin: String, bytes: &[u8]) -> Item {
    let declared = decode::declared_charset(bytes);
    match decode::decode_text(bytes, declared.as_deref()) {
        Ok(decoded) => match document(origin, &decoded.text) {
            Item::Document(doc) => Item::Document(Document { warnings: decoded.warning.into_iter().collect(), ..doc }),
            failed => failed,
        },
        Err(reason) => Item::failed(origin, reason),
    }
}

/// The deepest nesting of elements rasd parses. Real pages nest a few dozen deep; a deeper one
/// would overflow the parser's stack or take time quadratic in its depth.
pub(crate) const MAX_DEPTH: usize = 512;

/// The document an HTML page gives, or a failure when it has no text or nests too deep.
pub(crate) fn document(origin: String, html: &str) -> Item {
    let depth = nesting_depth(html);
    if depth > MAX_DEPTH {
        return Item::failed(
            origin,
            format!("HTML nested {depth} elements deep (the limit is {MAX_DEPTH}); refused, as no article page nests so deep"),
        );
    }
    let page = extract(html);
    if page.body.is_empty() {
        return Item::failed(origin, "no text found in the HTML page");
    }
    Item::Document(Document {
        origin,
        text: titled_text(page.title.as_deref(), &page.body),
        title: page.title,
        published: page.published,
        outlet: page.outlet,
        url: page.url,
        language: page.language,
        author: page.author,
        warnings: Vec::new(),
    })
}

/// The targets of a page's links (`<a href>`), as written, in document order; none for a page
/// nested deeper than [`MAX_DEPTH`].
pub(crate) fn links(html: &str) -> Vec<String> {
    if nesting_depth(html) > MAX_DEPTH {
        return Vec::new();
    }
    Dom::from(html).select("a[href]").iter().filter_map(|a| a.attr("href")).map(|h| h.trim().to_string()).collect()
}

/// The main text and metadata of a page.
pub(crate) fn extract(html: &str) -> Page {
    let dom = Dom::from(html);
    let attr = |selector: &str, name: &str| dom.select(selector).attr(name).and_then(non_empty);
    let canonical = attr("link[rel=canonical]", "href").or_else(|| attr("meta[property='og:url']", "content"));
    let time = attr("time[datetime]", "datetime");
    let og_title = attr("meta[property='og:title']", "content");
    let lang = attr("html", "lang");
    dom.select(FURNITURE).remove();

    let config = Config { text_mode: TextMode::Formatted, ..Config::default() };
    let article = Readability::with_document(dom, None, Some(config)).ok().and_then(|mut r| r.parse().ok());
    let Some(article) = article else {
        return Page {
            title: og_title,
            body: whole_page_text(html),
            url: canonical,
            language: lang,
            ..Page::default()
        };
    };
    let published =
        article.published_time.as_deref().and_then(date::parse).or_else(|| time.as_deref().and_then(date::parse));
    Page {
        title: non_empty(&article.title).or(og_title),
        body: tidy(&article.text_content),
        published,
        outlet: article.site_name.and_then(non_empty),
        url: article.url.and_then(non_empty).or(canonical),
        language: article.lang.and_then(non_empty).or(lang),
        author: article.byline.and_then(non_empty),
    }
}

/// The text of an HTML fragment (a feed item's content), paragraphs separated by blank lines.
pub(crate) fn fragment_text(html: &str) -> String {
    if nesting_depth(html) > MAX_DEPTH {
        return tidy(&strip_tags(html));
    }
    let dom = Dom::fragment(html);
    dom.select("script, style, noscript, template").remove();
    tidy(&dom.formatted_text())
}

/// The text of a whole page without its furniture, for pages Readability finds no article in.
fn whole_page_text(html: &str) -> String {
    let dom = Dom::from(html);
    dom.select(FURNITURE).remove();
    dom.select("script, style, noscript").remove();
    let body = dom.select("body");
    tidy(&if body.exists() { body.formatted_text() } else { dom.formatted_text() })
}

/// Elements that hold nothing or that the parser closes by itself (`<p>` before `<p>`): they
/// add no depth.
const FLAT_ELEMENTS: [&str; 26] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p", "li",
    "dt", "dd", "tr", "td", "th", "option", "optgroup", "rp", "rt", "tbody", "thead",
];

/// How deep the elements of `html` nest, counted in one pass over its tags (comments, scripts
/// and styles skipped): an estimate that is cheap and never below the parsed tree's depth for
/// well-formed nesting.
pub(crate) fn nesting_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, 0usize);
    while let Some(open) = bytes[at..].iter().position(|&b| b == b'<').map(|i| at + i) {
        let rest = &html[open + 1..];
        if rest.starts_with("!--") {
            at = rest.find("-->").map_or(bytes.len(), |i| open + 1 + i + 3);
            continue;
        }
        let Some(close) = rest.find('>') else { break };
        at = open + 1 + close + 1;
        let tag = &rest[..close];
        if let Some(name) = tag.strip_prefix('/') {
            if !FLAT_ELEMENTS.iter().any(|f| name.trim().eq_ignore_ascii_case(f)) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        let name = tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) || tag.ends_with('/') {
            continue;
        }
        if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style") {
            let end = bytes[at..]
                .windows(name.len() + 2)
                .position(|w| w.starts_with(b"</") && w[2..].eq_ignore_ascii_case(name.as_bytes()));
            at = end.map_or(bytes.len(), |i| at + i);
            continue;
        }
        if !FLAT_ELEMENTS.iter().any(|f| name.eq_ignore_ascii_case(f)) {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

/// The text of `html` with its tags dropped and the common entities read, in one pass: for
/// fragments too deep to parse.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = rest[open..].find('>').map_or("", |close| &rest[open + close + 1..]);
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

/// Trims every line and keeps at most one blank line between paragraphs.
pub(crate) fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines().map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}')) {
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        out.push_str(line);
        blank = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_pages_are_refused_and_deep_fragments_flattened() {
        let deep = format!(
            "<html><body><article>{}نص{}</article></body></html>",
            "<b>".repeat(150_000),
            "</b>".repeat(150_000)
        );
        let Item::Failed { reason, .. } = document("deep.html".into(), &deep) else { panic!() };
        assert!(reason.starts_with("HTML nested 150003 elements deep"), "{reason}");
        let fragment = format!("{}قصف على إدلب &amp; حماة{}", "<div>".repeat(20_000), "</div>".repeat(20_000));
        assert_eq!(fragment_text(&fragment), "قصف على إدلب & حماة");
        assert_eq!(
            nesting_depth("<html><body><p>a<p>b<br><img src=x/><!-- <div> --><script>'<div>'</script></body></html>"),
            2
        );
    }

    #[test]
    fn tidy_keeps_one_blank_line() {
        assert_eq!(tidy("\n  a  \n b\n\n\n\n c \n\n"), "a\nb\n\nc");
    }

    #[test]
    fn fragment_paragraphs() {
        assert_eq!(
            fragment_text("<p>One <b>bold</b> &amp; more.</p><script>x()</script><p>Two.</p>"),
            "One bold & more.\n\nTwo."
        );
    }

    #[test]
    fn tiny_page_falls_back_to_body() {
        let page =
            extract("<html lang=en><body><nav>Menu</nav><p>Only a short line.</p><footer>(c)</footer></body></html>");
        assert_eq!(page.body, "Only a short line.");
        assert_eq!(page.language.as_deref(), Some("en"));
    }
}
