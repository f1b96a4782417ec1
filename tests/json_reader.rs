//! The hand-written JSON reader and writer against serde_json, the reference: the same texts are
//! accepted, strings read back equal, object order is kept, and strings are written byte for
//! byte as serde_json writes them. (serde_json is a dev-dependency only.)

#![cfg(feature = "json")]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use presign::json::{self, FromJson, Reader};
use presign::Params;
use proptest::prelude::*;
use serde_json::Value;

/// Arbitrary JSON values (strings drawn from all of Unicode, control characters included).
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Whether our reader takes `text` as one well-formed JSON value.
fn ours_accepts(text: &str) -> bool {
    let mut r = Reader::new(text);
    r.skip().is_ok() && r.finish().is_ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn strings_are_written_as_serde_json_writes_them(s in any::<String>()) {
        prop_assert_eq!(json::string(&s), serde_json::to_string(&s).unwrap());
    }

    #[test]
    fn strings_read_back_as_serde_json_reads_them(s in any::<String>(), pretty in any::<bool>()) {
        // serde_json writes no \u escapes for non-ASCII; write some by hand as well.
        let text = serde_json::to_string(&s).unwrap();
        let escaped: String = s.chars().map(|c| {
            let mut buf = [0u16; 2];
            c.encode_utf16(&mut buf).iter().map(|u| format!("\\u{u:04x}")).collect::<String>()
        }).collect();
        for t in [text, format!("\"{escaped}\"")] {
            let t = if pretty { format!(" \n\t{t}\r ") } else { t };
            prop_assert_eq!(json::from_str::<String>(&t).unwrap(), s.clone());
        }
    }

    #[test]
    fn valid_json_is_accepted_and_objects_keep_their_order(v in value(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&v) } else { serde_json::to_string(&v) }.unwrap();
        prop_assert!(ours_accepts(&text), "{}", text);
        // An object of strings reads into Params in the text's order.
        if let Value::Object(m) = &v {
            if m.values().all(Value::is_string) {
                let p: Params = json::from_str(&text).unwrap();
                let want: Vec<(String, String)> =
                    m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned())).collect();
                prop_assert_eq!(p.0, want);
            }
        }
    }

    #[test]
    fn damaged_json_is_judged_as_serde_json_judges_it(
        v in value(),
        at in any::<prop::sample::Index>(),
        cut in any::<bool>(),
        byte in prop::sample::select(&b"{}[]\",:\\0-.eE+tfn \x01"[..]),
    ) {
        let text = serde_json::to_string(&v).unwrap();
        let mut bytes = text.into_bytes();
        let i = at.index(bytes.len() + 1);
        if cut { bytes.truncate(i) } else { bytes.insert(i, byte) }
        if let Ok(damaged) = String::from_utf8(bytes) {
            let reference = serde_json::from_str::<Value>(&damaged);
            // serde_json also refuses numbers beyond f64's range; our reader never reads
            // floats, so it only checks their grammar.
            if reference.as_ref().is_err_and(|e| e.to_string().contains("number out of range")) {
                return Ok(());
            }
            let reference = reference.is_ok();
            prop_assert_eq!(ours_accepts(&damaged), reference, "{:?}", damaged);
        }
    }

    #[test]
    fn integers_read_as_serde_json_reads_u64(text in "[-0-9.eE+]{1,24}") {
        let ours = json::from_str::<u64>(&text).ok();
        let reference = serde_json::from_str::<u64>(&text).ok();
        prop_assert_eq!(ours, reference, "{}", text);
    }
}

#[test]
fn duplicate_members_and_deep_nesting_do_not_panic() {
    // Skipping does not recurse (no stack to overflow), so any depth is skipped: deeper than
    // serde_json's limit of 128, which is a limit of its recursion, not of JSON.
    let text = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(ours_accepts(&text));
    assert!(!ours_accepts(&text[1..]));
    let mut r = Reader::new(r#"{"a":"1","a":"2"}"#);
    let p = Params::from_json(&mut r).unwrap();
    assert_eq!(p.0.len(), 2);
}
