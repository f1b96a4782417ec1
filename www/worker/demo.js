// The demo's worker (www/demo.sh runs it under workerd): the page (index.html, app.js, style.css and
// selftest.js, embedded as text modules page/*) and the npm package's browser build of presign/upload
// it imports (page/presign/*: the JS as text, the .wasm as data) on the signer's own origin, everything
// else from the deployable signer, worker.js. A deployment uses worker.js alone (wrangler.toml) and serves its page
// from wherever it likes.
import signer from "./worker.js";
import PAGE_HTML from "./page/index.html";
import PAGE_JS from "./page/app.js";
import PAGE_CSS from "./page/style.css";
import PAGE_SELFTEST from "./page/selftest.js";
import UPLOAD_API from "./page/presign/api.js";
import UPLOAD_ENTRY from "./page/presign/dist/upload/index.js";
import UPLOAD_GLUE from "./page/presign/dist/upload/web/presign_upload.js";
import UPLOAD_WASM from "./page/presign/dist/upload/web/presign_upload_bg.wasm";

const PAGES = {
  "/": [PAGE_HTML, "text/html"],
  "/index.html": [PAGE_HTML, "text/html"],
  "/app.js": [PAGE_JS, "text/javascript"],
  // drives the page for driverless browser tests (only with ?selftest=CONTROLLER)
  "/selftest.js": [PAGE_SELFTEST, "text/javascript"],
  "/style.css": [PAGE_CSS, "text/css"],
  // presign/upload for browsers (the page's Hasher): its entry imports ../../api.js and ./web/…
  "/presign/api.js": [UPLOAD_API, "text/javascript"],
  "/presign/dist/upload/index.js": [UPLOAD_ENTRY, "text/javascript"],
  "/presign/dist/upload/web/presign_upload.js": [UPLOAD_GLUE, "text/javascript"],
  "/presign/dist/upload/web/presign_upload_bg.wasm": [UPLOAD_WASM, "application/wasm"],
};

export default {
  async fetch(request, env, ctx) {
    const page = PAGES[new URL(request.url).pathname];
    if (page && (request.method === "GET" || request.method === "HEAD")) {
      const type = page[1].startsWith("text/") ? `${page[1]}; charset=utf-8` : page[1];
      return new Response(page[0], { headers: { "content-type": type } });
    }
    return signer.fetch(request, env, ctx);
  },
};
