// SPDX-FileCopyrightText: 2026 Model Manager developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Parses every .gguf that a Hub (by default the mock Hub) serves with
// @huggingface/gguf, the parser the Hub's own web pages use, and counts the
// files it rejects, with the reason. See README.md. Usage:
//   node check-mock-gguf.mjs HF_ENDPOINT [--verbose]
// Exit status: 0 when every file parses, 1 otherwise, 2 on a usage error.
import { gguf } from "@huggingface/gguf";

const endpoint = (process.argv[2] ?? process.env.HF_ENDPOINT ?? "").replace(/\/$/, "");
const verbose = process.argv.includes("--verbose");
if (!endpoint) {
  console.error("usage: node check-mock-gguf.mjs HF_ENDPOINT [--verbose]");
  process.exit(2);
}
const token = process.env.HF_TOKEN ?? "hf_mockvalidtoken0123456789abcdefghij";
const headers = { Authorization: `Bearer ${token}` };

async function getJson(url) {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get("link") ?? "");
  return { json: await response.json(), next: next ? new URL(next[1], url).href : null };
}

async function listRepos() {
  const ids = [];
  let url = `${endpoint}/api/models?search=&limit=1000`;
  while (url) {
    const { json, next } = await getJson(url);
    for (const model of json) ids.push(model.id);
    url = next;
  }
  return ids;
}

async function listGguf(id) {
  const files = [];
  let url = `${endpoint}/api/models/${id}/tree/main?recursive=true`;
  while (url) {
    const { json, next } = await getJson(url);
    for (const entry of json)
      if (entry.type === "file" && entry.path.endsWith(".gguf")) files.push(entry);
    url = next;
  }
  return files;
}

// A connection that the server closed while idle fails once in a while
// ("other side closed"): try again on a new one before giving up.
async function authFetch(input, init = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(input, { ...init, headers: { ...(init.headers ?? {}), ...headers } });
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

// Dots too, or fetch() resolves a "../" in a hostile file name away.
const encodeSegment = (segment) => encodeURIComponent(segment).replace(/\./g, "%2E");

const reasons = new Map();
let unavailable = 0;
let total = 0;
let rejected = 0;
for (const id of await listRepos()) {
  let files;
  try {
    files = await listGguf(id);
  } catch (error) {
    if (verbose) console.log(`skip ${id}: ${error.message}`);
    continue;
  }
  for (const file of files) {
    const url = `${endpoint}/${id}/resolve/main/${file.path.split("/").map(encodeSegment).join("/")}`;
    // A file the Hub refuses to serve (a disabled repository) is not a parse failure.
    const probe = await authFetch(url, { headers: { Range: "bytes=0-3" } });
    await probe.arrayBuffer();
    if (!probe.ok) {
      unavailable++;
      if (verbose) console.log(`skip ${id}/${file.path}: HTTP ${probe.status}`);
      continue;
    }
    total++;
    try {
      const { parameterCount } = await gguf(url, { fetch: authFetch, computeParametersCount: true });
      if (verbose) console.log(`ok   ${id}/${file.path} (${parameterCount} parameters)`);
    } catch (error) {
      rejected++;
      // Group by the message without its numbers, so that one cause counts once.
      const reason = String(error.message).replace(/\d+(\.\d+)?/g, "N").replace(/"[^"]*"/g, "\"…\"");
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      if (verbose) console.log(`FAIL ${id}/${file.path}: ${error.message}`);
    }
  }
}
console.log(`${rejected} of ${total} .gguf files rejected by @huggingface/gguf` +
            (unavailable ? ` (${unavailable} more not served)` : ""));
for (const [reason, count] of [...reasons].sort((a, b) => b[1] - a[1]))
  console.log(`  ${count}\t${reason}`);
process.exit(rejected === 0 && total > 0 ? 0 : 1);
