// SPDX-FileCopyrightText: 2026 Model Manager developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A few helpers shared by the conformance tests: TAP output for meson, the
// mock Hub in a child process, and the command line.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual, inspect } from "node:util";

const tests = [];

export function test(name, fn) {
  tests.push({ name, fn });
}

export class Mismatch extends Error {}

// Throws with both values shown when they differ (deep, strict).
export function equal(actual, expected, what) {
  if (!isDeepStrictEqual(actual, expected))
    throw new Mismatch(`${what}:\n  got      ${inspect(actual, { depth: 6 })}\n` +
                       `  expected ${inspect(expected, { depth: 6 })}`);
}

export function ok(condition, what) {
  if (!condition) throw new Mismatch(what);
}

// Runs every test in order and prints TAP; exits 1 when one failed.
export async function run() {
  console.log(`1..${tests.length}`);
  let failed = 0;
  for (const [i, { name, fn }] of tests.entries()) {
    try {
      await fn();
      console.log(`ok ${i + 1} - ${name}`);
    } catch (error) {
      failed++;
      console.log(`not ok ${i + 1} - ${name}`);
      const text = error instanceof Mismatch ? error.message : (error.stack ?? String(error));
      for (const line of text.split("\n")) console.log(`# ${line}`);
    }
  }
  await cleanup();
  process.exit(failed ? 1 : 0);
}

const children = [];
const dirs = [];

async function cleanup() {
  for (const child of children) child.kill();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), "mm-conformance-"));
  dirs.push(dir);
  return dir;
}

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.log(`Bail out! ${name} is not set: run this through meson test`);
    process.exit(1);
  }
  return value;
}

// Starts the mock Hub (tests/mm-mock-hub) with @args; resolves to its URL.
export function startMockHub(args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(required("MM_MOCK_HUB"), ["--port", "0", ...args],
                        { stdio: ["ignore", "pipe", "inherit"] });
    children.push(child);
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /HF_ENDPOINT=(\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`mm-mock-hub exited (${code}): ${out}`)));
  });
}

// The command line, isolated from the desktop: no keyring, a home of its own.
export function cli(endpoint, args, { token } = {}) {
  const home = tempDir();
  const env = {
    ...process.env,
    HF_ENDPOINT: endpoint,
    HOME: home,
    HF_HOME: join(home, "hf"),
    XDG_CONFIG_HOME: join(home, "config"),
    XDG_DATA_HOME: join(home, "data"),
    XDG_CACHE_HOME: join(home, "cache"),
    MM_TOKEN_STORE: "memory",
    MM_TOTAL_MEMORY: "17179869184",
    LC_ALL: "C.UTF-8",
  };
  delete env.HF_TOKEN;
  delete env.HUGGING_FACE_HUB_TOKEN;
  if (token) env.HF_TOKEN = token;
  const result = spawnSync(required("MM_CLI"), args, { env, encoding: "utf8",
                                                       maxBuffer: 256 << 20 });
  if (result.error) throw result.error;
  return { status: result.status, out: result.stdout, err: result.stderr };
}

// Runs the command line and parses its --json output; throws on failure.
export function cliJson(endpoint, args, options) {
  const result = cli(endpoint, [...args, "--json"], options);
  if (result.status !== 0)
    throw new Error(`model-manager-cli ${args.join(" ")} --json: exit ${result.status}: ${result.err}`);
  return JSON.parse(result.out);
}

export const VALID_TOKEN = "hf_mockvalidtoken0123456789abcdefghij";
export const NOACCESS_TOKEN = "hf_mocknoaccesstoken0123456789abcdefg";
export const REFUSED_TOKEN = "hf_refusedtoken0123456789abcdefghijklmn";
