import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { TicketStats } from '../../api/types';

const dayFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});
/** The series' days are UTC calendar days. */
const label = (date: string) => dayFormat.format(new Date(`${date}T00:00:00Z`));

/** Tickets created and resolved per day over the last 30 days. */
export function DailyChart({ daily }: { daily: TicketStats['daily'] }) {
  const created = daily.reduce((sum, d) => sum + d.created, 0);
  const resolved = daily.reduce((sum, d) => sum + d.resolved, 0);
  return (
    <figure className="chart">
      <ResponsiveContainer width="100%" height={260}>
        <BarChart
          data={daily}
          margin={{ top: 8, right: 8, bottom: 0, left: -20 }}
          barGap={1}
          barCategoryGap="20%"
        >
          <CartesianGrid stroke="#eceef2" vertical={false} />
          <XAxis
            dataKey="date"
            tickFormatter={label}
            tick={{ fontSize: 12, fill: '#545868' }}
            tickLine={false}
            axisLine={false}
            minTickGap={24}
          />
          <YAxis
            allowDecimals={false}
            tick={{ fontSize: 12, fill: '#545868' }}
            tickLine={false}
            axisLine={false}
          />
          <Tooltip
            cursor={{ fill: '#f1f2f6' }}
            labelFormatter={(value) => (typeof value === 'string' ? label(value) : '')}
            itemStyle={{ color: '#1b1d26' }}
          />
          {/* Legend and tooltip text stays dark: the series colours are for the marks only. */}
          <Legend
            iconType="circle"
            iconSize={8}
            wrapperStyle={{ fontSize: 13 }}
            formatter={(value) => <span className="chart__legend">{value}</span>}
          />
          <Bar
            dataKey="created"
            name="Created"
            fill="#4f46e5"
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
          <Bar
            dataKey="resolved"
            name="Resolved"
            fill="#15803d"
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="visually-hidden">
        Tickets created and resolved per day over the last 30 days: {created} created, {resolved}{' '}
        resolved.
      </figcaption>
    </figure>
  );
}
