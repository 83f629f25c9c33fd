import { useState } from 'react';
import { errorMessage } from '../../api/errors';
import { LoadOlder } from '../../components/load-older';
import { EmptyState, ErrorState, PageLoading } from '../../components/page-state';
import { MailPreview } from '../../features/notifications/mail-preview';
import { MailTabs } from '../../features/notifications/mail-tabs';
import { useDocumentTitle } from '../../features/realtime/inbox';
import { shortDate } from '../../lib/time';
import { trpc } from '../../trpc';

const statusLabels: Record<string, string> = {
  kept: 'Kept (no SMTP)',
  pending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
};

/**
 * `/admin/mail`: every email Parley rendered, newest first. Without an SMTP server
 * (`PARLEY_SMTP_URL`) this is where they are kept: nothing is lost, and a new install
 * shows what it would have sent.
 */
export function OutgoingMailPage() {
  useDocumentTitle('Outgoing mail');
  const mail = trpc.notifications.outgoingMail.list.useInfiniteQuery(
    { limit: 25 },
    { getNextPageParam: (page) => page.nextCursor },
  );
  const [openId, setOpenId] = useState<string | null>(null);
  const items = mail.data?.pages.flatMap((page) => page.items) ?? [];
  const open = items.find((item) => item.id === openId) ?? null;

  return (
    <section className="page page--wide">
      <header className="page__header">
        <div>
          <h1 className="page__title">Outgoing mail</h1>
          <p className="page__subtitle">
            Every notification email, newest first. Without an SMTP server they are kept here.
          </p>
        </div>
      </header>
      <MailTabs />
      {mail.error ? (
        <ErrorState message={errorMessage(mail.error) ?? ''} onRetry={() => void mail.refetch()} />
      ) : !mail.data ? (
        <PageLoading />
      ) : items.length === 0 ? (
        <EmptyState title="No email yet" />
      ) : (
        <div className="admin-grid">
          <div className="card">
            <div className="table-wrap">
              <table className="table" aria-label="Outgoing mail">
                <thead>
                  <tr>
                    <th scope="col">Subject</th>
                    <th scope="col" className="col-optional">
                      To
                    </th>
                    <th scope="col">Status</th>
                    <th scope="col" className="col-optional">
                      Created
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <tr key={item.id} className="table__row" data-testid="mail-row">
                      <td>
                        <button
                          type="button"
                          className="link-button"
                          aria-pressed={item.id === openId}
                          onClick={() => setOpenId(item.id)}
                        >
                          {item.subject}
                        </button>
                      </td>
                      <td className="col-optional">{item.to}</td>
                      <td>
                        <span className="badge">{statusLabels[item.status] ?? item.status}</span>
                      </td>
                      <td className="col-optional">{shortDate(item.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <LoadOlder list={mail} />
          </div>
          <div>{open ? <MailPreview mail={open} /> : <EmptyState title="Pick an email" />}</div>
        </div>
      )}
    </section>
  );
}
