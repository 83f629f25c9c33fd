/**
 * How the bot reads a visitor's words: small talk, asking for a person, and the admin's
 * answers matched by their example phrasings or keywords. Pure and deterministic.
 */

const stopWords = new Set(
  (
    'a an the i me my we our you your it its is are was were be been am do does did ' +
    'to of in on at for from with by about into and or but if so as that this these those ' +
    'there here what which who whom how can could would should will shall may might must ' +
    'please pls any some have has had not no yes just get got want need know tell'
  ).split(' '),
);

/** Lower case, accents and punctuation gone, single spaces. */
export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A crude English stem, the same on both sides of a comparison: "refunds" ~ "refunded" ~ "refund". */
function stem(word: string): string {
  for (const ending of ['ing', 'ed', 'es', 's']) {
    if (word.length > ending.length + 3 && word.endsWith(ending)) {
      return word.slice(0, -ending.length);
    }
  }
  return word;
}

/** The words that carry meaning, stemmed. */
export function contentWords(text: string): string[] {
  return normalize(text)
    .split(' ')
    .filter((word) => word && !stopWords.has(word))
    .map(stem);
}

const greetingWords = new Set(
  'hi hello hey hiya howdy yo morning afternoon evening good there team folks all everyone'.split(
    ' ',
  ),
);
const thanksWords = new Set(
  'thanks thank thx ty cheers great perfect ok okay cool awesome helpful that helped much lot you so very'.split(
    ' ',
  ),
);
const goodbyeWords = new Set(
  'bye goodbye cya see later ciao farewell thats all for now'.split(' '),
);

export type SmallTalk = 'greeting' | 'thanks' | 'goodbye';

/** A message made only of greeting, thanks or goodbye words (nothing left to answer). */
export function smallTalk(text: string): SmallTalk | null {
  const words = normalize(text).split(' ').filter(Boolean);
  if (words.length === 0 || words.length > 6) return null;
  const only = (set: Set<string>, key: string) =>
    words.some((word) => word.startsWith(key)) && words.every((word) => set.has(word));
  if (only(goodbyeWords, 'bye') || only(goodbyeWords, 'goodbye') || only(goodbyeWords, 'cya')) {
    return 'goodbye';
  }
  if (words.some((word) => ['thanks', 'thank', 'thx', 'ty', 'cheers'].includes(word))) {
    if (words.every((word) => thanksWords.has(word) || greetingWords.has(word))) return 'thanks';
  }
  if (words.every((word) => greetingWords.has(word)) && !words.every((w) => w === 'good')) {
    return 'greeting';
  }
  return null;
}

const personWords = new Set([
  'human',
  'humans',
  'agent',
  'agents',
  'person',
  'people',
  'someone',
  'somebody',
  'operator',
  'representative',
  'rep',
  'staff',
  'support',
]);

/**
 * The visitor asks for a person: "Talk to a person", "human", "agent please", "can I
 * speak to someone about my refund". A question that merely names one ("my support
 * ticket about the refund") is not: it takes a verb like "talk", or nothing but such words.
 */
export function wantsPerson(text: string): boolean {
  const words = normalize(text).split(' ').filter(Boolean);
  if (words.length === 0) return false;
  const asks = words.filter((word) => personWords.has(word)).length;
  if (asks === 0) return false;
  const filler = new Set([
    'talk',
    'speak',
    'chat',
    'to',
    'with',
    'a',
    'an',
    'the',
    'real',
    'live',
    'please',
    'pls',
    'i',
    'want',
    'need',
    'would',
    'like',
    'can',
    'could',
    'may',
    'let',
    'me',
    'connect',
    'get',
    'transfer',
    'give',
    'customer',
    'service',
    'your',
    'one',
    'of',
    'talking',
    'speaking',
  ]);
  const talks = words.some((word) =>
    ['talk', 'speak', 'chat', 'connect', 'transfer', 'talking', 'speaking'].includes(word),
  );
  return talks || words.every((word) => personWords.has(word) || filler.has(word));
}

export type MatchableAnswer = { id: string; phrasings: string[] };

/**
 * The admin answer whose phrasing matches best, or null. A phrasing matches when the
 * message has all its meaning words (one or two), or at least two thirds of them
 * (longer phrasings). Ties go to the answer listed first (the admin's order).
 */
export function matchAnswer<T extends MatchableAnswer>(
  text: string,
  answers: T[],
): { answer: T; score: number } | null {
  const said = new Set(contentWords(text));
  const normalized = ` ${normalize(text)} `;
  let best: { answer: T; score: number } | null = null;
  for (const answer of answers) {
    for (const phrasing of answer.phrasings) {
      const wanted = [...new Set(contentWords(phrasing))];
      const exact = normalize(phrasing) && normalized.includes(` ${normalize(phrasing)} `);
      const hits = wanted.filter((word) => said.has(word)).length;
      const enough = wanted.length <= 2 ? hits === wanted.length : hits * 3 >= wanted.length * 2;
      if (!exact && (!enough || hits === 0)) continue;
      // Whole-phrasing matches first, then the share of the phrasing found, then its size.
      const score = (exact ? 2 : 0) + (wanted.length ? hits / wanted.length : 1) + hits / 100;
      if (!best || score > best.score) best = { answer, score };
    }
  }
  return best;
}

/**
 * Whether an article suggestion (`help.suggest`: how many of the question's `words`
 * it matched) is good enough to answer with: half the words, and at least two when
 * the question has two or more.
 */
export function goodArticleMatch(score: number, words: number): boolean {
  if (words === 0) return false;
  return score >= Math.min(2, words) && score * 2 >= words;
}
