import { css } from 'lit';

/** <booking-widget>'s own rules, after sharedStyles (styles.ts), which holds the theme. */
export const bookingWidgetStyles = css`
  .layout {
    display: grid;
    gap: 1.25rem;
    align-items: start;
  }
  booking-lookup {
    min-width: 0;
  }
  @media (min-width: 960px) {
    .layout {
      grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
    }
  }
  .choose {
    display: grid;
    gap: 0 1rem;
  }
  @container (min-width: 460px) {
    .choose {
      grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
    }
  }
  .slots {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(6.75rem, 1fr));
    gap: 0.5rem;
    list-style: none;
    margin: 0.5rem 0 0;
    padding: 0;
  }
  .slots li {
    position: relative;
  }
  .slot-input {
    position: absolute;
    inset: 0;
    opacity: 0;
    margin: 0;
    width: 100%;
    height: 100%;
    pointer-events: none;
  }
  .slot {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    min-height: 3rem;
    padding: 0.35rem 0.4rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    font-weight: 600;
    text-align: center;
    cursor: pointer;
    line-height: 1.25;
  }
  .slot .time {
    font-size: 1.05rem;
    font-variant-numeric: tabular-nums;
  }
  .slot .sub {
    font-weight: 400;
    font-size: 0.8rem;
  }
  .slot-input:checked + .slot {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-text);
    box-shadow: inset 0 0 0 2px var(--_accent-text);
  }
  .slot-input:checked + .slot .time::before {
    content: '✓ ';
  }
  .slot-input:focus-visible + .slot {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .slot-input:disabled + .slot {
    cursor: not-allowed;
    border-style: dashed;
    background: var(--_surface-alt);
    color: var(--_muted);
  }
  .slot-input:disabled + .slot .time {
    text-decoration: line-through;
  }
  .slot-input:not(:checked):not(:disabled) + .slot:hover {
    border-color: var(--_accent);
    box-shadow: inset 0 0 0 1px var(--_accent);
  }
  .first-available {
    margin-bottom: 1rem;
  }
  .offers {
    display: grid;
    gap: 0.5rem;
    list-style: none;
    margin: 0.75rem 0 0;
    padding: 0;
  }
  @container (min-width: 460px) {
    .offers {
      grid-template-columns: 1fr 1fr;
    }
  }
  .offer {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 0.15rem;
    width: 100%;
    text-align: left;
    padding: 0.5rem 0.8rem;
    border-width: 1px;
    color: var(--_text);
    line-height: 1.3;
  }
  .offer .when {
    font-size: 1.05rem;
    font-variant-numeric: tabular-nums;
  }
  .offer .sub {
    display: block;
    font-weight: 400;
    font-size: 0.85rem;
    color: var(--_muted);
  }
  .offer:hover {
    border-color: var(--_accent);
    box-shadow: inset 0 0 0 1px var(--_accent);
  }
  .calendar {
    max-width: 24rem;
    margin-bottom: 1rem;
  }
  .details {
    display: grid;
    gap: 0 1rem;
    border-top: 1px solid #d5dbe3;
    padding-top: 1rem;
  }
  @container (min-width: 460px) {
    .details {
      grid-template-columns: 1fr 1fr;
    }
    .details legend,
    .details .wide {
      grid-column: 1 / -1;
    }
  }
  .details legend {
    float: left;
    width: 100%;
    margin-bottom: 0.5rem;
  }
  .confirmation h3 {
    color: var(--_success);
    font-size: 1.25rem;
  }
  .reference {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    margin-bottom: 1rem;
  }
  code {
    font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace;
    font-size: 1rem;
    background: var(--_surface-alt);
    border: 1px solid #c7cfda;
    border-radius: var(--_radius);
    padding: 0.4rem 0.6rem;
    overflow-wrap: anywhere;
    user-select: all;
  }
  .copied {
    color: var(--_success);
    font-weight: 600;
  }
`;

/** <booking-lookup>'s own rules, after sharedStyles. */
export const bookingLookupStyles = css`
  .inline {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  .inline input {
    flex: 1 1 12rem;
    width: auto;
  }
  .badge {
    display: inline-block;
    font-weight: 700;
    border: 1px solid currentColor;
    border-radius: 999px;
    padding: 0 0.6rem;
  }
  .badge.booked {
    color: var(--_success);
  }
  .badge.cancelled {
    color: var(--_danger);
  }
`;
