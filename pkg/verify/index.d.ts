// Types for `presign/verify`: everything `presign` exports, plus `verify`.
export * from "../index.js";
import type { Method, StringMap, AwsCredentials, UserDelegationKey } from "../index.js";

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
