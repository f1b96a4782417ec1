//! Small text helpers the wasm build needs without `str`'s generic searchers, sort and join
//! (each of which costs kilobytes of wasm): byte searches and splits for ASCII separators, a
//! stable sort, join and concat. Each is checked against the standard library by a proptest.

#[cfg(any(url_signer, feature = "json"))]
use crate::error::{msg, Error, Result};
#[cfg(any(url_signer, feature = "json", feature = "cors"))]
use crate::prelude::*;

/// `&s[range]` for a range the crate computed itself (an offset recorded while writing `s`, or
/// found by scanning it), so in bounds and on character boundaries by construction. Should one
/// ever not be, that is a bug in the crate, and it is an error here: never a panic, and never an
/// empty string signed, sent or read in its place.
#[inline]
#[cfg(any(url_signer, feature = "json"))]
pub(crate) fn part<R: core::slice::SliceIndex<str, Output = str>>(
    s: &str,
    range: R,
) -> Result<&str> {
    s.get(range).ok_or_else(out_of_bounds)
}

/// [`part`] for bytes.
#[inline]
#[cfg(json_reader)]
pub(crate) fn bytes_from(b: &[u8], start: usize) -> Result<&[u8]> {
    b.get(start..).ok_or_else(out_of_bounds)
}

#[cold]
#[inline(never)]
#[cfg(any(url_signer, feature = "json"))]
fn out_of_bounds() -> Error {
    Error::InvalidRequest(msg!("internal error: a text range out of bounds"))
}

/// The byte offset of the first `pat` in `s`, as `s.find(pat)` gives it, by a plain scan:
/// `str`'s substring searcher costs kilobytes in the wasm build, and the haystacks here are
/// short (endpoints, origins, keys).
#[cfg(input_checks)]
pub(crate) fn find_str(s: &str, pat: &str) -> Option<usize> {
    let (s, p) = (s.as_bytes(), pat.as_bytes());
    (0..=s.len().checked_sub(p.len())?).find(|&i| s.get(i..i + p.len()) == Some(p))
}

/// `s.split_once(sep)` (or `s.rsplit_once(sep)` with `last`) for an ASCII `sep`, by a byte
/// scan: `str`'s char searchers (and `memchr`/`memrchr` behind them) cost over a kilobyte of
/// wasm. For short, cold inputs (endpoints, names, connection strings).
#[cfg(url_signer)]
pub(crate) fn split_once_byte(s: &str, sep: u8, last: bool) -> Option<(&str, &str)> {
    let i = if last {
        s.bytes().rposition(|b| b == sep)
    } else {
        s.bytes().position(|b| b == sep)
    }?;
    // `sep` is ASCII: both sides of it are character boundaries.
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// `s.split(sep)` for an ASCII `sep`, by a byte scan (see [`split_once_byte`]).
#[cfg(url_signer)]
pub(crate) fn split_byte(s: &str, sep: u8) -> SplitByte<'_> {
    SplitByte { rest: Some(s), sep }
}

/// See [`split_byte`].
#[cfg(url_signer)]
pub(crate) struct SplitByte<'a> {
    rest: Option<&'a str>,
    sep: u8,
}

#[cfg(url_signer)]
impl<'a> Iterator for SplitByte<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        let s = self.rest?;
        match split_once_byte(s, self.sep, false) {
            Some((part, rest)) => {
                self.rest = Some(rest);
                Some(part)
            }
            None => {
                self.rest = None;
                Some(s)
            }
        }
    }
}

/// Whether `s` holds the byte `b`: `s.as_bytes().contains(&b)` without core's memchr (0.4 KB of
/// wasm for these few short searches).
#[cfg(url_signer)]
pub(crate) fn has_byte(s: &str, b: u8) -> bool {
    s.bytes().any(|c| c == b)
}

/// The number of `char`s in `s` (its bytes that do not continue a UTF-8 sequence): what
/// `s.chars().count()` gives, without core's 0.8 KB word-at-a-time counter in the wasm.
#[cfg(feature = "azure")]
pub(crate) fn char_count(s: &str) -> usize {
    s.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

/// `parts.concat()`: see [`join`].
#[cfg(url_signer)]
pub(crate) fn concat(parts: &[&str]) -> String {
    join(parts, "")
}

/// `parts.join(sep)`, as a plain loop: the standard library's generic join costs over a
/// kilobyte of wasm per element type.
#[cfg(any(url_signer, feature = "json", feature = "cors"))]
pub(crate) fn join<S: AsRef<str>>(parts: &[S], sep: &str) -> String {
    let len = parts.iter().map(|p| p.as_ref().len() + sep.len()).sum();
    let mut out = String::with_capacity(len);
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(p.as_ref());
    }
    out
}

/// The crate's one sort, stable, for the short lists signing deals with (headers, query
/// parameters, policy fields, CORS lists): binary insertion, O(n log n) comparisons (and
/// O(n²) swaps). The standard library's sorts are fast on long inputs but cost kilobytes of code
/// per element type in the wasm build; these lists hold a handful of items.
#[cfg(any(input_checks, feature = "upload"))]
pub fn sort_by<T>(v: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    for i in 1..v.len() {
        // Binary search for the slot after every element not greater than `v[i]` (equal
        // elements keep their order), then swaps down to it: written out rather than
        // `partition_point` + `rotate_right`, whose generic code costs hundreds of bytes of
        // wasm per element type.
        let (mut lo, mut hi) = (0, i);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match (v.get(i), v.get(mid)) {
                (Some(x), Some(y)) if !less(x, y) => lo = mid + 1,
                _ => hi = mid,
            }
        }
        for j in (lo..i).rev() {
            v.swap(j, j + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "azure")]
    fn char_count_is_std_s() {
        use proptest::prelude::*;
        proptest!(ProptestConfig::with_cases(5_000), |(s in "\\PC{0,40}")| {
            prop_assert_eq!(char_count(&s), s.chars().count());
        });
        assert_eq!(char_count("aé😀\u{7f}\u{80}"), 5);
    }

    #[test]
    fn find_str_join_concat_are_std_s() {
        use proptest::prelude::*;
        proptest!(ProptestConfig::with_cases(5_000), |(s in "[:/aé]{0,12}", p in "[:/aé]{0,3}")| {
            prop_assert_eq!(find_str(&s, &p), s.find(p.as_str()));
        });
        proptest!(|(v in proptest::collection::vec("[aé,]{0,3}", 0..5), sep in "[,;]{0,2}")| {
            prop_assert_eq!(join(&v, &sep), v.join(sep.as_str()));
            let refs: Vec<&str> = v.iter().map(String::as_str).collect();
            prop_assert_eq!(concat(&refs), v.concat());
        });
        proptest!(ProptestConfig::with_cases(5_000), |(s in "[:.aé日]{0,12}", sep in "[:.]")| {
            let (sep_b, sep_c) = (sep.as_bytes()[0], sep.chars().next().unwrap());
            prop_assert_eq!(split_once_byte(&s, sep_b, false), s.split_once(sep_c));
            prop_assert_eq!(split_once_byte(&s, sep_b, true), s.rsplit_once(sep_c));
            prop_assert_eq!(
                split_byte(&s, sep_b).collect::<Vec<_>>(),
                s.split(sep_c).collect::<Vec<_>>()
            );
        });
    }

    #[test]
    fn sort_by_is_a_stable_sort() {
        // Against the standard library's stable sort, on every permutation-ish input.
        let mut seed = 7u64;
        for n in 0..40 {
            let mut v: Vec<(u8, usize)> = (0..n)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 60) as u8, i)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|p| p.0);
            sort_by(&mut v, |a, b| a.0 < b.0);
            assert_eq!(v, want);
        }
    }
}
