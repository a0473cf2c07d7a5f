import type { RecordSink } from '../reader-types.js';
import { draftFromRis } from './ris.js';
import { scanTaggedLines, type TaggedGrammar } from './tagged-lines.js';

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

const REFER: TaggedGrammar = {
  name: 'refer',
  parseTag(line) {
    const tagged = REFER_TAG.exec(line);
    // Tags become their RIS equivalents here, so the RIS mapper reads the record.
    return tagged ? { tag: REFER_TO_RIS[tagged[1]!] ?? tagged[1]!, value: tagged[2] ?? '' } : undefined;
  },
  startsRecord: (tag) => tag === 'TY',
  joiner: (tag) => (tag === 'AB' ? '\n' : ' '),
};

/** Reads every refer record (records start at `%0` or after a blank line) into the sink. */
export function readRefer(text: string, sink: RecordSink): void {
  for (const record of scanTaggedLines(text, REFER, sink)) sink.record(draftFromRis(record), record.line);
}
