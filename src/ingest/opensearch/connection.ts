import { Client } from '@opensearch-project/opensearch';

/** Where the OpenSearch backend lives and how to reach it (from `OPENSEARCH_*` settings). */
export interface OpenSearchSettings {
  /** Cluster URL, e.g. `http://127.0.0.1:9200`. */
  url: string;
  /** Prefix of the two index names (`<prefix>-chunks`, `<prefix>-records`). @default 'abstract-qa' */
  indexPrefix: string;
  username?: string;
  password?: string;
  /** Verify the server's TLS certificate. @default true */
  verifyTls: boolean;
}

/** The two indexes one corpus occupies. */
export interface IndexNames {
  /** One document per chunk: our tokens per field, the vector, filter fields. */
  chunks: string;
  /** One document per record: the whole record and its content hash. */
  records: string;
}

/** Index names for a prefix. @example indexNames('abstract-qa') // { chunks: 'abstract-qa-chunks', records: 'abstract-qa-records' } */
export function indexNames(prefix: string): IndexNames {
  return { chunks: `${prefix}-chunks`, records: `${prefix}-records` };
}

/**
 * The official client for one cluster. Requests that a node drops (it stopped, or is restarting) are retried on
 * the other nodes the client knows; `sniffOnConnectionFault` would find new ones but needs publish addresses that
 * may not be reachable from here, so the URL list is the contract.
 * @example const client = createOpenSearchClient({ url: 'http://127.0.0.1:9200', indexPrefix: 'aqa', verifyTls: true });
 */
export function createOpenSearchClient(settings: OpenSearchSettings): Client {
  const nodes = settings.url.split(',').map((url) => url.trim()).filter(Boolean);
  return new Client({
    nodes,
    ...(settings.username !== undefined && { auth: { username: settings.username, password: settings.password ?? '' } }),
    ssl: { rejectUnauthorized: settings.verifyTls },
    maxRetries: 3,
    requestTimeout: 30_000,
  });
}
