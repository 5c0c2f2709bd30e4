import { html } from 'lit';

export interface CancelHandlers {
  ask: () => void;
  keep: () => void;
  confirm: () => void;
}

/**
 * "Cancel this appointment", then the question with the safe answer ("No, keep it", id `keep`)
 * next to the danger one; the element moves the focus to `#keep` when it asks, so a stray Enter
 * keeps the appointment, and back to `#cancel` when the patient keeps it.
 */
export function renderCancelConfirm(confirming: boolean, on: CancelHandlers) {
  return confirming
    ? html`<p id="cancel-question"><strong>Cancel this appointment?</strong> The time goes back to other patients.</p>
        <div class="actions" role="group" aria-labelledby="cancel-question">
          <button type="button" class="danger" part="button" @click=${on.confirm}>Yes, cancel it</button>
          <button type="button" part="button" id="keep" @click=${on.keep}>No, keep it</button>
        </div>`
    : html`<button type="button" part="button" id="cancel" @click=${on.ask}>Cancel this appointment</button>`;
}
