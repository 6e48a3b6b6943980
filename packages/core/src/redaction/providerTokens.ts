// ---------------------------------------------------------------------------
// Provider token shapes: credentials recognisable by their own form wherever they appear
// (a receiver's snippet, reason phrase, kept headers, a Location query, a log line). The
// one list: the free-text scrub (write time, logs) and `dh verify` both run it, through
// freeText's TEXT_DETECTORS. Each shape keeps its public prefix (`ghp_[REDACTED]`), so a
// reader still sees which kind of credential was there; a test per shape
// (packages/core/test/providerTokens.offline.test.ts, test/secrets/receiverTokens.test.ts).
//
// Why a list of our own: secretlint's rules (the maintained npm set) need Node 22 since
// v10 and run as linter plugins over whole files through an async engine, not as patterns
// a hot path can apply to 4 KiB of text; gitleaks is a Go binary. The shapes follow the
// providers' documented formats and gitleaks' rules.
//
// Patterns are anchored on a prefix and bounded in length (no nested quantifiers), so each
// is linear in the text; boundaries keep a token from matching inside a longer word.
// ---------------------------------------------------------------------------

export interface ProviderToken {
  /** The finding `dh verify` reports. */
  readonly name: string;
  /** Group 1 is the public prefix kept in front of `[REDACTED]`. */
  readonly re: RegExp;
}

/** Not preceded by a token character (a prefix inside a longer word is not a token). */
const S = '(?<![A-Za-z0-9_])';
/** Not followed by one. */
const E = '(?![A-Za-z0-9_])';

/** A base64 character, also percent-encoded (a token in a URL query: `%2B`, `%2F`). */
const B64 = '(?:[A-Za-z0-9+/]|%2[BbFf])';
const EQ = '(?:=|%3[Dd])';
const COLON = '(?::|%3[Aa])';

const token = (name: string, source: string): ProviderToken => ({ name, re: new RegExp(source, 'g') });

export const PROVIDER_TOKENS: ReadonlyArray<ProviderToken> = [
  // GitHub: classic personal access, OAuth, user-to-server, server-to-server, refresh tokens
  token('GitHub token', `${S}(gh[pousr]_)[A-Za-z0-9]{36,251}${E}`),
  token('GitHub fine-grained token', `${S}(github_pat_)[A-Za-z0-9_]{22,244}${E}`),
  // Stripe secret and restricted keys, live and test mode (a test key still reads test data)
  token('Stripe secret key', `${S}((?:sk|rk)_(?:live|test)_)[A-Za-z0-9]{10,247}${E}`),
  // Stripe's and Standard Webhooks' signing secrets (`whsec_<base64>`)
  token('webhook signing secret', `${S}(whsec_)${B64}{16,256}${EQ}{0,2}(?![A-Za-z0-9+/=])`),
  token('Slack token', `${S}(xox[abposr]-|xapp-)[A-Za-z0-9-]{10,250}(?![A-Za-z0-9-])`),
  token('Google API key', `${S}(AIza)[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])`),
  token('npm token', `${S}(npm_)[A-Za-z0-9]{36}${E}`),
  // personal, project/group, pipeline trigger, deploy, runner, feed, OAuth app secret...
  token(
    'GitLab token',
    `${S}(gl(?:pat|ptt|dt|rt|ft|cbt|imt|oas|soat|agent)-)[A-Za-z0-9_-]{20,300}(?:\\.[A-Za-z0-9_-]{1,300}){0,3}(?![A-Za-z0-9_-])`,
  ),
  // an API key SID is the key's name, but only ever shown next to its secret; an account
  // SID (AC...) alone is an identifier (it is in every Twilio URL) and is kept, its auth
  // token after `:` is not
  token('Twilio API key', `${S}(SK)[0-9a-fA-F]{32}${E}`),
  token('Twilio account credentials', `${S}(AC[0-9a-fA-F]{32}${COLON})[0-9a-fA-F]{32}${E}`),
  token('SendGrid API key', `${S}(SG\\.)[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])`),
  token('OpenAI project key', `${S}(sk-(?:proj|svcacct|admin)-)[A-Za-z0-9_-]{20,300}(?![A-Za-z0-9_-])`),
  token('Anthropic API key', `${S}(sk-ant-[a-z]{3}\\d{2}-)[A-Za-z0-9_-]{20,300}(?![A-Za-z0-9_-])`),
  // OpenAI's original shape (and the many APIs that copied it): sk- and 32+ letters or digits
  token('OpenAI-style secret key', `${S}(sk-)[A-Za-z0-9]{32,200}${E}`),
  // Azure storage, Service Bus and Event Hubs connection strings
  token('Azure account key', `(?<![A-Za-z0-9])((?:AccountKey|SharedAccessKey)${EQ})${B64}{40,88}${EQ}{0,2}`),
  token('Shopify token', `${S}(shp(?:at|ca|pa|ss)_)[a-fA-F0-9]{32}${E}`),
  token('DigitalOcean token', `${S}(do[opr]_v1_)[a-f0-9]{64}${E}`),
  token('HashiCorp Vault token', `${S}(hv[sbr]\\.)[A-Za-z0-9_-]{24,300}(?![A-Za-z0-9_-])`),
  token('Hugging Face token', `${S}(hf_)[A-Za-z]{34}${E}`),
  token('PyPI token', `${S}(pypi-)AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,300}(?![A-Za-z0-9_-])`),
  token('Postman API key', `${S}(PMAK-)[a-f0-9]{24}-[a-f0-9]{34}${E}`),
  token('Linear API key', `${S}(lin_api_)[A-Za-z0-9]{40}${E}`),
  token('Databricks token', `${S}(dapi)[a-f0-9]{32}(?:-\\d)?${E}`),
  token('Mailgun API key', `${S}(key-)[0-9a-f]{32}${E}`),
  token('Square token', `${S}(sq0(?:atp|csp)-)[A-Za-z0-9_-]{22,43}(?![A-Za-z0-9_-])`),
  token('Telegram bot token', `${S}(\\d{8,10}${COLON})AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])`),
  token('Sentry token', `${S}(sntry[su]_)(?:${B64}|_){40,300}${EQ}{0,2}(?![A-Za-z0-9+/=_])`),
];
