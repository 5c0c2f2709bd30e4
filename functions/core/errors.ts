/** The error codes of the contract (api/openapi.yaml, components.schemas.ErrorCode) and the HTTP status each one travels with. */
export const errorStatus = {
  invalid_request: 400,
  unauthorized: 401,
  /** A valid staff token whose roles do not allow the action. */
  forbidden: 403,
  not_found: 404,
  slot_taken: 409,
  request_in_progress: 409,
  /** A visit status the appointment cannot move to from where it is (the database refuses it). */
  invalid_transition: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  not_bookable: 422,
  idempotency_key_reused: 422,
  /** A rate limit shared by every instance (functions/core/rate-limit.ts); sent with Retry-After. */
  too_many_requests: 429,
  /** The booking challenge (BOOKING_CHALLENGE=on) is missing, wrong, expired or used: 428 Precondition Required (RFC 6585). */
  challenge_required: 428,
  internal: 500,
  /** Something we depend on (the database, the sign-in issuer) cannot be reached right now. */
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * An outcome the domain expects and the client can act on. Its message is shown to the
 * client, so it must never contain patient data or internals.
 */
export class DomainError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
    /** Only for statuses the contract gives no code of their own (405 travels as invalid_request). */
    status?: number,
  ) {
    super(message);
    this.name = 'DomainError';
    this.status = status ?? errorStatus[code];
  }
}
