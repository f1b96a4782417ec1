//! The `presign` binary from outside: its JSON Lines modes (`batch`, `post --json-request`,
//! `cors --stdin`) share one line loop and one exit rule — 0 every line succeeded, 1 some lines
//! failed (answered in place; a line that is not UTF-8 is one of them), 2 usage error or
//! unreadable stdin. Run by `cargo test --all-features` (the test needs the `cli` feature).

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
