// The demo's worker (www/demo.sh runs it under workerd): the page (index.html, app.js, style.css and
// selftest.js, embedded as text modules page/*) on the signer's own origin, everything else from the
// deployable signer, worker.js. A deployment uses worker.js alone (wrangler.toml) and serves its page
// from wherever it likes.
import signer from "./worker.js";
import PAGE_HTML from "./page/index.html";
import PAGE_JS from "./page/app.js";
import PAGE_CSS from "./page/style.css";
import PAGE_SELFTEST from "./page/selftest.js";

const PAGES = {
  "/": [PAGE_HTML, "text/html"],
  "/index.html": [PAGE_HTML, "text/html"],
  "/app.js": [PAGE_JS, "text/javascript"],
  // drives the page for driverless browser tests (only with ?selftest=CONTROLLER)
  "/selftest.js": [PAGE_SELFTEST, "text/javascript"],
  "/style.css": [PAGE_CSS, "text/css"],
};

export default {
  async fetch(request, env, ctx) {
    const page = PAGES[new URL(request.url).pathname];
    if (page && (request.method === "GET" || request.method === "HEAD")) {
      return new Response(page[0], { headers: { "content-type": `${page[1]}; charset=utf-8` } });
    }
    return signer.fetch(request, env, ctx);
  },
};
