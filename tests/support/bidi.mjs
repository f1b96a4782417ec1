// A minimal WebDriver BiDi client for Firefox's built-in Remote Agent (`--remote-debugging-port`),
// over a WebSocket client written on node:net (Node 20 has no global WebSocket without a flag, and
// the tests add no npm dependency for it). RFC 6455 as far as a BiDi session needs it: the upgrade
// handshake (Sec-WebSocket-Accept checked), masked client frames, 7/16/64-bit payload lengths,
// fragmented messages (continuation frames), ping/pong and close. Messages may be MBs
// (browsingContext.captureScreenshot answers with a base64 PNG).
//
//   const bidi = await connectBidi(port);            // retries until Firefox listens (timeoutMs)
//   await bidi.command("session.new", { capabilities: {} });
//   const { contexts } = await bidi.command("browsingContext.getTree", {});
//   bidi.close();
import net from "node:net";
import { createHash, randomBytes } from "node:crypto";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455, section 1.3

/** A free loopback TCP port (the OS picks it; closed again before Firefox binds it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** One WebSocket connection to ws://127.0.0.1:port/path; resolves after the 101 answer. */
function openSocket(port, path, onMessage, onClose) {
  return new Promise((resolve, reject) => {
    const key = randomBytes(16).toString("base64");
    const accept = createHash("sha1").update(key + GUID).digest("base64");
    const sock = net.connect({ host: "127.0.0.1", port });
    let chunks = [];
    let have = 0;
    let open = false;
    let fragments = null; // [opcode, ...payloads] of a message still in continuation frames
    let closed = false;
    const fail = (e) => {
      if (!open) reject(e);
      sock.destroy();
    };
    const send = (opcode, payload) => {
      const len = payload.length;
      const head = len < 126 ? Buffer.alloc(2) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
      head[0] = 0x80 | opcode; // FIN + opcode
      if (len < 126) head[1] = 0x80 | len;
      else if (len < 65536) { head[1] = 0x80 | 126; head.writeUInt16BE(len, 2); }
      else { head[1] = 0x80 | 127; head.writeBigUInt64BE(BigInt(len), 2); }
      const mask = randomBytes(4);
      const body = Buffer.alloc(len);
      for (let i = 0; i < len; i++) body[i] = payload[i] ^ mask[i & 3];
      sock.write(Buffer.concat([head, mask, body]));
    };
    // Parses as many whole frames as the buffer holds; concatenates only once a frame is complete.
    let need = 2;
    const take = () => {
      for (;;) {
        if (have < need) return;
        let buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, have);
        chunks = [buf];
        const b0 = buf[0], b1 = buf[1];
        let len = b1 & 0x7f;
        let off = 2;
        if (len === 126) { if (have < 4) { need = 4; return; } len = buf.readUInt16BE(2); off = 4; }
        else if (len === 127) {
          if (have < 10) { need = 10; return; }
          const big = buf.readBigUInt64BE(2);
          if (big > BigInt(Number.MAX_SAFE_INTEGER)) return fail(new Error("WebSocket frame too long"));
          len = Number(big);
          off = 10;
        }
        const masked = (b1 & 0x80) !== 0;
        const maskAt = off;
        if (masked) off += 4;
        if (have < off + len) { need = off + len; return; }
        let payload = buf.subarray(off, off + len);
        if (masked) {
          const m = buf.subarray(maskAt, maskAt + 4);
          payload = Buffer.from(payload);
          for (let i = 0; i < payload.length; i++) payload[i] ^= m[i & 3];
        }
        buf = buf.subarray(off + len);
        chunks = buf.length ? [buf] : [];
        have = buf.length;
        need = 2;
        const fin = (b0 & 0x80) !== 0;
        const opcode = b0 & 0x0f;
        if (opcode === 0x8) { // close: answer it once, then end
          if (!closed) { closed = true; send(0x8, payload.subarray(0, 2)); }
          sock.end();
          return;
        }
        if (opcode === 0x9) { send(0xa, payload); continue; } // ping -> pong
        if (opcode === 0xa) continue;
        if (opcode === 0x0) {
          if (!fragments) return fail(new Error("WebSocket continuation frame without a message"));
          fragments.push(payload);
        } else if (opcode === 0x1 || opcode === 0x2) {
          if (fragments) return fail(new Error("WebSocket message interleaved in a fragmented one"));
          fragments = [opcode, payload];
        } else {
          return fail(new Error(`WebSocket opcode ${opcode} unknown`));
        }
        if (fin) {
          const [op, ...parts] = fragments;
          fragments = null;
          const data = Buffer.concat(parts);
          onMessage(op === 0x1 ? data.toString("utf8") : data);
        }
      }
    };
    let header = Buffer.alloc(0);
    sock.on("connect", () => {
      sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    sock.on("data", (d) => {
      if (!open) {
        header = Buffer.concat([header, d]);
        const end = header.indexOf("\r\n\r\n");
        if (end < 0) return;
        const text = header.subarray(0, end).toString("latin1");
        const status = text.split("\r\n")[0];
        const acc = /^sec-websocket-accept:\s*(\S+)/im.exec(text);
        if (!/^HTTP\/1\.1 101\b/.test(status)) return fail(new Error(`WebSocket upgrade refused: ${status}`));
        if (!acc || acc[1] !== accept) return fail(new Error("WebSocket upgrade: wrong Sec-WebSocket-Accept"));
        open = true;
        const rest = header.subarray(end + 4);
        header = null;
        resolve({
          sendText: (s) => send(0x1, Buffer.from(s, "utf8")),
          close: () => {
            if (!closed) { closed = true; send(0x8, Buffer.from([0x03, 0xe8])); }
            setTimeout(() => sock.destroy(), 500).unref();
          },
        });
        if (rest.length) { chunks = [rest]; have = rest.length; take(); }
        return;
      }
      chunks.push(d);
      have += d.length;
      take();
    });
    sock.on("error", fail);
    sock.on("close", () => {
      if (!open) reject(new Error("WebSocket closed before the upgrade"));
      onClose();
    });
  });
}

/**
 * Connects to Firefox's WebDriver BiDi endpoint ws://127.0.0.1:port/session, retrying until it
 * listens or `timeoutMs` passes. `command(method, params)` resolves with the result or rejects with
 * the BiDi error (and message); each command times out after `commandTimeoutMs`.
 */
export async function connectBidi(port, { timeoutMs = 30000, commandTimeoutMs = 60000 } = {}) {
  const waiting = new Map();
  let nextId = 1;
  const onMessage = (text) => {
    let m;
    try { m = JSON.parse(text); } catch { return; }
    const w = m && waiting.get(m.id);
    if (!w) return; // events, and answers to commands that timed out
    waiting.delete(m.id);
    clearTimeout(w.timer);
    if (m.type === "success") w.resolve(m.result);
    else w.reject(new Error(`${w.method}: ${m.error || "error"}: ${m.message || JSON.stringify(m).slice(0, 300)}`));
  };
  const onClose = () => {
    for (const [id, w] of waiting) {
      waiting.delete(id);
      clearTimeout(w.timer);
      w.reject(new Error(`${w.method}: the WebDriver BiDi connection closed`));
    }
  };
  const deadline = Date.now() + timeoutMs;
  let ws;
  for (;;) {
    try {
      ws = await openSocket(port, "/session", onMessage, onClose);
      break;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`WebDriver BiDi on port ${port}: ${e.message}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    command(method, params = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`${method}: no answer within ${commandTimeoutMs} ms`));
        }, commandTimeoutMs);
        waiting.set(id, { method, resolve, reject, timer });
        ws.sendText(JSON.stringify({ id, method, params }));
      });
    },
    close: () => ws.close(),
  };
}
