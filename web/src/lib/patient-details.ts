/**
 * The patient's details as the booking form checks them before sending: the same rules as the
 * API's (functions/core/schemas/booking.ts), in the words a patient can act on. No DOM.
 */

export type DetailField = 'patient_name' | 'patient_email' | 'patient_phone';

const controlCharacters = /\p{Cc}/u;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phonePattern = /^\+?[0-9 ().-]{5,32}$/;

export interface CheckedDetails {
  /** Trimmed; empty e-mail and phone were not given. */
  name: string;
  email: string;
  phone: string;
  /** One message per field that needs fixing, in the form's order. */
  errors: Partial<Record<DetailField, string>>;
}

export function checkDetails(details: Readonly<Record<DetailField, string>>): CheckedDetails {
  const name = details.patient_name.trim();
  const email = details.patient_email.trim();
  const phone = details.patient_phone.trim();
  const errors: Partial<Record<DetailField, string>> = {};
  if (!name) errors.patient_name = 'Enter your name.';
  // In code points, as the API counts: 60 emoji are 60 characters, not 120.
  else if ([...name].length > 100) errors.patient_name = 'Use at most 100 characters.';
  else if (controlCharacters.test(name)) errors.patient_name = 'Use letters, spaces and punctuation only.';
  if (email && !emailPattern.test(email)) errors.patient_email = 'Enter an e-mail address like name@example.com, or leave it empty.';
  if (phone && !phonePattern.test(phone)) errors.patient_phone = 'Enter a phone number using digits, spaces and + ( ) . -, or leave it empty.';
  return { name, email, phone, errors };
}
