// A sample of every provider token shape core's secret policy knows (src/redaction/
// providerTokens.ts), made up here from the documented formats: random characters of the
// right alphabet and length, never a real credential. Shared by core's per-shape tests and
// the worker-level ones in test/secrets. `prefix` is what stays in front of [REDACTED].

export type TokenSample = { readonly shape: string; readonly token: string; readonly prefix: string };

/** A deterministic source of characters (the same samples on every run). */
const chars = (() => {
  let state = 0x2545f491;
  return (alphabet: string, n: number): string => {
    let out = '';
    for (let i = 0; i < n; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      out += alphabet[(state >>> 0) % alphabet.length];
    }
    return out;
  };
})();

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const URLSAFE = `${ALNUM}_-`;
const B64 = `${ALNUM}+/`;
const HEX = '0123456789abcdef';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const s = (shape: string, prefix: string, rest: string): TokenSample => ({ shape, prefix, token: `${prefix}${rest}` });

export const TOKEN_SAMPLES: ReadonlyArray<TokenSample> = [
  s('GitHub token', 'ghp_', chars(ALNUM, 36)),
  s('GitHub token', 'gho_', chars(ALNUM, 36)),
  s('GitHub token', 'ghu_', chars(ALNUM, 36)),
  s('GitHub token', 'ghs_', chars(ALNUM, 36)),
  s('GitHub token', 'ghr_', chars(ALNUM, 76)),
  s('GitHub fine-grained token', 'github_pat_', `11${chars(ALNUM, 20)}_${chars(ALNUM, 59)}`),
  s('Stripe secret key', 'sk_live_', chars(ALNUM, 99)),
  s('Stripe secret key', 'rk_live_', chars(ALNUM, 24)),
  s('Stripe secret key', 'sk_test_', chars(ALNUM, 24)),
  s('Stripe secret key', 'rk_test_', chars(ALNUM, 24)),
  s('webhook signing secret', 'whsec_', chars(ALNUM, 32)),
  s('webhook signing secret', 'whsec_', `${chars(B64, 43)}=`),
  s('Slack token', 'xoxb-', `${chars('0123456789', 12)}-${chars('0123456789', 13)}-${chars(ALNUM, 24)}`),
  s('Slack token', 'xoxp-', `${chars('0123456789', 12)}-${chars('0123456789', 12)}-${chars(HEX, 32)}`),
  s('Slack token', 'xoxa-', `2-${chars(ALNUM, 30)}`),
  s('Slack token', 'xoxo-', chars(ALNUM, 30)),
  s('Slack token', 'xoxs-', chars(ALNUM, 30)),
  s('Slack token', 'xoxr-', chars(ALNUM, 30)),
  s('Slack token', 'xapp-', `1-A${chars('0123456789ABCDEF', 10)}-${chars('0123456789', 13)}-${chars(HEX, 64)}`),
  s('Google API key', 'AIza', chars(URLSAFE, 35)),
  s('npm token', 'npm_', chars(ALNUM, 36)),
  s('GitLab token', 'glpat-', chars(URLSAFE, 20)),
  s('GitLab token', 'glptt-', chars(HEX, 40)),
  s('GitLab token', 'gldt-', chars(URLSAFE, 20)),
  s('Twilio API key', 'SK', chars(HEX, 32)),
  s('Twilio account credentials', `AC${chars(HEX, 32)}:`, chars(HEX, 32)),
  s('SendGrid API key', 'SG.', `${chars(URLSAFE, 22)}.${chars(URLSAFE, 43)}`),
  s('OpenAI project key', 'sk-proj-', chars(URLSAFE, 156)),
  s('OpenAI project key', 'sk-svcacct-', chars(URLSAFE, 120)),
  s('Anthropic API key', 'sk-ant-api03-', chars(URLSAFE, 93)),
  s('OpenAI-style secret key', 'sk-', chars(ALNUM, 48)),
  s('Azure account key', 'AccountKey=', `${chars(B64, 86)}==`),
  s('Azure account key', 'SharedAccessKey=', `${chars(B64, 43)}=`),
  s('Shopify token', 'shpat_', chars(HEX, 32)),
  s('DigitalOcean token', 'dop_v1_', chars(HEX, 64)),
  s('HashiCorp Vault token', 'hvs.', chars(URLSAFE, 90)),
  s('Hugging Face token', 'hf_', chars(LETTERS, 34)),
  s('PyPI token', 'pypi-', `AgEIcHlwaS5vcmc${chars(URLSAFE, 70)}`),
  s('Postman API key', 'PMAK-', `${chars(HEX, 24)}-${chars(HEX, 34)}`),
  s('Linear API key', 'lin_api_', chars(ALNUM, 40)),
  s('Databricks token', 'dapi', chars(HEX, 32)),
  s('Mailgun API key', 'key-', chars(HEX, 32)),
  s('Square token', 'sq0atp-', chars(URLSAFE, 22)),
  s('Square token', 'sq0csp-', chars(URLSAFE, 43)),
  s('Telegram bot token', '123456789:', `AA${chars(URLSAFE, 33)}`),
  s('Sentry token', 'sntrys_', chars(B64, 80)),
];

/** Text that looks a little like a token and is not one: kept byte for byte. */
export const NOT_TOKENS: ReadonlyArray<string> = [
  'task-1234 sk-learn disk-usage-report risk_live_stream SKU-42 AC power key-value',
  'ghp_short gho_ github_pat_ sk_live_ xoxb- AIza npm_ glpat- SG. sk- AccountKey=',
  'see https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json',
  'order 0123456789abcdef0123456789abcdef shipped; ticket SK-1234; build 123456789:done',
  'pk_live_ is a publishable key prefix; whsec is a word here; hf_ and hvs. too',
];

/** The distinct shape names the samples cover. */
export const SHAPES: ReadonlyArray<string> = [...new Set(TOKEN_SAMPLES.map((t) => t.shape))];
