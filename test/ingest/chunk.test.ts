import { describe, expect, it } from 'vitest';
import { chunkRecord, estimateTokens } from '../../src/ingest/chunk.js';

const english = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} reports that exhausted T cells express PD-1 and TIM-3 in tumours.`).join(' ');
const chinese = Array.from({ length: 40 }, (_, i) => `第${i}句指出耗竭的T细胞在肿瘤中高表达PD-1和TIM-3分子。`).join('');

describe('chunkRecord', () => {
  it('keeps every chunk inside the token budget and on sentence boundaries (English)', () => {
    const chunks = chunkRecord({ id: 'r1', abstract: english }, { maxTokens: 100, overlapTokens: 25 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(english.slice(c.start, c.end)).toBe(c.text);
      expect(estimateTokens(c.text)).toBeLessThanOrEqual(100);
      expect(c.text.startsWith('Sentence number')).toBe(true);
      expect(c.text.endsWith('tumours.')).toBe(true);
      expect(c.recordId).toBe('r1');
    }
    expect(chunks.map((c) => c.id)).toEqual(chunks.map((_, i) => `r1#${i}`));
    // Neighbours overlap by whole sentences, and together they cover the whole abstract.
    expect(chunks[1]!.start).toBeLessThan(chunks[0]!.end);
    expect(chunks[0]!.start).toBe(0);
    expect(chunks[chunks.length - 1]!.end).toBe(english.length);
  });

  it('cuts Chinese after 。 and counts Han characters as tokens', () => {
    const chunks = chunkRecord({ id: 'zh', abstract: chinese }, { maxTokens: 120, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) {
      expect(c.text.endsWith('。')).toBe(true);
      expect(c.text.startsWith('第')).toBe(true);
      expect(estimateTokens(c.text)).toBeLessThanOrEqual(120);
    }
    // No overlap asked: chunks tile the text.
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBeGreaterThanOrEqual(chunks[i - 1]!.end);
  });

  it('cuts an over-long sentence at clause marks without splitting surrogate pairs', () => {
    const long = `${'𝛼-细胞，'.repeat(200)}结束。`;
    const chunks = chunkRecord({ id: 'long', abstract: long }, { maxTokens: 64, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(long.slice(c.start, c.end)).toBe(c.text);
      expect(/^[\uDC00-\uDFFF]/.test(c.text)).toBe(false);
      expect(/[\uD800-\uDBFF]$/.test(c.text)).toBe(false);
    }
  });

  it('makes one chunk of a typical abstract', () => {
    const abstract = english.slice(0, 1400);
    expect(chunkRecord({ id: 'short', abstract })).toHaveLength(1);
  });
});
