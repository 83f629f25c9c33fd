import { botAuthorName } from '@parley/contract';
import {
  botHasKnowledge,
  listEnabledBotAnswers,
  suggestHelpArticles,
  type Db,
  type DbOrTx,
  type LockedTicket,
  type WidgetRow,
} from '@parley/db';
import { withLockedTicket } from '../domain/ticket-service';
import { writeThreadChange, type FieldChanges, type ThreadEntry } from '../domain/thread';
import { goodArticleMatch, matchAnswer, smallTalk, wantsPerson } from './matcher';
import {
  answerReply,
  articleReply,
  handoffReply,
  notUnderstoodReply,
  smallTalkReply,
  type BotReply,
} from './replies';

/** Replies the bot did not understand before it hands the chat to the team. */
export const maxBotFailures = 2;

/**
 * Whether the bot answers a new chat on this widget: the admin left it on and it has
 * something to answer with (an enabled answer or a published public article).
 */
export async function botIsOn(db: DbOrTx, widget: WidgetRow): Promise<boolean> {
  return widget.botEnabled && (await botHasKnowledge(db));
}

/**
 * What the bot would answer to `text`, in this order: a request for a person (handoff),
 * small talk, the admin's answer whose phrasings match, the best public article when
 * the match is good, else "didn't understand". Reads only the answers and the public
 * articles: nothing of any ticket (an internal note cannot leak into a reply).
 */
export async function composeReply(
  db: DbOrTx,
  text: string,
  agentsOnline: boolean,
): Promise<BotReply> {
  if (wantsPerson(text)) return handoffReply(agentsOnline);
  const answers = await listEnabledBotAnswers(db);
  // Follow-up chips: the first phrasing of each answer, in the admin's order.
  const starters = (exceptId?: string) =>
    answers.filter((a) => a.id !== exceptId).map((a) => a.phrasings[0] ?? a.name);
  const talk = smallTalk(text);
  if (talk) return smallTalkReply(talk, starters());
  const matched = matchAnswer(text, answers);
  if (matched) return answerReply(matched.answer, starters(matched.answer.id));
  const { rows, words } = await suggestHelpArticles(db, { reader: null, text, limit: 3 });
  const [best, ...others] = rows;
  if (best && goodArticleMatch(best.score, words)) {
    // Follow-ups: the next articles for the same question, then the answers.
    return articleReply(best, [...others.map((row) => row.title), ...starters()]);
  }
  return notUnderstoodReply(starters());
}

/** The bot's message and the ticket fields it changes, to write under the ticket's lock. */
export type BotTurn = { entries: ThreadEntry[]; fields: FieldChanges };

export function botEntry(reply: BotReply): ThreadEntry {
  return {
    authorId: null,
    authorName: botAuthorName,
    authorRole: 'bot',
    body: reply.body,
    internal: false,
    clientId: null,
    metadata: reply.metadata,
  };
}

/**
 * The bot's turn on a locked ticket: nothing unless the bot still has the chat. A
 * reply it did not understand counts a failure; the second one becomes a handoff.
 */
export function botTurn(
  { ticket, now }: LockedTicket,
  reply: BotReply,
  agentsOnline: boolean,
): BotTurn | null {
  if (ticket.botState !== 'active') return null;
  let final = reply;
  const fields: FieldChanges = {};
  if (reply.kind === 'not-understood') {
    fields.botFailures = ticket.botFailures + 1;
    if (fields.botFailures >= maxBotFailures) final = handoffReply(agentsOnline, true);
  }
  if (final.kind === 'handoff') {
    fields.botState = 'handed_off';
    fields.handedOffAt = now;
  }
  return { entries: [botEntry(final)], fields };
}

/**
 * `tickets.handoff`: the bot steps aside with "Connecting you with the team…" and the
 * chat joins the agents' queue (their lists refresh on its events and ring). Nothing
 * happens when the bot does not have the chat (already handed off, or never had it).
 */
export async function handOff(
  deps: { db: Db; agentsOnline: boolean },
  ticketId: string,
): Promise<void> {
  await withLockedTicket(deps.db, ticketId, async (tx, locked, atCommit) => {
    const turn = botTurn(locked, handoffReply(deps.agentsOnline), deps.agentsOnline);
    if (turn) writeThreadChange(tx, atCommit, { locked, ...turn });
  });
}
