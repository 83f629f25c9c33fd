import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TicketStats } from '../../api/types';

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const label = (date: string) => dayFormat.format(new Date(`${date}T00:00:00`));

/** Tickets created and resolved per day over the last 30 days. */
export function DailyChart({ daily }: { daily: TicketStats['daily'] }) {
  const created = daily.reduce((sum, d) => sum + d.created, 0);
  const resolved = daily.reduce((sum, d) => sum + d.resolved, 0);
  return (
    <figure className="chart" aria-label={`Last 30 days: ${created} tickets created, ${resolved} resolved`}>
      <ResponsiveContainer width="100%" height={260}>
        <AreaChart data={daily} margin={{ top: 8, right: 16, bottom: 0, left: -16 }}>
          <defs>
            <linearGradient id="fill-created" x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor="#4f46e5" stopOpacity={0.25} />
              <stop offset="100%" stopColor="#4f46e5" stopOpacity={0} />
            </linearGradient>
            <linearGradient id="fill-resolved" x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor="#15803d" stopOpacity={0.2} />
              <stop offset="100%" stopColor="#15803d" stopOpacity={0} />
            </linearGradient>
          </defs>
          <CartesianGrid stroke="#eceef2" vertical={false} />
          <XAxis dataKey="date" tickFormatter={label} tick={{ fontSize: 12, fill: '#545868' }} tickLine={false} axisLine={false} minTickGap={24} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: '#545868' }} tickLine={false} axisLine={false} />
          <Tooltip labelFormatter={(value) => (typeof value === 'string' ? label(value) : '')} />
          <Legend iconType="circle" wrapperStyle={{ fontSize: 13 }} />
          <Area type="monotone" dataKey="created" name="Created" stroke="#4f46e5" strokeWidth={2} fill="url(#fill-created)" />
          <Area type="monotone" dataKey="resolved" name="Resolved" stroke="#15803d" strokeWidth={2} fill="url(#fill-resolved)" />
        </AreaChart>
      </ResponsiveContainer>
      <figcaption className="visually-hidden">
        Tickets created and resolved per day over the last 30 days: {created} created, {resolved} resolved.
      </figcaption>
    </figure>
  );
}
