//! `presign checksum`: a file's upload checksum, as a value or as the header a presigned PUT signs.

use super::Failure;
use presign::checksum::{gcs_hash_header, Algorithm, Checksum, Hasher};
use std::io::{Read, Write};

/// Arguments of `presign checksum`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
presign checksum -a crc32c photo.jpg                  4waSgw==  photo.jpg\n  \
presign checksum -a sha256 --format hex photo.jpg     as sha256sum prints it\n  \
presign checksum -a crc64nvme --format azure photo.jpg    x-ms-content-crc64: ...\n  \
presign checksum -a crc32c -a md5 --format gcs photo.jpg  x-goog-hash: crc32c=...,md5=...\n  \
presign s3://bucket/photo.jpg -X PUT -H \"$(presign checksum -a crc32c --format s3 photo.jpg)\"\n\n\
Algorithms: crc32, crc32c, crc64nvme, md5, sha1, sha256. S3 verifies all of them (x-amz-checksum-*, \
md5 as Content-MD5), Azure md5 and crc64nvme (x-ms-content-crc64), GCS crc32c and md5 (x-goog-hash).\n\n\
Exit codes: 0 ok, 1 an algorithm the provider does not verify, 2 usage error or unreadable file.")]
pub struct ChecksumArgs {
    /// crc32, crc32c, crc64nvme, md5, sha1 or sha256 (repeatable with the header formats).
    #[arg(short, long = "algorithm", value_name = "ALGORITHM", required = true)]
    algorithms: Vec<String>,
    /// base64 (the header value) or hex: one line "VALUE  FILE" per file; s3, azure, gcs: the
    /// header lines "name: value" of one file, as the provider reads them.
    #[arg(long, default_value = "base64")]
    format: String,
    /// Files to read ("-" or none: standard input).
    files: Vec<String>,
    /// The read buffer's size in bytes (the chunks the hashers see; for tests).
    #[arg(long, hide = true, default_value_t = 1 << 20)]
    read_size: usize,
}

/// Runs `presign checksum`.
pub fn run(args: &ChecksumArgs) -> Result<(), Failure> {
    let algorithms = args
        .algorithms
        .iter()
        .map(|a| {
            Algorithm::from_name(a)
                .map_err(|e| Failure::Usage(format!("--algorithm: {}", e.message())))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let value_format = matches!(args.format.as_str(), "base64" | "hex");
    if !value_format && !matches!(args.format.as_str(), "s3" | "azure" | "gcs") {
        return Err(Failure::Usage(
            "--format: expected base64, hex, s3, azure or gcs".into(),
        ));
    }
    if value_format && algorithms.len() != 1 {
        return Err(Failure::Usage(format!(
            "--format {} takes one --algorithm",
            args.format
        )));
    }
    let files: Vec<&str> = if args.files.is_empty() {
        vec!["-"]
    } else {
        args.files.iter().map(String::as_str).collect()
    };
    if !value_format && files.len() != 1 {
        return Err(Failure::Usage(format!(
            "--format {} takes one file",
            args.format
        )));
    }
    if args.read_size == 0 {
        return Err(Failure::Usage("--read-size: at least 1".into()));
    }
    let mut lines = String::new();
    for file in files {
        let sums = checksums(file, &algorithms, args.read_size)?;
        match args.format.as_str() {
            "base64" | "hex" => {
                for s in &sums {
                    let v = if args.format == "hex" {
                        s.hex()
                    } else {
                        s.base64()
                    };
                    lines.push_str(&format!("{v}  {file}\n"));
                }
            }
            "s3" => {
                for s in &sums {
                    let (name, value) = s.s3_header();
                    lines.push_str(&format!("{name}: {value}\n"));
                }
            }
            "azure" => {
                for s in &sums {
                    let (name, value) = s.azure_header()?;
                    lines.push_str(&format!("{name}: {value}\n"));
                }
            }
            _ => lines.push_str(&format!("x-goog-hash: {}\n", gcs_hash_header(&sums)?)),
        }
    }
    let mut out = std::io::stdout().lock();
    out.write_all(lines.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Failure::Io(format!("cannot write the output: {e}")))
}

/// The checksums of one file (or stdin), read once in chunks of `read_size` bytes.
fn checksums(
    file: &str,
    algorithms: &[Algorithm],
    read_size: usize,
) -> Result<Vec<Checksum>, Failure> {
    let mut input: Box<dyn Read> = if file == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(
            std::fs::File::open(file)
                .map_err(|e| Failure::Io(format!("cannot read {file}: {e}")))?,
        )
    };
    let mut hashers: Vec<Hasher> = algorithms.iter().map(|a| Hasher::new(*a)).collect();
    let mut buf = vec![0u8; read_size];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Failure::Io(format!("cannot read {file}: {e}"))),
        };
        let chunk = buf.get(..n).unwrap_or(&buf);
        for h in &mut hashers {
            h.update(chunk);
        }
    }
    Ok(hashers.into_iter().map(Hasher::finish).collect())
}
