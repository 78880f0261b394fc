//! Article bodies are stored as sanitised HTML. Editors may type HTML (the toolbar produces
//! it) or simple text: blank lines separate paragraphs and a line starting with `## ` is a
//! heading. Whatever comes in, only a small set of tags survives, links are made safe and
//! images may only point at images stored by this system.

use ammonia::{Builder, UrlRelative};
use std::collections::{HashMap, HashSet};

/// Where stored article images are served; the only image source kept.
pub const IMAGE_PREFIX: &str = "/news/images/";

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Simple text to HTML: paragraphs, `## ` headings, line breaks inside a paragraph.
fn from_text(text: &str) -> String {
    let mut out = String::new();
    let normalized = text.replace("\r\n", "\n");
    for block in normalized.split("\n\n") {
        let block = block.trim();
        if block.is_empty() {
            continue;
        }
        if let Some(h) = block.strip_prefix("## ") {
            out.push_str(&format!("<h3>{}</h3>\n", escape(h.trim())));
        } else {
            let lines: Vec<String> = block.lines().map(|l| escape(l.trim())).collect();
            out.push_str(&format!("<p>{}</p>\n", lines.join("<br>")));
        }
    }
    out
}

/// The HTML to store for what the editor typed.
pub fn clean(input: &str) -> String {
    let html = if input.contains('<') {
        input.to_owned()
    } else {
        from_text(input)
    };
    let tags: HashSet<&str> = [
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "ul",
        "ol",
        "li",
        "blockquote",
        "a",
        "img",
        "figure",
        "figcaption",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "hr",
    ]
    .into_iter()
    .collect();
    let mut attrs: HashMap<&str, HashSet<&str>> = HashMap::new();
    attrs.insert("a", ["href", "title"].into_iter().collect());
    attrs.insert(
        "img",
        ["src", "alt", "width", "height"].into_iter().collect(),
    );
    attrs.insert("td", ["colspan", "rowspan"].into_iter().collect());
    attrs.insert("th", ["colspan", "rowspan"].into_iter().collect());
    Builder::default()
        .tags(tags)
        .tag_attributes(attrs)
        .generic_attributes(HashSet::new())
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            // An image from elsewhere would tell another server who reads the article.
            ("img", "src") => {
                let rest = value.strip_prefix(IMAGE_PREFIX)?;
                (!rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())).then(|| value.into())
            }
            ("img", "width") | ("img", "height") => value
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| value.into()),
            _ => Some(value.into()),
        })
        .clean(&html)
        .to_string()
}

/// The ids of stored images an article shows.
pub fn image_ids(html: &str) -> Vec<i64> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(IMAGE_PREFIX) {
        rest = &rest[i + IMAGE_PREFIX.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(id) = digits.parse::<i64>()
            && !out.contains(&id)
        {
            out.push(id);
        }
    }
    out
}

/// Text without tags, for summaries and the notice board.
pub fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_foreign_images_are_removed() {
        let out = clean(
            "<p onclick=\"x()\">Xin chào<script>alert(1)</script></p>\
             <img src=\"https://evil.example/x.png\"><img src=\"/news/images/7\" alt=\"a\">\
             <a href=\"javascript:alert(1)\">x</a><a href=\"https://a.vn\">y</a>\
             <iframe src=\"https://a.vn\"></iframe><style>p{}</style>",
        );
        assert!(!out.contains("script"), "{out}");
        assert!(!out.contains("onclick"), "{out}");
        assert!(!out.contains("evil"), "{out}");
        assert!(!out.contains("javascript"), "{out}");
        assert!(!out.contains("iframe"), "{out}");
        assert!(!out.contains("style"), "{out}");
        assert!(
            out.contains("<img src=\"/news/images/7\" alt=\"a\">"),
            "{out}"
        );
        assert!(out.contains("href=\"https://a.vn\""), "{out}");
        assert!(out.contains("noopener"), "{out}");
    }

    #[test]
    fn text_becomes_paragraphs_and_headings() {
        let out = clean("## Phát động\n\nDòng một\ndòng hai & ba\n\nĐoạn hai");
        assert_eq!(
            out,
            "<h3>Phát động</h3>\n<p>Dòng một<br>dòng hai &amp; ba</p>\n<p>Đoạn hai</p>\n"
        );
    }

    #[test]
    fn image_ids_and_plain_text() {
        let html = "<p>A &amp; B</p><img src=\"/news/images/3\"><img src=\"/news/images/12\"><img src=\"/news/images/3\">";
        assert_eq!(image_ids(html), vec![3, 12]);
        assert_eq!(plain(html), "A & B");
    }
}
