/* mm-mock-hub-catalog.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalog: static tables of repositories (RepoSpec, FileSpec) plus a
 * loop of generated "filler" repos, turned into MockRepo/MockFile at start.
 * Nothing is read from disk. TinyChat carries the exact values of
 * tests/fixtures/hub so tests can compare answers with the fixtures.
 * Content of LFS files is a counter-based PRNG stream seeded by the path,
 * so any byte range can be produced without keeping the file in memory;
 * files up to 16 MiB get their real SHA-256 at start, larger ones a
 * deterministic fake. A .gguf file starts with a real GGUF header made
 * from the repo's GgufSpec: llama.cpp's tensors for its shape, in the
 * ggml_type of its file type, laid out so that their data fits in the
 * file (a file too small for the model describes a smaller one), and a
 * split set's parts share the tensors out. The stream follows the header.
 */
#define G_LOG_DOMAIN "mm-mock-hub"

#include "config.h"

#include "mm-gguf-info-private.h"
#include "mm-mock-hub-private.h"

#include "mm-gguf-writer.h"
#include "mm-quant.h"

#include <string.h>

#define REAL_HASH_LIMIT      (16 * MIB)

/* ------------------------------------------------------------------------ */
/* Catalog specification                                                     */
/* ------------------------------------------------------------------------ */

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

void
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

void
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

guint64
mock_fnv1a64 (const char *a,
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

/* The llama_ftype whose name (_mm_gguf_file_type_to_string(), the app's own
 * table) is @quant, or -1. */
static gint64
file_type_for_quant (const char *quant)
{
  if (quant == NULL)
    return -1;

  for (gint64 type = 0; type < 64; type++)
    {
      const char *name = _mm_gguf_file_type_to_string (type);

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
void
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
const MockFile *
mock_file_current (const MockFile *file)
{
  const MockFile *current = g_atomic_pointer_get (&((MockFile *) file)->current);

  return current ? current : file;
}

/* Another version of the LFS file @base: same path and size, other bytes. */
MockFile *
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

char *
mock_derive_hex (const char    *kind,
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
                                    : mock_derive_hex ("object", spec->id, G_CHECKSUM_SHA1, 24);
  repo->sha = spec->sha ? g_strdup (spec->sha)
                        : mock_derive_hex ("commit", spec->id, G_CHECKSUM_SHA1, 40);
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
      file->seed = mock_fnv1a64 (spec->id, fs->path);
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
      file->seed = mock_fnv1a64 (spec->id, file->path);
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


MockFile *
mock_repo_find_file (const MockRepo *repo,
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

const char *
mock_catalog_renamed_to (const char *old_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (renamed_repos); i++)
    if (g_str_equal (old_id, renamed_repos[i].old_id))
      return renamed_repos[i].new_id;

  return NULL;
}

void
mock_catalog_build (MmMockHub *self)
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

