/**
 * The help centre's enums and labels (articles, their audience, deflection outcomes).
 * Kept apart from the ticket enums; the same rule holds: append, never reorder.
 */

/** Who may read a published article: anyone, or signed-in customers (and agents). */
export const helpAudiences = ['public', 'customers'] as const;
export type HelpAudience = (typeof helpAudiences)[number];

/** Drafts are seen by agents only. */
export const helpArticleStatuses = ['draft', 'published'] as const;
export type HelpArticleStatus = (typeof helpArticleStatuses)[number];

/**
 * What happened after a customer opened a suggested article in the new-ticket form:
 * they left without creating a ticket (`deflected`), or created one anyway (`ticket`).
 */
export const deflectionOutcomes = ['deflected', 'ticket'] as const;
export type DeflectionOutcome = (typeof deflectionOutcomes)[number];

export const helpAudienceLabels: Record<HelpAudience, string> = {
  public: 'Everyone',
  customers: 'Signed-in customers',
};

export const helpArticleStatusLabels: Record<HelpArticleStatus, string> = {
  draft: 'Draft',
  published: 'Published',
};
