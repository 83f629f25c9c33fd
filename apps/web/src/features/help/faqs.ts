/**
 * The customer help centre. Kept as data in the repository for now; a CMS or a
 * `help_articles` table can replace this file without touching the page.
 */
export type Faq = { id: string; question: string; answer: string[] };
export type FaqSection = { id: string; title: string; faqs: Faq[] };

export const faqSections: FaqSection[] = [
  {
    id: 'tickets',
    title: 'Getting help',
    faqs: [
      {
        id: 'open-ticket',
        question: 'How do I contact support?',
        answer: [
          'Open a ticket from “New ticket”. Pick the category closest to your question and add your order reference if it is about an order: it saves a round of questions.',
          'You can follow the conversation under “My tickets”; replies appear there as soon as they are sent.',
        ],
      },
      {
        id: 'response-time',
        question: 'How quickly will I get an answer?',
        answer: [
          'We answer most tickets within a few hours during business days. Urgent tickets (for example, a payment taken twice) are looked at first.',
        ],
      },
      {
        id: 'priority',
        question: 'Which priority should I choose?',
        answer: [
          'Choose “Urgent” only when something is blocking you right now, such as being unable to pay or to sign in. Our team may adjust the priority after reading your ticket.',
        ],
      },
      {
        id: 'reopen',
        question: 'My problem came back after the ticket was resolved. What now?',
        answer: [
          'Open the ticket and choose “Reopen ticket”, or simply reply to it: the same agent will see the history of the conversation.',
        ],
      },
    ],
  },
  {
    id: 'orders',
    title: 'Orders and delivery',
    faqs: [
      {
        id: 'order-reference',
        question: 'Where do I find my order reference?',
        answer: [
          'It is in your order confirmation email and in your account under “Orders”. It looks like A-10293.',
        ],
      },
      {
        id: 'late-delivery',
        question: 'My order is late. What can I do?',
        answer: [
          'Check the tracking link in your shipping email first. If the parcel has not moved for three working days, open a ticket in the “Order” category with your order reference and we will chase the carrier.',
        ],
      },
      {
        id: 'return',
        question: 'How do I return an item?',
        answer: [
          'You can return most items within 30 days. Open a ticket in the “Order” category with the order reference and the items you want to send back, and we will send you a return label.',
        ],
      },
    ],
  },
  {
    id: 'payments',
    title: 'Payments and refunds',
    faqs: [
      {
        id: 'refund-time',
        question: 'When will I get my refund?',
        answer: [
          'Refunds are issued within two working days of us receiving the return. Your bank may take another three to five working days to show it on your statement.',
        ],
      },
      {
        id: 'charged-twice',
        question: 'I was charged twice.',
        answer: [
          'Often the second charge is a temporary authorisation that disappears within a few days. If it is still there after five days, open an urgent ticket in the “Payment” category.',
        ],
      },
    ],
  },
  {
    id: 'account',
    title: 'Your account',
    faqs: [
      {
        id: 'change-email',
        question: 'How do I change my email address?',
        answer: [
          'Open a ticket in the “Account” category from your current address and tell us the new one.',
        ],
      },
      {
        id: 'delete-account',
        question: 'How do I delete my account?',
        answer: [
          'Open a ticket in the “Account” category asking for deletion. We confirm by reply before deleting anything, and keep only what the law requires (such as invoices).',
        ],
      },
      {
        id: 'secure',
        question: 'Is my conversation private?',
        answer: [
          'Only you and our support team can read your tickets. Our agents sometimes leave internal notes for each other; these never contain anything you have not shared with us.',
        ],
      },
    ],
  },
];
