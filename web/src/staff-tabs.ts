import { html } from 'lit';

export type StaffTab = 'appointments' | 'book' | 'audit' | 'schedule';

/**
 * The staff page's tabs, as the WAI-ARIA tabs pattern has them: one tab stop (the selected
 * tab), Left and Right arrows move to the previous and next tab and show it (wrapping), Home
 * and End to the first and last. Each tab controls the element `panel-<id>`, which the caller
 * renders with role="tabpanel" and aria-labelledby="tab-<id>".
 */
export function staffTabs(tabs: ReadonlyArray<{ id: StaffTab; label: string }>, selected: StaffTab, select: (tab: StaffTab) => void) {
  const onKeydown = (e: KeyboardEvent) => {
    const at = tabs.findIndex((t) => t.id === selected);
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const tab = tabs[(next + tabs.length) % tabs.length];
    select(tab.id);
    const list = e.currentTarget as HTMLElement;
    // Focus follows once the new selection has rendered (its tabindex becomes 0).
    requestAnimationFrame(() => list.querySelector<HTMLElement>(`#tab-${tab.id}`)?.focus());
  };
  return html`<div role="tablist" aria-label="Staff tasks" @keydown=${onKeydown}>
    ${tabs.map(
      (t) => html`<button
        type="button"
        role="tab"
        id="tab-${t.id}"
        part="button tab"
        aria-selected=${t.id === selected ? 'true' : 'false'}
        aria-controls="panel-${t.id}"
        tabindex=${t.id === selected ? '0' : '-1'}
        @click=${() => select(t.id)}
      >${t.label}</button>`,
    )}
  </div>`;
}
