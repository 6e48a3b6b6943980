import { DEFAULT_BODY_BUDGET_BYTES } from '../request/createStateItem.js';
import { DEFAULT_TRUNCATABLE_FIELDS, fitToBudget } from './fitToBudget.js';
import { boundHandoffBody, SQS_MAX_MESSAGE_BYTES } from './handoffBody.js';
import { attributeValueSize, DYNAMODB_ITEM_LIMIT_BYTES, itemSize, utf8Bytes } from './itemSize.js';

/**
 * Sizes, as one door: how DynamoDB counts an item and the limits that follow (the 400 KB item,
 * the 1 MB SQS message, the request body budget), and the fitting that keeps a write under
 * them (truncating the fields that may be cut, bounding the hand-off body).
 */
export const size = {
  item: itemSize,
  attribute: attributeValueSize,
  utf8: utf8Bytes,
  fitToBudget,
  boundHandoffBody,
  ITEM_LIMIT_BYTES: DYNAMODB_ITEM_LIMIT_BYTES,
  SQS_MESSAGE_BYTES: SQS_MAX_MESSAGE_BYTES,
  BODY_BUDGET_BYTES: DEFAULT_BODY_BUDGET_BYTES,
  TRUNCATABLE_FIELDS: DEFAULT_TRUNCATABLE_FIELDS,
} as const;
