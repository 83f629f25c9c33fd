import { describe, expect, it } from 'vitest';
import { filtersToParams, listInput, parseFilters } from './queue-filters';

describe('queue filters in the URL', () => {
  it('survive a round trip through the search params', () => {
    const filters = parseFilters(
      new URLSearchParams(
        'status=open,resolved&priority=urgent&category=payment&channel=widget&assignee=me&bot=only&q=refund&sort=created_desc',
      ),
    );
    expect(filters).toEqual({
      status: ['open', 'resolved'],
      priority: 'urgent',
      category: 'payment',
      channel: 'widget',
      assignee: 'me',
      bot: 'only',
      q: 'refund',
      sort: 'created_desc',
    });
    expect(parseFilters(filtersToParams(filters))).toEqual(filters);
  });

  it('ignore values outside the allowlists and leave defaults out of the URL', () => {
    const filters = parseFilters(
      new URLSearchParams(
        'status=open,bogus&priority=extreme&channel=pigeon&assignee=someone&bot=maybe&sort=random',
      ),
    );
    expect(filters).toEqual({
      status: ['open'],
      priority: null,
      category: null,
      channel: null,
      assignee: 'anyone',
      bot: 'hide',
      q: '',
      sort: 'updated_desc',
    });
    expect(filtersToParams(filters).toString()).toBe('status=open');
  });

  it('become the tickets.list input', () => {
    const input = listInput(
      parseFilters(
        new URLSearchParams(
          'status=open&channel=widget&assignee=unassigned&bot=all&q=%20parcel%20',
        ),
      ),
    );
    expect(input).toEqual({
      status: ['open'],
      channel: ['widget'],
      assignee: 'unassigned',
      bot: 'all',
      q: 'parcel',
      sort: 'updated_desc',
      limit: 25,
    });
  });
});
