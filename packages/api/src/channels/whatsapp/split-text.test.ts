import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitTail, splitText } from './split-text';

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '😀', 'é'), maxLength: 400 });

describe('splitText', () => {
  it('gives pieces within the limit that join back to the text, no emoji cut in half', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 2, max: 50 }), (input, max) => {
        const pieces = splitText(input, max);
        expect(pieces.join('')).toBe(input);
        for (const piece of pieces) {
          expect(piece.length).toBeLessThanOrEqual(max);
          expect(isHighSurrogate(piece.charCodeAt(piece.length - 1))).toBe(false);
        }
      }),
    );
  });

  it('keeps a short text whole and cuts after a line break when there is one', () => {
    expect(splitText('hello', 10)).toEqual(['hello']);
    expect(splitText('one two\nthree four', 12)).toEqual(['one two\n', 'three four']);
  });
});

describe('splitTail', () => {
  it('leaves a tail within the limit, and head + tail is the text', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 2, max: 50 }), (input, max) => {
        const { head, tail } = splitTail(input, max);
        expect(head + tail).toBe(input);
        expect(tail.length).toBeLessThanOrEqual(max);
        expect(isHighSurrogate(head.charCodeAt(head.length - 1))).toBe(false);
      }),
    );
  });

  it('starts the tail after a line break when one is near', () => {
    expect(splitTail('aaaa aaaa\nWhich one?', 12)).toEqual({
      head: 'aaaa aaaa\n',
      tail: 'Which one?',
    });
  });
});
