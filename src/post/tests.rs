//! Unit tests of the POST policy model.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;

fn t0() -> Timestamp {
    Timestamp::parse_rfc3339("2026-11-24T10:00:00Z").unwrap()
}

const S3: Dialect = Dialect {
    meta_prefix: "x-amz-meta-",
    filename_key: FilenameKey::StartsWithWhenLast,
};

const GCS: Dialect = Dialect {
    meta_prefix: "x-goog-meta-",
    filename_key: FilenameKey::Exact,
};

#[test]
fn json_strings_are_escaped_like_python_ensure_ascii() {
    let mut s = String::new();
    json_string(&mut s, "a\"b\\c/d\n\r\t\u{8}\u{c}\u{1}\u{7f}é日😀 ~");
    assert_eq!(
        s,
        r#""a\"b\\c/d\n\r\t\b\f\u0001\u007f\u00e9\u65e5\ud83d\ude00 ~""#
    );
}

#[test]
fn layouts_match_the_sdks() {
    let c = [
        Condition::ContentLengthRange(0, 10),
        Condition::StartsWith("content-type".into(), "image/".into()),
        Condition::EqArray("acl".into(), "private".into()),
        Condition::Eq("bucket".into(), "b".into()),
    ];
    assert_eq!(
        policy_json(&c, t0(), Layout::Spaced),
        r#"{"expiration": "2026-11-24T10:00:00Z", "conditions": [["content-length-range", 0, 10], ["starts-with", "$content-type", "image/"], ["eq", "$acl", "private"], {"bucket": "b"}]}"#
    );
    assert_eq!(
        policy_json(&c, t0(), Layout::Compact),
        r#"{"conditions":[["content-length-range",0,10],["starts-with","$content-type","image/"],["eq","$acl","private"],{"bucket":"b"}],"expiration":"2026-11-24T10:00:00Z"}"#
    );
}

#[test]
fn keys_prefixes_and_filename() {
    let plan = |p: PostPolicy, d: &Dialect| p.plan(t0(), d).map(|p| (p.key_field, p.key_condition));
    let sw = |p: &str| Condition::StartsWith("key".into(), p.into());
    let eq = |k: &str| Condition::Eq("key".into(), k.into());
    for d in [&S3, &GCS] {
        assert_eq!(
            plan(PostPolicy::new("b", "a/b.txt"), d).unwrap(),
            ("a/b.txt".into(), eq("a/b.txt"))
        );
        assert_eq!(
            plan(PostPolicy::with_prefix("b", "up/"), d).unwrap(),
            ("up/${filename}".into(), sw("up/"))
        );
        assert_eq!(
            plan(PostPolicy::for_any_key("b"), d).unwrap(),
            ("${filename}".into(), sw(""))
        );
        let mut p = PostPolicy::with_prefix("b", "up/");
        p.key = Some("up/default.bin".into());
        assert_eq!(plan(p, d).unwrap(), ("up/default.bin".into(), sw("up/")));
        let mut p = PostPolicy::for_any_key("b");
        p.key = Some("any/default.bin".into());
        assert_eq!(plan(p, d).unwrap(), ("any/default.bin".into(), sw("")));
        // ${filename} in the middle: exact for both (boto3, google-cloud-storage).
        assert_eq!(
            plan(PostPolicy::new("b", "up/${filename}.jpg"), d).unwrap(),
            ("up/${filename}.jpg".into(), eq("up/${filename}.jpg"))
        );
        for bad in [
            PostPolicy {
                bucket: "b".into(),
                ..PostPolicy::default()
            },
            PostPolicy::new("b", ""),
            PostPolicy::new("b", "a\nb"),
            PostPolicy::new("b", "k".repeat(1025)),
            PostPolicy::with_prefix("b", "a/${filename}/"),
            PostPolicy::with_prefix("b", ""),
            PostPolicy {
                key: Some("other/x".into()),
                ..PostPolicy::with_prefix("b", "up/")
            },
            PostPolicy {
                key_prefix: Some("up/".into()),
                ..PostPolicy::for_any_key("b")
            },
            PostPolicy {
                key: Some(String::new()),
                ..PostPolicy::for_any_key("b")
            },
        ] {
            assert_eq!(plan(bad, d).unwrap_err().code(), "INVALID_KEY");
        }
    }
    // A trailing ${filename}: boto3's starts-with on S3, google-cloud-storage's exact key.
    assert_eq!(
        plan(PostPolicy::new("b", "up/${filename}"), &S3).unwrap(),
        ("up/${filename}".into(), sw("up/"))
    );
    assert_eq!(
        plan(PostPolicy::new("b", "up/${filename}"), &GCS).unwrap(),
        ("up/${filename}".into(), eq("up/${filename}"))
    );
    // ${filename} alone: boto3 would allow any key; only with any_key.
    assert_eq!(
        plan(PostPolicy::new("b", "${filename}"), &S3)
            .unwrap_err()
            .code(),
        "INVALID_KEY"
    );
    assert_eq!(
        plan(PostPolicy::new("b", "${filename}"), &GCS).unwrap(),
        ("${filename}".into(), eq("${filename}"))
    );
    // The S3 warning for an exact key holding ${filename}.
    let w = PostPolicy::new("b", "a/${filename}.jpg")
        .plan(t0(), &S3)
        .unwrap()
        .warnings;
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].code, "KEY_FILENAME_NOT_LAST");
    assert!(PostPolicy::new("b", "a/${filename}.jpg")
        .plan(t0(), &GCS)
        .unwrap()
        .warnings
        .is_empty());
}

#[test]
fn fields_are_sorted_checked_and_unique() {
    let mut p = PostPolicy::with_prefix("b", "up/");
    p.content_type = Some("image/png".into());
    p.acl = Some("private".into());
    p.success_action_status = Some(201);
    p.metadata.push("UUID", "1");
    p.fields.push("x-amz-storage-class", "STANDARD");
    p.starts_with.push("x-amz-meta-tag", "");
    p.content_length_range = Some(ContentLengthRange { min: 1, max: 9 });
    let plan = p.plan(t0(), &S3).unwrap();
    let names: Vec<_> = plan.fields.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "acl",
            "content-type",
            "success_action_status",
            "x-amz-meta-uuid",
            "x-amz-storage-class"
        ]
    );
    assert_eq!(plan.exact, plan.fields);
    assert_eq!(
        plan.conditions,
        [
            Condition::ContentLengthRange(1, 9),
            Condition::StartsWith("x-amz-meta-tag".into(), "".into())
        ]
    );
    assert_eq!(plan.expires_at.rfc3339(), "2026-11-24T11:00:00Z");

    // Pre-filled fields that a condition names get no exact condition; x-ignore-* none.
    let mut p = PostPolicy::new("b", "k");
    p.content_type = Some("image/png".into());
    p.content_type_prefix = Some("image/".into());
    p.fields.push("x-ignore-note", "n");
    p.fields.push("X-Ignore-Upper", "u");
    p.fields.push("Cache-Control", "max-age=1");
    p.conditions = vec![
        Condition::EqArray("cache-control".into(), "max-age=1".into()),
        Condition::Eq("acl".into(), "private".into()),
    ];
    let plan = p.plan(t0(), &S3).unwrap();
    let names: Vec<_> = plan.fields.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Cache-Control",
            "X-Ignore-Upper",
            "content-type",
            "x-ignore-note"
        ]
    );
    // Only lower-case x-ignore-* is exempt (as google-cloud-storage tests it).
    assert_eq!(plan.exact, [("X-Ignore-Upper".into(), "u".into())]);
    assert_eq!(
        plan.conditions,
        [
            Condition::StartsWith("content-type".into(), "image/".into()),
            Condition::EqArray("cache-control".into(), "max-age=1".into()),
            Condition::Eq("acl".into(), "private".into()),
        ]
    );

    let bad = |f: &dyn Fn(&mut PostPolicy)| {
        let mut p = PostPolicy::new("b", "k");
        f(&mut p);
        p.plan(t0(), &S3).unwrap_err().code()
    };
    assert_eq!(bad(&|p| p.fields.push("Policy", "x")), "INVALID_REQUEST");
    assert_eq!(
        bad(&|p| p.fields.push("X-Amz-Signature", "x")),
        "INVALID_REQUEST"
    );
    assert_eq!(bad(&|p| p.fields.push("a b", "x")), "INVALID_REQUEST");
    assert_eq!(bad(&|p| p.fields.push("", "x")), "INVALID_REQUEST");
    assert_eq!(bad(&|p| p.starts_with.push("$acl", "x")), "INVALID_REQUEST");
    assert_eq!(bad(&|p| p.starts_with.push("key", "x")), "INVALID_REQUEST");
    assert_eq!(
        bad(&|p| p.metadata.push("x-amz-meta-a", "x")),
        "INVALID_REQUEST"
    );
    assert_eq!(
        bad(&|p| {
            p.acl = Some("private".into());
            p.fields.push("ACL", "x");
        }),
        "INVALID_REQUEST"
    );
    // A pre-filled value outside its condition.
    assert_eq!(
        bad(&|p| {
            p.content_type = Some("b/c".into());
            p.content_type_prefix = Some("a/".into());
        }),
        "INVALID_REQUEST"
    );
    assert_eq!(
        bad(&|p| {
            p.fields.push("content-type", "b/c");
            p.starts_with.push("Content-Type", "a/");
        }),
        "INVALID_REQUEST"
    );
    assert_eq!(
        bad(&|p| {
            p.fields.push("acl", "a");
            p.conditions = vec![Condition::EqArray("ACL".into(), "b".into())];
        }),
        "INVALID_REQUEST"
    );
    // Conditions the form owns, or that cannot hold.
    for c in [
        Condition::StartsWith("key".into(), "a".into()),
        Condition::Eq("Bucket".into(), "b".into()),
        Condition::EqArray("x-amz-credential".into(), "c".into()),
        Condition::Eq("$acl".into(), "c".into()),
        Condition::StartsWith(String::new(), "c".into()),
        Condition::ContentLengthRange(2, 1),
    ] {
        assert_eq!(
            bad(&|p| p.conditions = vec![c.clone()]),
            "INVALID_REQUEST",
            "{c:?}"
        );
    }
    assert_eq!(
        bad(&|p| p.success_action_status = Some(302)),
        "INVALID_REQUEST"
    );
    assert_eq!(
        bad(&|p| p.success_action_redirect = Some(String::new())),
        "INVALID_REQUEST"
    );
    assert_eq!(
        bad(&|p| p.content_length_range = Some(ContentLengthRange { min: 2, max: 1 })),
        "INVALID_REQUEST"
    );
    assert_eq!(bad(&|p| p.expires_in = Some(0)), "INVALID_EXPIRY");
    assert_eq!(
        bad(&|p| p.expires_in = Some(MAX_EXPIRES + 1)),
        "INVALID_EXPIRY"
    );
}
