// SPDX-FileCopyrightText: 2026 Model Manager developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The official JavaScript client, @huggingface/hub, against the mock Hub:
// whatever it reads must be what model-manager-cli reads (--json) from the
// same mock, and every call it makes must work as on the real Hub.
import {
  downloadFile, downloadFileToCacheDir, fileDownloadInfo, listCommits, listFiles, listModels,
  modelInfo, pathsInfo, whoAmI, HubApiError,
} from "@huggingface/hub";
import { createHash } from "node:crypto";
import { readFileSync, readlinkSync, lstatSync } from "node:fs";
import { join } from "node:path";
import {
  test, run, equal, ok, startMockHub, cli, cliJson, tempDir,
  VALID_TOKEN, NOACCESS_TOKEN, REFUSED_TOKEN,
} from "./tap.mjs";

const PICO = "tiny-org/Pico-GGUF";
const TINYCHAT = "example-org/TinyChat-1.1B-GGUF";
const GATED = "example-org/Gated-7B-GGUF";
const PRIVATE = "example-org/Private-3B-GGUF";
const MANY = "many-org/ManyFiles-GGUF";

// Search pages of at most 7, so that both clients have to follow Link headers.
const hub = await startMockHub(["--max-search-limit", "7"]);
const hubCredentials = await startMockHub(["--refused-token", "invalid-credentials"]);

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

async function collect(iterable) {
  const items = [];
  for await (const item of iterable) items.push(item);
  return items;
}

// The status and X-Error-Code a call failed with, or "ok".
async function outcome(promise) {
  try {
    await promise;
    return "ok";
  } catch (error) {
    if (!(error instanceof HubApiError)) throw error;
    return `${error.statusCode}`;
  }
}

const cliDate = (text) => new Date(text).getTime();

for (const sort of ["downloads", "likes", "trending", "updated", "created"]) {
  const hubSort = { downloads: "downloads", likes: "likes", trending: "trendingScore",
                    updated: "lastModified", created: "createdAt" }[sort];
  test(`search paging, sort=${sort}: listModels equals search --json`, async () => {
    const js = await collect(listModels({ hubUrl: hub, search: { tags: ["gguf"] }, sort: hubSort,
                                          limit: 45 }));
    const mine = cliJson(hub, ["search", "", "--sort", sort, "--limit", "45"]);
    equal(js.length, 45, "listModels results");
    equal(mine.map((m) => m.id), js.map((m) => m.name), "ids, in order");
    equal(mine.map((m) => [m.downloads, m.likes, m.gated, cliDate(m.updated)]),
          js.map((m) => [m.downloads, m.likes, m.gated, m.updatedAt.getTime()]),
          "downloads, likes, gated, last modified");
  });
}

test("search with a query: the same repositories", async () => {
  const js = await collect(listModels({ hubUrl: hub, search: { query: "tinychat", tags: ["gguf"] },
                                        sort: "downloads" }));
  const mine = cliJson(hub, ["search", "tinychat", "--sort", "downloads", "--limit", "100"]);
  ok(js.length >= 3, `tinychat finds ${js.length} repositories`);
  equal(mine.map((m) => m.id), js.map((m) => m.name), "ids");
});

for (const [id, token] of [[PICO, undefined], [TINYCHAT, undefined], [GATED, undefined],
                           [PRIVATE, VALID_TOKEN], [MANY, undefined]]) {
  test(`model info of ${id}: modelInfo equals info --json`, async () => {
    const js = await modelInfo({ hubUrl: hub, name: id, accessToken: token,
                                 additionalFields: ["sha", "tags", "author", "cardData"] });
    const mine = cliJson(hub, ["info", id], { token });
    equal([mine.id, mine.author, mine.downloads, mine.likes, mine.gated, cliDate(mine.updated),
           mine.sha, mine.tags, mine.license],
          [js.name, js.author, js.downloads, js.likes, js.gated, js.updatedAt.getTime(),
           js.sha, js.tags, js.cardData?.license ?? null],
          "id, author, downloads, likes, gated, updated, sha, tags, license");
  });

  test(`recursive file list of ${id}: listFiles has every file info --json offers`, async () => {
    const js = await collect(listFiles({ hubUrl: hub, repo: id, recursive: true,
                                         accessToken: token }));
    const mine = cliJson(hub, ["info", id], { token });
    const byPath = new Map(js.filter((e) => e.type === "file").map((e) => [e.path, e]));
    const offered = [...mine.quants, ...mine.projectors].flatMap((q) => q.files);
    const seen = new Set([...offered.map((f) => f.path), ...mine.rejected.map((r) => r.path)]);
    for (const file of offered) {
      const entry = byPath.get(file.path);
      ok(entry, `${file.path} is in listFiles`);
      equal([file.size, file.sha256], [entry.size, entry.lfs?.oid], `${file.path}: size, sha256`);
    }
    // And every .gguf of the tree is offered or refused with a reason.
    for (const path of byPath.keys())
      if (path.endsWith(".gguf")) ok(seen.has(path), `${path} is in info --json`);
    for (const q of mine.quants)
      equal(q.size, q.files.reduce((sum, f) => sum + f.size, 0), `${q.name}: size is the sum`);
  });
}

test("tree pages: 1104 entries, in 2 pages plain and 23 expanded, the same both ways", async () => {
  let requests = 0;
  const counting = (url, init) => { requests++; return fetch(url, init); };
  const plain = await collect(listFiles({ hubUrl: hub, repo: MANY, recursive: true,
                                          fetch: counting }));
  equal([plain.length, requests], [1104, 2], "entries, requests");
  requests = 0;
  const expanded = await collect(listFiles({ hubUrl: hub, repo: MANY, recursive: true,
                                             expand: true, fetch: counting }));
  equal([expanded.length, requests], [1104, 23], "expanded entries, requests");
  const mine = cliJson(hub, ["info", MANY]);
  equal(expanded.map((e) => e.path), plain.map((e) => e.path), "the same entries");
  ok(expanded.every((e) => e.lastCommit?.id === mine.sha), "every lastCommit is the repo's sha");
  ok(expanded.filter((e) => e.type === "file").every((e) => e.securityFileStatus?.status === "safe"),
     "every file has a securityFileStatus");
});

test("pathsInfo equals the expanded tree entries", async () => {
  const tree = await collect(listFiles({ hubUrl: hub, repo: TINYCHAT, recursive: true,
                                         expand: true }));
  const paths = ["README.md", "BF16", "BF16/TinyChat-1.1B-BF16-00002-of-00002.gguf", "nope"];
  const js = await pathsInfo({ hubUrl: hub, repo: TINYCHAT, paths, expand: true });
  const expected = paths.map((p) => tree.find((e) => e.path === p)).filter(Boolean);
  equal(js.map((e) => e.path), expected.map((e) => e.path), "paths, missing ones left out");
  for (const [i, entry] of js.entries()) {
    const t = expected[i];
    equal([entry.type, entry.oid, entry.size, entry.lfs, entry.xetHash, entry.lastCommit.id,
           entry.lastCommit.title, entry.lastCommit.date.toISOString(), entry.securityFileStatus],
          [t.type, t.oid, t.size, t.lfs, t.xetHash, t.lastCommit.id, t.lastCommit.title,
           new Date(t.lastCommit.date).toISOString(), t.securityFileStatus], entry.path);
  }
});

test("fileDownloadInfo and downloadFile: the bytes download --json verifies", async () => {
  const mine = cliJson(hub, ["info", PICO]);
  const file = mine.quants.find((q) => q.name === "Q8_0").files[0];
  const info = await fileDownloadInfo({ hubUrl: hub, repo: PICO, path: file.path });
  equal([info.size, info.etag], [file.size, `"${file.sha256}"`], "size, etag");
  const blob = await downloadFile({ hubUrl: hub, repo: PICO, path: file.path, xet: false });
  const bytes = Buffer.from(await blob.arrayBuffer());
  equal([bytes.length, sha256(bytes)], [file.size, file.sha256], "downloaded size, sha256");

  const dir = tempDir();
  const done = cliJson(hub, ["download", PICO, "Q8_0", "--dir", dir, "--connections", "1"]);
  equal(done.map((d) => [d.path, d.size, d.sha256, d.verified]),
        [[file.path, file.size, file.sha256, true]], "download --json");
  ok(readFileSync(done[0].destination).equals(bytes), "the same bytes on disk");

  // A small git file, through the resolve cache's relative redirect.
  const readme = await fileDownloadInfo({ hubUrl: hub, repo: PICO, path: "README.md" });
  const [entry] = await pathsInfo({ hubUrl: hub, repo: PICO, paths: ["README.md"] });
  equal([readme.size, readme.etag], [entry.size, `"${entry.oid}"`], "README.md size, etag");
  const text = await (await downloadFile({ hubUrl: hub, repo: PICO, path: "README.md" })).text();
  equal(Buffer.byteLength(text), entry.size, "README.md length");

  // raw: the LFS pointer.
  const raw = await fileDownloadInfo({ hubUrl: hub, repo: PICO, path: file.path, raw: true });
  const [lfsEntry] = await pathsInfo({ hubUrl: hub, repo: PICO, paths: [file.path] });
  equal([raw.size, raw.etag], [lfsEntry.lfs.pointerSize, `"${lfsEntry.oid}"`], "raw size, etag");
  equal(await fileDownloadInfo({ hubUrl: hub, repo: PICO, path: "nope.gguf" }), null,
        "a missing file");
});

test("downloadFileToCacheDir: the huggingface_hub cache layout, at info --json's commit", async () => {
  const mine = cliJson(hub, ["info", PICO]);
  const file = mine.quants.find((q) => q.name === "Q4_K_M").files[0];
  const cacheDir = tempDir();
  const pointer = await downloadFileToCacheDir({ hubUrl: hub, repo: PICO, path: file.path,
                                                 cacheDir });
  const folder = join(cacheDir, "models--tiny-org--Pico-GGUF");
  equal(pointer, join(folder, "snapshots", mine.sha, file.path), "snapshot path");
  ok(lstatSync(pointer).isSymbolicLink(), "the snapshot file is a symlink");
  equal(readlinkSync(pointer), join("..", "..", "blobs", file.sha256), "into blobs/<sha256>");
  equal(sha256(readFileSync(pointer)), file.sha256, "content");
});

test("listCommits: the commit info --json names first, then the initial one", async () => {
  const mine = cliJson(hub, ["info", PICO]);
  const js = await collect(listCommits({ hubUrl: hub, repo: PICO, batchSize: 1 }));
  equal(js.length, 2, "commits (one per page)");
  equal(js[0].oid, mine.sha, "newest commit");
  ok(js[0].date > js[1].date, "newest first");
});

test("whoAmI: the valid accounts, and a refused token", async () => {
  for (const token of [VALID_TOKEN, NOACCESS_TOKEN]) {
    const me = await whoAmI({ hubUrl: hub, accessToken: token });
    equal([me.type, me.name], ["user", "mock-user"], "whoami");
  }
  for (const endpoint of [hub, hubCredentials])
    equal(await outcome(whoAmI({ hubUrl: endpoint, accessToken: REFUSED_TOKEN })), "401",
          "a refused token");
});

// Every kind of token against the gated, private and missing repositories,
// with both answers the real Hub has given a refused token: the official
// client and the command line succeed and fail together, and the command
// line says why.
const tokens = { none: undefined, valid: VALID_TOKEN, noaccess: NOACCESS_TOKEN,
                 refused: REFUSED_TOKEN };
const expectations = [
  // [endpoint name, repo, token, JS download outcome, message the CLI must show]
  ["as-anonymous", GATED, "none", "401", /access token|accept/i],
  ["as-anonymous", GATED, "valid", "ok", null],
  ["as-anonymous", GATED, "noaccess", "403", /wait for approval/],
  ["as-anonymous", GATED, "refused", "401", /did not accept/],
  ["invalid-credentials", GATED, "refused", "401", /access token/],
  ["invalid-credentials", GATED, "valid", "ok", null],
  ["as-anonymous", PRIVATE, "none", "401", /not found/],
  ["as-anonymous", PRIVATE, "valid", "ok", null],
  ["as-anonymous", PRIVATE, "refused", "401", /not found|access token/],
  ["invalid-credentials", PRIVATE, "refused", "401", /access token/],
  ["as-anonymous", "nobody/Missing-GGUF", "valid", "401", /not found/],
  ["as-anonymous", "nobody/Missing-GGUF", "none", "401", /not found/],
];
for (const [mode, repo, tokenName, expected, message] of expectations) {
  test(`${repo} with ${tokenName} token (${mode})`, async () => {
    const endpoint = mode === "as-anonymous" ? hub : hubCredentials;
    const token = tokens[tokenName];
    const dir = tempDir();
    // The smallest file: Gated's IQ1_S, Private's Q4_K_M.
    const path = repo === GATED ? "Gated-7B-IQ1_S.gguf" : repo === PRIVATE ? "Private-3B-Q4_K_M.gguf"
                                                        : "x.gguf";
    const jsInfo = await outcome(fileDownloadInfo({ hubUrl: endpoint, repo, path,
                                                    accessToken: token }));
    const jsModel = await outcome(modelInfo({ hubUrl: endpoint, name: repo, accessToken: token }));
    equal(jsInfo, expected, "fileDownloadInfo");
    const quant = repo === GATED ? "IQ1_S" : "Q4_K_M";
    const result = cli(endpoint, ["download", repo, quant, "--dir", dir, "--json"], { token });
    equal(result.status === 0 ? "ok" : "failed", expected === "ok" ? "ok" : "failed",
          `download (${result.err.trim()})`);
    if (message) ok(message.test(result.err), `the CLI's message ${message}: ${result.err.trim()}`);
    ok(!result.err.includes(REFUSED_TOKEN), "the token never shows");
    // Metadata: gated repos are public, private and missing ones are not.
    const info = cli(endpoint, ["info", repo, "--json"], { token });
    equal(info.status === 0 ? "ok" : "failed", jsModel === "ok" ? "ok" : "failed",
          `info agrees with modelInfo (${jsModel}): ${info.err.trim()}`);
  });
}

await run();
