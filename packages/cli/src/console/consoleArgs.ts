import { IntArg, NonEmptyArg } from '../kit/args/codecs.js';
import { flag, option } from '../kit/args/option.js';
import { declare } from '../kit/args/declaration.js';

/** `dh console`: its flags, synopsis and help. */
export const consoleArgs = declare({
  name: 'console',
  positionals: [],
  options: {
    port: option(IntArg(0, 65535), { value: 'N', help: 'port to listen on (0: any free port)', default: 0 }),
    host: option(NonEmptyArg, {
      value: 'ADDR',
      help: 'address to bind (another than loopback: a warning)',
      default: '127.0.0.1',
    }),
    'read-only': flag({ help: 'no actions: no re-drive or expunge, every state-changing request refused' }),
    'no-payloads': flag({ help: 'never show request bodies and response snippets' }),
  },
  synopsis: '[--port N] [--host ADDR] [--read-only] [--no-payloads]',
  about: `  The support console until Ctrl-C: a web server over the same table and runs as the CLI
  (overview, messages, one message, endpoint health, re-drive jobs, expunge). Prints one URL with a
  one-time token; opening it sets a session cookie. Binds 127.0.0.1 (--host another address:
  a warning). --port 0 or none: any free port. --no-payloads: request bodies and response
  snippets are never shown. --read-only: no re-drive or expunge (every state-changing request
  is 405).`,
  examples: ['dh console', 'dh console --port 7300 --no-payloads'],
});
