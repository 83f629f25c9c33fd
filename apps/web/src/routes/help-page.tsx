import { useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { SearchIcon } from '../components/icons';
import { EmptyState } from '../components/page-state';
import { faqSections } from '../features/help/faqs';
import { useDocumentTitle } from '../features/realtime/inbox';

export function HelpPage() {
  useDocumentTitle('Help');
  const [query, setQuery] = useState('');
  const searchId = useId();
  const sections = useMemo(() => {
    const needle = query.trim().toLowerCase();
    if (!needle) return faqSections;
    return faqSections
      .map((section) => ({
        ...section,
        faqs: section.faqs.filter((faq) =>
          `${faq.question} ${faq.answer.join(' ')}`.toLowerCase().includes(needle),
        ),
      }))
      .filter((section) => section.faqs.length > 0);
  }, [query]);

  return (
    <section className="page page--narrow">
      <header className="page__header">
        <div>
          <h1 className="page__title">Help centre</h1>
          <p className="page__subtitle">Answers to the questions we hear most often.</p>
        </div>
      </header>
      <div className="search search--large">
        <label htmlFor={searchId} className="visually-hidden">
          Search the help centre
        </label>
        <SearchIcon className="search__icon" />
        <input
          id={searchId}
          type="search"
          className="input search__input"
          placeholder="Search for an answer…"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      {sections.length === 0 ? (
        <EmptyState title="No answers found">
          Try other words, or <Link to="/tickets/new">ask our team</Link>.
        </EmptyState>
      ) : (
        sections.map((section) => (
          <section key={section.id} className="faq-section" aria-labelledby={`faq-${section.id}`}>
            <h2 id={`faq-${section.id}`} className="faq-section__title">
              {section.title}
            </h2>
            <div className="faq-list">
              {section.faqs.map((faq) => (
                <details key={faq.id} className="faq" open={query.trim() !== ''}>
                  <summary className="faq__question">{faq.question}</summary>
                  <div className="faq__answer">
                    {faq.answer.map((paragraph) => (
                      <p key={paragraph}>{paragraph}</p>
                    ))}
                  </div>
                </details>
              ))}
            </div>
          </section>
        ))
      )}
      <div className="card card--padded help-cta">
        <p>
          <strong>Still stuck?</strong> Our team is happy to help.
        </p>
        <Link to="/tickets/new" className="button button--primary">
          Open a ticket
        </Link>
      </div>
    </section>
  );
}
