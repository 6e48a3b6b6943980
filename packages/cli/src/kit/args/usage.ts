// Help text, one entry per command: `dh help <command>`, `dh <command> --help` print the
// entry (synopsis, what it does, examples); a usage error prints only the synopsis line and
// a pointer here (usageHint).

type Entry = {
  /** The synopsis (first line is the one a usage error repeats). */
  readonly usage: string;
  readonly about: string;
  readonly examples: ReadonlyArray<string>;
};

const COMMON = `Common options:
  --json                 machine-readable output on stdout (stable shape, see README)
  --table NAME           table (default: $DELIVERY_TABLE_NAME or delivery-history)
  --endpoint-url URL     DynamoDB endpoint (default: $AWS_ENDPOINT_URL_DYNAMODB; AWS when unset)
  --region REGION        AWS region (default: $AWS_REGION)
  --tz ZONE              show times in this IANA zone (default: $TZ, else UTC)
  --wide                 tables at full width on a terminal (piped output is never cut)
  --no-pager             no pager on a terminal (default: $DH_PAGER, else $PAGER, else less -FRX,
                         for history, failed, endpoint, correlation, endpoints; never when piped)
Times (--since/--until): ISO-8601 (2025-05-01T10:00Z, 2025-05-01), relative (-1h, -1d2h, 30m),
now, today, yesterday, a time of day (10:00, today in --tz; yesterday 10:00), epoch seconds (1746093600).
Output: on a terminal tables fit its width (error text cut with "…" first, then short times,
then the least useful columns hidden; ids never) and statuses are coloured; piped, nothing is
cut or coloured. NO_COLOR=1 turns colour off, FORCE_COLOR=1 on.
Exit codes: 0 ok/found, 1 not found / drift / check failed, 2 usage or configuration error,
3 DynamoDB or SQS error (unreachable, missing table, not DynamoDB), 130 interrupted (Ctrl-C).`;

const LIST_OPTIONS = `  --limit N              rows per page (1..1000, default 50)
  --cursor C             the next page: alone, it repeats the query (window, order, filters);
                         the table prints a short id kept on this machine, --json the full cursor
  --all                  every page, one after the other
  --order oldest|newest  oldest first (default) or newest first (the index read backwards)
  --output table|json|tsv, -o
                         table (default), JSON (--json is the same), or tab-separated values
                         (a header of JSON field names, ISO times, nothing cut)`;

const CREATED_FILTER = `  --created-since TIME, --created-until TIME
                         only messages created in [created-since, created-until); the index is
                         by last update, so --created-since also bounds the read, and
                         --created-until filters the rows read`;

export const USAGE: Readonly<Record<string, Entry>> = {
  local: {
    usage: 'dh local [--port N] [--path DIR] [--table NAME]',
    about: `  The whole system on this machine until Ctrl-C: DynamoDB Local (shared database) with
  the table, the projector's stream poller (audit trails) and the worker's local driver
  (local re-drives deliver). Prints the exports another shell needs, including
  DELIVERY_ALLOW_TARGETS for receivers on loopback. --path DIR keeps the data on disk.
  A busy --port is an error (exit 3).`,
    examples: ['dh local', 'dh local --port 8000 --path ./.dynamodb'],
  },
  demo: {
    usage:
      'dh demo [--messages N] [--max-attempts N] [--concurrency N] [--timeout-seconds N] [--yes] [--progress auto|bar|lines|none] [--json]',
    about: `  Start DynamoDB Local and local webhook receivers (healthy, flaky, slow, rate-limited,
  broken), deliver N messages (default 300) through the worker's local driver, run the
  projector, then print a summary and the audit trail of one interesting message.
  --max-attempts, --concurrency: the worker's settings for the run; --timeout-seconds N
  (default 100): give up when no delivery has finished for N s (a slow machine is not stuck).
  With a table configured (env or flags) it uses that table; a non-local one needs --yes.`,
    examples: ['dh demo', 'dh demo --messages 50 --json | jq .summary'],
  },
  history: {
    usage: 'dh history <messageId> [--attempt N [--no-body]] [--wide] [--json]',
    about: `  The message's current state, every attempt (started, completed, how late against its
  schedule, result, error) and its audit trail. --attempt N: that attempt's request,
  response status, kept response headers and body snippet.`,
    examples: [
      'dh history order-1085',
      'dh history order-1085 --attempt 2',
      'dh history order-1085 --json | jq .state',
    ],
  },
  failed: {
    usage:
      'dh failed (--since TIME | --cursor C) [--until TIME] [--exhausted] [--endpoint HOST] [--created-since TIME] [--created-until TIME] [--order oldest|newest] [--limit N] [--cursor C] [--all] [--output table|json|tsv]',
    about: `  FAILED messages whose last update is in [since, until) (until defaults to now), with
  their error text and response time. --exhausted: only final failures (no retry left).
  --endpoint (or --host): one host, a bare host matches every port. The JSON echoes the
  resolved since/until.
${LIST_OPTIONS}
${CREATED_FILTER}`,
    examples: [
      'dh failed --since -1h',
      'dh failed --since 10:00 --endpoint hooks.example.com --exhausted --order newest',
      'dh failed --since yesterday --until today --all --output tsv > failed.tsv',
      'dh failed --since -1d --created-since -2h',
    ],
  },
  endpoint: {
    usage:
      'dh endpoint <host[:port]> [--since TIME] [--until TIME] [--status STATUS] [--created-since TIME] [--created-until TIME] [--order oldest|newest] [--limit N] [--cursor C] [--all] [--output table|json|tsv]',
    about: `  Messages to one endpoint (host:port as stored), by last update, with their error text
  and response time. --status SUCCESS|FAILED|PENDING|PROCESSING keeps one status.
${LIST_OPTIONS}
${CREATED_FILTER}
  (--created-until needs --created-since or --since: a lower bound keeps the read bounded)`,
    examples: [
      'dh endpoint hooks.example.com --since -1h --status FAILED',
      'dh endpoint hooks.example.com --order newest --limit 10',
      'dh endpoint 127.0.0.1:8443 --all --json',
    ],
  },
  correlation: {
    usage:
      'dh correlation <correlationId> [--created-since TIME] [--created-until TIME] [--order oldest|newest] [--limit N] [--cursor C] [--all] [--output table|json|tsv]',
    about: `  Messages sharing a correlation id, by creation time, with their error text and
  response time. --created-since/--created-until: a window on creation time (the index's
  sort key: a key range, nothing read outside it).
${LIST_OPTIONS}`,
    examples: [
      'dh correlation order-7',
      'dh correlation order-7 --order newest --created-since -1d',
      'dh correlation order-7 --json | jq ".items[].messageId"',
    ],
  },
  endpoints: {
    usage: 'dh endpoints [<host[:port]>] [--since TIME] [--until TIME] [--wide] [--json]',
    about: `  Endpoint health over a window (default the last 24 h, widened to whole hours) from the
  projector's hourly aggregates (never a scan): deliveries, success rate, p50/p99 response
  time (the upper edge of the histogram bucket), failures by category, last success,
  consecutive failures since it; worst first. With a host (a bare host matches every port):
  its hourly series. Exit 1 when nothing was delivered in the window.`,
    examples: [
      'dh endpoints',
      'dh endpoints hooks.example.com --since -6h',
      'dh endpoints --json | jq ".endpoints[0]"',
    ],
  },
  'endpoints pause': {
    usage: 'dh endpoints pause <host[:port]> --reason TEXT [--by WHO] [--json]',
    about: `  Pauses an endpoint's breaker (issue 27; needs DELIVERY_BREAKER=on in the worker): its
  deliveries are held (recorded, not sent, no attempt spent) until resumed. Audited: who
  (--by, DH_OPERATOR, USER), why and when are on the breaker and on every hold.`,
    examples: ['dh endpoints pause hooks.example.com --reason "INC-42: receiver maintenance"'],
  },
  'endpoints resume': {
    usage: 'dh endpoints resume <host[:port]> [--rate N] [--reason TEXT] [--by WHO] [--json]',
    about: `  Closes an endpoint's breaker (paused, disabled or open) and drains its held messages
  oldest created first, at most N a second (default 10): to SQS with DELIVERY_QUEUE_URL, else
  delivered here by the worker's local driver. Exit 1 when a held message could not be
  released (it stays held; run it again).`,
    examples: ['dh endpoints resume hooks.example.com --rate 20'],
  },
  tail: {
    usage: 'dh tail [--endpoint HOST] [--status STATUS] [--message ID...] [--wide] [--json]',
    about: `  Follow new attempts live from the table's stream (DynamoDB Local and AWS), one row (or
  one JSON line with --json) per attempt, until Ctrl-C. --status SUCCESS|FAILED keeps one
  outcome; --endpoint (or --host) a host; --message some messages.`,
    examples: ['dh tail', 'dh tail --endpoint hooks.example.com --status FAILED', 'dh tail --json | jq .messageId'],
  },
  'replay projections': {
    usage:
      'dh replay projections (--message ID... | --all) [--dry-run] [--segments N] [--concurrency N] [--max-report N] [--progress MODE] [--json]',
    about: `  Recompute projections (fold) and audit trails (rebuild) from the attempts. --dry-run
  reports drift (message, field, stored vs expected) without writing; otherwise repairs
  with conditional writes that never overwrite a concurrent live update.
  Exit 1 when drift was found (dry run) or left unrepaired.`,
    examples: ['dh replay projections --all --dry-run', 'dh replay projections --message order-1085'],
  },
  'replay redrive': {
    usage: `dh replay redrive (--message ID... | --since TIME [--until TIME] [--exhausted] [--endpoint HOST]
                   | --stalled [--since TIME] [--until TIME] [--endpoint HOST])
                --reason TEXT [--by WHO] [--extra-attempts N] [--stalled-after DURATION] [--dry-run] [--limit N]
                [--wait-seconds N] [--grace-seconds N] [--progress MODE] [--json]`,
    about: `  Reopen final FAILED messages for delivery: a REDRIVE event (who, why, when) is stored,
  history is never edited, and each message is enqueued (SQS at $DELIVERY_QUEUE_URL, or
  delivered right away by the worker's local driver when no queue is configured).
  A stalled message (not final, no worker came back to it for --stalled-after, default 1h:
  its SQS record is in the DLQ or gone) is enqueued again as it is, without an event.
  A filter selects FAILED messages (--exhausted: final ones only; --status FAILED, the
  contract's spelling, is accepted and changes nothing); --stalled selects every
  stalled message (waiting since --since..--until, when given). Interrupted (Ctrl-C) during
  local delivery: stops claiming, records the requests in flight, prints the command that
  finishes the rest, exits 130.`,
    examples: [
      'dh replay redrive --message order-1085 --reason "receiver fixed" --dry-run',
      'dh replay redrive --since 10:00 --endpoint hooks.example.com --exhausted --reason "INC-42 fixed"',
    ],
  },
  'replay endpoints': {
    usage: 'dh replay endpoints [--since TIME] [--until TIME] [--shards N] [--segments N] [--dry-run] [--json]',
    about: `  Recompute the endpoint-health buckets of a window (whole hours; default the 24 h before the
  current hour) from the attempts, scanning the table, and overwrite the stored ones (counts
  are set, not added). Counts only attempts the projector has applied (at or below each
  message's audit high-water mark), so a running projector adds the rest itself; rebuild
  closed hours (the default) or stop the projector. --shards: the projector's
  DELIVERY_HEALTH_SHARDS. --dry-run reports differing buckets (exit 1 when any).`,
    examples: ['dh replay endpoints --dry-run', 'dh replay endpoints --since 2026-11-30 --until 2026-12-01'],
  },
  expunge: {
    usage:
      'dh expunge (--message ID... | --endpoint HOST --since TIME [--until TIME]) --reason TEXT [--by WHO] [--secrets-only] [--dry-run] [--json]',
    about: `  Remove request and response content (headers, body, snippet, reason phrase) from a final
  message's STATE and attempts, keeping outcome metadata; an EXPUNGE event records who, why
  and when. --secrets-only re-applies the current secret policy instead. Idempotent: a
  second run changes nothing; a run that stopped part way is resumed.`,
    examples: [
      'dh expunge --message order-1085 --reason "GDPR request 2026-114" --dry-run',
      'dh expunge --endpoint hooks.example.com --since 2026-11-01 --secrets-only --reason "policy update"',
    ],
  },
  console: {
    usage: 'dh console [--port N] [--host ADDR] [--read-only] [--no-payloads]',
    about: `  The support console until Ctrl-C: a web server over the same table and runs as the CLI
  (overview, failed messages, one message, endpoint health). Prints one URL with a one-time
  token; opening it sets a session cookie. Binds 127.0.0.1 (--host another address: a
  warning). --port 0 or none: any free port. --no-payloads: request bodies and response
  snippets are never shown. This version has no action: it is read-only already.`,
    examples: ['dh console', 'dh console --port 7300 --no-payloads'],
  },
  verify: {
    usage:
      'dh verify [--message ID...] [--segments N] [--concurrency N] [--allow-lag] [--item-budget BYTES] [--stalled-after DURATION] [--max-violations N] [--progress MODE] [--json]',
    about: `  Check every invariant over the table: dense attempt numbers, STATE == fold(attempts),
  audit trail == rebuild(attempts), item sizes under budget, no unredacted secrets, and no
  message stalled: not final, and no worker came back to it for --stalled-after (default 1h)
  past its lease, its retry or its creation (its SQS record is likely in the DLQ or gone).
  Exit 1 when any check fails.`,
    examples: ['dh verify', 'dh verify --message order-1085 --json'],
  },
};

const REPLAY_HELP = `usage: dh replay <projections|redrive|endpoints> [options]

Subcommands:
${['replay projections', 'replay redrive', 'replay endpoints']
  .map((k) => {
    const e = USAGE[k];
    return e === undefined
      ? ''
      : `  ${e.usage}\n${e.about}\n  Examples:\n${e.examples.map((x) => `    ${x}`).join('\n')}\n`;
  })
  .join('\n')}
Run "dh replay projections --help" (or redrive, endpoints) for one of them.

${COMMON}
`;

/** The command names `dh help` knows (for "did you mean"). */
export const HELP_TOPICS = [...Object.keys(USAGE), 'replay'];

/** Full help of one command (`dh <command> --help`, `dh help <command>`). */
export const commandUsage = (name: string): string => {
  if (name === 'replay') return REPLAY_HELP;
  const e = USAGE[name];
  if (e === undefined) return `usage: dh ${name}\n\n${COMMON}\n`;
  const examples = e.examples.map((x) => `  ${x}`).join('\n');
  return `usage: ${e.usage}\n${e.about}\n\nExamples:\n${examples}\n\n${COMMON}\n`;
};

/** After a usage error: the synopsis line and where the rest is. */
export const usageHint = (name: string | null): string => {
  if (name === null) return 'Run "dh --help" for the commands.\n';
  if (name === 'replay')
    return 'usage: dh replay <projections|redrive|endpoints> ...\nRun "dh replay --help" for all three.\n';
  const first = (USAGE[name]?.usage ?? `dh ${name}`).split('\n')[0];
  return `usage: ${first}\nRun "dh ${name} --help" for all options and examples.\n`;
};

export const GENERAL_USAGE = `usage: dh <command> [options]    (from a checkout: pnpm -s dh <command> ...)

Commands:
  history <id>          one message: state, attempts, audit trail (--attempt N: one attempt)
  failed --since T      failed messages in a time window
  endpoint <host>       messages to one endpoint
  correlation <id>      messages sharing a correlation id
  endpoints [<host>]    endpoint health: success rate, latency, failures (hourly aggregates)
  tail                  follow new attempts live
  replay projections    rebuild projections and audit trails; report or repair drift
  replay redrive        re-drive failed deliveries with an auditable reason
  replay endpoints      rebuild the endpoint-health aggregates from the attempts
  verify                check every invariant over the table
  expunge               remove a message's content (audited), or re-apply the secret policy
  console               the support console: a local web page over the same views
  local                 the whole system on this machine (DynamoDB Local, projector, worker)
  demo                  end-to-end demo on this machine, with a summary
  help <command>        a command's options and examples

Examples:
  dh history order-1085
  dh failed --since -1h --endpoint hooks.example.com
  dh history order-1085 --attempt 2
  dh replay redrive --since 10:00 --endpoint hooks.example.com --reason "INC-42 fixed"

Run "dh <command> --help" for a command's options; "dh --version" for the version.

${COMMON}
`;
