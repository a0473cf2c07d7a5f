import type { Client } from '@opensearch-project/opensearch';

/** One write of a bulk request. */
export type BulkOperation =
  | { action: 'index'; index: string; id: string; document: Record<string, unknown> }
  | { action: 'delete'; index: string; id: string };

/** Retry policy of {@link bulkWrite}. */
export interface BulkRetryOptions {
  /** Attempts after the first for items refused with 429 or 5xx (and for the request as a whole). @default 6 */
  retries?: number;
  /** First backoff; doubled each attempt, with jitter. @default 250 */
  baseDelayMs?: number;
}

/** Thrown when a bulk item fails for good (a mapping error, or still 429/5xx after every retry). */
export class BulkWriteError extends Error {
  override name = 'BulkWriteError';
}

const retryable = (status: number) => status === 429 || status >= 500;

/**
 * Sends writes with `_bulk` and checks every item of the response (a bulk request answers 200 even when items
 * fail). Items refused with 429 (queue full) or 5xx, and requests that fail as a whole on such a status or a
 * dropped connection, are sent again after an exponential backoff; any other item error stops the write.
 * A delete of a missing document counts as done.
 * @example await bulkWrite(client, [{ action: 'index', index: 'aqa-records', id: 'r1', document: { hash: 'abc' } }]);
 */
export async function bulkWrite(client: Client, operations: BulkOperation[], options: BulkRetryOptions = {}): Promise<void> {
  const retries = options.retries ?? 6;
  const baseDelay = options.baseDelayMs ?? 250;
  let pending = operations;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) await sleep(baseDelay * 2 ** (attempt - 1) * (0.5 + Math.random()));
    let items: Array<Record<string, { status: number; error?: { type?: string; reason?: string } }>>;
    try {
      const response = await client.bulk({ body: pending.flatMap(toLines) } as never);
      items = (response.body as { items: typeof items }).items;
    } catch (error) {
      const status = (error as { meta?: { statusCode?: number } }).meta?.statusCode;
      if (attempt < retries && (status === undefined || retryable(status))) continue;
      throw new BulkWriteError(`bulk write of ${pending.length} item(s) failed: ${(error as Error).message}`);
    }
    const again: BulkOperation[] = [];
    items.forEach((item, i) => {
      const result = Object.values(item)[0]!;
      const operation = pending[i]!;
      if (result.status < 300 || (operation.action === 'delete' && result.status === 404)) return;
      if (retryable(result.status) && attempt < retries) again.push(operation);
      else {
        const reason = result.error ? `${result.error.type}: ${result.error.reason}` : `status ${result.status}`;
        throw new BulkWriteError(`${operation.action} ${operation.index}/${operation.id} failed: ${reason}`);
      }
    });
    pending = again;
  }
}

function toLines(operation: BulkOperation): unknown[] {
  const header = { [operation.action]: { _index: operation.index, _id: operation.id } };
  return operation.action === 'index' ? [header, operation.document] : [header];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
