use super::*;
use crate::schema::json_struct;
use crate::types::Params;

#[derive(Debug, Default, PartialEq)]
struct Pair {
    a: String,
    b: Option<u64>,
    c: Params,
}
json_struct!(Pair {
    required { a: "a" }
    optional { b: "b", c: "c" }
});

fn err(text: &str) -> String {
    from_str::<Pair>(text).unwrap_err().message().to_owned()
}

#[test]
fn reads_structs_with_escapes_order_and_defaults() {
    let p: Pair =
        from_str(r#" {"c":{"z":"1","a":"\u00e9\ud83d\ude00\n\"\/"},"a":"x","b":7} "#).unwrap();
    assert_eq!(p.a, "x");
    assert_eq!(p.b, Some(7));
    assert_eq!(
        p.c.0,
        vec![
            ("z".to_owned(), "1".to_owned()),
            ("a".to_owned(), "é😀\n\"/".to_owned())
        ]
    );
    let p: Pair = from_str(r#"{"a":"","b":null}"#).unwrap();
    assert_eq!(p, Pair::default());
}

#[derive(Debug, Default, PartialEq)]
struct Two {
    x: String,
    y: String,
    z: Option<u64>,
}
json_struct!(Two {
    required { x: "x", y: "y" }
    optional { z: "z" }
});

#[test]
fn required_members_first_missing_named_last_duplicate_wins() {
    let missing = |t: &str| from_str::<Two>(t).unwrap_err().message().to_owned();
    assert_eq!(missing("{}"), "`x`: missing member");
    assert_eq!(missing(r#"{"y":"1","z":2}"#), "`x`: missing member");
    assert_eq!(missing(r#"{"x":"1"}"#), "`y`: missing member");
    assert!(from_str::<Two>(r#"{"x":null,"y":"2"}"#).is_err());
    let t: Two = from_str(r#"{"x":"1","y":"2","x":"3","z":null}"#).unwrap();
    assert_eq!((t.x.as_str(), t.y.as_str(), t.z), ("3", "2", None));
}

#[test]
fn errors_name_the_member_and_never_quote_values() {
    assert_eq!(err(r#"{"b":1}"#), "`a`: missing member");
    assert_eq!(err(r#"{"a":"x","zz":1}"#), "`[1]`: unknown member");
    assert_eq!(
        err(r#"{"a":"x","b":"SECRET"}"#),
        "`b`: expected a non-negative integer, found a string"
    );
    assert_eq!(
        err(r#"{"a":"x","c":{"k":"v","SECRET":5}}"#),
        "`c[1]`: expected a string, found a number"
    );
    assert_eq!(
        err(r#"{"a":"x","b":1.5}"#),
        "`b`: expected a non-negative integer, found a fraction"
    );
    assert_eq!(
        err(r#"{"a":"x","b":99999999999999999999}"#),
        "`b`: expected a non-negative integer, found one too large"
    );
}

#[test]
fn refuses_malformed_json() {
    for bad in [
        "",
        "{",
        r#"{"a":"x",}"#,
        r#"{"a":"x"} x"#,
        r#"{"a":"x\q"}"#,
        r#"{"a":"\ud800"}"#,
        r#"{"a":"\udc00x"}"#,
        "{\"a\":\"x\u{1}\"}",
        r#"{"a":"x","b":01}"#,
        r#"{"a":"x","c":{"k":"v" "l":"w"}}"#,
        r#"{"a" "x"}"#,
        r#"{'a':"x"}"#,
    ] {
        assert_eq!(
            from_str::<Pair>(bad).unwrap_err().code(),
            "INVALID_REQUEST",
            "{bad:?}"
        );
    }
    // Skipping does not recurse: any depth is skipped, and a deep value's grammar still counts.
    let deep = "[".repeat(100_000) + "{\"a\":[1,{}]}" + &"]".repeat(100_000);
    let mut r = Reader::new(&deep);
    assert!(r.skip().is_ok() && r.finish().is_ok());
    for bad in [&deep[..deep.len() - 1], &deep.replace("[1,", "[1,,")] {
        let mut r = Reader::new(bad);
        assert!(!(r.skip().is_ok() && r.finish().is_ok()));
    }
}

#[test]
fn a_lone_surrogate_is_refused_as_text_but_skipped_as_grammar() {
    for text in [
        r#"{"a":"x\ud800y"}"#,
        r#"{"a":"\udc00"}"#,
        r#"{"a":"x","c":{"\ud83d":"v"}}"#,
        r#"{"a":"x","b\udfff":1}"#,
    ] {
        assert!(
            err(text).contains("lone surrogate"),
            "{text}: {}",
            err(text)
        );
        let mut r = Reader::new(text);
        assert!(r.skip().is_ok(), "{text}");
        assert!(r.finish().is_ok(), "{text}");
    }
    // Its grammar is still checked.
    for text in [r#""\ud8""#, r#""\uzzzz""#, r#""\q""#, "\"\\ud800"] {
        assert!(Reader::new(text).skip().is_err(), "{text}");
    }
}

#[test]
fn skips_and_returns_raw_values() {
    let text = r#"[ {"x":[1,-2.5e+3,true,false,null,"s"]} , 7 ]"#;
    let mut r = Reader::new(text);
    let mut raws = Vec::new();
    r.array(|r| {
        raws.push(r.raw()?);
        Ok(())
    })
    .unwrap();
    assert_eq!(raws, [r#"{"x":[1,-2.5e+3,true,false,null,"s"]}"#, "7"]);
    r.finish().unwrap();
}

#[test]
fn finds_a_tag_anywhere_and_skips_it_once() {
    let text = r#"{"a":"x","provider":"s3","c":{"provider":"kept"}}"#;
    let mut r = Reader::new(text);
    assert_eq!(r.peek_member("provider").unwrap().as_deref(), Some("s3"));
    r.skip_member_once("provider");
    let p = Pair::from_json(&mut r).unwrap();
    assert_eq!(p.c.0, vec![("provider".to_owned(), "kept".to_owned())]);
}
