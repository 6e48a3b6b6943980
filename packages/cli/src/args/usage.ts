// Usage text, one entry per command; `dh <command> --help` prints the entry.

const COMMON = `Common options:
  --json                 machine-readable output on stdout (stable shape, see README)
  --table NAME           table (default: $DELIVERY_TABLE_NAME or delivery-history)
  --endpoint-url URL     DynamoDB endpoint (default: $AWS_ENDPOINT_URL_DYNAMODB; AWS when unset)
  --region REGION        AWS region (default: $AWS_REGION)
Exit codes: 0 ok/found, 1 not found / drift / check failed, 2 usage or configuration error,
3 DynamoDB or SQS error.`;

export const USAGE: Readonly<Record<string, string>> = {
  local: `dh local [--port N] [--path DIR] [--table NAME]
  Run DynamoDB Local (shared database) with the table until Ctrl-C.`,
  demo: `dh demo [--messages N] [--progress auto|bar|lines|none] [--yes] [--json]
  Start DynamoDB Local and local webhook receivers (healthy, flaky, slow, rate-limited,
  broken), deliver N messages (default 300) through the worker's local driver, run the
  projector, then print a summary and the audit trail of one interesting message.
  With a table configured (env or flags) it uses that table; a non-local one needs --yes.`,
  history: `dh history <messageId> [--json]
  The message's current state, every attempt, and its audit trail.`,
  failed: `dh failed --since TIME [--until TIME] [--exhausted] [--endpoint HOST] [--limit N] [--cursor C] [--json]
  FAILED messages whose last update is in [since, until) (until defaults to now).
  --exhausted: only final failures (no retry left). TIME: ISO-8601 or relative (-1h, 2d, now).`,
  endpoint: `dh endpoint <host[:port]> [--since TIME] [--until TIME] [--limit N] [--cursor C] [--json]
  Messages to one endpoint, by last update.`,
  correlation: `dh correlation <correlationId> [--limit N] [--cursor C] [--json]
  Messages sharing a correlation id, by creation time.`,
  'replay projections': `dh replay projections (--message ID... | --all) [--dry-run] [--segments N] [--concurrency N] [--progress MODE] [--json]
  Recompute projections (fold) and audit trails (rebuild) from the attempts. --dry-run
  reports drift (message, field, stored vs expected) without writing; otherwise repairs
  with conditional writes that never overwrite a concurrent live update.
  Exit 1 when drift was found (dry run) or left unrepaired.`,
  'replay redrive': `dh replay redrive (--message ID... | --since TIME [--until TIME] [--exhausted] [--endpoint HOST])
                --reason TEXT [--by WHO] [--extra-attempts N] [--stalled-after DURATION] [--dry-run] [--limit N] [--json]
  Reopen final FAILED messages for delivery: a REDRIVE event (who, why, when) is stored,
  history is never edited, and each message is enqueued (SQS at $DELIVERY_QUEUE_URL, or
  delivered right away by the worker's local driver when no queue is configured).
  A stalled message (not final, no worker came back to it for --stalled-after, default 1h:
  its SQS record is in the DLQ or gone) is enqueued again as it is, without an event.
  A filter selects FAILED messages (--exhausted: final ones only).`,
  expunge: `dh expunge (--message ID... | --endpoint HOST --since TIME [--until TIME]) --reason TEXT [--by WHO] [--secrets-only] [--dry-run] [--json]
  Remove request and response content (headers, body, snippet, reason phrase) from a final
  message's STATE and attempts, keeping outcome metadata; an EXPUNGE event records who, why
  and when. --secrets-only re-applies the current secret policy instead. Idempotent: a
  second run changes nothing; a run that stopped part way is resumed.`,
  verify: `dh verify [--message ID...] [--segments N] [--allow-lag] [--item-budget BYTES] [--stalled-after DURATION] [--progress MODE] [--json]
  Check every invariant over the table: dense attempt numbers, STATE == fold(attempts),
  audit trail == rebuild(attempts), item sizes under budget, no unredacted secrets, and no
  message stalled: not final, and no worker came back to it for --stalled-after (default 1h)
  past its lease, its retry or its creation (its SQS record is likely in the DLQ or gone).
  Exit 1 when any check fails.`,
};

export const commandUsage = (name: string): string => `usage: ${USAGE[name] ?? name}\n\n${COMMON}\n`;

export const GENERAL_USAGE = `usage: dh <command> [options]    (pnpm dh <command> ...)

Commands:
  local                 run DynamoDB Local with the table until Ctrl-C
  demo                  end-to-end demo on this machine, with a summary
  history <id>          one message: state, attempts, audit trail
  failed --since T      failed messages in a time window
  endpoint <host>       messages to one endpoint
  correlation <id>      messages sharing a correlation id
  replay projections    rebuild projections and audit trails; report or repair drift
  replay redrive        re-drive failed deliveries with an auditable reason
  verify                check every invariant over the table
  expunge               remove a message's content (audited), or re-apply the secret policy

Run "dh <command> --help" for a command's options.

${COMMON}
`;
