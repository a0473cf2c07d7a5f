/** Term counts of one indexed unit, per field. */
export type FieldTerms = Record<string, string[]>;

/** BM25 parameters and per-field weights used at query time. */
export interface Bm25Options {
  /** Term-frequency saturation. @default 1.2 */
  k1?: number;
  /** Length normalisation. @default 0.75 */
  b?: number;
  /** Weight of each field's BM25 score; fields left out count 1. */
  weights?: Record<string, number>;
  /** Largest number of hits returned. @default 100 */
  limit?: number;
  /** Keep only units whose position passes (positions follow insertion order). */
  filter?: (position: number) => boolean;
  /**
   * `bm25`: each field scored on its own, then weighted and summed. `bm25f` (Robertson et al. 2004): weighted,
   * length-normalised term frequencies of all fields are added first and saturated once, so a term matching
   * both a short title and the body is not counted twice at full strength.
   * @default 'bm25'
   */
  scoring?: 'bm25' | 'bm25f';
}

/** A scored unit. */
export interface LexicalHit {
  id: string;
  score: number;
}

interface Postings {
  docs: number[];
  tfs: number[];
}

/** Serialised form: per unit, per field, `[term, count]` pairs (postings are rebuilt on load). */
export interface LexicalIndexJson {
  fields: string[];
  units: Array<[id: string, fields: Record<string, Array<[string, number]>>]>;
}

/**
 * An in-memory inverted index scored with multi-field BM25: either each field scored with its own length
 * statistics, then weighted and summed (as Orama and Lucene's multi-field queries do), or BM25F, which
 * combines the fields' normalised term frequencies before saturating them. Terms come already tokenized, so
 * the tokenizer stays a plug-in of the caller.
 */
export class LexicalIndex {
  private readonly ids: string[] = [];
  private readonly counts: Array<Record<string, Array<[string, number]>>> = [];
  private readonly postings = new Map<string, Map<string, Postings>>();
  private readonly lengths = new Map<string, number[]>();
  private readonly totalLength = new Map<string, number>();

  constructor(readonly fields: readonly string[]) {
    for (const field of fields) {
      this.postings.set(field, new Map());
      this.lengths.set(field, []);
      this.totalLength.set(field, 0);
    }
  }

  /** Number of indexed units. */
  get size(): number {
    return this.ids.length;
  }

  /** Adds a unit from its tokenized fields; returns its position. */
  add(id: string, terms: FieldTerms): number {
    const counted: Record<string, Array<[string, number]>> = {};
    for (const field of this.fields) {
      const tally = new Map<string, number>();
      for (const term of terms[field] ?? []) tally.set(term, (tally.get(term) ?? 0) + 1);
      counted[field] = [...tally];
    }
    return this.addCounted(id, counted);
  }

  /** Units of `field` containing `term`. */
  documentFrequency(term: string, field: string): number {
    return this.postings.get(field)?.get(term)?.docs.length ?? 0;
  }

  /** Term counts stored for a unit, for reuse when the index is rebuilt without re-tokenizing. */
  termCounts(position: number): Record<string, Array<[string, number]>> {
    return this.counts[position]!;
  }

  /** Adds a unit from already counted terms. */
  addCounted(id: string, counted: Record<string, Array<[string, number]>>): number {
    const position = this.ids.length;
    this.ids.push(id);
    this.counts.push(counted);
    for (const field of this.fields) {
      const pairs = counted[field] ?? [];
      let length = 0;
      const fieldPostings = this.postings.get(field)!;
      for (const [term, tf] of pairs) {
        length += tf;
        let list = fieldPostings.get(term);
        if (!list) fieldPostings.set(term, (list = { docs: [], tfs: [] }));
        list.docs.push(position);
        list.tfs.push(tf);
      }
      this.lengths.get(field)!.push(length);
      this.totalLength.set(field, this.totalLength.get(field)! + length);
    }
    return position;
  }

  /**
   * Ranks units for a bag of query terms. Repeated query terms count once per occurrence; weighted terms (term →
   * weight, e.g. dictionary translations that split a word's weight between its renderings) count their weight.
   */
  search(queryTerms: string[] | ReadonlyMap<string, number>, options: Bm25Options = {}): LexicalHit[] {
    const { limit = 100, filter } = options;
    const n = this.ids.length;
    let queryCounts: ReadonlyMap<string, number>;
    if (Array.isArray(queryTerms)) {
      const counts = new Map<string, number>();
      for (const term of queryTerms) counts.set(term, (counts.get(term) ?? 0) + 1);
      queryCounts = counts;
    } else queryCounts = queryTerms as ReadonlyMap<string, number>;
    if (n === 0 || queryCounts.size === 0) return [];
    const scores = new Float64Array(n);
    const touched = new Uint8Array(n);
    if (options.scoring === 'bm25f') this.scoreBm25f(queryCounts, options, scores, touched);
    else this.scoreBm25(queryCounts, options, scores, touched);

    const hits: LexicalHit[] = [];
    for (let doc = 0; doc < n; doc++) {
      if (touched[doc] && (!filter || filter(doc))) hits.push({ id: this.ids[doc]!, score: scores[doc]! });
    }
    hits.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1));
    return hits.slice(0, limit);
  }

  private scoreBm25(queryCounts: ReadonlyMap<string, number>, options: Bm25Options, scores: Float64Array, touched: Uint8Array): void {
    const { k1 = 1.2, b = 0.75, weights = {} } = options;
    const n = this.ids.length;
    for (const field of this.fields) {
      const weight = weights[field] ?? 1;
      if (weight === 0) continue;
      const lengths = this.lengths.get(field)!;
      const averageLength = this.totalLength.get(field)! / n || 1;
      const fieldPostings = this.postings.get(field)!;
      for (const [term, queryCount] of queryCounts) {
        const list = fieldPostings.get(term);
        if (!list) continue;
        const df = list.docs.length;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        for (let i = 0; i < df; i++) {
          const doc = list.docs[i]!;
          const tf = list.tfs[i]!;
          const norm = tf + k1 * (1 - b + (b * lengths[doc]!) / averageLength);
          scores[doc]! += weight * queryCount * idf * ((tf * (k1 + 1)) / norm);
          touched[doc] = 1;
        }
      }
    }
  }

  private scoreBm25f(queryCounts: ReadonlyMap<string, number>, options: Bm25Options, scores: Float64Array, touched: Uint8Array): void {
    const { k1 = 1.2, b = 0.75, weights = {} } = options;
    const n = this.ids.length;
    const pseudoTf = new Float64Array(n);
    const fields = this.fields
      .map((field) => ({
        weight: weights[field] ?? 1,
        lengths: this.lengths.get(field)!,
        averageLength: this.totalLength.get(field)! / n || 1,
        postings: this.postings.get(field)!,
      }))
      .filter((f) => f.weight > 0);
    for (const [term, queryCount] of queryCounts) {
      const docs: number[] = [];
      for (const field of fields) {
        const list = field.postings.get(term);
        if (!list) continue;
        for (let i = 0; i < list.docs.length; i++) {
          const doc = list.docs[i]!;
          if (pseudoTf[doc] === 0) docs.push(doc);
          pseudoTf[doc]! += (field.weight * list.tfs[i]!) / (1 - b + (b * field.lengths[doc]!) / field.averageLength);
        }
      }
      // Document frequency over the union of the weighted fields.
      const idf = Math.log(1 + (n - docs.length + 0.5) / (docs.length + 0.5));
      for (const doc of docs) {
        const tf = pseudoTf[doc]!;
        scores[doc]! += queryCount * idf * ((tf * (k1 + 1)) / (tf + k1));
        touched[doc] = 1;
        pseudoTf[doc] = 0;
      }
    }
  }

  /** Plain JSON for saving next to the vector index. */
  toJSON(): LexicalIndexJson {
    return { fields: [...this.fields], units: this.ids.map((id, i) => [id, this.counts[i]!]) };
  }

  /** Rebuilds an index saved with {@link toJSON}. */
  static fromJSON(json: LexicalIndexJson): LexicalIndex {
    const index = new LexicalIndex(json.fields);
    for (const [id, counted] of json.units) index.addCounted(id, counted);
    return index;
  }
}
