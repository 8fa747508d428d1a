/* mm-mock-hub.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The mock Hub has three parts, in this order in the file:
 *
 *  1. The catalog: static tables of repositories (RepoSpec, FileSpec) plus a
 *     loop of generated "filler" repos, turned into MockRepo/MockFile at start.
 *     Nothing is read from disk. TinyChat carries the exact values of
 *     tests/fixtures/hub so tests can compare answers with the fixtures.
 *     Content of LFS files is a counter-based PRNG stream seeded by the path,
 *     so any byte range can be produced without keeping the file in memory;
 *     files up to 16 MiB get their real SHA-256 at start, larger ones a
 *     deterministic fake. A .gguf file starts with a real GGUF header made
 *     from the repo's GgufSpec: llama.cpp's tensors for its shape, in the
 *     ggml_type of its file type, laid out so that their data fits in the
 *     file (a file too small for the model describes a smaller one), and a
 *     split set's parts share the tensors out. The stream follows the header.
 *
 *  2. The handlers: one per endpoint of ../shared/hub-protocol.md, all called
 *     on the server thread. Large bodies are streamed chunk by chunk from
 *     "wrote-chunk" (as libsoup's streaming test does) and delays use a
 *     GSource plus soup_server_message_pause/unpause, never a blocking sleep.
 *
 *  3. The object: a thread with its own GMainContext runs two SoupServers,
 *     the Hub on 127.0.0.1 and the CDN on 127.0.0.2. Fault settings live under
 *     a mutex because tests set them from their own thread.
 */
#define G_LOG_DOMAIN "mm-mock-hub"

#include "config.h"

#include "mm-mock-hub.h"

#include "mm-gguf-writer.h"
#include "mm-quant.h"
#include "mm-test-utils.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define KIB (G_GUINT64_CONSTANT (1024))
#define MIB (KIB * 1024)
#define GIB (MIB * 1024)

#define CHUNK_SIZE           (64 * 1024)
#define REAL_HASH_LIMIT      (16 * MIB)
#define DEFAULT_SEARCH_LIMIT 30
#define MAX_SEARCH_LIMIT     1000
#define DEFAULT_TREE_PAGE    1000
#define SIGNING_SECRET       "mm-mock-hub-signing-secret"
#define CDN_PREFIX           "xet-bridge-us"

/* ------------------------------------------------------------------------ */
/* Catalog specification                                                     */
/* ------------------------------------------------------------------------ */

typedef enum {
  FILE_LFS,            /* binary LFS file, content generated from a seed */
  FILE_TEXT,           /* git file whose content is @text */
  FILE_CARD,           /* git README.md generated from the repo */
  FILE_GITATTRIBUTES,  /* the .gitattributes every Hub repo starts with */
  FILE_CONFIG,         /* a small config.json */
} FileKind;

typedef struct {
  FileKind    kind;
  const char *path;
  guint64     size;      /* LFS: real size; git files: pad to this size (0 = natural) */
  const char *sha256;    /* LFS: fixed content hash (NULL = computed or derived) */
  const char *xet_hash;  /* LFS: fixed Xet hash (NULL = derived) */
  const char *blob_id;   /* git files: fixed blob id (NULL = computed) */
  const char *text;      /* FILE_TEXT only */
} FileSpec;

typedef struct {
  gint64      total;            /* parameter count */
  const char *architecture;
  gint64      context_length;
  const char *chat_template;
  const char *bos_token;
  const char *eos_token;
  guint64     total_file_size;  /* 0 = the largest model file */
  /* The shape written into each file's GGUF header; 0 = key left out. */
  guint64     block_count;
  guint64     embedding_length;
  guint64     head_count;
  guint64     head_count_kv;
  guint64     vocab_size;       /* 0 = 32000 */
} GgufSpec;

typedef struct {
  const char     *id;
  const char     *object_id;     /* 24-hex `_id`, NULL = derived from the id */
  const char     *sha;           /* commit, NULL = derived from the id */
  const char     *pipeline_tag;
  const char     *library_name;
  const char     *tags;          /* comma-separated */
  gint64          downloads;
  gint64          likes;
  gint64          trending_score;
  const char     *created_at;
  const char     *last_modified;
  const char     *gated;         /* NULL (false), "auto" or "manual" */
  gboolean        disabled;
  gboolean        is_private;    /* visible only with MM_MOCK_HUB_TOKEN */
  const char     *license;
  const char     *base_model;
  const GgufSpec *gguf;          /* NULL for repos without GGUF metadata */
  const char     *const *dir_oids; /* pairs of directory path, fixed tree oid */
  const FileSpec *files;         /* terminated by a NULL path */
  guint           log_files;     /* plus this many small logs/step-NNNN.txt */
} RepoSpec;

#define LFS(p, s)              { FILE_LFS, p, s, NULL, NULL, NULL, NULL }
#define LFS_FIXED(p, s, h, x)  { FILE_LFS, p, s, h, x, NULL, NULL }
#define CARD                   { FILE_CARD, "README.md", 0, NULL, NULL, NULL, NULL }
#define GITATTRIBUTES          { FILE_GITATTRIBUTES, ".gitattributes", 0, NULL, NULL, NULL, NULL }
#define CONFIG                 { FILE_CONFIG, "config.json", 0, NULL, NULL, NULL, NULL }
#define END_FILES              { FILE_LFS, NULL, 0, NULL, NULL, NULL, NULL }

static const char tinychat_template[] =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + "
  "message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}"
  "{{ '<|im_start|>assistant\\n' }}{% endif %}";

static const char tinychat_readme[] =
  "---\n"
  "license: apache-2.0\n"
  "base_model:\n"
  "- example-org/TinyChat-1.1B\n"
  "pipeline_tag: text-generation\n"
  "tags:\n"
  "- gguf\n"
  "- llama\n"
  "---\n"
  "\n"
  "# TinyChat 1.1B — GGUF\n"
  "\n"
  "This repository holds **GGUF** quantizations of "
  "[example-org/TinyChat-1.1B](https://huggingface.co/example-org/TinyChat-1.1B), a small "
  "chat model in the Llama architecture. The files run with llama.cpp and every program "
  "built on it.\n"
  "\n"
  "## Model details\n"
  "\n"
  "- **Parameters:** 1.1 B\n"
  "- **Architecture:** llama\n"
  "- **Context length:** 2048 tokens\n"
  "- **Chat format:** ChatML (`<|im_start|>` / `<|im_end|>`)\n"
  "- **License:** Apache 2.0\n"
  "\n"
  "## Provided files\n"
  "\n"
  "| Name | Quant method | Bits | Size | Use case |\n"
  "| ---- | ------------ | ---- | ---- | -------- |\n"
  "| TinyChat-1.1B-Q2_K.gguf | Q2_K | 2 | 432 MB | smallest, significant quality loss |\n"
  "| TinyChat-1.1B-Q3_K_M.gguf | Q3_K_M | 3 | 548 MB | very small, high quality loss |\n"
  "| TinyChat-1.1B-IQ4_XS.gguf | IQ4_XS | 4 | 617 MB | small, imatrix |\n"
  "| TinyChat-1.1B-Q4_K_M.gguf | Q4_K_M | 4 | 668 MB | medium, balanced quality — "
  "recommended |\n"
  "| TinyChat-1.1B-Q5_K_M.gguf | Q5_K_M | 5 | 782 MB | large, very low quality loss |\n"
  "| TinyChat-1.1B-Q6_K.gguf | Q6_K | 6 | 904 MB | very large, extremely low quality loss |\n"
  "| TinyChat-1.1B-Q8_0.gguf | Q8_0 | 8 | 1.17 GB | very large, not recommended |\n"
  "| BF16/TinyChat-1.1B-BF16-*.gguf | BF16 | 16 | 2.2 GB | original precision, 2 parts |\n"
  "\n"
  "The BF16 weights are split in two parts. Download both parts into the same folder and "
  "point llama.cpp at the first one; it finds the second by its name.\n"
  "\n"
  "## How to run\n"
  "\n"
  "With llama.cpp:\n"
  "\n"
  "```sh\n"
  "llama-cli -m TinyChat-1.1B-Q4_K_M.gguf \\\n"
  "  -p \"<|im_start|>user\\nWhy is the sky blue?<|im_end|>\\n<|im_start|>assistant\\n\" \\\n"
  "  -n 256 -c 2048\n"
  "```\n"
  "\n"
  "Or serve an OpenAI-compatible API:\n"
  "\n"
  "```sh\n"
  "llama-server -m TinyChat-1.1B-Q4_K_M.gguf --port 8080\n"
  "```\n"
  "\n"
  "## Prompt template\n"
  "\n"
  "```\n"
  "<|im_start|>system\n"
  "{system_prompt}<|im_end|>\n"
  "<|im_start|>user\n"
  "{prompt}<|im_end|>\n"
  "<|im_start|>assistant\n"
  "```\n"
  "\n"
  "## Which file should I choose?\n"
  "\n"
  "1. Check how much memory you have: the file should fit in RAM (or VRAM) with 1–2 GB "
  "to spare.\n"
  "2. Prefer the **K-quants** (`Q4_K_M`, `Q5_K_M`) for a good balance of size and quality.\n"
  "3. Use the **I-quants** (`IQ4_XS`) on recent hardware when every megabyte counts.\n"
  "\n"
  "> **Note:** these files were produced with an importance matrix computed on a general "
  "English text corpus.\n"
  "\n"
  "## Limitations\n"
  "\n"
  "TinyChat is a small model. It makes factual mistakes, may produce biased or offensive "
  "text, and should not be used for decisions that matter. Evaluate it for your use "
  "case first.\n"
  "\n"
  "## Credits\n"
  "\n"
  "Thanks to the authors of the base model and to the llama.cpp contributors.\n";

static const FileSpec tinychat_files[] = {
  { FILE_GITATTRIBUTES, ".gitattributes", 2013, NULL, NULL,
    "5803389d7487a91b374ba2b37e04754263096f14", NULL },
  { FILE_TEXT, "README.md", 5847, NULL, NULL,
    "4cf199ecf653d00d88a5e8d20e8d4b8819db43d7", tinychat_readme },
  LFS_FIXED ("TinyChat-1.1B-Q2_K.gguf", 432131456,
             "b666e9a42fed5543e88f66a36141f48f980e0529650a3c82f38dc2087568cf3b",
             "8534f7ff6218167dd2e39db27a6fe9832fd2954f379896f9a8b5e76e5414946a"),
  LFS_FIXED ("TinyChat-1.1B-Q3_K_M.gguf", 548405120,
             "fab27b35462d18d22e2867f92e3232c78c1c68e7cf13ba9dd2b6a8b40fbdf999",
             "142daac3f8e5067bd3828053eb800d6e27aabdb83839a224cf122610e386e5a8"),
  LFS_FIXED ("TinyChat-1.1B-IQ4_XS.gguf", 617342208,
             "9f781e7bbe81ef2f0f2c10171640dc0fd8740ff34f6eafca5c9f97557d2fee90",
             "78759829d522e6ad3839830c98afb9ee102b19f429bc275dfa43d6e7dd432388"),
  LFS_FIXED ("TinyChat-1.1B-Q4_K_M.gguf", 667814976,
             "10c32822b70cdb3bf66bed2c4780cdfc68fb5192c657931cbc8b43790b7b2f55",
             "c367a8c467d830a3f0ad644d793f6abba61df7b2e00dbd0b650faa82cf9e31b2"),
  LFS_FIXED ("TinyChat-1.1B-Q5_K_M.gguf", 782045184,
             "7cf7f1024553dc6648b119d5c5f1ff2e2152100221e72ab9bb79744f1981eea6",
             "1650703e981a006e38d07adf7d9e07d9999cd256bfc016dbb0e3d03a5cf7ae85"),
  LFS_FIXED ("TinyChat-1.1B-Q6_K.gguf", 903751680,
             "9b2741e087599cd2466680d9db7eb3711559002aa5b74e857f9d072728415eb2",
             "43e5cb354619762aa1177956eda342a8a13270c34cf00db260065e5a7c0c4173"),
  LFS_FIXED ("TinyChat-1.1B-Q8_0.gguf", 1169807744,
             "694b5a5e9faa92d6a5678edea7e5526a0705c5d6390b4c2c937e8279b645b5cc",
             "5881bb56dc9f67ffe650bdb8d03abcf93c05266c7cf822501141c92a6d93d68b"),
  LFS_FIXED ("BF16/TinyChat-1.1B-BF16-00001-of-00002.gguf", 1283457152,
             "d74adf1263cb877874eaae76c0fb7df37ad8343432961efdf7574b60ff61dc4f",
             "9b1bef76873767f25d50188d51398245794f1be1322e00c5c554ff2bb6c3f97c"),
  LFS_FIXED ("BF16/TinyChat-1.1B-BF16-00002-of-00002.gguf", 917559168,
             "780948c8ffa874ce44b715d7c0aef1002ec5bebde12bd0a8e76e8633d187b518",
             "35f950b8a68e88a416e2f38dbec27558cb56556b480db9dd260c3154b245bd2e"),
  END_FILES
};

static const char *const tinychat_dir_oids[] = {
  "BF16", "ed515f9cf043906a6fad4c2408211a4f500d11ea",
  NULL
};

static const GgufSpec tinychat_gguf = {
  1100048384, "llama", 2048, tinychat_template, "<s>", "</s>", 2201016320,
  22, 2048, 32, 4
};

static const FileSpec tinychat_instruct_files[] = {
  GITATTRIBUTES,
  CARD,
  LFS ("TinyChat-1.1B-Instruct-IQ3_M.gguf", 511705088),
  LFS ("TinyChat-1.1B-Instruct-Q4_K_M.gguf", 667814976),
  LFS ("TinyChat-1.1B-Instruct-Q5_K_M.gguf", 782045184),
  LFS ("TinyChat-1.1B-Instruct-Q8_0.gguf", 1169807744),
  LFS ("TinyChat-1.1B-Instruct.imatrix.dat", 1048576),
  END_FILES
};

static const FileSpec tinychat_nano_files[] = {
  GITATTRIBUTES,
  CARD,
  LFS ("tinychat-nano-Q4_K_M.gguf", 158334976),
  LFS ("tinychat-nano-F16.gguf", 520093696),
  END_FILES
};

static const GgufSpec tinychat_nano_gguf = {
  260046848, "llama", 4096, NULL, NULL, NULL, 520093696,
  12, 1024, 16, 4
};

static const FileSpec tinychat_legacy_files[] = {
  GITATTRIBUTES,
  CARD,
  LFS ("tinychat-legacy-q4_0.gguf", 638582784),
  END_FILES
};

static const GgufSpec small_llama_gguf = {
  1100048384, "llama", 2048, NULL, "<s>", "</s>", 0,
  22, 2048, 32, 4
};

static const FileSpec gated_files[] = {
  GITATTRIBUTES,
  CARD,
  LFS ("Gated-7B-IQ1_S.gguf", 256 * KIB),
  LFS ("Gated-7B-Q4_K_M.gguf", 4368439584),
  LFS ("Gated-7B-Q8_0.gguf", 7695857952),
  END_FILES
};

static const FileSpec private_files[] = {
  GITATTRIBUTES,
  CARD,
  LFS ("Private-3B-Q4_K_M.gguf", 384 * KIB),
  LFS ("Private-3B-Q8_0.gguf", 640 * KIB),
  END_FILES
};

static const GgufSpec mistral_7b_gguf = {
  7241732096, "llama", 32768, tinychat_template, "<s>", "</s>", 0,
  32, 4096, 32, 8
};

static const FileSpec safetensors_files[] = {
  GITATTRIBUTES,
  CARD,
  CONFIG,
  LFS ("model.safetensors", 2200119864),
  LFS ("tokenizer.json", 1842767),
  END_FILES
};

static const FileSpec noquant_files[] = {
  GITATTRIBUTES,
  CARD,
  CONFIG,
  LFS ("imatrix.dat", 1200 * KIB),
  END_FILES
};

static const FileSpec hostile_files[] = {
  GITATTRIBUTES,
  CARD,
  LFS ("../escape-Q4_K_M.gguf", 64 * KIB),
  LFS ("/etc/abs-Q8_0.gguf", 64 * KIB),
  LFS ("sub\\win-Q5_K_M.gguf", 64 * KIB),
  LFS ("ctrl\001name-Q6_K.gguf", 64 * KIB),
  LFS ("ok/../../up-Q2_K.gguf", 64 * KIB),
  LFS ("Hostile-Q4_0.gguf", 96 * KIB),
  END_FILES
};

static const FileSpec vision_files[] = {
  GITATTRIBUTES,
  CARD,
  LFS ("Vision-7B-Q4_K_M.gguf", 4683073184),
  LFS ("Vision-7B-Q8_0.gguf", 8098525344),
  LFS ("mmproj-model-f16.gguf", 624434368),
  LFS ("mmproj-Vision-7B-Q8_0.gguf", 339842464),
  END_FILES
};

static const GgufSpec vision_gguf = {
  7615616512, "qwen2vl", 32768, tinychat_template, NULL, "<|im_end|>", 0,
  28, 3584, 28, 4
};

static const FileSpec giant_files[] = {
  GITATTRIBUTES,
  CARD,
  LFS ("Q4_K_M/Giant-70B-Q4_K_M-00001-of-00002.gguf", 21474836480 + 1234567),
  LFS ("Q4_K_M/Giant-70B-Q4_K_M-00002-of-00002.gguf", 21099442176),
  LFS ("Q8_0/Giant-70B-Q8_0-00001-of-00003.gguf", 25769803776 + 7654321),
  LFS ("Q8_0/Giant-70B-Q8_0-00002-of-00003.gguf", 25769803776 + 424242),
  LFS ("Q8_0/Giant-70B-Q8_0-00003-of-00003.gguf", 23463453184),
  /* Part 2 of 3 is missing on purpose: an incomplete split set. */
  LFS ("F16/Giant-70B-F16-00001-of-00003.gguf", 47244640256),
  LFS ("F16/Giant-70B-F16-00003-of-00003.gguf", 46170898432),
  END_FILES
};

static const GgufSpec giant_gguf = {
  70553706496, "llama", 131072, tinychat_template, "<|begin_of_text|>", "<|eot_id|>",
  47244640256, 80, 8192, 64, 8
};

static const FileSpec pico_files[] = {
  GITATTRIBUTES,
  CARD,
  CONFIG,
  LFS ("Pico-Q4_K_M.gguf", 300 * KIB),
  LFS ("Pico-Q8_0.gguf", 600 * KIB),
  LFS ("Pico-Q2_K-00001-of-00002.gguf", 200 * KIB),
  LFS ("Pico-Q2_K-00002-of-00002.gguf", 200 * KIB),
  END_FILES
};

/* Small enough for its 200 KiB to 600 KiB files to hold every tensor: one
 * layer, the smallest embedding a K-quant's rows allow, 256 tokens. */
static const GgufSpec pico_gguf = {
  525056, "llama", 512, NULL, "<s>", "</s>", 0,
  1, 256, 4, 2, 256
};

/* A repository whose tree does not fit in one page: its model, and 1100 small
 * training logs in a folder. */
static const FileSpec many_files[] = {
  GITATTRIBUTES,
  CARD,
  LFS ("Many-Q4_K_M.gguf", 300 * KIB),
  END_FILES
};

static const FileSpec disabled_files[] = {
  GITATTRIBUTES,
  CARD,
  LFS ("Disabled-Q4_K_M.gguf", 128 * KIB),
  END_FILES
};

#define TINYCHAT_TAGS \
  "gguf,llama,text-generation,base_model:example-org/TinyChat-1.1B," \
  "base_model:quantized:example-org/TinyChat-1.1B,license:apache-2.0," \
  "endpoints_compatible,region:us,conversational"

/* Repositories that were renamed: the old name redirects to the new one. */
static const struct {
  const char *old_id;
  const char *new_id;
} renamed_repos[] = {
  { MM_MOCK_HUB_RENAMED_REPO, "tiny-org/Pico-GGUF" },
};

static const RepoSpec repo_specs[] = {
  {
    .id = "example-org/TinyChat-1.1B-GGUF",
    .object_id = "b302af53341149f2920cf65a",
    .sha = "5668b11d231950a81d3b4b1ef40e2c0e67ea45bc",
    .pipeline_tag = "text-generation",
    .tags = TINYCHAT_TAGS,
    .downloads = 48213, .likes = 57, .trending_score = 3,
    .created_at = "2026-05-12T16:04:55.000Z",
    .last_modified = "2026-05-14T09:21:37.000Z",
    .license = "apache-2.0",
    .base_model = "example-org/TinyChat-1.1B",
    .gguf = &tinychat_gguf,
    .dir_oids = tinychat_dir_oids,
    .files = tinychat_files,
  },
  {
    .id = "quant-lab/TinyChat-1.1B-Instruct-GGUF",
    .object_id = "470cbc65b506de9e9d9fb75c",
    .pipeline_tag = "text-generation",
    .library_name = "transformers",
    .tags = "transformers,gguf,llama,text-generation,imatrix,conversational,"
            "base_model:example-org/TinyChat-1.1B-Instruct,"
            "base_model:quantized:example-org/TinyChat-1.1B-Instruct,license:apache-2.0,"
            "endpoints_compatible,region:us",
    .downloads = 9120, .likes = 21, .trending_score = 1,
    .created_at = "2026-06-02T08:44:10.000Z",
    .last_modified = "2026-06-03T11:02:48.000Z",
    .gated = "auto",
    .license = "apache-2.0",
    .base_model = "example-org/TinyChat-1.1B-Instruct",
    .gguf = &tinychat_gguf,
    .files = tinychat_instruct_files,
  },
  {
    .id = "solo-dev/tinychat-nano-GGUF",
    .object_id = "978c1d3c90fd9611297d2ddb",
    .tags = "gguf,region:us",
    .downloads = 37, .likes = 0, .trending_score = 0,
    .created_at = "2026-07-19T22:10:03.000Z",
    .last_modified = "2026-07-19T22:14:40.000Z",
    .gated = "manual",
    .gguf = &tinychat_nano_gguf,
    .files = tinychat_nano_files,
  },
  {
    /* Lets the fixture query "search=tinychat&limit=3" have a next page. */
    .id = "archive-org/tinychat-legacy-GGUF",
    .tags = "gguf,llama,region:us",
    .downloads = 5, .likes = 1, .trending_score = 0,
    .created_at = "2024-02-01T10:00:00.000Z",
    .last_modified = "2024-02-01T10:05:00.000Z",
    .gguf = &small_llama_gguf,
    .files = tinychat_legacy_files,
  },
  {
    .id = "example-org/Gated-7B-GGUF",
    .pipeline_tag = "text-generation",
    .tags = "gguf,llama,text-generation,license:other,region:us,conversational",
    .downloads = 15022, .likes = 88, .trending_score = 9,
    .created_at = "2026-03-03T12:00:00.000Z",
    .last_modified = "2026-04-20T08:30:00.000Z",
    .gated = "manual",
    .license = "other",
    .gguf = &mistral_7b_gguf,
    .files = gated_files,
  },
  {
    /* Private: only the account of MM_MOCK_HUB_TOKEN sees it. */
    .id = "example-org/Private-3B-GGUF",
    .pipeline_tag = "text-generation",
    .tags = "gguf,llama,text-generation,license:apache-2.0,region:us",
    .downloads = 12, .likes = 0, .trending_score = 0,
    .created_at = "2026-08-01T09:00:00.000Z",
    .last_modified = "2026-08-02T09:30:00.000Z",
    .is_private = TRUE,
    .license = "apache-2.0",
    .gguf = &small_llama_gguf,
    .files = private_files,
  },
  {
    .id = "plain-org/Safetensors-Only",
    .pipeline_tag = "text-generation",
    .library_name = "transformers",
    .tags = "transformers,safetensors,llama,text-generation,license:mit,region:us",
    .downloads = 120345, .likes = 310, .trending_score = 12,
    .created_at = "2025-09-09T09:09:09.000Z",
    .last_modified = "2026-01-10T10:10:10.000Z",
    .license = "mit",
    .files = safetensors_files,
  },
  {
    .id = "empty-org/NoQuant-GGUF",
    .tags = "gguf,region:us",
    .downloads = 64, .likes = 2, .trending_score = 0,
    .created_at = "2026-02-14T14:14:14.000Z",
    .last_modified = "2026-02-14T14:20:00.000Z",
    .license = "apache-2.0",
    .files = noquant_files,
  },
  {
    .id = "evil-org/Hostile-GGUF",
    .tags = "gguf,llama,region:us",
    .downloads = 666, .likes = 6, .trending_score = 6,
    .created_at = "2026-06-06T06:06:06.000Z",
    .last_modified = "2026-06-06T06:16:06.000Z",
    .gguf = &pico_gguf,
    .files = hostile_files,
  },
  {
    .id = "vision-org/Vision-7B-GGUF",
    .pipeline_tag = "image-text-to-text",
    .tags = "gguf,qwen2_vl,image-text-to-text,multimodal,license:apache-2.0,region:us",
    .downloads = 23456, .likes = 140, .trending_score = 25,
    .created_at = "2026-01-20T10:00:00.000Z",
    .last_modified = "2026-05-01T10:00:00.000Z",
    .license = "apache-2.0",
    .base_model = "vision-org/Vision-7B",
    .gguf = &vision_gguf,
    .files = vision_files,
  },
  {
    .id = "big-org/Giant-70B-GGUF",
    .pipeline_tag = "text-generation",
    .tags = "gguf,llama,text-generation,license:llama3.1,region:us,conversational",
    .downloads = 87001, .likes = 412, .trending_score = 40,
    .created_at = "2025-07-24T18:00:00.000Z",
    .last_modified = "2026-02-02T02:02:02.000Z",
    .license = "llama3.1",
    .base_model = "big-org/Giant-70B",
    .gguf = &giant_gguf,
    .files = giant_files,
  },
  {
    .id = "tiny-org/Pico-GGUF",
    .pipeline_tag = "text-generation",
    .tags = "gguf,llama,text-generation,license:mit,region:us",
    .downloads = 321, .likes = 4, .trending_score = 2,
    .created_at = "2026-04-04T04:04:04.000Z",
    .last_modified = "2026-04-05T05:05:05.000Z",
    .license = "mit",
    .gguf = &pico_gguf,
    .files = pico_files,
  },
  {
    .id = MM_MOCK_HUB_MANY_FILES_REPO,
    .pipeline_tag = "text-generation",
    .tags = "gguf,llama,text-generation,license:mit,region:us",
    .downloads = 17, .likes = 1, .trending_score = 0,
    .created_at = "2026-03-03T03:03:03.000Z",
    .last_modified = "2026-03-04T04:04:04.000Z",
    .license = "mit",
    .gguf = &pico_gguf,
    .files = many_files,
    .log_files = 1100,
  },
  {
    .id = "disabled-org/Disabled-GGUF",
    .tags = "gguf,region:us",
    .downloads = 3, .likes = 0, .trending_score = 0,
    .created_at = "2025-12-12T12:12:12.000Z",
    .last_modified = "2025-12-12T12:12:12.000Z",
    .disabled = TRUE,
    .gguf = &small_llama_gguf,
    .files = disabled_files,
  },
};

#define N_FILLER_GGUF 44
#define N_FILLER_OTHER 2

static const char *const filler_authors[] = {
  "filler-org", "bulk-quants", "mirror-lab", "quant-factory",
};

static const char *const gitattributes_patterns[] = {
  "*.7z", "*.arrow", "*.bin", "*.bz2", "*.ckpt", "*.ftz", "*.gz", "*.h5", "*.joblib",
  "*.lfs.*", "*.mlmodel", "*.model", "*.msgpack", "*.npy", "*.npz", "*.onnx", "*.ot",
  "*.parquet", "*.pb", "*.pickle", "*.pkl", "*.pt", "*.pth", "*.rar", "*.safetensors",
  "saved_model/**/*", "*.tar.*", "*.tar", "*.tflite", "*.tgz", "*.wasm", "*.xz", "*.zip",
  "*.zst", "*tfevents*", "*.gguf", "*.dat",
};

/* ------------------------------------------------------------------------ */
/* Catalog                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct _MockRepo MockRepo;

typedef struct _MockFileStruct {
  char     *path;
  guint64   size;
  char     *blob_id;       /* git oid (of the LFS pointer for LFS files) */
  char     *sha256;        /* (nullable): LFS content hash; NULL for git files */
  char     *xet_hash;      /* (nullable) */
  guint     pointer_size;
  GBytes   *text;          /* (nullable): content of a git file */
  guint64   seed;
  GBytes   *gguf_header;    /* (nullable): the first bytes of a .gguf file */
  FileKind  kind;
  guint     version;       /* 1 for the catalog's files */
  MockRepo *repo;          /* (unowned) */
  /* (nullable) (owned): for an LFS file, its pointer text as a git file of
   * its own, which is what /raw/ serves */
  struct _MockFileStruct *pointer;
  /* (atomic) (nullable) (unowned): the version currently served instead of
   * this catalog file, owned by the hub's version_files table. Set from the
   * test thread, read on the server thread. */
  gpointer  current;
} MockFile;

typedef struct {
  gboolean  is_dir;
  char     *path;
  char     *oid;           /* directories only */
  MockFile *file;          /* (unowned) files only */
} MockEntry;

struct _MockRepo {
  char      *id;
  char      *author;
  char      *name;
  char      *object_id;
  char      *sha;
  char      *pipeline_tag;
  char      *library_name;
  char     **tags;
  gint64     downloads;
  gint64     likes;
  gint64     trending_score;
  char      *created_at;
  char      *last_modified;
  char      *gated;
  gboolean   disabled;
  gboolean   is_private;
  char      *license;
  char      *base_model;
  gboolean   has_gguf;
  GgufSpec   gguf;          /* strings point into gguf_strings */
  GPtrArray *gguf_strings;
  guint64    used_storage;
  GPtrArray *files;         /* (element-type MockFile) */
  GPtrArray *entries;       /* (element-type MockEntry): tree order */
  GPtrArray *old_shas;      /* (nullable): earlier commits, still served */
  GPtrArray *old_dates;     /* (nullable): their lastModified, kept for readers in flight */
};

static void
mock_file_free (MockFile *file)
{
  g_free (file->path);
  g_free (file->blob_id);
  g_free (file->sha256);
  g_free (file->xet_hash);
  g_clear_pointer (&file->text, g_bytes_unref);
  g_clear_pointer (&file->gguf_header, g_bytes_unref);
  g_clear_pointer (&file->pointer, mock_file_free);
  g_free (file);
}

static void
mock_entry_free (MockEntry *entry)
{
  g_free (entry->path);
  g_free (entry->oid);
  g_free (entry);
}

static void
mock_repo_free (MockRepo *repo)
{
  g_clear_pointer (&repo->old_shas, g_ptr_array_unref);
  g_clear_pointer (&repo->old_dates, g_ptr_array_unref);
  g_free (repo->id);
  g_free (repo->author);
  g_free (repo->name);
  g_free (repo->object_id);
  g_free (repo->sha);
  g_free (repo->pipeline_tag);
  g_free (repo->library_name);
  g_strfreev (repo->tags);
  g_free (repo->created_at);
  g_free (repo->last_modified);
  g_free (repo->gated);
  g_free (repo->license);
  g_free (repo->base_model);
  g_ptr_array_unref (repo->gguf_strings);
  g_ptr_array_unref (repo->entries);
  g_ptr_array_unref (repo->files);
  g_free (repo);
}

static guint64
fnv1a64 (const char *a,
         const char *b)
{
  guint64 hash = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  const char *parts[] = { a, "\n", b };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    for (const guint8 *p = (const guint8 *) parts[i]; *p; p++)
      hash = (hash ^ *p) * G_GUINT64_CONSTANT (0x100000001b3);

  return hash;
}

static guint64
splitmix64 (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

/* A valid, empty GGUF v3 header: magic, version 3, 0 tensors, 0 key/values,
 * for .gguf files of repos without a GgufSpec and files too small for more. */
static const guint8 empty_gguf_header[24] = { 'G', 'G', 'U', 'F', 3 };

/* The llama_ftype whose name (mm_gguf_file_type_to_string(), the app's own
 * table) is @quant, or -1. */
static gint64
file_type_for_quant (const char *quant)
{
  if (quant == NULL)
    return -1;

  for (gint64 type = 0; type < 64; type++)
    {
      const char *name = mm_gguf_file_type_to_string (type);

      if (name != NULL && g_ascii_strcasecmp (name, quant) == 0)
        return type;
    }

  return -1;
}

/* A llama-style model: what a header's metadata and tensor infos describe. */
typedef struct {
  guint64 layers;
  guint64 embedding;
  guint64 heads;
  guint64 heads_kv;
  guint64 ffn;
  guint64 vocab;
} ModelShape;

typedef struct {
  char    name[48];
  guint32 n_dims;
  guint32 type;
  guint64 dims[2];
  guint64 size;      /* bytes of data */
  guint   part;      /* which file of a split set holds it, from 0 */
} TensorPlan;

/* The K-quants' block: every row length (embedding, ffn) is a multiple of it,
 * so that one ggml_type fits every 2-D weight whatever the file type. */
#define ROW_BLOCK 256
#define GGUF_ALIGNMENT 32

static guint64
shape_parameters (const ModelShape *shape)
{
  guint64 e = shape->embedding;
  guint64 kv = shape->heads_kv * (e / shape->heads);
  guint64 layer = 2 * e + 2 * e * e + 2 * e * kv + 3 * e * shape->ffn;

  return 2 * e * shape->vocab + e + shape->layers * layer;
}

/* The shape of @spec's model: its layers, embedding and heads, with the
 * feed-forward size (and then the vocabulary) chosen so that the parameters
 * add up to the spec's total, as closely as whole blocks allow. FALSE when
 * the spec gives no embedding size. */
static gboolean
shape_from_spec (const GgufSpec *spec,
                 ModelShape     *shape)
{
  guint64 total = (guint64) MAX (spec->total, 0);
  guint64 per_ffn;
  guint64 fixed;

  if (spec->embedding_length == 0 || spec->embedding_length % ROW_BLOCK != 0)
    return FALSE;

  shape->layers = spec->block_count;
  shape->embedding = spec->embedding_length;
  shape->heads = spec->head_count ? spec->head_count : MAX (spec->embedding_length / 128, 1);
  shape->heads_kv = spec->head_count_kv ? spec->head_count_kv : shape->heads;
  shape->vocab = spec->vocab_size ? spec->vocab_size : 32000;
  shape->ffn = 0;
  fixed = shape_parameters (shape);
  per_ffn = 3 * shape->embedding * shape->layers;
  shape->ffn = ROW_BLOCK;
  if (per_ffn > 0 && total > fixed + per_ffn * ROW_BLOCK)
    shape->ffn = (total - fixed) / per_ffn / ROW_BLOCK * ROW_BLOCK;
  if (total > shape_parameters (shape))
    shape->vocab += (total - shape_parameters (shape)) / (2 * shape->embedding);

  return TRUE;
}

/* Makes @shape smaller by one step: the feed-forward size first, then the
 * vocabulary, the embedding (with its heads) and the layers. FALSE when it
 * is as small as it goes. */
static gboolean
shape_shrink (ModelShape *shape)
{
  if (shape->ffn > ROW_BLOCK)
    shape->ffn -= ROW_BLOCK;
  else if (shape->vocab > 32)
    shape->vocab = MAX (shape->vocab / 2, 32);
  else if (shape->embedding > ROW_BLOCK && shape->embedding % (2 * ROW_BLOCK) == 0)
    {
      guint64 heads = MAX (shape->heads / 2, 1);

      shape->heads_kv = MAX (shape->heads_kv * heads / shape->heads, 1);
      shape->heads = heads;
      shape->embedding /= 2;
    }
  else if (shape->layers > 0)
    shape->layers--;
  else
    return FALSE;

  return TRUE;
}

static void
plan_tensor (GArray     *plan,
             guint32     weight_type,
             guint64     ne0,
             guint64     ne1,
             const char *format,
             ...)
{
  TensorPlan tensor = { "", ne1 ? 2 : 1, ne1 ? weight_type : 0, { ne0, ne1 }, 0, 0 };
  va_list args;

  va_start (args, format);
  g_vsnprintf (tensor.name, sizeof tensor.name, format, args);
  va_end (args);
  tensor.size = mm_gguf_ggml_type_data_size (tensor.type, ne1 ? ne0 * ne1 : ne0);
  g_assert_cmpuint (tensor.size, >, 0);
  g_array_append_val (plan, tensor);
}

/* The tensors of @shape as llama.cpp names and lays them out (dims[0] is the
 * row length): 2-D weights in @weight_type, norms in F32. */
static GArray *
shape_tensors (const ModelShape *shape,
               guint32           weight_type)
{
  GArray *plan = g_array_new (FALSE, FALSE, sizeof (TensorPlan));
  guint64 e = shape->embedding;
  guint64 kv = shape->heads_kv * (e / shape->heads);

  plan_tensor (plan, weight_type, e, shape->vocab, "token_embd.weight");
  for (guint64 i = 0; i < shape->layers; i++)
    {
      plan_tensor (plan, weight_type, e, 0, "blk.%" G_GUINT64_FORMAT ".attn_norm.weight", i);
      plan_tensor (plan, weight_type, e, e, "blk.%" G_GUINT64_FORMAT ".attn_q.weight", i);
      plan_tensor (plan, weight_type, e, kv, "blk.%" G_GUINT64_FORMAT ".attn_k.weight", i);
      plan_tensor (plan, weight_type, e, kv, "blk.%" G_GUINT64_FORMAT ".attn_v.weight", i);
      plan_tensor (plan, weight_type, e, e, "blk.%" G_GUINT64_FORMAT ".attn_output.weight", i);
      plan_tensor (plan, weight_type, e, 0, "blk.%" G_GUINT64_FORMAT ".ffn_norm.weight", i);
      plan_tensor (plan, weight_type, e, shape->ffn,
                   "blk.%" G_GUINT64_FORMAT ".ffn_gate.weight", i);
      plan_tensor (plan, weight_type, e, shape->ffn,
                   "blk.%" G_GUINT64_FORMAT ".ffn_up.weight", i);
      plan_tensor (plan, weight_type, shape->ffn, e,
                   "blk.%" G_GUINT64_FORMAT ".ffn_down.weight", i);
    }
  plan_tensor (plan, weight_type, e, 0, "output_norm.weight");
  plan_tensor (plan, weight_type, e, shape->vocab, "output.weight");

  return plan;
}

static guint64
tensor_info_size (const TensorPlan *tensor)
{
  return 8 + strlen (tensor->name) + 4 + 8 * tensor->n_dims + 4 + 8;
}

static int
compare_by_size_cb (gconstpointer a,
                    gconstpointer b)
{
  const TensorPlan *x = *(const TensorPlan * const *) a;
  const TensorPlan *y = *(const TensorPlan * const *) b;

  if (x->size != y->size)
    return x->size < y->size ? 1 : -1;
  return x < y ? -1 : (x > y);
}

/* Shares the tensors of @plan out among the @n_parts files of a split set
 * (sizes in @sizes), largest first, each into the file with the most room
 * left for its info in the header and its data after it: each part gets a
 * share in proportion to its size, and the files are packed tightly.
 * @kv_first and @kv_later are the sizes of the metadata of part 1 and of
 * the later parts. FALSE when they do not all fit. */
static gboolean
plan_parts (GArray        *plan,
            guint          n_parts,
            const guint64 *sizes,
            guint64        kv_first,
            guint64        kv_later)
{
  g_autoptr(GPtrArray) order = g_ptr_array_sized_new (plan->len);
  g_autofree guint64 *header = g_new0 (guint64, n_parts);
  g_autofree guint64 *data = g_new0 (guint64, n_parts);

  for (guint p = 0; p < n_parts; p++)
    header[p] = 24 + (p == 0 ? kv_first : kv_later);
  for (guint i = 0; i < plan->len; i++)
    g_ptr_array_add (order, &g_array_index (plan, TensorPlan, i));
  g_ptr_array_sort (order, compare_by_size_cb);

  for (guint i = 0; i < order->len; i++)
    {
      TensorPlan *tensor = g_ptr_array_index (order, i);
      guint64 info = tensor_info_size (tensor);
      guint64 padded = tensor->size + GGUF_ALIGNMENT;
      guint64 most_room = 0;
      guint p = n_parts;

      for (guint q = 0; q < n_parts; q++)
        {
          guint64 needed = header[q] + info + GGUF_ALIGNMENT + data[q] + padded;

          if (needed <= sizes[q] && (p == n_parts || sizes[q] - needed > most_room))
            {
              p = q;
              most_room = sizes[q] - needed;
            }
        }
      if (p == n_parts)
        return FALSE;

      tensor->part = p;
      header[p] += info;
      data[p] += padded;
    }

  return TRUE;
}

/* Writes the metadata of @path: all of it for a whole file or part 1 of a
 * split set, only the split keys for the later parts (as llama.cpp's
 * gguf-split does). */
static void
write_metadata (MmGgufWriter     *writer,
                const MockRepo   *repo,
                const char       *path,
                const ModelShape *shape,
                gint64            file_type,
                guint             part,
                guint             count,
                guint64           n_tensors)
{
  const GgufSpec *spec = &repo->gguf;
  const char *base = strrchr (path, '/') ? strrchr (path, '/') + 1 : path;
  gboolean projector = g_str_has_prefix (base, "mmproj");
  const char *arch = projector ? "clip" : spec->architecture;

  if (part <= 1)
    {
      g_autofree char *name = g_strdup (repo->name);
      g_autofree char *key = NULL;

      if (g_str_has_suffix (name, "-GGUF"))
        name[strlen (name) - 5] = '\0';
      if (projector)
        {
          char *old = name;

          name = g_strconcat (old, " Projector", NULL);
          g_free (old);
        }

      mm_gguf_writer_add_string (writer, "general.architecture", arch);
      mm_gguf_writer_add_string (writer, "general.name", name);
      if (file_type >= 0)
        mm_gguf_writer_add_uint (writer, "general.file_type", MM_GGUF_TYPE_UINT32,
                                 (guint64) file_type);

#define ADD_ARCH_UINT(suffix, value) \
      if ((value) > 0 && !projector) \
        { \
          g_free (key); \
          key = g_strconcat (arch, suffix, NULL); \
          mm_gguf_writer_add_uint (writer, key, MM_GGUF_TYPE_UINT32, (value)); \
        }
      ADD_ARCH_UINT (".context_length", (guint64) MAX (spec->context_length, 0));
      ADD_ARCH_UINT (".block_count", shape ? shape->layers : spec->block_count);
      ADD_ARCH_UINT (".embedding_length", shape ? shape->embedding : spec->embedding_length);
      ADD_ARCH_UINT (".attention.head_count", shape ? shape->heads : spec->head_count);
      ADD_ARCH_UINT (".attention.head_count_kv", shape ? shape->heads_kv : spec->head_count_kv);
#undef ADD_ARCH_UINT

      if (spec->chat_template != NULL && !projector)
        mm_gguf_writer_add_string (writer, "tokenizer.chat_template", spec->chat_template);
    }

  if (count > 1)
    {
      mm_gguf_writer_add_uint (writer, "split.no", MM_GGUF_TYPE_UINT16, part - 1);
      mm_gguf_writer_add_uint (writer, "split.count", MM_GGUF_TYPE_UINT16, count);
      mm_gguf_writer_add_uint (writer, "split.tensors.count", MM_GGUF_TYPE_INT32, n_tensors);
    }
}

static guint64
metadata_size (const MockRepo   *repo,
               const char       *path,
               const ModelShape *shape,
               gint64            file_type,
               guint             part,
               guint             count)
{
  g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);

  write_metadata (writer, repo, path, shape, file_type, part, count, 0);
  return mm_gguf_writer_get_kv (writer)->len;
}

/* The GGUF v3 header of @path in @repo, as llama.cpp writes it: the spec's
 * metadata, general.file_type from the quantization in the name, tensors of
 * the spec's shape in the file type's ggml_type, and for a split set
 * split.no (from 0), split.count and split.tensors.count, each part holding
 * its share of the tensors (@files gives the other parts' sizes). A file too
 * small for the spec's model describes a smaller one (see shape_shrink()),
 * so that its tensor data always fits in its @size bytes. NULL when not even
 * the header fits. */
static GBytes *
make_gguf_header (const MockRepo *repo,
                  const FileSpec *files,
                  const char     *path,
                  guint64         size)
{
  g_autoptr(MmGgufWriter) writer = mm_gguf_writer_new (3);
  g_autoptr(GBytes) header = NULL;
  g_autoptr(GArray) plan = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *quant = NULL;
  g_autofree guint64 *sizes = NULL;
  const char *base = strrchr (path, '/') ? strrchr (path, '/') + 1 : path;
  gboolean projector = g_str_has_prefix (base, "mmproj");
  ModelShape shape = { 0, };
  gboolean has_shape;
  guint part = 0, count = 0;
  gint64 file_type;
  gint weight_type;

  if (!repo->has_gguf || (!projector && repo->gguf.architecture == NULL))
    return NULL;

  mm_gguf_name_parse_split (path, &prefix, &part, &count);
  quant = mm_gguf_name_parse_quant (path);
  file_type = file_type_for_quant (quant);
  weight_type = mm_gguf_file_type_ggml_type (file_type);
  count = MAX (count, 1);

  /* A projector's tensors are not the model's, and it gets none. */
  has_shape = !projector && weight_type >= 0 && shape_from_spec (&repo->gguf, &shape);

  if (has_shape)
    {
      guint64 smallest = size;
      guint64 kv_first = metadata_size (repo, path, &shape, file_type, 1, count);
      guint64 kv_later = metadata_size (repo, path, &shape, file_type, 2, count);

      /* The sizes of all the parts; a part missing from the catalog counts
       * as the smallest one present. */
      sizes = g_new0 (guint64, count);
      sizes[MAX (part, 1) - 1] = size;
      for (const FileSpec *fs = files; count > 1 && fs->path; fs++)
        {
          g_autofree char *other_prefix = NULL;
          guint other_part = 0, other_count = 0;

          if (mm_gguf_name_parse_split (fs->path, &other_prefix, &other_part, &other_count) &&
              other_count == count && g_strcmp0 (other_prefix, prefix) == 0 &&
              other_part >= 1 && other_part <= count)
            {
              sizes[other_part - 1] = fs->size;
              smallest = MIN (smallest, fs->size);
            }
        }
      for (guint p = 0; p < count; p++)
        if (sizes[p] == 0)
          sizes[p] = smallest;

      for (;;)
        {
          g_clear_pointer (&plan, g_array_unref);
          plan = shape_tensors (&shape, (guint32) weight_type);
          if (plan_parts (plan, count, sizes, kv_first, kv_later))
            break;
          if (!shape_shrink (&shape))
            {
              g_clear_pointer (&plan, g_array_unref);
              break;
            }
        }
    }

  write_metadata (writer, repo, path, plan ? &shape : NULL, file_type, part, count,
                  plan ? plan->len : 0);
  for (guint i = 0; plan && i < plan->len; i++)
    {
      const TensorPlan *tensor = &g_array_index (plan, TensorPlan, i);

      if (tensor->part == MAX (part, 1) - 1)
        mm_gguf_writer_add_tensor (writer, tensor->name, tensor->n_dims, tensor->dims,
                                   tensor->type, tensor->size);
    }

  header = mm_gguf_writer_finish (writer, FALSE, NULL);
  if (g_bytes_get_size (header) > size)
    return NULL;

  return g_steal_pointer (&header);
}

/* Fills @buf with bytes [@offset, @offset + @len) of @file; the range must be
 * inside the file. Any range can be produced on its own, so Range requests
 * and streaming need no state beyond the offset. */
static void
mock_file_read (const MockFile *file,
                guint64         offset,
                guint8         *buf,
                gsize           len)
{
  gsize i = 0;

  g_assert (offset + len <= file->size);

  if (file->text)
    {
      memcpy (buf, (const guint8 *) g_bytes_get_data (file->text, NULL) + offset, len);
      return;
    }

  while (i < len)
    {
      guint64 pos = offset + i;
      guint64 word;

      if (file->gguf_header && pos < g_bytes_get_size (file->gguf_header))
        {
          gsize header_size;
          const guint8 *header = g_bytes_get_data (file->gguf_header, &header_size);
          gsize n = MIN (header_size - pos, len - i);

          memcpy (buf + i, header + pos, n);
          i += n;
          continue;
        }

      word = splitmix64 (file->seed + (pos / 8) * G_GUINT64_CONSTANT (0x2545f4914f6cdd1d));
      for (guint shift = pos % 8; shift < 8 && i < len; shift++)
        buf[i++] = (word >> (shift * 8)) & 0xff;
    }
}

static char *
git_blob_id (const guint8 *data,
             gsize         len)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree char *header = g_strdup_printf ("blob %" G_GSIZE_FORMAT, len);

  /* The header includes its terminating NUL, as git hashes it. */
  g_checksum_update (checksum, (const guint8 *) header, strlen (header) + 1);
  g_checksum_update (checksum, data, len);
  return g_strdup (g_checksum_get_string (checksum));
}

static char *
sha256_of_content (const MockFile *file)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buf = g_malloc (CHUNK_SIZE);

  for (guint64 offset = 0; offset < file->size; offset += CHUNK_SIZE)
    {
      gsize len = MIN (CHUNK_SIZE, file->size - offset);

      mock_file_read (file, offset, buf, len);
      g_checksum_update (checksum, buf, len);
    }

  return g_strdup (g_checksum_get_string (checksum));
}

/* Returns @text padded with a comment to exactly @size bytes (when larger). */
static GBytes *
pad_text (const char *path,
          const char *text,
          guint64     size)
{
  GString *str = g_string_new (text);
  gboolean markdown = g_str_has_suffix (path, ".md");
  const char *open = markdown ? "<!-- " : "# ";
  const char *close = markdown ? " -->\n" : "\n";
  gsize overhead = strlen (open) + strlen (close);

  g_assert (size == 0 || size >= str->len);

  if (size > str->len + overhead)
    {
      g_string_append (str, open);
      while (str->len < size - strlen (close))
        g_string_append_c (str, '.');
      g_string_append (str, close);
    }
  while (str->len < size)
    g_string_append_c (str, '\n');

  return g_string_free_to_bytes (str);
}

static char *
make_gitattributes (void)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (gitattributes_patterns); i++)
    g_string_append_printf (str, "%s filter=lfs diff=lfs merge=lfs -text\n",
                            gitattributes_patterns[i]);
  return g_string_free (str, FALSE);
}

static char *
make_config (const MockRepo *repo)
{
  return g_strdup_printf ("{\n"
                          "  \"architectures\": [\"LlamaForCausalLM\"],\n"
                          "  \"model_type\": \"%s\",\n"
                          "  \"hidden_size\": 2048,\n"
                          "  \"num_hidden_layers\": 22,\n"
                          "  \"torch_dtype\": \"bfloat16\"\n"
                          "}\n",
                          repo->has_gguf && repo->gguf.architecture ?
                          repo->gguf.architecture : "llama");
}

static char *
make_card (const MockRepo *repo)
{
  GString *str = g_string_new ("---\n");

  if (repo->license)
    g_string_append_printf (str, "license: %s\n", repo->license);
  if (repo->base_model)
    g_string_append_printf (str, "base_model:\n- %s\n", repo->base_model);
  g_string_append (str, "---\n\n");
  g_string_append_printf (str, "# %s\n\n", repo->name);
  if (repo->base_model)
    g_string_append_printf (str, "Quantized versions of [%s](https://huggingface.co/%s).\n\n",
                            repo->base_model, repo->base_model);
  else
    g_string_append (str, "A model published for testing Model Manager.\n\n");

  g_string_append (str, "## Files\n\n| File | Size (bytes) |\n| ---- | ------------ |\n");
  for (guint i = 0; i < repo->files->len; i++)
    {
      const MockFile *file = g_ptr_array_index (repo->files, i);
      g_autofree char *escaped = g_strescape (file->path, NULL);

      if (file->sha256)
        g_string_append_printf (str, "| `%s` | %" G_GUINT64_FORMAT " |\n", escaped, file->size);
    }

  /* A long line, as real cards have: it must scroll, not wrap or widen. */
  g_string_append (str, "\n## Usage\n\n```sh\nllama-cli -m model.gguf -p \"Hello\"\n"
                        "llama-server -m model.gguf --ctx-size 4096 --n-gpu-layers 99 "
                        "--host 127.0.0.1 --port 8080\n```\n");
  return g_string_free (str, FALSE);
}

static void
mock_file_set_lfs (MockFile   *file,
                   const char *sha256,
                   const char *xet_hash)
{
  g_autofree char *pointer = NULL;

  if (sha256)
    file->sha256 = g_strdup (sha256);
  else if (file->size <= REAL_HASH_LIMIT)
    file->sha256 = sha256_of_content (file);
  else
    {
      g_autofree char *key = g_strdup_printf ("mock-lfs\n%s\n%s\n%" G_GUINT64_FORMAT,
                                              file->repo->id, file->path, file->size);
      if (file->version > 1)
        {
          g_autofree char *versioned = g_strdup_printf ("%s\nversion %u", key, file->version);

          g_free (key);
          key = g_steal_pointer (&versioned);
        }
      file->sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
    }

  if (xet_hash)
    file->xet_hash = g_strdup (xet_hash);
  else
    {
      g_autofree char *key = g_strconcat ("mock-xet\n", file->sha256, NULL);
      file->xet_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
    }

  /* The tree `oid` of an LFS file is the git id of its pointer text. */
  pointer = g_strdup_printf ("version https://git-lfs.github.com/spec/v1\n"
                             "oid sha256:%s\nsize %" G_GUINT64_FORMAT "\n",
                             file->sha256, file->size);
  file->pointer_size = strlen (pointer);
  file->blob_id = git_blob_id ((const guint8 *) pointer, file->pointer_size);

  g_clear_pointer (&file->pointer, mock_file_free);
  file->pointer = g_new0 (MockFile, 1);
  file->pointer->path = g_strdup (file->path);
  file->pointer->size = file->pointer_size;
  file->pointer->blob_id = g_strdup (file->blob_id);
  file->pointer->kind = file->kind;
  file->pointer->version = file->version;
  file->pointer->repo = file->repo;
  file->pointer->text = g_bytes_new_take (g_steal_pointer (&pointer), file->pointer_size);
}

static void
mock_file_set_text (MockFile   *file,
                    const char *text,
                    guint64     pad_to,
                    const char *blob_id)
{
  gsize len;
  const guint8 *data;

  file->text = pad_text (file->path, text, pad_to);
  data = g_bytes_get_data (file->text, &len);
  file->size = len;
  file->blob_id = blob_id ? g_strdup (blob_id) : git_blob_id (data, len);
}

/* The version of @file that is served now (see mm_mock_hub_set_file_version()). */
static const MockFile *
mock_file_current (const MockFile *file)
{
  const MockFile *current = g_atomic_pointer_get (&((MockFile *) file)->current);

  return current ? current : file;
}

/* Another version of the LFS file @base: same path and size, other bytes. */
static MockFile *
mock_file_new_version (const MockFile *base,
                       guint           version)
{
  MockFile *file = g_new0 (MockFile, 1);

  file->repo = base->repo;
  file->kind = base->kind;
  file->path = g_strdup (base->path);
  file->size = base->size;
  file->gguf_header = base->gguf_header ? g_bytes_ref (base->gguf_header) : NULL;
  file->version = version;
  file->seed = splitmix64 (base->seed ^ (G_GUINT64_CONSTANT (0x5eed) * version));
  mock_file_set_lfs (file, NULL, NULL);
  return file;
}

static const char *
mock_repo_dir_oid (const RepoSpec *spec,
                   const char     *dir)
{
  for (guint i = 0; spec->dir_oids && spec->dir_oids[i]; i += 2)
    if (g_str_equal (spec->dir_oids[i], dir))
      return spec->dir_oids[i + 1];
  return NULL;
}

/* Tree order: files in catalog order, each directory listed just before its
 * first file (as in tree-recursive.json). */
static void
mock_repo_build_entries (MockRepo       *repo,
                         const RepoSpec *spec)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < repo->files->len; i++)
    {
      MockFile *file = g_ptr_array_index (repo->files, i);
      MockEntry *entry;

      for (const char *slash = strchr (file->path, '/'); slash; slash = strchr (slash + 1, '/'))
        {
          g_autofree char *dir = g_strndup (file->path, slash - file->path);
          const char *fixed;

          if (*dir == '\0' || g_hash_table_contains (seen, dir))
            continue;

          entry = g_new0 (MockEntry, 1);
          entry->is_dir = TRUE;
          entry->path = g_steal_pointer (&dir);
          fixed = mock_repo_dir_oid (spec, entry->path);
          if (fixed)
            entry->oid = g_strdup (fixed);
          else
            {
              g_autofree char *key = g_strdup_printf ("tree\n%s\n%s", repo->id, entry->path);
              entry->oid = g_compute_checksum_for_string (G_CHECKSUM_SHA1, key, -1);
            }
          g_hash_table_add (seen, entry->path);
          g_ptr_array_add (repo->entries, entry);
        }

      entry = g_new0 (MockEntry, 1);
      entry->path = g_strdup (file->path);
      entry->file = file;
      g_ptr_array_add (repo->entries, entry);
    }
}

static char *
derive_hex (const char    *kind,
            const char    *id,
            GChecksumType  type,
            gsize          len)
{
  g_autofree char *key = g_strconcat (kind, "\n", id, NULL);
  g_autofree char *hex = g_compute_checksum_for_string (type, key, -1);

  return g_strndup (hex, len);
}

static MockRepo *
mock_repo_new (const RepoSpec *spec)
{
  MockRepo *repo = g_new0 (MockRepo, 1);
  const char *slash = strchr (spec->id, '/');
  guint64 largest = 0;

  g_assert (slash);

  repo->id = g_strdup (spec->id);
  repo->author = g_strndup (spec->id, slash - spec->id);
  repo->name = g_strdup (slash + 1);
  repo->object_id = spec->object_id ? g_strdup (spec->object_id)
                                    : derive_hex ("object", spec->id, G_CHECKSUM_SHA1, 24);
  repo->sha = spec->sha ? g_strdup (spec->sha)
                        : derive_hex ("commit", spec->id, G_CHECKSUM_SHA1, 40);
  repo->pipeline_tag = g_strdup (spec->pipeline_tag);
  repo->library_name = g_strdup (spec->library_name);
  repo->tags = g_strsplit (spec->tags, ",", -1);
  repo->downloads = spec->downloads;
  repo->likes = spec->likes;
  repo->trending_score = spec->trending_score;
  repo->created_at = g_strdup (spec->created_at);
  repo->last_modified = g_strdup (spec->last_modified);
  repo->gated = g_strdup (spec->gated);
  repo->disabled = spec->disabled;
  repo->is_private = spec->is_private;
  repo->license = g_strdup (spec->license);
  repo->base_model = g_strdup (spec->base_model);
  repo->gguf_strings = g_ptr_array_new_with_free_func (g_free);
  repo->files = g_ptr_array_new_with_free_func ((GDestroyNotify) mock_file_free);
  repo->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) mock_entry_free);

  if (spec->gguf)
    {
      const char *strings[] = { spec->gguf->architecture, spec->gguf->chat_template,
                                spec->gguf->bos_token, spec->gguf->eos_token };
      const char **copies[] = { &repo->gguf.architecture, &repo->gguf.chat_template,
                                &repo->gguf.bos_token, &repo->gguf.eos_token };

      repo->has_gguf = TRUE;
      repo->gguf = *spec->gguf;
      for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
        {
          char *copy = g_strdup (strings[i]);

          if (copy)
            g_ptr_array_add (repo->gguf_strings, copy);
          *copies[i] = copy;
        }
    }

  /* LFS and fixed files first; cards last, because a card lists the files. */
  for (const FileSpec *fs = spec->files; fs->path; fs++)
    {
      MockFile *file = g_new0 (MockFile, 1);

      file->repo = repo;
      file->kind = fs->kind;
      file->path = g_strdup (fs->path);
      file->seed = fnv1a64 (spec->id, fs->path);
      file->version = 1;
      g_ptr_array_add (repo->files, file);

      switch (fs->kind)
        {
        case FILE_LFS:
          file->size = fs->size;
          if (g_str_has_suffix (fs->path, ".gguf"))
            {
              file->gguf_header = make_gguf_header (repo, spec->files, fs->path, fs->size);
              if (file->gguf_header == NULL && fs->size >= sizeof empty_gguf_header)
                file->gguf_header = g_bytes_new_static (empty_gguf_header,
                                                        sizeof empty_gguf_header);
            }
          mock_file_set_lfs (file, fs->sha256, fs->xet_hash);
          if (file->gguf_header && !g_str_has_prefix (fs->path, "mmproj"))
            largest = MAX (largest, file->size);
          break;

        case FILE_TEXT:
          mock_file_set_text (file, fs->text, fs->size, fs->blob_id);
          break;

        case FILE_GITATTRIBUTES:
          {
            g_autofree char *text = make_gitattributes ();
            mock_file_set_text (file, text, fs->size, fs->blob_id);
          }
          break;

        case FILE_CONFIG:
          {
            g_autofree char *text = make_config (repo);
            mock_file_set_text (file, text, fs->size, fs->blob_id);
          }
          break;

        case FILE_CARD:
        default:
          break;
        }
    }

  for (guint i = 0; i < spec->log_files; i++)
    {
      MockFile *file = g_new0 (MockFile, 1);
      g_autofree char *text = g_strdup_printf ("step %u: loss %u.%03u\n", i + 1,
                                               3 - MIN (i / 400, 2), (i * 37) % 1000);

      file->repo = repo;
      file->kind = FILE_TEXT;
      file->path = g_strdup_printf ("logs/step-%04u.txt", i + 1);
      file->seed = fnv1a64 (spec->id, file->path);
      file->version = 1;
      mock_file_set_text (file, text, 0, NULL);
      g_ptr_array_add (repo->files, file);
    }

  for (guint i = 0; i < repo->files->len; i++)
    {
      MockFile *file = g_ptr_array_index (repo->files, i);

      if (file->kind == FILE_CARD)
        {
          g_autofree char *text = make_card (repo);
          mock_file_set_text (file, text, 0, NULL);
        }
      repo->used_storage += file->size;
    }

  if (repo->has_gguf && repo->gguf.total_file_size == 0)
    repo->gguf.total_file_size = largest;

  mock_repo_build_entries (repo, spec);
  return repo;
}

static char *
format_date (int year,
             int day_of_year,
             int second_of_day)
{
  g_autoptr(GDateTime) start = g_date_time_new_utc (year, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) date = g_date_time_add_seconds (start,
                                                       day_of_year * 86400.0 + second_of_day);

  return g_date_time_format (date, "%Y-%m-%dT%H:%M:%S.000Z");
}

/* Filler repos: many plausible GGUF repos whose counters are spread with
 * different multipliers, so that each sort key orders them differently. */
static MockRepo *
make_filler_repo (guint i,
                  gboolean gguf)
{
  guint64 params = (guint64) (i + 1) * 1000000000;
  g_autofree char *id = NULL;
  g_autofree char *created = NULL;
  g_autofree char *modified = NULL;
  g_autofree char *q4 = NULL;
  g_autofree char *q5 = NULL;
  g_autofree char *q8 = NULL;
  g_autofree char *base = NULL;
  /* A plausible shape for the size: rows a multiple of 256, heads of 128. */
  guint64 embedding = params < 2000000000 ? 2048 : params < 4000000000 ? 3072 :
                      params < 10000000000 ? 4096 : params < 20000000000 ? 5120 :
                      params < 35000000000 ? 6144 : 8192;
  guint64 layers = MAX ((params - 2 * embedding * 32000) / (13 * embedding * embedding), 1);
  GgufSpec gguf_spec = { params, "llama", 4096 << (i % 4), NULL, "<s>", "</s>", 0,
                         layers, embedding, embedding / 128, 8 };
  int created_day = (i * 37) % 360;
  RepoSpec spec = {
    .pipeline_tag = (i % 5 == 4) ? NULL : "text-generation",
    .library_name = (i % 7 == 3) ? "transformers" : NULL,
    .downloads = (gint64) ((i * 7919) % 100003) + i,
    .likes = (gint64) ((i * 613) % 997),
    .trending_score = (gint64) ((i * 29) % 47),
    .license = (i % 2) ? "apache-2.0" : "mit",
  };

  if (gguf)
    {
      FileSpec files[] = {
        GITATTRIBUTES,
        CARD,
        { FILE_LFS, NULL, params * 49 / 80 },
        { FILE_LFS, NULL, params * 57 / 80 },
        { FILE_LFS, NULL, params * 85 / 80 },
        END_FILES
      };

      id = g_strdup_printf ("%s/Filler-Model-%02uB-GGUF",
                            filler_authors[i % G_N_ELEMENTS (filler_authors)], i + 1);
      base = g_strdup_printf ("filler-base/Filler-Model-%02uB", i + 1);
      q4 = g_strdup_printf ("Filler-Model-%02uB-Q4_K_M.gguf", i + 1);
      q5 = g_strdup_printf ("Filler-Model-%02uB-Q5_K_M.gguf", i + 1);
      q8 = g_strdup_printf ("Filler-Model-%02uB-Q8_0.gguf", i + 1);
      files[2].path = q4;
      files[3].path = q5;
      files[4].path = q8;
      spec.tags = (i % 3 == 0) ? "gguf,llama,text-generation,region:us"
                               : "gguf,llama,text-generation,conversational,region:us";
      spec.base_model = base;
      spec.gguf = &gguf_spec;
      spec.files = files;
      created = format_date (2025, created_day, (i * 1777) % 86400);
      modified = format_date (2025, created_day + (i * 53) % 300, (i * 911) % 86400);
      spec.id = id;
      spec.created_at = created;
      spec.last_modified = modified;
      return mock_repo_new (&spec);
    }
  else
    {
      FileSpec files[] = {
        GITATTRIBUTES,
        CARD,
        CONFIG,
        LFS ("model.safetensors", params * 2),
        END_FILES
      };

      id = g_strdup_printf ("filler-org/Filler-Safetensors-%02u", i + 1);
      spec.id = id;
      spec.tags = "transformers,safetensors,llama,text-generation,region:us";
      spec.library_name = "transformers";
      spec.files = files;
      created = format_date (2025, created_day, 0);
      modified = format_date (2025, created_day + 3, 0);
      spec.created_at = created;
      spec.last_modified = modified;
      return mock_repo_new (&spec);
    }
}

/* ------------------------------------------------------------------------ */
/* The object                                                                */
/* ------------------------------------------------------------------------ */

struct _MmMockHub
{
  GObject         parent_instance;

  /* Immutable after mm_mock_hub_new() returns. */
  GPtrArray      *repos;          /* (element-type MockRepo) */
  GHashTable     *repo_index;     /* id → MockRepo */
  GHashTable     *cdn_index;      /* "object_id/sha256" → MockFile */
  char           *url;
  char           *cdn_url;
  guint           port;

  /* Owned by the server thread while it runs. */
  GThread        *thread;
  GMainContext   *context;
  GMainLoop      *loop;
  SoupServer     *hub_server;
  SoupServer     *cdn_server;
  GSocketService *hub_service;
  GSocketService *cdn_service;

  GMutex          mutex;
  GCond           cond;
  gboolean        started;
  GError         *start_error;

  /* Everything below is protected by @mutex. */
  guint           request_serial;
  guint           search_page_size;
  guint           search_limit_cap;
  guint           max_search_limit;    /* the largest `limit` honoured */
  guint           tree_page_size;
  guint           fail_status;
  guint           fail_count;
  guint           fail_retry_after;
  MmMockBody      body_mode;
  guint           body_count;
  guint           delay_ms;
  MmMockRefusedToken refused_token;
  guint           cdn_fail_status;
  guint           cdn_fail_count;
  guint           cdn_fail_retry_after;
  guint64         cdn_drop_after;
  guint           cdn_drop_count;
  guint64         cdn_stall_after;
  guint           cdn_stall_count;
  guint64         cdn_short_by;
  guint           cdn_short_count;
  guint64         cdn_corrupt_at;
  guint           cdn_corrupt_count;
  guint64         cdn_rate;
  gboolean        cdn_ignore_range;
  gboolean        resolve_cache;       /* small files redirect to /api/resolve-cache */
  guint           cdn_max_connections; /* 0 = no limit */
  char           *cdn_etag;            /* (nullable) the ETag every CDN answer gives */
  guint           cdn_active;          /* CDN bodies being sent now */
  guint           cdn_peak;            /* the most at once since the last reset */
  guint64         cdn_bytes_sent;      /* CDN body bytes since the last reset */
  guint           cdn_url_issue;       /* signed URLs handed out */
  guint           cdn_expired_through; /* those up to this one answer 403 */
  GHashTable     *version_files;  /* "repo\npath\nversion" → MockFile (owned) */
  GHashTable     *cdn_versions;   /* "object_id/sha256" → MockFile of version_files */
  GPtrArray      *cdn_ranges;     /* (element-type utf8): Range of each CDN GET */
  GPtrArray      *request_paths;
  FILE           *request_log;    /* (nullable) one line per request, for other processes */
  char           *last_user_agent;
  char           *last_hub_auth;
  char           *last_cdn_auth;
};

G_DEFINE_FINAL_TYPE (MmMockHub, mm_mock_hub, G_TYPE_OBJECT)

/* ------------------------------------------------------------------------ */
/* Requests                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct {
  char *key;
  char *value;
} QueryParam;

typedef struct {
  SoupServerMessage *msg;        /* (unowned) */
  const char        *method;
  const char        *raw_path;   /* percent-encoded, as received */
  const char        *raw_query;  /* (nullable) */
  char             **segments;   /* decoded path segments */
  guint              n_segments;
  GPtrArray         *query;      /* (element-type QueryParam) */
  gboolean           head;
} Request;

static void
query_param_free (QueryParam *param)
{
  g_free (param->key);
  g_free (param->value);
  g_free (param);
}

static char *
form_unescape (const char *str,
               gssize      len)
{
  g_autofree char *copy = len < 0 ? g_strdup (str) : g_strndup (str, len);
  char *decoded;

  g_strdelimit (copy, "+", ' ');
  decoded = g_uri_unescape_string (copy, NULL);
  return decoded ? decoded : g_steal_pointer (&copy);
}

static void
request_free (Request *req)
{
  g_strfreev (req->segments);
  g_ptr_array_unref (req->query);
  g_free (req);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static Request *
request_new (SoupServerMessage *msg)
{
  Request *req = g_new0 (Request, 1);
  GUri *uri = soup_server_message_get_uri (msg);
  g_auto(GStrv) raw_segments = NULL;
  g_auto(GStrv) pairs = NULL;
  guint n;

  req->msg = msg;
  req->method = soup_server_message_get_method (msg);
  req->head = req->method == SOUP_METHOD_HEAD;
  req->raw_path = g_uri_get_path (uri);
  req->raw_query = g_uri_get_query (uri);
  req->query = g_ptr_array_new_with_free_func ((GDestroyNotify) query_param_free);

  /* Split before decoding, so that "%2F" inside a revision or a file name
   * stays part of its segment. */
  raw_segments = g_strsplit (req->raw_path[0] == '/' ? req->raw_path + 1 : req->raw_path,
                             "/", -1);
  n = g_strv_length (raw_segments);
  if (n > 0 && raw_segments[n - 1][0] == '\0')
    n--;
  req->segments = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      char *decoded = g_uri_unescape_string (raw_segments[i], NULL);
      req->segments[i] = decoded ? decoded : g_strdup (raw_segments[i]);
    }
  req->n_segments = n;

  pairs = g_strsplit (req->raw_query ? req->raw_query : "", "&", -1);
  for (guint i = 0; pairs[i]; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      QueryParam *param;

      if (pairs[i][0] == '\0')
        continue;
      param = g_new0 (QueryParam, 1);
      param->key = form_unescape (pairs[i], eq ? eq - pairs[i] : -1);
      param->value = eq ? form_unescape (eq + 1, -1) : g_strdup ("");
      g_ptr_array_add (req->query, param);
    }

  return req;
}

static const char *
request_get_param (const Request *req,
                   const char    *key)
{
  for (guint i = 0; i < req->query->len; i++)
    {
      const QueryParam *param = g_ptr_array_index (req->query, i);

      if (g_str_equal (param->key, key))
        return param->value;
    }
  return NULL;
}

/* Collects every value of @key and of "@key[]"; comma-separated values are
 * split too, so "expand=a,b" and "expand=a&expand=b" mean the same. */
static GPtrArray *
request_get_list (const Request *req,
                  const char    *key)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *bracket_key = g_strconcat (key, "[]", NULL);

  for (guint i = 0; i < req->query->len; i++)
    {
      const QueryParam *param = g_ptr_array_index (req->query, i);
      g_auto(GStrv) parts = NULL;

      if (!g_str_equal (param->key, key) && !g_str_equal (param->key, bracket_key))
        continue;
      parts = g_strsplit (param->value, ",", -1);
      for (guint j = 0; parts[j]; j++)
        if (parts[j][0] != '\0')
          g_ptr_array_add (values, g_strdup (parts[j]));
    }

  return values;
}

static gboolean
request_get_bool (const Request *req,
                  const char    *key)
{
  const char *value = request_get_param (req, key);

  return value && (g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1"));
}

static char *
request_join_segments (const Request *req,
                       guint          first)
{
  if (first >= req->n_segments)
    return g_strdup ("");
  return g_strjoinv ("/", req->segments + first);
}

/* ------------------------------------------------------------------------ */
/* Responses                                                                 */
/* ------------------------------------------------------------------------ */

static void
set_header (SoupServerMessage *msg,
            const char        *name,
            const char        *value)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), name, value);
}

static void
set_header_printf (SoupServerMessage *msg,
                   const char        *name,
                   const char        *format,
                   ...) G_GNUC_PRINTF (3, 4);

static void
set_header_printf (SoupServerMessage *msg,
                   const char        *name,
                   const char        *format,
                   ...)
{
  g_autofree char *value = NULL;
  va_list args;

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);
  set_header (msg, name, value);
}

static void
reply_text (SoupServerMessage *msg,
            guint              status,
            const char        *content_type,
            const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, text, strlen (text));
}

/* An error in the shape of error-responses.json: {"error": message} plus the
 * X-Error-Code (when @code is set) and X-Error-Message headers. */
static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *code,
             const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  if (code)
    set_header (msg, "X-Error-Code", code);
  set_header (msg, "X-Error-Message", message);
  reply_text (msg, status, "application/json; charset=utf-8", body);
}

static void
reply_not_found (SoupServerMessage *msg)
{
  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_STATIC,
                                    "{\"error\":\"Not Found\"}",
                                    strlen ("{\"error\":\"Not Found\"}"));
}

static void
reply_repo_not_found (SoupServerMessage *msg)
{
  reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "RepoNotFound", "Invalid username or password.");
}

static void
reply_entry_not_found (SoupServerMessage *msg)
{
  reply_error (msg, SOUP_STATUS_NOT_FOUND, "EntryNotFound", "Entry not found");
}

static void
reply_bad_token (SoupServerMessage *msg)
{
  reply_error (msg, SOUP_STATUS_UNAUTHORIZED, NULL, "Invalid credentials in Authorization header");
}

/* Every member of every object becomes a value of another JSON type. The
 * top-level container is kept, so a client gets as far as reading fields. */
static JsonNode *
wrong_type_node (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return json_from_string ("7", NULL);
    case JSON_NODE_ARRAY:
      return json_from_string ("\"not-an-array\"", NULL);
    case JSON_NODE_NULL:
      return json_from_string ("\"null\"", NULL);
    case JSON_NODE_VALUE:
    default:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return json_from_string ("42", NULL);
      else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        return json_from_string ("\"yes\"", NULL);
      return json_from_string ("\"not-a-number\"", NULL);
    }
}

static void
mangle_object (JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l; l = l->next)
    json_object_set_member (object, l->data,
                            wrong_type_node (json_object_get_member (object, l->data)));
}

static void
mangle_wrong_types (JsonNode *root)
{
  if (JSON_NODE_HOLDS_OBJECT (root))
    mangle_object (json_node_get_object (root));
  else if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element))
            mangle_object (json_node_get_object (element));
        }
    }
}

/* Sends a successful API answer; the body mode may mangle it. Takes @root. */
static void
reply_json (MmMockHub         *self,
            SoupServerMessage *msg,
            JsonNode          *root)
{
  g_autoptr(JsonNode) owned = root;
  g_autofree char *body = NULL;
  MmMockBody mode = MM_MOCK_BODY_NORMAL;

  g_mutex_lock (&self->mutex);
  if (self->body_count > 0 && self->body_mode != MM_MOCK_BODY_NORMAL)
    {
      mode = self->body_mode;
      self->body_count--;
    }
  g_mutex_unlock (&self->mutex);

  if (mode == MM_MOCK_BODY_WRONG_TYPES)
    mangle_wrong_types (owned);

  body = json_to_string (owned, FALSE);

  switch (mode)
    {
    case MM_MOCK_BODY_MALFORMED:
      g_free (body);
      body = g_strdup ("<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>");
      break;
    case MM_MOCK_BODY_TRUNCATED:
      body[strlen (body) / 2] = '\0';
      break;
    case MM_MOCK_BODY_EMPTY:
      body[0] = '\0';
      break;
    case MM_MOCK_BODY_NORMAL:
    case MM_MOCK_BODY_WRONG_TYPES:
    default:
      break;
    }

  reply_text (msg, SOUP_STATUS_OK, "application/json; charset=utf-8", body);
}

/* ------------------------------------------------------------------------ */
/* Model JSON                                                                */
/* ------------------------------------------------------------------------ */

static const char *const model_info_keys[] = {
  "_id", "id", "private", "pipeline_tag", "library_name", "tags", "downloads", "likes",
  "modelId", "author", "sha", "lastModified", "gated", "disabled", "model-index", "config",
  "cardData", "gguf", "siblings", "spaces", "createdAt", "usedStorage", NULL
};

static const char *const search_default_keys[] = {
  "_id", "id", "likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag",
  "library_name", "createdAt", "modelId", NULL
};

/* ExpandModelProperty_T of huggingface_hub. */
static const char *const expand_keys[] = {
  "author", "baseModels", "cardData", "childrenModelCount", "config", "createdAt", "disabled",
  "downloads", "downloadsAllTime", "evalResults", "gated", "gguf", "inference",
  "inferenceProviderMapping", "lastModified", "library_name", "likes", "mask_token",
  "model-index", "pipeline_tag", "private", "resourceGroup", "safetensors", "sha", "siblings",
  "spaces", "tags", "transformersInfo", "trendingScore", "usedStorage", "widgetData", NULL
};

static JsonObject *
make_card_data (const MockRepo *repo)
{
  JsonObject *card = json_object_new ();

  if (repo->license)
    json_object_set_string_member (card, "license", repo->license);
  if (repo->base_model)
    {
      JsonArray *base = json_array_new ();

      json_array_add_string_element (base, repo->base_model);
      json_object_set_array_member (card, "base_model", base);
    }
  if (repo->pipeline_tag)
    json_object_set_string_member (card, "pipeline_tag", repo->pipeline_tag);

  return card;
}

static JsonObject *
make_gguf (const MockRepo *repo)
{
  JsonObject *gguf = json_object_new ();

  json_object_set_int_member (gguf, "total", repo->gguf.total);
  if (repo->gguf.architecture)
    json_object_set_string_member (gguf, "architecture", repo->gguf.architecture);
  if (repo->gguf.context_length)
    json_object_set_int_member (gguf, "context_length", repo->gguf.context_length);
  if (repo->gguf.chat_template)
    json_object_set_string_member (gguf, "chat_template", repo->gguf.chat_template);
  if (repo->gguf.bos_token)
    json_object_set_string_member (gguf, "bos_token", repo->gguf.bos_token);
  if (repo->gguf.eos_token)
    json_object_set_string_member (gguf, "eos_token", repo->gguf.eos_token);
  json_object_set_int_member (gguf, "totalFileSize", repo->gguf.total_file_size);

  return gguf;
}

/* The parameters of a repository's safetensors weights, as the Hub counts
 * them (`safetensors.total`): the mock's are all BF16, two bytes each.
 * 0 when the repository has none. */
static gint64
safetensors_parameters (const MockRepo *repo)
{
  guint64 bytes = 0;

  for (guint i = 0; i < repo->files->len; i++)
    {
      const MockFile *file = mock_file_current (g_ptr_array_index (repo->files, i));

      if (g_str_has_suffix (file->path, ".safetensors"))
        bytes += file->size;
    }
  return (gint64) (bytes / 2);
}

/* The count the Hub filters `num_parameters` on: the GGUF's, else the
 * safetensors'; 0 = unknown. */
static gint64
repo_parameters (const MockRepo *repo)
{
  if (repo->has_gguf && repo->gguf.total > 0)
    return repo->gguf.total;
  return safetensors_parameters (repo);
}

static JsonObject *
make_safetensors (const MockRepo *repo)
{
  JsonObject *safetensors = json_object_new ();
  JsonObject *parameters = json_object_new ();

  json_object_set_int_member (parameters, "BF16", safetensors_parameters (repo));
  json_object_set_object_member (safetensors, "parameters", parameters);
  json_object_set_int_member (safetensors, "total", safetensors_parameters (repo));
  return safetensors;
}

static JsonArray *
make_siblings (const MockRepo *repo,
               gboolean        blobs)
{
  JsonArray *siblings = json_array_new ();

  for (guint i = 0; i < repo->files->len; i++)
    {
      const MockFile *file = mock_file_current (g_ptr_array_index (repo->files, i));
      JsonObject *sibling = json_object_new ();

      json_object_set_string_member (sibling, "rfilename", file->path);
      if (blobs)
        {
          json_object_set_string_member (sibling, "blobId", file->blob_id);
          json_object_set_int_member (sibling, "size", file->size);
          if (file->sha256)
            {
              JsonObject *lfs = json_object_new ();

              json_object_set_string_member (lfs, "sha256", file->sha256);
              json_object_set_int_member (lfs, "size", file->size);
              json_object_set_int_member (lfs, "pointerSize", file->pointer_size);
              json_object_set_object_member (sibling, "lfs", lfs);
            }
        }
      json_array_add_object_element (siblings, sibling);
    }

  return siblings;
}

/* Adds the property @key of @repo to @object, as the Hub names and types it.
 * Properties without a value (pipeline_tag of an untagged repo) and
 * properties the mock does not model are left out. */
static void
add_model_property (JsonObject     *object,
                    const MockRepo *repo,
                    const char     *key,
                    gboolean        blobs)
{
  if (g_str_equal (key, "_id"))
    json_object_set_string_member (object, key, repo->object_id);
  else if (g_str_equal (key, "id") || g_str_equal (key, "modelId"))
    json_object_set_string_member (object, key, repo->id);
  else if (g_str_equal (key, "author"))
    json_object_set_string_member (object, key, repo->author);
  else if (g_str_equal (key, "sha"))
    json_object_set_string_member (object, key, repo->sha);
  else if (g_str_equal (key, "private"))
    json_object_set_boolean_member (object, key, repo->is_private);
  else if (g_str_equal (key, "disabled"))
    json_object_set_boolean_member (object, key, repo->disabled);
  else if (g_str_equal (key, "pipeline_tag") && repo->pipeline_tag)
    json_object_set_string_member (object, key, repo->pipeline_tag);
  else if (g_str_equal (key, "library_name") && repo->library_name)
    json_object_set_string_member (object, key, repo->library_name);
  else if (g_str_equal (key, "tags"))
    {
      JsonArray *tags = json_array_new ();

      for (guint i = 0; repo->tags[i]; i++)
        json_array_add_string_element (tags, repo->tags[i]);
      json_object_set_array_member (object, key, tags);
    }
  else if (g_str_equal (key, "downloads"))
    json_object_set_int_member (object, key, repo->downloads);
  else if (g_str_equal (key, "downloadsAllTime"))
    json_object_set_int_member (object, key, repo->downloads * 9);
  else if (g_str_equal (key, "likes"))
    json_object_set_int_member (object, key, repo->likes);
  else if (g_str_equal (key, "trendingScore"))
    json_object_set_int_member (object, key, repo->trending_score);
  else if (g_str_equal (key, "lastModified"))
    json_object_set_string_member (object, key, repo->last_modified);
  else if (g_str_equal (key, "createdAt"))
    json_object_set_string_member (object, key, repo->created_at);
  else if (g_str_equal (key, "gated"))
    {
      if (repo->gated)
        json_object_set_string_member (object, key, repo->gated);
      else
        json_object_set_boolean_member (object, key, FALSE);
    }
  else if (g_str_equal (key, "model-index"))
    json_object_set_null_member (object, key);
  else if (g_str_equal (key, "config"))
    json_object_set_object_member (object, key, json_object_new ());
  else if (g_str_equal (key, "cardData"))
    json_object_set_object_member (object, key, make_card_data (repo));
  else if (g_str_equal (key, "gguf") && repo->has_gguf)
    json_object_set_object_member (object, key, make_gguf (repo));
  else if (g_str_equal (key, "safetensors") && safetensors_parameters (repo) > 0)
    json_object_set_object_member (object, key, make_safetensors (repo));
  else if (g_str_equal (key, "siblings"))
    json_object_set_array_member (object, key, make_siblings (repo, blobs));
  else if (g_str_equal (key, "spaces"))
    json_object_set_array_member (object, key, json_array_new ());
  else if (g_str_equal (key, "usedStorage"))
    json_object_set_int_member (object, key, repo->used_storage);
}

static JsonNode *
make_model_node (const MockRepo    *repo,
                 const char *const *keys,
                 GPtrArray         *expand,
                 gboolean           blobs)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  if (expand && expand->len > 0)
    {
      /* "Only the listed properties (and id)", in the order asked for. */
      add_model_property (object, repo, "_id", FALSE);
      add_model_property (object, repo, "id", FALSE);
      for (guint i = 0; i < expand->len; i++)
        if (!json_object_has_member (object, g_ptr_array_index (expand, i)))
          add_model_property (object, repo, g_ptr_array_index (expand, i), blobs);
    }
  else
    {
      for (guint i = 0; keys[i]; i++)
        add_model_property (object, repo, keys[i], blobs);
    }

  json_node_take_object (node, object);
  return node;
}

/* Checks the expand values; replies 400 and returns FALSE when one is unknown. */
static gboolean
check_expand (SoupServerMessage *msg,
              GPtrArray         *expand)
{
  for (guint i = 0; i < expand->len; i++)
    {
      const char *key = g_ptr_array_index (expand, i);

      if (!g_strv_contains (expand_keys, key))
        {
          g_autofree char *message = g_strdup_printf ("Invalid expand value: \"%s\"", key);

          reply_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, message);
          return FALSE;
        }
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Pagination                                                                */
/* ------------------------------------------------------------------------ */

static char *
encode_cursor (guint offset)
{
  g_autofree char *json = g_strdup_printf ("{\"offset\":%u}", offset);

  return g_base64_encode ((const guchar *) json, strlen (json));
}

/* Parses an opaque cursor; replies 400 and returns FALSE when it is bad. */
static gboolean
decode_cursor (SoupServerMessage *msg,
               const char        *cursor,
               guint             *offset)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  JsonObject *object;

  *offset = 0;
  if (!cursor)
    return TRUE;

  decoded = g_base64_decode (cursor, &len);
  text = g_strndup ((const char *) decoded, len);
  if (g_utf8_validate (text, -1, NULL))
    node = json_from_string (text, NULL);

  if (node && JSON_NODE_HOLDS_OBJECT (node))
    {
      object = json_node_get_object (node);
      if (json_object_has_member (object, "offset") &&
          json_node_get_value_type (json_object_get_member (object, "offset")) == G_TYPE_INT64 &&
          json_object_get_int_member (object, "offset") >= 0 &&
          json_object_get_int_member (object, "offset") <= G_MAXINT)
        {
          *offset = json_object_get_int_member (object, "offset");
          return TRUE;
        }
    }

  reply_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid cursor");
  return FALSE;
}

/* Sets `Link: <absolute next URL>; rel="next"`: the URL repeats every query
 * parameter of the request verbatim and replaces the cursor. */
static void
set_next_link (MmMockHub     *self,
               const Request *req,
               guint          next_offset)
{
  g_autoptr(GString) url = g_string_new (self->url);
  g_auto(GStrv) pairs = g_strsplit (req->raw_query ? req->raw_query : "", "&", -1);
  g_autofree char *cursor = encode_cursor (next_offset);
  g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);
  g_autofree char *link = NULL;

  g_string_append (url, req->raw_path);
  g_string_append_c (url, '?');
  for (guint i = 0; pairs[i]; i++)
    {
      if (pairs[i][0] == '\0' || g_str_has_prefix (pairs[i], "cursor="))
        continue;
      g_string_append_printf (url, "%s&", pairs[i]);
    }
  g_string_append_printf (url, "cursor=%s", escaped);

  link = g_strdup_printf ("<%s>; rel=\"next\"", url->str);
  set_header (req->msg, "Link", link);
}

/* ------------------------------------------------------------------------ */
/* Hub endpoints                                                             */
/* ------------------------------------------------------------------------ */

typedef enum {
  TOKEN_NONE,
  TOKEN_VALID,
  TOKEN_NOACCESS,
  TOKEN_INVALID,
} TokenKind;

static TokenKind
classify_token (SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  if (!auth)
    return TOKEN_NONE;
  if (g_str_equal (auth, "Bearer " MM_MOCK_HUB_TOKEN))
    return TOKEN_VALID;
  if (g_str_equal (auth, "Bearer " MM_MOCK_HUB_TOKEN_NOACCESS))
    return TOKEN_NOACCESS;
  return TOKEN_INVALID;
}

/* A private repo exists only for the account that can see it; everyone
 * else gets the same answer as for a repo that does not exist. */
static gboolean
repo_is_visible (const MockRepo    *repo,
                 SoupServerMessage *msg)
{
  return !repo->is_private || classify_token (msg) == TOKEN_VALID;
}

static MockRepo *
lookup_repo (MmMockHub     *self,
             const Request *req,
             guint          first)
{
  g_autofree char *id = NULL;
  MockRepo *repo;

  if (req->n_segments < first + 2)
    return NULL;
  id = g_strconcat (req->segments[first], "/", req->segments[first + 1], NULL);
  repo = g_hash_table_lookup (self->repo_index, id);
  return repo != NULL && repo_is_visible (repo, req->msg) ? repo : NULL;
}

/* Replies 404 RevisionNotFound and returns FALSE for an unknown revision. */
static gboolean
check_revision (SoupServerMessage *msg,
                const MockRepo    *repo,
                const char        *rev)
{
  g_autofree char *message = NULL;

  if (!rev || g_str_equal (rev, "main") || g_str_equal (rev, "HEAD") ||
      g_str_equal (rev, "refs/heads/main") || g_str_equal (rev, repo->sha))
    return TRUE;
  for (guint i = 0; repo->old_shas != NULL && i < repo->old_shas->len; i++)
    if (g_str_equal (rev, g_ptr_array_index (repo->old_shas, i)))
      return TRUE;

  message = g_strdup_printf ("Revision not found: %s", rev);
  reply_error (msg, SOUP_STATUS_NOT_FOUND, "RevisionNotFound", message);
  return FALSE;
}

/* Gated and disabled repos refuse downloads; replies and returns FALSE then. */
static gboolean
check_download_access (SoupServerMessage *msg,
                       const MockRepo    *repo)
{
  g_autofree char *message = NULL;

  if (repo->disabled)
    {
      reply_error (msg, SOUP_STATUS_FORBIDDEN, NULL, "Access to this resource is disabled.");
      return FALSE;
    }

  if (!repo->gated)
    return TRUE;

  switch (classify_token (msg))
    {
    case TOKEN_VALID:
      return TRUE;

    case TOKEN_NONE:
      message = g_strdup_printf ("Access to model %s is restricted. You must have access to it "
                                 "and be authenticated to access it. Please log in.", repo->id);
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "GatedRepo", message);
      return FALSE;

    case TOKEN_NOACCESS:
      message = g_strdup_printf ("Access to model %s is restricted and you are not in the "
                                 "authorized list. Visit https://huggingface.co/%s to ask for "
                                 "access.", repo->id, repo->id);
      reply_error (msg, SOUP_STATUS_FORBIDDEN, "GatedRepo", message);
      return FALSE;

    case TOKEN_INVALID:
    default:
      /* Only with MM_MOCK_REFUSED_TOKEN_AS_ANONYMOUS does a refused token
       * get this far (hub_handler_cb() refuses it otherwise): the answer is
       * the anonymous one, byte for byte. */
      message = g_strdup_printf ("Access to model %s is restricted. You must have access to it "
                                 "and be authenticated to access it. Please log in.", repo->id);
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "GatedRepo", message);
      return FALSE;
    }
}

typedef enum {
  SORT_NONE,
  SORT_DOWNLOADS,
  SORT_LIKES,
  SORT_TRENDING,
  SORT_LAST_MODIFIED,
  SORT_CREATED_AT,
  SORT_LIKES30D,
  SORT_NUM_PARAMETERS,
  SORT_MAIN_SIZE,
  SORT_ID,
  SORT_DOWNLOADS_ALL_TIME,
} SortKey;

/* Likes of the last 30 days: part of all likes, a different part per repo,
 * so that this order differs from sort=likes. */
static gint64
repo_likes30d (const MockRepo *repo)
{
  return repo->likes * (gint64) (fnv1a64 (repo->id, "likes30d") % 100) / 100;
}

/* The size of the repo's largest file (the model, for a model repo). */
static guint64
repo_main_size (const MockRepo *repo)
{
  guint64 size = 0;

  for (guint i = 0; i < repo->files->len; i++)
    size = MAX (size, ((const MockFile *) g_ptr_array_index (repo->files, i))->size);
  return size;
}

#define CMP_DESC(x, y) (((y) > (x)) - ((y) < (x)))

static int
compare_repos (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const MockRepo *ra = *(MockRepo **) a;
  const MockRepo *rb = *(MockRepo **) b;
  SortKey key = GPOINTER_TO_INT (user_data);
  int result = 0;

  /* Always descending; ties fall back to the object id, like a database index. */
  switch (key)
    {
    case SORT_DOWNLOADS:
      result = (rb->downloads > ra->downloads) - (rb->downloads < ra->downloads);
      break;
    case SORT_LIKES:
      result = (rb->likes > ra->likes) - (rb->likes < ra->likes);
      break;
    case SORT_TRENDING:
      result = (rb->trending_score > ra->trending_score) -
               (rb->trending_score < ra->trending_score);
      break;
    case SORT_LAST_MODIFIED:
      result = strcmp (rb->last_modified, ra->last_modified);
      break;
    case SORT_CREATED_AT:
      result = strcmp (rb->created_at, ra->created_at);
      break;
    case SORT_LIKES30D:
      result = CMP_DESC (repo_likes30d (ra), repo_likes30d (rb));
      break;
    case SORT_NUM_PARAMETERS:
      result = CMP_DESC (ra->has_gguf ? ra->gguf.total : 0, rb->has_gguf ? rb->gguf.total : 0);
      break;
    case SORT_MAIN_SIZE:
      result = CMP_DESC (repo_main_size (ra), repo_main_size (rb));
      break;
    case SORT_ID:
      result = strcmp (rb->id, ra->id);
      break;
    case SORT_DOWNLOADS_ALL_TIME:
      result = CMP_DESC (ra->downloads, rb->downloads);
      break;
    case SORT_NONE:
    default:
      break;
    }

  return result != 0 ? result : strcmp (rb->object_id, ra->object_id);
}

static gboolean
repo_matches (const MockRepo *repo,
              const char     *search_folded,
              const char     *author,
              const char     *pipeline_tag,
              GPtrArray      *filters)
{
  if (search_folded)
    {
      g_autofree char *id_folded = g_utf8_casefold (repo->id, -1);

      if (!strstr (id_folded, search_folded))
        return FALSE;
    }
  if (author && g_ascii_strcasecmp (author, repo->author) != 0)
    return FALSE;
  if (pipeline_tag && g_strcmp0 (pipeline_tag, repo->pipeline_tag) != 0)
    return FALSE;
  for (guint i = 0; i < filters->len; i++)
    if (!g_strv_contains ((const char *const *) repo->tags, g_ptr_array_index (filters, i)))
      return FALSE;
  return TRUE;
}

/* One bound of `num_parameters`: digits with an optional K, M, B or T
 * ("3B", "7340032000", "0"), as the Hub's size filter takes them. */
static gboolean
parse_parameter_count (const char *text,
                       gint64     *count)
{
  g_autofree char *digits = g_strdup (text);
  gsize len = strlen (digits);
  guint64 scale = 1;
  guint64 value;

  if (len > 0)
    switch (g_ascii_toupper (digits[len - 1]))
      {
      case 'K': scale = 1000; break;
      case 'M': scale = 1000000; break;
      case 'B': scale = 1000000000; break;
      case 'T': scale = G_GUINT64_CONSTANT (1000000000000); break;
      default: break;
      }
  if (scale != 1)
    digits[len - 1] = '\0';
  if (!g_ascii_string_to_unsigned (digits, 10, 0, G_MAXINT64 / scale, &value, NULL))
    return FALSE;
  *count = (gint64) (value * scale);
  return TRUE;
}

/* `num_parameters=min:3B,max:8B` (either bound may be missing): inclusive
 * bounds; -1 = none. FALSE for anything else. */
static gboolean
parse_num_parameters (const char *text,
                      gint64     *min,
                      gint64     *max)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  *min = -1;
  *max = -1;
  if (parts[0] == NULL)
    return FALSE;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (g_str_has_prefix (parts[i], "min:") && *min < 0)
        {
          if (!parse_parameter_count (parts[i] + 4, min))
            return FALSE;
        }
      else if (g_str_has_prefix (parts[i], "max:") && *max < 0)
        {
          if (!parse_parameter_count (parts[i] + 4, max))
            return FALSE;
        }
      else
        return FALSE;
    }
  return TRUE;
}

/* GET /api/models */
static void
handle_search (MmMockHub *self,
               Request   *req)
{
  static const struct { const char *name; SortKey key; } sorts[] = {
    { "downloads", SORT_DOWNLOADS },
    { "likes", SORT_LIKES },
    { "trendingScore", SORT_TRENDING },
    { "lastModified", SORT_LAST_MODIFIED },
    { "createdAt", SORT_CREATED_AT },
    { "likes30d", SORT_LIKES30D },
    { "num_parameters", SORT_NUM_PARAMETERS },
    { "mainSize", SORT_MAIN_SIZE },
    { "id", SORT_ID },
    { "downloadsAllTime", SORT_DOWNLOADS_ALL_TIME },
  };
  g_autoptr(GPtrArray) expand = request_get_list (req, "expand");
  g_autoptr(GPtrArray) filters = request_get_list (req, "filter");
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  g_autofree char *search_folded = NULL;
  const char *search = request_get_param (req, "search");
  const char *sort = request_get_param (req, "sort");
  const char *limit_str = request_get_param (req, "limit");
  const char *num_parameters = request_get_param (req, "num_parameters");
  gint64 min_parameters = -1;
  gint64 max_parameters = -1;
  guint limit_cap;
  JsonArray *array;
  JsonNode *root;
  SortKey sort_key = SORT_NONE;
  guint64 max_limit;
  guint64 limit;
  guint offset;

  g_mutex_lock (&self->mutex);
  limit = self->search_page_size;
  limit_cap = self->search_limit_cap;
  max_limit = self->max_search_limit;
  g_mutex_unlock (&self->mutex);

  if (!check_expand (req->msg, expand))
    return;

  if (sort)
    {
      for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
        if (g_str_equal (sort, sorts[i].name))
          sort_key = sorts[i].key;
      if (sort_key == SORT_NONE)
        {
          reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid sort parameter");
          return;
        }
    }

  if (limit_str)
    {
      if (!g_ascii_string_to_unsigned (limit_str, 10, 1, G_MAXUINT32, &limit, NULL))
        {
          reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid limit parameter");
          return;
        }
      limit = MIN (limit, max_limit);
    }
  if (limit_cap > 0)
    limit = MIN (limit, limit_cap);

  if (num_parameters != NULL &&
      !parse_num_parameters (num_parameters, &min_parameters, &max_parameters))
    {
      reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid num_parameters parameter");
      return;
    }

  if (!decode_cursor (req->msg, request_get_param (req, "cursor"), &offset))
    return;

  if (search && *search)
    search_folded = g_utf8_casefold (search, -1);

  for (guint i = 0; i < self->repos->len; i++)
    {
      MockRepo *repo = g_ptr_array_index (self->repos, i);

      if (num_parameters != NULL &&
          (repo_parameters (repo) == 0 ||
           (min_parameters >= 0 && repo_parameters (repo) < min_parameters) ||
           (max_parameters >= 0 && repo_parameters (repo) > max_parameters)))
        continue;
      if (repo_is_visible (repo, req->msg) &&
          repo_matches (repo, search_folded, request_get_param (req, "author"),
                        request_get_param (req, "pipeline_tag"), filters))
        g_ptr_array_add (matches, repo);
    }

  if (sort_key != SORT_NONE)
    g_ptr_array_sort_with_data (matches, compare_repos, GINT_TO_POINTER (sort_key));

  array = json_array_new ();
  for (guint i = offset; i < matches->len && i < offset + limit; i++)
    json_array_add_element (array, make_model_node (g_ptr_array_index (matches, i),
                                                    search_default_keys, expand, FALSE));

  if (offset + limit < matches->len)
    set_next_link (self, req, offset + limit);

  root = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (root, array);
  reply_json (self, req->msg, root);
}

/* GET /api/models/{org}/{name}[/revision/{rev}] */
static void
handle_model_info (MmMockHub      *self,
                   Request        *req,
                   const MockRepo *repo,
                   const char     *rev)
{
  g_autoptr(GPtrArray) expand = request_get_list (req, "expand");

  JsonNode *node;

  if (!check_revision (req->msg, repo, rev) || !check_expand (req->msg, expand))
    return;

  node = make_model_node (repo, model_info_keys, expand, request_get_bool (req, "blobs"));
  /* At an earlier commit (mm_mock_hub_set_repo_commit()) the answer names
   * that commit, as the Hub's does; the files stay today's. */
  for (guint i = 0; rev != NULL && repo->old_shas != NULL && i < repo->old_shas->len; i++)
    if (g_str_equal (rev, g_ptr_array_index (repo->old_shas, i)) &&
        json_object_has_member (json_node_get_object (node), "sha"))
      json_object_set_string_member (json_node_get_object (node), "sha", rev);
  reply_json (self, req->msg, node);
}

#define COMMIT_TITLE "Upload folder using huggingface_hub"
#define EXPANDED_TREE_PAGE 50

/* `lastCommit`: every file of the catalog came with the repo's last commit. */
static JsonObject *
make_last_commit (const MockRepo *repo)
{
  JsonObject *commit = json_object_new ();

  json_object_set_string_member (commit, "id", repo->sha);
  json_object_set_string_member (commit, "title", COMMIT_TITLE);
  json_object_set_string_member (commit, "date", repo->last_modified);
  return commit;
}

static JsonObject *
make_scan (const char *status)
{
  JsonObject *scan = json_object_new ();

  json_object_set_string_member (scan, "status", status);
  return scan;
}

/* `securityFileStatus`, in the shape of the Hub's OpenAPI description:
 * status, avScan and pickleImportScan (each with its own status). */
static JsonObject *
make_security_status (const MockFile *file)
{
  JsonObject *status = json_object_new ();
  JsonObject *pickle = make_scan ("unscanned");

  json_object_set_string_member (status, "status", "safe");
  json_object_set_object_member (status, "avScan", make_scan ("safe"));
  json_object_set_array_member (pickle, "pickleImports", json_array_new ());
  json_object_set_object_member (status, "pickleImportScan", pickle);
  return status;
}

static JsonNode *
make_tree_entry (const MockRepo  *repo,
                 const MockEntry *entry,
                 gboolean         expand)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  if (entry->is_dir)
    {
      json_object_set_string_member (object, "type", "directory");
      json_object_set_string_member (object, "oid", entry->oid);
      json_object_set_int_member (object, "size", 0);
      json_object_set_string_member (object, "path", entry->path);
    }
  else
    {
      const MockFile *file = mock_file_current (entry->file);

      json_object_set_string_member (object, "type", "file");
      json_object_set_string_member (object, "oid", file->blob_id);
      json_object_set_int_member (object, "size", file->size);
      json_object_set_string_member (object, "path", file->path);
      if (file->sha256)
        {
          JsonObject *lfs = json_object_new ();

          json_object_set_string_member (lfs, "oid", file->sha256);
          json_object_set_int_member (lfs, "size", file->size);
          json_object_set_int_member (lfs, "pointerSize", file->pointer_size);
          json_object_set_object_member (object, "lfs", lfs);
          json_object_set_string_member (object, "xetHash", file->xet_hash);
        }
    }

  if (expand)
    {
      json_object_set_object_member (object, "lastCommit", make_last_commit (repo));
      if (!entry->is_dir)
        json_object_set_object_member (object, "securityFileStatus",
                                       make_security_status (entry->file));
    }

  json_node_take_object (node, object);
  return node;
}

/* GET /api/models/{org}/{name}/tree/{rev}[/{path}] */
static void
handle_tree (MmMockHub      *self,
             Request        *req,
             const MockRepo *repo)
{
  g_autofree char *folder = request_join_segments (req, 6);
  g_autofree char *prefix = NULL;
  g_autoptr(GPtrArray) listed = g_ptr_array_new ();
  gboolean recursive = request_get_bool (req, "recursive");
  gboolean expand = request_get_bool (req, "expand");
  JsonArray *array;
  JsonNode *root;
  guint page_size;
  guint offset;

  if (!check_revision (req->msg, repo, req->segments[5]))
    return;

  g_mutex_lock (&self->mutex);
  page_size = self->tree_page_size;
  g_mutex_unlock (&self->mutex);
  /* hub-protocol.md §3: 1000 entries per page, 50 with expand=true. */
  if (expand)
    page_size = MIN (page_size, EXPANDED_TREE_PAGE);

  if (*folder)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < repo->entries->len && !found; i++)
        {
          const MockEntry *entry = g_ptr_array_index (repo->entries, i);

          found = entry->is_dir && g_str_equal (entry->path, folder);
        }
      if (!found)
        {
          reply_entry_not_found (req->msg);
          return;
        }
      prefix = g_strconcat (folder, "/", NULL);
    }
  else
    prefix = g_strdup ("");

  if (!decode_cursor (req->msg, request_get_param (req, "cursor"), &offset))
    return;

  for (guint i = 0; i < repo->entries->len; i++)
    {
      MockEntry *entry = g_ptr_array_index (repo->entries, i);
      const char *rest;

      if (!g_str_has_prefix (entry->path, prefix))
        continue;
      rest = entry->path + strlen (prefix);
      if (*rest == '\0' || (!recursive && strchr (rest, '/')))
        continue;
      g_ptr_array_add (listed, entry);
    }

  array = json_array_new ();
  for (guint i = offset; i < listed->len && i < offset + page_size; i++)
    json_array_add_element (array, make_tree_entry (repo, g_ptr_array_index (listed, i), expand));

  if (offset + page_size < listed->len)
    set_next_link (self, req, offset + page_size);

  root = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (root, array);
  reply_json (self, req->msg, root);
}

/* GET /api/models/{org}/{name}/refs */
static void
handle_refs (MmMockHub      *self,
             Request        *req,
             const MockRepo *repo)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "branches");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "main");
  json_builder_set_member_name (builder, "ref");
  json_builder_add_string_value (builder, "refs/heads/main");
  json_builder_set_member_name (builder, "targetCommit");
  json_builder_add_string_value (builder, repo->sha);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "converts");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  reply_json (self, req->msg, json_builder_get_root (builder));
}

/* GET /api/models/{org}/{name}/auth-check: "may this token download?",
 * answered with the same rules as /resolve. */
static void
handle_auth_check (MmMockHub      *self,
                   Request        *req,
                   const MockRepo *repo)
{
  if (!check_download_access (req->msg, repo))
    return;

  reply_json (self, req->msg, json_from_string ("{}", NULL));
}

/* GET /api/whoami-v2 */
static void
handle_whoami (MmMockHub *self,
               Request   *req)
{
  TokenKind token = classify_token (req->msg);
  g_autoptr(JsonNode) root = NULL;

  if (token != TOKEN_VALID && token != TOKEN_NOACCESS)
    {
      reply_bad_token (req->msg);
      return;
    }

  root = json_from_string ("{\"type\":\"user\",\"id\":\"65f0c0ffee0000000000beef\","
                           "\"name\":\"mock-user\",\"fullname\":\"Mock User\","
                           "\"email\":\"mock-user@example.invalid\",\"emailVerified\":true,"
                           "\"canPay\":false,\"isPro\":false,\"periodEnd\":null,"
                           "\"avatarUrl\":\"https://example.invalid/avatar.png\",\"orgs\":[],"
                           "\"auth\":{\"type\":\"access_token\",\"accessToken\":"
                           "{\"displayName\":\"mock\",\"role\":\"read\"}}}", NULL);
  reply_json (self, req->msg, g_steal_pointer (&root));
}

/* Consumes one fail_next() failure; returns TRUE when it replied. */
static gboolean
consume_api_failure (MmMockHub         *self,
                     SoupServerMessage *msg)
{
  guint status = 0;
  guint retry_after = 0;

  g_mutex_lock (&self->mutex);
  if (self->fail_count > 0)
    {
      self->fail_count--;
      status = self->fail_status;
      retry_after = self->fail_retry_after;
    }
  g_mutex_unlock (&self->mutex);

  if (status == 0)
    return FALSE;

  if (status == 429)
    {
      set_header_printf (msg, "Retry-After", "%u", retry_after);
      set_header_printf (msg, "RateLimit", "\"api\";r=0;t=%u", retry_after);
      set_header (msg, "RateLimit-Policy", "\"fixed window\";\"api\";q=500;w=300");
      soup_server_message_set_status (msg, status, NULL);
      soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                        SOUP_MEMORY_STATIC,
                                        "{\"error\":\"Too many requests (synthetic message)\"}",
                                        strlen ("{\"error\":\"Too many requests "
                                                "(synthetic message)\"}"));
    }
  else if (status >= 500)
    {
      soup_server_message_set_status (msg, status, NULL);
      soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                        SOUP_MEMORY_STATIC, "{\"error\":\"Internal Error\"}",
                                        strlen ("{\"error\":\"Internal Error\"}"));
    }
  else
    reply_error (msg, status, NULL, soup_status_get_phrase (status));

  return TRUE;
}

static void
destroy_source (gpointer data)
{
  GSource *source = data;

  g_source_destroy (source);
  g_source_unref (source);
}

static gboolean
delay_elapsed_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  GSource *source;

  /* The message owns the source; take it back so that dropping it does not
   * destroy the source we are dispatching. */
  source = g_object_steal_data (G_OBJECT (msg), "mm-delay-source");
  g_source_unref (source);
  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

/* Holds the answer back for @ms without blocking the server thread. If the
 * message goes away first, its data drops the source with it. */
static void
delay_response (MmMockHub         *self,
                SoupServerMessage *msg,
                guint              ms)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, delay_elapsed_cb, msg, NULL);
  g_source_set_name (source, "[mm-mock-hub] delay");
  g_object_set_data_full (G_OBJECT (msg), "mm-delay-source", source, destroy_source);
  g_source_attach (source, self->context);
  soup_server_message_pause (msg);
}

/* Adds @path to @paths once. */
static void
add_unique_path (GPtrArray  *paths,
                 const char *path)
{
  for (guint i = 0; i < paths->len; i++)
    if (g_str_equal (g_ptr_array_index (paths, i), path))
      return;
  g_ptr_array_add (paths, g_strdup (path));
}

/* Reads the body of POST paths-info: JSON `{"paths": [...], "expand": bool}`
 * as @huggingface/hub sends it, or a form `paths=a&paths=b&expand=True` as
 * huggingface_hub does. Returns FALSE (and the message) when it is neither. */
static gboolean
parse_paths_info_body (SoupServerMessage  *msg,
                       GPtrArray          *paths,
                       gboolean           *expand,
                       char              **problem)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  g_autofree char *text = g_strndup (data ? data : "", len);

  *expand = FALSE;
  if (g_strcmp0 (type, "application/json") == 0)
    {
      g_autoptr(JsonNode) root = json_from_string (text, NULL);
      JsonObject *object;
      JsonNode *list;

      if (!root || !JSON_NODE_HOLDS_OBJECT (root))
        {
          *problem = g_strdup ("Invalid JSON body");
          return FALSE;
        }
      object = json_node_get_object (root);
      list = json_object_get_member (object, "paths");
      if (!list || !JSON_NODE_HOLDS_ARRAY (list))
        {
          *problem = g_strdup ("Expected \"paths\" to be an array of strings");
          return FALSE;
        }
      for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
        {
          JsonNode *element = json_array_get_element (json_node_get_array (list), i);

          if (json_node_get_value_type (element) != G_TYPE_STRING)
            {
              *problem = g_strdup ("Expected \"paths\" to be an array of strings");
              return FALSE;
            }
          add_unique_path (paths, json_node_get_string (element));
        }
      if (json_object_has_member (object, "expand"))
        {
          JsonNode *value = json_object_get_member (object, "expand");

          if (json_node_get_value_type (value) == G_TYPE_BOOLEAN)
            *expand = json_node_get_boolean (value);
          else if (!JSON_NODE_HOLDS_NULL (value))
            {
              *problem = g_strdup ("Expected \"expand\" to be a boolean");
              return FALSE;
            }
        }
      return TRUE;
    }

  if (g_strcmp0 (type, "application/x-www-form-urlencoded") == 0)
    {
      g_auto(GStrv) pairs = g_strsplit (text, "&", -1);

      for (guint i = 0; pairs[i]; i++)
        {
          const char *eq = strchr (pairs[i], '=');
          g_autofree char *key = NULL;
          g_autofree char *value = NULL;

          if (!eq)
            continue;
          key = form_unescape (pairs[i], eq - pairs[i]);
          value = form_unescape (eq + 1, -1);
          if (g_str_equal (key, "paths") || g_str_equal (key, "paths[]"))
            add_unique_path (paths, value);
          else if (g_str_equal (key, "expand"))
            *expand = g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1");
        }
      return TRUE;
    }

  *problem = g_strdup ("Expected a JSON or form body");
  return FALSE;
}

/* POST /api/models/{org}/{name}/paths-info/{rev}: the tree entries of the
 * paths asked for, in the order asked; paths that do not exist are left
 * out (no error), a folder gives its directory entry. With expand, each
 * entry has lastCommit and (files) securityFileStatus, as in the tree. */
static void
handle_paths_info (MmMockHub      *self,
                   Request        *req,
                   const MockRepo *repo)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *rev = request_join_segments (req, 5);
  g_autofree char *problem = NULL;
  gboolean expand = FALSE;
  JsonArray *array;
  JsonNode *root;

  if (!check_revision (req->msg, repo, rev))
    return;
  if (!parse_paths_info_body (req->msg, paths, &expand, &problem))
    {
      reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, NULL, problem);
      return;
    }

  array = json_array_new ();
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);

      for (guint j = 0; j < repo->entries->len; j++)
        {
          const MockEntry *entry = g_ptr_array_index (repo->entries, j);

          if (g_str_equal (entry->path, path))
            {
              json_array_add_element (array, make_tree_entry (repo, entry, expand));
              break;
            }
        }
    }

  root = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (root, array);
  reply_json (self, req->msg, root);
}

static void
add_commit (JsonArray      *array,
            const MockRepo *repo,
            const char     *id,
            const char     *title,
            const char     *date)
{
  JsonObject *commit = json_object_new ();
  JsonArray *authors = json_array_new ();
  JsonObject *author = json_object_new ();
  g_autofree char *avatar = g_strdup_printf ("https://example.invalid/avatars/%s.png",
                                             repo->author);

  json_object_set_string_member (author, "user", repo->author);
  json_object_set_string_member (author, "avatar", avatar);
  json_array_add_object_element (authors, author);

  json_object_set_string_member (commit, "id", id);
  json_object_set_string_member (commit, "title", title);
  json_object_set_string_member (commit, "message", "");
  json_object_set_array_member (commit, "authors", authors);
  json_object_set_string_member (commit, "date", date);
  json_array_add_object_element (array, commit);
}

/* GET /api/models/{org}/{name}/commits/{rev}[?limit=N&p=PAGE]: the history
 * of @rev, newest first. Each catalog repo has two commits: the upload
 * (its sha, at lastModified) and the initial one (at createdAt). Pages are
 * counted by `p` from 0 and linked with `Link: <…>; rel="next"`. */
static void
handle_commits (MmMockHub      *self,
                Request        *req,
                const MockRepo *repo)
{
  g_autofree char *rev = request_join_segments (req, 5);
  g_autofree char *initial = derive_hex ("initial-commit", repo->id, G_CHECKSUM_SHA1, 40);
  g_autoptr(JsonArray) all = json_array_new ();
  const char *limit_str = request_get_param (req, "limit");
  const char *page_str = request_get_param (req, "p");
  guint64 limit = 50;
  guint64 page = 0;
  JsonArray *array;
  JsonNode *root;

  if (!g_str_equal (rev, initial))
    {
      if (!check_revision (req->msg, repo, rev))
        return;
      add_commit (all, repo, repo->sha, COMMIT_TITLE, repo->last_modified);
    }
  add_commit (all, repo, initial, "initial commit", repo->created_at);

  if ((limit_str && !g_ascii_string_to_unsigned (limit_str, 10, 1, 1000, &limit, NULL)) ||
      (page_str && !g_ascii_string_to_unsigned (page_str, 10, 0, G_MAXUINT32, &page, NULL)))
    {
      reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, NULL, "Invalid limit or page parameter");
      return;
    }

  array = json_array_new ();
  for (guint64 i = page * limit; i < json_array_get_length (all) && i < (page + 1) * limit; i++)
    json_array_add_element (array, json_node_copy (json_array_get_element (all, i)));

  if ((page + 1) * limit < json_array_get_length (all))
    {
      g_autoptr(GString) url = g_string_new (self->url);
      g_auto(GStrv) pairs = g_strsplit (req->raw_query ? req->raw_query : "", "&", -1);
      g_autofree char *link = NULL;

      g_string_append (url, req->raw_path);
      g_string_append_c (url, '?');
      for (guint i = 0; pairs[i]; i++)
        if (pairs[i][0] != '\0' && !g_str_has_prefix (pairs[i], "p="))
          g_string_append_printf (url, "%s&", pairs[i]);
      g_string_append_printf (url, "p=%" G_GUINT64_FORMAT, page + 1);
      link = g_strdup_printf ("<%s>; rel=\"next\"", url->str);
      set_header (req->msg, "Link", link);
    }

  root = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (root, array);
  reply_json (self, req->msg, root);
}

/* GET /api/models/{org}/{name}/xet-read-token/{rev}: the target of the
 * `rel="xet-auth"` link of /resolve. A short-lived token for the CAS
 * server; the mock has no CAS server, so the token opens nothing. */
static void
handle_xet_read_token (MmMockHub      *self,
                       Request        *req,
                       const MockRepo *repo)
{
  g_autofree char *rev = request_join_segments (req, 5);
  JsonObject *object;
  JsonNode *root;

  if (!check_revision (req->msg, repo, rev) || !check_download_access (req->msg, repo))
    return;

  object = json_object_new ();
  json_object_set_string_member (object, "accessToken", "mock-xet-read-token");
  json_object_set_int_member (object, "exp", g_get_real_time () / G_USEC_PER_SEC + 3600);
  json_object_set_string_member (object, "casUrl", self->cdn_url);
  root = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (root, object);
  reply_json (self, req->msg, root);
}

static void
route_api (MmMockHub *self,
           Request   *req)
{
  MockRepo *repo;

  gboolean post = req->method == SOUP_METHOD_POST;

  /* Only paths-info takes a POST. */
  if (post && !(req->n_segments >= 6 && g_str_equal (req->segments[1], "models") &&
                g_str_equal (req->segments[4], "paths-info")))
    reply_error (req->msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, "Method Not Allowed");
  else if (req->n_segments == 2 && g_str_equal (req->segments[1], "whoami-v2"))
    handle_whoami (self, req);

  else if (req->n_segments == 2 && g_str_equal (req->segments[1], "models"))
    handle_search (self, req);
  else if (req->n_segments >= 4 && g_str_equal (req->segments[1], "models"))
    {
      const char *what = req->n_segments > 4 ? req->segments[4] : NULL;

      repo = lookup_repo (self, req, 2);
      if (!repo)
        reply_repo_not_found (req->msg);
      else if (!what)
        handle_model_info (self, req, repo, NULL);
      else if (g_str_equal (what, "revision") && req->n_segments >= 6)
        {
          g_autofree char *rev = request_join_segments (req, 5);
          handle_model_info (self, req, repo, rev);
        }
      else if (g_str_equal (what, "tree") && req->n_segments >= 6)
        handle_tree (self, req, repo);
      else if (g_str_equal (what, "refs") && req->n_segments == 5)
        handle_refs (self, req, repo);
      else if (g_str_equal (what, "auth-check") && req->n_segments == 5)
        handle_auth_check (self, req, repo);
      else if (g_str_equal (what, "paths-info") && req->n_segments >= 6 && post)
        handle_paths_info (self, req, repo);
      else if (g_str_equal (what, "commits") && req->n_segments >= 6)
        handle_commits (self, req, repo);
      else if (g_str_equal (what, "xet-read-token") && req->n_segments >= 6)
        handle_xet_read_token (self, req, repo);
      else
        reply_not_found (req->msg);
    }
  else
    reply_not_found (req->msg);
}

/* Everything under /api/: faults first, then the endpoint, then the delay. */
static void
handle_api (MmMockHub *self,
            Request   *req)
{
  guint delay;

  if (!consume_api_failure (self, req->msg))
    route_api (self, req);

  g_mutex_lock (&self->mutex);
  delay = self->delay_ms;
  g_mutex_unlock (&self->mutex);

  if (delay > 0)
    delay_response (self, req->msg, delay);
}

/* ------------------------------------------------------------------------ */
/* Content: ranges and streaming                                             */
/* ------------------------------------------------------------------------ */

typedef enum {
  RANGE_NONE,            /* no Range, or one we ignore: serve the whole file */
  RANGE_OK,
  RANGE_UNSATISFIABLE,
} RangeResult;

static gboolean
parse_offset (const char *str,
              guint64    *value)
{
  return *str != '\0' && g_ascii_string_to_unsigned (str, 10, 0, G_MAXUINT64, value, NULL);
}

/* Single ranges "N-", "N-M" and "-N". Malformed and multi-range headers are
 * ignored (RFC 9110 allows that), as libsoup's range-test expects. */
static RangeResult
parse_range (const char *header,
             guint64     total,
             guint64    *start,
             guint64    *end)
{
  g_autofree char *first = NULL;
  const char *spec;
  const char *dash;
  guint64 a, b;

  if (!header || !g_str_has_prefix (header, "bytes="))
    return RANGE_NONE;
  spec = header + strlen ("bytes=");
  dash = strchr (spec, '-');
  if (!dash || strchr (spec, ','))
    return RANGE_NONE;

  if (dash == spec)
    {
      if (!parse_offset (dash + 1, &b))
        return RANGE_NONE;
      if (b == 0 || total == 0)
        return RANGE_UNSATISFIABLE;
      *start = total > b ? total - b : 0;
      *end = total - 1;
      return RANGE_OK;
    }

  first = g_strndup (spec, dash - spec);
  if (!parse_offset (first, &a))
    return RANGE_NONE;
  if (dash[1] != '\0')
    {
      if (!parse_offset (dash + 1, &b) || b < a)
        return RANGE_NONE;
    }
  else
    b = G_MAXUINT64;

  if (a >= total)
    return RANGE_UNSATISFIABLE;
  *start = a;
  *end = MIN (b, total - 1);
  return RANGE_OK;
}

typedef struct {
  MmMockHub         *self;      /* (unowned): outlives its servers */
  SoupServerMessage *msg;       /* (unowned): owns this state */
  const MockFile    *file;
  guint64            offset;    /* next byte to append */
  guint64            end;       /* exclusive */
  guint64            drop_at;   /* absolute offset to cut the connection at */
  guint64            stall_at;  /* absolute offset to stop sending at */
  guint64            corrupt_at; /* absolute offset of a flipped byte */
  guint64            rate;      /* bytes per second, 0 = unlimited */
  GSource           *throttle;
  GSource           *hangup;    /* (nullable): watches a stalled client */
  gboolean           finished;
  gboolean           cdn;       /* counted in cdn_active */
} StreamState;

/* A CDN body ended (or its connection did): one connection fewer. */
static void
stream_state_release (StreamState *st)
{
  if (!st->cdn)
    return;
  st->cdn = FALSE;
  g_mutex_lock (&st->self->mutex);
  st->self->cdn_active--;
  g_mutex_unlock (&st->self->mutex);
}

static void
stream_state_free (StreamState *st)
{
  stream_state_release (st);
  g_clear_pointer (&st->throttle, destroy_source);
  g_clear_pointer (&st->hangup, destroy_source);
  g_free (st);
}

static void
stream_append (StreamState *st,
               gsize        len)
{
  SoupMessageBody *body = soup_server_message_get_response_body (st->msg);
  guint8 *buf = g_malloc (len);

  mock_file_read (st->file, st->offset, buf, len);
  if (st->cdn)
    {
      g_mutex_lock (&st->self->mutex);
      st->self->cdn_bytes_sent += len;
      g_mutex_unlock (&st->self->mutex);
    }
  if (st->corrupt_at >= st->offset && st->corrupt_at - st->offset < len)
    buf[st->corrupt_at - st->offset] ^= 0x5a;
  soup_message_body_append_take (body, buf, len);
  st->offset += len;
}

static gsize
stream_next_length (const StreamState *st)
{
  gsize len = MIN (CHUNK_SIZE, st->end - st->offset);

  if (st->rate > 0)
    len = MIN (len, MAX (st->rate / 20, 1));
  if (st->drop_at > st->offset)
    len = MIN (len, st->drop_at - st->offset);
  if (st->stall_at > st->offset)
    len = MIN (len, st->stall_at - st->offset);
  return len;
}

static gboolean
throttle_elapsed_cb (gpointer user_data)
{
  StreamState *st = user_data;

  g_clear_pointer (&st->throttle, g_source_unref);
  if (!st->finished)
    {
      stream_append (st, stream_next_length (st));
      soup_server_message_unpause (st->msg);
    }
  return G_SOURCE_REMOVE;
}

/* The socket under a message; see mm_test_server_listen(). */
static GSocket *
message_get_socket (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote ? g_object_get_data (G_OBJECT (remote), "mm-socket") : NULL;
}

/* Cuts the connection: the client sees fewer bytes than announced.
 * Appending one more chunk makes the server notice the dead socket. */
static void
stream_cut (StreamState *st)
{
  GSocket *socket = message_get_socket (st->msg);

  if (socket)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  st->corrupt_at = G_MAXUINT64;
  stream_append (st, MIN (16, st->end - st->offset));
}

/* A stalled client sent something or went away (a readable socket with no
 * request pending means EOF): finish the message by cutting the connection. */
static gboolean
stalled_client_cb (GSocket      *socket,
                   GIOCondition  condition,
                   gpointer      user_data)
{
  StreamState *st = user_data;

  g_clear_pointer (&st->hangup, g_source_unref);
  g_debug ("A stalled client went away at offset %" G_GUINT64_FORMAT, st->offset);
  if (!st->finished)
    {
      stream_cut (st);
      soup_server_message_unpause (st->msg);
    }
  return G_SOURCE_REMOVE;
}

static void
stream_stall (StreamState *st)
{
  GSocket *socket = message_get_socket (st->msg);

  /* Nothing more is appended, and the paused message keeps the connection
   * open without blocking the server thread. */
  soup_server_message_pause (st->msg);
  if (socket && !st->hangup)
    {
      st->hangup = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (st->hangup, (GSourceFunc) (GCallback) stalled_client_cb, st, NULL);
      g_source_set_name (st->hangup, "[mm-mock-hub] stalled client");
      g_source_attach (st->hangup, st->self->context);
    }
}

/* Called after the headers and after each chunk went out: appends the next
 * chunk, so at most one chunk of the file is in memory at a time. */
static void
write_next_chunk_cb (SoupServerMessage *msg,
                     StreamState       *st)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize len;

  if (st->finished || st->throttle || st->hangup)
    return;

  if (st->offset >= st->end)
    {
      soup_message_body_complete (body);
      return;
    }

  if (st->offset >= st->drop_at)
    {
      stream_cut (st);
      return;
    }

  if (st->offset >= st->stall_at)
    {
      stream_stall (st);
      return;
    }

  len = stream_next_length (st);
  if (st->rate > 0)
    {
      /* Without a chunk the server pauses the message; the timeout appends
       * one and unpauses it. */
      st->throttle = g_timeout_source_new (MAX (len * 1000 / st->rate, 1));
      g_source_set_callback (st->throttle, throttle_elapsed_cb, st, NULL);
      g_source_set_name (st->throttle, "[mm-mock-hub] throttle");
      g_source_attach (st->throttle, st->self->context);
      return;
    }

  stream_append (st, len);
}

static void
stream_finished_cb (SoupServerMessage *msg,
                    StreamState       *st)
{
  st->finished = TRUE;
  g_clear_pointer (&st->throttle, destroy_source);
  g_clear_pointer (&st->hangup, destroy_source);
  stream_state_release (st);
}

/* Whether an If-Range validator lets a Range apply (RFC 9110 §13.1.5): only
 * a strong entity tag equal to the current one does; the mock sends no
 * Last-Modified, so a date never matches. */
static gboolean
if_range_matches (const char *if_range,
                  const char *etag)
{
  g_autofree char *quoted = NULL;
  g_autofree char *value = NULL;

  if (!if_range)
    return TRUE;

  quoted = g_strdup_printf ("\"%s\"", etag);
  value = g_strstrip (g_strdup (if_range));
  return g_str_equal (value, quoted);
}

/* Takes one fault of a counted setting; TRUE when it applies to this request. */
static gboolean
take_fault (guint *count)
{
  if (*count == 0)
    return FALSE;
  if (*count != MM_MOCK_HUB_ALWAYS)
    (*count)--;
  return TRUE;
}

/* Serves @file (or the requested range of it) with Content-Length, streaming
 * GET bodies chunk by chunk. @cdn applies the CDN fault settings. */
static void
serve_content (MmMockHub         *self,
               Request           *req,
               const MockFile    *file,
               const char        *content_type,
               const char        *etag,
               gboolean           cdn)
{
  SoupServerMessage *msg = req->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  const char *range = soup_message_headers_get_one (request_headers, "Range");
  const char *if_range = soup_message_headers_get_one (request_headers, "If-Range");
  guint64 start = 0;
  guint64 end = file->size ? file->size - 1 : 0;
  guint64 drop_after = G_MAXUINT64;
  guint64 stall_after = G_MAXUINT64;
  guint64 short_by = 0;
  guint64 corrupt_at = G_MAXUINT64;
  guint64 rate = 0;
  gboolean ignore_range = FALSE;
  g_autofree char *etag_override = NULL;
  RangeResult result;
  StreamState *st;

  if (cdn)
    {
      g_mutex_lock (&self->mutex);
      ignore_range = self->cdn_ignore_range;
      etag_override = g_strdup (self->cdn_etag);
      rate = self->cdn_rate;
      g_mutex_unlock (&self->mutex);
    }

  set_header (msg, "Accept-Ranges", "bytes");
  if (etag_override != NULL)
    etag = etag_override;
  set_header_printf (msg, "ETag", "\"%s\"", etag);

  if (ignore_range || !if_range_matches (if_range, etag))
    result = RANGE_NONE;
  else
    result = parse_range (range, file->size, &start, &end);
  if (result == RANGE_UNSATISFIABLE)
    {
      set_header_printf (msg, "Content-Range", "bytes */%" G_GUINT64_FORMAT, file->size);
      soup_server_message_set_status (msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, NULL);
      return;
    }

  set_header (msg, "Content-Type", content_type);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CONTENT_LENGTH);
  if (result == RANGE_OK)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
      soup_message_headers_set_content_range (headers, start, end, file->size);
      soup_message_headers_set_content_length (headers, end - start + 1);
    }
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_set_content_length (headers, file->size);
      start = 0;
      end = file->size ? file->size - 1 : 0;
    }

  if (req->head || file->size == 0)
    return;

  /* Faults are used up by GETs with a body only. */
  if (cdn)
    {
      g_mutex_lock (&self->mutex);
      if (self->cdn_max_connections > 0 && self->cdn_active >= self->cdn_max_connections)
        {
          /* As nginx's limit_conn does: 503 beyond the limit. */
          g_mutex_unlock (&self->mutex);
          soup_message_headers_remove (headers, "Content-Range");
          soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
          soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                            "Too many connections\n",
                                            strlen ("Too many connections\n"));
          return;
        }
      self->cdn_active++;
      self->cdn_peak = MAX (self->cdn_peak, self->cdn_active);
      if (take_fault (&self->cdn_drop_count))
        drop_after = self->cdn_drop_after;
      if (take_fault (&self->cdn_stall_count))
        stall_after = self->cdn_stall_after;
      if (take_fault (&self->cdn_short_count))
        short_by = self->cdn_short_by;
      if (self->cdn_corrupt_at >= start && self->cdn_corrupt_at <= end &&
          take_fault (&self->cdn_corrupt_count))
        corrupt_at = self->cdn_corrupt_at;
      g_mutex_unlock (&self->mutex);
    }

  st = g_new0 (StreamState, 1);
  st->self = self;
  st->msg = msg;
  st->file = file;
  st->offset = start;
  st->end = end + 1;
  st->drop_at = drop_after == G_MAXUINT64 ? G_MAXUINT64 : start + MIN (drop_after, end + 1 - start);
  if (short_by > 0)
    st->drop_at = MIN (st->drop_at, st->end - MIN (short_by, st->end - start));
  st->stall_at = stall_after == G_MAXUINT64 ? G_MAXUINT64 : start + stall_after;
  st->corrupt_at = corrupt_at;
  st->rate = rate;
  st->cdn = cdn;
  g_object_set_data_full (G_OBJECT (msg), "mm-stream", st, (GDestroyNotify) stream_state_free);

  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (write_next_chunk_cb), st);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (write_next_chunk_cb), st);
  g_signal_connect (msg, "finished", G_CALLBACK (stream_finished_cb), st);
}

static MockFile *
repo_find_file (const MockRepo *repo,
                const char     *path)
{
  for (guint i = 0; i < repo->files->len; i++)
    {
      MockFile *file = g_ptr_array_index (repo->files, i);

      if (g_str_equal (file->path, path))
        return file;
    }
  return NULL;
}

static char *
sign_cdn_path (const char *path,
               const char *expires)
{
  g_autofree char *key = g_strdup_printf (SIGNING_SECRET "\n%s\n%s", path, expires);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
}

/* Replaces control characters, which cannot go into a header value, and with
 * @quoted also the characters that would end a quoted-string. */
static char *
sanitize_header_value (const char *value,
                       gboolean    quoted)
{
  char *copy = g_strdup (value);

  for (char *p = copy; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f || (quoted && (*p == '"' || *p == '\\')))
      *p = '_';
  return copy;
}

static gboolean
resolve_cache_enabled (MmMockHub *self)
{
  gboolean enabled;

  g_mutex_lock (&self->mutex);
  enabled = self->resolve_cache;
  g_mutex_unlock (&self->mutex);
  return enabled;
}

/* GET/HEAD /{org}/{name}/resolve/{rev}/{path…} */
static void
handle_resolve (MmMockHub *self,
                Request   *req)
{
  const MockRepo *repo = lookup_repo (self, req, 0);
  g_autofree char *path = NULL;
  const MockFile *file;

  if (!repo)
    {
      reply_repo_not_found (req->msg);
      return;
    }
  if (!check_revision (req->msg, repo, req->segments[3]) ||
      !check_download_access (req->msg, repo))
    return;

  path = request_join_segments (req, 4);
  file = repo_find_file (repo, path);
  if (!file)
    {
      reply_entry_not_found (req->msg);
      return;
    }
  file = mock_file_current (file);

  set_header (req->msg, "X-Repo-Commit", repo->sha);

  if (file->sha256)
    {
      const char *base = strrchr (file->path, '/') ? strrchr (file->path, '/') + 1 : file->path;
      g_autofree char *plain = sanitize_header_value (base, TRUE);
      g_autofree char *disposition = NULL;
      g_autofree char *escaped_disposition = NULL;
      g_autofree char *escaped_name = g_uri_escape_string (base, NULL, FALSE);
      g_autofree char *cdn_path = g_strdup_printf ("/" CDN_PREFIX "/%s/%s",
                                                   repo->object_id, file->sha256);
      g_autofree char *expires = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  g_get_real_time () / G_USEC_PER_SEC + 3600);
      g_autofree char *signature = sign_cdn_path (cdn_path, expires);
      g_autofree char *location = NULL;
      g_autofree char *body = NULL;
      guint issue;

      g_mutex_lock (&self->mutex);
      issue = ++self->cdn_url_issue;
      g_mutex_unlock (&self->mutex);

      disposition = g_strdup_printf ("inline; filename*=UTF-8''%s; filename=\"%s\";",
                                     escaped_name, plain);
      escaped_disposition = g_uri_escape_string (disposition, NULL, FALSE);
      location = g_strdup_printf ("%s%s?X-Xet-Cas-Uid=public&response-content-disposition=%s"
                                  "&Expires=%s&Policy=eyJTdGF0ZW1lbnQiOltdfQ__&Signature=%s"
                                  "&Key-Pair-Id=K2MOCKHUBKEY&X-Mock-Issue=%u",
                                  self->cdn_url, cdn_path, escaped_disposition, expires,
                                  signature, issue);

      set_header (req->msg, "Location", location);
      if (file->xet_hash)
        {
          /* A Xet-backed file names its Xet hash and where a Xet client
           * gets its read token (hub-protocol.md §4.1); a client without
           * Xet follows the Location to the LFS bridge. */
          g_autofree char *link = g_strdup_printf (
            "<%s/api/models/%s/xet-read-token/%s>; rel=\"xet-auth\", "
            "<%s/v1/reconstructions/%s>; rel=\"xet-reconstruction-info\"",
            self->url, repo->id, repo->sha, self->cdn_url, file->xet_hash);

          set_header (req->msg, "X-Xet-Hash", file->xet_hash);
          set_header (req->msg, "Link", link);
        }
      set_header_printf (req->msg, "X-Linked-Etag", "\"%s\"", file->sha256);
      set_header_printf (req->msg, "X-Linked-Size", "%" G_GUINT64_FORMAT, file->size);
      set_header_printf (req->msg, "ETag", "\"%s\"", file->sha256);
      body = g_strdup_printf ("Found. Redirecting to %s", location);
      reply_text (req->msg, SOUP_STATUS_FOUND, "text/plain; charset=utf-8", body);
      return;
    }

  if (resolve_cache_enabled (self))
    {
      /* Small git files first answer with a relative redirect to the Hub's
       * resolve cache, pinned to the commit (hub-protocol.md §4.1). */
      g_autofree char *escaped_path = g_uri_escape_string (file->path, "/", FALSE);
      g_autofree char *location = g_strdup_printf ("/api/resolve-cache/models/%s/%s/%s"
                                                   "?etag=%%22%s%%22",
                                                   repo->id, repo->sha, escaped_path,
                                                   file->blob_id);
      g_autofree char *body = g_strdup_printf ("Temporary Redirect. Redirecting to %s",
                                               location);

      set_header (req->msg, "Location", location);
      set_header_printf (req->msg, "ETag", "\"%s\"", file->blob_id);
      reply_text (req->msg, SOUP_STATUS_TEMPORARY_REDIRECT, "text/plain; charset=utf-8", body);
      return;
    }

  serve_content (self, req, file, "text/plain; charset=utf-8", file->blob_id, FALSE);
}

/* GET/HEAD /api/resolve-cache/models/{org}/{name}/{commit}/{path…}: where
 * /resolve sends a small git file. */
static void
handle_resolve_cache (MmMockHub *self,
                      Request   *req)
{
  const MockRepo *repo = lookup_repo (self, req, 3);
  g_autofree char *path = NULL;
  const MockFile *file;

  if (!repo)
    {
      reply_repo_not_found (req->msg);
      return;
    }
  if (req->n_segments < 7 || !check_revision (req->msg, repo, req->segments[5]) ||
      !check_download_access (req->msg, repo))
    {
      if (req->n_segments < 7)
        reply_entry_not_found (req->msg);
      return;
    }

  path = request_join_segments (req, 6);
  file = repo_find_file (repo, path);
  if (file)
    file = mock_file_current (file);
  if (!file || file->sha256)
    {
      reply_entry_not_found (req->msg);
      return;
    }

  set_header (req->msg, "X-Repo-Commit", repo->sha);
  serve_content (self, req, file, "text/plain; charset=utf-8", file->blob_id, FALSE);
}

/* GET/HEAD /{org}/{name}/raw/{rev}/{path…}: the file as git stores it: an
 * LFS file's pointer text, a small file's content; never a redirect. */
static void
handle_raw (MmMockHub *self,
            Request   *req)
{
  const MockRepo *repo = lookup_repo (self, req, 0);
  g_autofree char *path = NULL;
  const MockFile *file;

  if (!repo)
    {
      reply_repo_not_found (req->msg);
      return;
    }
  if (!check_revision (req->msg, repo, req->segments[3]) ||
      !check_download_access (req->msg, repo))
    return;

  path = request_join_segments (req, 4);
  file = repo_find_file (repo, path);
  if (!file)
    {
      reply_entry_not_found (req->msg);
      return;
    }
  file = mock_file_current (file);
  if (file->pointer)
    file = file->pointer;

  set_header (req->msg, "X-Repo-Commit", repo->sha);
  serve_content (self, req, file, "text/plain; charset=utf-8", file->blob_id, FALSE);
}

/* A renamed repository answers every request under its old name with a
 * relative redirect to the same path under the new name
 * (hub-protocol.md §4.1). Returns TRUE when it replied. */
static gboolean
redirect_renamed (MmMockHub     *self,
                  const Request *req)
{
  guint first;
  g_autofree char *id = NULL;
  const char *new_id = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *tail = NULL;
  g_autofree char *location = NULL;
  g_autofree char *body = NULL;

  if (req->n_segments >= 4 && g_str_equal (req->segments[0], "api") &&
      g_str_equal (req->segments[1], "models"))
    first = 2;
  else if (req->n_segments >= 3 && (g_str_equal (req->segments[2], "resolve") ||
                                    g_str_equal (req->segments[2], "raw")))
    first = 0;
  else
    return FALSE;

  id = g_strconcat (req->segments[first], "/", req->segments[first + 1], NULL);
  for (guint i = 0; i < G_N_ELEMENTS (renamed_repos); i++)
    if (g_str_equal (id, renamed_repos[i].old_id))
      new_id = renamed_repos[i].new_id;
  if (!new_id)
    return FALSE;

  /* The raw path: segment first + 2 onwards stays as the client sent it. */
  parts = g_strsplit (req->raw_path + 1, "/", first + 3);
  tail = g_strv_length (parts) == first + 3 ? g_strconcat ("/", parts[first + 2], NULL)
                                            : g_strdup ("");
  location = g_strdup_printf ("%s%s%s%s%s", first == 2 ? "/api/models/" : "/", new_id, tail,
                              req->raw_query ? "?" : "", req->raw_query ? req->raw_query : "");
  body = g_strdup_printf ("Temporary Redirect. Redirecting to %s", location);
  set_header (req->msg, "Location", location);
  reply_text (req->msg, SOUP_STATUS_TEMPORARY_REDIRECT, "text/plain; charset=utf-8", body);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Servers                                                                   */
/* ------------------------------------------------------------------------ */

static void
record_request (MmMockHub         *self,
                SoupServerMessage *msg,
                gboolean           cdn)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  guint serial;

  g_mutex_lock (&self->mutex);
  serial = ++self->request_serial;
  g_ptr_array_add (self->request_paths, g_strdup (path));
  if (self->request_log != NULL)
    {
      fprintf (self->request_log, "%s %s %s\n", cdn ? "cdn" : "hub",
               soup_server_message_get_method (msg), path);
      fflush (self->request_log);
    }
  if (cdn)
    {
      g_free (self->last_cdn_auth);
      self->last_cdn_auth = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
      if (soup_server_message_get_method (msg) == SOUP_METHOD_GET)
        {
          const char *range = soup_message_headers_get_one (headers, "Range");

          g_ptr_array_add (self->cdn_ranges, g_strdup (range ? range : ""));
        }
    }
  else
    {
      g_free (self->last_hub_auth);
      self->last_hub_auth = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
      g_free (self->last_user_agent);
      self->last_user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
    }
  g_mutex_unlock (&self->mutex);

  set_header_printf (msg, "X-Request-Id", "Root=1-6a000000-%024x", serial);
  /* A connection that soup_server_accept_iostream() took (see
   * mm_test_server_listen()) is closed after each response: libsoup 3.2
   * keeps only connections it accepted itself. The Hub says so, or a client
   * that reuses the connection (Node's fetch, Python's http.client) now and
   * then sends its next request into a closed socket. The CDN does not:
   * with "Connection: close" a libsoup client takes a body cut short (by a
   * fault, or by stopping the mock) for a whole one, which the download
   * tests must see as the error it is. */
  if (!cdn)
    set_header (msg, "Connection", "close");
}

static gboolean
is_read_method (const Request *req)
{
  return req->method == SOUP_METHOD_GET || req->method == SOUP_METHOD_HEAD;
}

/* Whether the Hub turns this request away at once for its refused token.
 * The token check endpoint (whoami) always does; everything else only with
 * MM_MOCK_REFUSED_TOKEN_INVALID_CREDENTIALS. */
static gboolean
refuses_token (MmMockHub     *self,
               const Request *req)
{
  MmMockRefusedToken refused;

  if (classify_token (req->msg) != TOKEN_INVALID)
    return FALSE;

  g_mutex_lock (&self->mutex);
  refused = self->refused_token;
  g_mutex_unlock (&self->mutex);

  return refused == MM_MOCK_REFUSED_TOKEN_INVALID_CREDENTIALS;
}

static void
hub_handler_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  MmMockHub *self = user_data;
  g_autoptr(Request) req = request_new (msg);

  record_request (self, msg, FALSE);

  if (!is_read_method (req) &&
      !(req->method == SOUP_METHOD_POST && g_str_equal (req->segments[0], "api")))
    reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, "Method Not Allowed");
  else if (refuses_token (self, req))
    reply_bad_token (msg);
  else if (redirect_renamed (self, req))
    ;
  /* The resolve cache serves files, not the API: no API faults or delays. */
  else if (req->n_segments >= 6 && g_str_equal (req->segments[0], "api") &&
           g_str_equal (req->segments[1], "resolve-cache") &&
           g_str_equal (req->segments[2], "models"))
    handle_resolve_cache (self, req);
  else if (req->n_segments >= 2 && g_str_equal (req->segments[0], "api"))
    handle_api (self, req);
  else if (req->n_segments >= 5 && g_str_equal (req->segments[2], "resolve"))
    handle_resolve (self, req);
  else if (req->n_segments >= 5 && g_str_equal (req->segments[2], "raw"))
    handle_raw (self, req);
  else
    reply_not_found (msg);
}

static void
reply_cdn_error (SoupServerMessage *msg,
                 guint              status,
                 const char        *code)
{
  g_autofree char *body = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                           "<Error><Code>%s</Code><Message>%s</Message></Error>",
                                           code, soup_status_get_phrase (status));

  reply_text (msg, status, "application/xml", body);
}

static void
cdn_handler_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  MmMockHub *self = user_data;
  g_autoptr(Request) req = request_new (msg);
  g_autofree char *key = NULL;
  g_autofree char *expected = NULL;
  const char *expires;
  const char *signature;
  const char *disposition;
  const MockFile *file;
  guint fail_status = 0;
  guint fail_retry_after = 0;
  gint64 expires_at = 0;

  record_request (self, msg, TRUE);
  set_header (msg, "X-Amz-Cf-Id", "mock-cdn-request");

  g_mutex_lock (&self->mutex);
  if (self->cdn_fail_count > 0)
    {
      if (self->cdn_fail_count != MM_MOCK_HUB_ALWAYS)
        self->cdn_fail_count--;
      fail_status = self->cdn_fail_status;
      fail_retry_after = self->cdn_fail_retry_after;
    }
  g_mutex_unlock (&self->mutex);

  if (!is_read_method (req))
    {
      reply_cdn_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed");
      return;
    }
  if (fail_status)
    {
      if (fail_retry_after > 0)
        set_header_printf (msg, "Retry-After", "%u", fail_retry_after);
      reply_cdn_error (msg, fail_status,
                       fail_status == 429 ? "SlowDown" : "MockFailure");
      return;
    }
  if (req->n_segments != 3 || !g_str_equal (req->segments[0], CDN_PREFIX))
    {
      reply_cdn_error (msg, SOUP_STATUS_NOT_FOUND, "NoSuchKey");
      return;
    }

  /* Signed URLs: a client must use the Location verbatim and not keep it. */
  expires = request_get_param (req, "Expires");
  signature = request_get_param (req, "Signature");
  if (expires)
    {
      expected = sign_cdn_path (req->raw_path, expires);
      expires_at = g_ascii_strtoll (expires, NULL, 10);
    }
  {
    const char *issue_text = request_get_param (req, "X-Mock-Issue");
    guint64 issue = issue_text ? g_ascii_strtoull (issue_text, NULL, 10) : 0;

    g_mutex_lock (&self->mutex);
    if (issue <= self->cdn_expired_through)
      expires_at = 0;
    g_mutex_unlock (&self->mutex);
  }
  if (!expected || g_strcmp0 (signature, expected) != 0 ||
      expires_at < g_get_real_time () / G_USEC_PER_SEC)
    {
      reply_cdn_error (msg, SOUP_STATUS_FORBIDDEN, "AccessDenied");
      return;
    }

  key = g_strconcat (req->segments[1], "/", req->segments[2], NULL);
  file = g_hash_table_lookup (self->cdn_index, key);
  if (!file)
    {
      g_mutex_lock (&self->mutex);
      file = g_hash_table_lookup (self->cdn_versions, key);
      g_mutex_unlock (&self->mutex);
    }
  if (!file)
    {
      reply_cdn_error (msg, SOUP_STATUS_NOT_FOUND, "NoSuchKey");
      return;
    }

  disposition = request_get_param (req, "response-content-disposition");
  if (disposition)
    {
      g_autofree char *clean = sanitize_header_value (disposition, FALSE);
      set_header (msg, "Content-Disposition", clean);
    }

  serve_content (self, req, file, "application/octet-stream", file->sha256, TRUE);
}

static gboolean
start_servers (MmMockHub  *self,
               GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  /* raw-paths: the handlers decode segments themselves, and libsoup would
   * otherwise refuse "..%2F" before they see it (the hostile repo has such
   * file names). */
  self->hub_server = soup_server_new ("server-header", "mm-mock-hub ", "raw-paths", TRUE, NULL);
  self->cdn_server = soup_server_new ("server-header", "mm-mock-cdn ", NULL);
  soup_server_add_handler (self->hub_server, NULL, hub_handler_cb, self, NULL);
  soup_server_add_handler (self->cdn_server, NULL, cdn_handler_cb, self, NULL);

  self->hub_service = mm_test_server_listen (self->hub_server, "127.0.0.1", self->port, &self->url,
                                             error);
  if (!self->hub_service)
    return FALSE;

  /* A second loopback address makes the CDN a different host, as on the real
   * Hub, so clients must drop Authorization on the redirect. */
  self->cdn_service = mm_test_server_listen (self->cdn_server, "127.0.0.2", 0, &self->cdn_url,
                                             &local_error);
  if (!self->cdn_service)
    {
      g_debug ("Cannot listen on 127.0.0.2 (%s); the CDN uses 127.0.0.1",
               local_error->message);
      self->cdn_service = mm_test_server_listen (self->cdn_server, "127.0.0.1", 0, &self->cdn_url,
                                                 error);
    }

  return self->cdn_service != NULL;
}

static void
stop_service (GSocketService **service)
{
  if (*service)
    {
      g_socket_service_stop (*service);
      g_socket_listener_close (G_SOCKET_LISTENER (*service));
      g_clear_object (service);
    }
}

static gboolean
quit_loop_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gpointer
server_thread_func (gpointer data)
{
  MmMockHub *self = data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->context);

  ok = start_servers (self, &error);

  g_mutex_lock (&self->mutex);
  self->started = TRUE;
  if (!ok)
    self->start_error = g_steal_pointer (&error);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (ok)
    g_main_loop_run (self->loop);

  /* Disconnecting finishes every open message; their data (streams, delay
   * sources) goes with them. Then run what is left on the context. */
  stop_service (&self->hub_service);
  stop_service (&self->cdn_service);
  soup_server_disconnect (self->hub_server);
  soup_server_disconnect (self->cdn_server);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_clear_object (&self->hub_server);
  g_clear_object (&self->cdn_server);
  while (g_main_context_iteration (self->context, FALSE))
    ;

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static void
build_catalog (MmMockHub *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (repo_specs); i++)
    g_ptr_array_add (self->repos, mock_repo_new (&repo_specs[i]));
  for (guint i = 0; i < N_FILLER_GGUF; i++)
    g_ptr_array_add (self->repos, make_filler_repo (i, TRUE));
  for (guint i = 0; i < N_FILLER_OTHER; i++)
    g_ptr_array_add (self->repos, make_filler_repo (i, FALSE));

  for (guint i = 0; i < self->repos->len; i++)
    {
      MockRepo *repo = g_ptr_array_index (self->repos, i);

      g_assert (!g_hash_table_contains (self->repo_index, repo->id));
      g_hash_table_insert (self->repo_index, repo->id, repo);

      for (guint j = 0; j < repo->files->len; j++)
        {
          MockFile *file = g_ptr_array_index (repo->files, j);

          if (file->sha256)
            g_hash_table_insert (self->cdn_index,
                                 g_strconcat (repo->object_id, "/", file->sha256, NULL),
                                 file);
        }
    }
}

static void
mm_mock_hub_dispose (GObject *object)
{
  MmMockHub *self = MM_MOCK_HUB (object);

  mm_mock_hub_stop (self);

  G_OBJECT_CLASS (mm_mock_hub_parent_class)->dispose (object);
}

static void
mm_mock_hub_finalize (GObject *object)
{
  MmMockHub *self = MM_MOCK_HUB (object);

  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_error (&self->start_error);
  g_hash_table_unref (self->cdn_versions);
  g_hash_table_unref (self->version_files);
  g_ptr_array_unref (self->cdn_ranges);
  g_hash_table_unref (self->cdn_index);
  g_hash_table_unref (self->repo_index);
  g_ptr_array_unref (self->repos);
  g_ptr_array_unref (self->request_paths);
  g_clear_pointer (&self->request_log, fclose);
  g_free (self->url);
  g_free (self->cdn_url);
  g_free (self->last_user_agent);
  g_free (self->last_hub_auth);
  g_free (self->last_cdn_auth);
  g_free (self->cdn_etag);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (mm_mock_hub_parent_class)->finalize (object);
}

static void
mm_mock_hub_class_init (MmMockHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mm_mock_hub_dispose;
  object_class->finalize = mm_mock_hub_finalize;
}

static void
mm_mock_hub_init (MmMockHub *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->repos = g_ptr_array_new_with_free_func ((GDestroyNotify) mock_repo_free);
  self->repo_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->cdn_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->request_paths = g_ptr_array_new_with_free_func (g_free);
  self->version_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) mock_file_free);
  self->cdn_versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cdn_ranges = g_ptr_array_new_with_free_func (g_free);
  self->search_page_size = DEFAULT_SEARCH_LIMIT;
  self->max_search_limit = MAX_SEARCH_LIMIT;
  self->tree_page_size = DEFAULT_TREE_PAGE;
  self->resolve_cache = TRUE;
  self->cdn_drop_after = G_MAXUINT64;
  self->cdn_stall_after = G_MAXUINT64;
  self->cdn_corrupt_at = G_MAXUINT64;
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */
/* ------------------------------------------------------------------------ */

/**
 * mm_mock_hub_new_on_port:
 * @port: the Hub's port, 0 for a random one (the CDN always gets a random port)
 * @error: return location for a listening error
 *
 * Generates the catalog and starts both servers in a new thread; returns once
 * both listen.
 *
 * Returns: (transfer full) (nullable): the running mock, or %NULL on error
 */
MmMockHub *
mm_mock_hub_new_on_port (guint    port,
                         GError **error)
{
  g_autoptr(MmMockHub) self = g_object_new (MM_TYPE_MOCK_HUB, NULL);

  g_return_val_if_fail (port <= G_MAXUINT16, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->port = port;
  build_catalog (self);

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("mm-mock-hub", server_thread_func, self);

  g_mutex_lock (&self->mutex);
  while (!self->started)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->start_error)
    {
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * mm_mock_hub_new:
 * @error: return location for a listening error
 *
 * Like mm_mock_hub_new_on_port() with a random port.
 *
 * Returns: (transfer full) (nullable): the running mock, or %NULL on error
 */
MmMockHub *
mm_mock_hub_new (GError **error)
{
  return mm_mock_hub_new_on_port (0, error);
}

/**
 * mm_mock_hub_get_url:
 *
 * Returns: the Hub's base URL, e.g. "http://127.0.0.1:40123" (no trailing slash)
 */
const char *
mm_mock_hub_get_url (MmMockHub *self)
{
  g_return_val_if_fail (MM_IS_MOCK_HUB (self), NULL);
  return self->url;
}

/**
 * mm_mock_hub_get_cdn_url:
 *
 * Returns: the CDN's base URL, normally on 127.0.0.2
 */
const char *
mm_mock_hub_get_cdn_url (MmMockHub *self)
{
  g_return_val_if_fail (MM_IS_MOCK_HUB (self), NULL);
  return self->cdn_url;
}

/**
 * mm_mock_hub_stop:
 *
 * Stops both servers and joins their thread. Open connections are closed.
 * Safe to call more than once; dispose calls it too.
 */
void
mm_mock_hub_stop (MmMockHub *self)
{
  GThread *thread;

  g_return_if_fail (MM_IS_MOCK_HUB (self));

  thread = g_steal_pointer (&self->thread);
  if (!thread)
    return;

  /* Quit from inside the server's own loop: a g_main_loop_quit() from
   * here could land before the thread reaches g_main_loop_run() and be
   * lost, leaving the join waiting forever. */
  g_main_context_invoke (self->context, quit_loop_cb, self->loop);
  g_thread_join (thread);
}

void
mm_mock_hub_set_tree_page_size (MmMockHub *self,
                                guint      size)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));
  g_return_if_fail (size > 0);

  g_mutex_lock (&self->mutex);
  self->tree_page_size = size;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_max_search_limit (MmMockHub *self,
                                  guint      limit)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));
  g_return_if_fail (limit > 0);

  g_mutex_lock (&self->mutex);
  self->max_search_limit = MIN (limit, MAX_SEARCH_LIMIT);
  self->search_page_size = MIN (self->search_page_size, self->max_search_limit);
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_search_page_size (MmMockHub *self,
                                  guint      size)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));
  g_return_if_fail (size > 0);

  g_mutex_lock (&self->mutex);
  self->search_page_size = MIN (size, MAX_SEARCH_LIMIT);
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_search_limit_cap (MmMockHub *self,
                                  guint      cap)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->search_limit_cap = cap;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_fail_next (MmMockHub *self,
                       guint      status,
                       guint      count,
                       guint      retry_after)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));
  g_return_if_fail (status >= 400 && status < 600);

  g_mutex_lock (&self->mutex);
  self->fail_status = status;
  self->fail_count = count;
  self->fail_retry_after = retry_after;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_body_mode (MmMockHub  *self,
                           MmMockBody  mode,
                           guint       count)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));
  g_return_if_fail (mode <= MM_MOCK_BODY_EMPTY);

  g_mutex_lock (&self->mutex);
  self->body_mode = mode;
  self->body_count = count;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_refused_token (MmMockHub          *self,
                               MmMockRefusedToken  answer)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->refused_token = answer;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_resolve_cache (MmMockHub *self,
                               gboolean   enabled)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->resolve_cache = enabled;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_delay (MmMockHub *self,
                       guint      ms)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->delay_ms = ms;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_cdn_fail_next (MmMockHub *self,
                           guint      status,
                           guint      count)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));
  g_return_if_fail (status >= 400 && status < 600);

  g_mutex_lock (&self->mutex);
  self->cdn_fail_status = status;
  self->cdn_fail_count = count;
  self->cdn_fail_retry_after = 0;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_cdn_fail_next_retry_after (MmMockHub *self,
                                       guint      status,
                                       guint      count,
                                       guint      retry_after)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));
  g_return_if_fail (status >= 400 && status < 600);

  g_mutex_lock (&self->mutex);
  self->cdn_fail_status = status;
  self->cdn_fail_count = count;
  self->cdn_fail_retry_after = retry_after;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_cdn_stall_after (MmMockHub *self,
                                 guint64    bytes,
                                 guint      count)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->cdn_stall_after = bytes;
  self->cdn_stall_count = count;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_cdn_short_body (MmMockHub *self,
                                guint64    missing,
                                guint      count)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));
  g_return_if_fail (missing > 0 || count == 0);

  g_mutex_lock (&self->mutex);
  self->cdn_short_by = missing;
  self->cdn_short_count = count;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_cdn_corrupt_at (MmMockHub *self,
                                guint64    offset,
                                guint      count)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->cdn_corrupt_at = offset;
  self->cdn_corrupt_count = count;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_cdn_drop_after (MmMockHub *self,
                                guint64    bytes,
                                guint      count)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->cdn_drop_after = bytes;
  self->cdn_drop_count = count;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_cdn_rate (MmMockHub *self,
                          guint64    bytes_per_second)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->cdn_rate = bytes_per_second;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_cdn_ignore_range (MmMockHub *self,
                                  gboolean   ignore)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->cdn_ignore_range = !!ignore;
  g_mutex_unlock (&self->mutex);
}

/**
 * mm_mock_hub_set_request_log:
 * @path: (nullable): a file to append one line per request to
 *   (`hub|cdn METHOD PATH`), so that a test in another process can read
 *   the request log; %NULL stops
 */
gboolean
mm_mock_hub_set_request_log (MmMockHub   *self,
                             const char  *path,
                             GError     **error)
{
  FILE *file = NULL;

  if (path != NULL && (file = fopen (path, "a")) == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot open %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  g_mutex_lock (&self->mutex);
  g_clear_pointer (&self->request_log, fclose);
  self->request_log = file;
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

guint
mm_mock_hub_get_request_count (MmMockHub  *self,
                               const char *prefix)
{
  guint count = 0;

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), 0);

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->request_paths->len; i++)
    if (!prefix || g_str_has_prefix (g_ptr_array_index (self->request_paths, i), prefix))
      count++;
  g_mutex_unlock (&self->mutex);

  return count;
}

void
mm_mock_hub_reset_counters (MmMockHub *self)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  g_ptr_array_set_size (self->request_paths, 0);
  g_ptr_array_set_size (self->cdn_ranges, 0);
  self->cdn_peak = self->cdn_active;
  self->cdn_bytes_sent = 0;
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_set_cdn_max_connections (MmMockHub *self,
                                     guint      max_connections)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->cdn_max_connections = max_connections;
  g_mutex_unlock (&self->mutex);
}

guint
mm_mock_hub_get_cdn_peak_connections (MmMockHub *self)
{
  guint peak;

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), 0);

  g_mutex_lock (&self->mutex);
  peak = self->cdn_peak;
  g_mutex_unlock (&self->mutex);
  return peak;
}

guint64
mm_mock_hub_get_cdn_bytes_sent (MmMockHub *self)
{
  guint64 bytes;

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), 0);

  g_mutex_lock (&self->mutex);
  bytes = self->cdn_bytes_sent;
  g_mutex_unlock (&self->mutex);
  return bytes;
}

void
mm_mock_hub_set_cdn_etag (MmMockHub  *self,
                          const char *etag)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  g_free (self->cdn_etag);
  self->cdn_etag = g_strdup (etag);
  g_mutex_unlock (&self->mutex);
}

void
mm_mock_hub_expire_cdn_urls (MmMockHub *self)
{
  g_return_if_fail (MM_IS_MOCK_HUB (self));

  g_mutex_lock (&self->mutex);
  self->cdn_expired_through = self->cdn_url_issue;
  g_mutex_unlock (&self->mutex);
}

static char *
dup_locked (MmMockHub   *self,
            char *const *field)
{
  char *copy;

  g_mutex_lock (&self->mutex);
  copy = g_strdup (*field);
  g_mutex_unlock (&self->mutex);
  return copy;
}

char *
mm_mock_hub_get_last_user_agent (MmMockHub *self)
{
  g_return_val_if_fail (MM_IS_MOCK_HUB (self), NULL);
  return dup_locked (self, &self->last_user_agent);
}

char *
mm_mock_hub_get_last_hub_auth (MmMockHub *self)
{
  g_return_val_if_fail (MM_IS_MOCK_HUB (self), NULL);
  return dup_locked (self, &self->last_hub_auth);
}

char *
mm_mock_hub_get_last_cdn_auth (MmMockHub *self)
{
  g_return_val_if_fail (MM_IS_MOCK_HUB (self), NULL);
  return dup_locked (self, &self->last_cdn_auth);
}

static const MockFile *
lookup_file (MmMockHub  *self,
             const char *repo_id,
             const char *path)
{
  const MockRepo *repo = g_hash_table_lookup (self->repo_index, repo_id);

  return repo ? repo_find_file (repo, path) : NULL;
}

gboolean
mm_mock_hub_lookup_file (MmMockHub   *self,
                         const char  *repo_id,
                         const char  *path,
                         guint64     *size,
                         char       **sha256)
{
  const MockFile *file;

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), FALSE);
  g_return_val_if_fail (repo_id && path, FALSE);

  file = lookup_file (self, repo_id, path);
  if (!file)
    return FALSE;
  file = mock_file_current (file);

  if (size)
    *size = file->size;
  if (sha256)
    *sha256 = g_strdup (file->sha256);
  return TRUE;
}

/**
 * mm_mock_hub_list_gguf_files:
 *
 * Returns: (transfer full): repo id and path of every .gguf file, in pairs
 */
char **
mm_mock_hub_list_gguf_files (MmMockHub *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), NULL);

  for (guint i = 0; i < self->repos->len; i++)
    {
      const MockRepo *repo = g_ptr_array_index (self->repos, i);

      for (guint j = 0; j < repo->files->len; j++)
        {
          const MockFile *file = g_ptr_array_index (repo->files, j);

          if (g_str_has_suffix (file->path, ".gguf"))
            {
              g_strv_builder_add (builder, repo->id);
              g_strv_builder_add (builder, file->path);
            }
        }
    }

  return g_strv_builder_end (builder);
}

/**
 * mm_mock_hub_read_file:
 *
 * Returns: (transfer full) (nullable): the bytes served for the range, clamped
 *   to the end of the file; %NULL when there is no such file
 */
GBytes *
mm_mock_hub_read_file (MmMockHub  *self,
                       const char *repo_id,
                       const char *path,
                       guint64     offset,
                       gsize       length)
{
  const MockFile *file;
  guint8 *buf;

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), NULL);
  g_return_val_if_fail (repo_id && path, NULL);

  file = lookup_file (self, repo_id, path);
  if (!file)
    return NULL;
  file = mock_file_current (file);

  offset = MIN (offset, file->size);
  length = MIN (length, file->size - offset);
  buf = g_malloc (length);
  mock_file_read (file, offset, buf, length);
  return g_bytes_new_take (buf, length);
}

/**
 * mm_mock_hub_set_file_version:
 *
 * Returns: FALSE when @repo_id has no LFS file @path
 */
gboolean
mm_mock_hub_set_file_version (MmMockHub  *self,
                              const char *repo_id,
                              const char *path,
                              guint       version)
{
  MockFile *base;
  MockFile *file = NULL;

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), FALSE);
  g_return_val_if_fail (repo_id && path, FALSE);
  g_return_val_if_fail (version > 0, FALSE);

  base = (MockFile *) lookup_file (self, repo_id, path);
  if (!base || !base->sha256)
    return FALSE;

  if (version > 1)
    {
      g_autofree char *key = g_strdup_printf ("%s\n%s\n%u", repo_id, path, version);

      /* Versions are kept until the mock goes: a stream in flight may
       * still read the one that is replaced now. */
      g_mutex_lock (&self->mutex);
      file = g_hash_table_lookup (self->version_files, key);
      if (!file)
        {
          file = mock_file_new_version (base, version);
          g_hash_table_insert (self->version_files, g_steal_pointer (&key), file);
          g_hash_table_insert (self->cdn_versions,
                               g_strconcat (base->repo->object_id, "/", file->sha256, NULL),
                               file);
        }
      g_mutex_unlock (&self->mutex);
    }

  g_atomic_pointer_set (&base->current, file);
  return TRUE;
}

gboolean
mm_mock_hub_set_repo_commit (MmMockHub  *self,
                             const char *repo_id,
                             const char *sha,
                             const char *last_modified)
{
  MockRepo *repo;

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), FALSE);
  g_return_val_if_fail (repo_id && sha && last_modified, FALSE);

  repo = g_hash_table_lookup (self->repo_index, repo_id);
  if (!repo)
    return FALSE;

  /* The old strings stay alive (a request in flight may read them); the
   * old commit still resolves, as on the Hub. */
  g_mutex_lock (&self->mutex);
  if (!repo->old_shas)
    {
      repo->old_shas = g_ptr_array_new_with_free_func (g_free);
      repo->old_dates = g_ptr_array_new_with_free_func (g_free);
    }
  g_ptr_array_add (repo->old_shas, repo->sha);
  g_ptr_array_add (repo->old_dates, repo->last_modified);
  g_atomic_pointer_set (&repo->sha, g_strdup (sha));
  g_atomic_pointer_set (&repo->last_modified, g_strdup (last_modified));
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

char **
mm_mock_hub_get_cdn_ranges (MmMockHub *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **ranges;

  g_return_val_if_fail (MM_IS_MOCK_HUB (self), NULL);

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->cdn_ranges->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->cdn_ranges, i));
  g_mutex_unlock (&self->mutex);

  ranges = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return ranges;
}
