// SPDX-FileCopyrightText: 2026 Model Manager developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The files that `model-manager-cli download --hf-cache` saves are found by
// the Hub's own JavaScript client, @huggingface/hub, with no download: its
// downloadFileToCacheDir() returns the app's snapshot link and asks the CDN
// for nothing (the mock Hub's request log shows no CDN request and no
// /resolve), and its scanCacheDir() reads the cache without a warning.
//
// Usage: node check-hf-cache.mjs MOCK_HUB_BINARY CLI_BINARY
// (meson runs it as the test "hf-cache-npm"). Exit status 0 when every check
// passed, 1 otherwise; the last line says how many passed and failed.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
if (!existsSync(join(here, "node_modules", "@huggingface", "hub"))) {
  console.error(
    `check-hf-cache: ${join(here, "node_modules")} has no @huggingface/hub.\n` +
      `Install the pinned packages first: (cd ${here} && npm ci)`,
  );
  process.exit(1);
}
const { downloadFileToCacheDir, scanCacheDir } = await import("@huggingface/hub");

const [mockBinary, cliBinary] = process.argv.slice(2);
if (!mockBinary || !cliBinary) {
  console.error("usage: node check-hf-cache.mjs MOCK_HUB_BINARY CLI_BINARY");
  process.exit(2);
}

const REPO = "tiny-org/Pico-GGUF";
const FILES = ["Pico-Q4_K_M.gguf", "README.md"]; // an LFS file and a plain git file
let passed = 0;
let failed = 0;
function check(ok, what, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok" : "not ok"} - ${what}${!ok && detail ? `: ${detail}` : ""}`);
}

const work = mkdtempSync(join(tmpdir(), "mm-hf-cache-"));
const cacheDir = join(work, "hub");
const logPath = join(work, "requests.log");
// The client prints "Downloading …" through console.debug only when it downloads.
const debugLines = [];
console.debug = (...args) => debugLines.push(args.join(" "));

const mock = spawn(mockBinary, ["--request-log", logPath], { stdio: ["ignore", "pipe", "inherit"] });
const endpoint = await new Promise((resolve, reject) => {
  const lines = createInterface({ input: mock.stdout });
  lines.once("line", (line) => resolve(line.replace(/^HF_ENDPOINT=/, "")));
  mock.once("exit", (code) => reject(new Error(`the mock Hub exited (${code})`)));
});

function logLines() {
  return existsSync(logPath) ? readFileSync(logPath, "utf8").split("\n").filter(Boolean) : [];
}

try {
  const env = { ...process.env, HF_ENDPOINT: endpoint, HF_HUB_CACHE: cacheDir, GSETTINGS_BACKEND: "memory" };
  delete env.HF_TOKEN;
  delete env.HF_HOME;
  const cli = spawnSync(cliBinary, ["download", REPO, ...FILES, "--hf-cache", "--json"], {
    env,
    encoding: "utf8",
  });
  check(cli.status === 0, "the CLI downloads into the cache", cli.stderr);
  const saved = cli.status === 0 ? JSON.parse(cli.stdout) : [];
  const cdnBefore = logLines().filter((l) => l.startsWith("cdn ")).length;
  check(cdnBefore > 0, "the CLI's download went through the mock's CDN", `${cdnBefore} CDN requests`);

  const before = logLines().length;
  const commit = saved.length ? saved[0].destination.split("/snapshots/")[1].split("/")[0] : "";
  for (const entry of saved) {
    const link = lstatSync(entry.destination);
    for (const revision of ["main", commit]) {
      const returned = await downloadFileToCacheDir({
        repo: REPO,
        path: entry.path,
        revision,
        hubUrl: endpoint,
        cacheDir,
      });
      check(returned === entry.destination, `${entry.path} @ ${revision.slice(0, 7)}: the client returns the app's file`, returned);
    }
    const after = lstatSync(entry.destination);
    check(after.isSymbolicLink() && after.ino === link.ino && after.mtimeMs === link.mtimeMs,
          `${entry.path}: the app's symlink is left as it was`, readlinkSync(entry.destination));
  }
  const asked = logLines().slice(before);
  check(asked.every((l) => !l.startsWith("cdn ")), "the client made no CDN request", asked.join("; "));
  check(asked.every((l) => !l.includes("/resolve/")), "the client asked /resolve for nothing", asked.join("; "));
  check(asked.every((l) => l.startsWith("hub POST /api/models/") && l.includes("/paths-info/")),
        "the client only asked paths-info", asked.join("; "));
  check(!debugLines.some((l) => l.startsWith("Downloading")), "the client downloaded nothing", debugLines.join("; "));

  const scan = await scanCacheDir(cacheDir);
  check(scan.warnings.length === 0, "scanCacheDir finds no problem", scan.warnings.map(String).join("; "));
  const repo = scan.repos.find((r) => r.id.name === REPO);
  const revision = repo?.revisions.find((r) => r.commitOid === commit);
  check(revision !== undefined, "scanCacheDir lists the repo and its commit");
  check(revision?.refs.includes("main"), "refs/main names that commit", JSON.stringify(revision?.refs));
  for (const entry of saved) {
    const file = revision?.files.find((f) => f.path === entry.destination);
    check(file?.blob.size === entry.size, `scanCacheDir sees ${entry.path} with its size`,
          JSON.stringify(file?.blob));
  }
} catch (error) {
  check(false, "the checks ran", error.stack ?? String(error));
} finally {
  mock.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
