// The wrangler.toml of a new Cairn project: every binding, migration, queue, bucket and cron Cairn needs.
import {
  buildSection,
  CAIRN_COMPATIBILITY_DATE,
  CAIRN_CRON,
  CAIRN_DURABLE_OBJECTS,
  CAIRN_FLAG,
  fanoutQueueName,
  payloadsBucketName,
} from "../project/cairn-needs.ts";

/**
 * The full config for a fresh project whose entry is src/index.ts.
 * @example wranglerToml("my-app")
 */
export function wranglerToml(name: string): string {
  const build = buildSection("src");
  const list = (items: readonly string[]) => items.map((i) => JSON.stringify(i)).join(", ");
  const bindings = CAIRN_DURABLE_OBJECTS.map(
    (b) => `[[durable_objects.bindings]]\nname = "${b.name}"\nclass_name = "${b.class_name}"\n`,
  ).join("\n");
  return `# A Cairn Worker: durable workflows on Cloudflare. Bindings below are what the engine needs.
name = "${name}"
main = "src/index.ts"
compatibility_date = "${CAIRN_COMPATIBILITY_DATE}"
compatibility_flags = ["${CAIRN_FLAG}"]

# Regenerates src/cairn.gen.ts from src/workflows, src/actions, ... on every
# \`wrangler dev\` start, file change and \`wrangler deploy\`, so dropping a file in registers it,
# with each workflow's graph and its call-site-instrumented copy in src/.cairn/.
[build]
command = "${build.command}"
watch_dir = [${list(build.watch_dir)}]

${bindings}
[[migrations]]
tag = "cairn-v1"
new_sqlite_classes = [${list(CAIRN_DURABLE_OBJECTS.map((b) => b.class_name))}]

# Subscribable workflows fan out through this queue, and offloaded steps (\`offload: true\`) run from
# its consumer (\`cairn deploy\` creates it).
[[queues.producers]]
queue = "${fanoutQueueName(name)}"
binding = "FANOUT"

[[queues.consumers]]
queue = "${fanoutQueueName(name)}"
max_batch_size = 100
max_batch_timeout = 0

# Cron sources, polls and the stall sweep run every minute.
[triggers]
crons = ["${CAIRN_CRON}"]

# Step and run outputs over 128 KiB are stored here (\`cairn deploy\` creates the bucket).
[[r2_buckets]]
binding = "PAYLOADS"
bucket_name = "${payloadsBucketName(name)}"

# Runs record the deployment they started on (the run record, the history's \`version\` filter).
[version_metadata]
binding = "CF_VERSION_METADATA"
`;
}
