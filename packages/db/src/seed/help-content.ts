import type { HelpArticleStatus, HelpAudience } from '../schema';

/**
 * The demo help centre: a small shop's collections, articles and bot answers, so a
 * fresh `pnpm start` shows the help centre, search and suggestions with real text.
 */

export type SeedCollection = { slug: string; title: string; description: string };
export type SeedArticle = {
  collection: string;
  slug: string;
  title: string;
  summary: string;
  body: string;
  audience?: HelpAudience;
  status?: HelpArticleStatus;
};
export type SeedBotAnswer = { name: string; phrasings: string[]; reply: string; article?: string };

export const helpCollectionsSeed: SeedCollection[] = [
  {
    slug: 'orders-and-delivery',
    title: 'Orders and delivery',
    description: 'Tracking a parcel, delivery times and changing an order.',
  },
  {
    slug: 'returns-and-refunds',
    title: 'Returns and refunds',
    description: 'Sending something back and getting your money back.',
  },
  {
    slug: 'payments-and-billing',
    title: 'Payments and billing',
    description: 'Ways to pay, invoices and failed payments.',
  },
  {
    slug: 'your-account',
    title: 'Your account',
    description: 'Signing in, your details and your privacy.',
  },
];

export const helpArticlesSeed: SeedArticle[] = [
  {
    collection: 'orders-and-delivery',
    slug: 'track-your-order',
    title: 'Tracking your order',
    summary: 'Follow your parcel with the tracking link in your shipping confirmation email.',
    body: `As soon as your order leaves our warehouse we send a **shipping confirmation** email with a tracking link.

1. Open the email "Your order is on its way".
2. Choose **Track parcel**.
3. The carrier's page shows where your parcel is and when it should arrive.

Tracking can take up to 24 hours to show the first scan. If it still says "label created" after two working days, [start a conversation](/tickets/new) with your order number.`,
  },
  {
    collection: 'orders-and-delivery',
    slug: 'delivery-times',
    title: 'Delivery times and costs',
    summary: 'Standard delivery takes 2–4 working days; express arrives the next working day.',
    body: `| Option | Time | Cost |
|:-|:-|-:|
| Standard | 2–4 working days | free over €40, else €4.95 |
| Express | next working day if ordered before 14:00 | €9.95 |
| International | 5–10 working days | from €14.95 |

Orders placed at the weekend or on a public holiday leave the warehouse the next working day.`,
  },
  {
    collection: 'orders-and-delivery',
    slug: 'parcel-not-arrived',
    title: 'My parcel has not arrived',
    summary:
      'What to check when tracking says delivered but the parcel is not there, or it is late.',
    body: `Most late parcels turn up within two days. Before you contact us:

- Check the tracking page for a **delivery notice** or a pick-up point.
- Ask your neighbours and look in a safe place (porch, shed, mailbox).
- Check the delivery address in your order confirmation.

If the tracking says *delivered* and you cannot find it after 48 hours, start a conversation and we will open an investigation with the carrier. We send a replacement or refund as soon as the carrier confirms the loss.`,
  },
  {
    collection: 'orders-and-delivery',
    slug: 'change-or-cancel-an-order',
    title: 'Changing or cancelling an order',
    summary: 'You can change or cancel an order until it is packed, usually within an hour.',
    body: `We start packing quickly, so changes are possible only for a short time.

- **Cancel**: open *My orders*, choose the order, then **Cancel order**. The button disappears once packing has started.
- **Change the address or an item**: start a conversation with your order number as soon as possible.

If the order has already shipped, you can refuse the delivery or [return it](/help/start-a-return) for free.`,
  },
  {
    collection: 'orders-and-delivery',
    slug: 'change-delivery-address',
    title: 'Changing your delivery address',
    summary:
      'Update the address before dispatch in your order, or redirect the parcel with the carrier.',
    body: `Before dispatch, write to us with the order number and the new address and we will update it.

After dispatch, most carriers let you **redirect the parcel** from their tracking page: choose *Change delivery* and pick another address or a pick-up point.`,
  },
  {
    collection: 'returns-and-refunds',
    slug: 'start-a-return',
    title: 'Starting a return',
    summary: 'Return any item within 30 days: print the free label and drop the parcel off.',
    body: `You have **30 days** from delivery to return an item, for any reason.

1. Open *My orders* and choose **Return items**.
2. Select the items and a reason.
3. Print the prepaid label, or show the QR code at the drop-off point.
4. Pack the items in their original packaging if you still have it.

You get an email when the parcel reaches our warehouse.`,
  },
  {
    collection: 'returns-and-refunds',
    slug: 'how-refunds-work',
    title: 'How refunds work',
    summary:
      'Refunds go back to the original payment method within 5 working days of your return arriving.',
    body: `Once your return is checked at our warehouse we refund the **original payment method**:

- Cards: 3–5 working days, depending on your bank.
- PayPal: usually within 24 hours.
- Gift cards: at once, as store credit.

Delivery costs are refunded too when you return the whole order. You will get an email with the amount when the refund is on its way.`,
  },
  {
    collection: 'returns-and-refunds',
    slug: 'damaged-or-wrong-item',
    title: 'A damaged or wrong item',
    summary:
      'Send us a photo within 14 days and we replace the item or refund it, at no cost to you.',
    body: `We are sorry! Please start a conversation within 14 days of delivery with:

- your order number,
- a photo of the item and of the packaging,
- whether you prefer a **replacement** or a **refund**.

You do not need to send the item back unless we ask; if we do, the return label is free.`,
  },
  {
    collection: 'returns-and-refunds',
    slug: 'exchange-an-item',
    title: 'Exchanging for another size or colour',
    summary: 'Return the item and place a new order: it is the fastest way to get the right size.',
    body: `We do not swap items directly. The quickest way is:

1. [Start a return](/help/start-a-return) for the item you have.
2. Place a new order for the size or colour you want.

Your refund arrives once the return reaches us, so you are never charged twice for long.`,
  },
  {
    collection: 'returns-and-refunds',
    slug: 'refund-not-received',
    title: 'I have not received my refund',
    summary: 'Check the refund email and your bank statement; banks can take up to 5 working days.',
    body: `If we have emailed you that your refund is on its way, the money has left us. Banks need up to **5 working days** to show it.

If it has been longer, start a conversation with the order number and we will send you the payment reference to show your bank.`,
  },
  {
    collection: 'returns-and-refunds',
    slug: 'member-free-returns',
    title: 'Free collection of returns for members',
    summary: 'Members can have returns collected from home at no cost.',
    audience: 'customers',
    body: `As a signed-in member you can book a **free collection** instead of dropping the parcel off.

In *Return items*, choose **Collect from my address** and pick a day. The courier brings the label with them.`,
  },
  {
    collection: 'payments-and-billing',
    slug: 'payment-methods',
    title: 'Ways to pay',
    summary: 'We accept cards, PayPal, Apple Pay, Google Pay, gift cards and paying by invoice.',
    body: `You can pay with:

- Visa, Mastercard and American Express
- PayPal, Apple Pay and Google Pay
- Gift cards (also together with another method)
- **Invoice**, payable within 14 days, for orders up to €500`,
  },
  {
    collection: 'payments-and-billing',
    slug: 'payment-declined',
    title: 'My payment was declined',
    summary: 'Check the card details and your bank’s 3-D Secure approval, or try another method.',
    body: `A declined payment usually has one of these causes:

- The card's expiry date or security code was mistyped.
- Your bank asked for **3-D Secure** approval in its app and it timed out.
- The card's online or daily limit was reached.

Your order is kept for 24 hours: try again from *My orders*, or choose another payment method.`,
  },
  {
    collection: 'payments-and-billing',
    slug: 'charged-twice',
    title: 'I was charged twice',
    summary: 'A second charge is usually a reservation that disappears within a few days.',
    body: `When a payment is retried, your bank may show the first attempt as a **pending reservation**. It is released automatically, usually within 3–5 working days.

If both charges are still there after a week, start a conversation with a screenshot of your statement and we will refund the duplicate.`,
  },
  {
    collection: 'payments-and-billing',
    slug: 'download-an-invoice',
    title: 'Downloading an invoice',
    summary: 'Every order has a PDF invoice in My orders once it has shipped.',
    body: `Open *My orders*, choose the order and then **Download invoice**. The invoice is ready once the order ships.

Need your company name or VAT number on it? Add them to your account before ordering; for a past order, write to us and we will reissue it.`,
  },
  {
    collection: 'payments-and-billing',
    slug: 'gift-cards',
    title: 'Gift cards and store credit',
    summary: 'Gift cards are valid for 3 years and can be combined with another payment method.',
    body: `Enter the gift card code at checkout under **Gift card or voucher**. If the order costs more than the card's balance, pay the rest with any other method.

Store credit from refunds works the same way and is valid for 3 years.`,
  },
  {
    collection: 'your-account',
    slug: 'reset-your-password',
    title: 'Resetting your password',
    summary: 'Choose “Forgot password” on the sign-in page and follow the link we email you.',
    body: `1. On the sign-in page, choose **Forgot password**.
2. Enter your email address.
3. Open the email from us and choose a new password (at least 8 characters).

The link works for one hour. No email? Check your spam folder, or [start a conversation](/tickets/new).`,
  },
  {
    collection: 'your-account',
    slug: 'change-your-email',
    title: 'Changing your email address',
    summary: 'Update your email in Account settings; we confirm the change at the new address.',
    body: `Go to *Account → Personal details*, enter the new email address and save. We send a confirmation link to the new address; the change applies once you open it.`,
  },
  {
    collection: 'your-account',
    slug: 'delete-your-account',
    title: 'Deleting your account',
    summary: 'We delete your account and personal data within 30 days of your request.',
    audience: 'customers',
    body: `Start a conversation while signed in and ask us to delete your account. We confirm by email and delete your personal data within **30 days**.

We keep invoices for as long as the law requires (usually 10 years), without using them for anything else.`,
  },
  {
    collection: 'your-account',
    slug: 'newsletter',
    title: 'Unsubscribing from emails',
    summary: 'Every newsletter has an unsubscribe link at the bottom; order emails always arrive.',
    body: `Choose **Unsubscribe** at the bottom of any newsletter, or turn marketing emails off in *Account → Preferences*.

Emails about your orders (confirmations, shipping, refunds) are always sent.`,
  },
  {
    collection: 'your-account',
    slug: 'loyalty-points',
    title: 'Loyalty points (coming soon)',
    summary: 'Earn points on every order and spend them as store credit.',
    status: 'draft',
    body: `Our loyalty programme is not live yet. This article is a draft the team is still writing.`,
  },
];

export const botAnswersSeed: SeedBotAnswer[] = [
  {
    name: 'Opening hours',
    phrasings: ['when are you open', 'opening hours', 'are you available at the weekend'],
    reply: 'Our team answers every day from 8:00 to 20:00 (CET), weekends included.',
  },
  {
    name: 'Where is my order',
    phrasings: ['where is my order', 'track my parcel', 'has my order shipped'],
    reply: 'You can follow your parcel with the tracking link in your shipping confirmation email.',
    article: 'track-your-order',
  },
  {
    name: 'Refund status',
    phrasings: ['where is my refund', 'when do I get my money back', 'refund not received'],
    reply:
      'Refunds go back to your original payment method within 5 working days of your return arriving.',
    article: 'how-refunds-work',
  },
  {
    name: 'Start a return',
    phrasings: ['return an item', 'send something back', 'return label'],
    reply: 'You can return any item within 30 days: open My orders and choose Return items.',
    article: 'start-a-return',
  },
];
