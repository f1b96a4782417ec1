// Self-driving mode of the demo page for browsers without a driver (Firefox ESR in
// tests/browser_firefox.mjs). Loaded by app.js only when the page is opened with
// ?selftest=http://127.0.0.1:PORT — a loopback controller that answers POST /next with the next
// step and receives the previous step's result; it switches storage CORS rules between steps.
// Steps: {op: "upload" | "form", provider, name, body, type} | {op: "download", provider, key, tamper} |
// {op: "large", providers, options} (uploads in parts, window.demo.largeUpload) | {op: "pending"} | {done: true}.
const controller = new URLSearchParams(location.search).get("selftest");
const ok = /^http:\/\/127\.0\.0\.1:\d+$/.test(controller || "");

async function run() {
  let result = { ua: navigator.userAgent, hello: true };
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`${controller}/next`, { method: "POST", body: JSON.stringify(result) });
    const step = await r.json();
    if (step.done) return;
    try {
      if (step.op === "upload") {
        const file = new File([step.body], step.name, { type: step.type || "text/plain" });
        result = await window.demo.uploadFile(step.provider, file);
      } else if (step.op === "form") {
        const file = new File([step.body], step.name, { type: step.type || "text/plain" });
        result = await window.demo.formUpload(step.provider, file);
      } else if (step.op === "large") {
        // uploads in parts to every provider named, at once; with reloadAfter the page reloads itself
        // mid-upload (no result is posted: the reloaded page says hello again, and the controller
        // asks it to resume)
        result = { results: await Promise.all(step.providers.map((p) => window.demo.largeUpload(p, step.options || {}))) };
      } else if (step.op === "pending") {
        result = { pending: window.demo.pendingUploads() };
      } else if (step.op === "download") {
        result = await window.demo.download(step.provider, step.key, { save: false, tamper: !!step.tamper });
      } else {
        result = { error: `unknown step ${JSON.stringify(step)}` };
      }
    } catch (e) {
      result = { error: String(e) };
    }
    result.messages = [...document.querySelectorAll("#status .message")].slice(0, 1).map((m) => ({ kind: m.dataset.kind, text: m.innerText }));
  }
}

if (ok) run().catch((e) => console.error("selftest", e));
