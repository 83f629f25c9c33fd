import { Link } from 'react-router';
import { errorMessage } from '../../api/errors';
import { LoadOlder } from '../../components/load-older';
import { EmptyState, ErrorState, PageLoading } from '../../components/page-state';
import { MailTabs } from '../../features/notifications/mail-tabs';
import { useDocumentTitle } from '../../features/realtime/inbox';
import { shortDate } from '../../lib/time';
import { trpc, type RouterOutputs } from '../../trpc';

type InboundMail = RouterOutputs['notifications']['inboundMail']['list']['items'][number];

const statusLabels: Record<string, string> = {
  processing: 'Being handled',
  ticket_created: 'New ticket',
  joined: 'Added to its ticket',
  dropped: 'Dropped: auto-reply or bounce',
  rejected: 'Rejected',
  failed: 'Failed: the sending server tries again',
};

/** SPF, DKIM and DMARC as the receiving MTA reported them, or "not reported". */
function checks(mail: InboundMail): string {
  const parts = (['spf', 'dkim', 'dmarc'] as const)
    .filter((name) => mail[name])
    .map((name) => `${name.toUpperCase()} ${mail[name]}`);
  return parts.length ? parts.join(', ') : 'Not reported';
}

/**
 * `/admin/mail/incoming`: every mail the SMTP listener took (docs/email-in.md), newest
 * first, with what became of it and why: a new ticket, a reply added to its ticket, an
 * auto-reply dropped, a mail rejected (a customer's address failing SPF/DKIM).
 */
export function IncomingMailPage() {
  useDocumentTitle('Incoming mail');
  const mail = trpc.notifications.inboundMail.list.useInfiniteQuery(
    { limit: 25 },
    { getNextPageParam: (page) => page.nextCursor },
  );
  const items = mail.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section className="page page--wide">
      <header className="page__header">
        <div>
          <h1 className="page__title">Incoming mail</h1>
          <p className="page__subtitle">
            Every mail to the support address, newest first, and what became of it.
          </p>
        </div>
      </header>
      <MailTabs />
      {mail.error ? (
        <ErrorState message={errorMessage(mail.error) ?? ''} onRetry={() => void mail.refetch()} />
      ) : !mail.data ? (
        <PageLoading />
      ) : items.length === 0 ? (
        <EmptyState title="No mail received yet">
          Mail arrives when <code>PARLEY_SMTP_IN_PORT</code> and <code>PARLEY_SUPPORT_ADDRESS</code>{' '}
          are set and your mail server relays the support address to Parley (docs/email-in.md).
        </EmptyState>
      ) : (
        <div className="card">
          <div className="table-wrap">
            <table className="table" aria-label="Incoming mail">
              <thead>
                <tr>
                  <th scope="col">From</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Outcome</th>
                  <th scope="col" className="col-optional">
                    Sender checks
                  </th>
                  <th scope="col" className="col-optional">
                    Received
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={item.id} className="table__row" data-testid="inbound-mail-row">
                    <td>{item.from || item.returnPath || 'No sender'}</td>
                    <td>{item.subject || '(no subject)'}</td>
                    <td>
                      <span className="badge">{statusLabels[item.status] ?? item.status}</span>
                      {item.reason ? <p className="muted">{item.reason}</p> : null}
                      {item.ticketId ? (
                        <p>
                          <Link to={`/agent/tickets/${item.ticketId}`}>Open the ticket</Link>
                        </p>
                      ) : null}
                    </td>
                    <td className="col-optional">{checks(item)}</td>
                    <td className="col-optional">{shortDate(item.receivedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadOlder list={mail} />
        </div>
      )}
    </section>
  );
}
