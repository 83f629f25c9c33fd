import { describe, expect, it } from 'vitest';
import { goodArticleMatch, matchAnswer, smallTalk, wantsPerson } from './matcher';

const answers = [
  { id: 'hours', phrasings: ['when are you open', 'opening hours'] },
  { id: 'order', phrasings: ['where is my order', 'track my parcel'] },
  { id: 'refund', phrasings: ['where is my refund', 'refund not received'] },
  { id: 'return', phrasings: ['return an item', 'send something back', 'return label'] },
];
const matched = (text: string) => matchAnswer(text, answers)?.answer.id ?? null;

describe('the bot’s matcher', () => {
  it.each([
    ['When are you open on Sundays?', 'hours'],
    ['what are your opening hours', 'hours'],
    ['Where is my order??', 'order'],
    ['I want to track my parcels', 'order'],
    ['where is my refund', 'refund'],
    ['My refund was not received yet', 'refund'],
    ['How do I print a return label?', 'return'],
    ['How do I cancel my order?', null],
    ['Do you ship to Norway?', null],
    ['', null],
  ])('"%s" → %s', (text, id) => {
    expect(matched(text)).toBe(id);
  });

  it('prefers the whole phrasing to a partial one', () => {
    expect(matched('where is my refund for the order')).toBe('refund');
  });

  it.each([
    ['Talk to a person', true],
    ['agent', true],
    ['human please', true],
    ['Can I speak to someone about my refund?', true],
    ['I need a real person', true],
    ['my support ticket about the refund', false],
    ['Where is my order?', false],
  ])('"%s" asks for a person: %s', (text, expected) => {
    expect(wantsPerson(text)).toBe(expected);
  });

  it.each([
    ['Hello!', 'greeting'],
    ['hi there', 'greeting'],
    ['Good morning', 'greeting'],
    ['Thanks!', 'thanks'],
    ['thank you so much', 'thanks'],
    ['Bye', 'goodbye'],
    ['goodbye for now', 'goodbye'],
    ['Hi, where is my order?', null],
    ['thanks, but where is my refund', null],
  ])('"%s" is small talk: %s', (text, kind) => {
    expect(smallTalk(text)).toBe(kind);
  });

  it('takes an article when it matches half the words, and two of them when there are two', () => {
    expect(goodArticleMatch(1, 1)).toBe(true);
    expect(goodArticleMatch(1, 2)).toBe(false);
    expect(goodArticleMatch(2, 3)).toBe(true);
    expect(goodArticleMatch(2, 5)).toBe(false);
    expect(goodArticleMatch(0, 0)).toBe(false);
  });
});
