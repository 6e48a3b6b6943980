import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { size } from '@delivery-history/core';
import { DEFAULT_BUDGETS } from '@delivery-history/store';

// Every item of a table against the store's item budget (invariant 7), and a search for
// secret markers that must never be stored (invariant 9).

export type BudgetReport = {
  readonly items: number;
  readonly largest: number;
  readonly overBudget: ReadonlyArray<{ pk: string; sk: string; bytes: number }>;
  readonly withSecret: ReadonlyArray<{ pk: string; sk: string }>;
};

export const ITEM_BUDGET = DEFAULT_BUDGETS.itemBytes;

export const checkItems = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  secretMarker: string | null,
): Promise<BudgetReport> => {
  let items = 0;
  let largest = 0;
  const overBudget: Array<{ pk: string; sk: string; bytes: number }> = [];
  const withSecret: Array<{ pk: string; sk: string }> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({ TableName: tableName, ...(start !== undefined ? { ExclusiveStartKey: start } : {}) }),
    );
    for (const item of page.Items ?? []) {
      items++;
      const bytes = size.item(item);
      largest = Math.max(largest, bytes);
      const key = { pk: String(item.pk), sk: String(item.sk) };
      if (bytes > ITEM_BUDGET) overBudget.push({ ...key, bytes });
      if (secretMarker !== null && JSON.stringify(item).includes(secretMarker)) withSecret.push(key);
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return { items, largest, overBudget, withSecret };
};
