/**
 * Exit codes scripts can trust:
 * 0 found / ok; 1 not found, drift found or a check failed; 2 usage or configuration
 * error; 3 the table could not be read or written (DynamoDB/SQS error, refused write).
 */
export const EXIT = {
  ok: 0,
  notFound: 1,
  checkFailed: 1,
  usage: 2,
  config: 2,
  runtime: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
