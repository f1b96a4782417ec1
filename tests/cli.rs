//! The `presign` binary from outside: its JSON Lines modes (`batch`, `post --json-request`,
//! `cors --stdin`) share one line loop and one exit rule — 0 every line succeeded, 1 some lines
//! failed (answered in place; a line that is not UTF-8 is one of them), 2 usage error or
//! unreadable stdin. Also: what a request leaves out comes from the environment (its own members
//! stay), and the flags the URL signer and `post` share read alike. Run by
//! `cargo test --all-features` (the test needs the `cli` feature).

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_presign");

/// The binary with a known environment (test credentials, nothing else).
fn presign(args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .env_clear()
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env(
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        )
        .env("AWS_REGION", "us-east-1");
    c
}

/// Waits for `child` at most 20 s (a loop on an unreadable stdin must not hang the test).
fn finish(mut child: std::process::Child) -> Output {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => return child.wait_with_output().unwrap(),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let out = child.wait_with_output().unwrap();
                panic!(
                    "presign did not finish in 20 s; stdout so far: {} bytes",
                    out.stdout.len()
                );
            }
        }
    }
}

/// Runs with `input` on stdin.
fn run(args: &[&str], input: &[u8]) -> Output {
    let mut child = presign(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input).unwrap();
    drop(stdin);
    finish(child)
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// stdout as JSON values, one per line.
fn results(o: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn error_code(v: &serde_json::Value) -> Option<&str> {
    v["error"]["code"].as_str()
}

/// Good, not UTF-8 (a raw 0xFF inside a string), blank, good with CRLF, bad, good.
fn mixed(good: &[&str; 3], bad: &str) -> Vec<u8> {
    let mut input = Vec::new();
    input.extend_from_slice(good[0].as_bytes());
    input.extend_from_slice(b"\n{\"provider\":\"s3\",\"bucket\":\"b\",\"key\":\"\xff\xfe\"}\n");
    input.extend_from_slice(b"  \t\n\n");
    input.extend_from_slice(good[1].as_bytes());
    input.extend_from_slice(b"\r\n");
    input.extend_from_slice(bad.as_bytes());
    input.push(b'\n');
    input.extend_from_slice(good[2].as_bytes()); // no final newline
    input
}

#[test]
fn batch_answers_every_line_in_place_and_exits_1_when_some_failed() {
    let good = [
        r#"{"provider":"s3","bucket":"b","key":"one"}"#,
        r#"{"provider":"s3","bucket":"b","key":"two"}"#,
        r#"{"provider":"s3","bucket":"b","key":"three"}"#,
    ];
    let o = run(
        &["batch"],
        &mixed(&good, r#"{"provider":"s3","bucket":"b","key":""}"#),
    );
    let r = results(&o);
    assert_eq!(r.len(), 5, "one output line per non-blank input line");
    assert!(r[0]["url"].as_str().unwrap().contains("/b/one?"));
    assert_eq!(error_code(&r[1]), Some("INVALID_REQUEST"));
    assert!(r[1]["error"]["message"].as_str().unwrap().contains("UTF-8"));
    assert!(r[2]["url"].as_str().unwrap().contains("/b/two?"));
    assert_eq!(error_code(&r[3]), Some("INVALID_KEY"));
    assert!(r[4]["url"].as_str().unwrap().contains("/b/three?"));
    assert_eq!(code(&o), 1);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("2 of 5 lines failed"), "{stderr}");
}

#[test]
fn post_json_request_answers_every_line_in_place_and_exits_1_when_some_failed() {
    let good = [
        r#"{"provider":"s3","bucket":"b","key":"one"}"#,
        r#"{"provider":"s3","bucket":"b","keyPrefix":"two/"}"#,
        r#"{"provider":"s3","bucket":"b","key":"three"}"#,
    ];
    let o = run(
        &["post", "--json-request"],
        &mixed(
            &good,
            r#"{"provider":"s3","bucket":"b","key":"k","expiresIn":0}"#,
        ),
    );
    let r = results(&o);
    assert_eq!(r.len(), 5, "one output line per non-blank input line");
    let key = |v: &serde_json::Value| v["fields"][0][1].as_str().map(str::to_owned);
    assert_eq!(key(&r[0]).as_deref(), Some("one"));
    assert_eq!(error_code(&r[1]), Some("INVALID_REQUEST"));
    assert!(r[1]["error"]["message"].as_str().unwrap().contains("UTF-8"));
    assert_eq!(key(&r[2]).as_deref(), Some("two/${filename}"));
    assert_eq!(error_code(&r[3]), Some("INVALID_EXPIRY"));
    assert_eq!(key(&r[4]).as_deref(), Some("three"));
    assert_eq!(code(&o), 1);
}

#[test]
fn every_line_good_exits_0_and_blank_input_writes_nothing() {
    for args in [&["batch"][..], &["post", "--json-request"]] {
        let o = run(
            args,
            b"\n{\"provider\":\"s3\",\"bucket\":\"b\",\"key\":\"k\"}\n\n",
        );
        assert_eq!(code(&o), 0, "{args:?}");
        assert_eq!(results(&o).len(), 1, "{args:?}");
        let o = run(args, b"");
        assert_eq!((code(&o), o.stdout.len()), (0, 0), "{args:?}");
        let o = run(args, b" \n\r\n\t\n");
        assert_eq!((code(&o), o.stdout.len()), (0, 0), "{args:?}");
    }
}

#[test]
fn cors_stdin_names_bad_lines_prints_no_rule_and_exits_1() {
    let args = [
        "cors",
        "s3",
        "--origin",
        "https://app.example.com",
        "--stdin",
    ];
    let o = run(
        &args,
        b"{\"method\":\"PUT\",\"headers\":{\"content-type\":\"image/png\"}}\n\xff\xfe\n\n{\"error\":{\"code\":\"INVALID_KEY\",\"message\":\"m\"}}\nnot json\n{\"method\":\"GET\"}\n",
    );
    assert_eq!(code(&o), 1);
    assert!(o.stdout.is_empty(), "no rule when a line failed");
    let stderr = String::from_utf8_lossy(&o.stderr);
    for line in ["stdin line 2:", "stdin line 4:", "stdin line 5:"] {
        assert!(stderr.contains(line), "{line} in {stderr}");
    }
    assert!(stderr.contains("3 of 5 lines failed"), "{stderr}");
    let o = run(
        &args,
        b"{\"method\":\"PUT\",\"headers\":{\"content-type\":\"image/png\"}}\r\n\n",
    );
    assert_eq!(code(&o), 0);
    let rule: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(rule["CORSRules"][0]["AllowedMethods"][0], "PUT");
}

#[test]
fn unreadable_stdin_stops_every_mode_with_exit_2() {
    // Reading a directory fails (EISDIR) on every read: the loop must stop, not retry forever.
    for args in [
        &["batch"][..],
        &["post", "--json-request"],
        &["cors", "s3", "--origin", "https://a.example", "--stdin"],
    ] {
        let dir = std::fs::File::open(env!("CARGO_MANIFEST_DIR")).unwrap();
        let child = presign(args)
            .stdin(Stdio::from(dir))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let o = finish(child);
        assert_eq!(code(&o), 2, "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("cannot read stdin"),
            "{args:?}"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["batch", "--bogus"][..],
        &["post", "--json-request", "s3://b/k"],
        &["cors", "s3", "--stdin"],
    ] {
        let o = run(args, b"");
        assert_eq!(code(&o), 2, "{args:?}");
    }
}

#[test]
fn help_states_the_exit_rule() {
    for args in [
        &["--help"][..],
        &["batch", "--help"],
        &["post", "--help"],
        &["cors", "--help"],
    ] {
        let o = run(args, b"");
        assert_eq!(code(&o), 0, "{args:?}");
        let help = String::from_utf8_lossy(&o.stdout);
        assert!(
            help.contains("0 every line succeeded; 1 some lines failed"),
            "{args:?}: {help}"
        );
    }
}

#[test]
fn messages_quote_nothing_from_the_arguments_or_lines() {
    const C: &str = "CANARYzq7";
    let url = "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256";
    for args in [
        vec![format!("{C}://x/y")],
        vec![format!("s3://{C}")],
        vec![format!("https://a.blob.core.windows.net/c/%{C}")],
        vec!["s3://b/k".into(), "-H".into(), C.into()],
        vec!["s3://b/k".into(), "--expires".into(), C.into()],
        vec!["s3://b/k".into(), "--at".into(), C.into()],
        vec!["post".into(), format!("{C}://b/")],
        vec![
            "post".into(),
            "gs://b/".into(),
            "--max-size".into(),
            C.into(),
        ],
        vec![
            "post".into(),
            "s3://b/".into(),
            "--meta".into(),
            format!("{C}=1"),
            "--meta".into(),
            format!("{C}=2"),
        ],
        vec![
            "cors".into(),
            C.into(),
            "--origin".into(),
            "https://a.example".into(),
        ],
        vec![
            "cors".into(),
            "s3".into(),
            "--origin".into(),
            "https://a.example".into(),
            "-X".into(),
            "PUT".into(),
            "--format".into(),
            C.into(),
        ],
        vec![
            "cors".into(),
            "s3".into(),
            "--origin".into(),
            format!("https://{C}/"),
            "-X".into(),
            "PUT".into(),
        ],
        vec!["verify".into(), url.into(), "-H".into(), C.into()],
        vec!["verify".into(), url.into(), "-X".into(), C.into()],
        vec![
            "verify".into(),
            url.into(),
            "--gcs-public-key".into(),
            C.into(),
        ],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(&args, b"");
        assert_ne!(code(&o), 0, "{args:?}");
        let out = String::from_utf8_lossy(&o.stderr) + String::from_utf8_lossy(&o.stdout);
        assert!(!out.contains(C), "{args:?}: {out}");
    }
    let line = format!(r#"{{"provider":"s3","bucket":"b","key":"k","region":"{C} x"}}"#);
    let o = run(&["batch"], line.as_bytes());
    assert_eq!(error_code(&results(&o)[0]), Some("INVALID_ENDPOINT"));
    assert!(!String::from_utf8_lossy(&o.stdout).contains(C));
}

/// The binary with exactly `env` as its environment.
fn run_env(args: &[&str], env: &[(&str, &str)], input: &[u8]) -> Output {
    let mut c = Command::new(BIN);
    c.args(args).env_clear().envs(env.iter().copied());
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    finish(child)
}

const AZURE_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const GCS_KEY_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/gcs/test_service_account.not-a-test.json"
);

/// A URL's query parameter, percent-decoded.
fn query_param(url: &str, name: &str) -> String {
    let query = url.split_once('?').unwrap().1;
    let value = query
        .split('&')
        .find_map(|p| p.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} in {url}"));
    presign::percent_decode(value).unwrap()
}

#[test]
fn batch_lines_take_what_they_leave_out_from_the_environment_and_keep_their_own() {
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "envsecret"),
        ("AWS_SESSION_TOKEN", "ENVTOKEN"),
        ("AWS_REGION", "eu-west-1"),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:9000"),
        ("AZURE_STORAGE_ACCOUNT", "envaccount"),
        ("AZURE_STORAGE_KEY", AZURE_KEY),
        ("GOOGLE_APPLICATION_CREDENTIALS", GCS_KEY_FILE),
    ];
    let lines = [
        // 0: nothing of its own: the environment's credentials, region and endpoint.
        r#"{"provider":"s3","bucket":"b","key":"k"}"#,
        // 1: its own credentials, region and endpoint.
        r#"{"provider":"s3","bucket":"b","key":"k","credentials":{"accessKeyId":"AKIDOWN","secretAccessKey":"own"},"region":"ap-south-1","endpoint":"http://own.example:8333"}"#,
        // 2: null is left out.
        r#"{"provider":"s3","bucket":"b","key":"k","credentials":null,"region":null,"endpoint":null}"#,
        // 3: dualstack selects an AWS endpoint: no endpoint from the environment.
        r#"{"provider":"s3","bucket":"b","key":"k","dualstack":true}"#,
        // 4, 5: Azure: the environment's account and key, or its own account.
        r#"{"provider":"azure","container":"photos","blob":"cat.jpg"}"#,
        r#"{"provider":"azure","container":"photos","blob":"cat.jpg","account":"ownaccount"}"#,
        // 6, 7: GCS: the key file's service account, or its own HMAC key.
        r#"{"provider":"gcs","bucket":"bkt","object":"o"}"#,
        r#"{"provider":"gcs","bucket":"bkt","object":"o","credentials":{"hmac":{"accessId":"GOOG1OWN","secret":"s"}}}"#,
        // 8: an unknown member is still named by its own position (the defaults come after it).
        r#"{"provider":"s3","bucket":"b","bogus":1,"key":"k"}"#,
    ];
    let o = run_env(&["batch"], &env, lines.join("\n").as_bytes());
    let r = results(&o);
    assert_eq!(
        r.len(),
        lines.len(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let url = |i: usize| {
        r[i]["url"]
            .as_str()
            .unwrap_or_else(|| panic!("{i}: {}", r[i]))
    };
    for i in [0, 2] {
        assert!(
            url(i).starts_with("http://127.0.0.1:9000/b/k?"),
            "{}",
            url(i)
        );
        assert!(query_param(url(i), "X-Amz-Credential").starts_with("AKIDENV/"));
        assert!(query_param(url(i), "X-Amz-Credential").contains("/eu-west-1/s3/"));
        assert_eq!(query_param(url(i), "X-Amz-Security-Token"), "ENVTOKEN");
    }
    assert!(
        url(1).starts_with("http://own.example:8333/b/k?"),
        "{}",
        url(1)
    );
    assert!(query_param(url(1), "X-Amz-Credential").starts_with("AKIDOWN/"));
    assert!(query_param(url(1), "X-Amz-Credential").contains("/ap-south-1/s3/"));
    assert!(!url(1).contains("X-Amz-Security-Token"), "{}", url(1));
    assert!(
        url(3).starts_with("https://s3.dualstack.eu-west-1.amazonaws.com/b/k?"),
        "{}",
        url(3)
    );
    assert!(
        url(4).starts_with("https://envaccount.blob.core.windows.net/photos/cat.jpg?"),
        "{}",
        url(4)
    );
    assert!(
        url(5).starts_with("https://ownaccount.blob.core.windows.net/photos/cat.jpg?"),
        "{}",
        url(5)
    );
    assert!(query_param(url(6), "X-Goog-Credential")
        .starts_with("test-iam-credentials@dummy-project-id.iam.gserviceaccount.com/"));
    assert_eq!(query_param(url(6), "X-Goog-Algorithm"), "GOOG4-RSA-SHA256");
    assert!(query_param(url(7), "X-Goog-Credential").starts_with("GOOG1OWN/"));
    assert_eq!(
        r[8]["error"]["message"],
        "not a valid request: `[2]`: unknown member"
    );
    assert_eq!(code(&o), 1);
}

#[test]
fn an_unreadable_gcs_key_file_fails_only_the_lines_that_need_it() {
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "envsecret"),
        ("GOOGLE_APPLICATION_CREDENTIALS", "/nonexistent/key.json"),
    ];
    let input = [
        r#"{"provider":"gcs","bucket":"bkt","object":"o"}"#,
        r#"{"provider":"gcs","bucket":"bkt","object":"o","credentials":{"hmac":{"accessId":"GOOG1OWN","secret":"s"}}}"#,
        r#"{"provider":"s3","bucket":"b","key":"k"}"#,
    ]
    .join("\n");
    let o = run_env(&["batch"], &env, input.as_bytes());
    let r = results(&o);
    assert_eq!(error_code(&r[0]), Some("INVALID_CREDENTIALS"));
    assert!(r[0]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("GOOGLE_APPLICATION_CREDENTIALS: cannot read"));
    assert!(r[1]["url"].is_string() && r[2]["url"].is_string(), "{r:?}");
    // The URL signer says the same, with exit 1.
    let o = run_env(&["gs://bkt/o"], &env, b"");
    assert_eq!(code(&o), 1);
    assert!(String::from_utf8_lossy(&o.stderr).contains("INVALID_CREDENTIALS"));
}

#[test]
fn post_and_the_url_signer_read_the_shared_flags_alike() {
    let at = "2026-11-24T10:00:00Z";
    let url_of = |args: &[&str]| {
        let o = run(&[args, &["--at", at, "--json"]].concat(), b"");
        assert_eq!(
            code(&o),
            0,
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        results(&o)[0]["url"].as_str().unwrap().to_owned()
    };
    let post_of = |args: &[&str]| {
        let o = run(&[&["post"], args, &["--at", at]].concat(), b"");
        assert_eq!(
            code(&o),
            0,
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        results(&o).remove(0)
    };
    let field = |form: &serde_json::Value, name: &str| {
        form["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f[0] == name)
            .map(|f| f[1].as_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    // --endpoint, --path-style, --region, --expires
    let flags = [
        "--endpoint",
        "http://127.0.0.1:8333",
        "--path-style",
        "--region",
        "eu-central-1",
        "--expires",
        "10m",
    ];
    let url = url_of(&[&["s3://bkt/k"], &flags[..]].concat());
    assert!(url.starts_with("http://127.0.0.1:8333/bkt/k?"), "{url}");
    assert!(query_param(&url, "X-Amz-Credential").contains("/eu-central-1/s3/"));
    let form = post_of(&[&["s3://bkt/k"], &flags[..]].concat());
    assert_eq!(form["url"], "http://127.0.0.1:8333/bkt");
    assert!(field(&form, "x-amz-credential").contains("/eu-central-1/s3/"));
    assert_eq!(form["expiresAt"], "2026-11-24T10:10:00Z");
    // --dualstack, --accelerate, --fips: the same AWS hosts.
    for (flag, host) in [
        ("--dualstack", "bkt.s3.dualstack.us-east-1.amazonaws.com"),
        ("--accelerate", "bkt.s3-accelerate.amazonaws.com"),
        ("--fips", "bkt.s3-fips.us-east-1.amazonaws.com"),
    ] {
        let url = url_of(&["s3://bkt/k", flag]);
        assert!(
            url.starts_with(&format!("https://{host}/k?")),
            "{flag}: {url}"
        );
        let form = post_of(&["s3://bkt/k", flag]);
        assert_eq!(form["url"], format!("https://{host}/"), "{flag}");
    }
    // Flags that do not apply to the provider: the same usage error.
    for (flags, says) in [
        (
            &["--region", "x"][..],
            "--region applies to S3 targets only",
        ),
        (
            &["--fips"],
            "--dualstack, --accelerate and --fips apply to S3 targets only",
        ),
        (&["--at", "yesterday"], "--at: "),
        (&["--expires", "soon"], "--expires: "),
    ] {
        for args in [
            [&["gs://bkt/o"], flags].concat(),
            [&["post", "gs://bkt/o"], flags].concat(),
        ] {
            let o = run(&args, b"");
            assert_eq!(code(&o), 2, "{args:?}");
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert!(stderr.contains(says), "{args:?}: {stderr}");
        }
    }
    // --credential-expiry: temporary credentials that expire before the URL.
    let env = [
        ("AWS_ACCESS_KEY_ID", "ASIAENV"),
        ("AWS_SECRET_ACCESS_KEY", "envsecret"),
        ("AWS_SESSION_TOKEN", "T"),
        ("AWS_CREDENTIAL_EXPIRATION", "2026-11-24T10:30:00Z"),
    ];
    for args in [&["s3://bkt/k"][..], &["post", "s3://bkt/k"]] {
        let o = run_env(
            &[args, &["--at", at, "--credential-expiry", "error"]].concat(),
            &env,
            b"",
        );
        assert_eq!(code(&o), 1, "{args:?}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("CREDENTIALS_EXPIRE"),
            "{args:?}"
        );
        let o = run_env(
            &[args, &["--at", at, "--credential-expiry", "clamp"]].concat(),
            &env,
            b"",
        );
        assert_eq!(
            code(&o),
            0,
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn a_condition_or_cors_line_with_a_lone_surrogate_is_not_json() {
    let o = run(
        &[
            "post",
            "s3://bkt/k",
            "--condition",
            r#"["eq","$acl","\ud800"]"#,
        ],
        b"",
    );
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--condition number 1: not JSON"));
    let o = run(
        &["cors", "s3", "--origin", "https://a.example", "--stdin"],
        br#"{"method":"GET","url":"\ud800"}"#,
    );
    assert_eq!(code(&o), 1);
    assert!(String::from_utf8_lossy(&o.stderr).contains("the line is not JSON"));
}
