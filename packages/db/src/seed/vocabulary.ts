import type { Category } from '../schema';

/** Material for demo data: a shop's support desk (orders, payments, accounts). */

export const firstNames = [
  'Maria',
  'James',
  'Aisha',
  'Wei',
  'Olivia',
  'Mateo',
  'Priya',
  'Lucas',
  'Sofia',
  'Noah',
  'Amara',
  'Ethan',
  'Yuki',
  'Liam',
  'Fatima',
  'Oscar',
  'Elena',
  'Hugo',
  'Chloe',
  'Ravi',
  'Ingrid',
  'Kofi',
  'Lena',
  'Diego',
  'Hana',
  'Samuel',
  'Zoe',
  'Tariq',
  'Mila',
  'Jonas',
  'Nadia',
  'Felix',
  'Grace',
  'Arjun',
  'Clara',
  'Mohammed',
  'Isla',
  'Leo',
  'Ava',
  'Kenji',
];

export const lastNames = [
  'Lopez',
  'Smith',
  'Okafor',
  'Chen',
  'Brown',
  'Rossi',
  'Patel',
  'Martin',
  'Garcia',
  'Müller',
  'Haddad',
  'Johnson',
  'Tanaka',
  "O'Brien",
  'Khan',
  'Nielsen',
  'Petrova',
  'Dubois',
  'Walker',
  'Singh',
  'Larsen',
  'Mensah',
  'Novak',
  'Fernández',
  'Kim',
  'Cohen',
  'Moreau',
  'Ali',
  'Kowalski',
  'Berg',
];

export const agentNames = [
  'Dana Whitfield',
  'Sam Okoye',
  'Riley Park',
  'Morgan Hale',
  'Jordan Ruiz',
  'Alex Brandt',
  'Casey Lund',
  'Taylor Nguyen',
  'Jamie Osei',
  'Avery Stone',
  'Quinn Walsh',
  'Robin Sato',
  'Drew Castillo',
  'Emery Fox',
  'Harper Reyes',
  'Sasha Ivanova',
  'Kai Moreno',
  'Noel Becker',
  'Rowan Price',
  'Skyler Adeyemi',
];

export const products = [
  'walnut desk',
  'ergonomic chair',
  'standing desk frame',
  'monitor arm',
  'desk lamp',
  'bookshelf',
  'filing cabinet',
  'cable tray',
  'footrest',
  'whiteboard',
  'oak side table',
  'laptop stand',
  'acoustic panel',
  'coat rack',
  'storage ottoman',
  'bar stool',
];

export const carriers = ['DHL', 'UPS', 'FedEx', 'DPD', 'GLS', 'Royal Mail', 'PostNL'];

type Template = { subject: string; description: string };

/**
 * Openings by category; `{product}`, `{order}`, `{carrier}`, `{days}` and `{amount}`
 * are filled in per ticket.
 */
export const openings: Record<Category, Template[]> = {
  order: [
    {
      subject: 'Order {order} has not arrived',
      description:
        'I ordered a {product} {days} days ago and the tracking from {carrier} has not moved since it left the warehouse. Could you check where it is?',
    },
    {
      subject: 'Wrong item delivered for {order}',
      description:
        'The parcel arrived today but instead of the {product} I ordered there was something else inside. I would like the right item sent, please.',
    },
    {
      subject: 'Can I change the delivery address?',
      description:
        'I just placed order {order} and noticed the address is my old flat. Is it still possible to change it before {carrier} picks it up?',
    },
    {
      subject: '{product} arrived damaged',
      description:
        'The box was crushed and the {product} has a deep scratch and a cracked corner. Photos attached. What are my options?',
    },
  ],
  payment: [
    {
      subject: 'Charged twice for {order}',
      description:
        'My bank statement shows two payments of {amount} for the same order. Please refund the duplicate charge.',
    },
    {
      subject: 'Refund still not received',
      description:
        'You confirmed the return of my {product} {days} days ago but the refund of {amount} has not reached my card yet.',
    },
    {
      subject: 'Payment declined at checkout',
      description:
        'Every time I try to pay for the {product} the card is declined, although it works everywhere else. Is something wrong on your side?',
    },
  ],
  technical: [
    {
      subject: 'Assembly instructions missing a step',
      description:
        'The manual for the {product} skips from step 6 to step 8 and I cannot work out how the frame attaches. Is there a video?',
    },
    {
      subject: 'Website shows an error at checkout',
      description:
        'After entering my address the page shows "something went wrong" and the basket empties. I tried two browsers.',
    },
    {
      subject: 'Motor of the {product} makes a grinding noise',
      description:
        'Since last week the height adjustment grinds and stops halfway. It is only {days} days old.',
    },
  ],
  account: [
    {
      subject: 'Cannot reset my password',
      description:
        'The reset email never arrives, I checked the spam folder too. My account email has not changed.',
    },
    {
      subject: 'Please delete my account',
      description:
        'I would like my account and personal data deleted. Please confirm once it is done.',
    },
    {
      subject: 'Update the invoice name on my account',
      description:
        'Our company name changed; future invoices should use the new name. Can you update it?',
    },
  ],
  complaint: [
    {
      subject: 'Very disappointed with the delivery',
      description:
        'The driver left the {product} in the rain outside the building and the cardboard was soaked through. This is not acceptable.',
    },
    {
      subject: 'Nobody answered my last three emails',
      description:
        'I have written three times about order {order} and heard nothing back. Please respond.',
    },
  ],
  suggestion: [
    {
      subject: 'Offer the {product} in more colours',
      description:
        'I love the {product} but it would fit our office better in a lighter wood. Any plans?',
    },
    {
      subject: 'Let me choose a delivery slot',
      description:
        'It would help a lot to pick a delivery window, I work shifts and keep missing the courier.',
    },
  ],
  general: [
    {
      subject: 'Question about the {product} dimensions',
      description:
        'Will the {product} fit through a 70 cm door frame when assembled? The product page is unclear.',
    },
    {
      subject: 'Do you ship to Norway?',
      description:
        'I would like to order a {product} for a friend in Oslo. Is that possible, and what does shipping cost?',
    },
  ],
  other: [
    {
      subject: 'Invoice copy for {order}',
      description:
        'Could you send me a copy of the invoice for order {order}? I need it for my expenses.',
    },
    {
      subject: 'Bulk order for our office',
      description:
        'We are furnishing a new office and need 24 units of the {product}. Is there a discount?',
    },
  ],
};

export const customerReplies = [
  'Thanks for getting back to me. Any update?',
  'I attached the photos you asked for.',
  'The order number is {order}, as in the confirmation email.',
  'That did not work, unfortunately. Same problem as before.',
  'Great, thank you so much for sorting this out!',
  'Could you tell me when I can expect the replacement?',
  'I am still waiting for the {carrier} tracking link.',
  'Yes, the address is correct.',
  'It has now been {days} days. Please escalate this.',
  'Perfect, that works for me.',
];

export const agentReplies = [
  'Thanks for reaching out! I am looking into this now.',
  'I am sorry about the trouble. Could you send a photo of the label on the box?',
  'I have contacted {carrier} and opened an investigation for {order}.',
  'A replacement {product} is on its way; you will get a tracking link by email today.',
  'I have issued a refund of {amount}. It usually takes 3 to 5 working days to show up.',
  'Could you try clearing your browser cache and signing in again?',
  'I have updated your account as requested.',
  'Good news: the parcel has been located and will be delivered tomorrow.',
  'Here is the assembly video for the {product}: the frame clicks in from below.',
  'Is there anything else I can help you with?',
];

export const internalNotes = [
  'Carrier confirmed the parcel is lost, approved a reshipment.',
  'Customer has had two damaged deliveries this year; offer a voucher.',
  'Checked payment logs: the second charge is an authorisation hold, not a capture.',
  'Escalated to the warehouse lead, waiting for stock confirmation.',
  'Known checkout bug, engineering ticket already open.',
  'VIP customer, keep them in the loop daily.',
];

export const ratingComments = [
  'Quick and friendly, thank you!',
  'Took a while but got sorted in the end.',
  'Very helpful agent.',
  'Still not happy with the delivery time.',
  'Excellent service.',
];
