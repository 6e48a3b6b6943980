// Loads a Lambda bundle the way Lambda would: a cold `node` in a directory with no
// node_modules above it, imports the file, finds `handler`, and answers an empty batch
// (which runs the cold start: configuration, SDK clients, Powertools, no network call).
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `[typeof handler, JSON of its answer to { Records: [] }]`. */
export const answerEmptyBatch = async (bundleFile: string, cwd: string): Promise<[string, unknown]> => {
  const url = pathToFileURL(bundleFile).href;
  const script = [
    `const m = await import(${JSON.stringify(url)});`,
    'console.log(typeof m.handler);',
    // a rejection is an answer too (the drain's cold start without its queue says so in one line)
    'console.log(JSON.stringify(await m.handler({ Records: [] }).catch((e) => ({ rejected: String(e.message) }))));',
  ].join('\n');
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd,
    // What Lambda provides besides the function's own variables; no credentials needed.
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1', DELIVERY_TABLE_NAME: 'delivery-history-test' },
    timeout: 60_000,
  });
  const [kind, response] = stdout.trim().split('\n');
  return [kind ?? '', JSON.parse(response ?? 'null') as unknown];
};
