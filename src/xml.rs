//! A small XML reader for service responses (error documents, credentials, keys): one document
//! read into its leaf elements' texts by path. No DTDs, no namespaces beyond keeping prefixes in
//! names, attributes ignored; entities and CDATA decoded; nesting bounded (never a panic or a
//! deep recursion on hostile input). Shared by every provider's response parsers.

use crate::prelude::*;

/// How deep elements may nest; real responses use fewer than 8 levels.
const MAX_DEPTH: usize = 32;

/// A parsed document: the root element's name and every leaf element (one without child
/// elements) as `(path, text)` in document order, the path relative to the root and joined by
/// `/` (`Credentials/AccessKeyId`; a child of the root is just its name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Xml {
    /// The root element's name.
    pub root: String,
    /// The leaf elements, `(path, text)`, entities decoded.
    pub leaves: Vec<(String, String)>,
}

impl Xml {
    /// Reads a document; the error says what is malformed, never quoting the input.
    pub fn parse(xml: &str) -> Result<Xml, String> {
        let mut p = Cursor {
            s: xml.strip_prefix('\u{feff}').unwrap_or(xml),
        };
        p.skip_misc()?;
        let (root, empty) = p.open_tag()?.ok_or("no root element")?;
        let mut leaves = Vec::new();
        if !empty {
            let mut path = String::new();
            p.element_body(&root, &mut path, &mut leaves, 0)?;
        }
        p.skip_misc()?;
        if !p.s.is_empty() {
            return Err("content after the root element".into());
        }
        Ok(Xml { root, leaves })
    }

    /// The text of the leaf at `path`: `None` when absent, an error when it appears twice.
    pub fn one(&self, path: &str) -> Result<Option<&str>, String> {
        let mut it = self.leaves.iter().filter(|(p, _)| p == path);
        let first = it.next().map(|(_, t)| t.as_str());
        if it.next().is_some() {
            return Err(format!("<{path}> appears twice"));
        }
        Ok(first)
    }
}

struct Cursor<'a> {
    s: &'a str,
}

impl Cursor<'_> {
    fn skip_ws(&mut self) {
        self.s = self.s.trim_start_matches([' ', '\t', '\r', '\n']);
    }

    /// Skips whitespace, `<?…?>`, `<!--…-->` and a `<!DOCTYPE …>` without an internal subset.
    fn skip_misc(&mut self) -> Result<(), String> {
        loop {
            self.skip_ws();
            if let Some(rest) = self.s.strip_prefix("<?") {
                let end = rest.find("?>").ok_or("unterminated <?")?;
                self.s = rest.get(end + 2..).unwrap_or("");
            } else if let Some(rest) = self.s.strip_prefix("<!--") {
                let end = rest.find("-->").ok_or("unterminated comment")?;
                self.s = rest.get(end + 3..).unwrap_or("");
            } else if let Some(rest) = self.s.strip_prefix("<!DOCTYPE") {
                let end = rest.find('>').ok_or("unterminated DOCTYPE")?;
                if rest.get(..end).is_some_and(|d| d.contains('[')) {
                    return Err("a DOCTYPE with an internal subset".into());
                }
                self.s = rest.get(end + 1..).unwrap_or("");
            } else {
                return Ok(());
            }
        }
    }

    /// `<Name attr="…">` or `<Name/>`: the name and whether it is empty. `None` when the input
    /// does not start with a start tag.
    fn open_tag(&mut self) -> Result<Option<(String, bool)>, String> {
        let Some(rest) = self.s.strip_prefix('<') else {
            return Ok(None);
        };
        if rest.starts_with(['/', '!', '?']) {
            return Ok(None);
        }
        let end = tag_end(rest).ok_or("unterminated tag")?;
        let inner = rest.get(..end).unwrap_or("");
        self.s = rest.get(end + 1..).unwrap_or("");
        let (inner, empty) = match inner.strip_suffix('/') {
            Some(i) => (i, true),
            None => (inner, false),
        };
        let name = inner
            .split([' ', '\t', '\r', '\n'])
            .next()
            .unwrap_or("")
            .to_owned();
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
        {
            return Err("malformed element name".into());
        }
        Ok(Some((name, empty)))
    }

    fn close_tag(&mut self) -> Result<String, String> {
        let rest = self.s.strip_prefix("</").ok_or("expected a closing tag")?;
        let end = rest.find('>').ok_or("unterminated closing tag")?;
        let name = rest.get(..end).unwrap_or("").trim_end().to_owned();
        self.s = rest.get(end + 1..).unwrap_or("");
        Ok(name)
    }

    /// Reads the content of `<name>` up to its `</name>`. `path` is the element's path (empty for
    /// the root); a leaf's text goes to `leaves`, child elements are read recursively.
    fn element_body(
        &mut self,
        name: &str,
        path: &mut String,
        leaves: &mut Vec<(String, String)>,
        depth: usize,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("elements nest too deeply".into());
        }
        let mut text = String::new();
        let mut has_children = false;
        loop {
            let lt = self.s.find('<').ok_or("unterminated element")?;
            decode_entities(self.s.get(..lt).unwrap_or(""), &mut text)?;
            self.s = self.s.get(lt..).unwrap_or("");
            if let Some(rest) = self.s.strip_prefix("<![CDATA[") {
                let end = rest.find("]]>").ok_or("unterminated CDATA")?;
                text.push_str(rest.get(..end).unwrap_or(""));
                self.s = rest.get(end + 3..).unwrap_or("");
            } else if self.s.starts_with("<!--") || self.s.starts_with("<?") {
                self.skip_misc()?;
            } else if self.s.starts_with("</") {
                let close = self.close_tag()?;
                if close != name {
                    return Err(format!("</{close}> closes <{name}>"));
                }
                if !has_children && !path.is_empty() {
                    leaves.push((path.clone(), text));
                }
                return Ok(());
            } else {
                let (child, empty) = self.open_tag()?.ok_or("malformed markup")?;
                has_children = true;
                let len = path.len();
                if !path.is_empty() {
                    path.push('/');
                }
                path.push_str(&child);
                if empty {
                    leaves.push((path.clone(), String::new()));
                } else {
                    self.element_body(&child, path, leaves, depth + 1)?;
                }
                path.truncate(len);
            }
        }
    }
}

/// The end of a start tag: the first `>` outside a quoted attribute value.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn decode_entities(s: &str, out: &mut String) -> Result<(), String> {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or(""));
        let after = rest.get(amp + 1..).unwrap_or("");
        let semi = after.find(';').ok_or("an '&' without ';'")?;
        let ent = after.get(..semi).unwrap_or("");
        let c = match ent {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let n = if let Some(h) = ent.strip_prefix("#x").or_else(|| ent.strip_prefix("#X")) {
                    u32::from_str_radix(h, 16).ok()
                } else if let Some(d) = ent.strip_prefix('#') {
                    d.parse::<u32>().ok()
                } else {
                    None
                };
                n.and_then(char::from_u32).ok_or("an unknown entity")?
            }
        };
        out.push(c);
        rest = after.get(semi + 1..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Xml;

    #[test]
    fn nested_leaves_by_path_with_entities_and_cdata() {
        // The shape of STS's AssumeRoleWithWebIdentity response (AWS STS API reference example).
        let doc = r#"<?xml version="1.0"?>
<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials>
      <SessionToken>a&amp;b</SessionToken>
      <AccessKeyId><![CDATA[ASIA<x>]]></AccessKeyId>
      <Empty/>
    </Credentials>
  </AssumeRoleWithWebIdentityResult>
</AssumeRoleWithWebIdentityResponse>"#;
        let x = Xml::parse(doc).unwrap();
        assert_eq!(x.root, "AssumeRoleWithWebIdentityResponse");
        let c = "AssumeRoleWithWebIdentityResult/Credentials/";
        assert_eq!(x.one(&format!("{c}SessionToken")).unwrap(), Some("a&b"));
        assert_eq!(x.one(&format!("{c}AccessKeyId")).unwrap(), Some("ASIA<x>"));
        assert_eq!(x.one(&format!("{c}Empty")).unwrap(), Some(""));
        assert_eq!(x.one("Credentials").unwrap(), None);
    }

    #[test]
    fn malformed_documents_are_errors() {
        for bad in [
            "",
            "text",
            "<a>",
            "<a></b>",
            "<a><b></a>",
            "<a>&bogus;</a>",
            "<a></a><b/>",
            "<!DOCTYPE a [<!ENTITY x 'y'>]><a/>",
            "<a attr=\"x>",
        ] {
            assert!(Xml::parse(bad).is_err(), "{bad:?}");
        }
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(Xml::parse(&deep).is_err());
        let twice = Xml::parse("<r><a>1</a><a>2</a></r>").unwrap();
        assert!(twice.one("a").is_err());
    }
}
