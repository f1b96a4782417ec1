// The demo page: asks the signer (same origin, /api/*) for presigned URLs and talks to the storage
// service directly. No build step; its one dependency is the npm package's presign/upload (the part
// checksums), which the demo worker serves. `window.demo` exposes the steps for the tests.

const $ = (sel) => document.querySelector(sel);
const ORIGIN = location.origin;
const STORE = "presign-demo-files";
let config = null;

// The signer wants a caller: `Authorization: Bearer <token>`. The demo's worker hands out short-lived
// tokens for its demo user (POST /api/demo-token, which exists only in the demo); a real page would
// get its token from its identity provider instead. Renewed a minute before it expires, or on a 401.
let token = null;
async function bearer(renew) {
  if (renew || !token || Date.parse(token.expiresAt) - Date.now() < 60000) {
    const r = await fetch("/api/demo-token", { method: "POST" });
    if (!r.ok) throw Object.assign(new Error(`no demo token (HTTP ${r.status})`), { code: "NO_TOKEN", fromSigner: true });
    token = await r.json();
  }
  return token.token;
}

async function api(path, body) {
  const call = async (renew) => {
    const headers = { authorization: `Bearer ${await bearer(renew)}` };
    if (body === undefined) return fetch(path, { headers });
    return fetch(path, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });
  };
  let r = await call(false);
  if (r.status === 401) r = await call(true);
  const data = await r.json().catch(() => ({ error: { code: "BAD_ANSWER", message: `the signer answered HTTP ${r.status}` } }));
  if (!r.ok || data.error) {
    const e = new Error(data.error ? data.error.message : `HTTP ${r.status}`);
    e.code = data.error ? data.error.code : "HTTP";
    e.fromSigner = true;
    throw e;
  }
  return data;
}

const label = (provider) => (config && config.providers.find((p) => p.id === provider) || { label: provider }).label;

// ---- messages ---------------------------------------------------------------------------------

function say(kind, text, detail) {
  const div = document.createElement("div");
  div.className = "message" + (kind === "success" ? " success" : "");
  div.dataset.kind = kind;
  const p = document.createElement("p");
  p.textContent = text;
  div.append(p);
  if (detail) {
    const pre = document.createElement("pre");
    pre.textContent = detail;
    div.append(pre);
  }
  $("#status").prepend(div);
  return div;
}

function xmlField(text, name) {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text || "");
  return m ? m[1].trim() : "";
}

// Turns a storage answer (or a blocked request) into words: {kind, text, detail?}.
async function explain(provider, res) {
  if (res.network) {
    let rule = null;
    try { rule = await api(`/api/cors?provider=${encodeURIComponent(provider)}`); } catch { /* no rule known */ }
    return {
      kind: "cors",
      text: `The browser blocked the request to ${res.host}: CORS is not configured for this origin (${ORIGIN}) on ${label(provider)}` +
        ` (or the storage service is unreachable). Here is the rule to add` +
        (rule ? ` (computed by the signer with corsRules from the requests it signs) — ${rule.how}:` : "."),
      detail: rule ? rule.rule : undefined,
    };
  }
  const code = xmlField(res.body, "Code") || res.errorCode || "";
  const message = xmlField(res.body, "Message").split("\n")[0];
  const azureDetail = xmlField(res.body, "AuthenticationErrorDetail");
  const lower = `${code} ${message} ${azureDetail}`.toLowerCase();
  if (code === "EntityTooLarge" || code === "EntityTooSmall") {
    return { kind: "size", text: `${label(provider)} refused the upload (HTTP ${res.status} ${code}): the file's size is outside what the upload policy allows.` };
  }
  if (lower.includes("expired") || lower.includes("expiry")) {
    return { kind: "expired", text: `${label(provider)} refused the URL (HTTP ${res.status} ${code}): it has expired — ask the signer for a new one.` };
  }
  if (res.status === 403 && (code === "SignatureDoesNotMatch" || code === "AuthenticationFailed" || lower.includes("signature"))) {
    return {
      kind: "signature",
      text: `${label(provider)} refused the signature (HTTP 403 ${code}): the URL or a signed header was changed after signing, ` +
        "or the signer's key does not match the storage account.",
      detail: azureDetail || message || undefined,
    };
  }
  if (res.status === 403) {
    return { kind: "denied", text: `${label(provider)} denied access (HTTP 403 ${code}): ${message || "no details"}` };
  }
  if (res.status === 404) {
    return { kind: "missing", text: `${label(provider)} has no such object (HTTP 404 ${code}).` };
  }
  return { kind: "storage", text: `${label(provider)} answered HTTP ${res.status}${code ? " " + code : ""}${message ? ": " + message : ""}` };
}

// ---- transfers --------------------------------------------------------------------------------

// Headers a page may not set (the browser does): the signer may list content-length (S3 signs the exact size).
const BROWSER_SETS = new Set(["content-length", "host"]);

// One request with upload progress (XMLHttpRequest: fetch has no upload progress events).
function send(method, url, headers, body, onProgress) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [k, v] of Object.entries(headers || {})) {
      if (!BROWSER_SETS.has(k.toLowerCase())) xhr.setRequestHeader(k, v);
    }
    xhr.responseType = "arraybuffer";
    if (onProgress) xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded, e.total);
    xhr.onload = () => {
      const bytes = new Uint8Array(xhr.response || new ArrayBuffer(0));
      resolve({
        network: false, status: xhr.status, bytes,
        body: new TextDecoder().decode(bytes.slice(0, 4096)),
        etag: xhr.getResponseHeader("etag"), errorCode: xhr.getResponseHeader("x-ms-error-code"),
        contentType: xhr.getResponseHeader("content-type"),
      });
    };
    xhr.onerror = () => resolve({ network: true, status: 0, host: new URL(url).host });
    xhr.send(body === undefined ? null : body);
  });
}

function progressItem(name, size) {
  const li = document.createElement("li");
  const line = document.createElement("div");
  line.className = "file-line";
  const n = document.createElement("span");
  n.textContent = name;
  const pct = document.createElement("span");
  pct.textContent = "waiting";
  line.append(n, pct);
  const bar = document.createElement("progress");
  bar.max = Math.max(size, 1);
  bar.value = 0;
  bar.setAttribute("aria-label", `Upload of ${name}`);
  li.append(line, bar);
  $("#progress").append(li);
  return {
    li,
    update(loaded, total) { bar.max = Math.max(total, 1); bar.value = loaded; pct.textContent = `${Math.floor((100 * loaded) / Math.max(total, 1))}%`; },
    done(ok, text) { pct.textContent = text; pct.className = ok ? "ok" : "err"; if (ok) bar.value = bar.max; li.dataset.state = ok ? "done" : "failed"; },
  };
}

async function uploadFile(provider, file) {
  const item = progressItem(`${file.name} → ${label(provider)}`, file.size);
  const type = file.type || "application/octet-stream";
  let signed;
  try {
    signed = await api("/api/sign", { provider, op: "upload", key: config.prefix + file.name, contentType: type, size: file.size });
  } catch (e) {
    item.done(false, "refused by the signer");
    say("worker", `The signer refused ${file.name}: ${e.message}`);
    return { ok: false, kind: "worker", code: e.code, message: e.message };
  }
  const headers = { ...signed.headers };
  if (!Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) headers["content-type"] = type;
  item.update(0, file.size);
  const res = await send(signed.method, signed.url, headers, file, (l, t) => item.update(l, t));
  if (!res.network && res.status >= 200 && res.status < 300) {
    item.done(true, "uploaded");
    remember({ provider, key: signed.key, name: file.name, size: file.size, type });
    say("success", `Uploaded ${file.name} to ${label(provider)}.`);
    return { ok: true, status: res.status, key: signed.key, etag: res.etag };
  }
  const why = await explain(provider, res);
  item.done(false, "failed");
  say(why.kind, `${file.name}: ${why.text}`, why.detail);
  return { ok: false, status: res.status, network: res.network, ...why };
}

async function download(provider, key, { save = true, tamper = false } = {}) {
  let signed;
  try {
    signed = await api("/api/sign", { provider, op: "download", key });
  } catch (e) {
    say("worker", `The signer refused the download of ${key}: ${e.message}`);
    return { ok: false, kind: "worker", message: e.message };
  }
  const url = tamper ? tamperUrl(signed.url) : signed.url;
  const res = await send("GET", url, signed.headers);
  if (!res.network && res.status === 200) {
    if (save) {
      const a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob([res.bytes], { type: res.contentType || "application/octet-stream" }));
      a.download = key.split("/").pop();
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    }
    say("success", `Downloaded ${key.split("/").pop()} from ${label(provider)} (${res.bytes.length} bytes).`);
    return { ok: true, status: 200, size: res.bytes.length, text: new TextDecoder().decode(res.bytes) };
  }
  const why = await explain(provider, res);
  say(why.kind, `Download of ${key.split("/").pop()}: ${why.text}`, why.detail);
  return { ok: false, status: res.status, network: res.network, ...why };
}

// A browser form upload (S3 / GCS POST policy from the signer's /api/form): the policy's fields in
// their order, the file last. multipart/form-data is a "simple" request, like an HTML <form> post:
// no preflight (so no upload-progress listener, which would force one), but the answer is readable
// only with a CORS rule that allows POST.
async function postForm(provider, form, file) {
  const fd = new FormData();
  for (const [name, value] of form.fields) fd.append(name, value);
  if (!form.fields.some(([n]) => n.toLowerCase() === "content-type")) fd.append("content-type", file.type || "application/octet-stream");
  fd.append("file", file, file.name);
  const item = progressItem(`${file.name} → ${label(provider)} (form)`, file.size);
  const res = await send("POST", form.url, {}, fd, null);
  if (!res.network && res.status >= 200 && res.status < 300) {
    item.done(true, "uploaded");
    say("success", `Uploaded ${file.name} to ${label(provider)} with a form.`);
    return { ok: true, status: res.status };
  }
  const why = await explain(provider, res);
  item.done(false, "refused");
  say(why.kind, `${file.name}: ${why.text}`, why.detail);
  return { ok: false, status: res.status, network: res.network, ...why };
}

// "form upload (POST policy)": the signer returns a POST policy (`presignPost` / `presignPostAsync`)
// whose conditions — key, content type, size range — the storage itself enforces. Azure has none:
// the signer answers with the library's UNSUPPORTED error and the page falls back to a SAS PUT.
async function formUpload(provider, file) {
  const type = file.type || "application/octet-stream";
  let form;
  try {
    form = await api("/api/form", { provider, key: config.prefix + file.name, contentType: type, size: file.size });
  } catch (e) {
    if (e.code === "UNSUPPORTED") {
      say("fallback", `${label(provider)} has no form uploads (POST policies): ${file.name} goes with a presigned PUT instead.`, e.message);
      const r = await uploadFile(provider, file);
      return { ...r, fallback: "put", unsupported: e.message };
    }
    progressItem(`${file.name} → ${label(provider)} (form)`, file.size).done(false, "refused by the signer");
    say("worker", `The signer refused ${file.name}: ${e.message}`);
    return { ok: false, kind: "worker", code: e.code, message: e.message };
  }
  const r = await postForm(provider, form, file);
  if (r.ok) remember({ provider, key: form.key, name: file.name, size: file.size, type });
  return { ...r, key: form.key, form: true };
}

// Changes one character of the signature (S3/GCS X-*-Signature hex, Azure sig base64).
function tamperUrl(url) {
  return url.replace(/([?&](?:X-Amz-Signature|X-Goog-Signature|sig)=)(.)/, (m, p, c) => p + (c === "a" ? "b" : c === "0" ? "1" : c === "A" ? "B" : "a"));
}

// ---- large uploads in parts -------------------------------------------------------------------
// A large file (generated here: deterministic pseudo-random bytes, so a reload makes the same file)
// goes to each storage in parts, several at a time, through the signer's /api/upload/* endpoints
// (presign/multipart in the worker). What is needed to resume — {provider, key, uploadId, partSize,
// size} — is kept in localStorage: after a reload the list step says which parts the storage holds,
// and only the others are sent. Then complete, download with a presigned GET and compare SHA-256.

const LARGE = "presign-demo-large";
const MiB = 1024 * 1024;
const LARGE_DEFAULTS = { size: 200 * MiB, partSize: 16 * MiB, concurrency: 4, seed: 20261205 };
let largeBytes = null; // {seed, size, bytes, sha256}

// xorshift32 from the seed, 4 bytes per step: the same seed and size give the same bytes.
function generate(size, seed) {
  const words = new Uint32Array(Math.ceil(size / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    words[i] = x;
  }
  return new Uint8Array(words.buffer, 0, size);
}

const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

async function largeFile(size, seed) {
  if (!largeBytes || largeBytes.size !== size || largeBytes.seed !== seed) {
    const bytes = generate(size, seed);
    largeBytes = { size, seed, bytes, sha256: hex(await crypto.subtle.digest("SHA-256", bytes)), digests: new Map() };
  }
  return largeBytes;
}

// Each part's checksum (config.partChecksums: CRC-32C for S3 and GCS, MD5 for Azure, which the
// storage verifies on the part) comes from the npm package's streaming Hasher (presign/upload, its
// browser build; the demo worker serves it at /presign/…). Loaded once, at the start; if it cannot
// load, the page shows why and the uploads in parts that need a checksum fail with the reason —
// everything else works without it.
let hasherLoad = null;
function loadHasher() {
  if (!hasherLoad) {
    hasherLoad = import("/presign/dist/upload/index.js").then((m) => m.Hasher);
    hasherLoad.catch(() => { hasherLoad = null; }); // the next use tries again
  }
  return hasherLoad;
}

function pendingUploads() {
  try { return JSON.parse(localStorage.getItem(LARGE) || "{}"); } catch { return {}; }
}
function savePending(provider, state) {
  const all = pendingUploads();
  if (state) all[provider] = state; else delete all[provider];
  localStorage.setItem(LARGE, JSON.stringify(all));
  largeNote();
}

// What the button does, and the uploads a reload left pending (the button resumes them).
function largeNote() {
  const names = Object.keys(pendingUploads()).filter((p) => config.providers.some((c) => c.id === p));
  $("#large-note").textContent = `${LARGE_DEFAULTS.size / MiB} MiB of pseudo-random bytes (seed ${LARGE_DEFAULTS.seed}), ` +
    `parts of ${LARGE_DEFAULTS.partSize / MiB} MiB, ${LARGE_DEFAULTS.concurrency} at a time, up to ${config.maxUploadBytes} bytes per file.` +
    (names.length ? ` Pending: ${names.map(label).join(", ")} — the button resumes them.` : "");
}

const largeItems = {};
function largeItem(provider) {
  if (!largeItems[provider]) {
    const li = document.createElement("li");
    li.dataset.provider = provider;
    const line = document.createElement("div");
    line.className = "file-line";
    const n = document.createElement("span");
    n.textContent = label(provider);
    const pct = document.createElement("span");
    pct.textContent = "waiting";
    line.append(n, pct);
    const bar = document.createElement("progress");
    bar.value = 0;
    bar.max = 1;
    bar.setAttribute("aria-label", `Large upload to ${label(provider)}`);
    const note = document.createElement("p");
    note.className = "hint";
    li.append(line, bar, note);
    $("#large-progress").append(li);
    largeItems[provider] = {
      li,
      update(done, total, text) { bar.max = total; bar.value = done; pct.textContent = text || `${Math.floor((100 * done) / total)}%`; },
      note(text) { note.textContent = text; },
      done(ok, text) { pct.textContent = text; pct.className = ok ? "ok" : "err"; li.dataset.state = ok ? "done" : "failed"; if (ok) bar.value = bar.max; },
    };
  }
  return largeItems[provider];
}

// A storage request whose answer the signer reads (create, list, complete).
async function stepAnswer(provider, step, signed, body) {
  const res = await send(signed.method, signed.url, signed.headers, body);
  if (res.network) return { error: await explain(provider, res) };
  const text = new TextDecoder().decode(res.bytes);
  try {
    return await api("/api/upload/answer", { provider, step, status: res.status, body: text });
  } catch (e) {
    return { error: { kind: "storage", text: `${label(provider)}: the ${step} step failed: ${e.message}` } };
  }
}

/**
 * Uploads the generated file to `provider` in parts, resuming a pending upload of the same file.
 * Options: size, partSize, concurrency, seed (defaults above); reloadAfter: send no more than about
 * that many parts (those under way finish) and reload the page once every large upload running has
 * sent that many (the tests' "reload mid-upload", before any upload can complete). Resolves
 * with what happened: {ok, partCount, listedParts (held after a reload), uploadedParts (sent by this
 * call), resumed, sha256, expected, ...}.
 */
async function largeUpload(provider, options = {}) {
  const o = { ...LARGE_DEFAULTS, ...options };
  const item = largeItem(provider);
  const stats = { provider, ok: false, partCount: 0, listedParts: 0, uploadedParts: 0, resumed: false };
  window.demo.large[provider] = stats;
  const fail = (text, kind = "storage", detail) => {
    // the page is reloading (reloadAfter): requests cut short are not failures, nothing resolves
    if (window.demo.reloading) return new Promise(() => {});
    stats.finished = true;
    item.done(false, "failed");
    item.note(text);
    say(kind, text, detail);
    return Object.assign(stats, { ok: false, kind, text });
  };
  item.update(0, o.size, "preparing");
  const file = await largeFile(o.size, o.seed);
  const checksum = config.partChecksums && config.partChecksums[provider];
  const type = "application/octet-stream";
  let state = pendingUploads()[provider];
  if (state && (state.size !== o.size || state.partSize !== o.partSize || state.seed !== o.seed)) state = null;
  const upload = (extra = {}) => ({ provider, key: state.key, contentType: type, size: o.size, partSize: o.partSize, ...(checksum ? { checksum } : {}), ...extra });
  const partCount = Math.ceil(o.size / o.partSize);
  stats.partCount = partCount;
  const range = (n) => ({ partNumber: n, offset: (n - 1) * o.partSize, length: Math.min(o.partSize, o.size - (n - 1) * o.partSize) });
  let Hasher = null;
  if (checksum) {
    try {
      Hasher = await loadHasher();
    } catch (e) {
      return fail(`${label(provider)}: its parts carry a ${checksum} digest, and the checksum module (presign/upload) did not load: ${e.message}`, "page");
    }
  }
  // a part's digest (base64), computed once per file, algorithm and part
  const digest = (n) => {
    const k = `${checksum} ${n}`;
    if (!file.digests.has(k)) {
      const r = range(n);
      const h = new Hasher(checksum);
      try {
        file.digests.set(k, h.update(file.bytes.subarray(r.offset, r.offset + r.length)).digest());
      } finally {
        h.free();
      }
    }
    return file.digests.get(k);
  };
  const etags = new Map();
  try {
    if (state) {
      // resume: the parts the storage holds (their size must be the planned one)
      stats.resumed = true;
      const list = await api("/api/upload/list", upload(state.uploadId ? { uploadId: state.uploadId } : {}));
      const listed = await stepAnswer(provider, "list", list);
      if (listed.error) {
        savePending(provider, null);
        return fail(`${label(provider)}: the pending upload cannot be resumed (${listed.error.text}); start again.`, listed.error.kind, listed.error.detail);
      }
      for (const p of listed.parts) if (p.partNumber <= partCount && p.size === range(p.partNumber).length) etags.set(p.partNumber, p.etag);
      stats.listedParts = etags.size;
      item.note(`Resumed upload ${state.uploadId || "(Azure blocks)"}: the storage holds ${etags.size} of ${partCount} parts.`);
    } else {
      state = { provider, key: `${config.prefix}large-${o.size}-${o.seed}.bin`, uploadId: "", partSize: o.partSize, size: o.size, seed: o.seed };
      const plan = await api("/api/upload/start", upload());
      if (plan.partCount !== partCount) return fail(`${label(provider)}: the signer planned ${plan.partCount} parts, the page ${partCount}`);
      if (plan.create) {
        const created = await stepAnswer(provider, "create", plan.create);
        if (created.error) return fail(`${label(provider)} could not start the upload in parts: ${created.error.text}`, created.error.kind, created.error.detail);
        state.uploadId = created.uploadId;
      }
      savePending(provider, state);
      item.note(`Upload ${state.uploadId || "(Azure blocks)"}: ${partCount} parts of ${o.partSize / MiB} MiB, ${o.concurrency} at a time.`);
    }
  } catch (e) {
    return fail(`${label(provider)}: the signer refused the upload: ${e.message}`, "worker");
  }
  const id = state.uploadId ? { uploadId: state.uploadId } : {};
  // the parts, `concurrency` at a time; progress counts the bytes sent
  const loaded = new Map();
  let held = 0;
  for (const n of etags.keys()) held += range(n).length;
  const show = () => {
    let sent = held;
    for (const v of loaded.values()) sent += v;
    item.update(sent, o.size);
  };
  show();
  const queue = [];
  for (let n = 1; n <= partCount; n++) if (!etags.has(n)) queue.push(n);
  let failure = null;
  const worker = async () => {
    while (queue.length && !failure) {
      const n = queue.shift();
      const r = range(n);
      const { parts: [signed] } = await api("/api/upload/parts", upload({ ...id, partNumbers: [n], ...(checksum ? { digests: [digest(n)] } : {}) }));
      // a Blob of the part: Chromium sends a view of the 200 MiB buffer far slower (tests/browser_demo.mjs,
      // the three uploads of 200 MiB with the reload: 230 s with the view, 37 s with a Blob)
      const body = new Blob([file.bytes.subarray(r.offset, r.offset + r.length)]);
      const res = await send(signed.method, signed.url, signed.headers, body, (l) => { loaded.set(n, l); show(); });
      if (res.network || res.status < 200 || res.status >= 300) {
        failure = await explain(provider, res);
        return;
      }
      loaded.delete(n);
      held += r.length;
      etags.set(n, res.etag || "");
      stats.uploadedParts++;
      show();
      // reloadAfter: an upload that has sent that many parts sends no more (so none can reach its
      // complete step before the reload: a reload during the complete leaves a pending upload the
      // storage has already closed); once every large upload running has (or has ended), reload
      if (o.reloadAfter && stats.uploadedParts >= o.reloadAfter) {
        const all = Object.values(window.demo.large);
        if (all.every((st) => st.finished || st.uploadedParts >= o.reloadAfter)) {
          window.demo.reloading = true;
          location.reload();
        }
        await new Promise(() => {}); // the page goes away
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: o.concurrency }, worker));
  } catch (e) {
    return fail(`${label(provider)}: a part could not be signed: ${e.message}`, "worker");
  }
  if (failure) return fail(`${label(provider)}: a part failed: ${failure.text}`, failure.kind, failure.detail);
  // complete: every part with its ETag (and digest)
  item.update(o.size, o.size, "completing");
  const parts = [];
  for (let n = 1; n <= partCount; n++) parts.push({ partNumber: n, etag: etags.get(n), ...(checksum ? { digest: digest(n) } : {}) });
  let complete;
  try {
    complete = await api("/api/upload/complete", upload({ ...id, parts }));
  } catch (e) {
    return fail(`${label(provider)}: the signer refused the complete step: ${e.message}`, "worker");
  }
  const verdict = await stepAnswer(provider, "complete", complete, new TextEncoder().encode(complete.body));
  if (verdict.error) return fail(`${label(provider)} did not complete the upload: ${verdict.error.text}`, verdict.error.kind, verdict.error.detail);
  savePending(provider, null);
  // download it back and compare
  item.update(o.size, o.size, "checking");
  const got = await api("/api/sign", { provider, op: "download", key: state.key });
  const res = await send("GET", got.url, got.headers);
  if (res.network || res.status !== 200) {
    const why = await explain(provider, res);
    return fail(`${label(provider)}: the download failed: ${why.text}`, why.kind, why.detail);
  }
  const sha256 = hex(await crypto.subtle.digest("SHA-256", res.bytes));
  Object.assign(stats, { ok: sha256 === file.sha256, finished: true, sha256, expected: file.sha256, size: res.bytes.length, key: state.key });
  const text = `${label(provider)}: ${o.size} bytes in ${partCount} parts (${stats.uploadedParts} sent now` +
    `${stats.resumed ? `, ${stats.listedParts} already held after the reload` : ""}); downloaded SHA-256 ${sha256.slice(0, 16)}… ` +
    (stats.ok ? "equals the original's." : `differs from the original's ${file.sha256.slice(0, 16)}…`);
  item.done(stats.ok, stats.ok ? "verified" : "mismatch");
  item.note(text);
  say(stats.ok ? "success" : "storage", text);
  return stats;
}

// ---- the list ---------------------------------------------------------------------------------

function files() {
  try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch { return []; }
}

function remember(entry) {
  const list = files().filter((f) => !(f.provider === entry.provider && f.key === entry.key));
  list.unshift(entry);
  localStorage.setItem(STORE, JSON.stringify(list.slice(0, 100)));
  renderList();
}

function renderList() {
  const body = $("#list tbody");
  body.textContent = "";
  const list = files();
  $("#list-empty").hidden = list.length > 0;
  for (const f of list) {
    const tr = document.createElement("tr");
    const cells = [label(f.provider), f.key.slice(config.prefix.length), `${f.size} bytes`];
    for (const c of cells) {
      const td = document.createElement("td");
      td.textContent = c;
      tr.append(td);
    }
    const td = document.createElement("td");
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = "Download";
    b.setAttribute("aria-label", `Download ${f.name} from ${label(f.provider)}`);
    b.addEventListener("click", () => download(f.provider, f.key));
    td.append(b);
    tr.append(td);
    body.append(tr);
  }
}

// ---- start ------------------------------------------------------------------------------------

async function start() {
  config = await api("/api/config");
  const fs = $("#providers");
  $("#providers-loading").remove();
  config.providers.forEach((p, i) => {
    const l = document.createElement("label");
    const r = document.createElement("input");
    r.type = "radio";
    r.name = "provider";
    r.value = p.id;
    r.checked = i === 0;
    l.append(r, ` ${p.label}`);
    fs.append(l);
  });
  if (config.providers.length === 0) say("worker", "The signer has no storage configured.");
  $("#limits").textContent = `Accepted: ${config.allowedTypes.join(", ")}; up to ${config.maxBytes} bytes per file. ` +
    `Files are stored under "${config.prefix}"; upload URLs are valid for ${config.expiresIn} s.`;
  $("#upload-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const provider = (document.querySelector('input[name="provider"]:checked') || {}).value;
    const chosen = [...$("#files").files];
    if (!provider || chosen.length === 0) {
      say("input", "Choose a storage and at least one file first.");
      return;
    }
    $("#upload").disabled = true;
    try {
      const viaForm = (document.querySelector('input[name="method"]:checked') || {}).value === "form";
      window.demo.lastUploads = await Promise.all(chosen.map((f) => (viaForm ? formUpload : uploadFile)(provider, f)));
    } finally {
      $("#upload").disabled = false;
    }
  });
  renderList();
  // the Hasher for the parts' checksums, loaded now so that a failure shows before any upload
  const checked = config.providers.filter((p) => config.partChecksums && config.partChecksums[p.id]);
  if (checked.length) {
    loadHasher().catch((e) => say("page", `The checksum module (presign/upload) did not load, so uploads in parts to ` +
      `${checked.map((p) => p.label).join(", ")} cannot start: ${e.message}`));
  }
  // large uploads: one button for every provider; a pending upload (a reload mid-upload) resumes
  largeNote();
  $("#large-start").addEventListener("click", async () => {
    $("#large-start").disabled = true;
    try {
      window.demo.lastLarge = await Promise.all(config.providers.map((p) => largeUpload(p.id)));
    } finally {
      $("#large-start").disabled = false;
    }
  });
}

window.demo = {
  ready: false, api, send, uploadFile, formUpload, download, postForm, explain, tamperUrl, files, lastUploads: null,
  largeUpload, pendingUploads, large: {},
};
start().then(
  () => {
    window.demo.ready = true;
    // Driverless browser tests (tests/browser_firefox.mjs) open the page with ?selftest=CONTROLLER.
    if (new URLSearchParams(location.search).has("selftest")) import("/selftest.js");
  },
  (e) => { say("worker", `The signer is not reachable: ${e.message}`); window.demo.ready = "failed"; },
);
