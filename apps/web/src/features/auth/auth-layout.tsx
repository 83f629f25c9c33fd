import type { ReactNode } from 'react';
import { Logo } from '../../components/logo';

/** The centred card the sign-in and sign-up forms sit in. */
export function AuthLayout(props: {
  title: string;
  subtitle: string;
  children: ReactNode;
  footer: ReactNode;
}) {
  return (
    <main className="auth">
      <div className="auth__card">
        <Logo />
        <h1 className="auth__title">{props.title}</h1>
        <p className="auth__subtitle">{props.subtitle}</p>
        {props.children}
        <p className="auth__footer">{props.footer}</p>
      </div>
    </main>
  );
}
