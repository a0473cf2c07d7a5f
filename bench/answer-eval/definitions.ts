/** What each measure of the lexical report means; written into the report as `definitions`. */
export const DEFINITIONS = {
  grounding:
    'PubMedQA PQA-L questions of the split, each asked twice. Answerable: index = all 1,000 PubMedQA abstracts + 5,183 SciFact ' +
    'abstracts as distractors (the gold abstract is in it). Unanswerable: a second index built from the same documents minus ' +
    "the split's 500 gold abstracts, so the corpus really does not contain the answer. grounded_rate = share of answerable " +
    'questions answered (grounded:true); refusal_rate = share of unanswerable questions refused (grounded:false); ' +
    'balanced_accuracy = mean of the two; f1 = F1 of "grounded" as the positive decision (precision over both runs). ' +
    'strict_* count an answerable answer as right only if its first citation is the gold abstract.',
  pubmedqaCitation:
    'first_citation_precision = among answerable questions answered, share whose first citation [1] is the gold abstract; ' +
    'any_citation_gold = share with the gold abstract among any of its citations.',
  scifactCitation:
    'SciFact claims of the split, index = the 5,183 SciFact abstracts. For SUPPORT/CONTRADICT claims: rationale_hit = among ' +
    'answered claims, share with at least one citation overlapping a gold rationale sentence (answer.evidence sentence indices ' +
    'mapped through meta.sentence_spans, character offsets into the abstract; overlap >= half of the shorter span, because the ' +
    "product's sentence splitter and SciFact's differ at a few boundaries); citation_precision = share of all citations that hit " +
    'a rationale sentence; doc_hit = at least one citation from an evidence abstract. NEI claims: grounded_rate only — ' +
    'their cited abstracts are on topic, so lexical coverage is not expected to tell them apart (reported, not tuned on).',
  bioasq:
    'Secondary check on natural expert questions (BioASQ 7b-11b, snippet passages). Answerable: all 13,449 passages; ' +
    "unanswerable: minus every gold passage of the split's questions. Noisy: other passages may still answer a question, so " +
    'refusal_rate is a lower bound of the true one. Not used to choose.',
  offTopic:
    'Plainly off-domain questions (cooking, sports, geography; English and Chinese) on the shipped corpus (corpus/, read and ' +
    'indexed as the product does): every one must be refused. On-topic questions (English, Chinese with a Chinese source) ' +
    'should be answered; cross-lingual ones (Chinese question, English-only source) are listed separately as a known weakness.',
};
