// The demo page: asks the signer (same origin, /api/*) for presigned URLs and talks to the storage
// service directly. No build step, no dependency. `window.demo` exposes the steps for the tests.

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
}

window.demo = { ready: false, api, send, uploadFile, formUpload, download, postForm, explain, tamperUrl, files, lastUploads: null };
start().then(
  () => {
    window.demo.ready = true;
    // Driverless browser tests (tests/browser_firefox.mjs) open the page with ?selftest=CONTROLLER.
    if (new URLSearchParams(location.search).has("selftest")) import("/selftest.js");
  },
  (e) => { say("worker", `The signer is not reachable: ${e.message}`); window.demo.ready = "failed"; },
);
