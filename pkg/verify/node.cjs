// presign/verify for Node.js, CommonJS: the default API plus `verify`.
const glue = require("../dist/verify/server/cjs/presign_wasm.js");
const { makeApi, PresignError } = require("../dist/api.cjs");

module.exports = { ...makeApi(glue), PresignError };
