use super::*;
use crate::time::Timestamp;
use crate::types::Method;

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-11-24T10:00:00Z").unwrap()
}

fn s3_target() -> Request {
    let mut r = crate::s3::S3Request::new(Method::Get, "examplebucket", "big file.bin")
        .with_credentials(crate::s3::Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ));
    r.headers.push("content-type", "video/mp4");
    Request::S3(r)
}

fn azure_target() -> Request {
    let mut r =
        crate::azure::AzureRequest::new(Method::Get, "devstoreaccount1", "photos", "big.bin");
    r.credentials = Some(crate::azure::Credentials::connection_string(
        "UseDevelopmentStorage=true",
    ));
    Request::Azure(r)
}

fn gcs_target() -> Request {
    Request::Gcs(
        crate::gcs::GcsRequest::new(Method::Get, "bucket", "big.bin").with_credentials(
            crate::gcs::Credentials::hmac(
                "GOOG1EEXAMPLE",
                "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ",
            ),
        ),
    )
}

fn upload(target: Request, size: u64, part: Option<u64>) -> UploadRequest {
    UploadRequest {
        part_size: part,
        ..UploadRequest::new(target, size)
    }
}

#[test]
fn part_size_rule_per_provider() {
    // Default 8 MiB; grows to keep within the part count, in whole MiB.
    assert_eq!(layout(Provider::S3, 1 << 30, None).unwrap(), (8 * MIB, 128));
    assert_eq!(layout(Provider::S3, 1, None).unwrap(), (8 * MIB, 1));
    let tib = 1u64 << 40;
    let (p, n) = layout(Provider::S3, tib, None).unwrap();
    assert_eq!(p, 105 * MIB); // ceil(1 TiB / 10,000) = 104.86 MiB
    assert!(n <= 10_000 && p * u64::from(n) >= tib);
    let (p, n) = layout(Provider::Azure, tib, None).unwrap();
    assert_eq!((p, n), (21 * MIB, 49_933)); // ceil(1 TiB / 50,000) = 20.97 MiB
                                            // Explicit sizes within the limits.
    assert_eq!(
        layout(Provider::S3, 100 * MIB, Some(5 * MIB)).unwrap(),
        (5 * MIB, 20)
    );
    assert_eq!(layout(Provider::Azure, 10, Some(3)).unwrap(), (3, 4));
    // One part smaller than the minimum is fine (it is the last).
    assert_eq!(layout(Provider::Gcs, 1000, Some(1000)).unwrap(), (1000, 1));
    for (prov, size, part) in [
        (Provider::S3, 100 * MIB, Some(5 * MIB - 1)), // below the minimum
        (Provider::S3, 100 * GIB, Some(6 * GIB)),     // above the maximum
        (Provider::S3, 100 * GIB, Some(5 * MIB)),     // more than 10,000 parts
        (Provider::Azure, 10 * GIB, Some(4001 * MIB)), // above 4000 MiB
        (Provider::Azure, 50_001, Some(1)),           // more than 50,000 blocks
        (Provider::Gcs, 0, None),                     // empty
        (Provider::S3, 5 * GIB * 10_000 + 1, None),   // larger than any plan
        (Provider::S3, 10, Some(0)),
    ] {
        let e = layout(prov, size, part).unwrap_err();
        assert_eq!(e.code(), "INVALID_REQUEST", "{prov:?} {size} {part:?}");
    }
}

#[test]
fn ranges_cover_the_object_once() {
    let up = Uploads::new();
    let plan = up
        .plan(&upload(s3_target(), 20 * MIB + 3, Some(5 * MIB)), now())
        .unwrap();
    let ranges: Vec<_> = plan.parts().collect();
    assert_eq!(ranges.len(), 5);
    assert_eq!(
        ranges[4],
        PartRange {
            number: 5,
            offset: 20 * MIB,
            length: 3
        }
    );
    let mut next = 0;
    for r in &ranges {
        assert_eq!(r.offset, next);
        next += r.length;
    }
    assert_eq!(next, 20 * MIB + 3);
    assert!(plan.part_range(0).is_err() && plan.part_range(6).is_err());
}

#[test]
fn s3_steps_carry_their_query_method_and_headers() {
    let up = Uploads::new();
    let mut req = upload(s3_target(), 20 * MIB, Some(10 * MIB));
    req.checksum = Some(Algorithm::Crc32);
    let plan = up.plan(&req, now()).unwrap();
    let create = plan.create.unwrap();
    assert_eq!(create.method, Method::Post);
    assert!(create.url.contains("&uploads=") || create.url.ends_with("uploads="));
    assert_eq!(
        create.headers.0,
        [
            ("content-type".to_string(), "video/mp4".to_string()),
            ("x-amz-checksum-algorithm".to_string(), "CRC32".to_string())
        ]
    );
    let part = up.part(&req, "id/+=", 2, Some("AAAAAA=="), now()).unwrap();
    assert_eq!(part.presigned.method, Method::Put);
    assert!(
        part.presigned.url.contains("partNumber=2&"),
        "{}",
        part.presigned.url
    );
    assert!(
        part.presigned.url.contains("uploadId=id%2F%2B%3D"),
        "{}",
        part.presigned.url
    );
    assert_eq!(
        part.presigned.headers.0,
        [("x-amz-checksum-crc32".to_string(), "AAAAAA==".to_string())]
    );
    // The digest is required, and checked.
    assert!(up.part(&req, "id", 1, None, now()).is_err());
    assert!(up.part(&req, "id", 1, Some("AAAA"), now()).is_err());
    assert!(up.part(&req, "id", 1, Some("AAAAAA="), now()).is_err());
    assert!(up.part(&req, "", 1, Some("AAAAAA=="), now()).is_err());
    let parts = [
        CompletedPart {
            number: 2,
            etag: "\"b\"".into(),
            checksum: Some("AAAAAQ==".into()),
        },
        CompletedPart {
            number: 1,
            etag: "\"a&\"".into(),
            checksum: Some("AAAAAA==".into()),
        },
    ];
    let done = up.complete(&req, "id", &parts, now()).unwrap();
    assert_eq!(done.presigned.method, Method::Post);
    assert!(done.presigned.headers.is_empty());
    assert_eq!(
        done.body,
        "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
         <Part><ETag>\"a&amp;\"</ETag><PartNumber>1</PartNumber><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part>\
         <Part><ETag>\"b\"</ETag><PartNumber>2</PartNumber><ChecksumCRC32>AAAAAQ==</ChecksumCRC32></Part>\
         </CompleteMultipartUpload>"
    );
    // A part missing, repeated, or without its digest.
    assert!(up.complete(&req, "id", &parts[..1], now()).is_err());
    assert!(up
        .complete(&req, "id", &[parts[0].clone(), parts[0].clone()], now())
        .is_err());
    let mut no_digest = parts.clone();
    no_digest[0].checksum = None;
    assert!(up.complete(&req, "id", &no_digest, now()).is_err());
    assert_eq!(
        up.abort(&req, "id", now()).unwrap().presigned.method,
        Method::Delete
    );
    assert_eq!(
        up.list(&req, "id", now()).unwrap().presigned.method,
        Method::Get
    );
}

#[test]
fn azure_blocks_have_equal_length_sorted_ids() {
    assert_eq!(azure::block_id(1), "MDAwMDAx");
    let ids: Vec<String> = [1, 9, 10, 999, 50_000]
        .iter()
        .map(|n| azure::block_id(*n))
        .collect();
    assert!(ids.iter().all(|i| i.len() == ids[0].len()));
    let mut sorted = ids.clone();
    sorted.sort();
    // Sorted as base64 text too (digits map to letters in order within one position class).
    assert_eq!(sorted.len(), ids.len());
    let up = Uploads::new();
    let mut req = upload(azure_target(), 10 * MIB, Some(4 * MIB));
    let plan = up.plan(&req, now()).unwrap();
    assert!(plan.create.is_none());
    assert_eq!(plan.part_count, 3);
    req.checksum = Some(Algorithm::Md5);
    let part = up
        .part(&req, "", 3, Some("1B2M2Y8AsgTpgAmY7PhCfg=="), now())
        .unwrap();
    assert!(
        part.presigned.url.contains("?comp=block&blockid=MDAwMDAz&"),
        "{}",
        part.presigned.url
    );
    assert_eq!(
        part.presigned.headers.0,
        [(
            "content-md5".to_string(),
            "1B2M2Y8AsgTpgAmY7PhCfg==".to_string()
        )]
    );
    let parts: Vec<CompletedPart> = (1..=3)
        .map(|n| CompletedPart {
            number: n,
            ..CompletedPart::default()
        })
        .collect();
    let done = up.complete(&req, "", &parts, now()).unwrap();
    assert!(done.presigned.url.contains("?comp=blocklist&"));
    assert!(done.body.ends_with(
        "<BlockList><Latest>MDAwMDAx</Latest><Latest>MDAwMDAy</Latest><Latest>MDAwMDAz</Latest></BlockList>"
    ));
    assert_eq!(up.abort(&req, "", now()).unwrap_err().code(), "UNSUPPORTED");
    // Azure's CRC-64 is CRC-64/NVME: the digest is given big-endian like every other (here the
    // catalogue's check value ae8b14860a799888), the header carries it little-endian, as
    // azure-storage-blob's `calculate_crc64_bytes` writes it (checksum::tests::header_encodings).
    req.checksum = Some(checksum_algorithm("crc64").unwrap());
    assert_eq!(req.checksum, Some(Algorithm::Crc64Nvme));
    let part = up.part(&req, "", 1, Some("rosUhgp5mIg="), now()).unwrap();
    assert_eq!(
        part.presigned.headers.0,
        [("x-ms-content-crc64".to_string(), "iJh5CoYUi64=".to_string())]
    );
    // Standard padded base64 of the right length only.
    for bad in ["rosUhgp5mIg", "rosUhgp5mIg=AA", "4waSgw=="] {
        let e = up.part(&req, "", 1, Some(bad), now()).unwrap_err();
        assert_eq!(e.code(), "INVALID_REQUEST", "{bad}");
        assert!(e.message().starts_with("`checksum`: "), "{e}");
    }
    // Azure verifies MD5 and CRC-64 only.
    req.checksum = Some(Algorithm::Sha256);
    let e = up.plan(&req, now()).unwrap_err();
    assert_eq!(
        e.message(),
        "`checksum`: azure does not verify sha256 (it verifies crc64nvme, md5)"
    );
}

#[test]
fn checksum_names_and_the_crc64_alias() {
    for a in Algorithm::ALL {
        assert_eq!(checksum_algorithm(a.name()), Ok(a));
    }
    assert_eq!(checksum_algorithm("CRC64"), Ok(Algorithm::Crc64Nvme));
    for bad in ["", "crc-64", "sha512"] {
        assert_eq!(
            checksum_algorithm(bad).map_err(|e| e.code()),
            Err("INVALID_REQUEST")
        );
    }
}

#[test]
fn gcs_digests_go_in_x_goog_hash() {
    let up = Uploads::new();
    let mut req = upload(gcs_target(), 5 * MIB, None);
    req.checksum = Some(Algorithm::Crc32c);
    let part = up.part(&req, "ABC", 1, Some("AAAAAA=="), now()).unwrap();
    assert_eq!(
        part.presigned.headers.0,
        [("x-goog-hash".to_string(), "crc32c=AAAAAA==".to_string())]
    );
    assert!(part.presigned.url.contains("partNumber=1&uploadId=ABC"));
    let done = up
        .complete(
            &req,
            "ABC",
            &[CompletedPart {
                number: 1,
                etag: "\"e\"".into(),
                checksum: None,
            }],
            now(),
        )
        .unwrap();
    assert_eq!(
        done.body,
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"e\"</ETag></Part></CompleteMultipartUpload>"
    );
    req.checksum = Some(Algorithm::Crc32);
    assert!(up.plan(&req, now()).is_err());
}

#[test]
fn parses_the_documented_answers() {
    // The example responses of the S3 API reference (CreateMultipartUpload, ListParts).
    let create = r#"<?xml version="1.0" encoding="UTF-8"?>
<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>example-bucket</Bucket>
  <Key>example-object</Key>
  <UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>
</InitiateMultipartUploadResult>"#;
    assert_eq!(
        parse_create_response(Provider::S3, 200, create).unwrap(),
        "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA"
    );
    let list = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>example-bucket</Bucket>
  <Key>example-object</Key>
  <UploadId>XXBsb2FkIElEIGZvciBlbHZpbmcncyVcdS1tb3ZpZS5tMnRzEEEwbG9hZA</UploadId>
  <PartNumberMarker>1</PartNumberMarker>
  <NextPartNumberMarker>3</NextPartNumberMarker>
  <MaxParts>2</MaxParts>
  <IsTruncated>true</IsTruncated>
  <Part>
    <PartNumber>2</PartNumber>
    <LastModified>2010-11-10T20:48:34.000Z</LastModified>
    <ETag>"7778aef83f66abc1fa1e8477f296d394"</ETag>
    <Size>10485760</Size>
  </Part>
  <Part>
    <PartNumber>3</PartNumber>
    <LastModified>2010-11-10T20:48:33.000Z</LastModified>
    <ETag>"aaaa18db4cc2f85cedef654fccc4a4x8"</ETag>
    <Size>10485760</Size>
    <ChecksumCRC32>AAAAAA==</ChecksumCRC32>
  </Part>
</ListPartsResult>"#;
    let l = parse_list_response(Provider::S3, 200, list).unwrap();
    assert!(l.is_truncated);
    assert_eq!(l.next_part_number_marker, Some(3));
    assert_eq!(l.parts.len(), 2);
    assert_eq!(l.parts[0].number, 2);
    assert_eq!(l.parts[0].etag, "\"7778aef83f66abc1fa1e8477f296d394\"");
    assert_eq!(l.parts[1].size, 10_485_760);
    assert_eq!(l.parts[1].checksum.as_deref(), Some("AAAAAA=="));
    // The Get Block List example of the Azure REST reference, with this module's ids.
    let blocks = r#"<?xml version="1.0" encoding="utf-8"?>
<BlockList>
  <CommittedBlocks>
     <Block><Name>BlockId001</Name><Size>4194304</Size></Block>
  </CommittedBlocks>
  <UncommittedBlocks>
    <Block><Name>MDAwMDAy</Name><Size>4194304</Size></Block>
    <Block><Name>MDAwMDAx</Name><Size>1024</Size></Block>
  </UncommittedBlocks>
</BlockList>"#;
    let l = parse_list_response(Provider::Azure, 200, blocks).unwrap();
    assert_eq!(
        l.parts
            .iter()
            .map(|p| (p.number, p.size))
            .collect::<Vec<_>>(),
        [(2, 4_194_304), (1, 1024)]
    );
    // Error documents, and S3's 200 with an error inside.
    let err = "<?xml version=\"1.0\"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>";
    for p in [Provider::S3, Provider::Gcs, Provider::Azure] {
        let e = parse_list_response(p, 404, err).unwrap_err();
        assert_eq!(e.code(), "SERVICE_ERROR");
        assert!(e.message().contains("NoSuchUpload"), "{e}");
    }
    let e = parse_complete_response(Provider::S3, 200, err).unwrap_err();
    assert!(e.message().contains("NoSuchUpload"), "{e}");
    assert!(parse_complete_response(
        Provider::S3,
        200,
        "<CompleteMultipartUploadResult><ETag>\"x-2\"</ETag></CompleteMultipartUploadResult>"
    )
    .is_ok());
    assert!(parse_complete_response(Provider::Azure, 201, "").is_ok());
    assert!(parse_create_response(Provider::S3, 200, "<ListPartsResult/>").is_err());
    assert!(parse_create_response(Provider::S3, 500, "oops").is_err());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn garbage_answers_are_errors_not_panics(body in ".{0,300}", status in 0u16..600) {
            for p in [Provider::S3, Provider::Azure, Provider::Gcs] {
                let _ = parse_create_response(p, status, &body);
                let _ = parse_list_response(p, status, &body);
                let _ = parse_complete_response(p, status, &body);
            }
        }

        #[test]
        fn xmlish_answers_are_errors_not_panics(parts in proptest::collection::vec(
            prop_oneof![
                Just("<Part>"), Just("</Part>"), Just("<PartNumber>"), Just("</PartNumber>"),
                Just("<ETag>"), Just("</ETag>"), Just("<Size>"), Just("</Size>"), Just("7"),
                Just("<Block>"), Just("</Block>"), Just("<Name>"), Just("</Name>"), Just("MDAwMDAx"),
                Just("<UncommittedBlocks>"), Just("</UncommittedBlocks>"), Just("x"),
            ], 0..40)) {
            for root in ["ListPartsResult", "BlockList"] {
                let body = format!("<{root}>{}</{root}>", parts.concat());
                for p in [Provider::S3, Provider::Azure, Provider::Gcs] {
                    if let Ok(l) = parse_list_response(p, 200, &body) {
                        prop_assert!(l.parts.iter().all(|p| p.number >= 1 || root == "BlockList"));
                    }
                }
            }
        }

        #[test]
        fn layouts_cover_the_object_within_limits(size in 1u64..(1 << 44), part in proptest::option::of(1u64..(6 << 30))) {
            for p in [Provider::S3, Provider::Azure, Provider::Gcs] {
                if let Ok((ps, n)) = layout(p, size, part) {
                    let l = p.limits();
                    prop_assert!(n >= 1 && n <= l.max_parts && ps <= l.max_part);
                    prop_assert!(ps * u64::from(n) >= size && ps * u64::from(n - 1) < size);
                    prop_assert!(n == 1 || ps >= l.min_part);
                }
            }
        }
    }
}

#[test]
fn content_type_goes_where_each_cloud_reads_it() {
    let up = Uploads::new();
    let mut req = upload(azure_target(), 10 * MIB, None);
    req.content_type = Some("video/mp4".into());
    let parts = [
        CompletedPart {
            number: 1,
            ..CompletedPart::default()
        },
        CompletedPart {
            number: 2,
            ..CompletedPart::default()
        },
    ];
    let done = up.complete(&req, "", &parts, now()).unwrap();
    assert_eq!(
        done.presigned.headers.0,
        [(
            "x-ms-blob-content-type".to_string(),
            "video/mp4".to_string()
        )]
    );
    // Parts carry no type.
    assert!(up
        .part(&req, "", 1, None, now())
        .unwrap()
        .presigned
        .headers
        .is_empty());
    req.content_type = Some("text/plain\r\nx-evil: 1".into());
    assert_eq!(
        up.complete(&req, "", &parts, now()).unwrap_err().code(),
        "INVALID_HEADER"
    );
    let mut req = upload(gcs_target(), 10 * MIB, None);
    req.content_type = Some("video/mp4".into());
    let create = up.plan(&req, now()).unwrap().create.unwrap();
    assert_eq!(
        create.headers.0,
        [("content-type".to_string(), "video/mp4".to_string())]
    );
    assert!(
        create
            .url
            .contains("X-Goog-SignedHeaders=content-type%3Bhost"),
        "{}",
        create.url
    );
    // S3: the target's own content-type and this one would be the same header twice.
    let mut req = upload(s3_target(), 10 * MIB, None);
    req.content_type = Some("video/mp4".into());
    assert_eq!(up.plan(&req, now()).unwrap_err().code(), "INVALID_HEADER");
}
