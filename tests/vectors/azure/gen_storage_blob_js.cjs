// Regenerates storage-blob-js-sas.json: SAS cases signed by Microsoft's official JavaScript SDK,
// @azure/storage-blob, which (unlike azure-storage-blob for Python, pinned to sv=2026-10-06)
// honours a `version` override and so covers the older user-delegation layouts.
//
//   mkdir -p /tmp/azjs && (cd /tmp/azjs && npm init -y >/dev/null && npm install @azure/storage-blob@12.32.0)
//   AZURE_STORAGE_BLOB_JS=/tmp/azjs/node_modules/@azure/storage-blob node tests/vectors/azure/gen_storage_blob_js.cjs
//
// Each case holds the request in this crate's request schema ("request", and the same as exact
// JSON text in "request_json") and what the SDK
// produced for the same inputs: the string-to-sign, the signature and the token's parameters.
// The mapping from request to SDK call is written out below, field by field.
"use strict";
const path = require("path");
const fs = require("fs");

const pkgDir = process.env.AZURE_STORAGE_BLOB_JS || "/tmp/azjs/node_modules/@azure/storage-blob";
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
const sdk = require(pkgDir);
// The SDK's own internal entry points return the string-to-sign next to the parameters.
const blobSas = require(path.join(pkgDir, "dist/commonjs/sas/BlobSASSignatureValues.js"));
const accountSas = require(path.join(pkgDir, "dist/commonjs/sas/AccountSASSignatureValues.js"));

const KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const UDK_VALUE = "c2VjcmV0LXVzZXItZGVsZWdhdGlvbi1rZXktZm9yLXRlc3RzLW9ubHkhIQ==";

const udk = (version, extra = {}) => ({
  signedOid: "23657296-5cd5-45b0-a809-d972a7f4dfe1",
  signedTid: "ab1f708d-50f6-404c-a006-d71b2ac7a606",
  signedStart: "2026-11-24T09:00:00Z",
  signedExpiry: "2026-11-30T09:00:00Z",
  signedService: "b",
  signedVersion: version,
  value: UDK_VALUE,
  ...extra,
});

// Requests in this crate's schema. Every one names version, permissions, expiresOn and signedAt.
const cases = [
  {
    id: "udk-2020-12-06-blob-all-fields",
    request: {
      provider: "azure", sas: "userDelegation", account: "myaccount", container: "photos",
      blob: "dir/cat 1+2=%3F?#ü.jpg", version: "2020-12-06", permissions: "racwd",
      startsOn: "2026-11-24T09:30:00Z", expiresOn: "2026-11-24T11:00:00Z", ipRange: "168.1.5.60-168.1.5.70",
      protocol: "https", encryptionScope: "scope1", preauthorizedAgentObjectId: "agent-oid-1",
      correlationId: "corr-1",
      responseHeaders: { cacheControl: "no-cache", contentDisposition: "attachment; filename=\"a b.txt\"",
        contentEncoding: "gzip", contentLanguage: "de-CH", contentType: "text/plain; charset=utf-8" },
      credentials: { userDelegationKey: udk("2020-12-06") }, signedAt: "2026-11-24T10:00:00Z",
    },
  },
  {
    id: "udk-2021-08-06-snapshot",
    request: {
      provider: "azure", sas: "userDelegation", account: "myaccount", container: "cont1", blob: "a/b/c.bin",
      snapshot: "2026-11-20T08:00:00.1234567Z", version: "2021-08-06", permissions: "rd",
      expiresOn: "2026-11-24T12:00:00Z",
      credentials: { userDelegationKey: udk("2021-08-06") }, signedAt: "2026-11-24T10:00:00Z",
    },
  },
  {
    id: "udk-2022-11-02-container",
    request: {
      provider: "azure", sas: "userDelegation", account: "myaccount", container: "logs-2026",
      resource: "container", version: "2022-11-02", permissions: "rlw", expiresOn: "2026-11-25T10:00:00Z",
      ipRange: "10.0.0.1", protocol: "https,http",
      credentials: { userDelegationKey: udk("2022-11-02") }, signedAt: "2026-11-24T10:00:00Z",
    },
  },
  {
    id: "udk-2024-08-04-unicode-nfd",
    request: {
      provider: "azure", sas: "userDelegation", account: "myaccount", container: "$root",
      blob: "Cafe\u0301 \u{1F600}/r\u00e9sum\u00e9 (1).pdf", version: "2024-08-04", permissions: "rcw",
      expiresOn: "2026-11-24T10:05:00Z",
      credentials: { userDelegationKey: udk("2024-08-04") }, signedAt: "2026-11-24T10:00:00Z",
    },
  },
  {
    id: "udk-2025-07-05-delegated-user",
    request: {
      provider: "azure", sas: "userDelegation", account: "myaccount", container: "shared", blob: "report.csv",
      version: "2025-07-05", permissions: "r", expiresOn: "2026-11-24T11:00:00Z",
      delegatedUserObjectId: "0b8a2c4e-1111-2222-3333-444455556666",
      credentials: { userDelegationKey: udk("2025-07-05", { signedDelegatedUserTid: "72f988bf-86f1-41af-91ab-2d7cd011db47" }) },
      signedAt: "2026-11-24T10:00:00Z",
    },
  },
  {
    id: "udk-2025-11-05-version-id",
    request: {
      provider: "azure", sas: "userDelegation", account: "myaccount", container: "cont1", blob: "v.txt",
      versionId: "2026-11-20T08:00:00.7654321Z", version: "2025-11-05", permissions: "rd",
      startsOn: "2026-11-24T09:55:00Z", expiresOn: "2026-11-24T11:00:00Z", encryptionScope: "es",
      credentials: { userDelegationKey: udk("2025-11-05") }, signedAt: "2026-11-24T10:00:00Z",
    },
  },
  {
    id: "udk-2026-04-06-bound-headers-and-query",
    request: {
      provider: "azure", sas: "userDelegation", account: "myaccount", container: "uploads", blob: "in/x.json",
      method: "PUT", version: "2026-04-06", permissions: "cw", expiresOn: "2026-11-24T10:30:00Z",
      requestHeaders: { "x-ms-meta-owner": "alice", "content-type": "application/json" },
      requestQuery: { "tenant": "t-1", "job": "42" },
      credentials: { userDelegationKey: udk("2026-04-06") }, signedAt: "2026-11-24T10:00:00Z",
    },
  },
  {
    id: "service-2023-11-03-version-id-overrides",
    request: {
      provider: "azure", sas: "service", account: "devstoreaccount1", container: "cont1", blob: "a b/ü+ü.txt",
      versionId: "2026-01-01T00:00:00.0000000Z", version: "2023-11-03", permissions: "rd",
      expiresOn: "2026-11-24T11:00:00Z", identifier: "policy-1", encryptionScope: "scope-2",
      responseHeaders: { contentType: "image/png" },
      credentials: { accountKey: KEY }, signedAt: "2026-11-24T10:00:00Z",
    },
  },
  {
    id: "service-2021-04-10-container-filter",
    request: {
      provider: "azure", sas: "service", account: "devstoreaccount1", container: "cont2", resource: "container",
      version: "2021-04-10", permissions: "rlf", startsOn: "2026-11-24T09:00:00Z",
      expiresOn: "2026-11-24T11:00:00Z", credentials: { accountKey: KEY }, signedAt: "2026-11-24T10:00:00Z",
    },
  },
  {
    id: "account-2021-06-08-encryption-scope",
    request: {
      provider: "azure", sas: "account", account: "devstoreaccount1", services: "b",
      resourceTypes: "sco", version: "2021-06-08", permissions: "rwdlac",
      startsOn: "2026-11-24T09:00:00Z", expiresOn: "2026-11-24T11:00:00Z", ipRange: "127.0.0.1",
      protocol: "https,http", encryptionScope: "scope-3",
      credentials: { accountKey: KEY }, signedAt: "2026-11-24T10:00:00Z",
    },
  },
];

const date = (s) => (s ? new Date(s) : undefined);

function signBlob(r) {
  const values = {
    version: r.version,
    containerName: r.container,
    blobName: r.resource === "container" ? undefined : r.blob,
    snapshotTime: r.snapshot,
    versionId: r.versionId,
    permissions: r.resource === "container"
      ? sdk.ContainerSASPermissions.parse(r.permissions)
      : sdk.BlobSASPermissions.parse(r.permissions),
    startsOn: date(r.startsOn),
    expiresOn: date(r.expiresOn),
    ipRange: r.ipRange ? (([start, end]) => ({ start, end }))(r.ipRange.split("-")) : undefined,
    protocol: r.protocol,
    identifier: r.identifier,
    encryptionScope: r.encryptionScope,
    preauthorizedAgentObjectId: r.preauthorizedAgentObjectId,
    correlationId: r.correlationId,
    delegatedUserObjectId: r.delegatedUserObjectId,
    requestHeaders: r.requestHeaders,
    requestQueryParameters: r.requestQuery,
    cacheControl: r.responseHeaders && r.responseHeaders.cacheControl,
    contentDisposition: r.responseHeaders && r.responseHeaders.contentDisposition,
    contentEncoding: r.responseHeaders && r.responseHeaders.contentEncoding,
    contentLanguage: r.responseHeaders && r.responseHeaders.contentLanguage,
    contentType: r.responseHeaders && r.responseHeaders.contentType,
  };
  if (r.credentials.accountKey) {
    const cred = new sdk.StorageSharedKeyCredential(r.account, r.credentials.accountKey);
    return blobSas.generateBlobSASQueryParametersInternal(values, cred);
  }
  const k = r.credentials.userDelegationKey;
  const key = {
    signedObjectId: k.signedOid,
    signedTenantId: k.signedTid,
    signedStartsOn: new Date(k.signedStart),
    signedExpiresOn: new Date(k.signedExpiry),
    signedService: k.signedService,
    signedVersion: k.signedVersion,
    signedDelegatedUserTenantId: k.signedDelegatedUserTid,
    value: k.value,
  };
  return blobSas.generateBlobSASQueryParametersInternal(values, key, r.account);
}

function signAccount(r) {
  const cred = new sdk.StorageSharedKeyCredential(r.account, r.credentials.accountKey);
  return accountSas.generateAccountSASQueryParametersInternal({
    version: r.version,
    services: r.services,
    resourceTypes: r.resourceTypes,
    permissions: sdk.AccountSASPermissions.parse(r.permissions),
    startsOn: date(r.startsOn),
    expiresOn: date(r.expiresOn),
    ipRange: r.ipRange ? { start: r.ipRange } : undefined,
    protocol: r.protocol,
    encryptionScope: r.encryptionScope,
  }, cred);
}

const out = {
  description:
    "SAS cases signed by Microsoft's official JavaScript SDK (@azure/storage-blob, version in 'sdk'), generated by gen_storage_blob_js.cjs in this directory. 'request' is this crate's request schema; 'expected' is what the SDK produced for the same inputs: the string-to-sign, the signature (sig) and every token parameter, percent-decoded. Keys are test keys (the Azurite well-known key and a made-up delegation key).",
  sdk: `@azure/storage-blob ${pkg.version}`,
  license: "The SDK is MIT-licensed; the data below is its output for the inputs written here.",
  cases: cases.map(({ id, request }) => {
    const res = request.sas === "account" ? signAccount(request) : signBlob(request);
    const params = {};
    for (const [k, v] of new URLSearchParams(res.sasQueryParameters.toString())) params[k] = v;
    // request_json keeps the key order of requestHeaders / requestQuery, which is signed (a JSON
    // object parsed into a map may lose it).
    return {
      id, request, request_json: JSON.stringify(request),
      expected: { string_to_sign: res.stringToSign, signature: params.sig, params },
    };
  }),
};
process.stdout.write(JSON.stringify(out, null, 2) + "\n");
