//! The request parser of AWS's signing test suite (aws-c-auth's `tests/aws-signing-test-suite`),
//! shared by the SigV4 (`aws_vectors.rs`) and SigV4a (`sigv4a_vectors.rs`) runs.

use super::percent_decode;

pub struct Parsed {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Parses the suite's raw `request.txt`: the request-target is not encoded (it may contain
/// spaces); header continuation lines start with whitespace.
pub fn parse_request(raw: &str) -> Parsed {
    let (head, body) = match raw.split_once("\n\n") {
        Some((head, body)) => (head, body.as_bytes().to_vec()),
        None => (raw, Vec::new()),
    };
    let mut lines = head.lines();
    let request_line = lines.next().unwrap();
    let (method, rest) = request_line.split_once(' ').unwrap();
    let target = rest.strip_suffix(" HTTP/1.1").unwrap();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            // obs-fold: the continuation joins the previous value with a space.
            let last = headers.last_mut().unwrap();
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else {
            let (n, v) = line.split_once(':').unwrap();
            headers.push((n.to_string(), v.to_string()));
        }
    }
    Parsed {
        method: method.to_string(),
        path: percent_decode(path),
        query,
        headers,
        body,
    }
}

/// RFC 3986 §5.2.4 dot-segment removal plus duplicate-slash collapsing — what the suite's
/// `normalize: true` cases expect (generic AWS services; S3 never does this).
pub fn normalize_path(p: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = p.split('/').filter(|s| !s.is_empty()).collect();
    for s in &segments {
        match *s {
            "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let trailing = p.ends_with('/') || p.ends_with("/.") || p.ends_with("/..");
    let mut r = String::from("/");
    r.push_str(&out.join("/"));
    if trailing && !out.is_empty() {
        r.push('/');
    }
    r
}
