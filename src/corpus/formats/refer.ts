import type { RecordSink } from '../reader-types.js';
import { draftFromRis } from './ris.js';
import { splitLines, type TaggedRecord } from './tagged-lines.js';

/**
 * Reader for the EndNote "refer" tagged text (`%0 Journal Article`, `%A`, `%T`, …), which is what CNKI's
 * "EndNote" export and EndNote's own `.enw` files contain. Tags are mapped to their RIS equivalents and
 * read by the RIS mapper, so both formats fill records the same way.
 */

const REFER_TO_RIS: Record<string, string> = {
  '%0': 'TY', '%A': 'AU', '%T': 'TI', '%J': 'JF', '%B': 'T2', '%D': 'PY', '%8': 'DA', '%V': 'VL', '%N': 'IS', '%P': 'SP',
  '%X': 'AB', '%K': 'KW', '%R': 'DO', '%G': 'LA', '%+': 'AD', '%U': 'UR', '%M': 'AN', '%W': 'DB', '%Q': 'TT',
};
const REFER_TAG = /^(%[0-9A-Z@+!#$&()*^~>|?[\]])\s?(.*)$/;

/** Reads every refer record (records start at `%0` or after a blank line) into the sink. */
export function readRefer(text: string, sink: RecordSink): void {
  const records: TaggedRecord[] = [];
  let current: TaggedRecord | undefined;
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').replace(/^\uFEFF/, '');
    const lineNo = i + 1;
    if (!raw.trim()) {
      current = undefined;
      continue;
    }
    const tagged = REFER_TAG.exec(raw);
    if (!tagged) {
      const last = current?.fields[current.fields.length - 1];
      if (last) last.value = `${last.value}${last.tag === 'AB' ? '\n' : ' '}${raw.trim()}`;
      else sink.note(lineNo, `text outside a refer record: "${raw.trim().slice(0, 40)}"`);
      continue;
    }
    const referTag = tagged[1] as string;
    if (!current || referTag === '%0') {
      current = { fields: [], line: lineNo };
      records.push(current);
    }
    const tag = REFER_TO_RIS[referTag] ?? referTag;
    current.fields.push({ tag, value: (tagged[2] ?? '').trim(), line: lineNo });
  }
  for (const record of records) sink.record(draftFromRis(record), record.line);
}
