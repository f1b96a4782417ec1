// Node.js, CommonJS (require): the nodejs-target glue reads and instantiates the wasm itself.
const glue = require("./dist/server/cjs/presign_wasm.js");
const { makeApi, PresignError } = require("./dist/api.cjs");

const { presign, presignMany, presignAsync, presignPost, presignPostAsync, corsRules } = makeApi(glue);
module.exports = { presign, presignMany, presignAsync, presignPost, presignPostAsync, corsRules, PresignError };
