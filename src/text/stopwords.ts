/** English function words dropped before indexing (a compact list in the spirit of Lucene's and NLTK's). */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both ' +
    'but by can could did do does doing down during each few for from further had has have having he her here hers ' +
    'him his how i if in into is it its itself just me more most my no nor not of off on once only or other our ours ' +
    'out over own same she should so some such than that the their theirs them then there these they this those ' +
    'through to too under until up very was we were what when where which while who whom why will with would you your ' +
    'yours also may might must shall whether within without upon via per however thus therefore'
  ).split(' '),
);

/** Chinese function words and question particles that carry no topic. */
export const CHINESE_STOPWORDS: ReadonlySet<string> = new Set(
  '的 了 是 在 和 与 及 或 等 对 于 中 为 以 而 并 也 就 都 被 把 从 由 其 之 这 那 个 我 你 他 她 它 们 有 吗 呢 吧 啊 如何 怎么 怎样 什么 哪些 是否 为什么 可以 能否 多少 哪个'.split(
    ' ',
  ),
);
