import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local SQS endpoint for `dh local`: just `SendMessage` (and `GetQueueUrl`) of the SQS
// JSON protocol, so `dh replay redrive` in another shell (DELIVERY_QUEUE_URL +
// AWS_ENDPOINT_URL_SQS) hands its records to this stack's worker, as it would on AWS.

export type SqsEndpoint = {
  readonly endpoint: string;
  readonly queueUrl: string;
  close(): Promise<void>;
};

export type Enqueue = (body: string, delaySeconds: number) => void;

const JSON_TYPE = 'application/x-amz-json-1.0';
const QUEUE_NAME = 'delivery-local';

const reply = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': JSON_TYPE, 'x-amzn-requestid': randomUUID() });
  res.end(JSON.stringify(body));
};

const error = (res: ServerResponse, type: string, message: string): void =>
  reply(res, 400, { __type: `com.amazonaws.sqs#${type}`, message });

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((ok, ko) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      s += c;
    });
    req.on('end', () => ok(s));
    req.on('error', ko);
  });

const handle = async (req: IncomingMessage, res: ServerResponse, queueUrl: string, enqueue: Enqueue) => {
  const target = String(req.headers['x-amz-target'] ?? '');
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(await readBody(req)) as Record<string, unknown>;
  } catch {
    return error(res, 'InvalidParameterValue', 'body is not JSON');
  }
  if (target === 'AmazonSQS.GetQueueUrl') return reply(res, 200, { QueueUrl: queueUrl });
  if (target !== 'AmazonSQS.SendMessage')
    return error(res, 'UnsupportedOperation', `${target} is not served by dh local`);
  const body = input.MessageBody;
  if (typeof body !== 'string' || body === '') return error(res, 'MissingParameter', 'MessageBody is required');
  const delay = typeof input.DelaySeconds === 'number' ? input.DelaySeconds : 0;
  enqueue(body, delay);
  reply(res, 200, { MessageId: randomUUID(), MD5OfMessageBody: createHash('md5').update(body, 'utf8').digest('hex') });
};

/** Serves SendMessage on 127.0.0.1 (a free port), each body handed to `enqueue`. */
export const startSqsEndpoint = async (enqueue: Enqueue): Promise<SqsEndpoint> => {
  let queueUrl = '';
  const server = createServer((req, res) => {
    handle(req, res, queueUrl, enqueue).catch(() => error(res, 'InternalError', 'request failed'));
  });
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  queueUrl = `${endpoint}/000000000000/${QUEUE_NAME}`;
  return {
    endpoint,
    queueUrl,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
};
