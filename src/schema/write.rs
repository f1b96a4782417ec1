//! Writing JSON by hand: strings through the crate's one escaper
//! ([`crate::encoding::json_string_into`]), and a small object writer.

use crate::prelude::*;

/// Appends `s` as a JSON string, quotes included (non-ASCII verbatim, as serde_json writes it).
pub fn push_str(out: &mut String, s: &str) {
    crate::encoding::json_string_into(out, s, false);
}

/// `s` as a JSON string.
#[cfg(feature = "json")]
pub fn string(s: &str) -> String {
    let mut out = String::new();
    push_str(&mut out, s);
    out
}

/// Writes one JSON object member by member: `Object::new(&mut out).str("url", u).end()`.
pub struct Object<'o> {
    out: &'o mut String,
    first: bool,
}

impl<'o> Object<'o> {
    /// Opens an object (`{`).
    pub fn new(out: &'o mut String) -> Self {
        out.push('{');
        Object { out, first: true }
    }

    /// Starts a member and returns the buffer to write its value into.
    pub fn key(&mut self, name: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        push_str(self.out, name);
        self.out.push(':');
        self.out
    }

    /// A string member.
    pub fn str(mut self, name: &str, value: &str) -> Self {
        push_str(self.key(name), value);
        self
    }

    /// An instant member, as RFC 3339 text (`"2026-12-05T13:00:00Z"`).
    #[cfg(feature = "json")]
    pub fn time(mut self, name: &str, t: crate::time::Timestamp) -> Self {
        let v = self.key(name);
        v.push('"');
        t.rfc3339_into(v);
        v.push('"');
        self
    }

    /// A member whose value is already JSON.
    #[cfg(feature = "json")]
    pub fn raw(mut self, name: &str, json: &str) -> Self {
        self.key(name).push_str(json);
        self
    }

    /// An object of string members, in order.
    #[cfg(feature = "json")]
    pub fn pairs<'p>(
        mut self,
        name: &str,
        pairs: impl IntoIterator<Item = (&'p str, &'p str)>,
    ) -> Self {
        let mut o = Object::new(self.key(name));
        for (k, v) in pairs {
            push_str(o.key(k), v);
        }
        o.end();
        self
    }

    /// Closes the object (`}`).
    pub fn end(self) {
        self.out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_json_requires() {
        assert_eq!(string("plain é 😀"), "\"plain é 😀\"");
        assert_eq!(
            string("q\"b\\n\nr\rt\tb\u{8}f\u{c}c\u{1}\u{1f}\u{7f}"),
            "\"q\\\"b\\\\n\\nr\\rt\\tb\\bf\\fc\\u0001\\u001f\u{7f}\""
        );
    }

    #[test]
    fn writes_objects_in_order() {
        let mut out = String::new();
        Object::new(&mut out)
            .str("url", "u")
            .pairs("headers", [("b", "1"), ("a", "\"")])
            .raw("n", "[]")
            .end();
        assert_eq!(out, r#"{"url":"u","headers":{"b":"1","a":"\""},"n":[]}"#);
    }
}
