/** The shipped-corpus sanity questions: off-topic (must be refused), on-topic and cross-lingual. */

/** Plainly off-domain questions: all must be refused. */
export const OFF_TOPIC = [
  'What is the best recipe for sourdough bread?',
  'How long should I boil an egg for a soft yolk?',
  'Who won the 2018 FIFA World Cup?',
  'What is the capital of Australia?',
  'How many players are on a basketball team?',
  'What is the tallest mountain in Africa?',
  'How do I make a classic French omelette?',
  'Which river flows through Budapest?',
  'How does the leg before wicket rule work in cricket?',
  'How do you season a cast iron skillet?',
  'Who holds the record for the most Olympic gold medals?',
  'What is the population of Canada?',
  'At what temperature should I roast a whole chicken?',
  'How long is a marathon in kilometres?',
  'Which countries border Switzerland?',
  'What wine pairs well with grilled salmon?',
  'How can I improve my tennis serve?',
  'What is the longest river in South America?',
  'How do I make fresh pasta without a machine?',
  'When was the Eiffel Tower built?',
  '如何烤制酸面包？',
  '红烧肉怎么做？',
  '2022年世界杯冠军是哪个国家？',
  '中国最长的河流是哪条？',
  '澳大利亚的首都是哪里？',
  '篮球比赛每队有几名球员？',
  '怎样包饺子？',
  '珠穆朗玛峰有多高？',
  '北京有哪些著名的旅游景点？',
  '马拉松全程是多少公里？',
  // These three share a common word with a Chinese abstract, so retrieval returns something and the threshold decides.
  '怎样培养孩子的阅读习惯？',
  '长江流经哪些省份？',
  '中国的经济增长率是多少？',
];

/** Questions the shipped corpus answers, in the language of a source that answers them. */
export const ON_TOPIC = [
  'What strategies can prevent or reverse CAR-T cell exhaustion?',
  'Does 4-1BB costimulation reduce exhaustion caused by tonic CAR signaling?',
  'What is the long-term outcome of CD19 CAR T cell therapy in acute lymphoblastic leukemia?',
  'Is PD-L1 expression in human cancers associated with clinical outcomes?',
  'How does SATB1 control PD-1 expression in tumor-reactive T cells?',
  'Is pembrolizumab associated with tumor response and survival in advanced melanoma?',
  'How does fatty acid oxidation affect myeloid-derived suppressor cells?',
  'How effective is axicabtagene ciloleucel in refractory large B-cell lymphoma?',
  'Does tumor-induced IL-6 suppress anti-tumor immunity?',
  'Can cancer-associated fibroblasts alter the antitumor immune response?',
  '如何逆转CAR-T细胞耗竭？',
  'OX40与T细胞的关系是什么？',
  'DCIK细胞治疗肺癌的疗效如何？',
  'NK细胞和树突状细胞如何相互作用？',
];

/** Chinese questions whose answer exists only in English abstracts: lexical mode cannot bridge them. */
export const CROSS_LINGUAL = [
  'PD-1抑制剂能改善晚期黑色素瘤患者的生存吗？',
  'PD-L1表达与肿瘤患者的临床结局有关吗？',
  '4-1BB共刺激能减轻CAR-T细胞耗竭吗？',
  '肿瘤相关成纤维细胞如何影响抗肿瘤免疫？',
];

/**
 * English questions that paraphrase an abstract of the shipped corpus (issue #9 item 5: the first two were refused
 * although their abstract ranks first and says exactly that). Written for the dev calibration of same-language
 * semantic evidence; they should be answered, citing `gold` first.
 */
export const PARAPHRASED = [
  { question: 'Is PD-L1 expression linked to worse outcomes across human cancers?', gold: 'demo-scifact-8963413' },
  { question: 'How durable are remissions after CD19-directed CAR T cells in adults with ALL?', gold: 'demo-scifact-3462075' },
  { question: 'Does radiation combined with blocking CTLA-4 and PD-L1 engage distinct immune mechanisms?', gold: 'demo-scifact-4468861' },
  { question: 'Can 4-1BB signaling in a CAR keep T cells from becoming exhausted by tonic signaling?', gold: 'demo-scifact-18231807' },
  { question: 'Does SATB1 silence PD-1 in T cells that react to tumors?', gold: 'demo-scifact-5377642' },
  { question: 'What response rates and survival did pembrolizumab achieve in advanced melanoma?', gold: 'demo-scifact-3471191' },
  { question: 'Does blocking fatty acid oxidation weaken the immunosuppression by MDSCs?', gold: 'demo-scifact-2030623' },
  { question: 'How do fibroblasts associated with cancer change the antitumor immune response?', gold: 'demo-scifact-32742683' },
];
