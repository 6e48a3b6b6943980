// Deep imports of the two undici parts the worker uses (its index would pull all of undici,
// fetch and WebSocket included, into the Lambda bundle). Each module is CommonJS and exports
// the class / function itself; the types (and namespaces) are the package's own.
declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici';
  export default Agent;
}

declare module 'undici/lib/core/connect.js' {
  import { buildConnector } from 'undici';
  export default buildConnector;
}
