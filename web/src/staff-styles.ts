import { css } from 'lit';

/**
 * What the staff page's elements share beyond styles.ts: its tables, its tabs and its panels
 * inside a panel. Colours come from the same --booking-* properties, so one theme covers all.
 */
export const staffStyles = css`
  .table-wrap {
    overflow-x: auto;
    margin: 0 0 1rem;
    border: 1px solid #d5dbe3;
    border-radius: var(--_radius);
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-variant-numeric: tabular-nums;
  }
  caption {
    text-align: start;
    font-weight: 600;
    padding: 0.5rem 0.75rem;
  }
  th,
  td {
    text-align: start;
    vertical-align: top;
    padding: 0.5rem 0.6rem;
    border-top: 1px solid #d5dbe3;
    overflow-wrap: anywhere;
  }
  th {
    background: var(--_surface-alt);
  }
  td.when {
    white-space: nowrap;
  }
  td button {
    min-height: 2.25rem;
    padding: 0.2rem 0.8rem;
  }
  textarea {
    font: inherit;
    font-size: 1rem;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.45rem 0.7rem;
    width: 100%;
    min-height: 4.5rem;
  }
  textarea:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .subpanel {
    border: 1px solid #d5dbe3;
    border-radius: var(--_radius);
    padding: 1rem;
    margin: 0 0 1rem;
    background: var(--_surface);
  }
  .filters {
    display: grid;
    gap: 0 1rem;
    grid-template-columns: minmax(0, 1fr);
  }
  @container (min-width: 640px) {
    .filters {
      grid-template-columns: repeat(4, minmax(0, 1fr));
      align-items: end;
    }
  }
  [role='tablist'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    border-bottom: 2px solid #d5dbe3;
    margin: 0 0 1rem;
  }
  [role='tab'] {
    border: 2px solid transparent;
    border-bottom: 0;
    border-radius: var(--_radius) var(--_radius) 0 0;
    background: var(--_surface-alt);
    color: var(--_text);
  }
  [role='tab'][aria-selected='true'] {
    background: var(--_surface);
    border-color: var(--_accent);
    color: var(--_accent);
  }
  ul.notes {
    list-style: none;
    padding: 0;
    margin: 0 0 1rem;
  }
  ul.notes li {
    border-top: 1px solid #d5dbe3;
    padding: 0.5rem 0;
  }
  ul.notes p {
    margin: 0;
    white-space: pre-wrap;
  }
`;
