// Who may sign: the signer's pluggable check (pure JS, WebCrypto only, no dependency).
//
//   authenticate(request, env) -> { sub, via }      or throws AuthError (status 401, or 500 when the
//                                                    worker's own configuration is wrong)
//
// Accepted credentials, tried in this order:
//   1. `Authorization: Bearer <JWT>` (compact JWS):
//      - HS256 with the secret JWT_SECRET (a secret binding: `wrangler secret put JWT_SECRET`);
//      - RS256 / ES256 (P-256) with a key of a JWKS: JWKS (the JWKS as JSON text in a binding) and/or
//        JWKS_URL (fetched, cached for JWKS_CACHE_SECONDS, default 600, refetched on an unknown `kid`
//        at most every 30 s). JWKS-verified tokens need JWT_ISSUER and JWT_AUDIENCE (an identity
//        provider signs tokens for many applications: the audience says the token is for this one).
//      The algorithm comes from the header but is only accepted with a key of its own kind: HS256
//      only with JWT_SECRET, RS256 only with an RSA key, ES256 only with an EC P-256 key (a JWK's `alg`,
//      when present, must equal it): `alg: none` and algorithm confusion (an HS256 token "signed" with
//      the RSA public key) find no key. Claims: `exp` required, `nbf` honoured, both with LEEWAY seconds
//      (default 60); `iss` must equal JWT_ISSUER and `aud` (string or array) contain JWT_AUDIENCE when
//      these are set; `sub` is required and must be a plain name (it becomes a key prefix).
//   2. A session cookie (SESSION_COOKIE, default "presign_session") when SESSION_SECRET is set:
//      `<base64url(JSON {sub, exp})>.<base64url(HMAC-SHA256(SESSION_SECRET, first part))>`, as made
//      by `sessionCookieValue` below (e.g. by the application's login endpoint sharing the secret).
//
// To plug in another check, replace this module (or `authenticate` in it) with one that returns
// { sub, via } for an allowed caller and throws AuthError(401, ...) otherwise: worker.js only calls
// `authenticate` and uses `sub` for the caller's key prefix.

/** A refused or impossible authentication: `status` 401 (the caller) or 500 (the configuration). */
export class AuthError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });
const MAX_TOKEN = 8192;
const SUB = /^[A-Za-z0-9_.@|:+=-]{1,128}$/;

const deny = (message, code = "UNAUTHORIZED") => new AuthError(401, code, message);
const misconfigured = (message) => new AuthError(500, "AUTH_CONFIG", message);

/** base64url (no padding) -> bytes; anything else -> null. */
export function b64urlDecode(s) {
  if (typeof s !== "string" || !/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null;
  const b = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}

/** bytes (or text) -> base64url without padding. */
export function b64urlEncode(data) {
  const bytes = typeof data === "string" ? enc.encode(data) : new Uint8Array(data);
  let s = "";
  for (const x of bytes) s += String.fromCharCode(x);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function jsonPart(part) {
  const bytes = b64urlDecode(part);
  if (!bytes) return null;
  try {
    const v = JSON.parse(dec.decode(bytes));
    return v && typeof v === "object" && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

const leeway = (env) => {
  const n = Number(env.LEEWAY ?? 60);
  return Number.isFinite(n) && n >= 0 && n <= 600 ? n : 60;
};

// An HMAC secret shorter than 32 characters is a configuration error (a guessable secret signs for anyone).
const hmacKey = (secret, usage) => {
  if (String(secret).length < 32) throw misconfigured("JWT_SECRET and SESSION_SECRET must be at least 32 characters");
  return crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [usage]);
};

// ---- JWKS: from a binding and/or a URL (cached per isolate) -----------------------------------

const jwksCache = new Map(); // url -> { keys, at }
const importedCache = new Map(); // JSON of a JWK + alg -> CryptoKey

function parseJwks(text, where) {
  let v;
  try {
    v = typeof text === "string" ? JSON.parse(text) : text;
  } catch {
    throw misconfigured(`${where} is not JSON`);
  }
  if (!v || !Array.isArray(v.keys)) throw misconfigured(`${where} has no "keys" array`);
  return v.keys.filter((k) => k && typeof k === "object");
}

async function fetchJwks(url, env, force) {
  const ttl = Number(env.JWKS_CACHE_SECONDS || 600) * 1000;
  const hit = jwksCache.get(url);
  const now = Date.now();
  if (hit && (force ? now - hit.at < 30000 : now - hit.at < ttl)) return hit.keys;
  let keys;
  try {
    const r = await fetch(url, { headers: { accept: "application/json" } });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    keys = parseJwks(await r.text(), "the JWKS_URL answer");
  } catch (e) {
    if (hit) return hit.keys; // keep the last good set when the provider is briefly unreachable
    throw misconfigured(`the JWKS could not be fetched from JWKS_URL: ${e.message}`);
  }
  jwksCache.set(url, { keys, at: now });
  return keys;
}

// The JWK fits the algorithm: its type (and curve), its `alg` and `use` when present.
function fits(jwk, alg) {
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  if (jwk.use !== undefined && jwk.use !== "sig") return false;
  if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes("verify")) return false;
  if (alg === "RS256") return jwk.kty === "RSA" && typeof jwk.n === "string" && typeof jwk.e === "string";
  if (alg === "ES256") return jwk.kty === "EC" && jwk.crv === "P-256" && typeof jwk.x === "string" && typeof jwk.y === "string";
  return false;
}

async function importJwk(jwk, alg) {
  const pub = alg === "RS256" ? { kty: "RSA", n: jwk.n, e: jwk.e } : { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y };
  const id = alg + JSON.stringify(pub);
  let key = importedCache.get(id);
  if (!key) {
    const algorithm = alg === "RS256" ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } : { name: "ECDSA", namedCurve: "P-256" };
    try {
      key = await crypto.subtle.importKey("jwk", pub, algorithm, false, ["verify"]);
    } catch {
      return null;
    }
    if (importedCache.size > 256) importedCache.clear();
    importedCache.set(id, key);
  }
  return key;
}

async function verifyAsymmetric(alg, kid, data, sig, env) {
  if (!env.JWKS && !env.JWKS_URL) throw deny(`${alg} tokens are not accepted here (no JWKS configured)`, "BAD_TOKEN");
  if (!env.JWT_ISSUER || !env.JWT_AUDIENCE) throw misconfigured("JWKS-verified tokens need JWT_ISSUER and JWT_AUDIENCE");
  const algorithm = alg === "RS256" ? { name: "RSASSA-PKCS1-v1_5" } : { name: "ECDSA", hash: "SHA-256" };
  const pick = (keys) => keys.filter((k) => fits(k, alg) && (kid === undefined || k.kid === kid));
  const attempt = async (keys) => {
    for (const jwk of pick(keys)) {
      const key = await importJwk(jwk, alg);
      if (key && (await crypto.subtle.verify(algorithm, key, sig, data))) return true;
    }
    return false;
  };
  if (env.JWKS && (await attempt(parseJwks(env.JWKS, "the JWKS binding")))) return true;
  if (env.JWKS_URL) {
    let keys = await fetchJwks(env.JWKS_URL, env, false);
    if (await attempt(keys)) return true;
    // A key rotated in since the last fetch: one refetch (rate-limited) for an unknown kid.
    if (kid !== undefined && pick(keys).length === 0) {
      keys = await fetchJwks(env.JWKS_URL, env, true);
      if (await attempt(keys)) return true;
    }
  }
  return false;
}

// ---- JWT ------------------------------------------------------------------------------------

async function verifyJwt(token, env) {
  if (token.length > MAX_TOKEN) throw deny("the token is too long", "BAD_TOKEN");
  const parts = token.split(".");
  if (parts.length !== 3) throw deny("the token is not a compact JWS (header.payload.signature)", "BAD_TOKEN");
  const header = jsonPart(parts[0]);
  const claims = jsonPart(parts[1]);
  const sig = b64urlDecode(parts[2]);
  if (!header || !claims || !sig) throw deny("the token is not well-formed", "BAD_TOKEN");
  if (header.crit !== undefined) throw deny("the token has critical header parameters this worker does not know", "BAD_TOKEN");
  const data = enc.encode(`${parts[0]}.${parts[1]}`);
  const alg = header.alg;
  let ok;
  if (alg === "HS256") {
    if (!env.JWT_SECRET) throw deny("HS256 tokens are not accepted here (no JWT_SECRET configured)", "BAD_TOKEN");
    ok = await crypto.subtle.verify("HMAC", await hmacKey(env.JWT_SECRET, "verify"), sig, data);
  } else if (alg === "RS256" || alg === "ES256") {
    if (alg === "ES256" && sig.length !== 64) throw deny("the token's signature is wrong", "BAD_SIGNATURE");
    ok = await verifyAsymmetric(alg, header.kid, data, sig, env);
  } else {
    throw deny(`the token's algorithm ${JSON.stringify(alg)} is not accepted (HS256, RS256, ES256)`, "BAD_TOKEN");
  }
  if (!ok) throw deny("the token's signature is wrong", "BAD_SIGNATURE");
  checkClaims(claims, env, alg !== "HS256");
  return { sub: claims.sub, via: `jwt-${alg.toLowerCase()}` };
}

function checkClaims(claims, env, issuerRequired) {
  const now = Date.now() / 1000;
  const skew = leeway(env);
  if (typeof claims.exp !== "number" || !Number.isFinite(claims.exp)) throw deny("the token has no expiry (exp)", "BAD_TOKEN");
  if (now > claims.exp + skew) throw deny("the token has expired", "TOKEN_EXPIRED");
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || now + skew < claims.nbf)) {
    throw deny("the token is not valid yet (nbf)", "BAD_TOKEN");
  }
  if ((env.JWT_ISSUER || issuerRequired) && claims.iss !== env.JWT_ISSUER) throw deny("the token's issuer is not accepted", "BAD_ISSUER");
  if (env.JWT_AUDIENCE || issuerRequired) {
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(env.JWT_AUDIENCE)) throw deny("the token is not meant for this signer (aud)", "BAD_AUDIENCE");
  }
  if (typeof claims.sub !== "string" || !SUB.test(claims.sub) || claims.sub === "." || claims.sub === "..") {
    throw deny("the token's subject (sub) is missing or not a plain name", "BAD_TOKEN");
  }
}

/** An HS256 JWT over `claims` with `secret` (the demo's token endpoint uses it). */
export async function signHs256(claims, secret) {
  const head = b64urlEncode(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64urlEncode(JSON.stringify(claims));
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), enc.encode(`${head}.${body}`));
  return `${head}.${body}.${b64urlEncode(mac)}`;
}

// ---- session cookie ---------------------------------------------------------------------------

/** The value of a session cookie for `sub` valid until `exp` (seconds since the epoch). */
export async function sessionCookieValue(sub, exp, secret) {
  const body = b64urlEncode(JSON.stringify({ sub, exp }));
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), enc.encode(body));
  return `${body}.${b64urlEncode(mac)}`;
}

function cookie(request, name) {
  for (const part of (request.headers.get("cookie") || "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}

async function verifySession(value, env) {
  const parts = value.split(".");
  const mac = parts.length === 2 ? b64urlDecode(parts[1]) : null;
  const claims = parts.length === 2 ? jsonPart(parts[0]) : null;
  if (!mac || !claims || value.length > MAX_TOKEN) throw deny("the session cookie is not well-formed", "BAD_SESSION");
  if (!(await crypto.subtle.verify("HMAC", await hmacKey(env.SESSION_SECRET, "verify"), mac, enc.encode(parts[0])))) {
    throw deny("the session cookie's signature is wrong", "BAD_SIGNATURE");
  }
  checkClaims(claims, { LEEWAY: env.LEEWAY }, false);
  return { sub: claims.sub, via: "session-cookie" };
}

// ---- the check ----------------------------------------------------------------------------------

/** The caller ({ sub, via }) or an AuthError. */
export async function authenticate(request, env) {
  const authz = request.headers.get("authorization");
  if (authz) {
    const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(authz);
    if (!m) throw deny("the Authorization header is not a Bearer token", "BAD_TOKEN");
    return verifyJwt(m[1], env);
  }
  if (env.SESSION_SECRET) {
    const value = cookie(request, env.SESSION_COOKIE || "presign_session");
    if (value) return verifySession(value, env);
  }
  throw deny("sign in first: send Authorization: Bearer <token>", "UNAUTHENTICATED");
}
