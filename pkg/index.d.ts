// Types for the `presign` npm package. One request schema for every provider (discriminated by
// `provider`), the same as the `presign` CLI's batch mode and the Rust crate's JSON schema.

/** A signing instant: a Date, milliseconds since the epoch, or an RFC 3339 string. */
export type Instant = Date | number | string;

/** HTTP method; case-insensitive. */
export type Method = "GET" | "PUT" | "HEAD" | "DELETE" | "POST" | "get" | "put" | "head" | "delete" | "post";

/** Header or query parameter names to values. */
export type StringMap = Record<string, string>;

/** Fields every request may carry. */
interface Common {
  /** HTTP method the URL is valid for (default `GET`). */
  method?: Method;
  /** The signing instant; defaults to `Date.now()` at the call. */
  signedAt?: Instant;
}

/** What to do when temporary credentials expire before the URL would. */
export type CredentialExpiry = "warn" | "error" | "clamp";

/** AWS credentials. */
export interface AwsCredentials {
  /** `AKIA…` or `ASIA…`. */
  accessKeyId: string;
  /** The secret access key. Never appears in errors. */
  secretAccessKey: string;
  /** Session token of temporary (STS) credentials; signed as `X-Amz-Security-Token`. */
  sessionToken?: string;
  /** When temporary credentials expire (RFC 3339); compared with the URL's expiry. */
  expiresAt?: string;
}

/** An S3-compatible store's profile; `custom`: no profile (the behaviour before profiles). */
export type S3Store = "aws" | "r2" | "b2" | "minio" | "seaweedfs" | "wasabi" | "gcs-xml" | "custom";

/** A checksum algorithm of S3 uploads (`md5` is `Content-MD5`). */
export type S3Checksum = "md5" | "crc32" | "crc32c" | "crc64nvme" | "sha1" | "sha256";

/** A body checksum: the algorithm and the base64 digest. */
export interface ChecksumValue {
  algorithm: S3Checksum;
  value: string;
}

/** Upload limits of a presigned PUT. */
export interface UploadLimits {
  /** Exact size in bytes (signed `Content-Length`). */
  size?: number;
  /** At most this many bytes: needs `size` too (a PUT carries no range); use a POST policy's `contentLengthRange` where the store enforces it. */
  maxSize?: number;
  /** Exact `Content-Type`. */
  contentType?: string;
  /** A checksum the store must verify. */
  checksum?: ChecksumValue;
}

/** Amazon S3 and S3-compatible stores (MinIO, R2, SeaweedFS, B2, Wasabi…): SigV4 query signing. */
export interface S3Request extends Common {
  provider: "s3";
  /** Bucket name. A directory bucket (`name--usw2-az1--x-s3`, S3 Express One Zone) is signed for its zonal endpoint with session credentials (`s3ExpressSession`). */
  bucket: string;
  /** Object key exactly as stored: never normalised, percent-encoded once. 1–1024 bytes of UTF-8. */
  key: string;
  /** A "folder" put before the key; `/` inserted when missing. */
  keyPrefix?: string;
  /** Region of the credential scope (default `us-east-1`). */
  region?: string;
  /** `scheme://host[:port][/base]` of an S3-compatible store (default: AWS). */
  endpoint?: string;
  /** Default: virtual-hosted when the bucket name allows it; IP-address endpoints are always path style. */
  urlStyle?: "virtualHosted" | "path";
  /** AWS dual-stack (IPv6) endpoint. */
  dualstack?: boolean;
  /** S3 Transfer Acceleration endpoint. */
  accelerate?: boolean;
  /** AWS FIPS endpoint. */
  fips?: boolean;
  /** The store's profile (default `aws`): endpoint shape, default region, documented limits (docs/stores.md). */
  store?: S3Store;
  /** R2's account id (`store: "r2"`): the endpoint becomes `https://<accountId>.r2.cloudflarestorage.com`, region `auto`. */
  accountId?: string;
  credentials: AwsCredentials;
  /** What a PUT upload must be, signed as the headers the store checks, or `UNSUPPORTED` naming the alternative. */
  limits?: UploadLimits;
  /** Lifetime in seconds, 1–604800 (default 3600). */
  expiresIn?: number;
  /** Headers to sign; the client must send them with these values (see the result's `headers`). */
  headers?: StringMap;
  /** Extra signed query parameters (`response-content-disposition`, `versionId`, `partNumber`, `uploadId`, `uploads`…). `X-Amz-*` is reserved. */
  query?: StringMap;
  /** When `credentials.expiresAt` comes before the URL's expiry: warn (default), error or clamp. */
  credentialExpiry?: CredentialExpiry;
  /** With a Multi-Region Access Point ARN as `bucket` (SigV4a, the `presign/sigv4a` entry): the regions the URL is valid in, `*` (default) or `us-east-1,eu-west-1`. */
  regionSet?: string;
}

/** Azure user-delegation key, as Get User Delegation Key returns it. */
export interface UserDelegationKey {
  signedOid: string;
  signedTid: string;
  /** RFC 3339; may be back-dated (Azure takes a start within 7 days of the key request). */
  signedStart: string;
  /** RFC 3339; after signedStart, within 7 days of the key request: at most 14 days after signedStart. */
  signedExpiry: string;
  signedService: string;
  signedVersion: string;
  /** Base64 key value. Never appears in errors. */
  value: string;
  signedDelegatedUserTid?: string;
}

/** Azure credentials: exactly one of the three. */
export type AzureCredentials =
  | { accountKey: string }
  | { connectionString: string }
  | { userDelegationKey: UserDelegationKey };

/** Azure Blob Storage shared access signature (service, account or user-delegation SAS). */
export interface AzureRequest extends Common {
  provider: "azure";
  /** Default: from the credentials (user-delegation key → userDelegation, else service). */
  sas?: "service" | "account" | "userDelegation";
  /** Storage account; taken from a connection string when absent. */
  account?: string;
  container?: string;
  /** Blob name exactly as stored (or the directory for resource "directory"). */
  blob?: string;
  /** `sr`: default "blob" when `blob` is given, else "container". */
  resource?: "blob" | "container" | "directory";
  /** Custom blob endpoint (Azurite, private endpoints, sovereign clouds). */
  endpoint?: string;
  credentials: AzureCredentials;
  /** Letters, emitted in Azure's canonical order (default from the method: GET/HEAD r, PUT cw, DELETE d). */
  permissions?: string;
  /** `st` (RFC 3339). */
  startsOn?: Instant;
  /** Back-date `st` by this many seconds (Azure compares `st` with its own clock). */
  clockSkew?: number;
  /** `se` (RFC 3339), or: */
  expiresOn?: Instant;
  /** seconds from the signing instant (default 3600). */
  expiresIn?: number;
  /** `sip`: an address or a range `a-b`. */
  ipRange?: string;
  /** `spr`. `https` with an http endpoint is signed with a `HTTPS_ONLY_ON_HTTP` warning (Azure refuses that URL over http). */
  protocol?: "https" | "https,http";
  /** `si`: a stored access policy. */
  identifier?: string;
  /** `ses`. */
  encryptionScope?: string;
  snapshot?: string;
  versionId?: string;
  /** `sv`, 2020-12-06 … 2026-10-06 (default 2025-07-05). */
  version?: string;
  /** Response header overrides (`rscc`, `rscd`, `rsce`, `rscl`, `rsct`). */
  responseHeaders?: {
    cacheControl?: string;
    contentDisposition?: string;
    contentEncoding?: string;
    contentLanguage?: string;
    contentType?: string;
  };
  /** Account SAS `ss` (default "b"). */
  services?: string;
  /** Account SAS `srt` (default from the target). */
  resourceTypes?: string;
  /** Unsigned extra query parameters (`comp`, `blockid`…). */
  query?: StringMap;
  preauthorizedAgentObjectId?: string;
  agentObjectId?: string;
  correlationId?: string;
  delegatedUserObjectId?: string;
  /** Headers bound to a user-delegation SAS (`srh`, sv 2026-04-06+), in order. */
  requestHeaders?: StringMap;
  /** Query parameters bound to a user-delegation SAS (`srq`, sv 2026-04-06+), in order. */
  requestQuery?: StringMap;
  credentialExpiry?: CredentialExpiry;
}

/** Google Cloud Storage credentials. */
export type GcsCredentials =
  | { hmac: { accessId: string; secret: string } }
  /** A service-account key file's JSON: sign with `presignAsync` (WebCrypto). */
  | { serviceAccount: { client_email: string; private_key?: string; [field: string]: unknown } }
  /** A service account signed for elsewhere (`gcsSignBlobSigner`, a KMS, an HSM): `presignAsync` / `presignPostAsync` only. */
  | { signer: GcsSigner };

/**
 * Signs a GCS string to sign with a service account's key held elsewhere: RSASSA-PKCS1-v1_5 with
 * SHA-256. `gcsSignBlobSigner` (presign/credentials) makes one; any object of this shape works.
 */
export interface GcsSigner {
  /** The service account's e-mail: the URL's credential. */
  clientEmail: string;
  /** The universe domain (default `googleapis.com`). */
  universeDomain?: string;
  /** The signature of `stringToSign`: hex, or bytes. */
  sign(stringToSign: string): Promise<string | Uint8Array | ArrayBuffer>;
}

/** Google Cloud Storage V4 signed URL. */
export interface GcsRequest extends Common {
  provider: "gcs";
  bucket: string;
  /** Object name exactly as stored. */
  object?: string;
  credentials: GcsCredentials;
  /** Default "path". */
  urlStyle?: "path" | "virtualHosted" | "bucketBound";
  bucketBoundHostname?: string;
  scheme?: "https" | "http";
  endpoint?: string;
  universeDomain?: string;
  /** Headers to sign (content-type, x-goog-meta-*, x-goog-content-length-range, x-goog-resumable…). */
  headers?: StringMap;
  /** Extra signed query parameters; the signature's own X-Goog-* names are reserved. */
  query?: StringMap;
  /** 1–604800 seconds (default 3600). */
  expiresIn?: number;
}

/** Any presign request, discriminated by `provider`. */
export type PresignRequest = S3Request | AzureRequest | GcsRequest;

/** A non-fatal remark about a presigned request. */
export interface Warning {
  /** Stable code, e.g. `CREDENTIALS_EXPIRE_FIRST`. */
  code: string;
  message: string;
}

/** The result: the same shape for every provider. */
export interface Presigned {
  /** The full URL. */
  url: string;
  /** The method the URL is valid for, upper case. */
  method: "GET" | "PUT" | "HEAD" | "DELETE" | "POST";
  /** Headers the client must send (besides Host) for the signature to verify: lower-case names, values as signed. */
  headers: StringMap;
  /** When the URL stops working, RFC 3339 UTC (`2026-11-24T10:10:00Z`). */
  expiresAt: string;
  /** Present when there is something to say (e.g. the credentials expire first). */
  warnings?: Warning[];
}

/** Stable error codes. */
export type ErrorCode =
  | "INVALID_REQUEST"
  | "INVALID_KEY"
  | "INVALID_BUCKET"
  | "INVALID_HEADER"
  | "INVALID_QUERY"
  | "INVALID_EXPIRY"
  | "INVALID_TIME"
  | "INVALID_ENDPOINT"
  | "INVALID_CREDENTIALS"
  | "CREDENTIALS_EXPIRE"
  | "UNSUPPORTED"
  /** A credential exchange's answer is the service's error document (its code and message follow), or not the document expected. */
  | "SERVICE_ERROR";

/**
 * Thrown (or, from `presignMany`, returned in place) for bad input. Messages quote nothing from the
 * input: they name the member (`expiresIn`; map entries and unknown members by position, `headers[2]`)
 * and say what is wrong. NaN, ±Infinity and invalid Dates are errors with the member's code, never
 * read as "absent".
 */
export class PresignError extends Error {
  readonly name: "PresignError";
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
}

/** Presigns one request, synchronously. Throws `PresignError` for bad input. */
export function presign(request: PresignRequest): Presigned;

/**
 * Presigns many requests in one call (derived keys are shared). Never throws for a bad element
 * (a NaN or a lone surrogate included): its place in the result holds a `PresignError`. Throws
 * only when `requests` is not an array.
 */
export function presignMany(requests: PresignRequest[]): Array<Presigned | PresignError>;

/**
 * Like `presign`, but also signs GCS requests with a service-account key: the string to sign is
 * signed with WebCrypto (RSASSA-PKCS1-v1_5 / SHA-256; the imported key is cached). Every other
 * request is signed synchronously, as by `presign`. Rejects with `PresignError`.
 */
export function presignAsync(request: PresignRequest): Promise<Presigned>;

/** A request without its `provider` (a client's configuration names it once). */
type Untagged<R> = R extends unknown ? Omit<R, "provider"> : never;

/** A client's configuration: `provider` and any members of that provider's request. */
export type PresignerConfig =
  | ({ provider: "s3" } & Partial<Untagged<S3Request>>)
  | ({ provider: "azure" } & Partial<Untagged<AzureRequest>>)
  | ({ provider: "gcs" } & Partial<Untagged<GcsRequest>>);

/** A client object made by `createPresigner`. */
export interface Presigner {
  /**
   * Presigns one call: the configuration's members with the call's over them (`{...config, ...call}`
   * gives the same result through `presign`). Throws `PresignError` for bad input.
   */
  presign(call: Partial<Untagged<PresignRequest>>): Presigned;
  /** Presigns many calls in one crossing; a bad element's place holds a `PresignError`. */
  presignMany(calls: Array<Partial<Untagged<PresignRequest>>>): Array<Presigned | PresignError>;
  /** Replaces the credentials (temporary credentials rotate). Throws `PresignError` for bad input. */
  setCredentials(credentials: AwsCredentials | AzureCredentials | GcsCredentials): void;
  /**
   * Releases the client's wasm memory (its derived keys and credentials). Also under
   * `Symbol.dispose` where the runtime has it (`using s3 = createPresigner(...)`). In the browser
   * builds (`presign`, `presign/s3`, `presign/azure`, `presign/gcs`) the configuration lives in JS
   * and derived keys in the module's one cache (as for stateless calls), so there is nothing to
   * release. Calls after
   * `free()` throw `PresignError` `INVALID_REQUEST`; `free()` again does nothing.
   */
  free(): void;
}

/**
 * A client for many requests of one provider: the configuration (credentials, region, bucket,
 * endpoint, defaults such as `expiresIn`) crosses into wasm once and the derived keys stay cached
 * there; each call carries only what changes. Throws `PresignError` for a configuration that does
 * not fit. GCS service-account keys need `presignAsync` (WebCrypto); a client signs HMAC keys.
 */
export function createPresigner(config: PresignerConfig): Presigner;

// --- Browser form uploads (POST policies) ---------------------------------------------------

/**
 * One policy condition, in the shapes boto3's `Conditions` and google-cloud-storage's `conditions`
 * take: `{ "acl": "private" }` and `["eq", "$acl", "private"]` (exact), `["starts-with",
 * "$Content-Type", "image/"]`, `["content-length-range", 1, 1000]`. Written into the policy as
 * given, in the order given. Not a form field: the browser supplies the field unless `fields` (or a
 * typed member) pre-fills it.
 */
export type PostCondition =
  | { [field: string]: string }
  | ["eq" | "starts-with", `$${string}`, string]
  | ["content-length-range", number, number];

/** The conditions of a form upload, the same for S3 and GCS. */
interface PostPolicyFields {
  /** Bucket name. */
  bucket: string;
  /**
   * The object key; `${filename}` is replaced by the server with the uploaded file's name. S3 (as
   * boto3): a key ending in `${filename}` allows any key starting with the text before it, any
   * other key is exact; GCS (as google-cloud-storage): always exact. With `keyPrefix` or `anyKey`,
   * only the pre-filled value of the `key` field.
   */
  key?: string;
  /** Any key under this (non-empty) prefix is allowed; the `key` field is pre-filled with `{keyPrefix}${filename}`. */
  keyPrefix?: string;
  /** Any key in the bucket is allowed (`["starts-with", "$key", ""]`): the only way to ask for it. */
  anyKey?: boolean;
  /** Policy lifetime in seconds, 1–604800 (default 3600). */
  expiresIn?: number;
  /** The signing instant; defaults to `Date.now()` at the call. */
  signedAt?: Instant;
  /** Allowed upload size in bytes, inclusive. */
  contentLengthRange?: { min: number; max: number };
  /** Content type: exact (a form field and a condition), or with `contentTypePrefix` a pre-filled default within it. */
  contentType?: string;
  /** Content type must start with this (e.g. `image/`); the client adds the `Content-Type` field unless `contentType` pre-fills it. */
  contentTypePrefix?: string;
  /** 200, 201 or 204. */
  successActionStatus?: number;
  /** Where the browser is redirected after the upload. */
  successActionRedirect?: string;
  /** `x-amz-meta-*` / `x-goog-meta-*` values, by name without the prefix. */
  metadata?: StringMap;
  acl?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  /**
   * Other pre-filled form fields. Each gets an exact condition unless a condition (`startsWith`,
   * `contentTypePrefix`, `conditions`) names it, then it is a default that must satisfy it;
   * `x-ignore-*` fields (lower case) are in the form only.
   */
  fields?: StringMap;
  /** `["starts-with", "$name", value]` conditions; the client supplies those fields unless `fields` pre-fills them. */
  startsWith?: StringMap;
  /** Conditions in the caller's order (after `contentLengthRange`, `contentTypePrefix`, `startsWith`; before the fields' exact ones). */
  conditions?: PostCondition[];
}

/** An S3 (SigV4) POST policy. */
export interface S3PostRequest extends PostPolicyFields {
  provider: "s3";
  region?: string;
  endpoint?: string;
  urlStyle?: "virtualHosted" | "path";
  dualstack?: boolean;
  accelerate?: boolean;
  fips?: boolean;
  /** The store's profile: a store without enforced POST policies answers `UNSUPPORTED`. */
  store?: S3Store;
  /** R2's account id (R2 refuses POST policies; kept for one endpoint shape). */
  accountId?: string;
  credentials: AwsCredentials;
  credentialExpiry?: CredentialExpiry;
}

/** A GCS V4 POST policy (HMAC with `presignPost`; a service account with `presignPostAsync`). */
export interface GcsPostRequest extends PostPolicyFields {
  provider: "gcs";
  credentials: GcsCredentials;
  urlStyle?: "path" | "virtualHosted" | "bucketBound";
  bucketBoundHostname?: string;
  scheme?: "https" | "http";
  endpoint?: string;
  universeDomain?: string;
}

/** Azure has no POST policy: always a `PresignError` with code `UNSUPPORTED` naming a SAS PUT. */
export interface AzurePostRequest extends Partial<PostPolicyFields> {
  provider: "azure";
}

/** Any form-upload request, discriminated by `provider`. */
export type PostRequest = S3PostRequest | GcsPostRequest | AzurePostRequest;

/** A signed form: post `fields` in order, then the file last, as `FormData` to `url`. */
export interface PostForm {
  /** The form's action URL. */
  url: string;
  /** Hidden fields `[name, value]` in the order the provider requires. Append the file after them. */
  fields: Array<[string, string]>;
  /** When the policy stops working (RFC 3339). */
  expiresAt: string;
  /** Non-fatal remarks (e.g. the credentials expire first); absent when there are none. */
  warnings?: Warning[];
}

/** Signs a form upload, synchronously (S3, GCS HMAC). Throws `PresignError` for bad input. */
export function presignPost(request: PostRequest): PostForm;

/** Like `presignPost`, and also GCS with a service-account key (WebCrypto RSASSA-PKCS1-v1_5). */
export function presignPostAsync(request: PostRequest): Promise<PostForm>;

// --- CORS rules -------------------------------------------------------------------------------

/** What `corsRules` needs: the browser origins and the presigned requests they will make. */
export interface CorsOptions {
  provider: "s3" | "azure" | "gcs";
  /** Origins allowed to make the requests, e.g. `https://app.example.com` (no path, no trailing slash). */
  origins: string[];
  /** Presign results (or request objects): only `method` and `headers` are read. */
  requests: Array<{ method?: Method; headers?: StringMap }>;
  /** Seconds a browser may cache the preflight (default 3600). */
  maxAge?: number;
  /** Output format; `native` (default) is S3 JSON, GCS JSON or Azure XML by provider. */
  format?: "native" | "s3-json" | "s3-xml" | "gcs-json" | "azure-xml";
}

/** A storage-side CORS configuration. */
export interface CorsRules {
  provider: "s3" | "azure" | "gcs";
  /** The format asked for (`native` when none was). */
  format: "native" | "s3-json" | "s3-xml" | "gcs-json" | "azure-xml";
  /** The configuration text: PutBucketCors JSON / XML, a `gcloud storage buckets update --cors-file` file, or Azure `<Cors>` XML. */
  rules: string;
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposedHeaders: string[];
  maxAge: number;
}

/** Derives the bucket's CORS configuration that the given presigned requests need. Throws `PresignError`. */
export function corsRules(options: CorsOptions): CorsRules;

// --- Checking presigned URLs (the `presign/verify` entry) -------------------------------------

/** The key that checks the URL, in the shape of the URL's provider. */
export type VerifyCredentials =
  /** S3: the credentials the URL claims (`X-Amz-Credential` names the access key id). */
  | AwsCredentials
  /** Azure: the account key, a connection string, or a user-delegation key. */
  | { accountKey: string }
  | { connectionString: string }
  | { userDelegationKey: UserDelegationKey }
  /** GCS HMAC. */
  | { hmac: { accessId: string; secret: string } }
  /** GCS RSA, with `verifyAsync` (WebCrypto): a service-account key file (its public half is used)… */
  | { serviceAccount: { client_email: string; private_key: string; [field: string]: unknown } }
  /** …or the service account's SPKI "PUBLIC KEY" PEM (certificates: the Rust crate or the CLI). */
  | { publicKey: { clientEmail: string; pem: string } };

/** A request as the server received it. */
export interface VerifyRequest {
  /** The full URL, as received. */
  url: string;
  /** The request's method (default `GET`). */
  method?: Method;
  /** The request's headers (signed ones must be present with the signed values). */
  headers?: StringMap;
  credentials: VerifyCredentials;
  /** The client's address; checked against an Azure SAS `sip` range when given. */
  clientIp?: string;
  /** Tolerance in seconds for a signing time in the future (default 900). */
  clockSkew?: number;
  /** The region the credential scope must name (S3), when set. */
  region?: string;
  /** The host the URL must name, when set. */
  host?: string;
  /** Adds the canonical request and string to sign to the verdict (never the expected signature). */
  debug?: boolean;
}

/** Which check failed. */
export type VerifyCode =
  | "MALFORMED" | "NOT_PRESIGNED" | "UNSUPPORTED" | "UNKNOWN_KEY" | "SIGNATURE_MISMATCH" | "EXPIRED"
  | "NOT_YET_VALID" | "INVALID_EXPIRY" | "MISSING_HEADER" | "MISSING_PARAMETER" | "HOST_MISMATCH"
  | "SCOPE_MISMATCH" | "TOKEN_MISMATCH" | "PERMISSION_DENIED" | "RESOURCE_MISMATCH" | "PROTOCOL_DENIED"
  | "IP_DENIED";

/** A valid URL: who signed it, what it allows, until when. */
export interface Verified {
  valid: true;
  provider: "s3" | "azure" | "gcs";
  algorithm: string;
  /** The access key id, account name or service-account e-mail. */
  keyId: string;
  method: string;
  resource: string;
  permissions?: string;
  allowedBy?: string;
  signedHeaders: string[];
  notBefore?: string;
  expiresAt: string;
  ipRange?: string;
  debug?: { canonicalRequest?: string; stringToSign?: string };
}

/** An invalid URL: the check that failed, in words; never the expected signature. */
export interface Refused {
  valid: false;
  error: { code: VerifyCode; message: string; debug?: { canonicalRequest?: string; stringToSign?: string } };
}

/** Checks a presigned URL as the storage server would. Throws `PresignError` only for malformed input. GCS RSA URLs need `verifyAsync`. */
export function verify(request: VerifyRequest): Verified | Refused;

/** Like `verify`, and also GCS URLs signed with a service-account key: WebCrypto checks the RSA signature over the string to sign the core builds; the core runs every other check. */
export function verifyAsync(request: VerifyRequest): Promise<Verified | Refused>;

// --- Credentials without long-lived keys (the `presign/credentials` entry) ------------------

/** Options every exchange takes: `fetch` replaces the runtime's (a test double, a proxy, retries). */
export interface ExchangeOptions {
  fetch?: typeof fetch;
}

/** An Entra ID access token as the token helpers resolve it. */
export interface AzureAccessToken {
  /** The bearer token (for `accessToken`). */
  accessToken: string;
  /** `Bearer`. */
  tokenType: string;
  /** When it expires (RFC 3339). */
  expiresAt: string;
}

/** A bearer token, or a function returning one (or an `AzureAccessToken`, e.g. a token provider), called per request. */
export type AzureAccessTokenSource = string | (() => string | AzureAccessToken | Promise<string | AzureAccessToken>);

/** Where the account is: `accountUrl`, or `account` (+ `endpoint`). */
export interface AzureAccountAddress {
  /** The account's blob endpoint: `https://acct.blob.core.windows.net`, Azurite's `http://127.0.0.1:10000/devstoreaccount1`. */
  accountUrl?: string;
  /** The storage account (with the default endpoint, or an IP/localhost `endpoint` without the account path). */
  account?: string;
  /** A custom blob endpoint (as `accountUrl`; give one of the two). */
  endpoint?: string;
}

/** Get User Delegation Key with an Entra ID access token (scope `https://storage.azure.com/.default`). */
export interface AzureUserDelegationKeyOptions extends ExchangeOptions, AzureAccountAddress {
  /** When the key becomes valid (at most 7 days back). */
  start: Instant;
  /** When it expires (at most 7 days ahead). */
  expiry: Instant;
  /** `x-ms-version`, which becomes the key's `signedVersion`. */
  version?: string;
  /** Bind the key to a delegated user's tenant (2025-07-05+). */
  delegatedUserTid?: string;
  /** The Entra ID bearer token; sent in `Authorization`, never into wasm. */
  accessToken: AzureAccessTokenSource;
}

/** A user-delegation key with its expiry. */
export interface AzureUserDelegationKeyResult {
  /** Ready for `credentials: { userDelegationKey }`. */
  userDelegationKey: UserDelegationKey;
  /** The key's `signedExpiry`. */
  expiresAt: string;
}

/** A user-delegation key, ready for `credentials: { userDelegationKey }`. */
export function azureUserDelegationKey(options: AzureUserDelegationKeyOptions): Promise<AzureUserDelegationKeyResult>;

/** Options of a cached provider: the value is kept until `refreshMargin` ms before it expires. */
export interface CacheOptions {
  /** Default 300000 (5 minutes). */
  refreshMargin?: number;
}

/** A user-delegation key provider: each new key is valid from `backdate` ms before its request to `lifetime` ms after it. */
export interface AzureUserDelegationKeyProviderOptions extends ExchangeOptions, AzureAccountAddress, CacheOptions {
  accessToken: AzureAccessTokenSource;
  /** Milliseconds; default 3600000 (1 hour), at most 7 days. */
  lifetime?: number;
  /** Milliseconds the start is set back for clock skew; default 300000 (5 minutes), at most 7 days. */
  backdate?: number;
  version?: string;
  delegatedUserTid?: string;
}

/** A function resolving to a user-delegation key, cached until shortly before its expiry (concurrent callers share one request). */
export function azureUserDelegationKeyProvider(options: AzureUserDelegationKeyProviderOptions): () => Promise<AzureUserDelegationKeyResult>;

/** OAuth 2.0 client credentials at `{authorityHost}/{tenantId}/oauth2/v2.0/token`. Give `clientSecret` or `clientAssertion`. */
export interface AzureTokenOptions extends ExchangeOptions {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  /** A federated JWT (workload identity: the content of `AZURE_FEDERATED_TOKEN_FILE`), or a function returning it, called per request. */
  clientAssertion?: string | (() => string | Promise<string>);
  /** Default `https://login.microsoftonline.com` (sovereign clouds: `https://login.microsoftonline.us`, `https://login.chinacloudapi.cn`); `http://` only to a loopback address. */
  authorityHost?: string;
  /** Default `https://storage.azure.com/.default`. */
  scope?: string;
}

/** An Entra ID token by client credentials. */
export function azureToken(options: AzureTokenOptions): Promise<AzureAccessToken>;

/** As `azureToken`, cached until shortly before the token expires. */
export function azureTokenProvider(options: AzureTokenOptions & CacheOptions): () => Promise<AzureAccessToken>;

/** A managed identity's token: IMDS by default; App Service / Functions with `endpoint` = `IDENTITY_ENDPOINT` and `identityHeader` = `IDENTITY_HEADER`. At most one of the ids (none: the system-assigned identity). */
export interface AzureManagedIdentityTokenOptions extends ExchangeOptions {
  /** The token endpoint (default IMDS `http://169.254.169.254/metadata/identity/oauth2/token`). */
  endpoint?: string;
  /** App Service's `IDENTITY_HEADER` (sent as `X-IDENTITY-HEADER`). */
  identityHeader?: string;
  clientId?: string;
  objectId?: string;
  resourceId?: string;
  /** Default `https://storage.azure.com`. */
  resource?: string;
}

/** A managed identity's token for Azure Storage. */
export function azureManagedIdentityToken(options?: AzureManagedIdentityTokenOptions): Promise<AzureAccessToken>;

/** As `azureManagedIdentityToken`, cached until shortly before the token expires. */
export function azureManagedIdentityTokenProvider(options?: AzureManagedIdentityTokenOptions & CacheOptions): () => Promise<AzureAccessToken>;

// --- Uploads ------------------------------------------------------------------------------------
// Large uploads in parts (S3 multipart upload, Azure blocks, GCS XML API multipart upload): the
// shapes of `planUpload` / `uploadRequest` / `uploadResponse` (the `presign/multipart` entry; the
// wasm exports planUploadJson / uploadRequestJson / uploadResponseJson of cargo feature `upload`).
// Digests are base64 (standard, padded).

/** The checksum every part carries. S3: crc32, crc32c, crc64nvme, sha1, sha256, md5; Azure: md5, crc64; GCS: crc32c, md5. */
/** `"crc64"` is read as `"crc64nvme"` (Azure's CRC-64 is CRC-64/NVME; its digest is given big-endian like every other). */
export type UploadChecksum = "crc32" | "crc32c" | "crc64nvme" | "crc64" | "sha1" | "sha256" | "md5";

/** The upload's members, beside the target request's (its `method` is ignored). */
export interface UploadFields {
  /** The object's size in bytes (at least 1). */
  size: number;
  /** Bytes per part; default 8 MiB, or the smallest whole MiB that keeps within the part count. */
  partSize?: number;
  checksum?: UploadChecksum;
  /** The object's content type: signed into the create step (S3, GCS), sent as `x-ms-blob-content-type` with the complete step (Azure), and with a single PUT. */
  contentType?: string;
  /** The create step's answer (S3, GCS); with it the plan signs every part, `list` and `abort`. */
  uploadId?: string;
}

/** A plan's input: a request of the schema and the upload's members. */
export type UploadPlanInput = PresignRequest & UploadFields;

/** One part's bytes: `length` bytes from `offset` (send `file.slice(offset, offset + length)`). */
export interface UploadPartRange {
  partNumber: number;
  offset: number;
  length: number;
}

/** A step's request: the presigned request, the body to send (the complete step's XML) and, for a part, its bytes. */
export interface UploadStepRequest extends Presigned {
  body?: string;
  part?: UploadPartRange;
}

/** The plan. `create` is null for Azure (blocks need no session). `parts` carry their request when it can be signed now (an `uploadId`, or Azure, and no checksum). */
export interface UploadPlan {
  provider: "s3" | "azure" | "gcs";
  size: number;
  partSize: number;
  partCount: number;
  checksum?: UploadChecksum;
  create: Presigned | null;
  parts: Array<UploadPartRange | (Presigned & { part: UploadPartRange })>;
  /** With an `uploadId`, or Azure: the list request (resuming). */
  list?: Presigned;
  /** With an `uploadId` (S3, GCS): the abort request. */
  abort?: Presigned;
}

/** An uploaded part for the complete step: the `ETag` response header as received (S3, GCS), and its digest when the plan names a checksum (S3). */
export interface UploadedPart {
  partNumber: number;
  etag?: string;
  digest?: string;
  size?: number;
}

/** A step's input: the plan's input and the step's members. */
export type UploadStepInput = UploadPlanInput &
  (
    | { step: "create" | "abort" | "list" }
    | { step: "part"; partNumber: number; digest?: string }
    | { step: "complete"; parts: UploadedPart[] }
    | { step: "put"; digest?: string }
  );

/** A step's answer to read: the HTTP status and body as received. */
export interface UploadResponseInput {
  provider: "s3" | "azure" | "gcs";
  step: "create" | "list" | "complete";
  status: number;
  body: string;
}

/** What the answers say: the upload id (create), the parts the server holds (list), or success (complete; S3 may answer 200 with an error document, which is an error). */
export type UploadResponse =
  | { uploadId: string }
  | { parts: Array<{ partNumber: number; size: number; etag: string; digest?: string }>; isTruncated: boolean; nextPartNumberMarker?: number }
  | { ok: true };

// The `presign/multipart` entry: the plan and each step's request, signed, and the answers read
// (docs/uploads.md). Synchronous like `presign`; PresignError (stable `code`) for bad input.

/**
 * The plan of an upload in parts: layout, the create request (null for Azure) and, with an
 * `uploadId` (or for Azure) and no checksum, every part's request, `list` and `abort`.
 *
 * ```js
 * import { planUpload, uploadRequest, uploadResponse } from "presign/multipart";
 * const target = { provider: "s3", bucket: "b", key: "big.bin", credentials, size: file.size };
 * const plan = planUpload(target);
 * const created = await fetch(plan.create.url, { method: "POST", headers: plan.create.headers });
 * const { uploadId } = uploadResponse({ provider: "s3", step: "create", status: created.status, body: await created.text() });
 * const part = uploadRequest({ ...target, uploadId, step: "part", partNumber: 1 }); // send file.slice(offset, offset + length)
 * ```
 */
export function planUpload(input: UploadPlanInput): UploadPlan;
/** One step's request: `create`, `part` (+ `partNumber`, `digest`), `complete` (+ `parts`; its XML `body`), `abort`, `list`, `put`. */
export function uploadRequest(input: UploadStepInput): UploadStepRequest;
/** Reads a step's answer: the upload id (create), the parts held (list), or `{ ok: true }` (complete); PresignError SERVICE_ERROR for the service's error document. */
export function uploadResponse(input: UploadResponseInput): UploadResponse;
/** As `planUpload`; a GCS service-account key is signed with WebCrypto (one signature per request of the plan), `credentials: { signer }` elsewhere (e.g. gcsSignBlobSigner). */
export function planUploadAsync(input: UploadPlanInput): Promise<UploadPlan>;
/** As `uploadRequest`; a GCS service-account key is signed with WebCrypto, `credentials: { signer }` elsewhere. */
export function uploadRequestAsync(input: UploadStepInput): Promise<UploadStepRequest>;
/** Temporary AWS credentials from an exchange: `credentials` is ready for an `S3Request`'s `credentials` (its `expiresAt` lets `credentialExpiry` warn, refuse or clamp). */
export interface AwsTemporaryCredentials {
  credentials: Required<AwsCredentials>;
  /** When they expire (RFC 3339), as `credentials.expiresAt`. */
  expiresAt: string;
}

/** STS AssumeRoleWithWebIdentity (unsigned POST to `https://sts.{region}.amazonaws.com/`). */
export interface AwsWebIdentityCredentialsOptions extends ExchangeOptions, CacheOptions {
  /** `arn:aws:iam::123456789012:role/name`: a role whose trust policy accepts the token's issuer and audience. */
  roleArn: string;
  /** The OpenID Connect token (or OAuth 2.0 access token), or a function returning it, called per exchange. */
  webIdentityToken: string | (() => string | Promise<string>);
  /** 2–64 of `A-Za-z0-9_+=,.@-`; default `presign-<ms since 1970>`. */
  roleSessionName?: string;
  /** 900–43200; STS's default 3600. */
  durationSeconds?: number;
  /** An inline session policy (JSON text) narrowing the role's permissions. */
  policy?: string;
  /** Managed policy ARNs narrowing the role's permissions. */
  policyArns?: string[];
  /** Only for OAuth 2.0 access tokens of `www.amazon.com` / `graph.facebook.com`. */
  providerId?: string;
  /** Default `us-east-1`. */
  region?: string;
  /** Another STS endpoint (`https://sts.amazonaws.com`, a VPC endpoint, a local stand-in). */
  endpoint?: string;
}

/** A function resolving to temporary credentials for the role, cached until `refreshMargin` ms before they expire (concurrent callers share one request). */
export function awsWebIdentityCredentials(options: AwsWebIdentityCredentialsOptions): () => Promise<AwsTemporaryCredentials>;

/** Cognito identity pool: GetId (once) then GetCredentialsForIdentity (unsigned POSTs to `https://cognito-identity.{region}.amazonaws.com/`). */
export interface CognitoCredentialsOptions extends ExchangeOptions, CacheOptions {
  /** `region:uuid`; its region is the default `region`. */
  identityPoolId?: string;
  /** Provider name (`accounts.google.com`, `cognito-idp.{region}.amazonaws.com/{userPoolId}`, …) → its token; or a function returning that map, called per exchange. None: a guest identity. */
  logins?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
  /** An identity already known (GetId is then skipped). */
  identityId?: string;
  /** A role the pool's rules allow for this token (`cognito:roles`), when the pool lets the token choose. */
  customRoleArn?: string;
  /** The pool's AWS account (GetId's `AccountId`). */
  accountId?: string;
  region?: string;
  /** Another endpoint (a local stand-in). */
  endpoint?: string;
}

/** Temporary credentials of a Cognito identity. */
export interface CognitoCredentialsResult extends AwsTemporaryCredentials {
  identityId: string;
}

/** A function resolving to the identity's temporary credentials, cached until `refreshMargin` ms before they expire (concurrent callers share one request). */
export function cognitoCredentials(options: CognitoCredentialsOptions): () => Promise<CognitoCredentialsResult>;
// --- Uploads (the `presign/upload` entry) ----------------------------------------------------

/** An upload checksum the clouds verify: S3 all of them (`x-amz-checksum-*`, MD5 as `Content-MD5`), Azure `md5` and `crc64nvme` (`x-ms-content-crc64`), GCS `crc32c` and `md5` (`x-goog-hash`). Names are matched without regard to ASCII case. */
export type ChecksumAlgorithm = "crc32" | "crc32c" | "crc64nvme" | "md5" | "sha1" | "sha256";

/**
 * A streaming checksum of an upload's body (WebCrypto has no streaming digest and no CRC or MD5):
 * `update` each chunk in order, then take one digest, which finishes the hasher (a later call throws
 * PresignError INVALID_REQUEST). An unknown algorithm throws PresignError INVALID_REQUEST.
 *
 * ```js
 * import { Hasher } from "presign/upload";
 * const h = new Hasher("crc32c");
 * for await (const chunk of file.stream()) h.update(chunk);
 * const headers = h.digestHeaders("s3"); // { "x-amz-checksum-crc32c": "…" }: sign it, send it
 * ```
 */
export class Hasher {
  constructor(algorithm: ChecksumAlgorithm);
  /** The algorithm's name, lower case. */
  readonly algorithm: ChecksumAlgorithm;
  /** Absorbs the next chunk (a string as its UTF-8); returns this. */
  update(chunk: Uint8Array | ArrayBufferView | ArrayBuffer | string): this;
  /** Finishes: base64 (default; the value of `x-amz-checksum-*`, `Content-MD5`, an `x-goog-hash` entry) or hex of the digest. */
  digest(encoding?: "base64" | "hex"): string;
  /** Finishes: the digest bytes (a CRC's value big-endian). */
  digestBytes(): Uint8Array;
  /**
   * Finishes: the header the provider verifies the body from, e.g. `{ "x-amz-checksum-crc32c": "4waSgw==" }`,
   * `{ "x-ms-content-crc64": "…" }` (little-endian, as Azure reads it), `{ "x-goog-hash": "crc32c=…" }`.
   * PresignError UNSUPPORTED for an algorithm the provider does not verify (the hasher stays usable).
   */
  digestHeaders(provider: "s3" | "azure" | "gcs"): Record<string, string>;
  /**
   * Releases the wasm memory now (otherwise when the object is collected); a later call throws.
   * Also under `Symbol.dispose` where the runtime has it (`using h = new Hasher("crc32c")`).
   */
  free(): void;
}
/** The IAM Credentials signBlob method, with a bearer token for a principal allowed `iam.serviceAccounts.signBlob` on the account. */
export interface GcsSignBlobSignerOptions extends ExchangeOptions {
  /** The service account that signs (`name@project.iam.gserviceaccount.com`): the URL's credential. */
  serviceAccountEmail: string;
  /** An OAuth 2.0 access token (cloud-platform or iam scope), or a function returning one, called per signature; sent in `Authorization`, never into wasm. */
  accessToken: string | (() => string | { accessToken: string } | Promise<string | { accessToken: string }>);
  /** The IAM Credentials endpoint (default `https://iamcredentials.{universeDomain}`); `http://` only to a loopback address. */
  endpoint?: string;
  /** Default `googleapis.com`; also selects `storage.{universeDomain}` for the URLs. */
  universeDomain?: string;
}

/** A `GcsSigner` that signs through IAM Credentials signBlob: `credentials: { signer }` for `presignAsync` / `presignPostAsync`. */
export function gcsSignBlobSigner(options: GcsSignBlobSignerOptions): GcsSigner;
/** S3 Express One Zone `CreateSession` (exchange `aws.s3ExpressCreateSession`): session credentials for one directory bucket, valid 5 minutes. */
export interface S3ExpressCreateSessionRequest {
  /** The directory bucket, `name--usw2-az1--x-s3`. */
  bucket: string;
  /** The bucket's region (default `us-east-1`). */
  region?: string;
  /** `scheme://host[:port][/base]` instead of the zonal endpoint `{bucket}.s3express-{azid}.{region}.amazonaws.com`. */
  endpoint?: string;
  /** Only with `endpoint`: AWS zonal endpoints are virtual-hosted. */
  urlStyle?: "virtualHosted" | "path";
  dualstack?: boolean;
  /** Directory buckets have no Transfer Acceleration: `true` is an error. */
  accelerate?: boolean;
  fips?: boolean;
  /** As in `S3Request` (the endpoint options are shared); directory buckets are Amazon S3's, so `"aws"` (the default). */
  store?: S3Store;
  /** As in `S3Request`; not used by Amazon S3. */
  accountId?: string;
  /** IAM credentials (long-term or STS) that sign `CreateSession`. */
  credentials: AwsCredentials;
  /** `x-amz-create-session-mode` (default: the service's, `ReadWrite`). */
  sessionMode?: "ReadWrite" | "ReadOnly";
}

/** Session credentials with their expiry. */
export interface S3ExpressSession {
  /** Ready for `credentials` in an `S3Request` for the same bucket (signed as `X-Amz-S3session-Token`). */
  credentials: AwsCredentials;
  /** When the session ends (5 minutes after it is created); `credentialExpiry: "clamp"` bounds URLs to it. */
  expiresAt: string;
}

/** Session credentials for a directory bucket (one `CreateSession`). */
export function s3ExpressSession(options: S3ExpressCreateSessionRequest & ExchangeOptions): Promise<S3ExpressSession>;

/** As `s3ExpressSession`, cached until `refreshMargin` ms (default 60000) before the session ends. */
export function s3ExpressSessionProvider(options: S3ExpressCreateSessionRequest & ExchangeOptions & CacheOptions): () => Promise<S3ExpressSession>;
