//! A small, strict JSON reader (RFC 8259) that reads the request schema straight into the typed
//! requests: no value tree, no serde. It is the one definition of the JSON schema — each type
//! says which members it reads, next to its definition (`json_struct!`, `json_enum!` or a
//! hand-written [`FromJson`]).
//!
//! Errors are [`Error::InvalidRequest`] naming the member path and what was expected (or the
//! byte offset of a syntax error). They never quote the input: a secret put in the wrong member
//! does not echo back.

use crate::error::msg;
use crate::error::{Error, Result};
use crate::prelude::*;
use crate::text::{bytes_from, part};

use alloc::borrow::Cow;

/// Deepest nesting accepted (as serde_json): deeper input is an error, not a stack overflow.
const MAX_DEPTH: u32 = 128;

/// A type the request schema can read.
#[cfg(feature = "json")]
pub trait FromJson: Sized {
    /// Reads one value of this type at the reader's position.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for JSON that is malformed or does not fit the type.
    fn from_json(r: &mut Reader<'_>) -> Result<Self>;
}

/// Parses a whole JSON text as one `T` (only whitespace may follow).
///
/// # Errors
/// [`Error::InvalidRequest`] naming what did not fit.
#[cfg(feature = "json")]
pub fn from_str<T: FromJson>(text: &str) -> Result<T> {
    let mut r = Reader::new(text);
    let v = T::from_json(&mut r)?;
    r.finish()?;
    Ok(v)
}

/// A pull reader over JSON text.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    text: &'a str,
    pos: usize,
    depth: u32,
    /// A member the next object read skips (the `provider` tag of a request).
    tag: Option<&'static str>,
}

pub(super) fn invalid(msg: impl Into<String>) -> Error {
    Error::InvalidRequest(msg.into())
}

/// A `\uD800`–`\uDFFF` escape without its other half: grammatical JSON, but not Unicode text.
fn lone_surrogate() -> Error {
    invalid("a lone surrogate is not Unicode text")
}

/// Puts a path segment in front of an error's member path: a schema member's name
/// (`` `credentials.accessKeyId`: … ``) or a position (`` `headers[2]`: … ``).
fn at(key: &str, e: Error) -> Error {
    match e {
        Error::InvalidRequest(m) => Error::InvalidRequest(crate::error::prefix_path(key, m)),
        other => other,
    }
}

/// The path segment of the member or element at position `i` (from 0): how a path names what
/// the input chose the name of (a map's entry, an unknown member), so that no error quotes it.
fn position(i: usize) -> String {
    let mut s = String::with_capacity(8);
    s.push('[');
    crate::encoding::push_decimal(&mut s, i as u64);
    s.push(']');
    s
}

/// The message of [`unknown`].
const UNKNOWN: &str = "unknown member";

impl<'a> Reader<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        Reader {
            text,
            pos: 0,
            depth: 0,
            tag: None,
        }
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    #[inline(always)]
    pub(crate) fn next_token(&mut self) -> Option<u8> {
        self.ws();
        self.peek()
    }

    fn syntax(&self, what: &str) -> Error {
        invalid(msg!("not valid JSON: {what} at byte {}", self.pos))
    }

    fn kind(&mut self) -> &'static str {
        match self.next_token() {
            Some(b'"') => "a string",
            Some(b'{') => "an object",
            Some(b'[') => "an array",
            Some(b't' | b'f') => "a boolean",
            Some(b'n') => "null",
            Some(b'-' | b'0'..=b'9') => "a number",
            None => "the end of the input",
            Some(_) => "an invalid token",
        }
    }

    /// An error for a value of the wrong type (`expected a string, found a number`).
    pub fn expected(&mut self, what: &str) -> Error {
        let found = self.kind();
        invalid(msg!("expected {what}, found {found}"))
    }

    fn literal(&mut self, word: &str) -> bool {
        if self.text.as_bytes().get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    /// Consumes a `null` if one is next.
    pub fn null(&mut self) -> bool {
        self.next_token() == Some(b'n') && self.literal("null")
    }

    /// Reads `true` or `false`.
    ///
    /// # Errors
    /// When the next value is not a boolean.
    pub fn bool(&mut self) -> Result<bool> {
        match self.next_token() {
            Some(b't') if self.literal("true") => Ok(true),
            Some(b'f') if self.literal("false") => Ok(false),
            _ => Err(self.expected("true or false")),
        }
    }

    /// Reads a non-negative integer (no fraction, no exponent).
    ///
    /// # Errors
    /// When the next value is not such a number, or does not fit in 64 bits.
    pub fn u64(&mut self) -> Result<u64> {
        const WHAT: &str = "a non-negative integer";
        let start = match self.next_token() {
            Some(b'0'..=b'9') => self.pos,
            _ => return Err(self.expected(WHAT)),
        };
        self.number()?;
        let digits = part(self.text, start..self.pos)?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(msg!("expected {WHAT}, found a fraction")));
        }
        digits
            .parse()
            .map_err(|_| invalid(msg!("expected {WHAT}, found one too large")))
    }

    /// Skips a number, checking its grammar: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Result<()> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.syntax("a malformed number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.syntax("a malformed number"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.syntax("a malformed number"));
            }
            self.digits();
        }
        Ok(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    /// Reads a string; borrowed from the input when it has no escapes.
    ///
    /// # Errors
    /// When the next value is not a string, or the string is malformed (raw control character,
    /// bad escape, lone surrogate).
    pub fn string(&mut self) -> Result<Cow<'a, str>> {
        if self.next_token() != Some(b'"') {
            return Err(self.expected("a string"));
        }
        self.pos += 1;
        let start = self.pos;
        let bytes = self.text.as_bytes();
        // Fast path: no escape before the closing quote.
        self.pos += crate::encoding::json_special(bytes_from(bytes, start)?);
        match bytes.get(self.pos) {
            Some(b'"') => {
                let s = part(self.text, start..self.pos)?;
                self.pos += 1;
                return Ok(Cow::Borrowed(s));
            }
            Some(b'\\') => {}
            Some(_) => return Err(self.syntax("a control character in a string")),
            None => return Err(self.syntax("an unterminated string")),
        }
        let mut out = String::from(part(self.text, start..self.pos)?);
        loop {
            let run = self.pos;
            self.pos += crate::encoding::json_special(bytes_from(bytes, run)?);
            out.push_str(part(self.text, run..self.pos)?);
            match bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.syntax("a control character in a string")),
                None => return Err(self.syntax("an unterminated string")),
            }
        }
    }

    /// One escape after its backslash.
    fn escape(&mut self, out: &mut String) -> Result<()> {
        let c = self
            .peek()
            .ok_or_else(|| self.syntax("an unterminated string"))?;
        self.pos += 1;
        let ch = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    if !self.literal("\\u") {
                        return Err(lone_surrogate());
                    }
                    let lo = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err(lone_surrogate());
                    }
                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                } else {
                    hi
                };
                char::from_u32(code).ok_or_else(lone_surrogate)?
            }
            _ => return Err(self.syntax("an invalid escape")),
        };
        out.push(ch);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.syntax("an invalid \\u escape"))?;
        self.pos += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.syntax("an invalid \\u escape"))
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.syntax("nesting too deep"));
        }
        self.pos += 1;
        Ok(())
    }

    /// Reads an object, calling `member(reader, name)` for each member; `member` must read (or
    /// [`skip`](Self::skip)) the value. Errors from `member` get the member's name in front, or
    /// its position when the member is [`unknown`] (the name is the input's, not the schema's).
    ///
    /// # Errors
    /// When the next value is not an object, it is malformed, or `member` fails.
    pub fn object(
        &mut self,
        mut member: impl FnMut(&mut Reader<'a>, &str) -> Result<()>,
    ) -> Result<()> {
        self.object_dyn(&mut member, false)
    }

    /// An object whose member names are data (headers, query parameters, metadata…): as
    /// [`object`](Self::object), but errors name the member by its position (`headers[2]`).
    ///
    /// # Errors
    /// As [`object`](Self::object).
    #[cfg(feature = "json")]
    pub fn map(
        &mut self,
        mut member: impl FnMut(&mut Reader<'a>, &str) -> Result<()>,
    ) -> Result<()> {
        self.object_dyn(&mut member, true)
    }

    /// [`object`](Self::object) compiled once, not once per member closure (wasm size).
    fn object_dyn(
        &mut self,
        member: &mut dyn FnMut(&mut Reader<'a>, &str) -> Result<()>,
        by_position: bool,
    ) -> Result<()> {
        let tag = self.tag.take();
        if self.next_token() != Some(b'{') {
            return Err(self.expected("an object"));
        }
        self.enter()?;
        if self.next_token() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(());
        }
        let mut i = 0usize;
        loop {
            if self.next_token() != Some(b'"') {
                return Err(self.syntax("expected a member name"));
            }
            let name = self.string().map_err(|e| at(&position(i), e))?;
            if self.next_token() != Some(b':') {
                return Err(self.syntax("expected ':'"));
            }
            self.pos += 1;
            if tag == Some(&*name) {
                self.skip()?;
            } else {
                member(self, &name).map_err(|e| {
                    let unknown = matches!(&e, Error::InvalidRequest(m) if m == UNKNOWN);
                    if by_position || unknown {
                        at(&position(i), e)
                    } else {
                        at(&name, e)
                    }
                })?;
            }
            i += 1;
            match self.next_token() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.syntax("expected ',' or '}'")),
            }
        }
    }

    /// Reads an array, calling `element(reader)` for each element.
    ///
    /// # Errors
    /// When the next value is not an array, it is malformed, or `element` fails.
    #[cfg(feature = "json")]
    pub fn array(&mut self, mut element: impl FnMut(&mut Reader<'a>) -> Result<()>) -> Result<()> {
        self.array_dyn(&mut element)
    }

    /// [`array`](Self::array) compiled once, not once per element closure (wasm size).
    #[cfg(feature = "json")]
    fn array_dyn(&mut self, element: &mut dyn FnMut(&mut Reader<'a>) -> Result<()>) -> Result<()> {
        if self.next_token() != Some(b'[') {
            return Err(self.expected("an array"));
        }
        self.enter()?;
        if self.next_token() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(());
        }
        let mut i = 0usize;
        loop {
            element(self).map_err(|e| at(&position(i), e))?;
            i += 1;
            match self.next_token() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.syntax("expected ',' or ']'")),
            }
        }
    }

    /// Skips a string, checking its grammar only. RFC 8259's grammar takes any `\uXXXX` escape,
    /// so a lone surrogate, which [`string`](Self::string) refuses as a value, does not stop a
    /// skip: in a batch, the element that has one is refused on its own.
    fn skip_string(&mut self) -> Result<()> {
        self.pos += 1;
        let bytes = self.text.as_bytes();
        loop {
            self.pos += crate::encoding::json_special(bytes_from(bytes, self.pos)?);
            match bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.pos += 1
                        }
                        Some(b'u') => {
                            self.pos += 1;
                            self.hex4()?;
                        }
                        Some(_) => return Err(self.syntax("an invalid escape")),
                        None => return Err(self.syntax("an unterminated string")),
                    }
                }
                Some(_) => return Err(self.syntax("a control character in a string")),
                None => return Err(self.syntax("an unterminated string")),
            }
        }
    }

    /// After `{` or `,` in an object being skipped: a member name (skipped as a string is) and
    /// its colon.
    fn skip_member_name(&mut self) -> Result<()> {
        if self.next_token() != Some(b'"') {
            return Err(self.syntax("expected a member name"));
        }
        self.skip_string()?;
        if self.next_token() != Some(b':') {
            return Err(self.syntax("expected ':'"));
        }
        self.pos += 1;
        Ok(())
    }

    /// Skips one value of any type, checking that it is well-formed. Without recursion: the
    /// containers it is inside are a stack on the heap, so a value nested deeper than the
    /// reader's depth limit (128) is skipped too (a batch's bad element, however deep, is
    /// refused in its place, not with the whole batch); only the values the schema reads count
    /// against it.
    ///
    /// # Errors
    /// When it is not.
    pub fn skip(&mut self) -> Result<()> {
        let mut open: Vec<u8> = Vec::new();
        loop {
            // A value.
            match self.next_token() {
                Some(b'"') => self.skip_string()?,
                Some(c @ (b'{' | b'[')) => {
                    self.pos += 1;
                    let close = if c == b'{' { b'}' } else { b']' };
                    if self.next_token() == Some(close) {
                        self.pos += 1;
                    } else {
                        open.push(close);
                        if c == b'{' {
                            self.skip_member_name()?;
                        }
                        continue;
                    }
                }
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(b't' | b'f') => self.bool().map(drop)?,
                Some(b'n') if self.null() => {}
                _ => return Err(self.syntax("expected a value")),
            }
            // After a value: the containers it closes, then the next element or member.
            loop {
                let Some(&close) = open.last() else {
                    return Ok(());
                };
                match self.next_token() {
                    Some(b',') => {
                        self.pos += 1;
                        if close == b'}' {
                            self.skip_member_name()?;
                        }
                        break;
                    }
                    Some(c) if c == close => {
                        self.pos += 1;
                        open.pop();
                    }
                    _ if close == b'}' => return Err(self.syntax("expected ',' or '}'")),
                    _ => return Err(self.syntax("expected ',' or ']'")),
                }
            }
        }
    }

    /// Skips one value and returns its text (for a batch whose elements are read one by one).
    ///
    /// # Errors
    /// As [`skip`](Self::skip).
    #[cfg(feature = "json")]
    pub fn raw(&mut self) -> Result<&'a str> {
        self.ws();
        let start = self.pos;
        self.skip()?;
        part(self.text, start..self.pos)
    }

    /// The value of string member `name` of the object at the reader's position, without
    /// consuming anything (how a request finds its `provider` tag wherever it is).
    ///
    /// # Errors
    /// When the object is malformed or the member is not a string.
    #[cfg(feature = "json")]
    pub fn peek_member(&self, name: &str) -> Result<Option<Cow<'a, str>>> {
        // Stops at the member: requests usually name their tag first.
        let mut r = self.clone();
        if r.next_token() != Some(b'{') {
            return Err(r.expected("an object"));
        }
        r.pos += 1;
        if r.next_token() == Some(b'}') {
            return Ok(None);
        }
        loop {
            if r.next_token() != Some(b'"') {
                return Err(r.syntax("expected a member name"));
            }
            let key = r.string()?;
            if r.next_token() != Some(b':') {
                return Err(r.syntax("expected ':'"));
            }
            r.pos += 1;
            if key == name {
                return r.string().map(Some).map_err(|e| at(name, e));
            }
            r.skip()?;
            match r.next_token() {
                Some(b',') => r.pos += 1,
                Some(b'}') => return Ok(None),
                _ => return Err(r.syntax("expected ',' or '}'")),
            }
        }
    }

    /// The reader's byte offset (to come back to a value's start).
    #[cfg(feature = "json")]
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Goes back to an offset from [`position`](Self::position).
    #[cfg(feature = "json")]
    pub fn rewind(&mut self, pos: usize) {
        self.pos = pos.min(self.text.len());
        self.tag = None;
    }

    /// Makes the next object read skip member `name` (a tag already read with
    /// [`peek_member`](Self::peek_member)).
    #[cfg(feature = "json")]
    pub fn skip_member_once(&mut self, name: &'static str) {
        self.tag = Some(name);
    }

    /// Checks that only whitespace is left.
    ///
    /// # Errors
    /// When something else follows.
    pub fn finish(mut self) -> Result<()> {
        match self.next_token() {
            None => Ok(()),
            Some(_) => Err(self.syntax("trailing characters")),
        }
    }
}

/// A missing required member: `` `name`: missing member ``, whole in the terse build too (as an
/// unknown member's message), so that the browser builds name it (the name is the schema's).
#[cfg(feature = "json")]
pub fn missing(name: &str) -> Error {
    invalid(crate::error::at_path(name, "missing member".into()))
}

/// An unknown member (the schema refuses them, so a typo is not silently ignored).
#[cfg(feature = "json")]
pub fn unknown(name: &str) -> Error {
    // The caller's `object` puts the member's position in front, not its name (the input's
    // text): "`credentials[3]`: unknown member".
    let _ = name;
    invalid(UNKNOWN)
}

#[cfg(test)]
mod tests;
