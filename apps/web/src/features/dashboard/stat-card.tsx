import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** One figure on the dashboard; with `to`, a link to the queue view behind it. */
export function StatCard(props: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  to?: string;
  tone?: 'urgent' | 'good';
  testId?: string;
}) {
  const body = (
    <>
      <span className="stat__label">{props.label}</span>
      <span className="stat__value" data-testid={props.testId}>
        {props.value}
      </span>
      {props.hint ? <span className="stat__hint">{props.hint}</span> : null}
    </>
  );
  const className = `stat${props.tone ? ` stat--${props.tone}` : ''}`;
  return props.to ? (
    <Link to={props.to} className={`${className} stat--link`}>
      {body}
    </Link>
  ) : (
    <div className={className}>{body}</div>
  );
}
