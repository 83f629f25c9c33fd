import type { MessageMetadata } from '@parley/contract';
import type { SmallTalk } from './matcher';

/** The chip (and the words) that hand a chat to the team. Always among the bot's chips. */
export const talkToPerson = 'Talk to a person';

/** What the bot writes; `kind` says how it came to it (failures count towards a handoff). */
export type BotReply = {
  kind: 'answer' | 'article' | 'small-talk' | 'not-understood' | 'handoff';
  body: string;
  metadata: MessageMetadata;
};

/** Up to 3 chips: two follow-ups at most, then "Talk to a person". */
export function chips(followUps: string[]): string[] {
  const unique = [
    ...new Set(
      followUps.map((text) => text.trim()).filter((text) => text && text !== talkToPerson),
    ),
  ];
  return [...unique.slice(0, 2), talkToPerson];
}

const smallTalkText: Record<SmallTalk, string> = {
  greeting: 'Hello! I can answer most questions right away. What can I help you with?',
  thanks: "You're welcome! Is there anything else I can help with?",
  goodbye: 'Goodbye, and thanks for stopping by! Write again any time.',
};

export function smallTalkReply(kind: SmallTalk, followUps: string[]): BotReply {
  return {
    kind: 'small-talk',
    body: smallTalkText[kind],
    metadata: { suggestions: chips(followUps) },
  };
}

export function notUnderstoodReply(followUps: string[]): BotReply {
  return {
    kind: 'not-understood',
    body: "Sorry, I didn't understand that. Could you put it another way, or pick one of these?",
    metadata: { suggestions: chips(followUps) },
  };
}

/** The path of an article in the help centre (the chat frame is served from it). */
export const articlePath = (slug: string) => `/help/${slug}`;

export function articleReply(
  article: { id: string; slug: string; title: string; summary: string },
  followUps: string[],
): BotReply {
  const summary = article.summary.trim();
  return {
    kind: 'article',
    body: `${article.title}\n${summary ? `${summary}\n` : ''}Read more: ${articlePath(article.slug)}`,
    metadata: { suggestions: chips(followUps), articleId: article.id },
  };
}

export function answerReply(
  answer: { reply: string; articleId: string | null; articleSlug: string | null },
  followUps: string[],
): BotReply {
  const link = answer.articleSlug ? `\nRead more: ${articlePath(answer.articleSlug)}` : '';
  return {
    kind: 'answer',
    body: `${answer.reply}${link}`,
    metadata: {
      suggestions: chips(followUps),
      ...(answer.articleId ? { articleId: answer.articleId } : {}),
    },
  };
}

/**
 * "Connecting you with the team…", with what to expect: someone soon when an agent is
 * online, else an answer here later. `afterFailures`: the bot gave up.
 */
export function handoffReply(agentsOnline: boolean, afterFailures = false): BotReply {
  const lead = afterFailures ? "Sorry, I couldn't find an answer to that. " : '';
  const wait = agentsOnline
    ? 'Someone will be with you in a few minutes.'
    : "Nobody is online right now: we'll answer here as soon as we're back.";
  return {
    kind: 'handoff',
    body: `${lead}Connecting you with the team… ${wait}`,
    metadata: { suggestions: [] },
  };
}
