export { makeClients, isLocalEndpoint, type Clients, type ClientOptions } from './clients.js';
export { createTableInput } from './createTableInput.js';
export { ensureTable, dropTable } from './ensureTable.js';
export {
  startDynamoLocal,
  freePort,
  JavaMissingError,
  type DynamoLocal,
  type DynamoLocalOptions,
} from './local/dynamoLocal.js';
export {
  TABLE,
  INDEX,
  DEFAULT_TABLE_NAME,
  FAILED_INDEX_SHARDS,
  ENDPOINT_INDEX_SHARDS,
  type TableDefinition,
  type IndexDefinition,
  type KeyAttribute,
} from './tableDefinition.js';
