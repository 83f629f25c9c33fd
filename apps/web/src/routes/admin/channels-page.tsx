import { useState, type FormEvent } from 'react';
import { errorMessage, fieldErrorsOf } from '../../api/errors';
import { ErrorState, PageLoading } from '../../components/page-state';
import { FormError, TextField } from '../../components/field';
import { ChannelSettingsForm } from '../../features/admin/channel-settings-form';
import { ConversationSettingsForm } from '../../features/admin/conversation-settings-form';
import { EmailCard } from '../../features/admin/email-card';
import { SettingsNotices, TestResult } from '../../features/admin/settings-notices';
import { useDocumentTitle } from '../../features/realtime/inbox';
import { trpc, type RouterOutputs } from '../../trpc';

type ChannelStatus = RouterOutputs['channels']['status'][number];
type SavedSettings = RouterOutputs['channels']['settings'];
type ConversationSettings = RouterOutputs['channels']['conversationSettings'];

const names = { whatsapp: 'WhatsApp', sms: 'SMS (Twilio)' } as const;
const environmentNames = {
  whatsapp:
    'PARLEY_WHATSAPP_PHONE_NUMBER_ID, PARLEY_WHATSAPP_ACCESS_TOKEN, PARLEY_WHATSAPP_APP_SECRET and PARLEY_WHATSAPP_VERIFY_TOKEN',
  sms: 'PARLEY_TWILIO_ACCOUNT_SID, PARLEY_TWILIO_AUTH_TOKEN and PARLEY_TWILIO_FROM',
} as const;

/**
 * `/admin/channels`: WhatsApp and SMS: whether each is set up (saved here, or from the
 * server's environment; secrets never come back to the browser), its settings, the
 * webhook address to give the provider, the templates, and a test message; email's
 * settings and a test email; then how conversations on WhatsApp and SMS go (bot,
 * closing message, reopen window).
 */
export function ChannelsPage() {
  useDocumentTitle('Channels');
  const status = trpc.channels.status.useQuery();
  const saved = trpc.channels.settings.useQuery();
  const conversations = trpc.channels.conversationSettings.useQuery();
  return (
    <section className="page">
      <header className="page__header">
        <div>
          <h1 className="page__title">Channels</h1>
          <p className="page__subtitle">
            Conversations that start on WhatsApp, by text message or by email become tickets in the
            queue; replies go back the same way.
          </p>
        </div>
      </header>
      {status.error || saved.error || conversations.error ? (
        <ErrorState
          message={errorMessage(status.error ?? saved.error ?? conversations.error) ?? ''}
          onRetry={() =>
            void Promise.all([status.refetch(), saved.refetch(), conversations.refetch()])
          }
        />
      ) : !status.data || !saved.data || !conversations.data ? (
        <PageLoading />
      ) : (
        <>
          {status.data.map((channel) => (
            <ChannelCard key={channel.channel} channel={channel} saved={saved.data} />
          ))}
          <EmailCard email={saved.data.email} />
          <ConversationsCard saved={conversations.data} />
        </>
      )}
    </section>
  );
}

function ChannelCard({ channel, saved }: { channel: ChannelStatus; saved: SavedSettings }) {
  const [editing, setEditing] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const source =
    channel.source === 'saved'
      ? 'Settings saved here.'
      : channel.source === 'environment'
        ? 'Settings from the server’s environment.'
        : null;
  return (
    <article className="card card--padded" aria-labelledby={`channel-${channel.channel}`}>
      <h2 className="card__title" id={`channel-${channel.channel}`}>
        {names[channel.channel]}{' '}
        <span className={channel.configured ? 'tag' : 'tag tag--muted'}>
          {channel.configured ? 'Set up' : 'Not set up'}
        </span>
      </h2>
      <SettingsNotices
        problem={channel.problem}
        meanwhile="Save them again, or remove them."
        done={done}
      />
      {editing ? (
        <ChannelSettingsForm
          channel={channel.channel}
          saved={saved}
          onDone={(message) => {
            setDone(message);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          {source ? <p className="muted">{source}</p> : null}
          {channel.configured ? (
            <>
              <p>
                Webhook address for the provider: <code>{channel.webhookUrl}</code>
              </p>
              {channel.sender ? (
                <p>
                  Sends as <code>{channel.sender}</code>
                </p>
              ) : null}
              {channel.channel === 'whatsapp' ? (
                <p className="muted">
                  {channel.templates.length
                    ? `Templates: ${channel.templates.map((t) => `${t.name} (${t.language})`).join(', ')}`
                    : 'No templates: outside the 24-hour window agents can only write notes.'}
                </p>
              ) : null}
            </>
          ) : (
            <p className="muted">
              Set it up here, or in the server’s environment with{' '}
              {environmentNames[channel.channel]} (docs/channels.md).
            </p>
          )}
          <div>
            <button
              type="button"
              className="button"
              onClick={() => {
                setDone(null);
                setEditing(true);
              }}
            >
              {channel.source ? 'Edit settings' : `Set up ${names[channel.channel]}`}
            </button>
          </div>
          {channel.configured ? <TestSender channel={channel} /> : null}
        </>
      )}
    </article>
  );
}

/** Both channels' conversation settings: where they come from, and their form. */
function ConversationsCard({ saved }: { saved: ConversationSettings }) {
  const [done, setDone] = useState<string | null>(null);
  return (
    <article className="card card--padded" aria-labelledby="channel-conversations">
      <h2 className="card__title" id="channel-conversations">
        Conversations
      </h2>
      <p className="muted">
        {saved.source === 'saved'
          ? 'Settings saved here, for WhatsApp and SMS.'
          : 'Settings from the server’s environment (PARLEY_CHANNEL_BOT, PARLEY_CHANNEL_CLOSING_MESSAGE, PARLEY_CHANNEL_REOPEN_DAYS). Saving here replaces them for WhatsApp and SMS.'}
      </p>
      <SettingsNotices
        problem={saved.problem}
        meanwhile="The environment’s apply until they are saved again."
        done={done}
      />
      <ConversationSettingsForm
        // A fresh form with what the server holds now (the closing message trimmed).
        key={JSON.stringify(saved)}
        saved={saved}
        onDone={setDone}
      />
    </article>
  );
}

function TestSender({ channel }: { channel: ChannelStatus }) {
  const [to, setTo] = useState('');
  const [template, setTemplate] = useState('');
  const send = trpc.channels.sendTest.useMutation();
  const errors = fieldErrorsOf(send.error);
  function submit(event: FormEvent) {
    event.preventDefault();
    send.mutate({ channel: channel.channel, to, ...(template ? { template } : {}) });
  }
  return (
    <form
      className="form form--inline"
      onSubmit={submit}
      aria-label={`Send a test ${names[channel.channel]} message`}
    >
      <TextField
        label="Send a test message to"
        hint="A phone number with its country code, like +44 20 7946 0958"
        value={to}
        required
        onChange={(e) => setTo(e.target.value)}
        error={errors.to}
      />
      {channel.templates.length ? (
        <label className="field">
          <span className="field__label">As template (needed outside the 24-hour window)</span>
          <select className="input" value={template} onChange={(e) => setTemplate(e.target.value)}>
            <option value="">No template: a plain text</option>
            {channel.templates.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <FormError message={send.error && !errors.to ? errorMessage(send.error) : null} />
      {send.data ? <TestResult result={send.data} by="the provider" /> : null}
      <button type="submit" className="button" disabled={send.isPending}>
        {send.isPending ? 'Sending…' : 'Send test'}
      </button>
    </form>
  );
}
