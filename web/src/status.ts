import { html, nothing } from 'lit';

/** A message for the live region: what happened, in words, and what the user can do next. */
export interface Notice {
  tone: 'info' | 'success' | 'warning' | 'error';
  text: string;
  /** A button offered with the message, such as "Try again". */
  action?: { label: string; run: () => void };
  /** Announced but not shown, for news the page already shows where the user is looking. */
  quiet?: boolean;
}

// Shapes beside the words, so the tone never rests on colour alone.
const marks = { info: 'ℹ', success: '✓', warning: '!', error: '⚠' } as const;

/**
 * The one polite live region of a panel. It is always in the DOM (a region added together
 * with its text is often not announced) and focusable, so an error can be brought into view.
 */
export function renderStatus(id: string, notice: Notice | undefined) {
  const classes = !notice ? 'status' : notice.quiet ? 'status visually-hidden' : `status shown ${notice.tone}`;
  const part = notice?.tone === 'error' ? 'status error' : 'status';
  return html`<div id=${id} class=${classes} part=${part} role="status" tabindex="-1">${notice
    ? html`<span class="tone" aria-hidden="true">${marks[notice.tone]}</span> ${notice.text}${notice.action
          ? html`<button type="button" class="primary" part="button" @click=${notice.action.run}>${notice.action.label}</button>`
          : nothing}`
    : nothing}</div>`;
}

/** The words for a failure the user can do nothing about but wait and retry. */
export function unavailableText(what: string): string {
  return `We can't reach the booking service right now, so we couldn't ${what}. Check your connection, then try again.`;
}
