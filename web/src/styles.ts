import { css } from 'lit';

/**
 * Styles every element shares; booking-styles.ts holds the booking elements' own. Theme them
 * from the page with these custom properties (they pierce the shadow root) or with ::part():
 *
 *   --booking-font, --booking-text, --booking-muted, --booking-surface, --booking-surface-alt,
 *   --booking-border, --booking-accent, --booking-accent-text, --booking-focus,
 *   --booking-danger, --booking-success, --booking-warning, --booking-radius
 *
 * The defaults meet WCAG AA contrast on the default surface; a theme must keep that.
 */
export const sharedStyles = css`
  :host {
    --_font: var(--booking-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_text: var(--booking-text, #1c2430);
    --_muted: var(--booking-muted, #4b5563);
    --_surface: var(--booking-surface, #ffffff);
    --_surface-alt: var(--booking-surface-alt, #f1f4f8);
    --_border: var(--booking-border, #767f8c);
    --_accent: var(--booking-accent, #0b5cab);
    --_accent-text: var(--booking-accent-text, #ffffff);
    --_focus: var(--booking-focus, #0b5cab);
    --_danger: var(--booking-danger, #b42318);
    --_success: var(--booking-success, #1c6b3a);
    --_warning: var(--booking-warning, #8a4b00);
    --_radius: var(--booking-radius, 8px);
    display: block;
    font-family: var(--_font);
    color: var(--_text);
    line-height: 1.5;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  h2,
  h3 {
    line-height: 1.25;
    margin: 0 0 0.75rem;
  }
  h2 {
    font-size: 1.35rem;
  }
  h3 {
    font-size: 1.1rem;
  }
  p {
    margin: 0 0 0.75rem;
  }
  .panel {
    background: var(--_surface);
    border: 1px solid #d5dbe3;
    border-radius: calc(var(--_radius) * 1.5);
    padding: 1rem;
    container-type: inline-size;
    min-width: 0;
    position: relative;
  }
  @media (min-width: 480px) {
    .panel {
      padding: 1.25rem 1.5rem 1.5rem;
    }
  }
  fieldset {
    border: 0;
    margin: 0 0 1rem;
    padding: 0;
    min-width: 0;
  }
  legend {
    font-weight: 600;
    font-size: 1.05rem;
    padding: 0;
    margin-bottom: 0.25rem;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
    margin-bottom: 0.75rem;
    min-width: 0;
  }
  label {
    font-weight: 600;
  }
  .optional {
    font-weight: 400;
    color: var(--_muted);
  }
  .hint {
    color: var(--_muted);
    font-size: 0.95rem;
  }
  input,
  select {
    font: inherit;
    font-size: 1rem;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    min-height: 2.75rem;
    padding: 0.45rem 0.7rem;
    width: 100%;
    min-width: 0;
  }
  input[aria-invalid='true'] {
    border: 2px solid var(--_danger);
  }
  .field-error {
    color: var(--_danger);
    font-size: 0.95rem;
    margin: 0;
  }
  button {
    font: inherit;
    font-weight: 600;
    min-height: 2.75rem;
    padding: 0.45rem 1.1rem;
    border-radius: var(--_radius);
    border: 2px solid var(--_accent);
    background: var(--_surface);
    color: var(--_accent);
    cursor: pointer;
  }
  button.primary {
    background: var(--_accent);
    color: var(--_accent-text);
  }
  button.danger {
    border-color: var(--_danger);
    background: var(--_danger);
    color: #ffffff;
  }
  button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.7;
  }
  button:hover:not([aria-disabled='true']) {
    text-decoration: underline;
  }
  :focus-visible,
  input:focus,
  select:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  [tabindex='-1']:focus {
    outline: none;
  }
  [tabindex='-1']:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: center;
  }
  .status {
    margin: 0;
  }
  .status.shown {
    border-radius: var(--_radius);
    border: 1px solid #c7cfda;
    border-left-width: 6px;
    background: var(--_surface-alt);
    padding: 0.6rem 0.9rem;
    margin: 0 0 1rem;
  }
  .status.success {
    border-color: var(--_success);
  }
  .status.warning {
    border-color: var(--_warning);
    background: #fff7ea;
  }
  .status.error {
    border-color: var(--_danger);
    background: #fdf1f0;
  }
  .status .tone {
    font-weight: 700;
  }
  .status button {
    margin-top: 0.5rem;
    display: block;
  }
  dl {
    display: grid;
    grid-template-columns: max-content minmax(0, 1fr);
    gap: 0.25rem 1rem;
    margin: 0 0 1rem;
  }
  dt {
    font-weight: 600;
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
