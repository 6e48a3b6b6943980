// The names a construct's props use for handlers and runtimes, apart from the bundling
// settings (lambdaBundling.ts imports esbuild's types, which the packed package does not
// ship: its declarations must name nothing a consumer lacks).

/** The two functions of the stack. */
export type HandlerName = 'worker' | 'projector';

/** Lambda runtimes the stack can select (context `lambdaRuntime`). */
export const LAMBDA_RUNTIMES = ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'] as const;
export type LambdaRuntimeName = (typeof LAMBDA_RUNTIMES)[number];

/** New deployments get Node 22; nodejs20.x is deprecated on AWS and stays selectable. */
export const DEFAULT_LAMBDA_RUNTIME: LambdaRuntimeName = 'nodejs22.x';
